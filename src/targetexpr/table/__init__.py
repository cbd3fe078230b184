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

from .check import check_row
from .labels import canonical_level1
from .review import Review, review
from .rows import Row, Scorecard, ScoredRow, Subtotal
from .scorer import score_rows
from .summary import Summary, score_table

__all__ = [
    "Review",
    "Row",
    "Scorecard",
    "ScoredRow",
    "Subtotal",
    "Summary",
    "canonical_level1",
    "check_row",
    "review",
    "score_rows",
    "score_table",
]
