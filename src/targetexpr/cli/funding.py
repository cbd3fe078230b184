"""The 资金情况 block with a two-row header: a parent ``预算数`` spanning ``年初 | 全年 | 执行数``,
beside ``分值 | 执行率 | 得分`` merged over both rows, the amounts in the row below::

    资金情况(万元) | 预算数 | 预算数 | 预算数 | 分值 | 执行率 | 得分
                   | 年初   | 全年   | 执行数 | 分值 | 执行率 | 得分      (merged cells read filled)
    年度资金总额   | 400    | 400    | 380    | 10   | 95%    | 9.5

:func:`join_funding_header` rewrites the two label rows as the one-row block the reader knows
(``年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分`` in the second row, the first row emptied
of them), so that the budget and the spent amount flow into the 预算执行率 score as with the
one-row block.  The words are data (``data/funding_labels.tsv``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from .. import datafiles as _data

__all__ = ["join_funding_header"]


Clean = Callable[[str], str]


@functools.cache
def _labels(_clean: Clean) -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    parents: set[str] = set()
    children: dict[str, str] = {}
    moved: set[str] = set()
    for kind, text, label in _data.table_rows("funding_labels.tsv", 3):
        if kind == "parent":
            parents.add(_clean(text))
        elif kind == "child":
            children[_clean(text)] = label
        elif kind == "moved":
            moved.add(_clean(text))
        else:  # pragma: no cover - a broken data file
            raise RuntimeError(f"data/funding_labels.tsv: unknown kind {kind!r}")
    return frozenset(parents), children, frozenset(moved)


def _joined(top: list[str], below: list[str], _clean: Clean) -> tuple[list[str], list[str]] | None:
    """The two rows rewritten, or ``None`` when ``top`` holds no parent over at least two children."""
    parents, children, moved = _labels(_clean)
    top_clean = [_clean(t) if t else "" for t in top]
    below_clean = [_clean(t) if t else "" for t in below]
    new_top, new_below = list(top), list(below)
    spans = 0
    i = 0
    while i < len(top_clean):
        parent = top_clean[i]
        if parent not in parents:
            i += 1
            continue
        j = i
        found = 0
        while j < len(top_clean) and top_clean[j] in ("", parent) and j < len(below_clean):
            label = children.get(below_clean[j])
            if label is None:
                break
            new_below[j], new_top[j] = label, ""
            found += 1
            j += 1
        if found >= 2:
            spans += 1
        i = max(j, i + 1)
    if not spans:
        return None
    for k, label in enumerate(top_clean):
        if label in moved:
            if k >= len(new_below):
                new_below.extend([""] * (k + 1 - len(new_below)))
            if not below_clean[k : k + 1] or below_clean[k] in ("", label):
                new_below[k] = top[k]
            new_top[k] = ""
    return new_top, new_below


def join_funding_header(texts_rows: Sequence[list[str]], clean: Clean | None = None) -> list[list[str]]:
    """The rows above a table (their cells' text) with each two-row funding header joined into
    its second row; other rows unchanged (a new list; the input is not modified).  ``clean`` is how
    a label is compared (the table reader's: normalised, without spaces and notes)."""
    rows = [list(r) for r in texts_rows]
    compare = clean if clean is not None else _plain
    for position in range(len(rows) - 1):
        joined = _joined(rows[position], rows[position + 1], compare)
        if joined is not None:
            rows[position], rows[position + 1] = joined
    return rows


def _plain(text: str) -> str:
    from ..parser.normalize import normalize

    return "".join(normalize(text).split())
