"""What ``check`` and ``score`` share: reading a table's rows, years, targets with their unit columns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
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


def _items(args: argparse.Namespace, what: str) -> Iterator[Item]:
    from ..errors import TableError
    from . import sheets

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
