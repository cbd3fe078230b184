"""The ``targetexpr`` command line (also ``python -m targetexpr``).

::

    targetexpr parse "≥99.9%"                    canonical form and JSON of one target
    targetexpr evaluate "≤30 分钟" "0.4小时"       verdict, completion, reason (and score with --points)
    targetexpr check 绩效目标表.xlsx               lint the targets of a table; exit code 1 on problems
    targetexpr score 自评表.xlsx -o 评分.xlsx --html report.html
                                                  score a self-evaluation table

Reading and writing Excel files needs the ``[cli]`` extra (``pip install 'targetexpr[cli]'``);
CSV needs nothing.  The input file is never written; outputs are written atomically.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:  # pragma: no cover
    from ._outputs import Writer
    from .scoring import RuleSet
    from .sheets import Block, Item, RawRow
    from .table import Row, ScoredRow

__all__ = ["CHECK_COLUMNS", "SCORE_COLUMNS", "main"]

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

_BAND = {"met": "达成", "partial": "部分达成", "not_met": "未达成"}
_MEASURED_LEVEL2 = ("数量", "质量", "时效", "成本")
_MEASURABLE_KINDS = ("comparison", "value", "range", "deadline", "period", "relative", "compound")
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

    score = add("score", "score a self-evaluation table: per-row verdict and score, subtotals, total, grade")
    _table_options(score)
    score.add_argument("--rules", default="national", help="rule set name or TOML file (default: national)")
    score.add_argument("--html", help="also write a self-contained HTML report to this file")
    score.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


# --- parse and evaluate -------------------------------------------------------------------------


def _parse_command(args: argparse.Namespace) -> int:
    from .parse import analyze
    from .render import to_dict

    analysis = analyze(args.text, year=args.year, repair=not args.no_repair, default_unit=args.default_unit)
    if analysis.target is None:
        print(f"error: {analysis.error}", file=sys.stderr)
        return 1
    as_json = json.dumps(to_dict(analysis.target), ensure_ascii=False)
    if args.json:
        print(as_json)
        return 0
    print(str(analysis.target))
    print(as_json)
    for repair in analysis.repairs:
        print(f"repaired: {repair.before!r} -> {repair.after!r} ({repair.message})", file=sys.stderr)
    for warning in analysis.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _rules_argument(value: str) -> Any:
    return Path(value) if value.lower().endswith(".toml") else value


def _evaluate_command(args: argparse.Namespace) -> int:
    from .evaluation import evaluate

    result = evaluate(
        args.target,
        args.actual,
        points=args.points,
        rules=_rules_argument(args.rules),
        year=args.year,
        baseline=args.baseline,
        direction=args.direction,
        tolerance=args.tolerance,
    )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    verdict = {True: "met (达成)", False: "not met (未达成)", None: "no verdict (无法判定)"}[result.met]
    if result.band is not None and result.band.value == "partial":
        verdict = "partly met (部分达成)"
    print(f"target:     {result.target}")
    print(f"actual:     {result.actual}")
    print(f"verdict:    {verdict}")
    if result.completion is not None:
        print(f"completion: {result.completion * 100:.2f}%")
    if result.score is not None:
        print(f"score:      {result.score} of {result.points} (rules: {result.rules})")
    print(f"reason:     {result.reason}")
    for flag in result.flags:
        print(f"flag:       {flag}")
    return 0


# --- tables: shared -----------------------------------------------------------------------------


def _progress(items: Iterator[Item], quiet: bool, what: str) -> Iterator[Item]:
    """A progress bar on stderr when it is a terminal (tqdm, from the [cli] extra); quiet otherwise."""
    if quiet or not sys.stderr.isatty():
        return items
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - cosmetic: no bar without tqdm
        return items
    return iter(tqdm(items, desc=what, unit=" rows", file=sys.stderr, leave=False))


def _items(args: argparse.Namespace, what: str) -> Iterator[Item]:
    from . import sheets
    from .errors import TableError

    source = Path(args.file)
    if not source.is_file():
        raise TableError(f"{args.file}: no such file")
    if args.output and Path(args.output).resolve() == source.resolve():
        raise TableError("the output would overwrite the input: choose another file with -o")
    rows = sheets.read_rows(source, sheet=args.sheet, encoding=args.encoding)
    return _progress(sheets.segment(rows, columns=dict(args.column)), args.quiet, what)


class _Years:
    """The budget year of each table: ``--year``, else the year in the project's name or the
    heading above it, else the last year seen in the file (a heading covers the tables below it)."""

    def __init__(self, given: int | None) -> None:
        self.given = given
        self.last: int | None = None

    def __call__(self, block: Block) -> int | None:
        if self.given is not None:
            return int(self.given)
        for text in (block.title, block.heading):
            match = _YEAR_IN_TITLE.search(text or "")
            if match:
                self.last = int(match.group(1))
                return self.last
        return self.last


def _target_text(fields: Mapping[str, object]) -> tuple[str, str | None]:
    """The target as one text (split cells 指标性质 | 指标值 | 度量单位 joined) and a direction."""
    target = str(fields.get("target") or "")
    qualifier = str(fields.get("qualifier") or "").strip()
    unit = str(fields.get("unit") or "").strip()
    direction = None
    if qualifier in ("正向", "反向"):
        direction = qualifier
    elif qualifier and qualifier != "定性" and target and not target.startswith(qualifier):
        target = qualifier + target
    if unit and target and (target[-1:].isdigit() or target.endswith(".")):
        target += unit
    return target, direction


def _text(fields: Mapping[str, object], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _row(item: Item) -> Row:
    from .table import Row

    fields = item.fields
    target, direction = _target_text(fields)
    actual = fields.get("actual")
    return Row(
        indicator=_text(fields, "indicator"),
        target=target or None,
        actual=None if actual in ("", None) else actual,
        points=_text(fields, "points") or None,
        published_score=_text(fields, "published_score") or None,
        level1=_text(fields, "level1"),
        level2=_text(fields, "level2"),
        direction=direction,
        deviation_reason=_text(fields, "deviation_reason"),
        line=item.raw.number,
    )


def _where(raw: RawRow) -> str:
    return f"{raw.sheet} row {raw.number}"


def _no_table(args: argparse.Namespace) -> Exception:
    from .errors import TableError

    return TableError(
        f"{args.file}: no table found. A table starts with a header row that names the indicator "
        "(三级指标, 指标名称 …) and the target or the actual (指标值, 年度指标值, 实际完成值 …); "
        "for other headers use --column FIELD=HEADER, e.g. --column target=目标"
    )


def _with_unit(value: str | None, unit: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()
    return text + unit if unit and text[-1:].isdigit() else text


# --- score --------------------------------------------------------------------------------------


def _score_values(scored: ScoredRow) -> list[object]:
    """The values of :data:`SCORE_COLUMNS` for one scored row."""
    ev = scored.evaluation
    if scored.kind in ("blank", "total"):
        return ["", "", "", "", "", "; ".join(scored.notes), scored.error or ""]
    band = ""
    if ev is not None:
        band = _BAND.get(ev.band.value, "") if ev.band is not None else "无法判定"
    reason = ev.reason if ev is not None else ""
    return [
        str(ev.target) if ev is not None else "",
        band,
        f"{ev.completion * 100:.2f}%" if ev is not None and ev.completion is not None else "",
        scored.score if scored.score is not None else "",  # a number in Excel, to sum
        "是" if scored.differs else "",
        "；".join(x for x in [reason, *scored.notes] if x),
        (scored.error or "").splitlines()[0] if scored.error else "",
    ]


def _review(scored: ScoredRow) -> list[str]:
    """Why a reviewer should look at this row (empty: no need)."""
    ev = scored.evaluation
    why: list[str] = []
    if scored.error:
        why.append(scored.error.splitlines()[0])
    if scored.differs:
        why.append(next((n for n in scored.notes if n.startswith("published score")), "published score differs"))
    if ev is not None:
        if ev.met is None and scored.kind in ("indicator", "sub", "unscored"):
            why.append("no verdict: " + ev.reason)
        why += [f"flag {f}" for f in ev.flags if f not in _ROUTINE_FLAGS]
    why += [n for n in scored.notes if n.startswith("repaired") or "misread" in n or "conflict" in n]
    return why


def _report_row(scored: ScoredRow, table: int, where: str) -> dict[str, Any]:
    ev = scored.evaluation
    return {
        "table": table,
        "where": where,
        "level1": scored.level1,
        "indicator": scored.row.indicator,
        "target": str(ev.target) if ev is not None else (str(scored.row.target or "") or None),
        "actual": None if scored.row.actual is None else str(scored.row.actual),
        "kind": scored.kind,
        "completion": str(ev.completion) if ev is not None and ev.completion is not None else None,
        "band": ev.band.value if ev is not None and ev.band is not None else None,
        "score": None if scored.score is None else str(scored.score),
        "points": None if scored.points is None else str(scored.points),
        "published": None if scored.published_score is None else str(scored.published_score),
        "differs": bool(scored.differs),
        "review": _review(scored),
    }


class _ScoreRun:
    """Streams the items of a file through :func:`~targetexpr.table.score_rows`, table by table,
    writing every input row to the output as soon as it is scored."""

    def __init__(self, args: argparse.Namespace, rules: RuleSet, writer: Writer | None) -> None:
        self.args = args
        self.rules = rules
        self.writer = writer
        self.tables: list[dict[str, Any]] = []
        self.report_rows: list[dict[str, Any]] = []
        self.held: collections.deque[RawRow] = collections.deque()
        self.years = _Years(args.year)

    def write(self, raw: RawRow, values: Sequence[object], width: int) -> None:
        if self.writer is not None:
            self.writer.row(raw, values, width)

    def hold(self, raw: RawRow) -> None:
        """Rows above a header wait for it: one of them may be the funding row it scores."""
        from .sheets import MAX_PENDING

        self.held.append(raw)
        if len(self.held) > MAX_PENDING:
            self.write(self.held.popleft(), (), 0)

    def release(self, width: int, funding: tuple[int, ScoredRow] | None) -> None:
        while self.held:
            raw = self.held.popleft()
            if funding is not None and raw.number == funding[0]:
                self.write(raw, _score_values(funding[1]), width)
            else:
                self.write(raw, (), 0)

    def run(self, items: Iterator[Item]) -> None:
        current = next(items, None)
        while current is not None:
            if current.kind != "header":
                if current.kind == "meta":
                    self.hold(current.raw)
                else:  # pragma: no cover - segment() yields data rows only after a header
                    self.write(current.raw, (), 0)
                current = next(items, None)
                continue
            current = self.table(current, items)
        self.release(0, None)

    def _funding(self, header: Item, year: int | None) -> tuple[int, ScoredRow] | None:
        """The funding row of the national self-evaluation template, scored as 预算执行率."""
        from .table import Row, score_rows

        block = header.block
        if block.points is None or block.funding_row is None:
            return None
        row = Row(
            indicator="预算执行率",
            level1="预算执行率",
            points=block.points,
            published_score=block.published,
            budget=_with_unit(block.budget, block.money_unit),
            spent=_with_unit(block.spent, block.money_unit),
            line=block.funding_row,
        )
        scored = next(iter(score_rows([row], rules=self.rules, year=year)))
        return block.funding_row, scored

    def table(self, header: Item, items: Iterator[Item]) -> Item | None:
        """Score one table; returns the first item after it."""
        from .table import _Summary, score_rows

        number, block = header.table, header.block
        width = len(header.raw.cells)
        year = self.years(block)
        summary = _Summary(self.rules)
        funding = self._funding(header, year)
        self.release(width, funding)
        self.write(header.raw, SCORE_COLUMNS, width)
        counts: collections.Counter[str] = collections.Counter()
        if funding is not None:
            summary.add(funding[1])
            self._note(funding[1], number, f"{header.raw.sheet} row {funding[0]}", counts)
        # Rows leave in input order: `queue` holds every row not yet written, `waiting` the data
        # rows among them still inside score_rows() (a parent row waits for its sub-rows).
        queue: collections.deque[list[Any]] = collections.deque()
        waiting: collections.deque[list[Any]] = collections.deque()
        current: Item | None = next(items, None)

        def feed() -> Iterator[Row]:
            nonlocal current
            while current is not None and (current.kind == "data" or current.continued):
                if current.kind == "header":  # the header repeated after a page break
                    queue.append([current.raw, SCORE_COLUMNS])
                else:
                    entry = [current.raw, None]
                    queue.append(entry)
                    waiting.append(entry)
                    yield _row(current)
                current = next(items, None)

        def flush() -> None:
            while queue and queue[0][1] is not None:
                raw, values = queue.popleft()
                self.write(raw, values, width)

        for scored in score_rows(
            feed(),
            rules=self.rules,
            year=year,
            budget=_with_unit(block.budget, block.money_unit),
            spent=_with_unit(block.spent, block.money_unit),
            default_unit=self.args.default_unit,
        ):
            entry = waiting.popleft()
            summary.add(scored)
            if funding is not None and scored.kind == "execution":
                counts["second execution row"] += 1
            self._note(scored, number, _where(entry[0]), counts)
            entry[1] = _score_values(scored)
            flush()
        flush()
        assert not queue, "every row was scored"
        card = summary.result(())
        record = card.to_dict()
        del record["rows"]
        if counts["second execution row"]:
            record["warnings"].append(
                "the funding row above the table and a 预算执行率 row in it are both scored: check the points"
            )
        record.update(
            table=number,
            sheet=header.raw.sheet,
            header_row=header.raw.number,
            title=block.title or f"table {number}",
            year=year,
            counts={k: counts[k] for k in ("rows", "met", "partial", "not_met", "no_verdict", "differs", "errors")},
            review=counts["review"],
        )
        self.tables.append(record)
        return current

    def _note(self, scored: ScoredRow, table: int, where: str, counts: collections.Counter[str]) -> None:
        if scored.kind in ("blank", "total"):
            return
        counts["rows"] += 1
        ev = scored.evaluation
        if scored.error:
            counts["errors"] += 1
        elif ev is not None and ev.band is not None:
            counts[ev.band.value] += 1
        elif scored.kind not in ("group", "execution"):
            counts["no_verdict"] += 1
        if scored.differs:
            counts["differs"] += 1
        info = _report_row(scored, table, where)
        if info["review"]:
            counts["review"] += 1
        if self.args.html and counts["listed"] < REPORT_ROWS:
            counts["listed"] += 1
            self.report_rows.append(info)


def _score_command(args: argparse.Namespace) -> int:
    from ._outputs import open_writer, write_text_atomically
    from .scoring import load_rules

    rules = load_rules(_rules_argument(args.rules))
    items = _items(args, "scoring")
    writer = open_writer(args.output, SCORE_COLUMNS, args.file) if args.output else None
    run = _ScoreRun(args, rules, writer)
    try:
        run.run(items)
        if not run.tables:
            raise _no_table(args)
        if writer is not None:
            writer.summary(run.tables)
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if args.html:
        from .report import render_report

        text = render_report(run.tables, run.report_rows, source=Path(args.file).name, rules=rules.name)
        write_text_atomically(Path(args.html), text)
    if args.json:
        print(json.dumps({"tables": run.tables}, ensure_ascii=False, indent=1))
    else:
        _print_score_summary(run.tables, args)
    return 0


def _print_score_summary(tables: Sequence[dict[str, Any]], args: argparse.Namespace) -> None:
    for table in tables:
        print(f"== table {table['table']} ({table['sheet']} row {table['header_row']}): {table['title']}")
        for sub in table["subtotals"]:
            published = f"  (published {sub['published_score']})" if sub["published_score"] is not None else ""
            print(f"   {sub['level1']}: {sub['score']} of {sub['points']}{published}")
        published_total = f", published {table['published_total']}" if table["published_total"] is not None else ""
        grade = table["grade"] or "—"
        print(f"   total {table['total']} of {table['total_points']}{published_total}; grade {grade}")
        c = table["counts"]
        print(
            f"   {c['rows']} rows: {c['met']} met, {c['partial']} partly met, {c['not_met']} not met, "
            f"{c['no_verdict']} without verdict, {c['errors']} with errors; "
            f"{c['differs']} published score(s) differ; {table['review']} to review"
        )
        for warning in table["warnings"]:
            print(f"   note: {warning}")
    if args.output:
        print(f"written: {args.output}")
    if args.html:
        print(f"report:  {args.html}")


# --- check --------------------------------------------------------------------------------------


def _name_units() -> list[tuple[str, str, bool]]:
    from . import _data

    return [(r[0], r[1], r[2] == "yes") for r in _data._rows("name_units.tsv", 3)]


def _unit_flags(name: str, quantities: Sequence[Any]) -> list[str]:
    from .units import dimension

    flags: list[str] = []
    for contains, expected, at_most_100 in _name_units():
        if contains not in name:
            continue
        for q in quantities:
            if q.unit is None:
                continue
            base = dimension(q.unit).base
            base = "count" if base.startswith("count:") else base
            if base != expected:
                flags.append(f"the unit {q.unit} does not fit the indicator name (…{contains}: {expected})")
            elif expected == "percent" and at_most_100 and q.value > 100:
                flags.append(f"{q} is above 100%, which a {contains} cannot be")
        break
    return flags


def check_row(
    fields: Mapping[str, object], *, year: int | None = None, default_unit: str | None = None
) -> dict[str, Any]:
    """Check one row's target the way ``targetexpr check`` does.

    ``fields`` holds the row's cells by field (``level2``, ``indicator``, ``target``, and the split
    ``qualifier``/``unit`` cells).  Returns ``kind``, ``canonical``, ``error`` (the message, with its
    caret) and ``flags`` (what a reviewer would reject).

    >>> result = check_row({"level2": "数量指标", "indicator": "安全隐患排查", "target": "≥40 ↑"})
    >>> result["canonical"], result["flags"][0].split(" (")[0]
    ('≥40个', "repaired extraction noise: '↑' → '个'")
    >>> check_row({"level2": "时效指标", "indicator": "完成时效", "target": "及时"})["flags"]
    ['a 时效指标 whose value is not measurable (qualitative)']
    """
    from .nodes import Comparison, Range, Value
    from .normalize import normalize
    from .parse import analyze

    target, _direction = _target_text(fields)
    level2 = normalize(_text(fields, "level2"))
    name = normalize(_text(fields, "indicator"))
    if not target.strip():
        return {"kind": None, "canonical": None, "error": None, "flags": ["missing value (指标值为空)"]}
    analysis = analyze(target, year=year, default_unit=default_unit)
    if analysis.target is None:
        return {"kind": None, "canonical": None, "error": str(analysis.error), "flags": []}
    node = analysis.target
    flags = [
        f"repaired extraction noise: {r.before!r} → {r.after!r} ({r.message})"
        if r.after
        else f"repaired extraction noise: removed {r.before!r} ({r.message})"
        for r in analysis.repairs
    ]
    flags += list(analysis.warnings)
    measured = next((k for k in _MEASURED_LEVEL2 if k in level2), None)
    if measured and node.kind not in _MEASURABLE_KINDS:
        flags.append(f"a {measured}指标 whose value is not measurable ({node.kind})")
    quantities: list[Any] = []
    if isinstance(node, Comparison | Value):
        quantities = [node.quantity]
    elif isinstance(node, Range):
        quantities = [node.low, node.high]
    flags += _unit_flags(name, quantities)
    return {"kind": node.kind, "canonical": str(node), "error": None, "flags": flags}


def _is_total_row(fields: Mapping[str, object]) -> bool:
    from .table import Row, _is_total

    return _is_total(
        Row(level1=_text(fields, "level1"), level2=_text(fields, "level2"), indicator=_text(fields, "indicator"))
    )


def _check_command(args: argparse.Namespace) -> int:
    from ._outputs import open_writer

    items = _items(args, "checking")
    writer = open_writer(args.output, CHECK_COLUMNS, args.file) if args.output else None
    counts: collections.Counter[str] = collections.Counter()
    problems: list[dict[str, Any]] = []
    tables = 0
    width = 0
    year: int | None = None
    years = _Years(args.year)
    status_names = {"error": "错误", "review": "需复核", "ok": "通过"}
    try:
        for item in items:
            if item.kind == "header":
                if not item.continued:
                    tables += 1
                    width = len(item.raw.cells)
                    year = years(item.block)
                if writer is not None:
                    writer.row(item.raw, CHECK_COLUMNS, width)
                continue
            fields = item.fields
            named = any(_text(fields, k).strip() for k in ("indicator", "level1", "level2"))
            if item.kind == "meta" or not named or _is_total_row(fields):
                if writer is not None:
                    writer.row(item.raw, (), 0)
                continue
            result = check_row(fields, year=year, default_unit=args.default_unit)
            status = "error" if result["error"] else ("review" if result["flags"] else "ok")
            counts[status] += 1
            if result["kind"] in _MEASURABLE_KINDS:
                counts["measurable"] += 1
            if status == "ok" and args.all and not args.json:
                shown = _target_text(fields)[0]
                print(f"✓ {_where(item.raw)} [{_text(fields, 'indicator')}] {shown!r} → {result['canonical']}")
            if status != "ok":
                where = _where(item.raw)
                target = _target_text(fields)[0]
                problem = {"where": where, "table": tables, "indicator": _text(fields, "indicator")}
                problems.append({**problem, "target": target, **result})
                if not args.json:
                    _print_problem(problems[-1])
            if writer is not None:
                error = (result["error"] or "").splitlines()[0] if result["error"] else ""
                writer.row(
                    item.raw,
                    (
                        result["canonical"] or "",
                        result["kind"] or "",
                        status_names[status],
                        "；".join(result["flags"]),
                        error,
                    ),
                    width,
                )
        if not tables:
            raise _no_table(args)
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    rows = counts["ok"] + counts["review"] + counts["error"]
    if args.json:
        summary = {
            "tables": tables,
            "rows": rows,
            "measurable": counts["measurable"],
            "errors": counts["error"],
            "flagged": counts["review"],
            "problems": problems,
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(
            f"{rows} target rows in {tables} table(s): {counts['measurable']} measurable, "
            f"{counts['error']} unreadable, {counts['review']} to review"
            + (f"; written: {args.output}" if args.output else "")
        )
    if args.fail_on == "never":
        return 0
    return 1 if counts["error"] or (args.fail_on == "flags" and counts["review"]) else 0


def _print_problem(problem: Mapping[str, Any]) -> None:
    if problem["error"]:
        print(f"✗ {problem['where']} [{problem['indicator']}] {problem['target']!r}")
        print("  " + str(problem["error"]).replace("\n", "\n  "))
    else:
        read = f" → {problem['canonical']}" if problem["canonical"] is not None else ""
        shown = repr(problem["target"]) if problem["target"] else "(blank)"
        print(f"! {problem['where']} [{problem['indicator']}] {shown}{read}")
        for flag in problem["flags"]:
            print(f"  - {flag}")


# --- entry point --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    from .errors import TargetError

    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {
        "parse": _parse_command,
        "evaluate": _evaluate_command,
        "check": _check_command,
        "score": _score_command,
    }
    command = commands.get(args.command)
    if command is None:
        parser.print_help()
        return 2
    try:
        return command(args)
    except TargetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if args.command in ("check", "score") else 1
    except KeyboardInterrupt:
        print("interrupted: no output file was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - `targetexpr check … | head`
        sys.stderr.close()
        return 0
