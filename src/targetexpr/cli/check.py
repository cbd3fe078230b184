"""``targetexpr check``: every target of a table read, and the rows a reviewer must look at."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Mapping
from typing import Any

from ..i18n import N_, say
from ..i18n import gettext as _
from ..table.check import MEASURABLE_KINDS, _target_text, _text, check_row
from .args import CHECK_COLUMNS, columns, kind_name, rules_name
from .rows import _items, _no_table, _where, _widths, _Years, layout_record, print_seen, row_flag, seen_record

# --- check --------------------------------------------------------------------------------------


def _is_total_row(fields: Mapping[str, object]) -> bool:
    from ..table import Row
    from ..table.labels import is_total

    return is_total(
        Row(level1=_text(fields, "level1"), level2=_text(fields, "level2"), indicator=_text(fields, "indicator"))
    )


def _check_command(args: argparse.Namespace) -> int:
    from .outputs import Writer, open_writer
    from .sheets import Seen

    seen = Seen()
    items = _items(args, say("checking"), seen)
    layouts: list[dict[str, Any]] = []
    widths = _widths(args) if args.output else {}
    headers = columns(CHECK_COLUMNS)
    writer: Writer | None = None
    counts: collections.Counter[str] = collections.Counter()
    problems: list[dict[str, Any]] = []
    tables = 0
    width = 0
    year: int | None = None
    years = _Years(args.year)
    status_names = {"error": _(N_("unreadable")), "review": _(N_("to review")), "ok": _(N_("passed"))}
    reviewer = _Reviewer(args)
    try:
        # Inside the try: an interrupt right after the temporary file is made still removes it.
        writer = open_writer(args.output, headers, args.file, keys=CHECK_COLUMNS) if args.output else None
        for item in items:
            if item.kind == "header":
                if not item.continued:
                    reviewer.start(item)
                    tables += 1
                    width = max(len(item.raw.cells), widths.get(item.raw.sheet, 0))
                    year = years(item.block)
                    layouts.append({"table": tables, "sheet": item.raw.sheet, "header_row": item.raw.number})
                    layouts[-1].update(layout_record(item), year=year)
                elif item.header is not None and layouts:
                    layouts[-1].update(header_rows=item.header.rows, guessed=list(item.header.guesses))
                if writer is not None:
                    writer.row(item.raw, headers, width)
                continue
            fields = item.fields
            named = any(_text(fields, k).strip() for k in ("indicator", "level1", "level2"))
            if item.kind == "meta" or not named or _is_total_row(fields):
                if writer is not None:
                    writer.row(item.raw, (), 0)
                continue
            reviewer.add(item)
            result = check_row(fields, year=year, default_unit=args.default_unit)
            fraction = row_flag(fields)
            if fraction:
                result["flags"] = [*result["flags"], fraction]
            status = "error" if result["error"] else ("review" if result["flags"] else "ok")
            counts[status] += 1
            if result["kind"] in MEASURABLE_KINDS:
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
                        kind_name(result["kind"]),
                        status_names[status],
                        "；".join(result["flags"]),
                        error,
                    ),
                    width,
                )
        if not tables:
            raise _no_table(args, seen)
        reviewer.finish()
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
            "layouts": layouts,
            "reviews": [r.to_dict() for r in reviewer.reviews],
            **seen_record(seen),
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        for layout in layouts:
            _print_layout(layout)
        print_seen(seen, layouts)
        reviewer.print()
        print(
            say(
                "{rows} target rows in {tables} table(s): {measurable} measurable, {errors} unreadable, "
                "{review} to review",
                rows=rows,
                tables=tables,
                measurable=counts["measurable"],
                errors=counts["error"],
                review=counts["review"],
            )
            + (say("; written: {file}", file=args.output) if args.output else "")
        )
    for note in writer.notes() if writer is not None else []:
        print(say("note: {message}", message=note), file=sys.stderr)
    if args.fail_on == "never":
        return 0
    review_errors = sum(r.errors for r in reviewer.reviews)
    return 1 if counts["error"] or review_errors or (args.fail_on == "flags" and counts["review"]) else 0


class _Reviewer:
    """The review of each table (``--review-rules``, off with ``--no-review``): rows collected per
    table, reviewed when the next table starts and at the end."""

    def __init__(self, args: argparse.Namespace) -> None:
        from ..table.review import load_review_rules
        from .reviewing import grade_table, load_previous

        self.rules = None if args.no_review else load_review_rules(args.review_rules)
        self.previous = None if args.no_review else load_previous(args)
        self.grade = grade_table(args)
        self.reviews: list[Any] = []
        self.rows: list[Any] = []
        self.project = ""
        self.started = False

    def start(self, item: Any) -> None:
        from ..table import Row

        self.finish()
        self.started = True
        block = item.block
        self.project = block.title
        self.rows = []
        if block.budget:
            unit = "" if not block.budget.strip()[-1:].isdigit() else (block.money_unit or "万元")
            self.rows.append(Row("预算执行率", level1="预算执行率", budget=block.budget + unit, points=block.points))

    def add(self, item: Any) -> None:
        from .rows import _row

        if self.started:
            self.rows.append(_row(item))

    def finish(self) -> None:
        from ..table.review import review

        if self.rules is None or not self.started:
            return
        name, rules = self.rules
        data = {"name": name, "rule": [{**r.params, **_described(r)} for r in rules]}
        previous = None if self.previous is None else self.previous.for_project(self.project)
        grade = self.grade if self.grade is not None else False
        self.reviews.append(review(self.rows, rules=data, project=self.project, previous=previous, grade=grade))
        self.started = False

    def print(self) -> None:
        from .reviewing import print_grade

        for number, result in enumerate(self.reviews, 1):
            if not result.findings:
                print(
                    say(
                        "review {number} ({project}): no findings under {rules}",
                        number=number,
                        project=result.project,
                        rules=rules_name(result.rules),
                    )
                )
                print_grade(result)
                continue
            print(
                say(
                    "review {number} ({project}): {count} finding(s), {errors} error(s)",
                    number=number,
                    project=result.project,
                    count=len(result.findings),
                    errors=result.errors,
                )
            )
            for f in result.findings:
                where = (
                    say("project")
                    if f.line is None
                    else say("row {line} [{indicator}] {cell!r}", line=f.line, indicator=f.indicator, cell=f.cell)
                )
                print(f"  {severity_name(f.severity)} {self.rule_name(f.rule)} {where}: {f.message}")
                print("    " + say("change: {change}", change=f.change))
                if f.quote:
                    print(f"    「{f.quote}」 ({f.source})")
            print_grade(result)

    def rule_name(self, rule: str) -> str:
        """How a printed finding names its rule: in Chinese what it checks; in English its id, as
        docs/review.md lists the rules (the HTML report names it in words in both languages)."""
        from ..i18n import current_language

        if current_language() != "zh":
            return rule
        return rule_name(self.rules[1] if self.rules is not None else (), rule)


_SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


def severity_name(severity: str) -> str:
    """A finding's severity as the reader names it (错误, 警告, 提示)."""
    return _(_SEVERITIES[severity]) if severity in _SEVERITIES else severity


def rule_name(rules: Any, rule: str) -> str:
    """What the review rule ``rule`` checks (its ``checks`` in Chinese, ``checks_en`` in English)."""
    from ..i18n import current_language

    found = next((r for r in rules if r.id == rule), None)
    if found is None:
        return rule
    text = found.checks if current_language() == "zh" else found.checks_en
    return text or rule


def _described(rule: Any) -> dict[str, Any]:
    import attrs

    return {k: v for k, v in attrs.asdict(rule).items() if k != "params"}


def _print_layout(layout: Mapping[str, Any]) -> None:
    labels = {"department": N_("department"), "implementer": N_("implementer"), "year": N_("year")}
    about = ", ".join(f"{_(labels[k])} {layout[k]}" for k in labels if layout.get(k) is not None)
    print(
        say(
            "table {table} ({sheet} row {row}): {project}",
            table=layout["table"],
            sheet=layout["sheet"],
            row=layout["header_row"],
            project=layout["project"],
        )
        + (f" ({about})" if about else "")
    )


def _print_problem(problem: Mapping[str, Any]) -> None:
    if problem["error"]:
        print(f"✗ {problem['where']} [{problem['indicator']}] {problem['target']!r}")
        print("  " + str(problem["error"]).replace("\n", "\n  "))
    else:
        read = f" → {problem['canonical']}" if problem["canonical"] is not None else ""
        shown = repr(problem["target"]) if problem["target"] else say("(blank)")
        print(f"! {problem['where']} [{problem['indicator']}] {shown}{read}")
        for flag in problem["flags"]:
            print(f"  - {flag}")
