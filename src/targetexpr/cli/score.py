"""``targetexpr score``: a self-evaluation table scored row by row, streamed to the outputs."""

from __future__ import annotations

import argparse
import collections
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..evaluator.options import EvalOptions
    from ..table import Row, ScoredRow
    from .outputs import Writer
    from .sheets import Item, RawRow
from .args import _BAND, _ROUTINE_FLAGS, REPORT_ROWS, SCORE_COLUMNS
from .rows import (
    _items,
    _no_table,
    _row,
    _where,
    _widths,
    _with_unit,
    _Years,
    layout_record,
    print_seen,
    row_flag,
    seen_record,
)
from .simple import _rules_argument

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

    def __init__(
        self,
        args: argparse.Namespace,
        options: EvalOptions,
        writer: Writer | None,
        widths: dict[str, int] | None = None,
    ) -> None:
        self.args = args
        self.widths = widths or {}
        self.options = options
        self.rules = options.rules
        self.writer = writer
        self.tables: list[dict[str, Any]] = []
        self.report_rows: list[dict[str, Any]] = []
        self.held: collections.deque[RawRow] = collections.deque()
        self.years = _Years(args.year)

    def for_year(self, year: int | None) -> EvalOptions:
        """The run's options for a table of ``year`` (each table may name its own)."""
        from ..evaluator.options import EvalOptions

        return self.options if year is None else EvalOptions.build(self.options, year=year)

    def write(self, raw: RawRow, values: Sequence[object], width: int) -> None:
        if self.writer is not None:
            self.writer.row(raw, values, width)

    def hold(self, raw: RawRow) -> None:
        """Rows above a header wait for it: one of them may be the funding row it scores."""
        from .sheets import MAX_PENDING

        self.held.append(raw)
        if len(self.held) > MAX_PENDING:
            self.write(self.held.popleft(), (), 0)

    def release(self, width: int, funding: tuple[int, ScoredRow] | None, sheet: str = "") -> None:
        while self.held:
            raw = self.held.popleft()
            if funding is not None and raw.number == funding[0] and raw.sheet == sheet:
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
        from ..table import Row, score_rows

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
        scored = next(iter(score_rows([row], options=self.for_year(year))))
        return block.funding_row, scored

    def table(self, header: Item, items: Iterator[Item]) -> Item | None:
        """Score one table; returns the first item after it."""
        from ..table import Summary, score_rows

        number, block = header.table, header.block
        width = max(len(header.raw.cells), self.widths.get(header.raw.sheet, 0))
        year = self.years(block)
        summary = Summary(self.rules)
        funding = self._funding(header, year)
        self.release(width, funding, header.raw.sheet)
        self.write(header.raw, SCORE_COLUMNS, width)
        counts: collections.Counter[str] = collections.Counter()
        if funding is not None:
            summary.add(funding[1])
            self._note(funding[1], number, f"{header.raw.sheet} row {funding[0]}", counts)
        # Rows leave in input order: `queue` holds every row not yet written, `waiting` the data
        # rows among them still inside score_rows() (a parent row waits for its sub-rows).
        queue: collections.deque[list[Any]] = collections.deque()
        last_header = [header]
        waiting: collections.deque[list[Any]] = collections.deque()
        current: Item | None = next(items, None)
        total_notes: list[str] = []

        def feed() -> Iterator[Row]:
            nonlocal current
            while current is not None and (current.kind == "data" or current.continued):
                if current.kind == "header":  # the header repeated after a page break, or its second row
                    queue.append([current.raw, SCORE_COLUMNS])
                    if current.header is not None:
                        last_header[0] = current
                else:
                    entry = [current.raw, None, row_flag(current.fields) or _formula_note(current, total_notes)]
                    queue.append(entry)
                    waiting.append(entry)
                    yield _row(current)
                current = next(items, None)

        def flush() -> None:
            while queue and queue[0][1] is not None:
                raw, values = queue.popleft()[:2]
                self.write(raw, values, width)

        for scored in score_rows(
            feed(),
            options=self.for_year(year),
            budget=_with_unit(block.budget, block.money_unit),
            spent=_with_unit(block.spent, block.money_unit),
        ):
            entry = waiting.popleft()
            summary.add(scored)
            if funding is not None and scored.kind == "execution":
                counts["second execution row"] += 1
            self._note(scored, number, _where(entry[0]), counts, entry[2])
            entry[1] = _score_values(scored)
            if entry[2]:
                entry[1][5] = "；".join(x for x in (entry[1][5], entry[2]) if x)
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
            **{k: v for k, v in layout_record(last_header[0]).items() if k != "year"},
            year=year,
            counts={k: counts[k] for k in ("rows", "met", "partial", "not_met", "no_verdict", "differs", "errors")},
            review=counts["review"],
        )
        if total_notes:
            record["warnings"].extend(total_notes)
            record["published_total_note"] = total_notes[0]
        self.tables.append(record)
        return current

    def _note(
        self, scored: ScoredRow, table: int, where: str, counts: collections.Counter[str], flag: str | None = None
    ) -> None:
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
        if flag:
            info["review"].append(flag)
        if info["review"]:
            counts["review"] += 1
        if self.args.html and counts["listed"] < REPORT_ROWS:
            counts["listed"] += 1
            self.report_rows.append(info)


def _formula_note(item: Item, notes: list[str]) -> str | None:
    """The note of a 总分 row whose total is a formula never calculated (kept for the table's summary)."""
    from .formulas import total_formula_note

    note = total_formula_note(item)
    if note:
        notes.append(note)
    return note


def _score_command(args: argparse.Namespace) -> int:
    import sys

    from ..evaluator.options import EvalOptions
    from .outputs import Output, TextOutput, open_writer, publish
    from .sheets import Seen

    # One options object for the run: the rule set is loaded once, here.
    options = EvalOptions(rules=_rules_argument(args.rules), default_unit=args.default_unit)
    rules = options.rules
    seen = Seen()
    items = _items(args, "scoring", seen)
    widths = _widths(args) if args.output else {}
    writer = open_writer(args.output, SCORE_COLUMNS, args.file) if args.output else None
    run = _ScoreRun(args, options, writer, widths)
    outputs: list[Output] = []
    try:
        run.run(items)
        if not run.tables:
            raise _no_table(args, seen)
        if writer is not None:
            writer.summary(run.tables)
            outputs.append(writer)
        if args.html:
            from .report import render_report

            text = render_report(run.tables, run.report_rows, source=Path(args.file).name, rules=rules.name)
            outputs.append(TextOutput(Path(args.html), text))
        publish(outputs)  # both files or neither
    except BaseException:
        for output in [writer, *outputs]:
            if output is not None:
                output.abort()
        raise
    if args.json:
        print(json.dumps({"tables": run.tables, **seen_record(seen)}, ensure_ascii=False, indent=1))
    else:
        _print_score_summary(run.tables, args)
        print_seen(seen, run.tables)
    for note in writer.notes() if writer is not None else []:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _print_score_summary(tables: Sequence[dict[str, Any]], args: argparse.Namespace) -> None:
    for table in tables:
        print(f"== table {table['table']} ({table['sheet']} row {table['header_row']}): {table['title']}")
        about = [f"{k} {table[k]}" for k in ("department", "implementer") if table.get(k)]
        if about:
            print("   " + ", ".join(about))
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
