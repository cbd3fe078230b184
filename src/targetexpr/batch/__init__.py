"""Columns, not cells: parse and evaluate whole columns, one flat typed record per row.

:func:`parse_many` and :func:`evaluate_many` (also ``targetexpr.parse_many`` and
``targetexpr.evaluate_many``) take sequences (lists, tuples, numpy arrays, pandas Series, Arrow
arrays, Polars Series) and never raise on a bad cell: a missing cell (``None``, NaN, ``pd.NA``,
blank text) gives a row whose ``kind`` is ``""``, an unreadable one a row with ``error`` and
``error_position`` set.  Results come as a list of :class:`TargetRow` / :class:`EvaluatedRow`
records (named tuples) by default, or as a pandas DataFrame, an Arrow table or a Polars DataFrame
with ``as_="pandas" | "arrow" | "polars"`` (each an optional extra, imported only when asked for).

Values, completions and scores are :class:`~decimal.Decimal`, never ``float``; in Arrow and Polars
they are ``decimal128(38, 12)``, which holds every value a target can have exactly (at most 21
integer digits and 12 decimal places: see ``docs/batch.md``).

The modules: :mod:`.columns` (the record types, column names and types), :mod:`.cells` (reading
cells of any kind), :mod:`.records` (target cells → records, :func:`parse_many`), :mod:`.evaluate`
(:func:`evaluate_many`), :mod:`.frames` (pandas, Arrow, Polars).  Only the public API is used
(``parse``, ``evaluate``, ``load_rules`` and the node classes), as user code would.

>>> rows = parse_many(["≥99.9%", None, "≤400 万元", "≥≥1"])
>>> [(r.kind, r.op, r.value, r.unit) for r in rows[:3]]
[('comparison', 'ge', Decimal('99.9'), '%'), ('', None, None, None), ('comparison', 'le', Decimal('400'), '万元')]
>>> rows[2].unit_base, rows[2].factor
('元', Decimal('10000'))
>>> rows[3].kind, rows[3].error_position
('', 1)
>>> [(r.met, r.score, r.flags) for r in evaluate_many(["≥95%", "≥95%"], ["96%", 0.96], points=[10, 10])]
[(True, Decimal('10.00'), ()), (None, None, ('fraction_for_percentage',))]
"""

from __future__ import annotations

from .columns import ARROW_DECIMAL, COLUMN_TYPES, EVALUATED_COLUMNS, TARGET_COLUMNS, EvaluatedRow, Output, TargetRow
from .evaluate import evaluate_many
from .frames import arrow_schema, to_frame
from .records import parse_many

__all__ = [
    "ARROW_DECIMAL",
    "COLUMN_TYPES",
    "EVALUATED_COLUMNS",
    "TARGET_COLUMNS",
    "EvaluatedRow",
    "Output",
    "TargetRow",
    "arrow_schema",
    "evaluate_many",
    "parse_many",
    "to_frame",
]
