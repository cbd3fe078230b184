"""Scoring a whole self-evaluation table (绩效自评表): rows in, scores, subtotals, total and grade out.

>>> card = score_table([
...     Row("申请人满意度", "≥95%", "90%", points=10, level1="满意度指标"),
...     Row("项目预算", "≤400 万元", "380万元", points=20, level1="产出指标", published_score=18),
...     Row("预算执行率", points=10, level1="预算执行率", budget="400万元", spent="380万元"),
... ])
>>> [str(r.score) for r in card.rows], str(card.total)
(['9.47', '20.00', '9.50'], '38.97')
>>> card.rows[1].differs, card.subtotals[0].level1
(True, '满意度指标')

Rows are scored one by one (:func:`score_rows` streams), so a table of any length runs in flat
memory; :func:`score_table` collects them into a :class:`Scorecard`.  A row that cannot be parsed
or scored keeps its error in :attr:`ScoredRow.error` and the run goes on: no row is ever lost.
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from . import _data
from .errors import TableError, TargetError, TargetValueError, brief
from .evaluation import Evaluation, _as_direction, _points, evaluate
from .nodes import Direction, Quantity, Relative, Target, Unit, Value
from .normalize import normalize
from .parse import Analysis, analyze, parse
from .scoring import CONTEXT, Band, RuleSet, load_rules
from .units import convert, dimension

__all__ = ["Row", "Scorecard", "ScoredRow", "Subtotal", "canonical_level1", "score_rows", "score_table"]


def _label(value: object) -> str:
    """A text cell of a row: ``None`` (a blank cell) is ``""``; a number is its text (spreadsheets
    hand back ``2020`` for "2020"); anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _cell_text(value, "a label cell")


def _line(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TargetValueError(f"Row.line must be an int or None, not {type(value).__name__}")


def _blank(value: object) -> bool:
    """A missing cell: ``None`` or text of only whitespace (never calls ``str()`` on other values)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object) -> str:
    """``str(value)`` for a report, or a short description when ``str()`` itself fails."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # an int of over 4,300 digits, or a broken __str__
        return brief(value)


@attrs.frozen
class Row:
    """One row of a self-evaluation table, as the user has it.

    Only what the table has need be given.  ``points`` and ``published_score`` may be numbers or
    text (``"10"``, ``"20%"`` in a 权重 column is read as 20 points).  ``budget`` and ``spent`` (预算数,
    执行数) belong to the budget-execution row.  ``line`` is the row's number in the source file, for
    reports.
    """

    indicator: str = attrs.field(default="", converter=_label)
    target: str | Target | None = None
    actual: object = None
    points: object = None
    published_score: object = None
    level1: str = attrs.field(default="", converter=_label)
    level2: str = attrs.field(default="", converter=_label)
    direction: Direction | str | None = None
    baseline: object = None
    budget: object = None
    spent: object = None
    deviation_reason: str = attrs.field(default="", converter=_label)
    line: int | None = attrs.field(default=None, converter=_line)


@attrs.frozen
class ScoredRow:
    """A row with its verdict and score.

    ``kind`` is ``"indicator"``, ``"execution"`` (预算执行率), ``"group"`` (a parent row scored from
    the sub-rows under it), ``"sub"`` (a sub-row scored through its parent), ``"unscored"`` (an
    indicator without points), ``"total"`` (the table's 总分/合计 row: not scored; its published score is
    checked against the rows), or ``"blank"`` (no target and no actual).  ``differs`` compares
    the published score with the formula: for qualitative rows it is ``True`` only when the
    published score lies outside the band's range.
    """

    row: Row
    kind: str
    level1: str
    evaluation: Evaluation | None
    score: Decimal | None
    points: Decimal | None
    published_score: Decimal | None
    differs: bool | None
    error: str | None
    notes: tuple[str, ...] = ()

    @property
    def met(self) -> bool | None:
        """The verdict (``None``: none, or an error)."""
        return None if self.evaluation is None else self.evaluation.met

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the row's results."""
        ev = self.evaluation
        return {
            "line": self.row.line,
            "level1": self.level1,
            "level2": self.row.level2,
            "indicator": self.row.indicator,
            "target": None if self.row.target is None else _as_text(self.row.target),
            "actual": None if self.row.actual is None else _as_text(self.row.actual),
            "kind": self.kind,
            "met": self.met,
            "completion": None if ev is None or ev.completion is None else str(ev.completion),
            "band": None if ev is None or ev.band is None else ev.band.value,
            "score": None if self.score is None else str(self.score),
            "points": None if self.points is None else str(self.points),
            "published_score": None if self.published_score is None else str(self.published_score),
            "differs": self.differs,
            "reason": None if ev is None else ev.reason,
            "flags": [] if ev is None else list(ev.flags),
            "notes": list(self.notes),
            "error": self.error,
        }


@attrs.frozen
class Subtotal:
    """Points and scores of one first-level indicator (一级指标)."""

    level1: str
    points: Decimal
    score: Decimal
    published_score: Decimal | None
    rows: int


@attrs.frozen
class Scorecard:
    """The scored table: rows, subtotals per 一级指标, total, grade, and what a reviewer should see."""

    rows: tuple[ScoredRow, ...]
    subtotals: tuple[Subtotal, ...]
    total: Decimal
    total_points: Decimal
    published_total: Decimal | None
    grade: str | None
    rules: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the whole result."""
        return {
            "rules": self.rules,
            "total": str(self.total),
            "total_points": str(self.total_points),
            "published_total": None if self.published_total is None else str(self.published_total),
            "grade": self.grade,
            "subtotals": [
                {
                    "level1": s.level1,
                    "points": str(s.points),
                    "score": str(s.score),
                    "published_score": None if s.published_score is None else str(s.published_score),
                    "rows": s.rows,
                }
                for s in self.subtotals
            ],
            "warnings": list(self.warnings),
            "rows": [r.to_dict() for r in self.rows],
        }


# --- labels and cues ----------------------------------------------------------------------------


@functools.cache
def _levels() -> tuple[tuple[str, str], ...]:
    rows = _data._rows("levels.tsv", 2)
    return tuple((r[0], r[1]) for r in rows)


@functools.lru_cache(maxsize=1024)
def canonical_level1(label: str) -> str:
    """``"产出指标(50分)"``, ``"项目绩效/产出指标40分"``, ``"產出指標"`` → ``"产出指标"``; unknown labels as written.

    >>> canonical_level1("产出指标(50分)"), canonical_level1("預算執行率"), canonical_level1("其他")
    ('产出指标', '预算执行率', '其他')
    """
    if not isinstance(label, str):
        raise TargetValueError(f"a 一级指标 label must be text, not {type(label).__name__}")
    text = normalize(label)
    for contains, canonical in _levels():
        if contains in text:
            return canonical
    return label.strip()


@functools.cache
def _total_labels() -> frozenset[str]:
    return frozenset(normalize(r[0]) for r in _data._rows("totals.tsv", 1))


_NOTE = re.compile(r"[(（\[【].*?[)）\]】]")


def _is_total(row: Row) -> bool:
    """The table's 总分/合计 row: no target, and its first label is a total label."""
    if row.target is not None and str(row.target).strip():
        return False
    first = next((label for label in (row.level1, row.level2, row.indicator) if label.strip()), "")
    return bool(first) and _NOTE.sub("", normalize(first)).rstrip(":：") in _total_labels()


@functools.cache
def _cues() -> tuple[tuple[str, str, str, Direction, str], ...]:
    return tuple(
        (r[0], r[1], r[2], Direction(r[3]), r[4] if len(r) > 4 else "") for r in _data._rows("direction_cues.tsv", 4)
    )


def _cue_direction(row: Row, target: Target) -> tuple[Direction, str] | None:
    if not isinstance(target, Value):
        return None
    level2, indicator = row.level2, row.indicator
    if not isinstance(level2, str) or not isinstance(indicator, str):
        return None
    return _cue(level2, indicator, target.quantity.unit)


@functools.lru_cache(maxsize=8192)
def _cue(level2: str, indicator: str, unit: Unit | None) -> tuple[Direction, str] | None:
    dim = dimension(unit).base
    kind = "count" if dim.startswith("count:") else dim
    texts = {"level2": normalize(level2), "indicator": normalize(indicator)}
    for field, contains, wanted_dim, direction, _note in _cues():
        text = texts[field]
        if contains in text and wanted_dim in ("any", kind):
            where = "二级指标" if field == "level2" else "三级指标"
            return direction, f"direction {direction.value} inferred from the {where} word {contains!r}"
    return None


# --- numbers ------------------------------------------------------------------------------------


def _decimal_or_none(value: object, what: str) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        return _points_text(value)
    return _points(value)


@functools.lru_cache(maxsize=1024)
def _points_text(value: str) -> Decimal | None:
    text = value.strip().replace(",", "")
    if not text:
        return None
    if text.endswith("%"):
        text = text[:-1]  # a 权重 column written "20%" (l.162) carries 20 points
    return _points(text)


def _amount(value: object, what: str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Quantity(_points(value) or Decimal(0))
    if isinstance(value, str):
        node = parse(value)
        if isinstance(node, Value):
            return node.quantity
    raise TargetValueError(f"{what} must be an amount (400万元, 329.77), not {brief(value)}")


# --- scoring one row ----------------------------------------------------------------------------


@attrs.define
class _Options:
    rules: RuleSet
    year: int | None
    budget: object
    spent: object
    default_unit: str | None
    deadline_inclusive: bool
    infer_direction: bool
    tolerance: object


def _published_differs(
    published: Decimal | None, evaluation: Evaluation | None, score: Decimal | None, notes: list[str]
) -> bool | None:
    if published is None or score is None:
        return None
    if evaluation is not None and evaluation.score_range is not None and evaluation.band is not None:
        low, high = evaluation.score_range
        inside = low <= published <= high and (published < high or evaluation.band is Band.MET)
        if not inside:
            notes.append(f"published score {published} lies outside the band [{low}, {high}]")
        return not inside
    differs = published != score
    if differs:
        notes.append(f"published score {published} differs from the formula score {score}")
    return differs


def _execution(row: Row, level1: str, points: Decimal | None, published: Decimal | None, opts: _Options) -> ScoredRow:
    notes: list[str] = []
    budget = row.budget if row.budget is not None else opts.budget
    spent = row.spent if row.spent is not None else opts.spent
    try:
        if not _blank(budget) and not _blank(spent):
            b, s = _amount(budget, "the budget (预算数)"), _amount(spent, "the amount spent (执行数)")
            if s.unit is None and b.unit is not None:
                s = Quantity(s.value, b.unit)
            if b.unit is None and s.unit is not None:
                b = Quantity(b.value, s.unit)
            total = convert(b, b.unit)
            used = convert(s, b.unit)
            if total <= 0:
                raise TargetValueError("the budget (预算数) must be positive")
            rate = used / total
            summary = f"执行率 = {s} / {b} = {_pct(rate)}"
        elif not _blank(row.actual):
            q = _amount(row.actual, "the execution rate")
            if q.unit is None or q.unit.base != "%":
                raise TargetValueError(f"the execution rate {brief(row.actual)} must be a percentage")
            rate = Fraction(q.value) / 100
            summary = f"执行率 {q}"
        else:
            raise TargetValueError("the budget execution row needs 预算数 and 执行数 (budget=, spent=) or a rate")
    except TargetError as e:
        return ScoredRow(row, "execution", level1, None, None, points, published, None, e.message)
    score = None
    if points is not None:
        share = min(rate, Fraction(1)) if opts.rules.execution_cap else rate
        score = opts.rules.round(share * Fraction(points))
        capped = " (capped at full points)" if opts.rules.execution_cap and rate > 1 else ""
        summary += f"; score {_pct(rate)} × {points} = {score}{capped}"
    notes.append(summary)
    differs = _published_differs(published, None, score, notes)
    return ScoredRow(row, "execution", level1, None, score, points, published, differs, None, tuple(notes))


def _pct(value: Fraction) -> str:
    # The library's own context, whatever the caller's: a caller's context with a small
    # precision or trapped Inexact must not change or break a result.
    with decimal.localcontext(CONTEXT):
        d = (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.01"))
    return f"{d}%"


def _indicator(
    row: Row, level1: str, points: Decimal | None, published: Decimal | None, opts: _Options
) -> tuple[ScoredRow, Analysis | None]:
    notes: list[str] = []
    target = row.target
    analysis: Analysis | None = None
    try:
        if isinstance(target, str):
            analysis = analyze(
                target, year=opts.year, default_unit=opts.default_unit, deadline_inclusive=opts.deadline_inclusive
            )
            if analysis.target is None:
                assert analysis.error is not None
                raise analysis.error
            notes.extend(f"repaired {r.before!r} → {r.after!r}: {r.message}" for r in analysis.repairs)
            notes.extend(analysis.warnings)
            node = analysis.target
        else:
            assert target is not None
            node = target
        direction = _as_direction(row.direction)
        if direction is None and opts.infer_direction:
            cue = _cue_direction(row, node)
            if cue is not None:
                direction = cue[0]
                notes.append(cue[1])
        baseline = row.baseline
        if baseline is None and isinstance(node, Relative) and node.reference == "预算":
            baseline = row.budget if row.budget is not None else opts.budget
        evaluation = evaluate(
            node,
            None if _blank(row.actual) else row.actual,
            baseline=baseline,
            year=opts.year,
            direction=direction,
            points=points,
            rules=opts.rules,
            tolerance=opts.tolerance,
            deadline_inclusive=opts.deadline_inclusive,
        )
    except TargetError as e:
        return ScoredRow(row, "indicator", level1, None, None, points, published, None, str(e), tuple(notes)), analysis
    kind = "indicator" if points is not None else "unscored"
    differs = _published_differs(published, evaluation, evaluation.score, notes)
    return (
        ScoredRow(row, kind, level1, evaluation, evaluation.score, points, published, differs, None, tuple(notes)),
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
    parent: Row, level1: str, points: Decimal, published: Decimal | None, children: list[ScoredRow], opts: _Options
) -> ScoredRow:
    shares = [_share(c.evaluation, opts.rules) for c in children]
    notes: list[str] = []
    if not children or any(s is None for s in shares):
        notes.append("scored from its sub-rows, but not every sub-row has a verdict")
        return ScoredRow(parent, "group", level1, None, None, points, published, None, None, tuple(notes))
    mean = sum((s for s in shares if s is not None), Fraction(0)) / len(shares)
    score = opts.rules.round(mean * Fraction(points))
    met = all(c.met for c in children)
    notes.append(
        f"scored from its {len(children)} sub-rows: {'all met' if met else 'not all met'}; "
        f"mean completion {_pct(mean)} × {points} = {score}"
    )
    differs = _published_differs(published, None, score, notes)
    return ScoredRow(parent, "group", level1, None, score, points, published, differs, None, tuple(notes))


def _is_execution(row: Row, level1: str) -> bool:
    if level1 == "预算执行率":
        return True
    name = normalize(row.indicator) if row.indicator else ""
    return any(word in name for word in ("预算执行率", "年度资金总额", "资金执行率")) and _blank(row.target)


def score_rows(
    rows: Iterable[Row | Mapping[str, Any]],
    *,
    rules: str | RuleSet | Mapping[str, Any] = "national",
    year: int | None = None,
    budget: object = None,
    spent: object = None,
    default_unit: str | None = None,
    deadline_inclusive: bool = True,
    infer_direction: bool = True,
    tolerance: object = None,
) -> Iterator[ScoredRow]:
    """Score rows one by one, in order, one :class:`ScoredRow` per input row (see :func:`score_table`)."""
    opts = _Options(
        load_rules(rules), year, budget, spent, default_unit, deadline_inclusive, infer_direction, tolerance
    )
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
        raise TableError(f"rows must be an iterable of Row or mappings, not a {type(rows).__name__}")
    try:
        iterator = iter(rows)
    except TypeError:
        raise TableError(f"rows must be an iterable of Row or mappings, not {type(rows).__name__}") from None
    for position, item in enumerate(iterator, 1):
        try:
            row = _as_row(item, position)
        except TargetError as e:
            yield from flush()
            bad = Row(line=position)
            yield ScoredRow(bad, "indicator", "", None, None, None, None, None, e.message)
            continue
        if _is_total(row):
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
            yield _execution(row, level1, points, published, opts)
            continue
        if pending is not None and points is None and has_target:
            scored, _ = _indicator(row, level1, None, None, opts)
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
            yield ScoredRow(row, "indicator", level1, None, None, points, published, None, "no target value (指标值)")
            continue
        scored, _ = _indicator(row, level1, points, published, opts)
        yield scored
    yield from flush()


_ROW_FIELDS = frozenset(a.name for a in attrs.fields(Row))
_TEXT_FIELDS = ("indicator", "level1", "level2", "deviation_reason")


def _cell_text(value: object, name: str) -> str:
    """A text cell: spreadsheets hand back numbers for "2020" or "100"; anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TargetValueError(f"{name} must be text, not a bool")
    if isinstance(value, int):
        return str(value) if abs(value) < 10**30 else _too_long(name)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise TargetValueError(f"{name} must be text, not {value!r}")
        if abs(number.adjusted()) > 30:
            return _too_long(name)
        text = format(number, "f")
        return text[:-2] if text.endswith(".0") else text
    raise TargetValueError(f"{name} must be text, not {type(value).__name__}")


def _too_long(name: str) -> str:
    raise TargetValueError(f"{name} is a number with more than 30 digits")


def _as_row(item: object, position: int) -> Row:
    """A :class:`Row` from a Row or a mapping, with text cells as text (spreadsheet numbers too)."""
    if isinstance(item, Row):
        row = item
    elif isinstance(item, Mapping):
        unknown = set(item) - _ROW_FIELDS
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            raise TableError(f"row {position}: unknown column(s) {names}; a row has {', '.join(sorted(_ROW_FIELDS))}")
        row = Row(**{str(k): v for k, v in item.items()})
    else:
        raise TableError(f"row {position} must be a Row or a mapping, not {type(item).__name__}")
    changes: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(row, name)
        if not isinstance(value, str):
            changes[name] = _cell_text(value, f"row {position}: {name}")
    if row.target is not None and not isinstance(row.target, str) and getattr(row.target, "kind", None) is None:
        changes["target"] = _cell_text(row.target, f"row {position}: target") or None
    return attrs.evolve(row, **changes) if changes else row


class _Summary:
    """Accumulates subtotals and the total while rows stream past."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.order: list[str] = []
        self.points: dict[str, Decimal] = {}
        self.scores: dict[str, Decimal] = {}
        self.published: dict[str, Decimal | None] = {}
        self.counts: dict[str, int] = {}
        self.unscored = 0
        self.errors = 0
        self.stated: list[ScoredRow] = []

    def add(self, scored: ScoredRow) -> None:
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
        pub = self.published[key]
        self.published[key] = None if pub is None or scored.published_score is None else pub + scored.published_score

    def result(self, rows: tuple[ScoredRow, ...]) -> Scorecard:
        with decimal.localcontext(CONTEXT):
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
            where = f" (line {stated.row.line})" if stated.row.line is not None else ""
            if stated.published_score is not None:
                if published_total is None:
                    published_total = stated.published_score
                elif stated.published_score != published_total:
                    warnings.append(
                        f"the total row{where} states {stated.published_score}; "
                        f"the published scores of the rows add up to {published_total}"
                    )
            if stated.points is not None and stated.points != total_points:
                warnings.append(f"the total row{where} states {stated.points} points; the rows carry {total_points}")
        grade = None
        if total_points > 0:
            on_100 = total if total_points == 100 else total * 100 / total_points
            grade = self.rules.grade(on_100)
            if total_points != 100:
                warnings.append(
                    f"the rows carry {total_points} points, not 100: the grade is taken on "
                    f"{self.rules.round(Fraction(on_100))} out of 100"
                )
        for names, weight in self.rules.weights:
            members = names.split("+")
            have = sum((self.points.get(m, Decimal(0)) for m in members), Decimal(0))
            if any(m in self.points for m in members) and have != weight:
                label = " + ".join(members)
                warnings.append(f"{label} rows carry {have} points; rule set {self.rules.name!r} weights it {weight}")
        if self.unscored:
            warnings.append(f"{self.unscored} row(s) with points could not be scored: they count 0 in the total")
        if self.errors:
            warnings.append(f"{self.errors} row(s) have an error (see their error column)")
        return Scorecard(rows, subtotals, total, total_points, published_total, grade, self.rules.name, tuple(warnings))


def score_table(
    rows: Iterable[Row | Mapping[str, Any]],
    *,
    rules: str | RuleSet | Mapping[str, Any] = "national",
    year: int | None = None,
    budget: object = None,
    spent: object = None,
    default_unit: str | None = None,
    deadline_inclusive: bool = True,
    infer_direction: bool = True,
    tolerance: object = None,
) -> Scorecard:
    """Score a self-evaluation table.

    Args:
        rows: :class:`Row` objects or mappings with the same keys, in table order.  Blank
            一级/二级 cells inherit the row above (merged cells).
        rules: the rule set (``"national"`` default, ``"system"``, ``"legacy"``, ``"hubei"``,
            ``"sichuan"``, a TOML path, a mapping or a :class:`~targetexpr.scoring.RuleSet`).
        year: the budget year (dates without a year).
        budget, spent: 预算数 and 执行数 for the budget execution row, and the baseline of targets
            relative to the budget (``不超过预算``), when the rows do not carry them.
        default_unit: unit for targets written without one (the header's ``单位:万元``).
        deadline_inclusive: whether "X前" includes day X.
        infer_direction: use name cues (成本指标, 投诉 …) for bare values without a direction;
            every use is noted on the row.
        tolerance: for ``约``/``左右`` targets (see :func:`targetexpr.evaluate`).
    """
    rule_set = load_rules(rules)
    summary = _Summary(rule_set)
    collected = []
    for scored in score_rows(
        rows,
        rules=rule_set,
        year=year,
        budget=budget,
        spent=spent,
        default_unit=default_unit,
        deadline_inclusive=deadline_inclusive,
        infer_direction=infer_direction,
        tolerance=tolerance,
    ):
        summary.add(scored)
        collected.append(scored)
    return summary.result(tuple(collected))
