"""``Evaluation.explain()``: the computation of one evaluation, step by step, for the reader who checks it.

The target as read (in the officer's words, :mod:`targetexpr.renderings`) and as written, the actual and any unit
conversion, the direction and what decided it, the comparison, 完成率 with its formula, 得分 = 完成率 × 分值, the cap,
the rounding, and the rule set with the source of each rule it applied (``data/rule_sources.toml``).  Every number
is the :class:`~targetexpr.Evaluation`'s own (``completion``, ``unrounded_score``, ``points``, ``score``); the
operands of the formula are read again from the target and the actual, and shown only when they give back exactly
the evaluation's completion.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import datafiles as _data
from ..errors import TargetError
from ..i18n import N_, current_language, gettext, say
from ..nodes import (
    Comparison,
    Compound,
    Deadline,
    Direction,
    Op,
    Period,
    Quantity,
    Range,
    Relative,
    Unit,
    Value,
)
from ..renderings import op_word
from ..scoring import CONTEXT, Band, RuleSet, completion_ratio, load_rules
from ..units import convert
from .actuals import read_actual
from .flags import describe_flag

if TYPE_CHECKING:  # pragma: no cover
    from .result import Evaluation

__all__ = ["explain"]

_PLACES = Decimal("0.000001")

_DIRECTION_NAMES = {
    Direction.HIGHER: N_("正向 (higher is better)"),
    Direction.LOWER: N_("反向 (lower is better)"),
    Direction.EQUAL: N_("an indicator with a set value (=)"),
}
_ROUNDING_NAMES = {"half_up": N_("halves rounded up"), "half_even": N_("halves rounded to even")}
_BAND_NAMES = {
    Band.MET: N_("the annual target is met"),
    Band.PARTIAL: N_("the annual target is partly met"),
    Band.NOT_MET: N_("the annual target is not met"),
}
#: What each rule set setting that explain() cites decides, for the reader (data/rule_sources.toml keys).
_SETTING_NAMES = {
    "quantitative.lower": N_("the 反向 formula"),
    "quantitative.cap": N_("the cap at the points"),
    "quantitative.rounding": N_("the rounding"),
    "quantitative.deadline_missed": N_("the score of a missed date"),
    "qualitative.met": N_("the score band of a qualitative target"),
    "qualitative.partial": N_("the score band of a qualitative target"),
    "qualitative.not_met": N_("the score band of a qualitative target"),
}
_NEGATED = {Op.GE: "<", Op.GT: "≤", Op.LE: ">", Op.LT: "≥", Op.EQ: "≠", Op.APPROX: "≉"}


# --- numbers ------------------------------------------------------------------------------------


def _finite(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _num(value: Fraction | Decimal) -> str:
    """Exact digits when the value is a finite decimal; else ``≈`` and 6 places."""
    if isinstance(value, Decimal):
        return format(value, "f")
    with decimal.localcontext(CONTEXT):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        if _finite(value):
            return format(exact.normalize(), "f") if exact else "0"
        return "≈" + format(exact.quantize(_PLACES), "f")


def _quantized(value: Fraction) -> Decimal:
    with decimal.localcontext(CONTEXT):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_PLACES)


def _with_unit(value: Fraction, unit: Unit | None) -> str:
    return _num(value) + (str(unit) if unit is not None else "")


def _percent(value: Decimal) -> str:
    with decimal.localcontext(CONTEXT):
        return format((value * 100).quantize(Decimal("0.01")), "f") + "%"


# --- the rule set and its sources ---------------------------------------------------------------


@functools.cache
def _rule_sources() -> Mapping[str, Any]:
    import tomllib

    data = _data.package_bytes("data", "rule_sources.toml")
    return tomllib.loads(data.decode("utf-8")) if data is not None else {}


def _source(rules: RuleSet, setting: str) -> str | None:
    entry = _rule_sources().get(rules.name, {}).get(setting)
    return str(entry["source"]) if isinstance(entry, Mapping) and "source" in entry else None


def _rule_set(ev: Evaluation) -> RuleSet | None:
    if ev.rule_set is not None:
        return ev.rule_set
    try:
        return load_rules(ev.rules)
    except TargetError:
        return None


# --- the operands of a quantitative evaluation ----------------------------------------------------


def _bound(target: Comparison | Value | Range, direction: Direction | None) -> Quantity:
    if isinstance(target, Range):
        return target.high if direction is Direction.LOWER else target.low
    return target.quantity


def _operands(ev: Evaluation, rules: RuleSet | None) -> tuple[Fraction, Fraction, Unit | None] | None:
    """Target A and actual B, exactly, in the target's unit, when they give the evaluation's completion."""
    target = ev.target
    if not isinstance(target, (Comparison, Value, Range)) or ev.actual is None or ev.direction is None:
        return None
    try:
        observed = read_actual(ev.actual)
    except (TargetError, ValueError):
        return None
    bound = _bound(target, ev.direction)
    q, unit = observed.quantity, bound.unit
    if q is None:
        return None
    if q.unit is None and unit is not None:
        q = Quantity(q.value, unit)
    try:
        a, b = Fraction(bound.value), convert(q, unit)
    except (TargetError, ValueError):
        return None
    if ev.completion is not None and rules is not None and not (isinstance(target, Range) and ev.met):
        ratio = completion_ratio(a, b, ev.direction, rules)
        if ratio is None or _quantized(ratio) != ev.completion:
            return None  # read otherwise than the evaluator did: show the evaluation's numbers only
    return a, b, unit


def _op_used(ev: Evaluation) -> Op | None:
    target = ev.target
    if isinstance(target, Comparison):
        return target.op
    if isinstance(target, Value):
        if ev.direction_source == "zero":
            return Op.LE
        return {Direction.HIGHER: Op.GE, Direction.LOWER: Op.LE, Direction.EQUAL: Op.EQ}.get(
            ev.direction or Direction.HIGHER
        )
    return None


# --- the steps ----------------------------------------------------------------------------------


def _target_lines(ev: Evaluation, lang: str) -> list[str]:
    t = ev.target
    read = format(t, lang)
    lines = [say("target value: {target}", lang, target=read)]
    written = t.written.strip() if t.written is not None else None
    if written is not None and written != read:
        lines.append(say("as written in the table: {written}", lang, written=written))
    if str(t) not in (read, written):
        lines.append(say("canonical form: {canonical}", lang, canonical=str(t)))
    return lines


def _direction_line(ev: Evaluation, lang: str) -> str | None:
    if ev.direction is None or ev.direction_source is None:
        return None
    name = gettext(_DIRECTION_NAMES[ev.direction], lang)
    source = ev.direction_source
    if source == "comparator":
        op = _op_used(ev)
        unit = ev.target.quantity.unit if isinstance(ev.target, Comparison) else None
        why = say("its comparator '{word}' says so", lang, word=op_word(op, unit, lang)) if op else ""
    elif source == "given":
        why = say("the direction was given (direction=)", lang)
    elif source.startswith("cue:"):
        why = say("the indicator's name contains {word}", lang, word=source[4:])
    elif source == "assumed":
        why = say("the target has no comparator: read as at least (pass direction= if lower is better)", lang)
    elif source == "zero":
        why = say("a target of 0 means none at all", lang)
    else:
        why = say("the kind of target decides it", lang)
    return say("direction: {direction}; {why}", lang, direction=name, why=why)


def _quantity_lines(ev: Evaluation, rules: RuleSet | None, lang: str) -> list[str]:
    operands = _operands(ev, rules)
    lines: list[str] = []
    if operands is None:
        return lines
    a, b, unit = operands
    assert ev.actual is not None
    converted = _with_unit(b, unit)
    if converted != ev.actual.strip():
        lines.append(
            say(
                "the actual read in the target's unit: {actual} = {converted}",
                lang,
                actual=ev.actual,
                converted=converted,
            )
        )
    target = ev.target
    verdict = gettext(N_("the target is met"), lang) if ev.met else gettext(N_("the target is not met"), lang)
    if isinstance(target, Range):
        inside = ev.met is True
        lines.append(
            say(
                "comparison: {actual} is within {range}: {verdict}",
                lang,
                actual=converted,
                range=str(target),
                verdict=verdict,
            )
            if inside
            else say(
                "comparison: {actual} is outside {range}: {verdict}; the nearer end {bound} is the target value",
                lang,
                actual=converted,
                range=str(target),
                verdict=verdict,
                bound=_with_unit(a, unit),
            )
        )
    else:
        op = _op_used(ev)
        if op is not None and ev.met is not None:
            symbol = op.value if ev.met else _NEGATED[op]
            lines.append(
                say(
                    "comparison: {actual} {symbol} {target}: {verdict}",
                    lang,
                    actual=converted,
                    symbol=symbol,
                    target=_with_unit(a, unit),
                    verdict=verdict,
                )
            )
    if ev.completion is None or (isinstance(target, Range) and ev.met):
        return lines
    c = say("{completion} ({percent})", lang, completion=_num(ev.completion), percent=_percent(ev.completion))
    if ev.direction is Direction.LOWER and rules is not None and rules.lower == "linear":
        lines.append(
            say(
                "completion = 1 − (actual − target) ÷ target (反向, linear, never below 0) = "
                "1 − ({b} − {a}) ÷ {a} = {completion}",
                lang,
                a=_num(a),
                b=_num(b),
                completion=c,
            )
        )
    elif ev.direction is Direction.LOWER:
        lines.append(
            say(
                "completion = target ÷ actual (反向) = {a} ÷ {b} = {completion}",
                lang,
                a=_num(a),
                b=_num(b),
                completion=c,
            )
        )
    elif ev.direction is Direction.EQUAL and a == 0:
        lines.append(
            say("completion: a target of 0 is complete when the actual is 0 or less: {completion}", lang, completion=c)
        )
    else:
        lines.append(
            say(
                "completion = actual ÷ target (正向) = {b} ÷ {a} = {completion}",
                lang,
                a=_num(a),
                b=_num(b),
                completion=c,
            )
        )
    return lines


def _score_lines(ev: Evaluation, rules: RuleSet | None, lang: str) -> list[str]:
    if ev.met is None:
        return []
    if ev.points is None:
        return [say("no points given: no score", lang)]
    lines: list[str] = []
    points = _num(ev.points)
    target = ev.target
    if ev.score_range is not None:
        low, high = ev.score_range
        band = gettext(_BAND_NAMES[ev.band], lang) if ev.band is not None else ""
        lines.append(
            say(
                "qualitative: {band}, a score from {low} to {high} of {points}; proposed {score}",
                lang,
                band=band,
                low=_num(low),
                high=_num(high),
                points=points,
                score=_num(ev.score if ev.score is not None else Decimal(0)),
            )
        )
        return lines
    if isinstance(target, (Deadline, Period)):
        if ev.met:
            lines.append(say("score: a date met scores the full points = {points}", lang, points=points))
        else:
            missed = rules.deadline_missed if rules is not None else Fraction(0)
            lines.append(
                say(
                    "score: a date missed scores {share} of the points: {share} × {points}",
                    lang,
                    share=_num(missed),
                    points=points,
                )
            )
    elif ev.completion is None:
        lines.append(say("score: no proportional rule applies: {score}", lang, score=points if ev.met else "0"))
    elif ev.completion > 1 and (rules is None or rules.cap):
        lines.append(
            say(
                "score = completion × points, capped at the points (completion above 100%) = {points}",
                lang,
                points=points,
            )
        )
    elif ev.met and ev.completion < 1:
        lines.append(say("score: the target is met, so the full points = {points}", lang, points=points))
    else:
        unrounded = (
            ev.unrounded_score if ev.unrounded_score is not None else Fraction(ev.completion) * Fraction(ev.points)
        )
        # The exact completion (the evaluation's is rounded to 6 places): the score's share of the points.
        share = unrounded / Fraction(ev.points) if ev.points else Fraction(ev.completion)
        lines.append(
            say(
                "score = completion × points = {completion} × {points} = {unrounded}",
                lang,
                completion=_num(share),
                points=points,
                unrounded=_num(unrounded),
            )
        )
    if ev.score is not None and rules is not None:
        mode = gettext(_ROUNDING_NAMES.get(rules.rounding, rules.rounding), lang)
        unrounded_text = _num(ev.unrounded_score) if ev.unrounded_score is not None else _num(ev.score)
        lines.append(
            say(
                "rounding: {places} decimal places, {mode}: {unrounded} → score {score}",
                lang,
                places=rules.places,
                mode=mode,
                unrounded=unrounded_text,
                score=_num(ev.score),
            )
        )
    return lines


def _rule_lines(ev: Evaluation, rules: RuleSet | None, lang: str) -> list[str]:
    if rules is None:
        return [say("rule set: {name}{title}", lang, name=ev.rules, title="")]
    shown = rules.title_in(lang)
    title = (f"({shown})" if lang == "zh" else f" ({shown})") if shown else ""
    lines = [say("rule set: {name}{title}", lang, name=rules.name, title=title)]
    settings = []
    quantitative = isinstance(ev.target, (Comparison, Value, Range))
    if quantitative and ev.completion is not None and ev.direction is Direction.LOWER and ev.met is False:
        settings.append("quantitative.lower")
    if ev.completion is not None and ev.completion > 1 and rules.cap:
        settings.append("quantitative.cap")
    if ev.score is not None:
        settings.append("quantitative.rounding")
    if ev.score_range is not None and ev.band is not None:
        settings.append(f"qualitative.{ev.band.value}")
    if isinstance(ev.target, (Deadline, Period)) and ev.met is False:
        settings.append("quantitative.deadline_missed")
    for setting in settings:
        source = _source(rules, setting)
        if source is not None:
            name = gettext(_SETTING_NAMES[setting], lang)
            lines.append(say("source of {setting}: {source}", lang, setting=name, source=source))
    if not settings and rules.sources:
        lines.append(say("sources: {sources}", lang, sources="; ".join(rules.sources)))
    return lines


def explain(ev: Evaluation, lang: str | None = None) -> str:
    """The computation of ``ev`` step by step, one step a line, in ``lang`` (default: the language in effect)."""
    language = current_language(lang)
    rules = _rule_set(ev)
    lines = _target_lines(ev, language)
    lines.append(say("actual value: {actual}", language, actual=ev.actual if ev.actual is not None else "—"))
    quantity_lines = _quantity_lines(ev, rules, language) if ev.met is not None else []
    target = ev.target
    if ev.met is not None and (not quantity_lines or not isinstance(target, (Comparison, Value, Range))):
        if isinstance(target, Compound):
            lines.append(
                say("several targets in one cell: each part is judged, the weakest part's completion counts", language)
            )
        if ev.reason:
            lines.append(say("how it was judged: {reason}", language, reason=ev.reason))
    direction = _direction_line(ev, language)
    if direction is not None:
        lines.append(direction)
    lines.extend(quantity_lines)
    if ev.met is None:
        why = ev.reason or say("no actual value was given", language)
        lines.append(say("not judged: {reason}", language, reason=why))
    else:
        if isinstance(target, (Relative, Compound)) and ev.completion is not None:
            lines.append(
                say(
                    "completion = {completion} ({percent})",
                    language,
                    completion=_num(ev.completion),
                    percent=_percent(ev.completion),
                )
            )
        lines.extend(_score_lines(ev, rules, language))
        if ev.band is not None:
            lines.append(say("conclusion: {band}", language, band=gettext(_BAND_NAMES[ev.band], language)))
    for flag in ev.flags:
        sentence = describe_flag(flag, language)
        if sentence != flag:
            lines.append(say("note: {sentence}", language, sentence=sentence))
    lines.extend(_rule_lines(ev, rules, language))
    return "\n".join(lines)
