"""Lines of text of a PDF page without ruled tables, cut into cells and placed in columns.

A page of text has no grid: a line is cut into cells at a tab, two or more spaces, or a gap wider
than two characters.  The widest line of the page (the most cells: a header, or a full row) gives
the columns; a line with fewer cells, such as the second line of a wrapped indicator name, has each
cell placed under the column whose start is nearest to it, the other cells left empty, instead of
being packed to the left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["placed_lines"]


def _cells(line: Sequence[dict[str, Any]], breaks: re.Pattern[str]) -> list[tuple[float, str]]:
    """The cells of one line with the x position where each starts."""
    out: list[tuple[float, str]] = []
    current = ""
    start = float(line[0]["x0"])
    previous: dict[str, Any] | None = None
    for word in line:
        size = max(float(word["bottom"]) - float(word["top"]), 1.0)
        if previous is not None and float(word["x0"]) - float(previous["x1"]) > 2 * size:
            out.append((start, current))
            current, start = "", float(word["x0"])
        elif previous is not None:
            current += " "
        text = str(word["text"])
        width = (float(word["x1"]) - float(word["x0"])) / max(len(text), 1)
        offset = 0
        for piece in breaks.finditer(text):  # two or more spaces inside one word: a cell break
            current += text[offset : piece.start()]
            out.append((start, current))
            offset = piece.end()
            current, start = "", float(word["x0"]) + offset * width
        current += text[offset:]
        previous = word
    out.append((start, current))
    return [(x, text.strip()) for x, text in out if text.strip()]


def _place(cells: list[tuple[float, str]], columns: Sequence[float]) -> list[str] | None:
    """``cells`` under the nearest ``columns`` (in order, one cell per column), or ``None``."""
    out = [""] * len(columns)
    last = -1
    for x, text in cells:
        nearest = min(range(len(columns)), key=lambda i: abs(columns[i] - x))
        if nearest <= last:
            return None  # two cells under one column: keep the line as it is
        out[nearest] = text
        last = nearest
    while out and not out[-1]:
        out.pop()
    return out


def placed_lines(words: Sequence[dict[str, Any]], breaks: re.Pattern[str]) -> Iterator[list[str]]:
    """The page's lines (words sorted top to bottom, left to right), each a list of cell texts."""
    lines = [_cells(line, breaks) for line in _lines(words)]
    widest = max(lines, key=len, default=[])
    columns = [x for x, _ in widest]
    for cells in lines:
        if 0 < len(cells) < len(columns):
            placed = _place(cells, columns)
            if placed is not None:
                yield placed
                continue
        yield [text for _, text in cells] or [""]


def _lines(words: Sequence[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    line: list[dict[str, Any]] = []
    for word in [*words, None]:
        if line and (word is None or abs(float(word["top"]) - float(line[0]["top"])) > 3):
            yield line
            line = []
        if word is not None:
            line.append(word)
