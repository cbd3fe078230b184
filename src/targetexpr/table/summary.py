"""Subtotals per 一级指标, the total and the grade, accumulated while rows stream past
(:class:`Summary`), and :func:`score_table`."""

from __future__ import annotations

import contextlib
import decimal
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..evaluator.options import EvalOptions
from ..i18n import check_language, language, say
from ..scoring import CONTEXT, RuleSet
from .rows import Row, Scorecard, ScoredRow, Subtotal
from .scorer import score_rows, table_options


class Summary:
    """Accumulates subtotals and the total while rows stream past; its warnings are in ``lang``
    (``None``: the language in effect when :meth:`result` is called)."""

    def __init__(self, rules: RuleSet, lang: str | None = None) -> None:
        self.rules = rules
        self.lang = None if lang is None else check_language(lang)
        self.order: list[str] = []
        self.points: dict[str, Decimal] = {}
        self.scores: dict[str, Decimal] = {}
        self.published: dict[str, Decimal | None] = {}
        self.counts: dict[str, int] = {}
        self.unscored = 0
        self.exact = Fraction(0)
        self.bonus_rows = 0
        self.errors = 0
        self.stated: list[ScoredRow] = []

    def add(self, scored: ScoredRow) -> None:
        """Count one scored row (from :func:`score_rows`) into the subtotals and the total; the row
        itself is not kept (a 总分 row is, to check the total it states)."""
        # Sums in the library's context: the caller's (a small precision, trapped Inexact) must
        # not change a total.
        with decimal.localcontext(CONTEXT):
            self._add(scored)

    def _add(self, scored: ScoredRow) -> None:
        if scored.error is not None:
            self.errors += 1
        if scored.kind == "total":
            self.stated.append(scored)
            return
        if scored.kind == "sub" or scored.points is None:
            return
        if "加分" in scored.level1 or "加分" in scored.row.indicator:
            self.bonus_rows += 1
        key = scored.level1 or "(no 一级指标)"
        if key not in self.points:
            self.order.append(key)
            self.points[key] = Decimal(0)
            self.scores[key] = Decimal(0)
            self.published[key] = Decimal(0)
            self.counts[key] = 0
        self.points[key] += scored.points
        self.counts[key] += 1
        if scored.score is None:
            self.unscored += 1
        else:
            self.scores[key] += scored.score
            self.exact += scored.unrounded_score if scored.unrounded_score is not None else Fraction(scored.score)
        pub = self.published[key]
        self.published[key] = None if pub is None or scored.published_score is None else pub + scored.published_score

    def result(self, rows: tuple[ScoredRow, ...]) -> Scorecard:
        """The :class:`Scorecard` of the rows added so far, holding ``rows`` as its rows (``()`` for a
        streamed run that keeps none)."""
        with decimal.localcontext(CONTEXT), language(self.lang) if self.lang else contextlib.nullcontext():
            return self._result(rows)

    def _result(self, rows: tuple[ScoredRow, ...]) -> Scorecard:
        subtotals = tuple(
            Subtotal(k, self.points[k], self.scores[k], self.published[k], self.counts[k]) for k in self.order
        )
        total = sum((s.score for s in subtotals), Decimal(0))
        total_points = sum((s.points for s in subtotals), Decimal(0))
        published_values = [s.published_score for s in subtotals]
        published_total = (
            sum((p for p in published_values if p is not None), Decimal(0))
            if published_values and all(p is not None for p in published_values)
            else None
        )
        warnings = []
        for stated in self.stated:
            where = say(" (line {line})", line=stated.row.line) if stated.row.line is not None else ""
            if stated.published_score is not None:
                if published_total is None:
                    published_total = stated.published_score
                elif stated.published_score != published_total:
                    warnings.append(
                        say(
                            "the total row{where} states {stated}; the published scores of the rows add up to {total}",
                            where=where,
                            stated=stated.published_score,
                            total=published_total,
                        )
                    )
            if stated.points is not None and stated.points != total_points:
                warnings.append(
                    say(
                        "the total row{where} states {stated} points; the rows carry {total}",
                        where=where,
                        stated=stated.points,
                        total=total_points,
                    )
                )
        grade = None
        if total_points > 0:
            # The total graded: the sum of the rounded row scores, or the exact sum (the national
            # system grades the unrounded total: [grading] total = "unrounded").
            graded = Fraction(total) if self.rules.grade_on == "rounded" else self.exact
            on_100 = graded if total_points == 100 else graded * 100 / Fraction(total_points)
            grade = self.rules.grade(_decimal(on_100))
            what = say("total") if self.rules.grade_on == "rounded" else say("unrounded total")
            if total_points != 100:
                warnings.append(
                    say(
                        "the rows carry {points} points, not 100: the grade is taken on the {what} "
                        "{graded} / {points} × 100 = {on_100} out of 100",
                        points=total_points,
                        what=what,
                        graded=_exact(graded),
                        on_100=_exact(on_100),
                    )
                )
            elif self.rules.grade_on == "unrounded" and self.rules.grade(total) != grade:
                warnings.append(
                    say(
                        "the grade {grade} is taken on the unrounded total {graded} (rule set {rules}); "
                        "the rounded total {total} would be {rounded_grade}",
                        grade=grade,
                        graded=_exact(graded),
                        rules=repr(self.rules.name),
                        total=total,
                        rounded_grade=self.rules.grade(total),
                    )
                )
            if not self.rules.grade_required:
                warnings.append(
                    say(
                        "rule set {rules}: a grade is optional (可以不评级); {grade} is a proposal",
                        rules=repr(self.rules.name),
                        grade=grade,
                    )
                )
        if self.bonus_rows and not self.rules.bonus_points:
            warnings.append(
                say(
                    "{count} row(s) are bonus points (加分): rule set {rules} has none (不设置加分项); "
                    "they are scored like any row",
                    count=self.bonus_rows,
                    rules=repr(self.rules.name),
                )
            )
        for names, weight in self.rules.weights:
            members = names.split("+")
            have = sum((self.points.get(m, Decimal(0)) for m in members), Decimal(0))
            if any(m in self.points for m in members) and have != weight:
                label = " + ".join(members)
                warnings.append(
                    say(
                        "{label} rows carry {have} points; rule set {rules} weights it {weight}",
                        label=label,
                        have=have,
                        rules=repr(self.rules.name),
                        weight=weight,
                    )
                )
        if self.unscored:
            warnings.append(
                say("{count} row(s) with points could not be scored: they count 0 in the total", count=self.unscored)
            )
        if self.errors:
            warnings.append(say("{count} row(s) have an error (see their error column)", count=self.errors))
        return Scorecard(rows, subtotals, total, total_points, published_total, grade, self.rules.name, tuple(warnings))


def _decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal in the library's context (exact for finite decimals)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _exact(value: Fraction) -> str:
    """Exact digits when ``value`` is a finite decimal, else 6 places prefixed with ≈."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    number = _decimal(value)
    if d == 1:
        return format(number.normalize(), "f")
    return "≈" + format(number.quantize(Decimal("0.000001")).normalize(), "f")


def score_table(
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
) -> Scorecard:
    """Score a self-evaluation table.

    Args:
        rows: :class:`Row` objects or mappings with the same keys, in table order.  Blank
            一级/二级 cells inherit the row above (merged cells).
        options: an :class:`~targetexpr.EvalOptions` for every row (rules, year, tolerance …);
            the keyword arguments below, when given, override its fields.
        rules: the rule set (``"national"`` default, ``"system"``, ``"legacy"``, ``"hubei"``,
            ``"sichuan"``, ``"tianjin"``, a TOML path, a mapping or a :class:`~targetexpr.scoring.RuleSet`).
        year: the budget year (dates without a year).
        budget, spent: 预算数 and 执行数 for the budget execution row, and the baseline of targets
            relative to the budget (``不超过预算``), when the rows do not carry them.
        default_unit: unit for targets written without one (the header's ``单位:万元``).
        deadline_inclusive: whether "X前" includes day X.
        infer_direction: use name cues (成本指标, 投诉 …) for bare values without a direction;
            every use is noted on the row.
        tolerance: for ``约``/``左右`` targets (see :func:`targetexpr.evaluate`).
        lang: the language of the rows' reasons, notes and errors and of the warnings (``"zh"``,
            ``"en"``); ``None``: ``options.lang``, else the language in effect.

    The scorecard holds every scored row (:attr:`Scorecard.rows`), so its memory grows with the
    table (about 1 KiB a row).  For a table too large for that, stream it: :func:`score_rows`
    yields one row at a time and a :class:`Summary` adds the subtotals and the total without
    keeping the rows (flat memory: docs/performance.md measures 1,000,000 rows)::

        >>> from targetexpr import Row, load_rules, score_rows
        >>> summary = Summary(load_rules(), lang="en")
        >>> for scored in score_rows([Row("a", "≥95%", "96%", 10, level1="产出指标")], lang="en"):
        ...     summary.add(scored)  # or write the row out, then drop it
        >>> card = summary.result(())
        >>> card.total, card.rows
        (Decimal('10.00'), ())
    """
    opts = table_options(
        options,
        rules=rules,
        year=year,
        default_unit=default_unit,
        deadline_inclusive=deadline_inclusive,
        tolerance=tolerance,
        lang=lang,
    )
    summary = Summary(opts.rules, opts.lang)
    collected = []
    for scored in score_rows(rows, options=opts, budget=budget, spent=spent, infer_direction=infer_direction):
        summary.add(scored)
        collected.append(scored)
    return summary.result(tuple(collected))
