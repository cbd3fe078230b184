"""One row as a reader hands it on (:class:`RawRow`), and the bounds every reader applies to a cell."""

from __future__ import annotations

import attrs

from ..errors import TableError

__all__ = ["MAX_CELL_BYTES", "RawRow"]

_EXTRA = "pip install 'targetexpr[cli]'"
MAX_CELL_BYTES = 1_000_000


@attrs.frozen
class RawRow:
    """One row of the input: where it is, its cells as read (numbers, dates, text), per cell
    whether Excel formats it as a percentage, and per cell whether its value was copied from the
    anchor of a merged range (``()`` when the reader knows of no merges)."""

    sheet: str
    number: int
    cells: tuple[object, ...]
    percent: tuple[bool, ...] = ()
    merged: tuple[bool, ...] = ()


def _check_text(value: str, where: str) -> str:
    if len(value) * 4 > MAX_CELL_BYTES and len(value.encode("utf-8", "surrogatepass")) > MAX_CELL_BYTES:
        raise TableError(f"{where}: a cell holds more than {MAX_CELL_BYTES:,} bytes of text")
    return value
