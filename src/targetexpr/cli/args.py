"""The command line's arguments, help texts and the columns it adds to tables."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from .. import datafiles as _data
from ..version import __version__

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = ["CHECK_COLUMNS", "EXAMPLES", "SCORE_COLUMNS", "build_parser"]

EXAMPLES = {
    "parse": """examples:
  targetexpr parse "≤400 万元"
  targetexpr parse "年底前" --year 2022
  targetexpr parse "≥40 ↑"                  (PDF noise is repaired and reported)
  targetexpr parse "不低于95%" --json
""",
    "evaluate": """examples:
  targetexpr evaluate "≤30 分钟" "0.4小时"
  targetexpr evaluate "≥95%" "90%" --points 10
  targetexpr evaluate "≤10%" "12.5%" --points 10 --rules system
  targetexpr evaluate "较上年增长8%" "110万元" --baseline 100万元
  targetexpr evaluate "年底前" "2023年1月3日" --year 2022 --json
""",
    "check": """examples:
  targetexpr check 绩效目标表.xlsx
  targetexpr check targets.csv --encoding gb18030 --year 2022
  targetexpr check 绩效目标表.xlsx -o 检查结果.xlsx --fail-on errors
  targetexpr check export.csv --column target=年度指标值 --column indicator=指标

exit status: 0 when every row reads (and, with the default --fail-on flags, none is flagged for
a reviewer); 1 otherwise; 2 when the file cannot be read or has no table.
""",
    "score": """examples:
  targetexpr score 自评表.xlsx -o 自评表-评分.xlsx --html report.html
  targetexpr score 自评表.csv -o 评分.csv --rules system --year 2022
  targetexpr score 自评表.xlsx -o 评分.json
  targetexpr score 自评表.xlsx --rules my-province.toml

rule sets: national (default), system, legacy, hubei, sichuan, or a TOML file (docs/evaluation.md).
exit status: 0 when the table was scored (rows with errors carry them in the 错误 column);
2 when the file cannot be read or has no table.
""",
}

#: The columns ``score`` adds to every row of the output table.
SCORE_COLUMNS = ("规范指标值", "判定", "完成率", "公式得分", "填报得分不一致", "说明", "错误")
#: The columns ``check`` adds.
CHECK_COLUMNS = ("规范指标值", "类型", "检查", "问题", "错误")

_BAND = {band: names.short for band, names in _data.bands().items()}  # data/bands.tsv
_YEAR_IN_TITLE = re.compile(r"((?:19|20)[0-9]{2})\s*年")
#: Evaluation flags that record the usual reading, not a doubt (docs/evaluation.md).
_ROUTINE_FLAGS = ("at_bound", "on_deadline_day", "assumed_higher")
#: Rows listed per table in the HTML report (the output table always has all of them).
REPORT_ROWS = 400


# --- arguments ----------------------------------------------------------------------------------


def _column(value: str) -> tuple[str, str]:
    from .sheets import FIELDS

    field, sep, header = value.partition("=")
    if not sep or field not in FIELDS or not header:
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER with FIELD one of {', '.join(FIELDS)}")
    return field, header


def _table_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("file", help="the table: .xlsx (needs the [cli] extra) or .csv")
    sub.add_argument("--sheet", help="read only this sheet of an .xlsx file (default: every sheet)")
    sub.add_argument("--encoding", help="encoding of a .csv file (default: detected: utf-8 or gb18030)")
    sub.add_argument(
        "--column",
        action="append",
        type=_column,
        default=[],
        metavar="FIELD=HEADER",
        help="which header holds a field, when the usual headers are not used (repeatable); fields: "
        "level1, level2, indicator, target, actual, points, published_score, deviation_reason, qualifier, unit",
    )
    sub.add_argument("--year", type=int, help="budget year, for dates that omit it (default: from the title)")
    sub.add_argument("--default-unit", help="unit for target values written without one, e.g. 万元")
    sub.add_argument("-o", "--output", help="write the table with the result columns added: .xlsx, .csv or .json")
    sub.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``targetexpr`` command (for documentation tools)."""
    parser = argparse.ArgumentParser(
        prog="targetexpr",
        description="Read the target values (指标值) of Chinese budget performance tables and score actuals.",
        epilog="Run 'targetexpr COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"targetexpr {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    parse = add("parse", "parse one target value and print its canonical form and JSON")
    parse.add_argument("text", help="the target value, e.g. '≥99.9%%'")
    parse.add_argument("--year", type=int, help="budget year, for dates that omit it (年底前)")
    parse.add_argument("--no-repair", action="store_true", help="do not repair known PDF extraction noise")
    parse.add_argument("--default-unit", help="unit for a value written without one, e.g. 万元")
    parse.add_argument("--json", action="store_true", help="print only the JSON")

    evaluate = add("evaluate", "judge one actual against one target: verdict, completion, reason")
    evaluate.add_argument("target", help="the target value (指标值), e.g. '≤30 分钟'")
    evaluate.add_argument("actual", help="the actual (实际完成值), e.g. '0.4小时'")
    evaluate.add_argument("--points", help="the row's points (分值): print the formula score too")
    evaluate.add_argument("--rules", default="national", help="rule set name or TOML file (default: national)")
    evaluate.add_argument("--year", type=int, help="budget year, for dates that omit it")
    evaluate.add_argument("--baseline", help="baseline of a relative target (较上年增长5%%), e.g. 100万元")
    evaluate.add_argument("--direction", choices=["正向", "反向"], help="direction of a bare value (15个)")
    evaluate.add_argument("--tolerance", help="for 约/左右 targets: a quantity (5%%, 10人)")
    evaluate.add_argument("--json", action="store_true", help="print the evaluation as JSON")

    check = add("check", "lint the targets of a table: unreadable, unmeasurable or noisy values")
    _table_options(check)
    check.add_argument(
        "--fail-on",
        choices=["flags", "errors", "never"],
        default="flags",
        help="exit 1 on any flagged row (default), only on unreadable rows, or never",
    )
    check.add_argument("--all", action="store_true", help="print every row with its reading, not only the problems")
    check.add_argument("--json", action="store_true", help="print the flagged rows and counts as JSON")
    check.add_argument(
        "--review-rules",
        default="national",
        help="review rule set name or TOML file (default: national); its error findings count towards the exit status",
    )
    check.add_argument("--no-review", action="store_true", help="do not review the tables (only lint each target)")
    _review_options(check)

    score = add("score", "score a self-evaluation table: per-row verdict and score, subtotals, total, grade")
    _table_options(score)
    score.add_argument("--rules", default="national", help="rule set name or TOML file (default: national)")
    score.add_argument("--html", help="also write a self-contained HTML report to this file")
    score.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


def _review_options(check: argparse.ArgumentParser) -> None:
    """The review's options beyond the rule set: last year's table and the proposed review grade."""
    from ..i18n import gettext as _

    check.add_argument(
        "--previous",
        metavar="LAST_YEAR_FILE",
        help=_(
            "last year's table of the same projects: a target weaker than last year's target or actual "
            "for the same indicator is listed for review (rule history.lower)"
        ),
    )
    check.add_argument(
        "--review-grade",
        action="store_true",
        help=_(
            "propose a review grade (优/良/中/差) from the findings: the project's own proposal, "
            "not an official result (the [grade] table of the review rule set)"
        ),
    )
