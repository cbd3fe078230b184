"""Evaluating columns: :func:`evaluate_many`, one flat record per row, never an exception per cell."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import targetexpr
from targetexpr.i18n import pinned, say
from targetexpr.nodes import TARGET_CLASSES, Comparison, Compound, Quantity, Range, Target, Unit, Value

from .cells import actual_value, bare_number, cell_text, column, first_line, is_missing, key, plain
from .columns import EVALUATED_COLUMNS, EvaluatedRow, Output
from .frames import output
from .records import Reader, TargetFields, target_fields

if TYPE_CHECKING:  # pragma: no cover
    from targetexpr.scoring import RuleSet

__all__ = ["evaluate_many"]

_TARGET_TYPES = tuple(TARGET_CLASSES.values())


def _percent_threshold(node: Target) -> Decimal | None:
    """The largest percentage a target names (``None`` when it names none)."""
    if isinstance(node, (Comparison, Value)):
        qs: tuple[Quantity, ...] = (node.quantity,)
    elif isinstance(node, Range):
        qs = (node.low, node.high)
    elif isinstance(node, Compound):
        found = [t for t in (_percent_threshold(p) for p in node.parts) if t is not None]
        return max(found) if found else None
    else:
        return None
    values = [q.value for q in qs if q.unit is not None and q.unit.base == "%" and not q.unit.per]
    return max(values) if values else None


def evaluate_many(
    targets: object,
    actuals: object,
    *,
    points: object = None,
    baselines: object = None,
    indicator: object = None,
    directions: object = None,
    year: int | None = None,
    rules: str | RuleSet | Any = "national",
    tolerance: object = None,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
    excel_dates: bool = False,
    fractions: Literal["flag", "percent"] = "flag",
    as_: Output = "records",
) -> Any:
    """Evaluate a column of actuals against a column of targets; one :class:`~targetexpr.batch.EvaluatedRow` per row.

    Never raises for a bad cell: an unreadable target or actual, a unit mismatch, a relative
    target without its baseline give a row with ``error`` set (and ``met`` ``None``).

    Args:
        targets: the target cells (text, or parsed :class:`~targetexpr.Target` nodes).
        actuals: the actuals: text, numbers (``int``, ``Decimal``, ``float`` through its text, numpy
            scalars), dates, :class:`~targetexpr.Quantity`; ``None``/NaN/blank are missing (no verdict).
        points: the rows' points (分值), a sequence or one value for all rows.
        baselines: the baselines of relative targets (``较上年增长5%``), a sequence or one value.
        indicator: the indicator names (三级指标), passed to :func:`targetexpr.evaluate` as
            ``indicator=``: a word of the name decides the direction of a bare value (``单位成本`` →
            lower; flagged ``direction_from_indicator`` here).
        directions: 正向/反向 per row (``"higher"``/``"lower"``/``None``); wins over ``indicator``.
        year, rules, tolerance, default_unit, deadline_inclusive, date_order, excel_dates: as for
            :func:`targetexpr.evaluate`; the rule set is loaded once for the whole column.
        fractions: what a bare number between 0 and 1 under a percentage target means (0.93
            against ``≥95%``): ``"flag"`` (the default) gives no verdict and flags
            ``fraction_for_percentage``; ``"percent"`` reads it as 93% and flags
            ``fraction_read_as_percentage``.  It is never read silently as 0.93%.
        as_: ``"records"`` (the default), ``"pandas"``, ``"arrow"`` or ``"polars"``.

    >>> r = evaluate_many(["≤400万元", "较上年增长5%", "15个"], ["380万元", "110", "x"], baselines=[None, 100, None])
    >>> [(x.met, x.error is not None) for x in r]
    [(True, False), (True, False), (None, True)]
    """
    if fractions not in ("flag", "percent"):
        raise targetexpr.TargetValueError(
            say("fractions must be 'flag' or 'percent', not {value}", value=repr(fractions))
        )
    target_cells = column(targets, None, "targets")
    n = len(target_cells)
    actual_cells = column(actuals, n, "actuals")
    point_cells = column(points, n, "points")
    baseline_cells = column(baselines, n, "baselines")
    names = column(indicator, n, "indicator")
    wanted = column(directions, n, "directions")
    rule_set = targetexpr.load_rules(rules)
    options: dict[str, Any] = {
        "default_unit": default_unit,
        "deadline_inclusive": deadline_inclusive,
        "date_order": date_order,
    }
    targetexpr.parse("1", year=year, **options)  # a bad option raises here, once
    reader = Reader(year, options, rule_set)
    judge = _Judge(reader, rule_set, year, tolerance, excel_dates, fractions, options)
    rows: list[EvaluatedRow] = []
    append = rows.append
    memo: dict[tuple[Any, ...], EvaluatedRow] = {}
    with pinned():  # the language is read once for the whole column, not per row
        for i in range(n):
            cell, actual, point, baseline = (
                target_cells[i],
                actual_value(actual_cells[i]),
                point_cells[i],
                baseline_cells[i],
            )
            name, direction = names[i], wanted[i]
            parts = (key(cell), key(actual), key(point), key(baseline), key(name), key(direction))
            memo_key = parts if None not in parts else None
            row = memo.get(memo_key) if memo_key is not None else None
            if row is None:
                row = judge(cell, actual, point, baseline, name, direction)
                if memo_key is not None:
                    memo[memo_key] = row
            append(row)
    return output(rows, EVALUATED_COLUMNS, as_)


class _Judge:
    """One row's evaluation, with the column's options."""

    def __init__(
        self,
        reader: Reader,
        rules: RuleSet,
        year: int | None,
        tolerance: object,
        excel_dates: bool,
        fractions: str,
        options: dict[str, Any],
    ) -> None:
        self.reader, self.rules, self.year, self.tolerance = reader, rules, year, tolerance
        self.excel_dates, self.fractions, self.options = excel_dates, fractions, options

    def __call__(
        self, cell: object, actual: object, point: object, baseline: object, given: object, direction: object
    ) -> EvaluatedRow:
        name = None if is_missing(given) else str(given)
        point = None if is_missing(point) else plain(point)
        baseline = None if is_missing(baseline) else plain(baseline)
        direction = None if is_missing(direction) else direction
        node: Target | None
        fields: TargetFields
        if isinstance(cell, _TARGET_TYPES):
            node, error, position = cell, None, None
            fields = target_fields(cell, self.year, None)
            text: str | None = str(cell)
        else:
            node, fields, error, position, _extra = self.reader.read(cell)
            text = cell_text(cell)
        actual_text = None if actual is None else (actual if isinstance(actual, str) else str(actual))
        if node is None:
            flags = ("missing_target",) if error is None else ()
            verdict = (None, None, None, self._points(point), None, None)
            return EvaluatedRow._make((text, name, actual_text, *fields[:13], *verdict, flags, error, position))
        extra: list[str] = []
        threshold = _percent_threshold(node)
        bare = bare_number(actual) if threshold is not None else None
        if bare is not None and threshold is not None and 0 < bare <= 1 < threshold:
            if self.fractions == "flag":
                reason = say(
                    "the actual {actual} is a bare number between 0 and 1 under the percentage target "
                    "{target}: it reads as a fraction ({percent}%), not as {actual}%; write the "
                    "percentage ({percent}% or {actual}%), or pass fractions='percent'",
                    actual=actual_text,
                    target=str(node),
                    percent=format(bare * 100, "f"),
                )
                judged: tuple[Any, ...] = (None, None, None, self._points(point), None, reason)
                return EvaluatedRow._make(
                    (text, name, actual_text, *fields[:13], *judged, ("fraction_for_percentage",), None, None)
                )
            actual = Quantity(bare.scaleb(2), Unit("%"))
            extra.append("fraction_read_as_percentage")
        try:
            result = targetexpr.evaluate(
                node,
                actual,
                baseline=baseline,
                year=self.year,
                direction=direction,  # type: ignore[arg-type]
                points=point,
                rules=self.rules,
                tolerance=self.tolerance,
                excel_dates=self.excel_dates,
                indicator=name,
                **self.options,
            )
        except targetexpr.TargetError as e:
            unjudged = (None, None, None, self._points(point), None, None, tuple(fields[13]))
            return EvaluatedRow._make(
                (text, name, actual_text, *fields[:13], *unjudged, first_line(e), getattr(e, "position", None))
            )
        if (result.direction_source or "").startswith("cue:"):
            extra.append("direction_from_indicator")
        return EvaluatedRow._make(
            (
                text,
                name,
                result.actual,
                *fields[:12],
                result.direction.value if result.direction is not None else fields[12],
                result.met,
                result.completion,
                result.score,
                result.points,
                result.band.value if result.band is not None else None,
                result.reason,
                tuple(dict.fromkeys((*result.flags, *extra))),
                None,
                None,
            )
        )

    def _points(self, point: object) -> Decimal | None:
        try:
            return targetexpr.evaluate("1", None, points=point).points
        except targetexpr.TargetError:
            return None
