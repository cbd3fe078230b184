"""What ``check`` and ``score`` share: reading a table's rows, years, targets with their unit columns."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..table import Row
    from .sheets import Block, Item, RawRow
from ..table.check import _target_text, _text
from .args import _YEAR_IN_TITLE

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
                    f"{option} {name} would overwrite the {what} {source}: choose another file for {option}"
                )
        if out.is_dir():
            raise TableError(f"cannot write {name} ({option}): it is a folder; give a file name inside it")
        folder = out.parent if str(out.parent) else Path(".")
        if not folder.is_dir():
            raise TableError(f"cannot write {name} ({option}): the folder {folder} does not exist; create it first")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise TableError(f"cannot write {name} ({option}): the folder {folder} is not writable; choose another")
    for i, (option, name) in enumerate(outputs):
        for other, other_name in outputs[:i]:
            if _same_file(Path(name), Path(other_name)):
                raise TableError(f"{other} and {option} name the same file {name}: give each its own file")


def _paths(args: argparse.Namespace) -> None:
    inputs = [("input", str(args.file))]
    rules = getattr(args, "rules", None)
    if isinstance(rules, str) and rules.lower().endswith(".toml"):
        inputs.append(("rule set", rules))
    named = (("-o", args.output), ("--html", getattr(args, "html", None)))
    outputs = [(option, value) for option, value in named if value]
    check_paths(inputs, outputs)


def _items(args: argparse.Namespace, what: str) -> Iterator[Item]:
    from ..errors import TableError
    from . import sheets

    source = Path(args.file)
    if not source.is_file():
        raise TableError(f"{args.file}: no such file" if not source.exists() else f"{args.file}: not a regular file")
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
    return _progress(sheets.segment(rows, columns=dict(args.column)), args.quiet, what)


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
    from ..errors import TableError

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
