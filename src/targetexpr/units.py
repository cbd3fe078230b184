"""Exact unit arithmetic over ``data/units.tsv`` and ``data/magnitudes.tsv``.

A unit's *dimension* says what it measures; two quantities compare only within one dimension.
A count's dimension includes its classifier (个 and 次 are different things), a compound unit's
includes its denominators (元/人 is not 元/户).  Factors are exact :class:`~fractions.Fraction`
values (1 亩 = 2000/3 平方米), so conversions never round.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import NamedTuple

from . import datafiles as _data
from .errors import UnitMismatchError
from .i18n import N_, gettext, say
from .nodes import Quantity, Unit

__all__ = ["Dimension", "convert", "describe", "dimension", "factor", "is_percent", "to_base"]


class Dimension(NamedTuple):
    """What a unit measures: the numerator's dimension and the denominators'.

    ``str()`` is a stable English name (``"money"``, ``"a count of 次"``), kept in the dimension
    fields of :class:`~targetexpr.UnitMismatchError`; :meth:`human` is the name in the language in
    effect, for messages.
    """

    base: str
    per: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = _DIMENSION_NAMES.get(self.base) or (
            f"a count of {self.base[6:]}" if self.base.startswith("count:") else self.base
        )
        if self.per:
            text += " per " + " per ".join(_atom_name(p) for p in self.per)
        return text

    def human(self) -> str:
        """The dimension's name in the language in effect (货币金额, 以“次”计的数量 …)."""
        name = _DIMENSION_NAMES.get(self.base)
        if name is not None:
            text = gettext(name)
        elif self.base.startswith("count:"):
            text = say("a count of {unit}", unit=self.base[6:])
        else:
            text = self.base
        for per in self.per:
            name = _DIMENSION_NAMES.get(per)
            text = say("{dimension} per {per}", dimension=text, per=gettext(name) if name else _atom_name(per))
        return text


#: Stable English names of the dimensions (``str(Dimension)``), translated by :meth:`Dimension.human`.
_DIMENSION_NAMES = {
    "number": N_("a plain number"),
    "money": N_("money"),
    "percent": N_("a percentage"),
    "percentage_point": N_("percentage points"),
    "time": N_("a duration"),
    "workday": N_("working days"),
    "calendar": N_("calendar months/years"),
    "semester": N_("semesters"),
    "length": N_("a length"),
    "area": N_("an area"),
    "volume": N_("a volume"),
    "mass": N_("a mass"),
    "power": N_("a power"),
    "energy": N_("an energy"),
    "multiple": N_("a multiple"),
    "score": N_("points of a score"),
    "data": N_("an amount of data"),
    "bandwidth": N_("a bandwidth"),
    "voltage": N_("a voltage"),
    "apparent_power": N_("an apparent power"),
    "money:usd": N_("money in US dollars"),
    "school_year": N_("school years"),
}
_PLAIN_NUMBER = N_("a plain number")


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
        counted = _counted(name)
        return counted if counted is not None else (f"count:{name}", Fraction(1))
    if info.dimension == "count":
        return f"count:{info.canonical}", info.factor
    return info.dimension, info.factor


_COUNTED = re.compile(r"(?P<num>[0-9]+(?:\.[0-9]+)?)?(?P<rest>[^0-9]+)")


def _counted(name: str) -> tuple[str, Fraction] | None:
    """A denominator with its own quantity (``100公里`` of 元/100公里, ``万元`` of 吨/万元): the
    dimension of its unit, and a factor that many times the unit's, so 500元/100公里 converts exactly
    to 5元/公里."""
    m = _COUNTED.fullmatch(name)
    if m is None:
        return None
    size = Fraction(m.group("num") or 1)
    rest = m.group("rest")
    magnitudes = _data.magnitudes()
    mag = next((w for w in sorted(magnitudes, key=len, reverse=True) if rest.startswith(w) and rest != w), "")
    if not (m.group("num") or mag):
        return None
    info = _data.units().get(rest[len(mag) :]) or _by_canonical().get(rest[len(mag) :])
    if info is None:
        return None
    size *= Fraction(magnitudes[mag]) if mag else 1
    dim = f"count:{info.canonical}" if info.dimension == "count" else info.dimension
    return dim, size * info.factor


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
    """``"4次 (a count of 次)"``: a quantity and its dimension, for error messages (in the language
    in effect)."""
    return say("{quantity} ({dimension})", quantity=str(quantity), dimension=dimension(quantity.unit).human())


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
            say(
                "{quantity} cannot be converted to {unit} ({dimension})",
                quantity=describe(quantity),
                unit=str(unit) if unit is not None else gettext(_PLAIN_NUMBER),
                dimension=target.human(),
            ),
            target=str(unit) if unit is not None else None,
            actual=str(quantity),
            target_dimension=str(target),
            actual_dimension=str(source),
        )
    return Fraction(quantity.value) * factor(quantity.unit) / factor(unit)
