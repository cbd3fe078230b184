"""targetexpr: read the target values of Chinese budget performance tables (绩效目标表) and score
year-end actuals against them.

>>> import targetexpr
>>> t = targetexpr.parse("≥99.9%")
>>> str(t), t.op.inclusive
('≥99.9%', True)
>>> targetexpr.to_dict(targetexpr.parse("15 个"))["kind"]
'value'
>>> r = targetexpr.evaluate("≤600 万元", "5,987,500元")
>>> r.met, r.completion
(True, Decimal('1.002088'))

Importing the package does not build the parser; the first :func:`parse` does.
"""

from __future__ import annotations

from .errors import (
    BaselineRequiredError,
    RuleSetError,
    TableError,
    TargetError,
    TargetEvaluationError,
    TargetLengthError,
    TargetSyntaxError,
    TargetValueError,
    UnitMismatchError,
)
from .evaluate import Evaluation, evaluate
from .nodes import (
    CalendarDate,
    Change,
    Comparison,
    Compound,
    Deadline,
    Direction,
    FreeText,
    Masked,
    Op,
    Period,
    Polarity,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Span,
    Target,
    Unit,
    Value,
)
from .normalize import normalize
from .parse import MAX_LENGTH, Analysis, Repair, analyze, parse
from .render import from_dict, to_dict
from .scoring import Band, RuleSet, load_rules
from .table import Row, Scorecard, ScoredRow, Subtotal, score_rows, score_table

__version__ = "0.1.0"

__all__ = [
    "MAX_LENGTH",
    # evaluating and scoring
    "evaluate",
    "Evaluation",
    "score_table",
    "score_rows",
    "Row",
    "ScoredRow",
    "Scorecard",
    "Subtotal",
    "RuleSet",
    "load_rules",
    "Band",
    "Analysis",
    "BaselineRequiredError",
    "CalendarDate",
    "Change",
    "Comparison",
    "Compound",
    "Deadline",
    "Direction",
    "FreeText",
    "Masked",
    "Op",
    "Period",
    "Polarity",
    "Qualitative",
    "Quantity",
    "Range",
    "Relative",
    "Repair",
    "RuleSetError",
    "Span",
    "TableError",
    # the AST
    "Target",
    # errors
    "TargetError",
    "TargetEvaluationError",
    "TargetLengthError",
    "TargetSyntaxError",
    "TargetValueError",
    "Unit",
    "UnitMismatchError",
    "Value",
    "__version__",
    "analyze",
    "from_dict",
    "normalize",
    # parsing
    "parse",
    "to_dict",
]
