"""Exact unit arithmetic over ``data/units.tsv`` and ``data/magnitudes.tsv``.

A unit's *dimension* says what it measures; two quantities compare only within one dimension.
A count's dimension includes its classifier (个 and 次 are different things), a compound unit's
includes its denominators (元/人 is not 元/户).  Factors are exact :class:`~fractions.Fraction`
values (1 亩 = 2000/3 平方米), so conversions never round.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import NamedTuple

from . import datafiles as _data
from .errors import UnitMismatchError
from .nodes import Quantity, Unit

__all__ = ["Dimension", "convert", "describe", "dimension", "factor", "is_percent", "to_base"]


class Dimension(NamedTuple):
    """What a unit measures: the numerator's dimension and the denominators'."""

    base: str
    per: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = _DIMENSION_NAMES.get(self.base) or (
            f"a count of {self.base[6:]}" if self.base.startswith("count:") else self.base
        )
        if self.per:
            text += " per " + " per ".join(_atom_name(p) for p in self.per)
        return text


_DIMENSION_NAMES = {
    "number": "a plain number",
    "money": "money",
    "percent": "a percentage",
    "percentage_point": "percentage points",
    "time": "a duration",
    "workday": "working days",
    "calendar": "calendar months/years",
    "semester": "semesters",
    "length": "a length",
    "area": "an area",
    "volume": "a volume",
    "mass": "a mass",
    "power": "a power",
    "energy": "an energy",
    "multiple": "a multiple",
    "score": "points of a score",
}


@functools.cache
def _by_canonical() -> dict[str, _data.UnitInfo]:
    """Canonical names that are no spelling of their own after normalisation (``TB``, read ``tb``)."""
    table: dict[str, _data.UnitInfo] = {}
    for info in _data.units().values():
        table.setdefault(info.canonical, info)
    return table


@functools.cache
def _atom(name: str) -> tuple[str, Fraction]:
    """Dimension and factor of one canonical unit name (a classifier not in the table counts)."""
    info = _data.units().get(name) or _by_canonical().get(name)
    if info is None:
        return f"count:{name}", Fraction(1)
    if info.dimension == "count":
        return f"count:{info.canonical}", info.factor
    return info.dimension, info.factor


def _atom_name(dim: str) -> str:
    return dim[6:] if dim.startswith("count:") else _DIMENSION_NAMES.get(dim, dim)


@functools.lru_cache(maxsize=4096)
def dimension(unit: Unit | None) -> Dimension:
    """The dimension of ``unit`` (``None`` and a bare magnitude such as 万 are plain numbers)."""
    if unit is None or not unit.base:
        return Dimension("number")
    return Dimension(_atom(unit.base)[0], tuple(_atom(p)[0] for p in unit.per))


@functools.lru_cache(maxsize=4096)
def factor(unit: Unit | None) -> Fraction:
    """Exact size of one ``unit`` in its dimension's base unit (万元 → 10000)."""
    if unit is None:
        return Fraction(1)
    result = Fraction(_data.magnitudes()[unit.prefix]) if unit.prefix else Fraction(1)
    if unit.base:
        result *= _atom(unit.base)[1]
    for per in unit.per:
        result /= _atom(per)[1]
    return result


def to_base(quantity: Quantity) -> tuple[Dimension, Fraction]:
    """The quantity's dimension and its exact value in the dimension's base unit."""
    return dimension(quantity.unit), Fraction(quantity.value) * factor(quantity.unit)


def is_percent(unit: Unit | None) -> bool:
    """Whether ``unit`` is a percentage (%, ‰)."""
    return dimension(unit).base == "percent"


def describe(quantity: Quantity) -> str:
    """``"4次 (a count of 次)"``: a quantity and its dimension, for error messages."""
    return f"{quantity} ({dimension(quantity.unit)})"


def convert(quantity: Quantity, unit: Unit | None) -> Fraction:
    """The exact value of ``quantity`` expressed in ``unit``.

    Raises :class:`UnitMismatchError` when the dimensions differ (天 and 工作日, 元 and 次).

    >>> from decimal import Decimal
    >>> convert(Quantity(Decimal("5987500"), Unit("元")), Unit("元", "万"))
    Fraction(2395, 4)
    """
    source = dimension(quantity.unit)
    target = dimension(unit)
    if source != target:
        raise UnitMismatchError(
            f"{describe(quantity)} cannot be converted to {unit or 'a plain number'} ({target})",
            target=str(unit) if unit is not None else None,
            actual=str(quantity),
            target_dimension=str(target),
            actual_dimension=str(source),
        )
    return Fraction(quantity.value) * factor(quantity.unit) / factor(unit)
