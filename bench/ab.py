"""Run ``bench/evaluate_path.py`` for two checkouts in turn (A B A B ...) and print medians and ratios.

    python bench/ab.py --before ../targetexpr-main --after . --rounds 4 [-- --rows 20000]

Each run is a fresh process with ``PYTHONPATH=<checkout>/src`` (the checkout needs its message
catalogs compiled and, for the grammar, its tables: an editable install of it makes both).  The
ratio after/before is taken within each round, then its median: the machine's drift between rounds
cancels out.  Arguments after ``--`` go to ``evaluate_path.py``, or to the script ``--script`` names
(``--script grammar_rounds.py``: issue #11's grammar-path and distinct-target ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one(checkout: Path, extra: Sequence[str], script: str = "evaluate_path.py") -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    out = subprocess.run(
        [sys.executable, str(HERE / script), *extra], env=env, check=True, capture_output=True, text=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--script", default="evaluate_path.py", help="the bench script run for each checkout (one JSON line out)"
    )
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        runs["before"].append(one(args.before, args.rest, args.script))
        runs["after"].append(one(args.after, args.rest, args.script))
    print("| figure | before (median) | after (median) | after/before (median of rounds) |")
    print("|---|---|---|---|")
    for key in runs["after"][0]:
        if key == "rows":
            continue
        b = [r[key] for r in runs["before"]]
        a = [r[key] for r in runs["after"]]
        ratios = [x / y for x, y in zip(a, b, strict=True) if y]
        print(f"| {key} | {statistics.median(b):.3g} | {statistics.median(a):.3g} | {statistics.median(ratios):.2f} |")
    print(json.dumps(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
