"""One row as a reader hands it on (:class:`RawRow`), and the bounds every reader applies to a cell."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

import attrs

from ..errors import TableError
from ..i18n import say

__all__ = ["MAX_CELL_BYTES", "RawRow", "cell_text"]

_EXTRA = "pip install 'targetexpr[cli]'"
MAX_CELL_BYTES = 1_000_000


@attrs.frozen
class RawRow:
    """One row of the input: where it is, its cells as read (numbers, dates, text), per cell
    whether Excel formats it as a percentage, and per cell whether its value was copied from the
    anchor of a merged range (``()`` when the reader knows of no merges), and per cell the text of a
    formula Excel never calculated (``""`` for other cells; ``()`` when there is none)."""

    sheet: str
    number: int
    cells: tuple[object, ...]
    percent: tuple[bool, ...] = ()
    merged: tuple[bool, ...] = ()
    formulas: tuple[str, ...] = ()


def _check_text(value: str, where: str) -> str:
    if len(value) * 4 > MAX_CELL_BYTES and len(value.encode("utf-8", "surrogatepass")) > MAX_CELL_BYTES:
        raise TableError(
            say(
                "{where}: a cell holds more than {MAX_CELL_BYTES:,} bytes of text",
                where=where,
                MAX_CELL_BYTES=MAX_CELL_BYTES,
            )
        )
    return value


def cell_text(value: object, percent: bool = False) -> str:
    """The text of a cell as a target or actual reads it (``10.0`` → ``10``, a percent-formatted
    ``0.95`` → ``95%``, a date → ``2022-06-15``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:  # pragma: no cover - Decimal(str(float)) always reads
            return str(value)
        if not number.is_finite():
            return str(value)
        if percent:
            number *= 100
        text = format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    return str(value).strip()
