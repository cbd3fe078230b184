"""``evaluate()``: judge a year-end actual (实际完成值) against its target, exactly, with a reason.

The rules, with their sources, are in ``docs/evaluation.md``.  In short:

* Actuals are read with the target grammar (``96.5%``, ``3,987,500元``, ``0.3亿元``, ``两次``,
  ``2022年11月30日``, ``2022-06-15``, ``及时``/``不及时``, ``达成年度指标`` …) or given as numbers, dates
  or :class:`Quantity`.  A bare actual takes the target's unit; an actual that repeats the
  comparator (``≥80%``) is judged as its number; both are flagged.
* Units convert exactly within a dimension; anything else raises :class:`UnitMismatchError`.
* Comparators are inclusive or strict as parsed; a bare value is "at least" unless the direction
  says lower is better; a bare zero means none at all.
* Deadlines count the deadline day by default; a date without a year takes ``year=``.
* Relative targets need ``baseline=``; ``%`` is a ratio of it, ``百分点`` an absolute difference.
* Qualitative targets compare categories and polarity from the vocabulary; the self-evaluation
  grades (达成/部分达成/未达成) answer any target.
* With ``points=``, the score follows the rule set (``rules="national"`` by default).
"""

from __future__ import annotations

import datetime
import decimal
import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple, assert_never

import attrs

from . import _data
from .errors import (
    BaselineRequiredError,
    TargetError,
    TargetEvaluationError,
    TargetValueError,
    UnitMismatchError,
    brief,
)
from .nodes import (
    TARGET_CLASSES,
    CalendarDate,
    Change,
    Comparison,
    Compound,
    Deadline,
    Direction,
    FreeText,
    Masked,
    Op,
    Period,
    Polarity,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
)
from .parse import _check_options, analyze, parse
from .render import to_dict
from .scoring import CONTEXT, Band, RuleSet, load_rules
from .units import convert, describe, dimension

__all__ = ["Evaluation", "Observed", "evaluate", "read_actual"]

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
        }


# --- numbers ------------------------------------------------------------------------------------


def _decimal(value: Fraction, places: Decimal | None = None) -> Decimal:
    with decimal.localcontext(CONTEXT):
        result = Decimal(value.numerator) / Decimal(value.denominator)
        if places is not None:
            result = result.quantize(places)
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


def _to_decimal(value: object, what: str) -> Decimal:
    if isinstance(value, bool):
        raise TargetValueError(f"{what} must be a number, not a bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if abs(value) > 10**21:
            raise TargetValueError(f"{what} {brief(value)} is out of range")
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    else:
        raise TargetValueError(f"{what} must be a number, not {type(value).__name__}")
    if not result.is_finite():
        raise TargetValueError(f"{what} must be finite, not {brief(value)}")
    try:
        return Quantity(result).value
    except TargetValueError as e:
        raise TargetValueError(f"{what}: {e.message}") from None


# --- reading actuals ----------------------------------------------------------------------------


class Observed(NamedTuple):
    """An actual, read: exactly one of quantity, date or quality is set (none when missing)."""

    text: str | None
    quantity: Quantity | None = None
    claim: Op | None = None
    date: CalendarDate | None = None
    quality: Qualitative | None = None
    parts: tuple[Observed, ...] = ()
    note: str = ""
    change: Relative | None = None  # "增长6%", "与上年持平": the actual states the change itself

    @property
    def missing(self) -> bool:
        read = (self.quantity, self.date, self.quality, self.change)
        return all(item is None for item in read) and not self.parts


def _suffix_quality(text: str) -> Qualitative | None:
    """A known label at the end of an actual sentence ("养老服务提升" → 提升), if nothing negates it."""
    vocab = _data.qualitative()
    negations = _data.negations()
    for size in range(min(len(text), 12), 1, -1):
        tail = text[-size:]
        entry = vocab.get(tail)
        if entry is not None and entry.category not in ("not_applicable", "undetermined"):
            head = text[:-size]
            if any(n in head for n in negations):
                return None
            return Qualitative(text, entry.category, Polarity(entry.polarity))
    return None


def _observed_from_target(text: str, node: Target) -> Observed:
    if isinstance(node, Value):
        return Observed(text, quantity=node.quantity)
    if isinstance(node, Comparison):
        return Observed(text, quantity=node.quantity, claim=node.op)
    if isinstance(node, Deadline):
        return Observed(text, date=node.date)
    if isinstance(node, Qualitative):
        if node.category is None:
            quality = _suffix_quality(node.label)
            if quality is not None:
                note = f"the words at the end of {text!r} read as {quality.category}"
                return Observed(text, quality=quality, note=note)
        return Observed(text, quality=node)
    if isinstance(node, Compound):
        return Observed(text, parts=tuple(_observed_from_target(str(p), p) for p in node.parts))
    if isinstance(node, FreeText):
        quality = _suffix_quality(node.text.strip())
        if quality is not None:
            return Observed(text, quality=quality, note=f"the words at the end of {text!r} read as {quality.category}")
        return Observed(text, note=f"{text!r} is free text, not a measured value")
    if isinstance(node, Relative) and (node.change is not None or node.op is Op.EQ):
        return Observed(text, change=node)
    if isinstance(node, (Range, Period, Relative, Masked)):
        return Observed(text, note=f"{text!r} ({node.kind}) is not a single actual value")
    assert_never(node)


def read_actual(
    actual: object,
    *,
    year: int | None = None,
    date_order: str = "ymd",
    excel_dates: bool = False,
) -> Observed:
    """Read an actual: text, a number, a date, a :class:`Quantity` or ``None`` (missing).

    Raises :class:`TargetValueError` for a type it cannot read (bytes, NaN, a bool) and
    :class:`TargetEvaluationError` for text it cannot read.
    """
    if actual is None:
        return Observed(None)
    if isinstance(actual, Quantity):
        return Observed(str(actual), quantity=actual)
    if isinstance(actual, CalendarDate):
        return Observed(str(actual), date=actual)
    if isinstance(actual, datetime.datetime):
        actual = actual.date()
    if isinstance(actual, datetime.date):
        return Observed(actual.isoformat(), date=CalendarDate(actual.year, actual.month, actual.day))
    if isinstance(actual, (bool, int, float, Decimal)):
        value = _to_decimal(actual, "the actual")
        if excel_dates and value == value.to_integral_value() and 1 <= value <= 2958465:
            day = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
            return Observed(str(actual), date=CalendarDate(day.year, day.month, day.day), note="excel serial date")
        return Observed(format(value, "f"), quantity=Quantity(value))
    if not isinstance(actual, str):
        raise TargetValueError(f"an actual must be text, a number, a date or a Quantity, not {type(actual).__name__}")
    if not actual.strip():
        return Observed(None)
    analysis = analyze(actual, year=year, repair=True, date_order=date_order)
    if analysis.target is None:
        assert analysis.error is not None
        raise TargetEvaluationError(f"the actual {brief(actual)} cannot be read: {analysis.error}", actual=actual)
    return _observed_from_target(actual, analysis.target)


# --- the context of one evaluation --------------------------------------------------------------


@attrs.define
class _Run:
    rules: RuleSet
    points: Decimal | None
    flags: list[str] = attrs.field(factory=list)
    reasons: list[str] = attrs.field(factory=list)

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


# --- quantitative -------------------------------------------------------------------------------


def _align(
    target: Quantity, actual: Quantity, run: _Run, shown: str | None = None
) -> tuple[Fraction, Fraction, Unit | None]:
    """Target and actual values, exactly, in the target's unit (``shown``: the actual as written)."""
    t_unit, a_unit = target.unit, actual.unit
    written = actual
    # A bare actual ("50" against "≥50个", or "250万" against "≤300万元") takes the target's unit.
    if t_unit is not None and (a_unit is None or (not a_unit.base and t_unit.base)):
        new_unit = t_unit if a_unit is None else Unit(t_unit.base, a_unit.prefix, t_unit.per)
        run.flag(
            "actual_unit_from_target",
            f"the actual {actual} has no unit: read in the target's unit as {Quantity(actual.value, new_unit)}",
        )
        actual = Quantity(actual.value, new_unit)
        a_unit = new_unit
    if (t_unit is None or not t_unit.base) and a_unit is not None and a_unit.base:
        kind = dimension(a_unit).base
        if kind == "percent" or kind.startswith("count:"):
            new_unit = Unit(a_unit.base, t_unit.prefix if t_unit is not None else "", a_unit.per)
            run.flag(
                "target_unit_from_actual",
                f"the target {target} has no unit: read as {Quantity(target.value, new_unit)} like the actual",
            )
            target = Quantity(target.value, new_unit)
            t_unit = new_unit
        else:
            raise UnitMismatchError(
                f"the target {target} has no unit and the actual {describe(actual)} has one: "
                "give the target's unit (default_unit=, e.g. the table header's 单位:万元)",
                target=str(target),
                actual=str(actual),
            )
    if dimension(t_unit) != dimension(a_unit):
        raise UnitMismatchError(
            f"the target {describe(target)} cannot be compared with the actual {describe(actual)}",
            target=str(target),
            actual=str(actual),
        )
    a = Fraction(target.value)
    b = convert(actual, t_unit)
    if a_unit != t_unit:
        run.reasons.append(f"{shown if shown and written.unit is not None else actual} = {_fmt(b, t_unit)}")
    return a, b, t_unit


_HOLDS = {
    Op.GE: lambda b, a: b >= a,
    Op.GT: lambda b, a: b > a,
    Op.LE: lambda b, a: b <= a,
    Op.LT: lambda b, a: b < a,
    Op.EQ: lambda b, a: b == a,
}
_NEGATED = {Op.GE: "<", Op.GT: "≤", Op.LE: ">", Op.LT: "≥", Op.EQ: "≠"}


def _completion(a: Fraction, b: Fraction, direction: Direction, rules: RuleSet, run: _Run) -> Fraction | None:
    """The completion ratio of the rule set; ``None`` where no proportional rule applies."""
    if direction is Direction.HIGHER:
        if a > 0 and b >= 0:
            return b / a
        return None
    if direction is Direction.LOWER:
        if rules.lower == "ratio":
            if b > 0 and a >= 0:
                return a / b
            return Fraction(1) if b <= 0 <= a else None
        if a > 0 and b >= 0:
            return max(Fraction(0), 1 - (b - a) / a)
        if a == 0:
            return Fraction(1) if b <= 0 else Fraction(0)
        return None
    # Equal (the national system's rule): A = 0 → full if B ≤ 0, else 0; A > 0 → as 正向.
    if a == 0:
        return Fraction(1) if b <= 0 else Fraction(0)
    if a > 0 and b >= 0:
        return b / a
    return None


def _formula(direction: Direction, rules: RuleSet) -> str:
    if direction is Direction.HIGHER:
        return "B/A (正向)"
    if direction is Direction.LOWER:
        return "A/B (反向)" if rules.lower == "ratio" else "1 − (B−A)/A (反向, linear; 0 at B ≥ 2A)"
    return "the national system's rule for = (A = 0: B ≤ 0; A > 0: B/A)"


def _score(met: bool, completion: Fraction | None, run: _Run) -> Decimal | None:
    if run.points is None:
        return None
    points = Fraction(run.points)
    if completion is None:
        share = Fraction(1) if met else Fraction(0)
        if not met:
            run.flag("no_proportional_rule", "no proportional rule applies to these values: scored 0")
    else:
        share = completion
        if met and share < 1:
            share = Fraction(1)
        if run.rules.cap:
            share = min(share, Fraction(1))
    score = run.rules.round(share * points)
    return score


def _judge(
    a: Fraction,
    b: Fraction,
    op: Op,
    direction: Direction,
    unit: Unit | None,
    actual_text: str,
    target_text: str,
    run: _Run,
    tolerance: Fraction | None = None,
) -> _Verdict:
    """Compare B with A under ``op``; completion and score by ``direction``."""
    if op is Op.APPROX:
        if tolerance is None:
            run.reasons.append(
                f"{target_text} is approximate (约/左右) and no tolerance rule exists: pass tolerance= to judge it"
            )
            return _Verdict(None, None, Direction.EQUAL, None, None)
        met = abs(b - a) <= tolerance
        run.reasons.append(
            f"|{_fmt(b, unit)} − {_fmt(a, unit)}| {'≤' if met else '>'} {_fmt(tolerance, unit)} (tolerance)"
        )
    else:
        met = _HOLDS[op](b, a)
        symbol = op.value if met else _NEGATED[op]
        run.reasons.append(f"{_fmt(b, unit)} {symbol} {_fmt(a, unit)}: {'met' if met else 'not met'}")
        if not met and b == a and op in (Op.GT, Op.LT):
            run.flag("strict_bound", f"{target_text} excludes the bound itself (超过/不满 exclude 本数)")
    if met and b == a and op in (Op.GE, Op.LE) and a != 0:
        run.flag("at_bound")
    completion = _completion(a, b, direction, run.rules, run)
    if completion is not None:
        run.reasons.append(f"completion {_percent(completion)} by {_formula(direction, run.rules)}")
    score = _score(met, completion, run)
    if score is not None:
        run.reasons.append(f"score {score} of {run.points}")
    return _Verdict(met, completion, direction, _band_of(met), score)


def _resolve_direction(op: Op | None, wanted: Direction | None, target_text: str, run: _Run) -> Direction:
    if op is None:
        if wanted is None:
            run.flag(
                "assumed_higher",
                f"{target_text} has no comparator: read as at least (正向); pass direction= if lower is better",
            )
            return Direction.HIGHER
        return wanted
    natural = op.direction
    if wanted is not None and wanted is not natural and op is not Op.APPROX:
        run.flag(
            "direction_conflict",
            f"the comparator of {target_text} says {natural.value}, the direction given says {wanted.value}: "
            "the comparator wins",
        )
    return natural


def _quantity_verdict(
    target: Comparison | Value, observed: Observed, wanted: Direction | None, tolerance: object, run: _Run
) -> _Verdict:
    assert observed.quantity is not None
    a, b, unit = _align(target.quantity, observed.quantity, run, observed.text)
    if observed.claim is not None:
        run.flag(
            "actual_is_claim",
            f"the actual repeats a comparator ({observed.text}): judged as {observed.quantity.value}",
        )
    text = str(target)
    if isinstance(target, Value):
        if a == 0 and target.quantity.value.is_zero():
            run.flag("zero_means_none", f"{text} means none at all: met only by 0")
            return _judge(a, b, Op.LE, Direction.LOWER, unit, str(observed.text), text, run)
        direction = _resolve_direction(None, wanted, text, run)
        op = {Direction.HIGHER: Op.GE, Direction.LOWER: Op.LE, Direction.EQUAL: Op.EQ}[direction]
        return _judge(a, b, op, direction, unit, str(observed.text), text, run)
    direction = _resolve_direction(target.op, wanted, text, run)
    tol = _tolerance(tolerance, target.quantity, a, run) if target.op is Op.APPROX else None
    return _judge(a, b, target.op, direction, unit, str(observed.text), text, run, tol)


def _tolerance(tolerance: object, target: Quantity, a: Fraction, run: _Run) -> Fraction | None:
    if tolerance is None:
        return None
    if isinstance(tolerance, Quantity):
        result = convert(tolerance, target.unit)
    elif isinstance(tolerance, str):
        q = parse(tolerance)
        if not isinstance(q, Value):
            raise TargetValueError(f"tolerance {brief(tolerance)} must be a quantity (5%, 10人)")
        if (
            q.quantity.unit is not None
            and q.quantity.unit.base == "%"
            and not (target.unit is not None and target.unit.base == "%")
        ):
            result = abs(a) * Fraction(q.quantity.value) / 100
        else:
            result = convert(q.quantity, target.unit) if q.quantity.unit is not None else Fraction(q.quantity.value)
    else:
        result = abs(a) * Fraction(_to_decimal(tolerance, "tolerance"))
    if result < 0:
        raise TargetValueError(f"tolerance {brief(tolerance)} must not be negative")
    return result


def _range_verdict(target: Range, observed: Observed, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    low_a, b, unit = _align(target.low, observed.quantity, run, observed.text)
    high_a = convert(target.high, unit) if target.high.unit is not None else Fraction(target.high.value)
    above_low = b >= low_a if target.low_inclusive else b > low_a
    below_high = b <= high_a if target.high_inclusive else b < high_a
    met = above_low and below_high
    run.reasons.append(f"{_fmt(b, unit)} {'is' if met else 'is not'} within {target}: {'met' if met else 'not met'}")
    if met:
        completion: Fraction | None = Fraction(1)
        direction = Direction.EQUAL
    elif not above_low:
        direction = Direction.HIGHER
        completion = _completion(low_a, b, Direction.HIGHER, run.rules, run)
    else:
        direction = Direction.LOWER
        completion = _completion(high_a, b, Direction.LOWER, run.rules, run)
    if completion is not None and not met:
        run.reasons.append(f"completion {_percent(completion)} by {_formula(direction, run.rules)} on the nearer end")
    score = _score(met, completion, run)
    if score is not None:
        run.reasons.append(f"score {score} of {run.points}")
    return _Verdict(met, completion, direction, _band_of(met), score)


# --- dates --------------------------------------------------------------------------------------


def _first_last(date: CalendarDate) -> tuple[datetime.date, datetime.date]:
    """First and last day of a date of any precision (its year must be known)."""
    import calendar

    year = date.year
    assert year is not None
    if date.day is not None:
        assert date.month is not None
        day = datetime.date(year, date.month, date.day)
        return day, day
    if date.month is not None:
        months = (date.month, date.month)
    elif date.quarter is not None:
        months = (date.quarter * 3 - 2, date.quarter * 3)
    elif date.half is not None:
        months = (date.half * 6 - 5, date.half * 6)
    else:
        months = (1, 12)
    last = calendar.monthrange(year, months[1])[1]
    return datetime.date(year, months[0], 1), datetime.date(year, months[1], last)


def _with_year(date: CalendarDate, year: int) -> CalendarDate:
    return CalendarDate(year, date.month, date.day, date.quarter, date.half, date.end)


def _date_verdict(target: Deadline | Period, observed: Observed, year: int | None, run: _Run) -> _Verdict:
    assert observed.date is not None
    actual = observed.date
    if isinstance(target, Deadline):
        deadline = target.date
        if deadline.year is None:
            if year is None:
                run.reasons.append(f"the year of {target} is unknown: pass year= (the budget year)")
                return _UNJUDGED
            deadline = _with_year(deadline, year)
        if actual.year is None:
            assumed = year if year is not None else deadline.year
            assert assumed is not None
            actual = _with_year(actual, assumed)
            run.flag("actual_year_assumed", f"the actual {observed.text} has no year: read as {assumed}年")
        first, last = _first_last(deadline)
        if target.inclusive:
            limit = last
            rule = f"on or before {limit.isoformat()} (the deadline day counts)"
        else:
            limit = (last if deadline.end else first) - datetime.timedelta(days=1)
            rule = f"on or before {limit.isoformat()} (the deadline day does not count)"
        a_first, a_last = _first_last(actual)
        if a_last <= limit:
            met: bool | None = True
        elif a_first > limit:
            met = False
        else:
            met = None
        if met is None:
            run.reasons.append(
                f"the actual {observed.text} ({a_first.isoformat()}–{a_last.isoformat()}) is not precise enough "
                f"to say whether it is {rule}"
            )
            return _UNJUDGED
        run.reasons.append(f"{observed.text} ({a_last.isoformat()}) is {'' if met else 'not '}{rule}")
        if a_first == a_last == last and target.inclusive and deadline.precision == "day":
            run.flag("on_deadline_day", "met on the deadline day itself: met only because that day counts")
    else:
        start, end = target.start, target.end
        if start.year is None or end.year is None:
            if year is None:
                run.reasons.append(f"the year of {target} is unknown: pass year= (the budget year)")
                return _UNJUDGED
            start = _with_year(start, year) if start.year is None else start
            end = _with_year(end, start.year if start.year is not None else year) if end.year is None else end
        if actual.year is None:
            assumed = year if year is not None else start.year
            assert assumed is not None
            actual = _with_year(actual, assumed)
            run.flag("actual_year_assumed", f"the actual {observed.text} has no year: read as {assumed}年")
        p_first, p_last = _first_last(start)[0], _first_last(end)[1]
        a_first, a_last = _first_last(actual)
        met = p_first <= a_first and a_last <= p_last
        run.reasons.append(
            f"{observed.text} is {'' if met else 'not '}within {p_first.isoformat()}–{p_last.isoformat()}"
        )
    completion = Fraction(1) if met else Fraction(0)
    score = None
    if run.points is not None:
        share = Fraction(1) if met else run.rules.deadline_missed
        score = run.rules.round(share * Fraction(run.points))
        if not met:
            run.reasons.append(f"a missed date scores {_percent(run.rules.deadline_missed)} of the points: {score}")
        else:
            run.reasons.append(f"score {score} of {run.points}")
    return _Verdict(met, completion, Direction.LOWER, _band_of(met), score)


# --- relative targets ---------------------------------------------------------------------------


def _read_baseline(baseline: object) -> Quantity:
    if isinstance(baseline, Quantity):
        return baseline
    if isinstance(baseline, (bool, int, float, Decimal)):
        return Quantity(_to_decimal(baseline, "the baseline"))
    if isinstance(baseline, str):
        node = parse(baseline)
        if isinstance(node, (Value, Comparison)):
            return node.quantity
        raise TargetValueError(f"the baseline {brief(baseline)} must be a quantity (100万元, 90%)")
    raise TargetValueError(f"the baseline must be text, a number or a Quantity, not {type(baseline).__name__}")


def _relative_verdict(target: Relative, observed: Observed, baseline: object, tolerance: object, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    if baseline is None:
        reference = target.reference or "the baseline"
        raise BaselineRequiredError(
            f"{target} is relative to {reference}: pass baseline= (the {reference} value)",
            reference=target.reference,
        )
    base = _read_baseline(baseline)
    actual = observed.quantity
    # Baseline and actual in one unit: the actual's, or the baseline's if the actual has none.
    if base.unit is None and actual.unit is not None:
        base = Quantity(base.value, actual.unit)
        run.flag("baseline_unit_from_actual")
    b0, b, unit = _align(base, actual, run, observed.text)
    text = str(target)
    if target.change is None:
        assert target.op is not None
        run.reasons.append(f"baseline {_fmt(b0, unit)}")
        direction = _resolve_direction(target.op, None, text, run)
        tol = _tolerance(tolerance, base, b0, run) if target.op is Op.APPROX else None
        return _judge(b0, b, target.op, direction, unit, str(observed.text), text, run, tol)
    sign = 1 if target.change is Change.UP else -1
    amount = target.amount
    if amount is None:
        level = b0
        described = f"baseline {_fmt(b0, unit)}"
        op = Op.GT if target.change is Change.UP else Op.LT
    else:
        amount_unit = amount.unit
        if amount_unit is not None and amount_unit.base == "%" and not amount_unit.prefix:
            level = b0 * (1 + sign * Fraction(amount.value) / 100)
            described = f"baseline {_fmt(b0, unit)} × (1 {'+' if sign > 0 else '−'} {amount}) = {_fmt(level, unit)}"
        elif amount_unit is not None and amount_unit.base == "百分点":
            if unit is None or unit.base != "%":
                raise UnitMismatchError(
                    f"{text} changes by percentage points: the baseline and the actual must be percentages",
                    target=text,
                )
            level = b0 + sign * Fraction(amount.value)
            described = (
                f"baseline {_fmt(b0, unit)} {'+' if sign > 0 else '−'} {amount.value}个百分点 = {_fmt(level, unit)}"
            )
        else:
            step = convert(amount, unit) if amount.unit is not None else Fraction(amount.value)
            level = b0 + sign * step
            described = f"baseline {_fmt(b0, unit)} {'+' if sign > 0 else '−'} {amount} = {_fmt(level, unit)}"
        change_op = target.op or Op.GE
        # "增长≥5%": the level is a floor; "下降≥10%": a ceiling; "增长≤5%": a ceiling.
        flip = {Op.GE: Op.LE, Op.GT: Op.LT, Op.LE: Op.GE, Op.LT: Op.GT, Op.EQ: Op.EQ, Op.APPROX: Op.APPROX}
        op = change_op if target.change is Change.UP else flip[change_op]
    run.reasons.append(described)
    direction = op.direction
    tol = _tolerance(tolerance, Quantity(Decimal(0), unit), level, run) if op is Op.APPROX else None
    return _judge(level, b, op, direction, unit, str(observed.text), text, run, tol)


def _signed_change(node: Relative) -> Quantity | None:
    """The change a relative actual states, signed: 增长6% → +6%, 下降2个百分点 → −2百分点, 持平 → 0."""
    if node.change is None:
        return Quantity(Decimal(0))  # 与上年持平
    if node.amount is None:
        return None
    value = node.amount.value if node.change is Change.UP else node.amount.value.copy_negate()
    return Quantity(value, node.amount.unit)


def _change_verdict(target: Relative, actual: Relative, run: _Run) -> _Verdict:
    """The actual gives the change itself ("增长6%" against "较上年增长5%"): compare the changes.

    No baseline is needed.  A ratio (%) and percentage points never compare with each other.
    """
    text = str(target)
    if target.reference is not None and actual.reference is not None and target.reference != actual.reference:
        run.reasons.append(
            f"the actual {actual} is relative to {actual.reference}, the target {text} to {target.reference}"
        )
        return _UNJUDGED
    stated = _signed_change(actual)
    if stated is None:
        run.reasons.append(f"the actual {actual} gives no amount of change: pass the actual value and baseline=")
        return _UNJUDGED
    run.flag("actual_states_change", f"the actual states the change ({actual}): compared with the target's change")
    if target.change is None or target.amount is None:
        # 不低于上年, 与上年持平: the change against zero under the target's comparator;
        # 较上年有所提高 / 较上年下降: any rise / any fall.
        if target.change is None:
            assert target.op is not None
            op = target.op
        else:
            op = Op.GT if target.change is Change.UP else Op.LT
        b = Fraction(stated.value)
        direction = op.direction
        return _judge(Fraction(0), b, op, direction, stated.unit, str(actual), text, run)
    amount = target.amount
    if target.change is Change.DOWN:
        # Measured in the target's direction: against 下降10%, 下降12% is a fall of 12%.
        stated = Quantity(stated.value.copy_negate(), stated.unit)
    if stated.unit is None and stated.value == 0:
        stated = Quantity(stated.value, amount.unit)
    a, b, unit = _align(amount, stated, run)
    op = target.op or Op.GE
    direction = op.direction
    return _judge(a, b, op, direction, unit, str(actual), text, run)


# --- qualitative --------------------------------------------------------------------------------

_ANSWERS = ("affirm", "achievement")
_POLARITY_BAND = {Polarity.POSITIVE: Band.MET, Polarity.PARTIAL: Band.PARTIAL, Polarity.NEGATIVE: Band.NOT_MET}


def _band_verdict(band: Band, direction: Direction | None, run: _Run, completion: Fraction | None = None) -> _Verdict:
    score = None
    score_range = None
    if run.points is not None:
        low, high = run.rules.band_range(band)
        points = Fraction(run.points)
        default = run.rules.band_default(band)
        score = run.rules.round(default * points)
        score_range = (run.rules.round(low * points), run.rules.round(high * points))
        closing = "]" if high == 1 else ")"
        run.reasons.append(
            f"{_BAND_NAMES[band]}: score in [{score_range[0]}, {score_range[1]}{closing}; proposed {score}"
        )
    met = band is Band.MET
    return _Verdict(met, completion, direction, band, score, score_range)


_BAND_NAMES = {Band.MET: "达成年度指标", Band.PARTIAL: "部分达成年度指标", Band.NOT_MET: "未达成年度指标"}


def _quality_verdict(target: Target, observed: Observed, run: _Run) -> _Verdict:
    """A qualitative actual (及时, 达成年度指标, 无 …) against any target."""
    quality = observed.quality
    assert quality is not None
    if observed.note:
        run.flag("heuristic_match", observed.note)
    band = _POLARITY_BAND[quality.polarity]
    if quality.category == "achievement":
        run.reasons.append(f"the actual is the self-evaluation grade {quality.label}")
        return _band_verdict(band, None, run)
    if isinstance(target, Qualitative):
        if quality.label == target.label:
            run.reasons.append(f"the actual restates the target {target.label}")
            return _band_verdict(Band.MET, None, run)
        if target.category is not None and quality.category in (target.category, "affirm"):
            if target.polarity is Polarity.NEGATIVE:
                band = {Band.MET: Band.NOT_MET, Band.NOT_MET: Band.MET, Band.PARTIAL: Band.PARTIAL}[band]
            verb = {Band.MET: "affirms", Band.PARTIAL: "partly affirms", Band.NOT_MET: "denies"}[band]
            run.reasons.append(f"{quality.label} {verb} {target.label}")
            return _band_verdict(band, None, run)
        run.reasons.append(
            f"{quality.label!r} does not answer {target.label!r}: "
            "give 达成/部分达成/未达成年度指标 or a word of the same kind"
        )
        return _UNJUDGED
    if isinstance(target, FreeText) and quality.label == target.text:
        run.reasons.append("the actual restates the target")
        return _band_verdict(Band.MET, None, run)
    run.reasons.append(f"{quality.label!r} is not a measured value: {target} cannot be judged from it")
    return _UNJUDGED


def _no_incident_verdict(target: Qualitative, observed: Observed, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    value = observed.quantity.value
    met = value == 0
    run.reasons.append(
        f"{observed.text} {'means none' if met else 'is not none'}: {target.label} {'met' if met else 'not met'}"
    )
    return _band_verdict(Band.MET if met else Band.NOT_MET, Direction.LOWER, run)


# --- the entry point ----------------------------------------------------------------------------


def _as_direction(direction: object) -> Direction | None:
    if direction is None or isinstance(direction, Direction):
        return direction
    names = {
        "higher": Direction.HIGHER,
        "正向": Direction.HIGHER,
        "lower": Direction.LOWER,
        "反向": Direction.LOWER,
        "equal": Direction.EQUAL,
        "等于": Direction.EQUAL,
    }
    if isinstance(direction, str) and direction.strip() in names:
        return names[direction.strip()]
    raise TargetValueError(f"direction must be higher/lower/equal (正向/反向/等于), not {brief(direction)}")


def _points(points: object) -> Decimal | None:
    if points is None:
        return None
    if isinstance(points, str):
        text = points.strip().rstrip("分")
        try:
            value = Decimal(text)
        except decimal.InvalidOperation:
            raise TargetValueError(f"points must be a number, not {brief(points)}") from None
        points = value
    value = _to_decimal(points, "points")
    if value < 0:
        raise TargetValueError(f"points must not be negative, not {value}")
    return value


def _verdict(
    target: Target,
    observed: Observed,
    *,
    baseline: object,
    year: int | None,
    direction: Direction | None,
    tolerance: object,
    run: _Run,
) -> _Verdict:
    if observed.missing:
        if observed.note:
            run.reasons.append(observed.note)
            return _UNJUDGED
        run.flag("missing_actual", "no actual value")
        return _UNJUDGED
    if observed.quality is not None:
        return _quality_verdict(target, observed, run)
    if isinstance(target, Compound):
        return _compound_verdict(target, observed, baseline, year, direction, tolerance, run)
    if observed.parts:
        run.reasons.append(f"the actual {observed.text} holds several values; the target {target} one")
        return _UNJUDGED
    if isinstance(target, (Comparison, Value)):
        if observed.quantity is None:
            run.reasons.append(f"{observed.text} is not a quantity: {target} cannot be judged from it")
            return _UNJUDGED
        return _quantity_verdict(target, observed, direction, tolerance, run)
    if isinstance(target, Range):
        if observed.quantity is None:
            run.reasons.append(f"{observed.text} is not a quantity")
            return _UNJUDGED
        return _range_verdict(target, observed, run)
    if isinstance(target, (Deadline, Period)):
        if observed.date is None:
            run.reasons.append(f"{observed.text} is not a date: {target} cannot be judged from it")
            return _UNJUDGED
        return _date_verdict(target, observed, year, run)
    if observed.change is not None:
        if isinstance(target, Relative):
            return _change_verdict(target, observed.change, run)
        run.reasons.append(f"{observed.text} states a change, not a value: {target} cannot be judged from it")
        return _UNJUDGED
    if isinstance(target, Relative):
        if observed.quantity is None:
            run.reasons.append(f"{observed.text} is not a quantity")
            return _UNJUDGED
        return _relative_verdict(target, observed, baseline, tolerance, run)
    if isinstance(target, Qualitative):
        if target.category == "no_incident" and observed.quantity is not None:
            return _no_incident_verdict(target, observed, run)
        run.reasons.append(f"{observed.text} does not answer the qualitative target {target.label}")
        return _UNJUDGED
    if isinstance(target, Masked):
        run.reasons.append(f"the digits of {target} are masked: it cannot be evaluated")
        return _UNJUDGED
    if isinstance(target, FreeText):
        run.reasons.append("the target is free text, not a measurable target; give a grade (达成/部分达成/未达成)")
        return _UNJUDGED
    assert_never(target)


def _two_sided(target: Compound) -> bool:
    """A low and a high bound on one quantity ("≥95%;≤100%"), not two targets of one cell."""
    if len(target.parts) != 2:
        return False
    first, second = target.parts
    if not (isinstance(first, Comparison) and isinstance(second, Comparison)):
        return False
    directions = {first.op.direction, second.op.direction}
    same_dimension = dimension(first.quantity.unit) == dimension(second.quantity.unit)
    return directions == {Direction.HIGHER, Direction.LOWER} and same_dimension


def _compound_verdict(
    target: Compound,
    observed: Observed,
    baseline: object,
    year: int | None,
    direction: Direction | None,
    tolerance: object,
    run: _Run,
) -> _Verdict:
    actuals = observed.parts
    if not actuals and observed.quantity is not None and _two_sided(target):
        # "≥95%且≤100%" against "96%": a low and a high bound on one quantity, each judged against it.
        run.flag("one_actual_for_both_bounds", f"one actual for both bounds of {target}")
        actuals = (observed,) * len(target.parts)
    if len(actuals) != len(target.parts):
        run.reasons.append(f"{target} has {len(target.parts)} parts: give one actual per part, separated by ';'")
        return _UNJUDGED
    verdicts = []
    points = run.points
    run.points = None
    for part, actual in zip(target.parts, actuals, strict=True):
        run.reasons.append(f"[{part}]")
        verdicts.append(
            _verdict(part, actual, baseline=baseline, year=year, direction=direction, tolerance=tolerance, run=run)
        )
    run.points = points
    mets = [v.met for v in verdicts]
    met = None if None in mets else all(mets)
    # The weakest part decides; a qualitative part counts 1 when met, its band's default otherwise.
    completions = [
        v.completion
        if v.completion is not None
        else (Fraction(1) if v.met else run.rules.band_default(v.band or Band.NOT_MET))
        for v in verdicts
    ]
    completion = min(completions) if completions else None
    if met is None:
        return _UNJUDGED
    score = _score(met, completion, run)
    if score is not None:
        run.reasons.append(f"{'all parts met' if met else 'not all parts met'}: score {score} of {run.points}")
    return _Verdict(met, completion, None, _band_of(met), score)


_TARGET_TYPES = tuple(TARGET_CLASSES.values())


def evaluate(
    target: str | Target,
    actual: object,
    *,
    baseline: object = None,
    year: int | None = None,
    direction: Direction | str | None = None,
    points: object = None,
    rules: str | RuleSet | Mapping[str, Any] = "national",
    tolerance: object = None,
    deadline_inclusive: bool = True,
    default_unit: str | Unit | None = None,
    date_order: str = "ymd",
    excel_dates: bool = False,
) -> Evaluation:
    """Judge ``actual`` against ``target``.

    Args:
        target: the target as text (parsed with :func:`targetexpr.parse`) or a parsed Target.
        actual: text (``"96.5%"``, ``"5,987,500元"``, ``"2022年11月30日"``, ``"不及时"``), a number
            (``int``, ``Decimal``; ``float`` is read through ``str``), a ``datetime.date``, a
            :class:`Quantity`, or ``None`` (missing: no verdict).
        baseline: for relative targets (``较上年增长5%``): the baseline value, e.g. ``"100万元"``.
        year: the budget year, for dates that omit it (targets and actuals).
        direction: 正向/反向 (``"higher"``/``"lower"``/``Direction``) for bare values; a comparator in
            the target wins over it (the conflict is flagged).
        points: the row's points (分值); when given, :attr:`Evaluation.score` is computed.
        rules: the scoring rule set (a shipped name, a TOML path, a mapping or a :class:`RuleSet`).
        tolerance: for ``约``/``左右`` targets: a fraction of the target (``Decimal("0.05")``) or a
            quantity (``"5%"`` of the target, ``"10人"``).
        deadline_inclusive, default_unit, date_order: as for :func:`targetexpr.parse`.
        excel_dates: read integer actuals against date targets as Excel serial dates.

    Raises:
        UnitMismatchError: target and actual in different dimensions (``≤300万元`` against ``4次``).
        BaselineRequiredError: a relative target without ``baseline=``.
        TargetSyntaxError: the target text cannot be read; TargetEvaluationError: nor the actual.

    >>> r = evaluate("≤600 万元", "5,987,500元")
    >>> r.met, r.reason.split("; ")[:2]
    (True, ['5,987,500元 = 598.75万元', '598.75万元 ≤ 600万元: met'])
    >>> evaluate("≥95%", "90%", points=10).score
    Decimal('9.47')
    """
    _check_options(year, date_order, deadline_inclusive)
    key = _memo_key(
        target,
        actual,
        baseline,
        year,
        direction,
        points,
        rules,
        tolerance,
        deadline_inclusive,
        default_unit,
        date_order,
        excel_dates,
    )
    if key is None:
        return _evaluate(
            target,
            actual,
            baseline,
            year,
            direction,
            points,
            rules,
            tolerance,
            deadline_inclusive,
            default_unit,
            date_order,
            excel_dates,
        )
    return _memoised(key)


# Results are immutable, so identical calls may share one (a table repeats ≥95%/100% thousands of
# times).  Keys hold each argument with its type, so 1 and True or 10 and 10.0 never share a result.
_MEMO_SIZE = 16384


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _memoised(key: tuple[tuple[type, object], ...]) -> Evaluation:
    return _evaluate(*(value for _, value in key))  # type: ignore[arg-type]


def _memo_key(*args: object) -> tuple[tuple[type, object], ...] | None:
    rules = args[6]
    if not isinstance(rules, (str, RuleSet)):
        return None
    key = tuple((a.__class__, a) for a in args)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _evaluate(
    target: str | Target,
    actual: object,
    baseline: object,
    year: int | None,
    direction: Direction | str | None,
    points: object,
    rules: str | RuleSet | Mapping[str, Any],
    tolerance: object,
    deadline_inclusive: bool,
    default_unit: str | Unit | None,
    date_order: str,
    excel_dates: bool,
) -> Evaluation:
    rule_set = load_rules(rules)
    wanted = _as_direction(direction)
    run = _Run(rule_set, _points(points))
    if isinstance(target, str):
        node = parse(
            target, year=year, deadline_inclusive=deadline_inclusive, default_unit=default_unit, date_order=date_order
        )
    elif isinstance(target, _TARGET_TYPES):
        node = target
    else:
        raise TargetValueError(f"target must be text or a parsed Target, not {type(target).__name__}")
    observed = read_actual(actual, year=year, date_order=date_order, excel_dates=excel_dates)
    try:
        verdict = _verdict(node, observed, baseline=baseline, year=year, direction=wanted, tolerance=tolerance, run=run)
    except (ZeroDivisionError, decimal.DecimalException) as e:  # pragma: no cover - guarded above
        raise TargetEvaluationError(f"cannot evaluate {node} against {brief(actual)}: {e}") from None
    except TargetError:
        raise
    completion = None if verdict.completion is None else _decimal(verdict.completion, _COMPLETION_PLACES)
    return Evaluation(
        target=node,
        actual=observed.text,
        met=verdict.met,
        completion=completion,
        direction=verdict.direction,
        band=verdict.band,
        reason="; ".join(run.reasons),
        score=verdict.score,
        points=run.points,
        score_range=verdict.score_range,
        flags=tuple(run.flags),
        rules=rule_set.name,
    )
