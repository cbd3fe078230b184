"""Relative targets (较上年增长5%, 提高2个百分点) against a baseline, or against an actual that states the change."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..errors import (
    BaselineRequiredError,
    TargetValueError,
    UnitMismatchError,
    brief,
)
from ..i18n import N_, gettext, say
from ..nodes import (
    Change,
    Comparison,
    Op,
    Quantity,
    Relative,
    Value,
)
from ..parser.api import parse
from ..scoring import Band, completion_ratio, formula_text
from ..units import convert, dimension
from .actuals import Observed
from .qualitative import _band_verdict
from .quantities import _align, _judge, _resolve_direction, _tolerance
from .result import _UNJUDGED, _fmt, _fmt_number, _Run, _to_decimal, _Verdict, describe_quantity

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
        raise TargetValueError(
            say("the baseline {value} must be a quantity (100万元, 90%)", value=brief(baseline)), field="baseline"
        )
    raise TargetValueError(
        say("the baseline must be text, a number or a Quantity, not {type}", type=type(baseline).__name__),
        field="baseline",
    )


def _relative_verdict(target: Relative, observed: Observed, baseline: object, tolerance: object, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    if baseline is None:
        reference = target.reference or gettext(N_("the baseline"))
        raise BaselineRequiredError(
            say(
                "{target} is relative to {reference}: pass baseline= (the {reference} value)",
                target=target,
                reference=reference,
            ),
            target=str(target),
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
        run.reasons.append(say("baseline {baseline}", baseline=_fmt(b0, unit)))
        direction = _resolve_direction(target.op, None, text, run)
        tol = _tolerance(tolerance, base, b0, run) if target.op is Op.APPROX else None
        return _judge(b0, b, target.op, direction, unit, str(observed.text), text, run, tol)
    sign = 1 if target.change is Change.UP else -1
    amount = target.amount
    # The change rule (docs/evaluation.md): a relative target's 指标值 is the change it asks for, so
    # the completion is the actual change over the target change, each measured in the target's
    # direction, whether the actual is given as a level (with a baseline) or as the change itself.
    by_change: tuple[Fraction | None, str] | None = None
    if amount is None:
        level = b0
        described = say("baseline {baseline}", baseline=_fmt(b0, unit))
        op = Op.GT if target.change is Change.UP else Op.LT
    else:
        amount_unit = amount.unit
        change_op = target.op or Op.GE
        if amount_unit is not None and amount_unit.base == "%" and not amount_unit.prefix:
            level = b0 * (1 + sign * Fraction(amount.value) / 100)
            described = say(
                "baseline {baseline} × (1 {sign} {amount}) = {level}",
                baseline=_fmt(b0, unit),
                sign="+" if sign > 0 else "−",
                amount=amount,
                level=_fmt(level, unit),
            )
            if b0 > 0:
                stated = sign * (b - b0) / b0 * 100
                by_change = _by_change(Fraction(amount.value), stated, change_op, "%", target, run)
        elif amount_unit is not None and amount_unit.base == "百分点":
            if unit is None or unit.base != "%":
                raise UnitMismatchError(
                    say(
                        "{target} changes by percentage points: the baseline and the actual must be percentages",
                        target=text,
                    ),
                    target=text,
                )
            level = b0 + sign * Fraction(amount.value)
            described = say(
                "baseline {baseline} {sign} {amount}个百分点 = {level}",
                baseline=_fmt(b0, unit),
                sign="+" if sign > 0 else "−",
                amount=amount.value,
                level=_fmt(level, unit),
            )
            by_change = _by_change(Fraction(amount.value), sign * (b - b0), change_op, "个百分点", target, run)
        else:
            if amount.unit is not None and dimension(amount.unit) != dimension(unit):
                raise UnitMismatchError(
                    say(
                        "the change {amount} of {target} cannot be compared with the actual {actual}",
                        amount=describe_quantity(amount),
                        target=text,
                        actual=describe_quantity(actual),
                    ),
                    target=text,
                    actual=str(actual),
                )
            step = convert(amount, unit) if amount.unit is not None else Fraction(amount.value)
            level = b0 + sign * step
            described = say(
                "baseline {baseline} {sign} {amount} = {level}",
                baseline=_fmt(b0, unit),
                sign="+" if sign > 0 else "−",
                amount=amount,
                level=_fmt(level, unit),
            )
            by_change = _by_change(step, sign * (b - b0), change_op, str(unit or ""), target, run)
        # "增长≥5%": the level is a floor; "下降≥10%": a ceiling; "增长≤5%": a ceiling.
        op = change_op if target.change is Change.UP else change_op.mirrored
    run.reasons.append(described)
    direction = op.direction
    tol = _tolerance(tolerance, Quantity(Decimal(0), unit), level, run) if op is Op.APPROX else None
    if op is Op.APPROX:
        by_change = None
    return _judge(level, b, op, direction, unit, str(observed.text), text, run, tol, by_change)


def _by_change(
    wanted: Fraction, got: Fraction, op: Op, unit: str, target: Relative, run: _Run
) -> tuple[Fraction | None, str]:
    """The completion of a relative target by the change rule: the actual change over the target's."""
    completion = completion_ratio(wanted, got, op.direction, run.rules)
    fields = {
        "got": f"{_fmt_number(got)}{unit}",
        "wanted": f"{_fmt_number(wanted)}{unit}",
        "formula": formula_text(op.direction, run.rules),
    }
    if target.change is Change.DOWN:
        how = say("the change rule: a fall of {got} against {wanted} ({formula} on the changes)", **fields)
    else:
        how = say("the change rule: a change of {got} against {wanted} ({formula} on the changes)", **fields)
    return completion, how


def _signed_change(node: Relative) -> Quantity | None:
    """The change a relative actual states, signed: 增长6% → +6%, 下降2个百分点 → −2百分点, 持平 → 0."""
    if node.change is None:
        return Quantity(Decimal(0))  # 与上年持平
    if node.amount is None:
        return None
    value = node.amount.value if node.change is Change.UP else node.amount.value.copy_negate()
    return Quantity(value, node.amount.unit)


#: A bound the actual claims (预算内: ≤ the baseline) that meets, or misses, a target's bound.
_CLAIMS_MEET = {Op.LE: (Op.LE, Op.LT), Op.LT: (Op.LT,), Op.GE: (Op.GE, Op.GT), Op.GT: (Op.GT,)}
_CLAIMS_MISS = {Op.LE: (Op.GT,), Op.LT: (Op.GT, Op.GE), Op.GE: (Op.LT,), Op.GT: (Op.LT, Op.LE)}


def _bound_claim(target: Relative, actual: Relative, run: _Run) -> _Verdict:
    """The actual claims a bound on the baseline itself (``预算内``, ``高于上年``) against a target
    that asks for a bound without an amount (``不超过预算``): met when the claim is the target's
    bound or a stricter one, missed when it is the opposite, else not judged (``不低于上年``
    against ``高于上年`` says nothing of the amount asked for)."""
    op = actual.op
    assert op is not None
    bound = target.op if target.change is None and target.amount is None else None
    if bound is not None and op in _CLAIMS_MEET.get(bound, ()):
        run.reasons.append(say("the actual {actual} claims the bound {target} asks for", actual=actual, target=target))
        return _band_verdict(Band.MET, bound.direction, run, Fraction(1))
    if bound is not None and op in _CLAIMS_MISS.get(bound, ()):
        run.reasons.append(say("the actual {actual} claims the opposite of {target}", actual=actual, target=target))
        return _band_verdict(Band.NOT_MET, bound.direction, run)
    run.reasons.append(
        say("the actual {actual} gives no amount of change: pass the actual value and baseline=", actual=actual)
    )
    return _UNJUDGED


def _change_verdict(target: Relative, actual: Relative, run: _Run) -> _Verdict:
    """The actual gives the change itself ("增长6%" against "较上年增长5%"): compare the changes.

    No baseline is needed.  A ratio (%) and percentage points never compare with each other.
    """
    text = str(target)
    if target.reference is not None and actual.reference is not None and target.reference != actual.reference:
        run.reasons.append(
            say(
                "the actual {actual} is relative to {actual_reference}, the target {target} to {target_reference}",
                actual=actual,
                actual_reference=actual.reference,
                target=text,
                target_reference=target.reference,
            )
        )
        return _UNJUDGED
    if actual.change is None and actual.op not in (None, Op.EQ):
        return _bound_claim(target, actual, run)
    stated = _signed_change(actual)
    if stated is None:
        run.reasons.append(
            say("the actual {actual} gives no amount of change: pass the actual value and baseline=", actual=actual)
        )
        return _UNJUDGED
    run.flag(
        "actual_states_change",
        say("the actual states the change ({actual}): compared with the target's change", actual=actual),
    )
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
        levels: tuple[Fraction | None, str] | None = None
        if stated.unit is None or (stated.unit.base == "%" and not stated.unit.prefix):
            # The target is the baseline itself: B/A on the levels is 1 + the change, on any baseline.
            ratio = completion_ratio(Fraction(1), 1 + b / 100, direction, run.rules)
            levels = (
                ratio,
                say("{formula} on the levels (baseline × (1 + change))", formula=formula_text(direction, run.rules)),
            )
        return _judge(Fraction(0), b, op, direction, stated.unit, str(actual), text, run, completion_by=levels)
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
