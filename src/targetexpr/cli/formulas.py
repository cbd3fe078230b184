"""Formula cells Excel never calculated: a workbook written by a program (or saved without
recalculation) holds ``=SUM(...)`` with no cached value, which a reader sees as an empty cell.
For the 总分 row that is not "no total": the table states a total as a formula nobody has computed.

The sheets' XML is scanned for them (openpyxl's ``data_only`` mode drops the formula), and each
row is handed on with, per cell, the formula text of an uncalculated formula cell (``""`` for every
other cell) in :attr:`RawRow.formulas`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..i18n import say
from .rawrow import RawRow

__all__ = ["total_formula_note", "uncached_formulas", "with_formulas"]

#: A whole cell element; the regex runs on complete <row> elements only.
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*>(.*?)</v>", re.S)
_ROW_END = b"</row>"
#: Formula text kept per cell (a formula longer than this is cut, with an ellipsis).
_SHOWN = 120


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _unescape(text: bytes) -> str:
    out = text.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        out = out.replace(entity, char)
    return out


def _scan(body: bytes, found: dict[tuple[int, int], str]) -> None:
    if b"<f" not in body:
        return
    for cell in _CELL.finditer(body):
        inner = cell.group(2)
        if not inner or b"<f" not in inner:
            continue
        value = _VALUE.search(inner)
        if value is not None and value.group(1).strip():
            continue  # calculated: the cached value is what the reader gives
        ref = _REF.search(cell.group(1))
        formula = _FORMULA.search(inner)
        if ref is None or formula is None:
            continue
        text = _unescape(formula.group(1) or b"").strip()
        shown = "=" + (text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…") if text else "=(shared formula)"
        found[int(ref.group(2)) - 1, _column(ref.group(1))] = shown


def uncached_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name of an .xlsx/.xlsm file: the formula cells without a cached value, as
    ``{(row, column): "=SUM(F13:F18)"}`` (0-based), scanned 1 MB at a time."""
    from .formats import _sheet_members

    out: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            return out
        for sheet_name, member in _sheet_members(archive, names).items():
            found: dict[tuple[int, int], str] = {}
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    cut = text.rfind(_ROW_END)
                    if cut < 0:
                        tail = text
                        continue
                    cut += len(_ROW_END)
                    _scan(text[:cut], found)
                    tail = text[cut:]
            _scan(tail, found)
            if found:
                out[sheet_name] = found
    return out


def with_formulas(rows: Iterable[RawRow], formulas: Mapping[tuple[int, int], str]) -> Iterator[RawRow]:
    """``rows`` with :attr:`RawRow.formulas` set where a cell is an uncalculated formula."""
    if not formulas:
        yield from rows
        return
    by_row: dict[int, dict[int, str]] = {}
    for (r, c), text in formulas.items():
        by_row.setdefault(r + 1, {})[c] = text
    for raw in rows:
        cells = by_row.get(raw.number)
        if not cells:
            yield raw
            continue
        width = max(len(raw.cells), max(cells) + 1)
        yield attrs.evolve(raw, formulas=tuple(cells.get(c, "") for c in range(width)))


def total_formula_note(item: Any) -> str | None:
    """The note for a 总分 row whose 得分 (or 分值) cell is a formula Excel never calculated: not a
    published total, and not a missing one either."""
    formulas = getattr(item.raw, "formulas", ())
    if not formulas:
        return None
    for field, label in (("published_score", "得分"), ("points", "分值")):
        column = item.columns.get(field)
        if column is not None and column < len(formulas) and formulas[column]:
            return say(
                "the total row ({where}) has a formula in its {label} cell ({formula}) that Excel has never "
                "calculated: the file holds no published total to compare; open it in Excel or WPS, "
                "recalculate and save, or type the total",
                where=say("{sheet} row {number}", sheet=item.raw.sheet, number=item.raw.number),
                label=label,
                formula=formulas[column],
            )
    return None
