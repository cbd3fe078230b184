"""Recompute the figures of docs/published-scores.md from the data.

    .venv/bin/python tests/tools/published_scores.py          # the figures and the row table

Data: tests/data/selfeval_expected.tsv (the rows, with the formula score computed by hand) and
tests/data/real_targets.tsv (the published rows and their notes).  The exact (unrounded) formula
score comes from targetexpr under the national rule set; tests/test_scoring.py checks that its
rounded value is the hand-computed one, and that the report states the figures printed here.

Rows fall in three groups, reported separately:
  * met: the target was met (or the budget fully spent), so the formula gives full points and does
    no proportional work;
  * formula: the target was missed (or the budget under-spent), so the score is B/A × P (A/B …):
    the only rows where agreement tests the formula itself;
  * other: no published score, or no formula (the actual is not a value).
A departure of a formula row is classified only where exactly one explanation fits; where several
fit the row is "ambiguous" (with the ones that fit), where none fits "unexplained".
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import targetexpr

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader((x for x in f if not x.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE))


def _quantize(value: Fraction, places: int, rounding: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=rounding)


#: Explanations of a published score p for the exact formula score f of a row worth P points.
EXPLANATIONS: dict[str, Callable[[Fraction, Decimal, Decimal], bool]] = {
    "truncated to one decimal": lambda f, p, _: p == _quantize(f, 1, ROUND_DOWN),
    "rounded to one decimal": lambda f, p, _: p == _quantize(f, 1, ROUND_HALF_UP),
    "truncated to an integer": lambda f, p, _: p == _quantize(f, 0, ROUND_DOWN),
    "rounded to an integer": lambda f, p, _: p == _quantize(f, 0, ROUND_HALF_UP),
    "full points although missed": lambda _, p, points: p == points,
}


@dataclass
class Row:
    line: int
    points: Decimal
    published: Decimal | None
    formula: Decimal | None  # national, rounded to 2 places (hand-computed column)
    exact: Fraction | None  # the unrounded formula score
    group: str  # met / formula / other
    verdict: str  # agrees / docked / the explanation / ambiguous (…) / unexplained (above|below) / …
    note: str


def _classify(case: dict[str, str], source: dict[str, str]) -> Row:
    line = int(case["line"])
    points = Decimal(case["points"].rstrip("%"))
    published = Decimal(case["published"]) if case["published"] else None
    formula = Decimal(case["national"]) if case["national"] else None
    level1 = source["level1"] if case["target"] else "预算执行率"
    row = targetexpr.Row(
        indicator=source["level3"],
        target=case["target"] or None,
        actual=case["actual"],
        points=case["points"],
        level1=level1,
        level2=source["level2"],
        budget=case["budget"] or None,
        spent=case["spent"] or None,
        line=line,
    )
    (scored,) = targetexpr.score_table([row], year=2019).rows
    exact = scored.unrounded_score
    note = "alignment inferred in the excerpt" if "alignment inferred" in source.get("note", "") else ""
    if published is None:
        return Row(line, points, published, formula, exact, "other", "no published score", note)
    if formula is None or exact is None:
        return Row(line, points, published, formula, exact, "other", "no formula", note)
    full = exact >= Fraction(points)
    group = "met" if full else "formula"
    if published == formula:
        verdict = "agrees"
    elif full:
        verdict = "docked" if published < formula else "above full points"
    else:
        fits = [name for name, test in EXPLANATIONS.items() if test(exact, published, points)]
        if len(fits) == 1:
            verdict = fits[0]
        elif fits:
            verdict = "ambiguous (" + " or ".join(fits) + ")"
        else:
            verdict = "unexplained (" + ("above" if published > formula else "below") + " the formula)"
    return Row(line, points, published, formula, exact, group, verdict, note)


def rows() -> list[Row]:
    corpus = {i: r for i, r in enumerate(_dicts(DATA / "real_targets.tsv"), start=2)}
    return [_classify(case, corpus[int(case["line"])]) for case in _dicts(DATA / "selfeval_expected.tsv")]


def figures(data: list[Row] | None = None) -> dict[str, int]:
    """The figures the report states, by name."""
    data = rows() if data is None else data
    counts: Counter[str] = Counter()
    counts["rows"] = len(data)
    for r in data:
        counts[f"{r.group} rows"] += 1
        if r.group != "other":
            counts[f"{r.group}: {r.verdict}"] += 1
        else:
            counts[r.verdict] += 1
    return dict(counts)


def main() -> None:
    data = rows()
    out = sys.stdout
    for name, count in sorted(figures(data).items()):
        out.write(f"{count}\t{name}\n")
    out.write("\nline\tpoints\tpublished\tformula\texact\tgroup\tverdict\tnote\n")
    for r in data:
        exact = "" if r.exact is None else f"{float(r.exact):.4f}"
        out.write(
            f"{r.line}\t{r.points}\t{r.published or ''}\t{r.formula or ''}\t{exact}\t{r.group}\t{r.verdict}\t{r.note}\n"
        )


if __name__ == "__main__":
    main()
