"""The typed, immutable AST of a target value (指标值).

Every node is a frozen, slotted ``attrs`` class.  Equality is structural: nodes meaning the same target are equal,
whatever the spelling (``≥95%`` and ``不低于95%``).  Numbers are :class:`~decimal.Decimal` and keep what was written
(``856.80`` renders as ``856.80``), but ``Decimal`` equality ignores trailing zeros: ``856.80`` equals ``856.8``.

``span`` fields index the *original* text given to :func:`targetexpr.parse`; they take no part in equality or hashing.

This module imports neither lark nor hypothesis.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import attrs

from .errors import TargetValueError, brief

__all__ = [
    "TARGET_CLASSES",
    "CalendarDate",
    "Change",
    "Comparison",
    "Compound",
    "Deadline",
    "Direction",
    "FreeText",
    "Masked",
    "Op",
    "Period",
    "Polarity",
    "Qualitative",
    "Quantity",
    "Range",
    "Relative",
    "Span",
    "Target",
    "Unit",
    "Value",
]

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
    names = " or ".join([t.__name__ for t in types] + (["None"] if optional else []))

    def check(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            raise TargetValueError(
                f"{type(inst).__name__}.{attribute.name} must be {names}, not {type(value).__name__}",
                field=attribute.name,
            )

    return check


def _check_decimal(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal):
        raise TargetValueError(f"{attribute.name} must be a Decimal, got {type(value).__name__}", field=attribute.name)
    if not value.is_finite():
        raise TargetValueError(f"{attribute.name} must be finite, got {value}", field=attribute.name)
    # Bounding the exponent both ways also bounds the digits (at most 33), so nothing is huge.
    if value and (value.adjusted() > _MAX_ADJUSTED or value.as_tuple()[2] < _MIN_EXPONENT):  # type: ignore[operator]
        raise TargetValueError(
            f"{attribute.name} {value!s:.40} is out of range (at most {_MAX_ADJUSTED + 1} integer "
            f"digits and {-_MIN_EXPONENT} decimal places)",
            field=attribute.name,
        )


@attrs.frozen(cache_hash=True)
class Span:
    """Half-open ``[start, end)`` character range in the original text."""

    start: int = attrs.field(validator=_of(int))
    end: int = attrs.field(validator=_of(int))


def _span_field() -> Any:
    return attrs.field(default=None, eq=False, repr=False, kw_only=True, validator=_of(Span, optional=True))


def _tuple(value: object, what: str) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TargetValueError(f"{what} must be a sequence, not {type(value).__name__}")
    return tuple(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    items = _tuple(value, "Unit.per")
    for item in items:
        if not isinstance(item, str) or not item:
            raise TargetValueError(f"Unit.per holds unit names, not {brief(item)}", field="per")
    return items


def _target_tuple(value: Iterable[Target]) -> tuple[Target, ...]:
    items = _tuple(value, "Compound.parts")
    for item in items:
        if isinstance(item, Compound):
            # The parser never nests compounds, and "a;b;c" reads back flat: a nested compound
            # would break parse(str(t)) == t and could nest without limit.
            raise TargetValueError("a compound target's parts are not compounds themselves", field="parts")
        if not isinstance(item, _TargetBase):
            raise TargetValueError(f"Compound.parts holds targets, not {type(item).__name__}", field="parts")
    return items


def _quantity_tuple(value: Iterable[Quantity]) -> tuple[Quantity, ...]:
    items = _tuple(value, "FreeText.quantities")
    for item in items:
        if not isinstance(item, Quantity):
            raise TargetValueError(f"FreeText.quantities holds quantities, not {type(item).__name__}")
    return items


def _check_prefix(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    from . import datafiles as _data

    if not isinstance(value, str):
        raise TargetValueError(f"Unit.prefix must be str, not {type(value).__name__}", field="prefix")
    if value and value not in _data.magnitudes():
        known = ", ".join(_data.magnitudes())
        raise TargetValueError(
            f"Unit.prefix must be a magnitude ({known}) or empty, not {brief(value)}", field="prefix"
        )


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
            raise TargetValueError(f"year {brief(self.year)} is outside 1900–2099", field="year")
        if self.month is not None and not (1 <= self.month <= 12):
            raise TargetValueError(f"month {brief(self.month)} does not exist", field="month")
        if self.quarter is not None and not (1 <= self.quarter <= 4):
            raise TargetValueError(f"quarter {brief(self.quarter)} does not exist", field="quarter")
        if self.half is not None and self.half not in (1, 2):
            raise TargetValueError(f"half-year {brief(self.half)} does not exist", field="half")
        kinds = sum(x is not None for x in (self.month, self.quarter, self.half))
        if kinds > 1:
            raise TargetValueError("a date has a month, a quarter or a half-year, not several")
        if self.day is not None:
            import calendar  # here, not at import time: it pulls in datetime and locale

            if self.month is None:
                raise TargetValueError("a day needs a month", field="day")
            # Without a year, February may have 29 days.
            last = calendar.monthrange(self.year if self.year is not None else 2000, self.month)[1]
            if not (1 <= self.day <= last):
                where = f"{self.year}年" if self.year is not None else ""
                raise TargetValueError(f"{where}{self.month}月 has no day {brief(self.day)}", field="day")
            if self.end:
                raise TargetValueError("底/末 (end) applies to a month, quarter, half-year or year, not a day")

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


class _TargetBase:
    """Shared behaviour of the target node classes (canonical text, dict form)."""

    __slots__ = ()
    kind: ClassVar[str]

    def __str__(self) -> str:
        return render(self)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe dict form (see :func:`targetexpr.to_dict`)."""
        return to_dict(self)  # type: ignore[arg-type]


@attrs.frozen(cache_hash=True)
class Comparison(_TargetBase):
    """A quantity with a comparator: ``≥99.9%``, ``不超过400万元``, ``95%以上``."""

    kind: ClassVar[str] = "comparison"
    op: Op = attrs.field(validator=_of(Op))
    quantity: Quantity = attrs.field(validator=_of(Quantity))
    span: Span | None = _span_field()


@attrs.frozen(cache_hash=True)
class Value(_TargetBase):
    """A bare quantity with no comparator: ``15个``, ``365天``, ``100%``, ``0起``.

    Its meaning depends on the direction: at least for 正向, at most for 反向; a bare zero means
    "none at all".
    """

    kind: ClassVar[str] = "value"
    quantity: Quantity = attrs.field(validator=_of(Quantity))
    span: Span | None = _span_field()


@attrs.frozen(cache_hash=True)
class Range(_TargetBase):
    """A numeric range: ``85%-90%``, ``5-10个``, ``[90%,100%)``.  Both ends included by default."""

    kind: ClassVar[str] = "range"
    low: Quantity = attrs.field(validator=_of(Quantity))
    high: Quantity = attrs.field(validator=_of(Quantity))
    low_inclusive: bool = attrs.field(default=True, validator=_of(bool))
    high_inclusive: bool = attrs.field(default=True, validator=_of(bool))
    span: Span | None = _span_field()

    def __attrs_post_init__(self) -> None:
        if self.low.unit == self.high.unit and self.low.value > self.high.value:
            raise TargetValueError(f"the range {self.low}–{self.high} ends before it starts")


@attrs.frozen(cache_hash=True)
class Deadline(_TargetBase):
    """A date by which something must be done: ``2022年12月31日前``, ``年底前``, ``9月前``.

    ``inclusive`` says whether the deadline day itself counts (default ``True``; see
    ``docs/syntax.md``).  A bare date (``2020年``, ``2018年10月底``) is a deadline too.
    """

    kind: ClassVar[str] = "deadline"
    date: CalendarDate = attrs.field(validator=_of(CalendarDate))
    inclusive: bool = attrs.field(default=True, validator=_of(bool))
    span: Span | None = _span_field()

    def resolve(self, year: int | None = None) -> datetime.date:
        """The last day that meets this deadline (``year`` if it has none): see :mod:`targetexpr.convert`."""
        from .convert import resolve_deadline  # at call time, like Quantity.to

        return resolve_deadline(self, year)


@attrs.frozen(cache_hash=True)
class Period(_TargetBase):
    """A period of time: ``2023.07-2024.01``, ``2022年1月至12月``."""

    kind: ClassVar[str] = "period"
    start: CalendarDate = attrs.field(validator=_of(CalendarDate))
    end: CalendarDate = attrs.field(validator=_of(CalendarDate))
    span: Span | None = _span_field()


@attrs.frozen(cache_hash=True)
class Relative(_TargetBase):
    """A target relative to a baseline: ``较上年增长5%``, ``同比下降10%``, ``不低于上年``.

    ``reference`` names the baseline (``"上年"``, ``"上年同期"``, ``"预算"`` …) or is ``None`` when
    the text does not say (``增长5%``).  ``change`` is up, down or ``None`` (``不低于上年``,
    ``与上年持平``).  ``amount`` is the size of the change: a percentage is a ratio of the baseline,
    ``百分点`` an absolute difference of percentages, any other unit an absolute amount.  ``op`` is
    the comparator on the change (``None``: written bare, read as "at least").
    """

    kind: ClassVar[str] = "relative"
    reference: str | None = attrs.field(validator=_of(str, optional=True))
    change: Change | None = attrs.field(validator=_of(Change, optional=True))
    op: Op | None = attrs.field(default=None, validator=_of(Op, optional=True))
    amount: Quantity | None = attrs.field(default=None, validator=_of(Quantity, optional=True))
    span: Span | None = _span_field()

    def __attrs_post_init__(self) -> None:
        if self.change is None and self.amount is not None:
            raise TargetValueError("a relative amount needs a change (增长/下降)")
        if self.change is None and self.op is None:
            raise TargetValueError("a relative target without a change needs a comparator")


@attrs.frozen(cache_hash=True)
class Qualitative(_TargetBase):
    """A qualitative value (定性): ``及时``, ``持续改善``, ``是``, ``优良``, ``无重大安全事故``.

    ``category`` comes from the vocabulary ``data/qualitative.tsv`` (``None`` for a label it does not
    list); ``polarity`` says whether the label affirms (及时), partly affirms (部分达成) or denies
    (不及时) its category.
    """

    kind: ClassVar[str] = "qualitative"
    label: str = attrs.field(validator=_of(str))
    category: str | None = attrs.field(validator=_of(str, optional=True))
    polarity: Polarity = attrs.field(default=Polarity.POSITIVE, validator=_of(Polarity))
    span: Span | None = _span_field()


@attrs.frozen(cache_hash=True)
class Masked(_TargetBase):
    """A value whose digits were hidden by the publisher: ``≤****000元``.

    The comparator and the unit are kept; the value cannot be evaluated.
    """

    kind: ClassVar[str] = "masked"
    op: Op | None = attrs.field(validator=_of(Op, optional=True))
    digits: str = attrs.field(validator=_of(str))
    unit: Unit | None = attrs.field(default=None, validator=_of(Unit, optional=True))
    span: Span | None = _span_field()


@attrs.frozen(cache_hash=True)
class Compound(_TargetBase):
    """Several targets in one cell, separated by ``,`` or ``;``: ``≥95%;无投诉``."""

    kind: ClassVar[str] = "compound"
    parts: tuple[Target, ...] = attrs.field(converter=_target_tuple)
    span: Span | None = _span_field()

    def __attrs_post_init__(self) -> None:
        if len(self.parts) < 2:
            raise TargetValueError("a compound target has at least two parts")


@attrs.frozen(cache_hash=True)
class FreeText(_TargetBase):
    """Descriptive text that is not a measurable target, kept verbatim with the quantities in it.

    ``保障大楼安全运转,排除风险隐患``; ``完成项目主体工程70%`` (quantities: 70%).
    """

    kind: ClassVar[str] = "text"
    text: str = attrs.field(validator=_of(str))
    quantities: tuple[Quantity, ...] = attrs.field(default=(), converter=_quantity_tuple)
    span: Span | None = _span_field()


Target: TypeAlias = (
    Comparison | Value | Range | Deadline | Period | Relative | Qualitative | Masked | Compound | FreeText
)

#: Every target node class, keyed by its ``kind`` tag.
TARGET_CLASSES: dict[str, type[Target]] = {
    cls.kind: cls
    for cls in (Comparison, Value, Range, Deadline, Period, Relative, Qualitative, Masked, Compound, FreeText)
}

if TYPE_CHECKING:  # pragma: no cover
    import datetime

    _check: Target = Comparison(Op.GE, Quantity(Decimal(1)))


# --- canonical text -----------------------------------------------------------------------------
#
# What ``str(node)`` returns: one spelling per meaning (``≥`` for 不低于, ASCII digits, canonical
# units), chosen so that ``parse(str(t)) == t`` for every target ``t`` (with the default options).
# Numbers keep the digits they were written with (``856.80``).

_CHANGE_WORD = {Change.UP: "增长", Change.DOWN: "下降"}


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


def _deadline(node: Deadline) -> str:
    date = node.date
    exclusive = "" if node.inclusive else ("(不含当日)" if date.precision == "day" else "(不含)")
    if date.precision == "year":
        year = f"{date.year}年" if date.year is not None else "年"
        if date.end:
            return f"{year}底前{exclusive}"
        return f"{year}内{exclusive}"
    end = ""
    if date.end:
        end = "末" if date.precision in ("quarter", "half") else "底"
    return f"{render_date(date)}{end}前{exclusive}"


def _reference_prefix(reference: str | None) -> str:
    if reference is None:
        return ""
    if reference == "上年同期":
        return "同比"
    if reference == "上期":
        return "环比"
    return f"较{reference}"


def _relative(node: Relative) -> str:
    if node.change is None:
        assert node.op is not None
        if node.op is Op.EQ:
            return f"与{node.reference}持平"
        return f"{node.op.value}{node.reference}"
    prefix = _reference_prefix(node.reference)
    word = _CHANGE_WORD[node.change]
    if node.amount is None:
        if node.op is Op.GT:
            return f"{prefix}有所{word}"
        if node.op is None:
            return f"{prefix}{word}"
        # A comparator without an amount cannot be written in the grammar; say it with zero.
        return f"{prefix}{word}{node.op.value}0"
    op = node.op.value if node.op is not None else ""
    return f"{prefix}{word}{op}{render_quantity(node.amount)}"


def render(node: Target) -> str:
    """Canonical text of a target (what ``str(node)`` returns)."""
    if isinstance(node, Comparison):
        return node.op.value + render_quantity(node.quantity)
    if isinstance(node, Value):
        return render_quantity(node.quantity)
    if isinstance(node, Range):
        low, high = render_quantity(node.low), render_quantity(node.high)
        if node.low_inclusive and node.high_inclusive:
            return f"{low}~{high}"
        return f"{'[' if node.low_inclusive else '('}{low},{high}{']' if node.high_inclusive else ')'}"
    if isinstance(node, Deadline):
        return _deadline(node)
    if isinstance(node, Period):
        return f"{render_date(node.start)}-{render_date(node.end)}"
    if isinstance(node, Relative):
        return _relative(node)
    if isinstance(node, Qualitative):
        return node.label
    if isinstance(node, Masked):
        op = node.op.value if node.op is not None else ""
        unit = render_unit(node.unit) if node.unit is not None else ""
        return f"{op}{node.digits}{unit}"
    if isinstance(node, Compound):
        return ";".join(render(p) for p in node.parts)
    if isinstance(node, FreeText):
        return node.text
    raise TypeError(f"not a target node: {node!r}")


# --- dict form ----------------------------------------------------------------------------------

_OP_NAMES = {op: op.name.lower() for op in Op}
_OPS_BY_NAME = {name: op for op, name in _OP_NAMES.items()}


def _unit_dict(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"base": unit.base, "prefix": unit.prefix, "per": list(unit.per)}


def _quantity_dict(q: Quantity | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {"value": str(q.value), "unit": _unit_dict(q.unit)}


def _date_dict(d: CalendarDate) -> dict[str, Any]:
    return {"year": d.year, "month": d.month, "day": d.day, "quarter": d.quarter, "half": d.half, "end": d.end}


def to_dict(node: Target) -> dict[str, Any]:
    """The JSON-safe dict of a target, tagged with ``"kind"``; numbers are strings.

    >>> from targetexpr import parse
    >>> to_dict(parse("≤400 万元"))
    {'kind': 'comparison', 'op': 'le', 'quantity': {'value': '400', 'unit': {'base': '元', 'prefix': '万', 'per': []}}}
    """
    kind = getattr(node, "kind", None)
    if kind not in TARGET_CLASSES or not isinstance(node, TARGET_CLASSES[kind]):
        raise TargetValueError(f"not a target node: {type(node).__name__}")
    out: dict[str, Any] = {"kind": kind}
    if isinstance(node, Comparison):
        out.update(op=_OP_NAMES[node.op], quantity=_quantity_dict(node.quantity))
    elif isinstance(node, Value):
        out.update(quantity=_quantity_dict(node.quantity))
    elif isinstance(node, Range):
        out.update(
            low=_quantity_dict(node.low),
            high=_quantity_dict(node.high),
            low_inclusive=node.low_inclusive,
            high_inclusive=node.high_inclusive,
        )
    elif isinstance(node, Deadline):
        out.update(date=_date_dict(node.date), inclusive=node.inclusive)
    elif isinstance(node, Period):
        out.update(start=_date_dict(node.start), end=_date_dict(node.end))
    elif isinstance(node, Relative):
        out.update(
            reference=node.reference,
            change=node.change.value if node.change is not None else None,
            op=_OP_NAMES[node.op] if node.op is not None else None,
            amount=_quantity_dict(node.amount),
        )
    elif isinstance(node, Qualitative):
        out.update(label=node.label, category=node.category, polarity=node.polarity.value)
    elif isinstance(node, Masked):
        out.update(
            op=_OP_NAMES[node.op] if node.op is not None else None, digits=node.digits, unit=_unit_dict(node.unit)
        )
    elif isinstance(node, Compound):
        out.update(parts=[to_dict(p) for p in node.parts])
    elif isinstance(node, FreeText):
        out.update(text=node.text, quantities=[_quantity_dict(q) for q in node.quantities])
    return out
