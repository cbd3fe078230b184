"""Tables in documents: Word (.docx, python-docx) and PDF (pdfplumber), for :mod:`targetexpr.cli.formats`.

A document's cells are text.  Merged cells are filled from their anchor and flagged, as in a
spreadsheet: in Word, the cells a ``gridSpan`` or ``vMerge`` covers; in a PDF, the grid positions of
a table that no ruled cell of their own covers (pdfplumber gives ``None`` for them).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import TableError
from ..i18n import say
from .rawrow import _EXTRA, RawRow, _check_text

__all__ = ["docx_rows", "pdf_rows"]


def _import(module: str, package: str, what: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise TableError(
            say("reading {what} needs {package}: {install}", what=what, package=package, install=_EXTRA)
        ) from None


# --- Word ---------------------------------------------------------------------------------------


def docx_rows(path: Path, sheet: str | None, *, where: str) -> Iterator[RawRow]:
    """Each table of the document's body, in order, as a sheet ``表1``, ``表2`` …; rows numbered
    from 1 in each table."""
    docx = _import("docx", "python-docx", ".docx files")
    try:
        document = docx.Document(str(path))
    except Exception as e:
        raise TableError(
            say("{path} is not a readable Word document ({kind})", path=path, kind=type(e).__name__)
        ) from None
    tables = document.tables
    names = [f"表{i}" for i in range(1, len(tables) + 1)]
    if sheet is not None and sheet not in names:
        raise TableError(
            say(
                "{path} has no table {sheet!r}; it has {what}",
                path=path,
                sheet=sheet,
                what=", ".join(names) or "no table",
            )
        )
    for name, table in zip(names, tables, strict=True):
        if sheet is not None and name != sheet:
            continue
        above: Sequence[Any] = ()
        for number, row in enumerate(table.rows, 1):
            cells = list(row.cells)  # held alive: the same <w:tc> gives the same proxy
            texts: list[object] = []
            merged: list[bool] = []
            for c, cell in enumerate(cells):
                same_left = c > 0 and cell._tc is cells[c - 1]._tc
                same_above = c < len(above) and cell._tc is above[c]._tc
                merged.append(same_left or same_above)
                if same_left:
                    texts.append(texts[-1])
                else:
                    text = _check_text(cell.text, f"{where} {name} row {number}")
                    texts.append(text or None)
            above = cells
            yield RawRow(name, number, tuple(texts), (False,) * len(texts), tuple(merged))


# --- PDF ----------------------------------------------------------------------------------------


def _join_lines(text: str | None) -> str | None:
    """The text of a PDF cell, its wrapped lines joined: with nothing between Chinese characters, with
    a space between Latin words."""
    if not text:
        return None
    lines = [line.strip() for line in text.splitlines()]
    out = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        if out and (not out[-1].isascii() or not line[0].isascii()):
            out += line
        else:
            out += " " + line if out else line
    return out or None


def _table_grid(table: Any) -> list[tuple[list[object], list[bool]]]:
    """The rows of a pdfplumber table, each grid position that a larger ruled cell covers filled from
    that cell (the cell's anchor is its top-left position)."""
    texts = table.extract()
    # A column's (row's) box is the union of the cells that start in it, so only its left (top) edge
    # is its own: a position's centre lies between its edge and the next one.
    lefts = [col.bbox[0] for col in table.columns] + [table.bbox[2]]
    tops = [row.bbox[1] for row in table.rows] + [table.bbox[3]]
    xs = [(a + b) / 2 for a, b in itertools.pairwise(lefts)]
    ys = [(a + b) / 2 for a, b in itertools.pairwise(tops)]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            for r2 in range(bisect.bisect_left(ys, box[1]), bisect.bisect_right(ys, box[3])):
                for c2 in range(bisect.bisect_left(xs, box[0]), bisect.bisect_right(xs, box[2])):
                    if (r2, c2) != (r, c):
                        owner.setdefault((r2, c2), (r, c))
    out: list[tuple[list[object], list[bool]]] = []
    for r, row in enumerate(texts):
        cells: list[object] = []
        merged: list[bool] = []
        for c, text in enumerate(row):
            anchor = owner.get((r, c)) if text is None else None
            if anchor is None:
                cells.append(_join_lines(text))
                merged.append(False)
            else:
                a_r, a_c = anchor
                cells.append(out[a_r][0][a_c] if a_r < r else cells[a_c])
                merged.append(True)
        out.append((cells, merged))
    return out


_CELL_BREAK = re.compile(r"\t|[ \u3000]{2,}")


def _text_lines(page: Any) -> Iterator[list[str]]:
    """The lines of a page without ruled tables, cut into cells at a tab, two or more spaces, or a gap
    wider than two characters; a line with fewer cells than the page's widest line has its cells
    placed under the columns of that line by position (:func:`~.pdftext.placed_lines`), so that a
    name wrapped onto a line of its own stays in its column."""
    from .pdftext import placed_lines

    words = page.extract_words(keep_blank_chars=True, x_tolerance=1.5, use_text_flow=False)
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    yield from placed_lines(words, _CELL_BREAK)


def pdf_rows(path: Path, sheet: str | None, *, where: str) -> Iterator[RawRow]:
    """The tables of every page (sheet ``第1页`` …), top to bottom; rows numbered across the
    document.  A page with no ruled table gives its lines of text instead."""
    pdfplumber = _import("pdfplumber", "pdfplumber", ".pdf files")
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as e:
        reason = type(e).__name__
        if "Password" in reason or "Encrypt" in reason:
            raise TableError(
                say("{path} is encrypted (password-protected): save it without a password", path=path)
            ) from None
        raise TableError(
            say(
                "{path} is not a readable PDF ({reason}: {value})",
                path=path,
                reason=reason,
                value=" ".join(str(e).split())[:150],
            )
        ) from None
    number = 0
    with pdf:
        names = [f"第{i}页" for i in range(1, len(pdf.pages) + 1)]
        if sheet is not None and sheet not in names:
            raise TableError(
                say(
                    "{path} has no page {sheet!r}; it has {value} pages (第1页 …)",
                    path=path,
                    sheet=sheet,
                    value=len(names),
                )
            )
        for name, page in zip(names, pdf.pages, strict=True):
            if sheet is not None and name != sheet:
                continue
            tables = sorted(page.find_tables(), key=lambda t: (t.bbox[1], t.bbox[0]))
            if tables:
                for table in tables:
                    for cells, merged in _table_grid(table):
                        number += 1
                        for cell in cells:
                            if isinstance(cell, str):
                                _check_text(cell, f"{where} {name}")
                        yield RawRow(name, number, tuple(cells), (False,) * len(cells), tuple(merged))
            else:
                for line in _text_lines(page):
                    number += 1
                    texts = tuple(_check_text(c, f"{where} {name}") or None for c in line)
                    yield RawRow(name, number, texts, (False,) * len(texts), (False,) * len(texts))
            page.close()
