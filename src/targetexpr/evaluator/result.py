"""What an evaluation returns (:class:`Evaluation`), the state of one run (flags, reasons), exact
number formatting, and the score of a verdict (:func:`targetexpr.scoring.row_score`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from ..errors import (
    TargetValueError,
    brief,
)
from ..i18n import N_, current_language, gettext, say
from ..nodes import (
    Direction,
    Quantity,
    Target,
    Unit,
    to_dict,
)
from ..scoring import CONTEXT, Band, RuleSet, row_share
from ..units import describe as units_describe
from ..units import dimension

__all__ = ["Evaluation"]

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_COMPLETION_PLACES = Decimal("0.000001")


@attrs.frozen
class Evaluation:
    """The verdict on one actual against one target.

    Attributes:
        target: the target as parsed.
        actual: the actual as given, as text (``None`` when missing).
        met: ``True``/``False``, or ``None`` where no honest verdict exists (free text, an unknown
            year, a missing actual, ``≈`` without a tolerance …); :attr:`reason` says why.
        completion: the ratio the scoring rules use (B/A for 正向, A/B or the linear rule for
            反向), rounded to 6 places; ``None`` for qualitative and unjudged results.
        direction: 正向/反向/equal, as used.
        band: 达成/部分达成/未达成 (``Band``), for every judged result.
        reason: sentences a budget officer can check: the conversion, the comparison, the rule.
        score: the formula score when ``points`` were given (rounded as the rule set says).
        points: the row's points (分值).
        score_range: for qualitative results, the band's ``(low, high)`` score range.
        flags: short machine-readable notes (``actual_unit_from_target``, ``on_deadline_day`` …).
        rules: the name of the rule set used.
        direction_source: what decided :attr:`direction`: ``"comparator"``, ``"given"``
            (``direction=``), ``"cue:<word>"`` (a word of the indicator name, ``data/direction_cues.tsv``),
            ``"assumed"`` (a bare value read as 正向), ``"zero"`` (``0`` means none) or ``"target"``
            (relative, date and qualitative targets carry their own); ``None`` when unjudged.
        unrounded_score: the score before rounding, exactly (a Fraction); the national system grades
            the unrounded total (``[grading] total``).
        rule_set: the :class:`RuleSet` used (``rules`` is its name); like ``unrounded_score``, no part of
            equality.
    """

    target: Target
    actual: str | None
    met: bool | None
    completion: Decimal | None
    direction: Direction | None
    band: Band | None
    reason: str
    score: Decimal | None = None
    points: Decimal | None = None
    score_range: tuple[Decimal, Decimal] | None = None
    flags: tuple[str, ...] = ()
    rules: str = "national"
    direction_source: str | None = None
    unrounded_score: Fraction | None = attrs.field(default=None, eq=False, repr=False)
    rule_set: RuleSet | None = attrs.field(default=None, eq=False, repr=False)

    def explain(self, lang: str | None = None) -> str:
        """The computation step by step, one step a line, in Chinese unless ``lang`` (or the context) says
        ``"en"``: the target as read and as written, the actual and its conversion, the direction and why,
        the comparison, 完成率 and its formula, 得分 = 完成率 × 分值, the cap, the rounding, and the rule set
        with the source of each rule applied (see :mod:`targetexpr.evaluator.explain`)."""
        from .explain import explain  # at call time: explain reads results, results do not need it to exist

        return explain(self, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (numbers as strings)."""
        return {
            "target": to_dict(self.target),
            "target_text": str(self.target),
            "actual": self.actual,
            "met": self.met,
            "completion": None if self.completion is None else str(self.completion),
            "direction": None if self.direction is None else self.direction.value,
            "band": None if self.band is None else self.band.value,
            "reason": self.reason,
            "score": None if self.score is None else str(self.score),
            "points": None if self.points is None else str(self.points),
            "score_range": None if self.score_range is None else [str(x) for x in self.score_range],
            "flags": list(self.flags),
            "rules": self.rules,
            "direction_source": self.direction_source,
        }


# --- numbers ------------------------------------------------------------------------------------


def _decimal(value: Fraction, places: Decimal | None = None) -> Decimal:
    # The library's context passed to each operation, not entered: the same digits, without a
    # context switch per number (a caller's context never applies either way).
    result = CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    if places is not None:
        result = result.quantize(places, context=CONTEXT)
    return result


def _is_finite_decimal(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _fmt_number(value: Fraction) -> str:
    """Exact digits when the value is a finite decimal, else 4 places prefixed with ≈."""
    if _is_finite_decimal(value):
        return format(_decimal(value).normalize(CONTEXT), "f")
    return "≈" + format(_decimal(value, Decimal("0.0001")).normalize(CONTEXT), "f")


def _fmt(value: Fraction, unit: Unit | None) -> str:
    return _fmt_number(value) + (str(unit) if unit is not None else "")


def _percent(value: Fraction) -> str:
    return format(_decimal(value * 100, Decimal("0.01")), "f") + "%"


#: The names of the numbers :func:`_to_decimal` reads, as messages (``what`` is also the error's field).
_WHAT = (N_("points"), N_("the actual"), N_("tolerance"), N_("the baseline"))


def _to_decimal(value: object, what: str) -> Decimal:
    name = gettext(what)
    if isinstance(value, bool):
        raise TargetValueError(say("{what} must be a number, not a bool", what=name), field=what)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value) > 10**21:
            raise TargetValueError(say("{what} {value} is out of range", what=name, value=brief(value)), field=what)
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    else:
        raise TargetValueError(
            say("{what} must be a number, not {type}", what=name, type=type(value).__name__), field=what
        )
    if not result.is_finite():
        raise TargetValueError(say("{what} must be finite, not {value}", what=name, value=brief(value)), field=what)
    try:
        return Quantity(result).value
    except TargetValueError as e:
        raise TargetValueError(say("{what}: {message}", what=name, message=e.message), field=what) from None


#: How a direction and a verdict are named in a reason.
DIRECTION_WORDS = {
    Direction.HIGHER: N_("higher"),
    Direction.LOWER: N_("lower"),
    Direction.EQUAL: N_("equal"),
}


def direction_word(direction: Direction) -> str:
    """正向/反向/等于 in the language in effect."""
    return gettext(DIRECTION_WORDS[direction])


def met_word(met: bool) -> str:
    """达成/未达成 (met/not met) in the language in effect."""
    return gettext(N_("met")) if met else gettext(N_("not met"))


def describe_quantity(quantity: Quantity) -> str:
    """``4次 (a count of 次)``, ``4次(以“次”计的数量)``: a quantity and what it measures, for messages
    (the dimension's name from :meth:`targetexpr.units.Dimension.human`, one table for both sides)."""
    if current_language() == "en":
        return units_describe(quantity)
    return say("{quantity} ({measure})", quantity=quantity, measure=dimension(quantity.unit).human())


#: How the sentences of one reason are joined, per language.
REASON_JOINS = {"zh": ";", "en": "; "}


# --- the context of one evaluation --------------------------------------------------------------


@attrs.define
class _Run:
    rules: RuleSet
    points: Decimal | None
    flags: list[str] = attrs.field(factory=list)
    reasons: list[str] = attrs.field(factory=list)
    direction_source: str | None = None
    unrounded: Fraction | None = None
    #: What the names (二级指标, 三级指标) say: the positions of the cues they contain
    #: (:func:`~targetexpr.evaluator.cues.matching_cues`), the only thing of theirs a verdict uses.
    cues: tuple[int, ...] = ()

    def flag(self, name: str, sentence: str | None = None) -> None:
        if name not in self.flags:
            self.flags.append(name)
        if sentence:
            self.reasons.append(sentence)


class _Verdict(NamedTuple):
    met: bool | None
    completion: Fraction | None
    direction: Direction | None
    band: Band | None
    score: Decimal | None
    score_range: tuple[Decimal, Decimal] | None = None


_UNJUDGED = _Verdict(None, None, None, None, None)


def _band_of(met: bool | None) -> Band | None:
    if met is None:
        return None
    return Band.MET if met else Band.NOT_MET


def _score(met: bool, completion: Fraction | None, run: _Run) -> Decimal | None:
    if run.points is None:
        return None
    if completion is None and not met:
        run.flag("no_proportional_rule", say("no proportional rule applies to these values: scored 0"))
    run.unrounded = row_share(met, completion, run.rules) * Fraction(run.points)
    return run.rules.round(run.unrounded)
