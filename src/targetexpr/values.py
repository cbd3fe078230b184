"""The building blocks of targets: comparators and directions, spans, words, units, quantities and
calendar dates, each a frozen ``attrs`` class with its canonical text.

Numbers are :class:`~decimal.Decimal` and keep what was written (``856.80`` renders as ``856.80``),
but ``Decimal`` equality ignores trailing zeros.  This module imports neither lark nor hypothesis.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import attrs

from . import datafiles as _data
from .errors import TargetValueError, brief
from .i18n import gettext, say

__all__ = ["CalendarDate", "Change", "Direction", "Op", "Polarity", "Quantity", "Span", "Unit", "Words"]

#: Largest decimal exponent accepted for a value (1e20 is far beyond any budget, even in 亿元).
_MAX_ADJUSTED = 20
_MIN_EXPONENT = -12


class Op(enum.Enum):
    """A comparator, with the symbol used in canonical text."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="
    APPROX = "≈"

    @property
    def inclusive(self) -> bool:
        """Whether the bound itself satisfies the comparator (本数 included)."""
        return self in (Op.GE, Op.LE, Op.EQ, Op.APPROX)

    @property
    def direction(self) -> Direction:
        """正向 for ≥ and >, 反向 for ≤ and <, equal for = and ≈."""
        if self in (Op.GE, Op.GT):
            return Direction.HIGHER
        if self in (Op.LE, Op.LT):
            return Direction.LOWER
        return Direction.EQUAL

    @property
    def mirrored(self) -> Op:
        """The comparator read from the other side (≥ ↔ ≤, > ↔ <; = and ≈ stay): what a bound on a
        decrease says about the signed change."""
        return _MIRRORED.get(self, self)


_MIRRORED = {Op.GE: Op.LE, Op.GT: Op.LT, Op.LE: Op.GE, Op.LT: Op.GT}


class Direction(enum.Enum):
    """Which way is better: 正向 (higher), 反向 (lower), or equal."""

    HIGHER = "higher"
    LOWER = "lower"
    EQUAL = "equal"


class Change(enum.Enum):
    """The direction of change in a relative target (增长 / 下降)."""

    UP = "up"
    DOWN = "down"


class Polarity(enum.Enum):
    """Whether a qualitative label affirms, partly affirms or denies its category."""

    POSITIVE = "positive"
    PARTIAL = "partial"
    NEGATIVE = "negative"


def _of(*types: type, optional: bool = False) -> Any:
    """An attrs validator: the field holds one of ``types`` (``None`` too when ``optional``).

    Raises :class:`TargetValueError`, so that a node built by hand with a wrong field (a string for an
    :class:`Op`, an ``int`` for a label) is rejected where it is built, with the library's own error,
    instead of failing later inside ``evaluate`` or ``str``.  ``bool`` is not an ``int`` here.
    """
    names = [t.__name__ for t in types] + (["None"] if optional else [])

    def check(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            message = say(
                "{owner}.{attribute} must be {types}, not {type}",
                owner=type(inst).__name__,
                attribute=attribute.name,
                types=gettext(" or ").join(names),
                type=type(value).__name__,
            )
            raise TargetValueError(message, field=attribute.name)

    return check


def _check_decimal(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal):
        message = say("{attribute} must be a Decimal, got {type}", attribute=attribute.name, type=type(value).__name__)
        raise TargetValueError(message, field=attribute.name)
    if not value.is_finite():
        message = say("{attribute} must be finite, got {value}", attribute=attribute.name, value=value)
        raise TargetValueError(message, field=attribute.name)
    # Bounding the exponent both ways also bounds the digits (at most 33), so nothing is huge.
    if value and (value.adjusted() > _MAX_ADJUSTED or value.as_tuple()[2] < _MIN_EXPONENT):  # type: ignore[operator]
        message = say(
            "{attribute} {value} is out of range (at most {digits} integer digits and {places} decimal places)",
            attribute=attribute.name,
            value=str(value)[:40],
            digits=_MAX_ADJUSTED + 1,
            places=-_MIN_EXPONENT,
        )
        raise TargetValueError(message, field=attribute.name)


@attrs.frozen(cache_hash=True)
class Span:
    """Half-open ``[start, end)`` character range in the original text."""

    start: int = attrs.field(validator=_of(int))
    end: int = attrs.field(validator=_of(int))


def _span_field() -> Any:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True, validator=_of(Span, optional=True))


def _written_field() -> Any:
    # The cell as written (before normalisation), set by parse(): like the span, no part of
    # equality, hashing or repr, so two spellings of one target stay equal.
    return attrs.field(default=None, eq=False, repr=False, kw_only=True, validator=_of(str, optional=True))


def _plain_words(_: Any, __: Any, value: Any) -> None:
    # Digits only inside a bracketed aside whose numbers are no target ("(满分5分)", data/asides.tsv).
    if not isinstance(value, str) or (
        any(c.isdigit() for c in value) and any(c.isdigit() for c in _data.aside_pattern().sub("", value))
    ):
        raise TargetValueError(
            say("the words around a target are text without digits, not {value}", value=brief(value))
        )


@attrs.frozen(cache_hash=True)
class Words:
    """The words a cell writes around its measurable core, kept as written: ``完成河道清淤320米`` is the
    value ``320米`` with ``before="完成河道清淤"``; ``6月底前到位`` is a deadline with ``after="到位"``.
    They say what is counted and the verb; they never change what the core means."""

    before: str = attrs.field(default="", validator=_plain_words)
    after: str = attrs.field(default="", validator=_plain_words)


def _words_field() -> Any:
    # Part of equality (the words are part of the cell), not of repr (reprs stay short).
    return attrs.field(default=None, repr=False, kw_only=True, validator=_of(Words, optional=True))


def _tuple(value: object, what: str) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TargetValueError(say("{what} must be a sequence, not {type}", what=what, type=type(value).__name__))
    return tuple(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    items = _tuple(value, "Unit.per")
    for item in items:
        if not isinstance(item, str) or not item:
            raise TargetValueError(say("Unit.per holds unit names, not {value}", value=brief(item)), field="per")
    return items


def _quantity_tuple(value: Iterable[Quantity]) -> tuple[Quantity, ...]:
    items = _tuple(value, "FreeText.quantities")
    for item in items:
        if not isinstance(item, Quantity):
            raise TargetValueError(say("FreeText.quantities holds quantities, not {type}", type=type(item).__name__))
    return items


def _check_prefix(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    from . import datafiles as _data

    if not isinstance(value, str):
        raise TargetValueError(say("Unit.prefix must be str, not {type}", type=type(value).__name__), field="prefix")
    if value and value not in _data.magnitudes():
        known = ", ".join(_data.magnitudes())
        message = say(
            "Unit.prefix must be a magnitude ({known}) or empty, not {value}", known=known, value=brief(value)
        )
        raise TargetValueError(message, field="prefix")


@attrs.frozen(cache_hash=True)
class Unit:
    """A unit: an optional magnitude prefix (万, 亿 …), a base unit, and denominators.

    ``Unit("元", prefix="万")`` is 万元; ``Unit("元", per=("人", "个月"))`` is 元/人·月.  Base and
    denominators are canonical spellings from ``data/units.tsv`` (``km`` is stored as 公里), or any
    single character for a classifier the table does not list.
    """

    base: str = attrs.field(validator=_of(str))
    prefix: str = attrs.field(default="", validator=_check_prefix)
    per: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def __str__(self) -> str:
        return render_unit(self)


@attrs.frozen(cache_hash=True)
class Quantity:
    """A number with an optional unit (``None``: the target gave no unit, e.g. ``≤4``)."""

    value: Decimal = attrs.field(validator=_check_decimal)
    unit: Unit | None = attrs.field(default=None, validator=_of(Unit, optional=True))

    def __str__(self) -> str:
        return render_quantity(self)

    def to(self, unit: str | Unit | None) -> Quantity:
        """This quantity exactly in ``unit`` (``"元"``, a :class:`Unit`, ``None``): see :mod:`targetexpr.convert`."""
        from .convert import quantity_to  # at call time, an allowed upward import (tests/test_architecture.py)

        return quantity_to(self, unit)


# A trusted constructor: what a reader uses for a value it has built and checked itself.  It sets
# every slot as the attrs ``__init__`` does but runs no validator (a validated Quantity costs three
# times as much, a tenth of the usual cell's parse, #11), through the slots' own setters (a third
# cheaper than ``object.__setattr__``).  The public constructor keeps validating;
# tests/test_fast_path.py checks slot by slot that a trusted node equals the validated one.
_new = object.__new__


def slot_setters(cls: type, *names: str) -> tuple[Callable[[object, object], None], ...]:
    """The setters of the slots ``names`` of the slotted ``attrs`` class ``cls``: ``setter(node, value)``
    sets a slot of a node no one has seen yet, frozen or not."""
    return tuple(cls.__dict__[name].__set__ for name in names)


_SET_VALUE, _SET_UNIT, _SET_QUANTITY_HASH = slot_setters(Quantity, "value", "unit", "_attrs_cached_hash")


def trusted_quantity(value: Decimal, unit: Unit | None) -> Quantity:
    """``Quantity(value, unit)`` without its validators: only for a finite ``Decimal`` within the
    bounds :class:`Quantity` checks (at most 21 integer digits, 12 decimal places) and a
    :class:`Unit` or ``None``, as the fast path's numbers are."""
    quantity: Quantity = _new(Quantity)
    _SET_VALUE(quantity, value)
    _SET_UNIT(quantity, unit)
    _SET_QUANTITY_HASH(quantity, None)
    return quantity


def _days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` in ``year`` (Gregorian; what ``calendar.monthrange`` says,
    without importing ``calendar``, which pulls in ``datetime`` and ``locale``: 5-10 ms of the first
    date parsed)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@attrs.frozen(cache_hash=True)
class CalendarDate:
    """A calendar point or period: a year, a month, a day, a quarter or a half-year.

    ``year`` is ``None`` when the text omitted it (``6月底前``) and no ``year=`` was given.
    ``end`` records that the text said 底/末 (the last day of the period).  Precision is the
    finest field set: day, month, quarter, half or year.
    """

    year: int | None = attrs.field(validator=_of(int, optional=True))
    month: int | None = attrs.field(default=None, validator=_of(int, optional=True))
    day: int | None = attrs.field(default=None, validator=_of(int, optional=True))
    quarter: int | None = attrs.field(default=None, validator=_of(int, optional=True))
    half: int | None = attrs.field(default=None, validator=_of(int, optional=True))
    end: bool = attrs.field(default=False, validator=_of(bool))

    def __attrs_post_init__(self) -> None:
        if self.year is not None and not (1900 <= self.year <= 2099):
            raise TargetValueError(say("year {year} is outside 1900–2099", year=brief(self.year)), field="year")
        if self.month is not None and not (1 <= self.month <= 12):
            raise TargetValueError(say("month {month} does not exist", month=brief(self.month)), field="month")
        if self.quarter is not None and not (1 <= self.quarter <= 4):
            raise TargetValueError(
                say("quarter {quarter} does not exist", quarter=brief(self.quarter)), field="quarter"
            )
        if self.half is not None and self.half not in (1, 2):
            raise TargetValueError(say("half-year {half} does not exist", half=brief(self.half)), field="half")
        kinds = sum(x is not None for x in (self.month, self.quarter, self.half))
        if kinds > 1:
            raise TargetValueError(say("a date has a month, a quarter or a half-year, not several"))
        if self.day is not None:
            if self.month is None:
                raise TargetValueError(say("a day needs a month"), field="day")
            # Without a year, February may have 29 days.
            last = _days_in_month(self.year if self.year is not None else 2000, self.month)
            if not (1 <= self.day <= last):
                where = f"{self.year}年" if self.year is not None else ""
                message = say("{month} has no day {day}", month=where + str(self.month) + "月", day=brief(self.day))
                raise TargetValueError(message, field="day")
            if self.end:
                raise TargetValueError(say("底/末 (end) applies to a month, quarter, half-year or year, not a day"))

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"``, ``"quarter"``, ``"half"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.quarter is not None:
            return "quarter"
        if self.half is not None:
            return "half"
        return "year"

    def __str__(self) -> str:
        return render_date(self)


# --- canonical text of the building blocks -------------------------------------------------------


def render_unit(unit: Unit) -> str:
    """``万元``, ``元/人·个月``, ``%``."""
    text = unit.prefix + unit.base
    if unit.per:
        text += "/" + "·".join(unit.per)
    return text


def render_quantity(quantity: Quantity) -> str:
    """``99.9%``, ``400万元``, ``15个``, ``43.2``."""
    text = format(quantity.value, "f")
    if quantity.unit is not None:
        text += render_unit(quantity.unit)
    return text


def date_end(date: CalendarDate) -> str:
    """The mark of a date's end as a period writes it (``4月-12月底``, ``第4季度末``), or ``""``."""
    return ("末" if date.precision in ("quarter", "half") else "底") if date.end else ""


def render_date(date: CalendarDate) -> str:
    """``2022年12月31日``, ``6月``, ``2022年第3季度``, ``上半年``, ``2022年`` (``""`` for an unknown year)."""
    year = f"{date.year}年" if date.year is not None else ""
    if date.day is not None:
        return f"{year}{date.month}月{date.day}日"
    if date.month is not None:
        return f"{year}{date.month}月"
    if date.quarter is not None:
        return f"{year}第{date.quarter}季度"
    if date.half is not None:
        return f"{year}{'上' if date.half == 1 else '下'}半年"
    return year
