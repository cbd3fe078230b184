"""Issue #11's grammar-path ratios with every set timed in each round, so that the ratios compare
figures taken moments apart (``bench/run.py``'s ``grammar_ratios`` times each set once, one after the
other, and on a shared machine the toy and the grammar path can be timed at different speeds).

    python bench/grammar_rounds.py                   # 5,000 distinct targets, 5 rounds
    python bench/grammar_rounds.py --distinct 2000 --rounds 3

Prints one JSON line: the sizes, median µs per text, and the medians of the per-round ratios
(grammar path / toy, compound cells / their parts, invalid / valid texts of the same length, and
``parse`` of 20,000 distinct targets, every memo cleared, / the regex floor on them).
Run it from two checkouts in alternation to compare them.  Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from generate import distinct_targets
from grammar_path import compounds, invalid_pairs, toy_sample

import targetexpr


def clear_memos() -> None:
    """Every memo of a reading (``run.clear_caches``, the clean readings' and targets' memos
    included): each round of the distinct set is read afresh, as ``bench/run.py``'s distinct
    figure is."""
    run.clear_caches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distinct", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--floor-distinct", type=int, default=20_000, help="distinct targets of the parse/floor set (as bench/run.py)"
    )
    args = parser.parse_args()
    targetexpr.parse("较上年增长5%")  # the parser made before anything is timed
    distinct = distinct_targets(args.distinct)
    lines = (run.ROOT / "tests" / "cases" / "errors.tsv").read_text("utf-8").splitlines()
    errors = [t for t in (line.split("\t")[0] for line in lines) if t and not t.startswith("#")]
    toy, sample = toy_sample(distinct, lambda t: run._plain_parse(t).target)  # type: ignore[attr-defined]
    cells, parts = compounds(distinct)
    invalid, valid = invalid_pairs(distinct, errors)
    plain = run._plain_parse
    many = distinct_targets(args.floor_distinct)
    sets = {
        "floor": (run.floor, many),
        "distinct": (run._safe_parse, many),
        "toy": (toy.parse, sample),
        "grammar": (plain, sample),
        "cells": (plain, cells),
        "parts": (plain, parts),
        "invalid": (plain, invalid),
        "valid": (plain, valid),
    }
    times: dict[str, list[float]] = {name: [] for name in sets}
    for _ in range(args.rounds):
        for name, (fn, texts) in sets.items():
            if name == "distinct":
                clear_memos()
            gc.collect()
            start = time.perf_counter()
            for text in texts:
                fn(text)
            times[name].append((time.perf_counter() - start) / len(texts) * 1e6)
    median = statistics.median
    out = {"toy_texts": len(sample), "compounds": len(cells), "parts": len(parts), "invalid_texts": len(invalid)}
    out |= {f"{name}_us": median(values) for name, values in times.items()}
    out["grammar_over_toy"] = median([g / t for g, t in zip(times["grammar"], times["toy"], strict=True)])
    out["compounds_over_parts"] = median(
        [c * len(cells) / (p * len(parts)) for c, p in zip(times["cells"], times["parts"], strict=True)]
    )
    out["distinct_over_floor"] = median([d / f for d, f in zip(times["distinct"], times["floor"], strict=True)])
    out["invalid_over_valid"] = median([i / v for i, v in zip(times["invalid"], times["valid"], strict=True)])
    print(json.dumps({k: round(v, 2) for k, v in out.items()}))


if __name__ == "__main__":
    main()
