"""The constructed probe list (#12, round 2): every spelling variant of tests/data/probe_cells.tsv is read
as the reading written beside it (kind, comparator, number, unit), or refused where it says ``error``.

The cells are constructed by hand across the families of DOMAIN.md §2 (comparators in words,
approximations, Chinese numerals, 成/‰/万分之, ranges, dates, zero targets, relative targets,
qualitative words with a degree, words around a core, punctuation, full-width text, units with a
number in them); the expected readings are written by hand, not produced by the parser.
``python tests/test_probes.py`` prints the count and every miss.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import targetexpr

PROBES = Path(__file__).parent / "data" / "probe_cells.tsv"


def _rows() -> list[dict[str, str]]:
    with PROBES.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def miss(row: dict[str, str]) -> str | None:
    """Why ``row`` is not read as expected, or ``None`` when it is."""
    try:
        node = targetexpr.parse(row["cell"], indicator=row["indicator"] or None)
    except targetexpr.TargetError as e:
        return None if "error" in row["kind"].split("|") else f"error: {str(e).splitlines()[0]}"
    if row["kind"] == "error":
        return f"read as {node.kind} {node}, expected an error"
    if node.kind not in row["kind"].split("|"):
        return f"read as {node.kind} {node}"
    op = getattr(node, "op", None)
    if row["op"] and (op is None or op.value != row["op"]):
        return f"comparator {op.value if op else None}, expected {row['op']} ({node})"
    if row["number"]:
        quantities = [node.low, node.high] if node.kind == "range" else [node.quantity]  # type: ignore[union-attr]
        numbers = [Decimal(n) for n in row["number"].split("|")]
        if [q.value for q in quantities] != numbers:
            return f"numbers {[str(q.value) for q in quantities]}, expected {row['number']} ({node})"
        units = {str(q.unit) if q.unit is not None else "" for q in quantities}
        if units != {row["unit"]}:
            return f"unit {units}, expected {row['unit']!r} ({node})"
    return None


def test_the_probe_list_is_constructed_and_covers_every_family() -> None:
    rows = _rows()
    assert len(rows) >= 300
    assert len({r["cell"] for r in rows}) == len(rows), "a cell listed twice"
    assert len({r["family"] for r in rows}) >= 15
    assert "CONSTRUCTED" in PROBES.read_text(encoding="utf-8").split("\ncell\t", 1)[0]


# Every probe reads as expected: the last one that did not (基本下降) reads since stop 24.
@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["cell"])
def test_probe_reads_as_expected(row: dict[str, str]) -> None:
    assert miss(row) is None, miss(row)


@pytest.mark.parametrize("row", [r for r in _rows() if "error" not in r["kind"]], ids=lambda r: r["cell"])
def test_probe_round_trips(row: dict[str, str]) -> None:
    node = targetexpr.parse(row["cell"], indicator=row["indicator"] or None)
    assert targetexpr.parse(str(node)) == node
    assert targetexpr.from_dict(targetexpr.to_dict(node)) == node


if __name__ == "__main__":
    rows = _rows()
    misses = [(r, m) for r in rows if (m := miss(r)) is not None]
    print(f"probes read as expected: {len(rows) - len(misses)}/{len(rows)}")
    for r, m in misses:
        print(f"  [{r['family']}] {r['cell']!r}: {m}")
    sys.exit(0)
