"""The command line's arguments, help texts and the columns it adds to tables."""

from __future__ import annotations

import argparse
import re

from .. import datafiles as _data
from ..i18n import N_, current_language, say
from ..i18n import gettext as _
from ..nodes import kind_name as _node_kind_name
from ..version import __version__
from .lang import Parser, lang_option

__all__ = [
    "CHECK_COLUMNS",
    "EXAMPLES",
    "SCORE_COLUMNS",
    "band_name",
    "build_parser",
    "columns",
    "kind_name",
    "rules_name",
]

#: Per command: the example command lines (not translated) and the notes below them (messages).
EXAMPLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "parse": (
        (
            'targetexpr parse "≤400 万元"',
            'targetexpr parse "年底前" --year 2022',
            'targetexpr parse "≥40 ↑"',
            'targetexpr parse "不低于95%" --json',
        ),
        (N_("PDF noise (≥40 ↑) is repaired and reported."),),
    ),
    "evaluate": (
        (
            'targetexpr evaluate "≤30 分钟" "0.4小时"',
            'targetexpr evaluate "≥95%" "90%" --points 10',
            'targetexpr evaluate "≤10%" "12.5%" --points 10 --rules system',
            'targetexpr evaluate "较上年增长8%" "110万元" --baseline 100万元',
            'targetexpr evaluate "年底前" "2023年1月3日" --year 2022 --json',
        ),
        (),
    ),
    "check": (
        (
            "targetexpr check 绩效目标表.xlsx",
            "targetexpr check targets.csv --encoding gb18030 --year 2022",
            "targetexpr check 绩效目标表.xlsx -o 检查结果.xlsx --fail-on errors",
            "targetexpr check export.csv --column target=年度指标值 --column indicator=指标",
            "targetexpr --lang en check 绩效目标表.xlsx",
        ),
        (
            N_(
                "exit status: 0 when every row reads (and, with the default --fail-on flags, none is flagged for\n"
                "a reviewer); 1 otherwise; 2 when the file cannot be read or has no table."
            ),
        ),
    ),
    "score": (
        (
            "targetexpr score 自评表.xlsx -o 自评表-评分.xlsx --html report.html",
            "targetexpr score 自评表.csv -o 评分.csv --rules system --year 2022",
            "targetexpr score 自评表.xlsx -o 评分.json",
            "targetexpr score 自评表.xlsx --rules my-province.toml",
            "targetexpr --lang en score 自评表.xlsx --html report.html",
        ),
        (
            N_("rule sets: national (default), system, legacy, hubei, sichuan, or a TOML file (docs/evaluation.md)."),
            N_(
                "exit status: 0 when the table was scored (rows with errors carry them in the 错误 column);\n"
                "2 when the file cannot be read or has no table."
            ),
        ),
    ),
}


def epilog(command: str) -> str:
    """The examples and notes under a command's help, in the language in effect."""
    lines, notes = EXAMPLES[command]
    text = _("examples:") + "\n" + "".join(f"  {line}\n" for line in lines)
    return text + "".join(f"\n{_(note)}\n" for note in notes)


#: The columns ``score`` adds to every row of the output table (their Chinese names: the default,
#: and the stable keys of the ``-o FILE.json`` output).
SCORE_COLUMNS = ("规范指标值", "判定", "完成率", "公式得分", "填报得分不一致", "说明", "错误")
#: The columns ``check`` adds.
CHECK_COLUMNS = ("规范指标值", "类型", "检查", "问题", "错误")
_COLUMN_NAMES = {
    "规范指标值": N_("canonical target"),
    "判定": N_("verdict"),
    "完成率": N_("completion rate"),
    "公式得分": N_("formula score"),
    "填报得分不一致": N_("published score differs"),
    "说明": N_("notes"),
    "错误": N_("read error"),
    "类型": N_("kind of target"),
    "检查": N_("check result"),
    "问题": N_("problems"),
}
_BAND_EN = {"met": N_("met"), "partial": N_("partly met"), "not_met": N_("not met")}


def columns(names: tuple[str, ...]) -> tuple[str, ...]:
    """The added columns' headers in the language in effect (Chinese: the names themselves)."""
    if current_language() == "zh":
        return names
    return tuple(_(_COLUMN_NAMES[name]) for name in names)


def kind_name(kind: str | None) -> str:
    """A target's kind as the reader names it (``comparison`` → 比较)."""
    if not kind:
        return ""
    return _node_kind_name(kind)  # nodes.KIND_NAMES: one table of kind names for library and command line


def band_name(band: str | None) -> str:
    """The verdict of a band (``met``, ``partial``, ``not_met``; ``None``: no verdict): in Chinese the
    names of ``data/bands.tsv`` (达成, 部分达成, 未达成), in English words."""
    if band is None:
        return _("no verdict")
    if current_language() == "zh":
        return _data.bands()[band].short if band in _data.bands() else band
    return _BAND_EN.get(band, band)


#: The rule sets that ship with targetexpr, as a Chinese reader names them (English shows the name).
_RULE_SET_NAMES = {
    "national": N_("national rules"),
    "system": N_("national system rules"),
    "legacy": N_("older national rules"),
    "hubei": N_("Hubei rules"),
    "sichuan": N_("Sichuan rules"),
    "tianjin": N_("Tianjin rules"),
}


def rules_name(name: str) -> str:
    """A rule set's name for the reader: in Chinese the shipped sets' Chinese names, else the name."""
    if current_language() == "zh" and name in _RULE_SET_NAMES:
        return _(_RULE_SET_NAMES[name])
    return name


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
        raise argparse.ArgumentTypeError(
            say("expected FIELD=HEADER with FIELD one of {fields}", fields=", ".join(FIELDS))
        )
    return field, header


def _table_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("file", help=_("the table: .xlsx (needs the [cli] extra) or .csv"))
    sub.add_argument("--sheet", help=_("read only this sheet of an .xlsx file (default: every sheet)"))
    sub.add_argument("--encoding", help=_("encoding of a .csv file (default: detected: utf-8 or gb18030)"))
    sub.add_argument(
        "--column",
        action="append",
        type=_column,
        default=[],
        metavar="FIELD=HEADER",
        help=_(
            "which header holds a field, when the usual headers are not used (repeatable); fields: "
            "level1, level2, indicator, target, actual, points, published_score, deviation_reason, qualifier, unit"
        ),
    )
    sub.add_argument("--year", type=int, help=_("budget year, for dates that omit it (default: from the title)"))
    sub.add_argument("--default-unit", help=_("unit for target values written without one, e.g. 万元"))
    sub.add_argument("-o", "--output", help=_("write the table with the result columns added: .xlsx, .csv or .json"))
    sub.add_argument("--quiet", action="store_true", help=_("no progress bar"))


def _lang_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--lang",
        type=lang_option,
        default=default,
        metavar="{zh,en}",
        help=_(
            "language of everything printed and written: zh (default) or en; else $TARGETEXPR_LANG, "
            "else the locale when it names en or zh"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``targetexpr`` command (for documentation tools), in the language
    in effect (:func:`targetexpr.language`)."""
    parser = Parser(
        prog="targetexpr",
        description=_("Read the target values (指标值) of Chinese budget performance tables and score actuals."),
        epilog=_("Run 'targetexpr COMMAND --help' for a command's options and examples."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"targetexpr {__version__}",
        help=_("show the version and exit"),
    )
    _lang_option(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, epilog=epilog(name))
        _lang_option(sub, argparse.SUPPRESS)
        return sub

    parse = add("parse", _("parse one target value and print its canonical form and JSON"))
    parse.add_argument("text", help=_("the target value, e.g. '≥99.9%%'"))
    parse.add_argument("--year", type=int, help=_("budget year, for dates that omit it (年底前)"))
    parse.add_argument("--no-repair", action="store_true", help=_("do not repair known PDF extraction noise"))
    parse.add_argument("--default-unit", help=_("unit for a value written without one, e.g. 万元"))
    parse.add_argument("--json", action="store_true", help=_("print only the JSON"))

    evaluate = add("evaluate", _("judge one actual against one target: verdict, completion, reason"))
    evaluate.add_argument("target", help=_("the target value (指标值), e.g. '≤30 分钟'"))
    evaluate.add_argument("actual", help=_("the actual (实际完成值), e.g. '0.4小时'"))
    evaluate.add_argument("--points", help=_("the row's points (分值): print the formula score too"))
    evaluate.add_argument("--rules", default="national", help=_("rule set name or TOML file (default: national)"))
    evaluate.add_argument("--year", type=int, help=_("budget year, for dates that omit it"))
    evaluate.add_argument("--baseline", help=_("baseline of a relative target (较上年增长5%%), e.g. 100万元"))
    evaluate.add_argument("--direction", choices=["正向", "反向"], help=_("direction of a bare value (15个)"))
    evaluate.add_argument("--tolerance", help=_("for 约/左右 targets: a quantity (5%%, 10人)"))
    evaluate.add_argument("--json", action="store_true", help=_("print the evaluation as JSON"))

    check = add("check", _("lint the targets of a table: unreadable, unmeasurable or noisy values"))
    _table_options(check)
    check.add_argument(
        "--fail-on",
        choices=["flags", "errors", "never"],
        default="flags",
        help=_("exit 1 on any flagged row (default), only on unreadable rows, or never"),
    )
    check.add_argument("--all", action="store_true", help=_("print every row with its reading, not only the problems"))
    check.add_argument("--json", action="store_true", help=_("print the flagged rows and counts as JSON"))
    _review_options(check)

    score = add("score", _("score a self-evaluation table: per-row verdict and score, subtotals, total, grade"))
    _table_options(score)
    score.add_argument("--rules", default="national", help=_("rule set name or TOML file (default: national)"))
    score.add_argument("--html", help=_("also write a self-contained HTML report to this file"))
    score.add_argument("--json", action="store_true", help=_("print the summary as JSON"))
    _review_options(score)
    return parser


def _review_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--review-rules",
        default="national",
        help=_(
            "review rule set name or TOML file (default: national); its error findings count towards "
            "the exit status of check"
        ),
    )
    sub.add_argument(
        "--no-review", action="store_true", help=_("do not review the tables (only lint or score each target)")
    )
    sub.add_argument(
        "--previous",
        metavar="LAST_YEAR_FILE",
        help=_(
            "last year's table of the same projects: a target weaker than last year's target or actual "
            "for the same indicator is listed for review (rule history.lower)"
        ),
    )
    sub.add_argument(
        "--review-grade",
        action="store_true",
        help=_(
            "propose a review grade (优/良/中/差) from the findings: the project's own proposal, "
            "not an official result (the [grade] table of the review rule set)"
        ),
    )
