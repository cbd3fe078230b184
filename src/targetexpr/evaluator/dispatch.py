"""``evaluate()``: dispatch over the target's kind, compound targets, options and memo."""

from __future__ import annotations

import contextlib
import copy
import decimal
import functools
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, assert_never

import attrs

from ..errors import (
    TargetError,
    TargetEvaluationError,
    TargetValueError,
    brief,
)
from ..i18n import check_language, current_language, language, say
from ..nodes import (
    TARGET_CLASSES,
    Comparison,
    Compound,
    Deadline,
    Direction,
    FreeText,
    Masked,
    Period,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
)
from ..parser.api import Analysis, analyze, analyze_named, repairing
from ..scoring import Band, RuleSet
from ..units import dimension
from .actuals import Observed, read_actual
from .cues import MAX_LABEL, matching_cues
from .dates import _date_verdict
from .options import EvalOptions, checked_names, keyword_changes, nameless
from .qualitative import _no_incident_verdict, _quality_verdict, restated_sentence
from .quantities import _quantity_verdict, _range_verdict
from .relative import _change_verdict, _relative_verdict
from .result import (
    _COMPLETION_PLACES,
    _UNJUDGED,
    REASON_JOINS,
    Evaluation,
    _band_of,
    _decimal,
    _Run,
    _score,
    _to_decimal,
    _Verdict,
)

# --- the entry point ----------------------------------------------------------------------------


def _points(points: object) -> Decimal | None:
    if points is None:
        return None
    if points.__class__ is str:
        return _points_text(points)
    return _points_read(points)


@functools.lru_cache(maxsize=1024)
def _points_text(points: str) -> Decimal | None:
    """Points written as text (a table's 分值 column repeats a few values): read once each."""
    return _points_read(points)


def _points_read(points: object) -> Decimal | None:
    if isinstance(points, str):
        text = points.strip().rstrip("分")
        try:
            value = Decimal(text)
        except decimal.InvalidOperation:
            raise TargetValueError(
                say("points must be a number, not {value}", value=brief(points)), field="points"
            ) from None
        points = value
    value = _to_decimal(points, "points")
    if value < 0:
        raise TargetValueError(say("points must not be negative, not {value}", value=value), field="points")
    return value


def _dated_number(target: Target, observed: Observed) -> bool:
    """Whether an actual read both as a date and as a number (``2024.10``) is a date in the wrong
    column for ``target``: a number of that size is the actual only where the target's own number is
    of its order (``≥2000``, ``≥2000万元``, a baseline such as 2139); against ``≥95%`` or ``≥1`` it is
    a date, and no verdict is given."""
    if observed.date is None or observed.quantity is None:
        return False
    quantity = getattr(target, "quantity", None) or getattr(target, "low", None) or getattr(target, "amount", None)
    return isinstance(quantity, Quantity) and abs(quantity.value) < _YEAR_SIZED


#: The order of a number that a dotted year and month (2031.05) may be when it is no date.
_YEAR_SIZED = 1000


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
        restated = restated_sentence(target, observed, run) if observed.note else None
        if restated is not None:
            return restated
        if observed.note:
            run.reasons.append(observed.note)
            return _UNJUDGED
        run.flag("missing_actual", say("no actual value"))
        return _UNJUDGED
    if observed.quality is not None:
        return _quality_verdict(target, observed, run)
    if isinstance(target, Compound):
        return _compound_verdict(target, observed, baseline, year, direction, tolerance, run)
    if observed.parts:
        run.reasons.append(
            say(
                "the actual {actual} holds several values; the target {target} one", actual=observed.text, target=target
            )
        )
        return _UNJUDGED
    if isinstance(target, (Comparison, Value)):
        if observed.quantity is None or _dated_number(target, observed):
            run.reasons.append(
                say(
                    "{actual} is not a quantity: {target} cannot be judged from it", actual=observed.text, target=target
                )
            )
            return _UNJUDGED
        return _quantity_verdict(target, observed, direction, tolerance, run)
    if isinstance(target, Range):
        if observed.quantity is None or _dated_number(target, observed):
            run.reasons.append(
                say(
                    "{actual} is not a quantity: {target} cannot be judged from it", actual=observed.text, target=target
                )
            )
            return _UNJUDGED
        return _range_verdict(target, observed, run)
    if isinstance(target, (Deadline, Period)):
        if observed.date is None:
            run.reasons.append(
                say("{actual} is not a date: {target} cannot be judged from it", actual=observed.text, target=target)
            )
            return _UNJUDGED
        return _date_verdict(target, observed, year, run)
    if observed.change is not None:
        if isinstance(target, Relative):
            return _change_verdict(target, observed.change, run)
        run.reasons.append(
            say(
                "{actual} states a change, not a value: {target} cannot be judged from it",
                actual=observed.text,
                target=target,
            )
        )
        return _UNJUDGED
    if isinstance(target, Relative):
        if observed.quantity is None or _dated_number(target, observed):
            run.reasons.append(
                say(
                    "{actual} is not a quantity: {target} cannot be judged from it", actual=observed.text, target=target
                )
            )
            return _UNJUDGED
        return _relative_verdict(target, observed, baseline, tolerance, run)
    if isinstance(target, Qualitative):
        if target.category == "no_incident" and observed.quantity is not None:
            return _no_incident_verdict(target, observed, run)
        run.reasons.append(
            say("{actual} does not answer the qualitative target {target}", actual=observed.text, target=target.label)
        )
        return _UNJUDGED
    if isinstance(target, Masked):
        run.reasons.append(say("the digits of {target} are masked: it cannot be evaluated", target=target))
        return _UNJUDGED
    if isinstance(target, FreeText):
        run.reasons.append(say("the target is free text, not a measurable target; give a grade (达成/部分达成/未达成)"))
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
        run.flag("one_actual_for_both_bounds", say("one actual for both bounds of {target}", target=target))
        actuals = (observed,) * len(target.parts)
    if len(actuals) != len(target.parts):
        run.reasons.append(
            say(
                "{target} has {count} parts: give one actual per part, separated by ';'",
                target=target,
                count=len(target.parts),
            )
        )
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
        verdict = say("all parts met") if met else say("not all parts met")
        run.reasons.append(say("{verdict}: score {score} of {points}", verdict=verdict, score=score, points=run.points))
    return _Verdict(met, completion, None, _band_of(met), score)


_TARGET_TYPES = tuple(TARGET_CLASSES.values())


def evaluate(
    target: str | Target,
    actual: object,
    *,
    options: EvalOptions | None = None,
    baseline: object = None,
    points: object = None,
    year: int | None = None,
    direction: Direction | str | None = None,
    rules: str | RuleSet | Mapping[str, Any] | None = None,
    tolerance: object = None,
    deadline_inclusive: bool = True,
    default_unit: str | Unit | None = None,
    date_order: str = "ymd",
    excel_dates: bool = False,
    indicator: str | None = None,
    level2: str | None = None,
    lang: str | None = None,
) -> Evaluation:
    """Judge ``actual`` against ``target``.

    Args:
        target: the target as text (parsed with :func:`targetexpr.parse`) or a parsed Target.
        actual: text (``"96.5%"``, ``"5,987,500元"``, ``"2022年11月30日"``, ``"不及时"``), a number
            (``int``, ``Decimal``; ``float`` is read through ``str``), a ``datetime.date``, a
            :class:`Quantity`, or ``None`` (missing: no verdict).
        options: an :class:`~targetexpr.EvalOptions` holding the settings below; keyword arguments
            given beside it override its fields.
        baseline: for relative targets (``较上年增长5%``): the baseline value, e.g. ``"100万元"``.
        points: the row's points (分值); when given, :attr:`Evaluation.score` is computed.
        year: the budget year, for dates that omit it (targets and actuals).
        direction: 正向/反向 (``"higher"``/``"lower"``/``Direction``) for bare values; a comparator in
            the target wins over it (the conflict is flagged).
        rules: the scoring rule set (a shipped name, a TOML path, a mapping or a :class:`RuleSet`;
            ``"national"`` unless given).
        tolerance: for ``约``/``左右`` targets: a fraction of the target (``Decimal("0.05")``) or a
            quantity (``"5%"`` of the target, ``"10人"``).
        deadline_inclusive, default_unit, date_order: as for :func:`targetexpr.parse`.
        excel_dates: read integer actuals against date targets as Excel serial dates.
        indicator, level2: the 三级指标 and 二级指标 names; when a bare value has no comparator and no
            ``direction=``, a word of the name decides its direction (``data/direction_cues.tsv``:
            ``投诉率`` → 反向), reported as :attr:`Evaluation.direction_source` and in the reason
            (no flag: a decided direction is routine).
        lang: the language of the reason and of the errors raised (``"zh"`` or ``"en"``); ``None``
            takes ``options.lang``, else the language in effect (:func:`targetexpr.language`,
            ``TARGETEXPR_LANG``, else Chinese).  :attr:`Evaluation.flags` are ids in any language
            (:func:`targetexpr.describe_flag` says them).

    Raises:
        UnitMismatchError: target and actual in different dimensions (``≤300万元`` against ``4次``).
        BaselineRequiredError: a relative target without ``baseline=``.
        TargetSyntaxError: the target text cannot be read; TargetEvaluationError: nor the actual.
        TargetValueError: an option is invalid (raised when the options are made).

    >>> r = evaluate("≤600 万元", "5,987,500元", lang="en")
    >>> r.met, r.reason.split("; ")[:2]
    (True, ['5,987,500元 = 598.75万元', '598.75万元 ≤ 600万元: met'])
    >>> evaluate("≤600 万元", "5,987,500元", lang="zh").reason.split(";")[1]
    '实际完成值 598.75万元 ≤ 目标值 600万元:达成'
    >>> evaluate("≥95%", "90%", points=10).score
    Decimal('9.47')
    """
    changes = keyword_changes(
        year=year,
        direction=direction,
        rules=rules,
        tolerance=tolerance,
        deadline_inclusive=deadline_inclusive,
        default_unit=default_unit,
        date_order=date_order,
        excel_dates=excel_dates,
        indicator=indicator,
        level2=level2,
    )
    if lang is None:
        return _evaluate_call(target, actual, options, baseline, points, changes, None)
    chosen = check_language(lang)
    with language(chosen):  # the options' errors speak it too
        return _evaluate_call(target, actual, options, baseline, points, changes, chosen)


def _evaluate_call(
    target: str | Target,
    actual: object,
    options: EvalOptions | None,
    baseline: object,
    points: object,
    changes: dict[str, Any],
    lang: str | None,
) -> Evaluation:
    # The names (三级指标, 二级指标) are nearly unique per row, so they travel beside the options, not
    # in them: an options object per row, and a memo that missed on every row, cost more than the
    # evaluation (#11).  They are reduced to what they change: the cues they contain and, for a
    # target text, its reading.
    indicator, level2 = changes.pop("indicator", None), changes.pop("level2", None)
    opts = EvalOptions.build(options, **changes)
    if opts.indicator is not None or opts.level2 is not None:
        indicator = opts.indicator if indicator is None else indicator
        level2 = opts.level2 if level2 is None else level2
        opts = nameless(opts)
    cues: tuple[int, ...] = ()
    if indicator is not None or level2 is not None:
        indicator, level2 = checked_names(indicator, level2)
        cues = matching_cues((level2 or "")[:MAX_LABEL], (indicator or "")[:MAX_LABEL])
    # The language is resolved before the memo is asked: it is a field of the options, the memo's
    # key, so a result cached in one language is never handed to a caller of another (#16).
    resolved = lang or opts.lang or current_language()
    if opts.lang != resolved:
        opts = _in_language(opts, resolved)
    subject: str | Target | Analysis = target
    if indicator and isinstance(target, str):
        # The name may give the text its unit or comparator: the memo keys on the reading.
        with language(resolved):
            subject = analyze_named(target, repairing(opts.parse_options), indicator)
    key = _memo_key(subject, actual, baseline, points)
    if key is None:
        return _evaluate(subject, actual, baseline, points, opts, cues)
    result = _memoised(key, opts, cues)
    if isinstance(target, _TARGET_TYPES) and result.target is not target:
        # The memo matched an equal target: keep the caller's, whose `written` spelling may differ.
        result = attrs.evolve(result, target=target)
    return result


@functools.lru_cache(maxsize=256)
def _in_language(options: EvalOptions, lang: str) -> EvalOptions:
    """``options`` speaking ``lang`` (one object per pair: the memo compares them by identity first)."""
    return attrs.evolve(options, lang=lang)


# Results are immutable, so identical calls may share one (a table repeats ≥95%/100% thousands of
# times).  The key is the options (frozen, hashable, validated), the cues the names contain, and
# the row's data, each value with its type, so 1 and True or 10 and 10.0 never share a result.
_MEMO_SIZE = 16384

_Key = tuple[tuple[type, object], tuple[type, object], tuple[type, object], tuple[type, object]]


@functools.lru_cache(maxsize=_MEMO_SIZE)
def _memoised(key: _Key, options: EvalOptions, cues: tuple[int, ...] = ()) -> Evaluation:
    (_, target), (_, actual), (_, baseline), (_, points) = key
    return _evaluate(target, actual, baseline, points, options, cues)  # type: ignore[arg-type]


def _memo_key(target: object, actual: object, baseline: object, points: object) -> _Key | None:
    key = (
        (target.__class__, target),
        (actual.__class__, actual),
        (baseline.__class__, baseline),
        (points.__class__, points),
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _evaluate(
    target: str | Target | Analysis,
    actual: object,
    baseline: object,
    points: object,
    options: EvalOptions,
    cues: tuple[int, ...] = (),
) -> Evaluation:
    with language(options.lang) if options.lang is not None else contextlib.nullcontext():
        return _evaluate_in(target, actual, baseline, points, options, cues)


def _evaluate_in(
    target: str | Target | Analysis,
    actual: object,
    baseline: object,
    points: object,
    options: EvalOptions,
    cues: tuple[int, ...],
) -> Evaluation:
    rule_set = options.rules
    run = _Run(rule_set, _points(points), cues=cues)
    if isinstance(target, (str, Analysis)):
        # One policy with the table reader: known extraction noise is repaired, and said (#12).
        if isinstance(target, Analysis):
            analysis = target
        else:
            analysis = analyze(target, options=options.parse_options, repair=True)
        if analysis.target is None:
            assert analysis.error is not None
            raise copy.copy(analysis.error)
        node = analysis.target
        for repair in analysis.repairs:
            run.flag("repaired_target", say("the target was read after a repair: {repair}", repair=repair.message))
    elif isinstance(target, _TARGET_TYPES):
        node = target
    else:
        raise TargetValueError(
            say("target must be text or a parsed Target, not {type}", type=type(target).__name__), field="target"
        )
    observed = read_actual(actual, year=options.year, date_order=options.date_order, excel_dates=options.excel_dates)
    for message in observed.repairs:
        run.flag("repaired_actual", say("the actual was read after a repair: {repair}", repair=message))
    try:
        verdict = _verdict(
            node,
            observed,
            baseline=baseline,
            year=options.year,
            direction=options.direction,
            tolerance=options.tolerance,
            run=run,
        )
    except (ZeroDivisionError, decimal.DecimalException) as e:  # pragma: no cover - guarded above
        raise TargetEvaluationError(
            say("cannot evaluate {target} against {actual}: {error}", target=node, actual=brief(actual), error=e),
            target=str(node),
            actual=actual,
        ) from None
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
        reason=REASON_JOINS[options.lang or current_language()].join(run.reasons),
        score=verdict.score,
        points=run.points,
        score_range=verdict.score_range,
        flags=tuple(run.flags),
        rules=rule_set.name,
        direction_source=None if verdict.met is None else (run.direction_source or "target"),
        unrounded_score=run.unrounded if verdict.score is not None else None,
        rule_set=rule_set,
    )
