"""The settings of an evaluation as one frozen, validated, hashable object: :class:`EvalOptions`.

:func:`targetexpr.evaluate` takes two kinds of input.  What belongs to the row: the target, the
actual, the baseline and the points (分值), passed on each call.  And how to judge it: the budget
year, the direction, the tolerance of ``约`` targets, the scoring rules, how to read dates and
bare numbers, the indicator's names.  The second kind is the same for every row of a table (or
the indicator's context, as :class:`~targetexpr.ParseOptions` holds it), so it travels as one
object, validated once when it is made, and is the memo key of ``evaluate`` beside the row's data.
The rule set is loaded once, when the object is made.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..errors import TargetValueError, brief
from ..i18n import Language, check_language, say
from ..nodes import Direction, Quantity, Unit, Value
from ..options import MAX_INDICATOR, ParseOptions
from ..parser.api import parse
from ..scoring import RuleSet, load_rules
from .result import _to_decimal

__all__ = ["EvalOptions", "as_direction", "checked_names", "nameless"]

_DIRECTIONS = {
    "higher": Direction.HIGHER,
    "正向": Direction.HIGHER,
    "lower": Direction.LOWER,
    "反向": Direction.LOWER,
    "equal": Direction.EQUAL,
    "等于": Direction.EQUAL,
}


def as_direction(direction: object) -> Direction | None:
    """``direction=`` as a :class:`Direction`: a Direction, ``None``, or higher/lower/equal (正向/反向/等于)."""
    if direction is None or isinstance(direction, Direction):
        return direction
    if isinstance(direction, str) and direction.strip() in _DIRECTIONS:
        return _DIRECTIONS[direction.strip()]
    raise TargetValueError(
        say("direction must be higher/lower/equal (正向/反向/等于), not {value}", value=brief(direction)),
        field="direction",
    )


def _tolerance(tolerance: object) -> str | Quantity | Decimal | None:
    """A tolerance as kept: text that reads as one quantity (``"5%"``, ``"10人"``), a Quantity, or a
    fraction of the target as a Decimal (ints and floats are read exactly; bool, NaN are refused)."""
    if tolerance is None or isinstance(tolerance, Quantity):
        value = None if tolerance is None else tolerance.value
    elif isinstance(tolerance, str):
        node = parse(tolerance)
        if not isinstance(node, Value):
            raise TargetValueError(
                say("tolerance {value} must be a quantity (5%, 10人)", value=brief(tolerance)), field="tolerance"
            )
        value = node.quantity.value
    else:
        value = tolerance = _to_decimal(tolerance, "tolerance")
    if value is not None and value < 0:
        raise TargetValueError(say("tolerance {value} must not be negative", value=brief(tolerance)), field="tolerance")
    return tolerance


def _check_bool(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise TargetValueError(
            say("{field} must be True or False, not {value}", field=attribute.name, value=brief(value)),
            field=attribute.name,
        )


def _bounded_name(value: Any) -> Any:
    # Names are context, looked at by their start: a bounded key keeps hostile labels out of the
    # memo (#14), as ParseOptions.indicator does.
    return value[:MAX_INDICATOR] if isinstance(value, str) else value


def _check_name(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TargetValueError(say("indicator and level2 must be text"), field=attribute.name)


def checked_names(indicator: object, level2: object) -> tuple[str | None, str | None]:
    """``indicator`` and ``level2`` as :class:`EvalOptions` keeps them (bounded), or the error it raises."""
    bounded: list[str | None] = []
    for name, value in (("indicator", indicator), ("level2", level2)):
        if value is not None and not isinstance(value, str):
            raise TargetValueError(say("indicator and level2 must be text"), field=name)
        bounded.append(_bounded_name(value))
    return bounded[0], bounded[1]


@functools.lru_cache(maxsize=256)
def nameless(options: EvalOptions) -> EvalOptions:
    """``options`` without the indicator's names (which :func:`evaluate` carries beside them)."""
    return attrs.evolve(options, indicator=None, level2=None)


def _language(value: object) -> Language | None:
    return None if value is None else check_language(value)


@attrs.frozen(cache_hash=True)
class EvalOptions:
    """How to judge actuals against targets (everything but the row's own data).

    Attributes:
        year: the budget year, for dates that omit it (targets and actuals).
        direction: 正向/反向 for bare values (``"higher"``/``"lower"``/``"equal"``, 正向/反向/等于, or
            a :class:`Direction`); a comparator in the target wins over it (the conflict is flagged).
        tolerance: for ``约``/``左右`` targets: a fraction of the target (``Decimal("0.05")``) or a
            quantity (``"5%"`` of the target, ``"10人"``).
        rules: the scoring rule set: a shipped name, a TOML path, a mapping or a :class:`RuleSet`,
            loaded once, when the options are made.
        deadline_inclusive, default_unit, date_order: as for :func:`targetexpr.parse`.
        excel_dates: read integer actuals against date targets as Excel serial dates.
        indicator, level2: the 三级指标 and 二级指标 names, whose words may decide a bare value's
            direction (``data/direction_cues.tsv``).
        lang: the language of reasons and messages (``"zh"``, ``"en"``); ``None``: the language in
            effect when :func:`~targetexpr.evaluate` is called (it resolves it before its memo, so
            the language is always part of the memo key).

    ``baseline`` and ``points`` are not here: they are the row's data, given on each call.
    """

    year: int | None = None
    direction: Direction | None = attrs.field(default=None, converter=as_direction)
    tolerance: str | Quantity | Decimal | None = attrs.field(default=None, converter=_tolerance)
    rules: RuleSet = attrs.field(factory=load_rules, converter=load_rules)
    deadline_inclusive: bool = True
    default_unit: str | Unit | None = None
    date_order: str = "ymd"
    excel_dates: bool = attrs.field(default=False, validator=_check_bool)
    indicator: str | None = attrs.field(default=None, converter=_bounded_name, validator=_check_name)
    level2: str | None = attrs.field(default=None, converter=_bounded_name, validator=_check_name)
    lang: Language | None = attrs.field(default=None, converter=_language)
    #: The options for reading a target text: year, default_unit, deadline_inclusive, date_order
    #: (validated by :class:`ParseOptions`, in one place for both).
    parse_options: ParseOptions = attrs.field(init=False, eq=False, repr=False)

    @parse_options.default
    def _parse_options(self) -> ParseOptions:
        return ParseOptions.build(
            year=self.year,
            default_unit=self.default_unit,
            deadline_inclusive=self.deadline_inclusive,
            date_order=self.date_order,
        )

    @classmethod
    def build(cls, options: EvalOptions | None = None, **changes: Any) -> EvalOptions:
        """``options`` (or the defaults) with ``changes``."""
        if options is not None and not isinstance(options, EvalOptions):
            raise TargetValueError(
                say("options must be an EvalOptions, not {type}", type=type(options).__name__), field="options"
            )
        base = options if options is not None else _default()
        if not changes:
            return base
        try:
            # Names are bounded before they become memo keys (a 100,000-character label, #14).
            bounded = {k: v[:MAX_INDICATOR] if k in _NAMES and isinstance(v, str) else v for k, v in changes.items()}
            return _cached_build(base, tuple(sorted(bounded.items())))
        except TypeError:  # an unhashable value (a mapping of rules): build it uncached
            unknown = set(changes) - {a.name for a in attrs.fields(cls) if a.init}
            if unknown:
                raise TargetValueError(say("unknown option(s): {names}", names=", ".join(sorted(unknown)))) from None
            return attrs.evolve(base, **changes)


@functools.cache
def _default() -> EvalOptions:
    return EvalOptions()


_NAMES = ("indicator", "level2")


@functools.lru_cache(maxsize=256)
def _cached_build(base: EvalOptions, changes: tuple[tuple[str, Any], ...]) -> EvalOptions:
    # Rule files are read once per path here, as the memo of evaluate() did before.
    return attrs.evolve(base, **dict(changes))


def keyword_changes(
    *,
    year: int | None,
    direction: object,
    rules: str | Path | RuleSet | Mapping[str, Any] | None,
    tolerance: object,
    deadline_inclusive: bool,
    default_unit: str | Unit | None,
    date_order: str,
    excel_dates: bool,
    indicator: str | None,
    level2: str | None,
) -> dict[str, Any]:
    """The keyword arguments of :func:`evaluate` that differ from their defaults."""
    given = {
        "year": year,
        "direction": direction,
        "rules": rules,
        "tolerance": tolerance,
        "default_unit": default_unit,
        "indicator": indicator,
        "level2": level2,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if deadline_inclusive is not True:
        changes["deadline_inclusive"] = deadline_inclusive
    if date_order != "ymd":
        changes["date_order"] = date_order
    if excel_dates is not False:
        changes["excel_dates"] = excel_dates
    return changes
