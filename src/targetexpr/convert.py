"""Exact unit conversion of quantities and date resolution of deadlines.

:meth:`Quantity.to <targetexpr.Quantity.to>` and :meth:`Deadline.resolve <targetexpr.Deadline.resolve>`
delegate here (imported when called: see ``ALLOWED_CALL_TIME`` in ``tests/test_architecture.py``);
the functions can be called directly too.

>>> from targetexpr import parse
>>> parse("≤400 万元").quantity.to("元")
Quantity(value=Decimal('4000000'), unit=Unit(base='元', prefix='', per=()))
>>> parse("2022年6月底前").resolve()
datetime.date(2022, 6, 30)
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from fractions import Fraction

from . import datafiles
from .errors import TargetValueError, UnitMismatchError
from .i18n import gettext, say
from .nodes import CalendarDate, Deadline, Quantity, Unit
from .parser import parse_unit
from .units import convert, dimension, factor

__all__ = ["base_unit", "date_bounds", "exact_decimal", "quantity_to", "resolve_deadline", "unit_factor", "unit_of"]


def unit_of(text: str) -> Unit | None:
    """The unit written as ``text`` (``"万元"``, ``"公里"``, ``"%"``); blank text is no unit (a plain number).

    Raises :class:`TargetValueError` for text that is not a unit.
    """
    return parse_unit(text) if text.strip() else None


def exact_decimal(value: Fraction) -> Decimal | None:
    """``value`` as an exact :class:`Decimal`, or ``None`` when it has no finite decimal form (2000/3)."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return None
    places = max(twos, fives)
    scaled = value * 10**places
    assert scaled.denominator == 1
    return Decimal(scaled.numerator).scaleb(-places)


def quantity_to(quantity: Quantity, unit: str | Unit | None) -> Quantity:
    """``quantity`` expressed exactly in ``unit`` (text such as ``"元"``, a :class:`Unit`, or ``None``).

    Raises :class:`UnitMismatchError` when the dimensions differ (元 and 次, 天 and 工作日) or the
    result has no finite decimal form (1 平方米 in 亩), and :class:`TargetValueError` when ``unit``
    is not a unit or the result is out of the range a :class:`Quantity` holds.

    >>> from decimal import Decimal
    >>> quantity_to(Quantity(Decimal("1.5"), Unit("公里")), "米").value
    Decimal('1500')
    """
    target = unit_of(unit) if isinstance(unit, str) else unit
    value = exact_decimal(convert(quantity, target))
    if value is None:
        raise UnitMismatchError(
            say(
                "{quantity} has no exact decimal value in {unit}",
                quantity=str(quantity),
                unit=str(target) if target is not None else gettext("a plain number"),
            ),
            actual=str(quantity),
            target=str(target),
        )
    return Quantity(value, target)


@functools.cache
def _base_names() -> dict[str, str]:
    """The dimension → the canonical name of its base unit (the unit whose factor is 1), from ``data/units.tsv``."""
    names: dict[str, str] = {}
    for info in datafiles.units().values():
        if info.factor == 1:
            names.setdefault(dimension(Unit(info.canonical)).base, info.canonical)
    return names


def _base_atom(name: str) -> str:
    dim = dimension(Unit(name)).base
    return name if dim.startswith("count:") else _base_names().get(dim, name)


@functools.lru_cache(maxsize=4096)
def base_unit(unit: Unit | None) -> Unit | None:
    """The base unit of ``unit``'s dimension, without magnitude: 万元 → 元, 公里 → 米, 万人次 → 人次.

    >>> str(base_unit(Unit("元", prefix="万")))
    '元'
    """
    if unit is None or not unit.base:
        return None
    return Unit(_base_atom(unit.base), "", tuple(_base_atom(p) for p in unit.per))


@functools.lru_cache(maxsize=4096)
def unit_factor(unit: Unit | None) -> Fraction:
    """Exact size of one ``unit`` in :func:`base_unit` (万元 → 10000, 亩 → 2000/3)."""
    return factor(unit) / factor(base_unit(unit))


def date_bounds(date: CalendarDate, year: int | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``date`` at its precision (a year, a half, a quarter, a month, a day).

    ``year`` stands in for a missing year; without either, :class:`TargetValueError`.
    """
    y = date.year if date.year is not None else year
    if y is None:
        shown = str(date) if date is not None else gettext("the date")
        raise TargetValueError(say("the year of {date} is unknown: pass the budget year", date=shown))
    if date.day is not None:
        assert date.month is not None
        day = datetime.date(y, date.month, date.day)
        return day, day
    if date.month is not None:
        months = (date.month, date.month)
    elif date.quarter is not None:
        months = (date.quarter * 3 - 2, date.quarter * 3)
    elif date.half is not None:
        months = (date.half * 6 - 5, date.half * 6)
    else:
        months = (1, 12)
    after = datetime.date(y + 1, 1, 1) if months[1] == 12 else datetime.date(y, months[1] + 1, 1)
    return datetime.date(y, months[0], 1), after - datetime.timedelta(days=1)


def resolve_deadline(deadline: Deadline, year: int | None = None) -> datetime.date:
    """The last day that meets ``deadline`` (as :func:`targetexpr.evaluate` judges it).

    ``2022年12月31日前`` → 2022-12-31 (the day counts by default); ``6月底前`` with ``year=2022`` →
    2022-06-30; ``2022年6月30日前(不含当日)`` → 2022-06-29.  ``year`` is used only when the deadline
    has none; without either, :class:`TargetValueError`.
    """
    first, last = date_bounds(deadline.date, year)
    if deadline.inclusive:
        return last
    return (last if deadline.date.end else first) - datetime.timedelta(days=1)
