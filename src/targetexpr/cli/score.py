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
from ..i18n import current_language, say
from ..i18n import gettext as _
from .args import _ROUTINE_FLAGS, REPORT_ROWS, SCORE_COLUMNS, band_name, columns, rules_name
from .check import _Reviewer
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
        return ["", "", "", "", "", _separator().join(scored.notes), scored.error or ""]
    band = ""
    if ev is not None:
        band = band_name(ev.band.value if ev.band is not None else None)
    reason = ev.reason if ev is not None else ""
    return [
        str(ev.target) if ev is not None else "",
        band,
        f"{ev.completion * 100:.2f}%" if ev is not None and ev.completion is not None else "",
        scored.score if scored.score is not None else "",  # a number in Excel, to sum
        _("yes") if scored.differs else "",
        _separator().join(x for x in [reason, *scored.notes] if x),
        (scored.error or "").splitlines()[0] if scored.error else "",
    ]


def _separator() -> str:
    return "；" if current_language() == "zh" else "; "


def _review(scored: ScoredRow, options: EvalOptions | None = None) -> list[str]:
    """Why a reviewer should look at this row (empty: no need), in the language in effect."""
    from ..evaluator.flags import describe_flag

    ev = scored.evaluation
    why: list[str] = []
    if scored.error:
        why.append(scored.error.splitlines()[0])
    if scored.differs:
        why.append(
            say(
                "the published score {published} differs from the formula score {score}",
                published=scored.published_score,
                score=scored.score if scored.score is not None else "—",
            )
        )
    if ev is not None:
        if ev.met is None and scored.kind in ("indicator", "sub", "unscored"):
            why.append(say("no verdict: {reason}", reason=ev.reason))
        why += [describe_flag(f) for f in ev.flags if f not in _ROUTINE_FLAGS]
    why += _noise(scored, options)
    return why


def _noise(scored: ScoredRow, options: EvalOptions | None) -> list[str]:
    """The repairs and warnings of reading the row's target (as the scorer read it: memoised)."""
    from ..options import ParseOptions
    from ..parser.api import analyze
    from ..table.labels import _MAX_KEY

    target = scored.row.target
    if scored.kind in ("blank", "total", "group", "execution") or not isinstance(target, str) or options is None:
        return []
    indicator = scored.row.indicator[:_MAX_KEY] if scored.row.indicator else None
    try:
        analysis = analyze(target, options=ParseOptions.build(options.parse_options, repair=True, indicator=indicator))
    except Exception:  # pragma: no cover - the scorer read it already
        return []
    found = [
        say("repaired {before!r} → {after!r}: {message}", before=r.before, after=r.after, message=r.message)
        for r in analysis.repairs
    ]
    return found + list(analysis.warnings)


def _report_row(scored: ScoredRow, table: int, where: str, options: EvalOptions | None = None) -> dict[str, Any]:
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
        "review": _review(scored, options),
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
        self.current = options
        self.headers = columns(SCORE_COLUMNS)
        self.reviewer = _Reviewer(args) if getattr(args, "html", None) else None

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
        self.current = self.for_year(year)
        funding = self._funding(header, year)
        if self.reviewer is not None:
            self.reviewer.start(header)
        self.release(width, funding, header.raw.sheet)
        self.write(header.raw, self.headers, width)
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
                    queue.append([current.raw, self.headers])
                    if current.header is not None:
                        last_header[0] = current
                else:
                    entry = [current.raw, None, row_flag(current.fields) or _formula_note(current, total_notes)]
                    queue.append(entry)
                    waiting.append(entry)
                    if self.reviewer is not None:
                        self.reviewer.add(current)
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
                say("the funding row above the table and a 预算执行率 row in it are both scored: check the points")
            )
        if self.reviewer is not None:
            self.reviewer.finish()
        record.update(
            table=number,
            sheet=header.raw.sheet,
            header_row=header.raw.number,
            title=block.title or say("table {number}", number=number),
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

    def reviews(self) -> list[tuple[int, Any]]:
        """The review of each table, with the table's number (none without ``--html``)."""
        if self.reviewer is None:
            return []
        return [(table["table"], result) for table, result in zip(self.tables, self.reviewer.reviews, strict=False)]

    def review_rules(self) -> Any:
        """The review rules that ran (none without a review)."""
        rules = self.reviewer.rules if self.reviewer is not None else None
        return rules[1] if rules is not None else ()

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
        info = _report_row(scored, table, where, self.current)
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
    items = _items(args, say("scoring"), seen)
    widths = _widths(args) if args.output else {}
    headers = columns(SCORE_COLUMNS)
    writer: Writer | None = None
    outputs: list[Output] = []
    try:
        # Inside the try: an interrupt right after the temporary file is made still removes it.
        writer = open_writer(args.output, headers, args.file, keys=SCORE_COLUMNS) if args.output else None
        run = _ScoreRun(args, options, writer, widths)
        run.run(items)
        if not run.tables:
            raise _no_table(args, seen)
        if writer is not None:
            writer.summary(run.tables)
            outputs.append(writer)
        if args.html:
            from .report import render_report

            text = render_report(
                run.tables,
                run.report_rows,
                source=Path(args.file).name,
                rules=rules_name(rules.name),
                reviews=run.reviews(),
                review_rules=run.review_rules(),
            )
            outputs.append(TextOutput(Path(args.html), text))
        publish(outputs)  # both files or neither
    except BaseException:
        for output in [writer, *outputs]:
            if output is not None:
                output.abort()
        raise
    if args.json:
        reviews = [r.to_dict() for _table, r in run.reviews()]
        print(json.dumps({"tables": run.tables, "reviews": reviews, **seen_record(seen)}, ensure_ascii=False, indent=1))
    else:
        _print_score_summary(run.tables, args)
        print_seen(seen, run.tables)
    for note in writer.notes() if writer is not None else []:
        print(say("note: {message}", message=note), file=sys.stderr)
    return 0


def _print_score_summary(tables: Sequence[dict[str, Any]], args: argparse.Namespace) -> None:
    for table in tables:
        print(
            "== "
            + say(
                "table {table} ({sheet} row {row}): {title}",
                table=table["table"],
                sheet=table["sheet"],
                row=table["header_row"],
                title=table["title"],
            )
        )
        labels = {"department": _("department"), "implementer": _("implementer")}
        about = [f"{labels[k]} {table[k]}" for k in labels if table.get(k)]
        if about:
            print("   " + ", ".join(about))
        for sub in table["subtotals"]:
            published = ""
            if sub["published_score"] is not None:
                published = "  " + say("(published {score})", score=sub["published_score"])
            print(
                f"   {sub['level1']}: "
                + say("{score} of {points}", score=sub["score"], points=sub["points"])
                + published
            )
        published_total = ""
        if table["published_total"] is not None:
            published_total = say(", published {score}", score=table["published_total"])
        print(
            "   "
            + say(
                "total {total} of {points}{published}; grade {grade}",
                total=table["total"],
                points=table["total_points"],
                published=published_total,
                grade=table["grade"] or "—",
            )
        )
        c = table["counts"]
        print(
            "   "
            + say(
                "{rows} rows: {met} met, {partial} partly met, {not_met} not met, {no_verdict} without verdict, "
                "{errors} with errors; {differs} published score(s) differ; {review} to review",
                rows=c["rows"],
                met=c["met"],
                partial=c["partial"],
                not_met=c["not_met"],
                no_verdict=c["no_verdict"],
                errors=c["errors"],
                differs=c["differs"],
                review=table["review"],
            )
        )
        for warning in table["warnings"]:
            print("   " + say("note: {message}", message=warning))
    if args.output:
        print(say("written: {file}", file=args.output))
    if args.html:
        print(say("report:  {file}", file=args.html))
