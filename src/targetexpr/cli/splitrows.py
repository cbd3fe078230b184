"""Rows a PDF split over two or three lines, joined again.

Text extracted from a PDF (pdfplumber's lines of a page without ruled table, or a text file such as
the user's seed) breaks a long indicator name in a narrow column over several lines; the other cells
of those lines are empty, and a vertically centred cell puts pieces above and below the line that
holds the value::

    社会效益指 |            | 助力营商环 |                          |
    效益指标   | │ │ │ │ 标 | 境持续健康 | 助力营商环境持续健康发展 | 持续改善
               |            | 发展       |                          |

:func:`join_split_rows` joins such a piece into the row of its value: a piece *above* the first row
of a table goes to the row below it, any other piece to the row above it.  A long value wrapping onto
a line of its own (only the value column filled, text that is not a target by itself) is joined the
same way.  Nothing is lost and nothing is silent: the piece's own line stays in the output (as a
blank row, not a target), and the joined row carries a note saying which lines were joined, shown
as a repair to review.

A line is a piece only when it has no target, actual, points or score, no description, and its
一级/二级 cells are not whole labels (a whole label ends in 指标: such a line starts a row of its
own, even without a value), and every filled name cell is short (a narrow column's line).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..i18n import say
from ..parser.normalize import normalize

__all__ = ["JOINED", "join_split_rows", "joined_note"]

#: The key under which a joined row's note travels in its fields (read by :func:`joined_note`).
JOINED = "_joined"
_NAMES = ("level1", "level2", "indicator")
_EMPTY_FOR_A_PIECE = ("target", "actual", "points", "published_score", "description")
#: The longest name piece (characters, spaces removed): a wrapped line of a narrow column.
_PIECE = 12
#: Suffixes of input files whose rows may be split: a PDF and text extracted from one (``.txt``).
#: Workbooks and Word tables keep a cell's lines in one cell, and a CSV is most often an export of a
#: workbook, whose merged cells come out blank: a row without a value there is a row, not a piece.
SPLIT_SUFFIXES = (".pdf", ".txt")


def _text(fields: Mapping[str, object], key: str) -> str:
    value = fields.get(key)
    return "" if value is None else str(value).strip()


def _compact(text: str) -> str:
    return "".join(normalize(text).split()) if text else ""


def _whole_label(text: str) -> bool:
    return _compact(text).endswith("指标")


def _own(item: Any) -> dict[str, str]:
    """The item's fields as its own line holds them: a 一级/二级 carried down from the rows above
    (a merged or blank cell) is not the line's own text."""
    own = {k: _text(item.fields, k) for k in item.fields if k != JOINED}
    cells = item.raw.cells
    for key in _NAMES:
        column = item.columns.get(key)
        if column is not None and own.get(key):
            value = cells[column] if column < len(cells) else None
            merged = column < len(item.raw.merged) and item.raw.merged[column]
            if value is None or merged or not str(value).strip():
                own[key] = ""
    return own


def _is_name_piece(item: Any) -> bool:
    fields = _own(item)
    if any(_text(fields, k) for k in _EMPTY_FOR_A_PIECE):
        return False
    names = [_text(fields, k) for k in _NAMES]
    if not any(names) or any(_whole_label(_text(fields, k)) for k in ("level1", "level2")):
        return False
    return all(len(_compact(n)) <= _PIECE for n in names)


def _is_value_piece(item: Any) -> bool:
    from ..table.check import MEASURABLE_KINDS, check_row

    fields = _own(item)
    target = _text(fields, "target")
    if not target or any(_text(fields, k) for k in (*_NAMES, "points", "published_score", "description")):
        return False
    result = check_row({"target": target})
    return result["error"] is not None or result["kind"] not in MEASURABLE_KINDS


def _has_target(item: Any) -> bool:
    return item.kind == "data" and bool(_text(item.fields, "target"))


def _join(row: Any, piece: Any, before: bool) -> Any:
    """``row`` with the piece's cells joined to its own, and the note of the join."""
    fields = dict(row.fields)
    joined: list[str] = []
    pieces = _own(piece)
    for key in pieces:
        extra = pieces[key]
        if not extra:
            continue
        own = _text(fields, key)
        glue = "" if not own or not extra.isascii() or not own.isascii() else " "
        fields[key] = extra + glue + own if before else own + glue + extra
        joined.append(f"{key} {extra!r}")
    earlier: tuple[tuple[int, str], ...] = fields.get(JOINED, ())
    lines = [*earlier, (piece.raw.number, ", ".join(joined))]
    fields[JOINED] = tuple(lines)
    return attrs.evolve(row, fields=fields)


def _blank(piece: Any) -> Any:
    """The piece's own line, kept in the output as a row without fields (not a target)."""
    return attrs.evolve(piece, fields={})


def joined_note(fields: Mapping[str, object]) -> str | None:
    """The note of a row that :func:`join_split_rows` joined from lines split by a PDF."""
    lines: tuple[tuple[int, str], ...] = fields.get(JOINED, ())  # type: ignore[assignment]
    if not lines:
        return None
    parts = "; ".join(say("row {number}: {cells}", number=number, cells=cells) for number, cells in lines)
    return say(
        "repaired a row split over several lines by the PDF: joined {parts}; check the joined cells",
        parts=parts,
    )


def join_split_rows(items: Iterator[Any]) -> Iterator[Any]:
    """The items of :func:`~.sheets.segment`, with the pieces of split rows joined (see the module)."""
    held: Any = None  # the last row with a target: pieces below it join it
    trail: list[Any] = []  # the blanked pieces joined into `held`, written after it
    above: list[Any] = []  # pieces above the first row of a table

    def flush() -> Iterator[Any]:
        nonlocal held
        if held is not None:
            yield held
            held = None
        yield from trail
        trail.clear()

    for item in items:
        if item.kind != "data":
            yield from flush()
            yield from above
            above.clear()
            yield item
            continue
        if held is not None and (_is_name_piece(item) or _is_value_piece(item)):
            held = _join(held, item, before=False)
            trail.append(_blank(item))
            continue
        if held is None and _is_name_piece(item):
            above.append(item)
            continue
        yield from flush()
        if _has_target(item):
            for piece in reversed(above):
                item = _join(item, piece, before=True)
            yield from (_blank(piece) for piece in above)
            above.clear()
            held = item
            continue
        yield from above
        above.clear()
        yield item
    yield from flush()
    yield from above
