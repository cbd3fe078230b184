"""The typed, immutable AST of a target value (指标值).

Every node is a frozen, slotted ``attrs`` class.  Equality is structural: nodes meaning the same target are equal,
whatever the spelling (``≥95%`` and ``不低于95%``).  Numbers are :class:`~decimal.Decimal` and keep what was written
(``856.80`` renders as ``856.80``), but ``Decimal`` equality ignores trailing zeros: ``856.80`` equals ``856.8``.

``span`` fields index the *original* text given to :func:`targetexpr.parse`, and ``written`` holds that text as given
(before normalisation: the cell as the officer wrote it); neither takes part in equality, hashing or repr.

Renderings: ``str(t)`` is the canonical text (``parse(str(t)) == t``); ``format(t, "zh")`` says the target in a budget
officer's words (``不低于95%``, ``2022年12月31日前完成``) and ``format(t, "en")`` in plain English
(:mod:`targetexpr.renderings`).

This module imports neither lark nor hypothesis.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import attrs

from .errors import TargetValueError
from .i18n import N_, gettext, say
from .values import (
    CalendarDate,
    Change,
    Direction,
    Op,
    Polarity,
    Quantity,
    Span,
    Unit,
    Words,
    _new,
    _of,
    _quantity_tuple,
    _span_field,
    _tuple,
    _words_field,
    _written_field,
    date_end,
    render_date,
    render_quantity,
    render_unit,
    slot_setters,
)

__all__ = [
    "FREE_TEXT_REASONS",
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
    "Words",
]


def _target_tuple(value: Iterable[Target]) -> tuple[Target, ...]:
    items = _tuple(value, "Compound.parts")
    for item in items:
        if isinstance(item, Compound):
            # The parser never nests compounds, and "a;b;c" reads back flat: a nested compound
            # would break parse(str(t)) == t and could nest without limit.
            raise TargetValueError(say("a compound target's parts are not compounds themselves"), field="parts")
        if not isinstance(item, _TargetBase):
            raise TargetValueError(
                say("Compound.parts holds targets, not {type}", type=type(item).__name__), field="parts"
            )
    return items


class _TargetBase:
    """Shared behaviour of the target node classes (canonical text, dict form)."""

    __slots__ = ()
    kind: ClassVar[str]

    def __str__(self) -> str:
        return render(self)  # type: ignore[arg-type]

    def __format__(self, spec: str) -> str:
        """``""``: the canonical text (``str(t)``); ``"zh"``: the officer's Chinese words (``不低于95%``);
        ``"en"``: plain English words (``at least 95%``).  See :mod:`targetexpr.renderings`."""
        if not spec:
            return render(self)  # type: ignore[arg-type]
        from .renderings import render_as  # at call time, like Quantity.to (tests/test_architecture.py)

        return render_as(self, spec)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe dict form (see :func:`targetexpr.to_dict`)."""
        return to_dict(self)  # type: ignore[arg-type]


@attrs.frozen(cache_hash=True)
class Comparison(_TargetBase):
    """A quantity with a comparator: ``≥99.9%``, ``不超过400万元``, ``95%以上``."""

    kind: ClassVar[str] = "comparison"
    op: Op = attrs.field(validator=_of(Op))
    quantity: Quantity = attrs.field(validator=_of(Quantity))
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    written: str | None = _written_field()


@attrs.frozen(cache_hash=True)
class Value(_TargetBase):
    """A bare quantity with no comparator: ``15个``, ``365天``, ``100%``, ``0起``.

    Its meaning depends on the direction: at least for 正向, at most for 反向; a bare zero means
    "none at all".
    """

    kind: ClassVar[str] = "value"
    quantity: Quantity = attrs.field(validator=_of(Quantity))
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    written: str | None = _written_field()


_COMPARISON_SETTERS = slot_setters(Comparison, "op", "quantity", "words", "span", "written", "_attrs_cached_hash")
_VALUE_SETTERS = slot_setters(Value, "quantity", "words", "span", "written", "_attrs_cached_hash")


def trusted_comparison(op: Op, quantity: Quantity, span: Span | None) -> Comparison:
    """``Comparison(op, quantity, span=span)`` without its validators, for a reader that built the
    fields itself (an :class:`Op`, a :class:`Quantity`, a :class:`Span` or ``None``): see
    :func:`targetexpr.values.trusted_quantity`."""
    node: Comparison = _new(Comparison)
    set_op, set_quantity, set_words, set_span, set_written, set_hash = _COMPARISON_SETTERS
    set_op(node, op)
    set_quantity(node, quantity)
    set_words(node, None)
    set_span(node, span)
    set_written(node, None)
    set_hash(node, None)
    return node


def trusted_value(quantity: Quantity, span: Span | None) -> Value:
    """``Value(quantity, span=span)`` without its validators (see :func:`trusted_comparison`)."""
    node: Value = _new(Value)
    set_quantity, set_words, set_span, set_written, set_hash = _VALUE_SETTERS
    set_quantity(node, quantity)
    set_words(node, None)
    set_span(node, span)
    set_written(node, None)
    set_hash(node, None)
    return node


@attrs.frozen(cache_hash=True)
class Range(_TargetBase):
    """A numeric range: ``85%-90%``, ``5-10个``, ``[90%,100%)``.  Both ends included by default."""

    kind: ClassVar[str] = "range"
    low: Quantity = attrs.field(validator=_of(Quantity))
    high: Quantity = attrs.field(validator=_of(Quantity))
    low_inclusive: bool = attrs.field(default=True, validator=_of(bool))
    high_inclusive: bool = attrs.field(default=True, validator=_of(bool))
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    written: str | None = _written_field()

    def __attrs_post_init__(self) -> None:
        if self.low.unit == self.high.unit and self.low.value > self.high.value:
            raise TargetValueError(
                say("the range {low}–{high} ends before it starts", low=str(self.low), high=str(self.high))
            )


@attrs.frozen(cache_hash=True)
class Deadline(_TargetBase):
    """A date by which something must be done: ``2022年12月31日前``, ``年底前``, ``9月前``.

    ``inclusive`` says whether the deadline day itself counts (default ``True``; see
    ``docs/syntax.md``).  A bare date (``2020年``, ``2018年10月底``) is a deadline too.
    ``recurring`` marks a deadline that comes back each year (``每年11月底前``): its date has no
    year, and it is judged against the evaluated year.
    """

    kind: ClassVar[str] = "deadline"
    date: CalendarDate = attrs.field(validator=_of(CalendarDate))
    inclusive: bool = attrs.field(default=True, validator=_of(bool))
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    recurring: bool = attrs.field(default=False, validator=_of(bool), kw_only=True)
    written: str | None = _written_field()

    def __attrs_post_init__(self) -> None:
        if self.recurring and (self.date.year is not None or self.date.month is None):
            raise TargetValueError(say("a recurring deadline (每年…) has a month and no year of its own"))

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
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    written: str | None = _written_field()


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
    words: Words | None = _words_field()
    span: Span | None = _span_field()
    written: str | None = _written_field()

    def __attrs_post_init__(self) -> None:
        if self.change is None and self.amount is not None:
            raise TargetValueError(say("a relative amount needs a change (增长/下降)"))
        if self.change is None and self.op is None:
            raise TargetValueError(say("a relative target without a change needs a comparator"))
        if self.change is None and self.reference is None and self.op is not Op.EQ:
            raise TargetValueError(say("a bound on a baseline needs the baseline (不低于上年)"))


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
    written: str | None = _written_field()


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
    written: str | None = _written_field()


@attrs.frozen(cache_hash=True)
class Compound(_TargetBase):
    """Several targets in one cell, separated by ``,`` or ``;``: ``≥95%;无投诉``."""

    kind: ClassVar[str] = "compound"
    parts: tuple[Target, ...] = attrs.field(converter=_target_tuple)
    span: Span | None = _span_field()
    written: str | None = _written_field()

    def __attrs_post_init__(self) -> None:
        if len(self.parts) < 2:
            raise TargetValueError(say("a compound target has at least two parts"))


#: Why a text was kept as free text: reason code -> the sentence that explains it (an English
#: message id, translated by :meth:`FreeText.explain`).
FREE_TEXT_REASONS: dict[str, str] = {
    "no_number": N_("it has no number and no date: a description, not a measurable target"),
    "in_sentence": N_("its number or date stands inside a sentence whose words are not a target"),
    "several": N_("it holds several numbers, dates or labels, and its words do not say which one is the target"),
}


def _date_tuple(value: Iterable[CalendarDate]) -> tuple[CalendarDate, ...]:
    items = _tuple(value, "FreeText.dates")
    for item in items:
        if not isinstance(item, CalendarDate):
            message = say("FreeText.dates holds dates, not {type}", type=type(item).__name__)
            raise TargetValueError(message, field="dates")
    return items


def _label_tuple(value: Iterable[str]) -> tuple[str, ...]:
    items = _tuple(value, "FreeText.labels")
    for item in items:
        if not isinstance(item, str) or not item:
            raise TargetValueError(say("FreeText.labels holds labels (non-empty text)"), field="labels")
    return items


def _check_reason(_: Any, __: Any, value: Any) -> None:
    if value is not None and value not in FREE_TEXT_REASONS:
        raise TargetValueError(
            say(
                "FreeText.reason is one of {choices} or None, not {value}",
                choices=", ".join(FREE_TEXT_REASONS),
                value=repr(value),
            ),
            field="reason",
        )


@attrs.frozen(cache_hash=True)
class FreeText(_TargetBase):
    """Descriptive text that is not a measurable target, kept verbatim with what was found in it.

    ``保障大楼安全运转,排除风险隐患``; ``每年增长5%`` (quantities: 5%).  The parser also gives
    every date (``dates``) and every label of the qualitative vocabulary (``labels``) found in it,
    and ``reason``, a code of :data:`FREE_TEXT_REASONS` saying why no single target could be read
    (:meth:`explain` gives the sentence).  All of them follow from the text.
    """

    kind: ClassVar[str] = "text"
    text: str = attrs.field(validator=_of(str))
    quantities: tuple[Quantity, ...] = attrs.field(default=(), converter=_quantity_tuple)
    span: Span | None = _span_field()
    dates: tuple[CalendarDate, ...] = attrs.field(default=(), converter=_date_tuple, kw_only=True)
    labels: tuple[str, ...] = attrs.field(default=(), converter=_label_tuple, kw_only=True)
    reason: str | None = attrs.field(default=None, validator=_check_reason, kw_only=True)
    written: str | None = _written_field()

    def explain(self, lang: str | None = None) -> str | None:
        """Why no single target could be read, in ``lang`` (or the language in effect)."""
        return None if self.reason is None else gettext(FREE_TEXT_REASONS[self.reason], lang)


Target: TypeAlias = (
    Comparison | Value | Range | Deadline | Period | Relative | Qualitative | Masked | Compound | FreeText
)

#: Every target node class, keyed by its ``kind`` tag.
TARGET_CLASSES: dict[str, type[Target]] = {
    cls.kind: cls
    for cls in (Comparison, Value, Range, Deadline, Period, Relative, Qualitative, Masked, Compound, FreeText)
}

#: What each kind is called for a reader (message ids; :func:`kind_name` translates them).
KIND_NAMES: dict[str, str] = {
    "comparison": N_("comparison"),
    "value": N_("single value"),
    "range": N_("range"),
    "deadline": N_("deadline"),
    "period": N_("period"),
    "relative": N_("relative change"),
    "qualitative": N_("qualitative"),
    "masked": N_("masked value"),
    "compound": N_("compound target"),
    "text": N_("free text"),
}


def kind_name(kind: str, lang: str | None = None) -> str:
    """The name of a target kind (``"qualitative"`` → 定性表述) in ``lang`` or the language in effect."""
    name = KIND_NAMES.get(kind)
    return gettext(name, lang) if name is not None else kind


if TYPE_CHECKING:  # pragma: no cover
    import datetime

    _check: Target = Comparison(Op.GE, Quantity(Decimal(1)))


# --- canonical text -----------------------------------------------------------------------------
#
# What ``str(node)`` returns: one spelling per meaning (``≥`` for 不低于, ASCII digits, canonical
# units), chosen so that ``parse(str(t)) == t`` for every target ``t`` (with the default options).
# Numbers keep the digits they were written with (``856.80``).

_CHANGE_WORD = {Change.UP: "增长", Change.DOWN: "下降"}


def _deadline(node: Deadline) -> str:
    date = node.date
    exclusive = "" if node.inclusive else ("(不含当日)" if date.precision == "day" else "(不含)")
    if node.recurring:
        return f"每年{render_date(date)}{'底' if date.end else ''}前{exclusive}"
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
            return f"与{node.reference}持平" if node.reference is not None else "持平"
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
    """Canonical text of a target (what ``str(node)`` returns), with the words around its core."""
    words = getattr(node, "words", None)
    if words is None:
        return _render_core(node)
    return f"{words.before}{_render_core(node)}{words.after}"


def _render_core(node: Target) -> str:
    if isinstance(node, Comparison):
        return node.op.value + render_quantity(node.quantity)
    if isinstance(node, Value):
        return render_quantity(node.quantity)
    if isinstance(node, Range):
        low, high = render_quantity(node.low), render_quantity(node.high)
        if node.low_inclusive and node.high_inclusive:
            if node.low.unit == node.high.unit and node.high.value >= 0 and node.low.value == -node.high.value:
                return f"±{high}"  # a symmetric deviation, "±3%" (also when written -3%~3%)
            return f"{low}~{high}"
        return f"{'[' if node.low_inclusive else '('}{low},{high}{']' if node.high_inclusive else ')'}"
    if isinstance(node, Deadline):
        return _deadline(node)
    if isinstance(node, Period):
        return f"{render_date(node.start)}-{render_date(node.end)}{date_end(node.end)}"
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
    return {"value": format(q.value, "f"), "unit": _unit_dict(q.unit)}  # 0.0000001, not 1E-7


def _date_dict(d: CalendarDate) -> dict[str, Any]:
    return {"year": d.year, "month": d.month, "day": d.day, "quarter": d.quarter, "half": d.half, "end": d.end}


def to_dict(node: Target) -> dict[str, Any]:
    """The JSON-safe dict of a target, tagged with ``"kind"``; numbers are strings.  ``"written"`` (the cell
    as written) is there when the node has it, as every node :func:`targetexpr.parse` returns does.

    >>> from targetexpr import parse
    >>> d = to_dict(parse("≤400 万元"))
    >>> d["kind"], d["op"], d["quantity"], d["written"]
    ('comparison', 'le', {'value': '400', 'unit': {'base': '元', 'prefix': '万', 'per': []}}, '≤400 万元')
    """
    kind = getattr(node, "kind", None)
    if kind not in TARGET_CLASSES or not isinstance(node, TARGET_CLASSES[kind]):
        raise TargetValueError(say("not a target node: {type}", type=type(node).__name__))
    out: dict[str, Any] = {"kind": kind}
    words = getattr(node, "words", None)
    if words is not None:
        out["words"] = {"before": words.before, "after": words.after}
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
        if node.recurring:
            out["recurring"] = True
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
        if node.dates:
            out["dates"] = [_date_dict(d) for d in node.dates]
        if node.labels:
            out["labels"] = list(node.labels)
        if node.reason is not None:
            out["reason"] = node.reason
    if node.written is not None:
        out["written"] = node.written
    return out
