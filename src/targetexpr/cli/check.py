"""``targetexpr check``: every target of a table read, and the rows a reviewer must look at."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Mapping
from typing import Any

from ..table.check import MEASURABLE_KINDS, _target_text, _text, check_row
from .args import CHECK_COLUMNS
from .rows import _items, _no_table, _where, _widths, _Years, fraction_flag, layout_record, print_seen, seen_record

# --- check --------------------------------------------------------------------------------------


def _is_total_row(fields: Mapping[str, object]) -> bool:
    from ..table import Row
    from ..table.labels import is_total

    return is_total(
        Row(level1=_text(fields, "level1"), level2=_text(fields, "level2"), indicator=_text(fields, "indicator"))
    )


def _check_command(args: argparse.Namespace) -> int:
    from .outputs import open_writer
    from .sheets import Seen

    seen = Seen()
    items = _items(args, "checking", seen)
    layouts: list[dict[str, Any]] = []
    widths = _widths(args) if args.output else {}
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
                    width = max(len(item.raw.cells), widths.get(item.raw.sheet, 0))
                    year = years(item.block)
                    layouts.append({"table": tables, "sheet": item.raw.sheet, "header_row": item.raw.number})
                    layouts[-1].update(layout_record(item), year=year)
                elif item.header is not None and layouts:
                    layouts[-1].update(header_rows=item.header.rows, guessed=list(item.header.guesses))
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
            fraction = fraction_flag(fields)
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
                        result["kind"] or "",
                        status_names[status],
                        "；".join(result["flags"]),
                        error,
                    ),
                    width,
                )
        if not tables:
            raise _no_table(args, seen)
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
            **seen_record(seen),
        }
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        for layout in layouts:
            about = ", ".join(
                f"{k} {layout[k]}" for k in ("department", "implementer", "year") if layout.get(k) is not None
            )
            print(
                f"table {layout['table']} ({layout['sheet']} row {layout['header_row']}): {layout['project']}"
                + (f" ({about})" if about else "")
            )
        print_seen(seen, layouts)
        print(
            f"{rows} target rows in {tables} table(s): {counts['measurable']} measurable, "
            f"{counts['error']} unreadable, {counts['review']} to review"
            + (f"; written: {args.output}" if args.output else "")
        )
    for note in writer.notes() if writer is not None else []:
        print(f"note: {note}", file=sys.stderr)
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
