"""How the reader does on real cells it was and was not designed on (#12): prints the figures.

    python bench/open_world.py              # the design half, real_targets_2, real_targets
    python bench/open_world.py --heldout    # ... and the held-back half (run once, at the end)
    python bench/open_world.py --fresh      # ... and the fresh held-back set of round 5 (run once, at the end)
    python bench/open_world.py --round6     # ... and the held-back set of round 6 (run once, at the end)
    python bench/open_world.py --round7     # ... and the held-back set of round 7 (run once, at the end)
    python bench/open_world.py --round8     # ... and the held-back set of round 8 (run once, at the end)
    python bench/open_world.py --round9     # ... and the held-back set of round 9 (run once, at the end)
    python bench/open_world.py --round10    # ... and the held-back set of round 10 (run once, at the end)

The first held-back half (``outside_heldout.tsv``) was read after its measurement at stop 21, so it
is no longer a clean test; ``outside_heldout_r5.tsv`` was collected later, by collectors who never ran
the reader, and nobody designing the reader has read it (measured once, at stop 22, then read);
``outside_heldout_r6.tsv`` is the next one, collected at stop 23 from real tables in public GitHub
repositories (.xlsx exports, PDFs), measured once with the reader frozen, then read;
``outside_heldout_r7.tsv`` is the next one, collected at stop 24 the same way (PDFs of 部门预算, 决算 and
自评 of 54 bodies, .xlsx tables), measured once with the reader frozen, then read;
``outside_heldout_r8.tsv``, collected later at stop 24 (seven more 2026 department budgets), measured once
with the reader frozen; ``outside_heldout_r9.tsv``, collected at stop 25 (22 北京 2026 department budgets,
one 2021 申报表), measured once with the reader frozen; ``outside_heldout_r10.tsv``, collected at stop 26,
measured once with the reader frozen. Their figure is also given over the cells
whose text appears nowhere in the other corpora (``unseen``), since a cell seen elsewhere is not new.

Figures (each over distinct cells; nothing here is a test, it asserts nothing):

* typed: of the cells an officer can read (``readable`` = yes), those read as a measurable or
  qualitative target, not an error and not free text; "numbers kept" also asks that the officer's
  number is the node's number where the annotation gives one;
* read as annotated (real_targets_2.tsv): kind, comparator, number and unit as the officer reads them;
* verdicts: on self-evaluation rows with an actual, points and a published score, whether
  ``evaluate`` says met where the published score is full and not met where it is partial (a row
  without a verdict counts as a miss);
* refused: the cells an officer cannot read (placeholders, garbled) that come back as an error.

Every miss is listed, so that a figure can be checked by reading.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"

import targetexpr  # noqa: E402

_OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "approx": "≈"}
_MEASURED = ("comparison", "value", "range", "deadline", "period", "relative", "masked", "compound", "qualitative")


def rows(name: str) -> list[dict[str, str]]:
    """The rows of a TSV file of tests/data (``#`` lines are comments)."""
    with (DATA / name).open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _node(text: str, indicator: str | None) -> targetexpr.Target | None:
    return targetexpr.analyze(text, indicator=indicator or None).target


def _numbers(node: targetexpr.Target) -> set[Decimal]:
    if isinstance(node, targetexpr.Compound):
        return {n for part in node.parts for n in _numbers(part)}
    found = set()
    for name in ("quantity", "low", "high", "amount"):
        q = getattr(node, name, None)
        if isinstance(q, targetexpr.Quantity):
            found.add(q.value)
    # A date's numbers are the officer's numbers too (12月前完成: 12).
    for name in ("date", "start", "end"):
        d = getattr(node, name, None)
        if isinstance(d, targetexpr.CalendarDate):
            found.update(Decimal(n) for n in (d.year, d.month, d.day, d.quarter, d.half) if n is not None)
    return found


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} = {Decimal(100 * part) / whole:.1f}%" if whole else "0/0"


def typed(name: str, *, unseen: bool = False, by_source: bool = False, by_year: bool = False) -> None:
    """The typed figure of one half of the outside corpus, with its misses.

    With ``unseen``, only the cells whose text is in none of the other corpora of tests/data.
    """
    cells: dict[str, dict[str, str]] = {}
    seen = _texts_elsewhere(name) if unseen else set()
    for row in rows(name):
        text = row["target"].strip()
        if text and text not in seen:
            cells.setdefault(text, row)
    if unseen:
        name += " (cells in no other corpus)"
    readable = {t: r for t, r in cells.items() if r["readable"] == "yes"}
    unreadable = {t: r for t, r in cells.items() if r["readable"] != "yes"}
    typed_cells = kept = 0
    misses = []
    missed: set[str] = set()
    for text, row in readable.items():
        node = _node(text, row["indicator"])
        if node is None or node.kind not in _MEASURED:
            why = "error" if node is None else node.kind
            misses.append(f"  {text!r} ({row['indicator']}): {why}")
            missed.add(text)
            continue
        typed_cells += 1
        number = row.get("read_number", "")
        try:
            wanted = Decimal(number) if number else None
        except InvalidOperation:
            wanted = None
        if wanted is None or wanted in _numbers(node):
            kept += 1
        else:
            misses.append(f"  {text!r}: typed as {node}, but the officer's number {number} is not in it")
    # An unreadable cell is handled honestly when it gets no number: an error, free text or a label.
    refused = sum(
        _node(t, r["indicator"]) is None or not _numbers(_node(t, r["indicator"])) for t, r in unreadable.items()
    )
    sources = {r["source_url"] for r in cells.values()}
    print(f"{name}: {len(cells)} distinct cells from {len(sources)} sources")
    print(
        f"  typed: {_percent(typed_cells, len(readable))}; typed with the officer's number kept: "
        f"{_percent(kept, len(readable))}; unreadable cells given no number: {_percent(refused, len(unreadable))}"
    )
    for miss in misses:
        print(miss)
    if by_source:
        for source in sorted(sources):
            mine = {t for t, r in readable.items() if r["source_url"] == source}
            good = sum(1 for t in mine if t not in missed)
            print(f"    {source}: typed {_percent(good, len(mine))}")
    if by_year:
        # The issue names tables of 2019–2025; budgets of 2026 are real and unseen too, reported apart.
        for label, inside in (("2019–2025", lambda y: y <= "2025"), ("2026", lambda y: y >= "2026")):
            mine = {t for t, r in readable.items() if inside(r["year"].strip())}
            good = sum(1 for t in mine if t not in missed)
            print(f"    rows of {label}: typed {_percent(good, len(mine))}")
    if not unseen:
        verdicts(name, rows(name), "target", "indicator", "year")


_OUTSIDE = (
    "outside_design.tsv",
    "outside_heldout.tsv",
    "outside_heldout_r5.tsv",
    "outside_heldout_r6.tsv",
    "outside_heldout_r7.tsv",
    "outside_heldout_r8.tsv",
    "outside_heldout_r9.tsv",
    "outside_heldout_r10.tsv",
)
#: The held-back sets measured per source and over unseen cells (``--round6`` … ``--round10``).
_ROUNDS = (6, 7, 8, 9, 10)
_CORPORA = (*_OUTSIDE, "real_targets_2.tsv", "real_targets.tsv")


def _texts_elsewhere(name: str) -> set[str]:
    """The target texts of every corpus of tests/data but ``name``."""
    return {r["target"].strip() for other in _CORPORA if other != name and (DATA / other).exists() for r in rows(other)}


def agrees(row: dict[str, str]) -> bool:
    """Whether the reading of one annotated row (real_targets_2.tsv) is the officer's (kind, comparator, number, unit).

    tests/test_open_world.py imports this function, so that the test and the figures printed here
    judge a row the same way.
    """
    text = row["target"].strip()
    if row["unit_col"] and text[-1:].isdigit():
        text += row["unit_col"]
    node = _node(text, row["indicator"])
    want = row["read_kind"]
    if want == "refuse":
        return node is None
    if node is None or node.kind != want:
        return False
    quantity = getattr(node, "quantity", None)
    if quantity is not None and row["read_number"] and quantity.value != Decimal(row["read_number"]):
        return False
    if want == "comparison" and row["read_op"] in _OPS and node.op.value != _OPS[row["read_op"]]:  # type: ignore[union-attr]
        return False
    if quantity is not None and row["read_unit"]:
        try:
            return bool(quantity.unit == targetexpr.parser.parse_unit(row["read_unit"]))
        except targetexpr.TargetError:
            return False
    return True


def annotated() -> None:
    """real_targets_2.tsv read as the officers read it."""
    data = [r for r in rows("real_targets_2.tsv") if r["target"].strip()]
    misses = [r for r in data if not agrees(r)]
    print(f"real_targets_2.tsv: read as annotated {_percent(len(data) - len(misses), len(data))}")
    for r in misses:
        node = _node(r["target"].strip(), r["indicator"])
        print(
            f"  {r['target']!r} ({r['indicator']}): wanted {r['read_kind']} {r['read_op']}{r['read_number']}"
            f"{r['read_unit']}, read {node if node is not None else 'an error'}"
        )
    verdicts("real_targets_2.tsv", data, "target", "indicator", "year")


def _score(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None


def verdicts(name: str, data: Iterable[dict[str, str]], target: str, indicator: str, year: str | None) -> None:
    """Whether the verdict agrees with the published full-or-partial score."""
    agree = total = 0
    misses = []
    for row in data:
        points, score = _score(row.get("points", "")), _score(row.get("score", ""))
        actual = row.get("actual", "").strip()
        if points is None or score is None or not actual or points <= 0 or not row[target].strip():
            continue
        total += 1
        full = score >= points
        try:
            y = int(row[year]) if year and row.get(year, "").strip().isdigit() else None
            result = targetexpr.evaluate(row[target].strip(), actual, indicator=row.get(indicator) or None, year=y)
            met = result.met
        except targetexpr.TargetError as e:
            met, result = None, e
        if met is not None and met == full:
            agree += 1
        else:
            misses.append(f"  {row[target]!r} / {actual!r}: published {score} of {points}, verdict {met}")
    if total:
        print(f"  verdicts agree with the published full/partial score: {_percent(agree, total)}")
        for miss in misses:
            print(miss)


def real_targets() -> None:
    """tests/data/real_targets.tsv: distinct cells typed, and its self-evaluation verdicts."""
    data = rows("real_targets.tsv")
    cells = {r["target"].strip(): r for r in data if r["target"].strip()}
    kinds: dict[str, int] = {}
    for text, row in cells.items():
        node = _node(text, row["level3"])
        kind = "error" if node is None else node.kind
        kinds[kind] = kinds.get(kind, 0) + 1
    measured = sum(n for k, n in kinds.items() if k in _MEASURED)
    print(f"real_targets.tsv: {len(cells)} distinct cells; typed {_percent(measured, len(cells))}; kinds {kinds}")
    verdicts("real_targets.tsv", data, "target", "level3", None)


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-back half (run once, at the end)")
    parser.add_argument("--fresh", action="store_true", help="also the fresh held-back set (run once, at the end)")
    for n in _ROUNDS:
        parser.add_argument(
            f"--round{n}", action="store_true", help=f"also the round {n} held-back set (run once, at the end)"
        )
    args = parser.parse_args(argv)
    outside = [n for n in _OUTSIDE if (DATA / n).exists()]
    with targetexpr.language("en"):
        typed("outside_design.tsv")
        if args.heldout:
            typed("outside_heldout.tsv")
        if args.fresh:
            typed("outside_heldout_r5.tsv")
            typed("outside_heldout_r5.tsv", unseen=True)
        for n in _ROUNDS:
            if getattr(args, f"round{n}"):
                # Round 6 was collected before the tables said their year.
                typed(f"outside_heldout_r{n}.tsv", by_source=True, by_year=n > 6)
                typed(f"outside_heldout_r{n}.tsv", unseen=True)
        annotated()
        real_targets()
        everything = [r for n in outside for r in rows(n)]
        cells = {r["target"].strip() for r in everything if r["target"].strip()}
        sources = {r["source_url"] for r in everything}
        print(f"whole outside collection: {len(cells)} distinct cells from {len(sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
