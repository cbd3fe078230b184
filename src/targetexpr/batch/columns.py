"""The columns of the batch API: the record types, their column names and column types."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal, NamedTuple

__all__ = [
    "ARROW_DECIMAL",
    "COLUMN_TYPES",
    "EVALUATED_COLUMNS",
    "TARGET_COLUMNS",
    "EvaluatedRow",
    "Output",
    "TargetRow",
]

Output = Literal["records", "pandas", "arrow", "polars"]

#: Arrow's precision and scale for every Decimal column: exact for any value a target holds.
ARROW_DECIMAL = (38, 12)


class TargetRow(NamedTuple):
    """One parsed cell, flat.  Every field is ``None`` where it does not apply.

    Attributes:
        text: the cell as text (``None`` for a missing cell).
        indicator: the indicator name given for the row.
        kind: the target's kind (``comparison``, ``value``, ``range``, ``deadline`` …); ``""`` for a
            missing or unreadable cell.
        canonical: the canonical text (``str(target)``).
        op: the comparator's name (``ge``, ``gt``, ``le``, ``lt``, ``eq``, ``approx``).
        value: the number (Decimal): a comparison's or value's quantity, a relative target's amount.
        unit: the unit as written canonically (``万元``).
        unit_base: the base unit of its dimension (``元``).
        factor: the exact size of one ``unit`` in ``unit_base`` (Decimal; ``None`` when it has no
            finite decimal form, e.g. 亩 in 平方米, flagged ``factor_not_decimal``).
        low, high: a range's ends (Decimal), in ``unit``.
        date: the day the target names: a deadline's last day (its month's, quarter's, year's
            last day), a period's first day; ``None`` when its year is unknown.
        deadline: the last day that meets a deadline (:meth:`targetexpr.Deadline.resolve`), a period's last day.
        label: a qualitative target's label, a free text's text.
        direction: ``higher``, ``lower`` or ``equal``: from the comparator, the change, or (for a
            bare value) the indicator name; ``None`` when not known.
        flags: short ids (``missing``, ``number_cell``, ``direction_from_indicator``,
            ``factor_not_decimal``).
        error: why the cell cannot be read (the first line of the error).
        error_position: the error's 0-based position in the cell text.
    """

    text: str | None
    indicator: str | None
    kind: str
    canonical: str | None
    op: str | None
    value: Decimal | None
    unit: str | None
    unit_base: str | None
    factor: Decimal | None
    low: Decimal | None
    high: Decimal | None
    date: datetime.date | None
    deadline: datetime.date | None
    label: str | None
    direction: str | None
    flags: tuple[str, ...]
    error: str | None
    error_position: int | None


class EvaluatedRow(NamedTuple):
    """One evaluated row, flat: the target's fields (see :class:`TargetRow`) and the verdict.

    Attributes:
        actual: the actual as read (text; ``None`` when missing).
        met: ``True``/``False``, or ``None`` when no honest verdict exists (``reason`` says why).
        completion: the completion ratio (Decimal, 6 places).
        score: the formula score when points were given (Decimal).
        points: the row's points (Decimal).
        band: ``met``, ``partial`` or ``not_met``.
        reason: the sentences a budget officer can check.
        flags: the evaluation's flags, plus ``fraction_for_percentage`` (a bare number between 0 and
            1 under a percentage target: no verdict unless ``fractions="percent"``),
            ``fraction_read_as_percentage``, ``missing_target``, ``direction_from_indicator``.
        error: why the row cannot be judged (an unreadable target or actual, a unit mismatch, a
            relative target without baseline); ``error_position`` is set for an unreadable target.
    """

    text: str | None
    indicator: str | None
    actual: str | None
    kind: str
    canonical: str | None
    op: str | None
    value: Decimal | None
    unit: str | None
    unit_base: str | None
    factor: Decimal | None
    low: Decimal | None
    high: Decimal | None
    date: datetime.date | None
    deadline: datetime.date | None
    label: str | None
    direction: str | None
    met: bool | None
    completion: Decimal | None
    score: Decimal | None
    points: Decimal | None
    band: str | None
    reason: str | None
    flags: tuple[str, ...]
    error: str | None
    error_position: int | None


#: Column names of :func:`targetexpr.parse_many`'s output, in order.
TARGET_COLUMNS: tuple[str, ...] = TargetRow._fields
#: Column names of :func:`targetexpr.evaluate_many`'s output, in order.
EVALUATED_COLUMNS: tuple[str, ...] = EvaluatedRow._fields


#: The type of every column: str, decimal, date, bool, int, or flags (a list of str).
COLUMN_TYPES: dict[str, str] = {
    "text": "str",
    "indicator": "str",
    "actual": "str",
    "kind": "str",
    "canonical": "str",
    "op": "str",
    "value": "decimal",
    "unit": "str",
    "unit_base": "str",
    "factor": "decimal",
    "low": "decimal",
    "high": "decimal",
    "date": "date",
    "deadline": "date",
    "label": "str",
    "direction": "str",
    "met": "bool",
    "completion": "decimal",
    "score": "decimal",
    "points": "decimal",
    "band": "str",
    "reason": "str",
    "flags": "flags",
    "error": "str",
    "error_position": "int",
}
