"""Reading the cells of a column: missing cells, numbers where text was expected, numpy scalars.

A column may be a list, a tuple, a numpy array, a pandas or Polars Series or an Arrow array; a
cell may be text, a number, ``None``, NaN, ``pd.NA``, ``NaT`` or blank text (missing).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import targetexpr
from targetexpr.i18n import say

__all__ = [
    "actual_value",
    "bare_number",
    "cell_text",
    "column",
    "first_line",
    "is_missing",
    "key",
    "number_text",
    "plain",
]


def is_missing(cell: object) -> bool:
    """None, NaN (float, numpy, Decimal), pandas' NA and NaT, and blank text are missing."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    if isinstance(cell, float):
        return math.isnan(cell)
    if isinstance(cell, Decimal):
        return cell.is_nan()
    name = type(cell).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name.startswith("float") and hasattr(cell, "dtype"):  # numpy floating scalars
        return bool(cell != cell)
    return False


def plain(cell: object) -> object:
    """A numpy scalar as the Python number it holds (a float through its shortest text)."""
    dtype = getattr(cell, "dtype", None)
    if dtype is None or not hasattr(cell, "item"):
        return cell
    kind = getattr(dtype, "kind", "")
    if kind == "f":
        return Decimal(str(cell))  # float32(0.93) is "0.93", not 0.9300000071525574
    if kind in ("i", "u"):
        return int(cell)  # type: ignore[call-overload]
    return cell.item()


def number_text(cell: object) -> str | None:
    """The text of a number given where text was expected (a target cell holding 95)."""
    cell = plain(cell)
    if isinstance(cell, bool):
        return None
    if isinstance(cell, float):
        return repr(cell)
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return None


def column(values: object, n: int | None, what: str) -> list[Any]:
    """A sequence of any of the supported kinds as a list (``n``: the length it must have)."""
    if values is None:
        out: list[Any] = [None] * (n or 0)
    elif isinstance(values, (str, bytes, int, float, Decimal)):
        if n is None:
            raise targetexpr.TargetValueError(
                say("{what} must be a sequence, not {type}", what=what, type=type(values).__name__)
            )
        out = [values] * n  # one value for every row
    elif hasattr(values, "to_pylist"):  # Arrow arrays and chunked arrays
        out = values.to_pylist()
    elif hasattr(values, "to_list"):  # pandas and Polars Series
        out = values.to_list()
    elif hasattr(values, "tolist"):  # numpy arrays
        out = values.tolist()
    elif isinstance(values, Iterable):
        out = list(values)
    else:
        raise targetexpr.TargetValueError(
            say("{what} must be a sequence, not {type}", what=what, type=type(values).__name__)
        )
    if n is not None and len(out) != n:
        raise targetexpr.TargetValueError(
            say("{what} has {count} values for {rows} rows", what=what, count=len(out), rows=n)
        )
    return out


def cell_text(cell: object) -> str | None:
    """The cell as text: itself when text, ``None`` when missing, else the text of the value."""
    if isinstance(cell, str):
        return cell
    return None if is_missing(cell) else str(plain(cell))


def first_line(error: Exception) -> str:
    """The first line of an error's message (a syntax error's caret lines are left out)."""
    return str(error).split("\n", 1)[0]


_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*")


def bare_number(actual: object) -> Decimal | None:
    """The number of an actual given without a unit (0.93, "0.93"), else ``None``."""
    if isinstance(actual, bool):
        return None
    if isinstance(actual, (int, Decimal)):
        return Decimal(actual)
    if isinstance(actual, float):
        return Decimal(str(actual))
    if isinstance(actual, str) and _PLAIN_NUMBER.fullmatch(actual):
        return Decimal(actual.strip())
    return None


def actual_value(cell: object) -> object:
    """The actual as :func:`targetexpr.evaluate` takes it: missing → None, numpy → Python, float → Decimal."""
    if is_missing(cell):
        return None
    cell = plain(cell)
    if isinstance(cell, float):
        return Decimal(str(cell))  # through its shortest text, as evaluate() would
    return cell


def key(value: object) -> tuple[type, object] | None:
    """A memo key for ``value`` with its type (1 and True differ), or ``None`` when it is unhashable."""
    try:
        hash(value)
    except TypeError:
        return None
    return (value.__class__, value)
