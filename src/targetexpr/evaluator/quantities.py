"""Quantitative targets: comparisons, bare values and ranges against a quantity, with exact unit conversion."""

from __future__ import annotations

from fractions import Fraction

from ..errors import (
    TargetValueError,
    UnitMismatchError,
    brief,
)
from ..i18n import N_, say
from ..nodes import (
    Comparison,
    Direction,
    Op,
    Quantity,
    Range,
    Unit,
    Value,
)
from ..parser.api import parse
from ..scoring import completion_ratio, formula_text
from ..units import convert, dimension
from .actuals import Observed
from .cues import chosen_cue
from .cues import describe as describe_cue
from .result import (
    _band_of,
    _fmt,
    _fmt_number,
    _percent,
    _Run,
    _score,
    _to_decimal,
    _Verdict,
    describe_quantity,
    direction_word,
    met_word,
)

# --- quantitative -------------------------------------------------------------------------------


#: The denominator of a yearly target (每年2次: 2次/年), the period a self-evaluation covers.
_PER_YEAR = ("年",)


def _read_actual_as(run: _Run, flag: str, message: str, actual: Quantity, unit: Unit) -> Quantity:
    """``actual`` read in ``unit``, flagged ``flag`` with ``message`` (a catalog id with the fields
    ``{actual}`` and ``{read}``)."""
    read = Quantity(actual.value, unit)
    run.flag(flag, say(message, actual=actual, read=read))
    return read


def _align(
    target: Quantity, actual: Quantity, run: _Run, shown: str | None = None
) -> tuple[Fraction, Fraction, Unit | None]:
    """Target and actual values, exactly, in the target's unit (``shown``: the actual as written)."""
    t_unit, a_unit = target.unit, actual.unit
    written = actual
    # A bare actual ("50" against "≥50个", or "250万" against "≤300万元") takes the target's unit.
    if t_unit is not None and (a_unit is None or (not a_unit.base and t_unit.base)):
        a_unit = t_unit if a_unit is None else Unit(t_unit.base, a_unit.prefix, t_unit.per)
        actual = _read_actual_as(
            run,
            "actual_unit_from_target",
            N_("the actual {actual} has no unit: read in the target's unit as {read}"),
            actual,
            a_unit,
        )
    if (t_unit is None or not t_unit.base) and a_unit is not None and a_unit.base:
        kind = dimension(a_unit).base
        if kind == "percent" or kind.startswith("count:"):
            new_unit = Unit(a_unit.base, t_unit.prefix if t_unit is not None else "", a_unit.per)
            run.flag(
                "target_unit_from_actual",
                say(
                    "the target {target} has no unit: read as {read} like the actual",
                    target=target,
                    read=Quantity(target.value, new_unit),
                ),
            )
            target = Quantity(target.value, new_unit)
            t_unit = new_unit
        else:
            raise UnitMismatchError(
                say(
                    "the target {target} has no unit and the actual {actual} has one: "
                    "give the target's unit (default_unit=, e.g. the table header's 单位:万元)",
                    target=target,
                    actual=describe_quantity(actual),
                ),
                target=str(target),
                actual=str(actual),
            )
    if t_unit is not None and t_unit.per == _PER_YEAR and a_unit is not None and a_unit.base and not a_unit.per:
        # "3次" against "每年2次": a self-evaluation covers one year, so the actual counts that year.
        # Not against "每月2次": "3次" may then be the year's or a month's count (no guess, #4).
        yearly = Unit(a_unit.base, a_unit.prefix, _PER_YEAR)
        if dimension(yearly) == dimension(t_unit):
            a_unit = yearly
            actual = _read_actual_as(
                run,
                "actual_per_year",
                N_("the actual {actual} names no period: it counts the evaluated year, read as {read}"),
                actual,
                yearly,
            )
    if dimension(t_unit) != dimension(a_unit):
        raise UnitMismatchError(
            say(
                "the target {target} cannot be compared with the actual {actual}",
                target=describe_quantity(target),
                actual=describe_quantity(actual),
            ),
            target=str(target),
            actual=str(actual),
            target_dimension=str(dimension(t_unit)),
            actual_dimension=str(dimension(a_unit)),
        )
    a = Fraction(target.value)
    b = convert(actual, t_unit)
    if a_unit != t_unit:
        run.reasons.append(
            say(
                "{actual} = {converted}",
                actual=shown if shown and written.unit is not None else actual,
                converted=_fmt(b, t_unit),
            )
        )
    return a, b, t_unit


_HOLDS = {
    Op.GE: lambda b, a: b >= a,
    Op.GT: lambda b, a: b > a,
    Op.LE: lambda b, a: b <= a,
    Op.LT: lambda b, a: b < a,
    Op.EQ: lambda b, a: b == a,
}
_NEGATED = {Op.GE: "<", Op.GT: "≤", Op.LE: ">", Op.LT: "≥", Op.EQ: "≠"}


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
    completion_by: tuple[Fraction | None, str] | None = None,
) -> _Verdict:
    """Compare B with A under ``op``; completion and score by ``direction`` (or ``completion_by``:
    a completion computed otherwise, with the sentence that says how)."""
    if op is Op.APPROX:
        if tolerance is None:
            run.reasons.append(
                say(
                    "{target} is approximate (约/左右) and no tolerance rule exists: pass tolerance= to judge it",
                    target=target_text,
                )
            )
            return _Verdict(None, None, Direction.EQUAL, None, None)
        met = abs(b - a) <= tolerance
        run.reasons.append(
            say(
                "|{actual} − {target}| {symbol} {tolerance} (tolerance): {verdict}",
                actual=_fmt(b, unit),
                target=_fmt(a, unit),
                symbol="≤" if met else ">",
                tolerance=_fmt(tolerance, unit),
                verdict=met_word(met),
            )
        )
    elif op is Op.EQ:
        # = with A > 0 and B > A: the national system scores it as 正向 (full points); whether it is
        # met is the rule set's equal_above: "met" (the system) or "not_met" (= as written).  The
        # score is the system's either way, and the flag equal_exceeded says which was applied.
        above = a > 0 and b > a
        met = b == a or (above and run.rules.equal_above == "met")
        symbol = "=" if b == a else (">" if above else "≠")
        run.reasons.append(_compared(b, a, symbol, unit, met))
        if above:
            if met:
                why = say("the national system's rule for = judges A > 0 as 正向, so an actual above is met")
            else:
                why = say(
                    "not met as written (B ≠ A), yet the national system's rule for = (A > 0 as 正向) gives "
                    "full points: a reviewer decides"
                )
            run.flag(
                "equal_exceeded",
                say("{actual} is not exactly {target}: {why}", actual=_fmt(b, unit), target=_fmt(a, unit), why=why),
            )
    else:
        met = _HOLDS[op](b, a)
        symbol = op.value if met else _NEGATED[op]
        run.reasons.append(_compared(b, a, symbol, unit, met))
        if not met and b == a and op in (Op.GT, Op.LT):
            run.flag(
                "strict_bound", say("{target} excludes the bound itself (超过/不满 exclude 本数)", target=target_text)
            )
    if met and b == a and op in (Op.GE, Op.LE) and a != 0:
        run.flag("at_bound")
    if completion_by is not None:
        completion, how = completion_by
        if completion is not None:
            run.reasons.append(
                say("completion {completion} by {formula}", completion=_percent(completion), formula=how)
            )
    else:
        completion = completion_ratio(a, b, direction, run.rules)
        if completion is not None:
            run.reasons.append(
                say(
                    "completion {completion} by {formula}",
                    completion=_percent(completion),
                    formula=formula_text(direction, run.rules),
                )
            )
    _review(met, completion, direction, op, a, b, run)
    score = _score(met, completion, run)
    if score is not None:
        run.reasons.append(say("score {score} of {points}", score=score, points=run.points))
    return _Verdict(met, completion, direction, _band_of(met), score)


def _compared(b: Fraction, a: Fraction, symbol: str, unit: Unit | None, met: bool) -> str:
    """``98% ≥ 95%: met`` (实际完成值 98% ≥ 目标值 95%:达成)."""
    return say(
        "{actual} {symbol} {target}: {verdict}",
        actual=_fmt(b, unit),
        symbol=symbol,
        target=_fmt(a, unit),
        verdict=met_word(met),
    )


def _review(
    met: bool, completion: Fraction | None, direction: Direction, op: Op, a: Fraction, b: Fraction, run: _Run
) -> None:
    """Flags for a reviewer, never a deduction: over-completion, manual scoring, deviation."""
    rules = run.rules
    over = False
    threshold = rules.over_completion
    upward = direction is not Direction.LOWER and completion is not None
    if threshold is not None and upward and completion is not None and completion >= threshold:
        over = True
        excess = _fmt_number((completion - 1) * 100)
        run.flag(
            "over_completion",
            say(
                "实际完成值超出指标值{excess}% (≥ {threshold} × the target): "
                "marked for a reviewer, the score is not changed",
                excess=excess,
                threshold=_fmt_number(threshold),
            ),
        )
    if "lower_missed" in rules.manual_scoring and direction is Direction.LOWER and not met:
        run.flag(
            "manual_scoring",
            say(
                "rule set {rules} marks a missed 反向 row for manual scoring: the formula score is a proposal",
                rules=repr(rules.name),
            ),
        )
    if "equal_unequal" in rules.manual_scoring and op is Op.EQ and b != a:
        run.flag(
            "manual_scoring",
            say(
                "rule set {rules} marks an = row whose actual differs for manual scoring: "
                "the formula score is a proposal",
                rules=repr(rules.name),
            ),
        )
    if rules.deviation_flag and (not met or over):
        # 财预〔2020〕10号's self-evaluation table asks a 偏差原因分析 for a deviation: a flag only (no
        # sentence, so a missed row's reason stays short), never a deduction.
        run.flag("deviation")


def _resolve_direction(
    op: Op | None, wanted: Direction | None, target_text: str, run: _Run, unit: Unit | None = None
) -> Direction:
    cue = chosen_cue(run.cues, unit)
    if op is None:
        if wanted is not None:
            run.direction_source = "given"
            return wanted
        if cue is not None:
            run.direction_source = f"cue:{cue.contains}"
            run.reasons.append(describe_cue(cue))
            return cue.direction
        run.direction_source = "assumed"
        run.flag(
            "assumed_higher",
            say(
                "{target} has no comparator: read as at least (正向); pass direction= if lower is better",
                target=target_text,
            ),
        )
        return Direction.HIGHER
    natural = op.direction
    run.direction_source = "comparator"
    if cue is not None and wanted is None and cue.direction is not natural and op is not Op.APPROX:
        run.reasons.append(
            say(
                "the name word {word} suggests {cue}; the comparator of {target} says {comparator} and wins",
                word=repr(cue.contains),
                cue=direction_word(cue.direction),
                target=target_text,
                comparator=direction_word(natural),
            )
        )
    if wanted is not None and wanted is not natural and op is not Op.APPROX:
        run.flag(
            "direction_conflict",
            say(
                "the comparator of {target} says {comparator}, the direction given says {given}: the comparator wins",
                target=target_text,
                comparator=direction_word(natural),
                given=direction_word(wanted),
            ),
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
            say(
                "the actual repeats a comparator ({actual}): judged as {value}",
                actual=observed.text,
                value=observed.quantity.value,
            ),
        )
    text = str(target)
    if isinstance(target, Value):
        if a == 0 and target.quantity.value.is_zero():
            run.flag("zero_means_none", say("{target} means none at all: met only by 0", target=text))
            run.direction_source = "zero"
            return _judge(a, b, Op.LE, Direction.LOWER, unit, str(observed.text), text, run)
        direction = _resolve_direction(None, wanted, text, run, unit)
        op = {Direction.HIGHER: Op.GE, Direction.LOWER: Op.LE, Direction.EQUAL: Op.EQ}[direction]
        return _judge(a, b, op, direction, unit, str(observed.text), text, run)
    direction = _resolve_direction(target.op, wanted, text, run, unit)
    tol = _tolerance(tolerance, target.quantity, a, run) if target.op is Op.APPROX else None
    op = target.op
    if observed.claim is not None and (op, observed.claim) in _CLAIM_MEETS and b == a:
        # ">23万人次" against ">23万人次": the actual says it is beyond the bound, which is the target.
        op = _CLAIM_MEETS[op, observed.claim]
        run.reasons.append(
            say(
                "the actual {actual} claims the target's own strict bound: it meets {target}",
                actual=observed.text,
                target=text,
            )
        )
    return _judge(a, b, op, direction, unit, str(observed.text), text, run, tol)


#: A strict target and an actual that claims the same strict bound: the claim meets the target at
#: the bound itself (x > b and b ≥ a give x > a), so the bound is judged inclusively.
_CLAIM_MEETS = {(Op.GT, Op.GT): Op.GE, (Op.LT, Op.LT): Op.LE}


def _tolerance(tolerance: object, target: Quantity, a: Fraction, run: _Run) -> Fraction | None:
    if tolerance is None:
        return None
    if isinstance(tolerance, Quantity):
        result = convert(tolerance, target.unit)
    elif isinstance(tolerance, str):
        q = parse(tolerance)
        if not isinstance(q, Value):
            raise TargetValueError(
                say("tolerance {value} must be a quantity (5%, 10人)", value=brief(tolerance)), field="tolerance"
            )
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
        raise TargetValueError(say("tolerance {value} must not be negative", value=brief(tolerance)), field="tolerance")
    return result


def _range_verdict(target: Range, observed: Observed, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    low_a, b, unit = _align(target.low, observed.quantity, run, observed.text)
    high_a = convert(target.high, unit) if target.high.unit is not None else Fraction(target.high.value)
    above_low = b >= low_a if target.low_inclusive else b > low_a
    below_high = b <= high_a if target.high_inclusive else b < high_a
    met = above_low and below_high
    shown, verdict = _fmt(b, unit), met_word(met)
    if met:
        run.reasons.append(say("{actual} is within {target}: {verdict}", actual=shown, target=target, verdict=verdict))
    else:
        run.reasons.append(
            say("{actual} is not within {target}: {verdict}", actual=shown, target=target, verdict=verdict)
        )
    if met:
        completion: Fraction | None = Fraction(1)
        direction = Direction.EQUAL
    elif not above_low:
        direction = Direction.HIGHER
        completion = completion_ratio(low_a, b, Direction.HIGHER, run.rules)
    else:
        direction = Direction.LOWER
        completion = completion_ratio(high_a, b, Direction.LOWER, run.rules)
    if completion is not None and not met:
        run.reasons.append(
            say(
                "completion {completion} by {formula} on the nearer end",
                completion=_percent(completion),
                formula=formula_text(direction, run.rules),
            )
        )
    score = _score(met, completion, run)
    if score is not None:
        run.reasons.append(say("score {score} of {points}", score=score, points=run.points))
    return _Verdict(met, completion, direction, _band_of(met), score)
