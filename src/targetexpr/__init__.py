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

from typing import TYPE_CHECKING, Any

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
from .i18n import current_language, language
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
from .options import ParseOptions
from .parser import MAX_LENGTH, Analysis, Repair, analyze, parse
from .parser.normalize import normalize
from .version import __version__

if TYPE_CHECKING:  # pragma: no cover - imported on first use, see __getattr__
    from .batch import evaluate_many, parse_many
    from .dictform import from_dict, to_dict
    from .evaluator import EvalOptions, Evaluation, evaluate
    from .evaluator.flags import describe_flag
    from .schema import target_schema
    from .scoring import Band, RuleSet, load_rules
    from .table import Row, Scorecard, ScoredRow, Subtotal, check_row, score_rows, score_table
    from .table.review import Review, review

# Evaluating, scoring and the dict form load on first use: `import targetexpr` and a first
# parse() stay fast (docs/performance.md).
_LAZY = {
    "to_dict": "dictform",
    "from_dict": "dictform",
    "evaluate": "evaluator",
    "Evaluation": "evaluator",
    "EvalOptions": "evaluator",
    "Band": "scoring",
    "RuleSet": "scoring",
    "load_rules": "scoring",
    "Row": "table",
    "Scorecard": "table",
    "ScoredRow": "table",
    "Subtotal": "table",
    "score_rows": "table",
    "score_table": "table",
    "check_row": "table",
    "review": "table",
    "Review": "table",
    "describe_flag": "evaluator.flags",
    "parse_many": "batch",
    "evaluate_many": "batch",
    "target_schema": "schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'targetexpr' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "MAX_LENGTH",
    # evaluating and scoring
    "evaluate",
    "Evaluation",
    "EvalOptions",
    "score_table",
    "score_rows",
    "Row",
    "ScoredRow",
    "Scorecard",
    "Subtotal",
    "RuleSet",
    "load_rules",
    "Band",
    "check_row",
    "review",
    "Review",
    "describe_flag",
    # columns (targetexpr.batch) and the dict form's JSON Schema
    "parse_many",
    "evaluate_many",
    "target_schema",
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
    "ParseOptions",
    "to_dict",
    # the language of messages
    "language",
    "current_language",
]
