"""Issue #11, third round: the evaluate path, timed against the regex floor and the toy grammar of the same run.

    python bench/evaluate_path.py                 # one run of this checkout; prints JSON
    PYTHONPATH=/path/to/other/src python bench/evaluate_path.py   # the same figures for another checkout

``bench/ab.py`` runs it for two checkouts in turn (A B A B ...) and prints medians and ratios.  It
uses only names both sides have (the public API and the two memos' ``cache_clear``), so a checkout
from before the change can be measured with it.  Nothing here is a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from generate import distinct_targets, generate_rows, table_rows  # noqa: E402
from grammar_path import toy_sample  # noqa: E402
from run import FLOOR, floor  # noqa: E402

import targetexpr  # noqa: E402

api = importlib.import_module("targetexpr.parser.api")
dispatch = importlib.import_module("targetexpr.evaluator.dispatch")
PLAIN = targetexpr.ParseOptions(fast=False)
assert FLOOR


def clear() -> None:
    api._analyze.cache_clear()
    api._wordless.cache_clear()
    dispatch._memoised.cache_clear()
    # The third round's memos (absent before it): every repeat starts cold, as before.
    actuals = importlib.import_module("targetexpr.evaluator.actuals")
    memos = ((api, "_reading"), (api, "_named"), (api, "_parsed"), (actuals, "_read_text"), (dispatch, "_points_text"))
    for module, name in memos:
        memo = getattr(module, name, None)
        if memo is not None:
            memo.cache_clear()


def best_of(fn: Callable[[], object], repeat: int, before: Callable[[], None] = lambda: None) -> float:
    """The median of ``repeat`` timings of ``fn()`` in seconds (``before`` untimed, before each)."""
    times = []
    for _ in range(repeat):
        before()
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def each(fn: Callable[[object], object], items: Sequence[object]) -> Callable[[], None]:
    def loop() -> None:
        for item in items:
            fn(item)

    return loop


def safe_parse(cell: object) -> object:
    try:
        return targetexpr.parse(cell)  # type: ignore[arg-type]
    except targetexpr.TargetError as e:
        return e


def safe_evaluate(pair: object) -> object:
    target, actual = pair  # type: ignore[misc]
    try:
        return targetexpr.evaluate(target, actual, points=10)
    except targetexpr.TargetError as e:
        return e


def score(records: list[dict[str, str]]) -> int:
    return sum(1 for _ in targetexpr.score_rows(table_rows(records), year=2022))


def measure(n_rows: int, n_distinct: int, n_pairs: int, repeat: int) -> dict[str, float]:
    distinct = distinct_targets(n_distinct)
    records = list(generate_rows(n_rows))
    mix = [r["指标值"] for r in records]
    pairs = [(r["指标值"], r["实际完成值"]) for r in records[:n_pairs]]
    toy, sample = toy_sample(distinct, lambda t: api._analyze.__wrapped__(t, PLAIN).target)
    targetexpr.parse("2022年12月31日前")
    score(records[:200])
    us = 1e6
    out = {
        "toy_us": best_of(each(toy.parse, sample), repeat) / len(sample) * us,
        "floor_us": best_of(each(floor, distinct), repeat) / len(distinct) * us,
        "floor_mix_us": best_of(each(floor, mix), repeat) / len(mix) * us,
        "parse_distinct_us": best_of(each(safe_parse, distinct), repeat, clear) / len(distinct) * us,
        "parse_mix_us": best_of(each(safe_parse, mix), repeat, clear) / len(mix) * us,
        "parse_hit_us": best_of(each(safe_parse, ["≥95%"] * 100_000), repeat) / 100_000 * us,
        "analyze_hit_us": best_of(each(targetexpr.analyze, ["≥95%"] * 100_000), repeat) / 100_000 * us,
        "evaluate_us": best_of(each(safe_evaluate, pairs), repeat, clear) / len(pairs) * us,
        "evaluate_hit_us": best_of(each(safe_evaluate, [("≥95%", "96%")] * 50_000), repeat) / 50_000 * us,
        "score_s": best_of(lambda: score(records), max(1, repeat // 2), clear),
        "rows": n_rows,
    }
    out["parse_distinct_floors"] = out["parse_distinct_us"] / out["floor_us"]
    out["parse_mix_floors"] = out["parse_mix_us"] / out["floor_mix_us"]
    out["score_toys"] = out["score_s"] / n_rows * us / out["toy_us"]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a small run that proves the script works")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.distinct, args.pairs, args.repeat = 2_000, 500, 500, 1
    print(json.dumps(measure(args.rows, args.distinct, args.pairs, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
