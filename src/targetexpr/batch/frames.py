"""Records as frames: a pandas DataFrame, an Arrow table or a Polars DataFrame (each an optional extra)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import targetexpr
from targetexpr.i18n import say

from .columns import ARROW_DECIMAL, COLUMN_TYPES, EVALUATED_COLUMNS, Output

__all__ = ["arrow_schema", "output", "to_frame"]


def _require(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            say("{module} is needed for this output: pip install 'targetexpr[{extra}]'", module=module, extra=extra)
        ) from e


def arrow_schema(columns: Sequence[str] = EVALUATED_COLUMNS) -> Any:
    """The Arrow schema of the given columns: string, ``decimal128(38, 12)``, ``date32``, ``bool``,
    ``int32`` and ``list<string>`` (flags).  Needs the ``[arrow]`` extra."""
    pa = _require("pyarrow", "arrow")
    types = {
        "str": pa.string(),
        "decimal": pa.decimal128(*ARROW_DECIMAL),
        "date": pa.date32(),
        "bool": pa.bool_(),
        "int": pa.int32(),
        "flags": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(c, types[COLUMN_TYPES[c]], nullable=c != "kind") for c in columns])


def to_frame(rows: Sequence[tuple[Any, ...]], as_: Output, *, columns: Sequence[str] | None = None) -> Any:
    """Records (``TargetRow`` or ``EvaluatedRow``) as a pandas DataFrame, Arrow table or Polars DataFrame."""
    if columns is None:
        columns = getattr(rows[0], "_fields", EVALUATED_COLUMNS) if rows else EVALUATED_COLUMNS
    return output(list(rows), tuple(columns), as_)


_PANDAS_DTYPES = {"str": "string", "bool": "boolean", "int": "Int64"}


def output(rows: list[Any], columns: tuple[str, ...], as_: str) -> Any:
    """``rows`` as ``as_`` asks: the list itself (``"records"``), or a frame of ``columns``."""
    if as_ == "records":
        return rows
    data = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    if as_ == "pandas":
        pd = _require("pandas", "pandas")
        frame = {}
        for name, values in zip(columns, data, strict=True):
            frame[name] = pd.array(list(values), dtype=_PANDAS_DTYPES.get(COLUMN_TYPES[name], object))
        return pd.DataFrame(frame)
    if as_ in ("arrow", "polars"):
        pa = _require("pyarrow", "arrow")
        schema = arrow_schema(columns)
        arrays = []
        for field, values in zip(schema, data, strict=True):
            cells: list[Any] = [list(v) for v in values] if COLUMN_TYPES[field.name] == "flags" else list(values)
            arrays.append(pa.array(cells, type=field.type))
        table = pa.Table.from_arrays(arrays, schema=schema)
        if as_ == "arrow":
            return table
        pl = _require("polars", "polars")
        return pl.from_arrow(table)
    raise targetexpr.TargetValueError(
        say("as_ must be 'records', 'pandas', 'arrow' or 'polars', not {value}", value=repr(as_))
    )
