"""Scoring one row (an indicator or the budget execution row) and streaming a table's rows
(:func:`score_rows`)."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..errors import TableError, TargetError, TargetValueError, UnitMismatchError, brief
from ..evaluator import Evaluation
from ..evaluator.dispatch import evaluate
from ..evaluator.options import EvalOptions, as_direction, keyword_changes
from ..evaluator.result import describe_quantity, direction_word
from ..i18n import current_language, language, say
from ..nodes import Quantity, Relative
from ..parser.api import Analysis, analyze_named, repairing
from ..parser.normalize import normalize
from ..scoring import CONTEXT, Band, RuleSet
from ..units import convert, dimension
from .labels import _MAX_KEY, _amount, _decimal_or_none, canonical_level1, is_total
from .rows import Row, ScoredRow, _as_row, _blank

# --- scoring one row ----------------------------------------------------------------------------


def _published_differs(
    published: Decimal | None, evaluation: Evaluation | None, score: Decimal | None, notes: list[str]
) -> bool | None:
    if published is None or score is None:
        return None
    if evaluation is not None and evaluation.score_range is not None and evaluation.band is not None:
        low, high = evaluation.score_range
        inside = low <= published <= high and (published < high or evaluation.band is Band.MET)
        if not inside:
            notes.append(
                say(
                    "published score {published} lies outside the band [{low}, {high}]",
                    published=published,
                    low=low,
                    high=high,
                )
            )
        return not inside
    differs = published != score
    if differs:
        notes.append(
            say("published score {published} differs from the formula score {score}", published=published, score=score)
        )
    return differs


def _execution(
    row: Row, level1: str, points: Decimal | None, published: Decimal | None, opts: EvalOptions, table: _Table
) -> ScoredRow:
    notes: list[str] = []
    budget = row.budget if row.budget is not None else table.budget
    spent = row.spent if row.spent is not None else table.spent
    try:
        if not _blank(budget) and not _blank(spent):
            b, s = _amount(budget, "the budget (预算数)"), _amount(spent, "the amount spent (执行数)")
            if s.unit is None and b.unit is not None:
                s = Quantity(s.value, b.unit)
            if b.unit is None and s.unit is not None:
                b = Quantity(b.value, s.unit)
            if dimension(s.unit) != dimension(b.unit):
                raise UnitMismatchError(
                    say(
                        "the amount spent {spent} cannot be compared with the budget {budget}",
                        spent=describe_quantity(s),
                        budget=describe_quantity(b),
                    ),
                    target=str(b),
                    actual=str(s),
                )
            total = convert(b, b.unit)
            used = convert(s, b.unit)
            if total <= 0:
                raise TargetValueError(say("the budget (预算数) must be positive"))
            rate = used / total
            summary = f"执行率 = {s} / {b} = {_pct(rate)}"
        elif not _blank(row.actual):
            q = _amount(row.actual, "the execution rate")
            if q.unit is None or q.unit.base != "%":
                raise TargetValueError(say("the execution rate {value} must be a percentage", value=brief(row.actual)))
            rate = Fraction(q.value) / 100
            summary = f"执行率 {q}"
        else:
            raise TargetValueError(say("the budget execution row needs 预算数 and 执行数 (budget=, spent=) or a rate"))
    except TargetError as e:
        return ScoredRow(row, "execution", level1, None, None, points, published, None, e.message)
    score = None
    exact = None
    if points is not None:
        share = min(rate, Fraction(1)) if opts.rules.execution_cap else rate
        exact = share * Fraction(points)
        score = opts.rules.round(exact)
        fields = {"rate": _pct(rate), "points": points, "score": score}
        if opts.rules.execution_cap and rate > 1:
            summary += say("; score {rate} × {points} = {score} (capped at full points)", **fields)
        else:
            summary += say("; score {rate} × {points} = {score}", **fields)
    notes.append(summary)
    differs = _published_differs(published, None, score, notes)
    return ScoredRow(row, "execution", level1, None, score, points, published, differs, None, tuple(notes), exact)


def _pct(value: Fraction) -> str:
    # The library's own context, whatever the caller's: a caller's context with a small
    # precision or trapped Inexact must not change or break a result.
    with decimal.localcontext(CONTEXT):
        d = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.01"))
    return f"{d}%"


def _indicator(
    row: Row, level1: str, points: Decimal | None, published: Decimal | None, opts: EvalOptions, table: _Table
) -> tuple[ScoredRow, Analysis | None]:
    notes: list[str] = []
    target = row.target
    analysis: Analysis | None = None
    try:
        if isinstance(target, str):
            # The name gives a bare cell its unit and comparator (#12).
            indicator = row.indicator[:_MAX_KEY] if row.indicator else None
            analysis = analyze_named(target, repairing(opts.parse_options), indicator)
            if analysis.target is None:
                assert analysis.error is not None
                raise analysis.error
            notes.extend(f"repaired {r.before!r} → {r.after!r}: {r.message}" for r in analysis.repairs)
            notes.extend(analysis.warnings)
            node = analysis.target
        else:
            assert target is not None
            node = target
        direction = as_direction(row.direction)
        names = direction is None and table.infer_direction
        baseline = row.baseline
        if baseline is None and isinstance(node, Relative) and node.reference == "预算":
            baseline = row.budget if row.budget is not None else table.budget
        evaluation = evaluate(
            node,
            None if _blank(row.actual) else row.actual,
            options=opts,
            baseline=baseline,
            points=points,
            direction=direction,
            indicator=row.indicator if names else None,
            level2=row.level2 if names else None,
        )
    except TargetError as e:
        return ScoredRow(row, "indicator", level1, None, None, points, published, None, str(e), tuple(notes)), analysis
    kind = "indicator" if points is not None else "unscored"
    if evaluation.direction_source is not None and evaluation.direction_source.startswith("cue:"):
        cue = evaluation.direction_source[4:]
        notes.append(
            say(
                "direction {direction} inferred from {word}",
                direction=direction_word(evaluation.direction) if evaluation.direction else "?",
                word=repr(cue),
            )
        )
    if "deviation" in evaluation.flags and not row.deviation_reason.strip():
        notes.append(say("deviation_reason_missing: the row deviates from its target and gives no 偏差原因"))
    differs = _published_differs(published, evaluation, evaluation.score, notes)
    return (
        ScoredRow(
            row,
            kind,
            level1,
            evaluation,
            evaluation.score,
            points,
            published,
            differs,
            None,
            tuple(notes),
            evaluation.unrounded_score,
        ),
        analysis,
    )


def _share(evaluation: Evaluation | None, rules: RuleSet) -> Fraction | None:
    """A sub-row's contribution to its parent: 1 when met, its capped completion, or its band's default."""
    if evaluation is None or evaluation.met is None:
        return None
    if evaluation.met:
        return Fraction(1)
    if evaluation.completion is not None:
        return min(Fraction(evaluation.completion), Fraction(1))
    if evaluation.band is not None:
        return rules.band_default(evaluation.band)
    return None


def _group(
    parent: Row, level1: str, points: Decimal, published: Decimal | None, children: list[ScoredRow], opts: EvalOptions
) -> ScoredRow:
    shares = [_share(c.evaluation, opts.rules) for c in children]
    notes: list[str] = []
    if not children or any(s is None for s in shares):
        notes.append(say("scored from its sub-rows, but not every sub-row has a verdict"))
        return ScoredRow(parent, "group", level1, None, None, points, published, None, None, tuple(notes))
    mean = sum((s for s in shares if s is not None), Fraction(0)) / len(shares)
    score = opts.rules.round(mean * Fraction(points))
    met = all(c.met for c in children)
    fields = {"count": len(children), "mean": _pct(mean), "points": points, "score": score}
    if met:
        notes.append(
            say("scored from its {count} sub-rows: all met; mean completion {mean} × {points} = {score}", **fields)
        )
    else:
        notes.append(
            say("scored from its {count} sub-rows: not all met; mean completion {mean} × {points} = {score}", **fields)
        )
    differs = _published_differs(published, None, score, notes)
    return ScoredRow(
        parent, "group", level1, None, score, points, published, differs, None, tuple(notes), mean * Fraction(points)
    )


def _is_execution(row: Row, level1: str) -> bool:
    if level1 == "预算执行率":
        return True
    if not _blank(row.target):  # first: most rows have a target, and their names need no normalising
        return False
    name = normalize(row.indicator[:_MAX_KEY]) if row.indicator else ""  # the words are short
    return any(word in name for word in ("预算执行率", "年度资金总额", "资金执行率"))


@attrs.frozen
class _Table:
    """What a table says beside the evaluation options: the budget and amount spent for its budget
    execution row, and whether an indicator's name may decide a bare value's direction."""

    budget: object = None
    spent: object = None
    infer_direction: bool = True


def table_options(
    options: EvalOptions | None = None,
    *,
    rules: str | RuleSet | Mapping[str, Any] | None = None,
    year: int | None = None,
    default_unit: str | None = None,
    deadline_inclusive: bool = True,
    tolerance: object = None,
    lang: str | None = None,
) -> EvalOptions:
    """The evaluation options of a table: ``options`` with the keyword arguments given beside it,
    and the language resolved (``lang``, else ``options.lang``, else the language in effect)."""
    changes = keyword_changes(
        year=year,
        direction=None,
        rules=rules,
        tolerance=tolerance,
        deadline_inclusive=deadline_inclusive,
        default_unit=default_unit,
        date_order="ymd",
        excel_dates=False,
        indicator=None,
        level2=None,
    )
    if lang is not None:
        changes["lang"] = lang
    opts = EvalOptions.build(options, **changes)
    if opts.lang is None:
        opts = EvalOptions.build(opts, lang=current_language())
    return opts


def score_rows(
    rows: Iterable[Row | Mapping[str, Any]],
    *,
    options: EvalOptions | None = None,
    rules: str | RuleSet | Mapping[str, Any] | None = None,
    year: int | None = None,
    budget: object = None,
    spent: object = None,
    default_unit: str | None = None,
    deadline_inclusive: bool = True,
    infer_direction: bool = True,
    tolerance: object = None,
    lang: str | None = None,
) -> Iterator[ScoredRow]:
    """Score rows one by one, in order, one :class:`ScoredRow` per input row (see :func:`score_table`).

    The rows' notes, errors and reasons are in ``lang`` (``"zh"``, ``"en"``), else in
    ``options.lang``, else in the language in effect when ``score_rows`` is called.
    """
    resolved = current_language(lang if lang is not None else (options.lang if options is not None else None))
    rows_scored = _score_rows(
        rows,
        options=options,
        rules=rules,
        year=year,
        budget=budget,
        spent=spent,
        default_unit=default_unit,
        deadline_inclusive=deadline_inclusive,
        infer_direction=infer_direction,
        tolerance=tolerance,
        lang=resolved,
    )
    return _speaking(resolved, rows_scored)


def _speaking(lang: str, rows: Iterator[ScoredRow]) -> Iterator[ScoredRow]:
    """``rows``, each made while ``lang`` is in effect, and only then: the language is set around
    each step of the generator, never across a ``yield`` (it would leak into the caller's code)."""
    while True:
        with language(lang):
            try:
                item = next(rows)
            except StopIteration:
                return
        yield item


def _score_rows(
    rows: Iterable[Row | Mapping[str, Any]],
    *,
    options: EvalOptions | None,
    rules: str | RuleSet | Mapping[str, Any] | None,
    year: int | None,
    budget: object,
    spent: object,
    default_unit: str | None,
    deadline_inclusive: bool,
    infer_direction: bool,
    tolerance: object,
    lang: str,
) -> Iterator[ScoredRow]:
    opts = table_options(
        options,
        rules=rules,
        year=year,
        default_unit=default_unit,
        deadline_inclusive=deadline_inclusive,
        tolerance=tolerance,
        lang=lang,
    )
    table = _Table(budget, spent, infer_direction)
    last_level1 = last_level2 = ""
    pending: tuple[Row, str, Decimal, Decimal | None] | None = None
    children: list[ScoredRow] = []

    def flush() -> Iterator[ScoredRow]:
        nonlocal pending, children
        if pending is not None:
            parent, level1, points, published = pending
            yield _group(parent, level1, points, published, children, opts)
            yield from children
        pending, children = None, []

    if isinstance(rows, (str, bytes)):
        raise TableError(say("rows must be an iterable of Row or mappings, not a {type}", type=type(rows).__name__))
    try:
        iterator = iter(rows)
    except TypeError:
        raise TableError(
            say("rows must be an iterable of Row or mappings, not {type}", type=type(rows).__name__)
        ) from None
    for position, item in enumerate(iterator, 1):
        try:
            row = _as_row(item, position)
        except TargetError as e:
            yield from flush()
            bad = Row(line=position)
            yield ScoredRow(bad, "indicator", "", None, None, None, None, None, e.message)
            continue
        if is_total(row):
            yield from flush()
            try:
                stated = _decimal_or_none(row.published_score, "published score")
                points = _decimal_or_none(row.points, "points")
            except TargetError as e:
                yield ScoredRow(row, "total", "", None, None, None, None, None, str(e))
                continue
            yield ScoredRow(row, "total", "", None, None, points, stated, None, None)
            continue
        # Merged or blank 一级/二级 cells inherit the value above, as a merged range reads.
        if not row.level1.strip():
            row = attrs.evolve(row, level1=last_level1)
        if not row.level2.strip() and (row.level1 == last_level1):
            row = attrs.evolve(row, level2=last_level2)
        last_level1, last_level2 = row.level1, row.level2
        level1 = canonical_level1(row.level1) if row.level1 else ""
        try:
            points = _decimal_or_none(row.points, "points")
            published = _decimal_or_none(row.published_score, "published score")
        except TargetError as e:
            yield from flush()
            yield ScoredRow(row, "indicator", level1, None, None, None, None, None, str(e))
            continue
        has_target = not _blank(row.target)
        has_actual = not _blank(row.actual)
        if _is_execution(row, level1):
            yield from flush()
            yield _execution(row, level1, points, published, opts, table)
            continue
        if pending is not None and points is None and has_target:
            scored, _ = _indicator(row, level1, None, None, opts, table)
            children.append(attrs.evolve(scored, kind="sub"))
            continue
        yield from flush()
        if points is not None and not has_target and not has_actual:
            # A parent row (★补助各类粮食作物种植面积) whose points cover the sub-rows below it.
            pending = (row, level1, points, published)
            continue
        if not has_target and not has_actual:
            yield ScoredRow(row, "blank", level1, None, None, points, published, None, None)
            continue
        if not has_target:
            error = say("no target value (指标值)")
            yield ScoredRow(row, "indicator", level1, None, None, points, published, None, error)
            continue
        scored, _ = _indicator(row, level1, points, published, opts, table)
        yield scored
    yield from flush()
