"""What ``check`` and ``score`` share: reading a table's rows, years, targets with their unit columns."""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..table import Row
    from .sheets import Block, Item, RawRow, Seen
from ..i18n import N_, say
from ..table.check import _target_text, _text
from .args import _YEAR_IN_TITLE
from .rawrow import cell_text

# --- tables: shared -----------------------------------------------------------------------------


def _progress(items: Iterator[Item], quiet: bool, what: str) -> Iterator[Item]:
    """A progress bar on stderr when it is a terminal (tqdm, from the [cli] extra); quiet otherwise."""
    if quiet or not sys.stderr.isatty():
        return items
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - cosmetic: no bar without tqdm
        return items
    return iter(tqdm(items, desc=what, unit=say(" rows"), file=sys.stderr, leave=False))


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same path once links are resolved, or the same inode
    (a hard link, a bind mount)."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop
        pass
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def check_paths(inputs: Sequence[tuple[str, str]], outputs: Sequence[tuple[str, str]]) -> None:
    """Before anything is written: no output may be an input (through symlinks and hard links
    too), no two outputs may be one file, and each output's folder must exist and be writable.
    Each pair is (option, path)."""
    from ..errors import TableError

    for option, name in outputs:
        out = Path(name)
        for what, source in inputs:
            if _same_file(out, Path(source)):
                raise TableError(
                    say(
                        "{option} {name} would overwrite the {what} {source}: choose another file for {option}",
                        option=option,
                        name=name,
                        what=say(what),
                        source=source,
                    ),
                    path=name,
                )
        if out.is_dir():
            raise TableError(
                say(
                    "cannot write {name} ({option}): it is a folder; give a file name inside it",
                    name=name,
                    option=option,
                ),
                path=name,
            )
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise TableError(
                say(
                    "cannot write {name} ({option}): the folder {folder} does not exist; create it first",
                    name=name,
                    option=option,
                    folder=folder,
                ),
                path=name,
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise TableError(
                say(
                    "cannot write {name} ({option}): the folder {folder} is not writable; choose another",
                    name=name,
                    option=option,
                    folder=folder,
                ),
                path=name,
            )
    for i, (option, name) in enumerate(outputs):
        for other, other_name in outputs[:i]:
            if _same_file(Path(name), Path(other_name)):
                raise TableError(
                    say(
                        "{other} and {option} name the same file {name}: give each its own file",
                        other=other,
                        option=option,
                        name=name,
                    ),
                    path=name,
                )


def _paths(args: argparse.Namespace) -> None:
    inputs = [(N_("input"), str(args.file))]
    rules = getattr(args, "rules", None)
    if isinstance(rules, str) and rules.lower().endswith(".toml"):
        inputs.append((N_("rule set"), rules))
    previous = getattr(args, "previous", None)
    if previous:
        inputs.append((N_("previous table"), str(previous)))
    named = (("-o", args.output), ("--html", getattr(args, "html", None)))
    outputs = [(option, value) for option, value in named if value]
    check_paths(inputs, outputs)


def _items(args: argparse.Namespace, what: str, seen: Seen | None = None) -> Iterator[Item]:
    from ..errors import TableError
    from . import sheets

    source = Path(args.file)
    if not source.is_file():
        missing = say("{file}: no such file", file=args.file)
        raise TableError(
            missing if not source.exists() else say("{file}: not a regular file", file=args.file),
            path=str(args.file),
        )
    _paths(args)
    if args.output:
        from .outputs import precheck

        precheck(args.output, source)
    if args.encoding is not None:
        sheets.check_encoding(args.encoding)
    rows = sheets.read_rows(source, sheet=args.sheet, encoding=args.encoding)
    # Read the first row now: a file that cannot be read fails before any output is opened.
    first = next(rows, None)
    rows = itertools.chain([first] if first is not None else [], rows)
    items = sheets.segment(rows, columns=dict(args.column), seen=seen)
    return _progress(_joined(items, source), args.quiet, what)


def _joined(items: Iterator[Item], source: Path) -> Iterator[Item]:
    """Rows a PDF split over several lines, joined (extracted text only: :mod:`.splitrows`)."""
    from .splitrows import SPLIT_SUFFIXES, join_split_rows

    return join_split_rows(items) if source.suffix.lower() in SPLIT_SUFFIXES else items


def _widths(args: argparse.Namespace) -> dict[str, int]:
    """The width of each sheet: its widest row (the result columns go to its right, so that no
    result lands under another column, however ragged the rows).  A first pass over the file;
    only when a table is written."""
    from . import sheets

    widths: dict[str, int] = {}
    for raw in sheets.read_rows(Path(args.file), sheet=args.sheet, encoding=args.encoding):
        cells = raw.cells
        used = len(cells)
        while used and (cells[used - 1] is None or cells[used - 1] == ""):
            used -= 1
        if used > widths.get(raw.sheet, 0):
            widths[raw.sheet] = used
    return widths


class _Years:
    """The budget year of each table: ``--year``, else the year in the project's name or the
    heading above it, else the last year seen in the file (a heading covers the tables below it)."""

    def __init__(self, given: int | None) -> None:
        self.given = given
        self.last: int | None = None

    def __call__(self, block: Block) -> int | None:
        if self.given is not None:
            return int(self.given)
        if block.year is not None:
            self.last = block.year
            return self.last
        for text in (block.title, block.heading):
            match = _YEAR_IN_TITLE.search(text or "")
            if match:
                self.last = int(match.group(1))
                return self.last
        return self.last


def _row(item: Item) -> Row:
    from ..table import Row

    fields = item.fields
    target, direction = _target_text(fields)
    actual = fields.get("actual")
    unit = _text(fields, "actual_unit").strip()
    if unit and isinstance(actual, str) and actual.strip() and (actual.strip()[-1:].isdigit()):
        actual = actual.strip() + unit  # 完成值 | 单位 under 实际完成值
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
    return say("{sheet} row {number}", sheet=raw.sheet, number=raw.number)


def _no_table(args: argparse.Namespace, seen: Seen | None = None) -> Exception:
    from ..errors import TableError

    nearest = ""
    if seen is not None and seen.nearest is not None:
        nearest = say(" The nearest was {where}: {found}, without both.", where=seen.nearest[1], found=seen.nearest[2])
    return TableError(
        say(
            "{file}: no table found. A table starts with a header row that names the indicator "
            "(三级指标, 指标名称 …) and the target or the actual (指标值, 年度指标值, 实际完成值 …);"
            "{nearest} For other headers use --column FIELD=HEADER, e.g. --column target=目标",
            file=args.file,
            nearest=nearest,
        ),
        path=str(args.file),
    )


def layout_record(header: Item) -> dict[str, object]:
    """What a table's header block and header say, for the JSON output and the summaries."""
    block = header.block
    return {
        "project": block.title,
        "department": block.department or None,
        "implementer": block.implementer or None,
        "year": block.year,
        "header_rows": header.header.rows if header.header is not None else 1,
        "guessed": list(header.header.guesses) if header.header is not None else [],
    }


def seen_record(seen: Seen) -> dict[str, object]:
    return {"skipped_sheets": seen.skipped(), "unplaced_rows": list(seen.unplaced)}


def print_seen(seen: Seen, tables: Sequence[Mapping[str, object]]) -> None:
    """The layout lines of the printed summary: guessed headers, unplaced rows, skipped sheets."""
    for table in tables:
        guessed = table.get("guessed") or []
        for guess in guessed if isinstance(guessed, list) else []:
            print(say("note: table {table}: header guessed: {guess}", table=table.get("table"), guess=guess))
    if seen.unplaced:
        shown = ", ".join(seen.unplaced[:10]) + (" …" if len(seen.unplaced) > 10 else "")
        print(
            say("note: {count} row(s) not placed under any known column: {rows}", count=len(seen.unplaced), rows=shown)
        )
    if seen.skipped():
        print(say("skipped (no table; copied as they are): {sheets}", sheets=", ".join(seen.skipped())))


def _with_unit(value: str | None, unit: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()
    return text + unit if unit and text[-1:].isdigit() else text


_BARE_FRACTION = re.compile(r"(?:0?\.[0-9]+|1(?:\.0+)?)")


def fraction_flag(fields: Mapping[str, object]) -> str | None:
    """A loud note when the actual is a bare fraction (``0.93``) under a percentage target: a
    spreadsheet showed it as 93% only if the cell had a % format, and this one has none."""
    actual = fields.get("actual")
    target = _target_text(fields)[0]
    if not isinstance(actual, str) or "%" not in target or not _BARE_FRACTION.fullmatch(actual.strip()):
        return None
    return say(
        "实际完成值 {actual} is a bare fraction under the percentage target {target}: "
        "its cell is not shown as a percentage; if it means {percent}, write that or format the cell as %",
        actual=actual.strip(),
        target=target,
        percent=cell_text(Decimal(actual.strip()), percent=True),
    )


def row_flag(fields: Mapping[str, object]) -> str | None:
    """What a reviewer must see about a data row besides its target: a bare fraction under a
    percentage (:func:`fraction_flag`), a row joined from lines a PDF split (:mod:`.splitrows`)."""
    from .splitrows import joined_note

    notes = [n for n in (fraction_flag(fields), joined_note(fields)) if n]
    return "；".join(notes) or None
