"""A digest of every result of a generated table, to show two checkouts give the same results.

    python bench/same_results.py zh
    PYTHONPATH=/path/to/other/src python bench/same_results.py zh     # must print the same digest

It scores 30,000 generated rows with ``score_rows`` (their indicator and 二级指标 names included)
and evaluates 5,000 of them with ``evaluate(text, actual, indicator=..., level2=...)``, hashing the
``repr`` of each result or error: every field, the reason sentences included.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_rows, table_rows

import targetexpr


def main() -> None:
    lang = sys.argv[1] if len(sys.argv) > 1 else "zh"
    records = list(generate_rows(30_000))
    rows = table_rows(records)
    digest = hashlib.sha256()
    for scored in targetexpr.score_rows(rows, year=2022, lang=lang):
        digest.update(repr(scored).encode())
    for r in records[:5000]:
        try:
            result: object = targetexpr.evaluate(
                r["指标值"], r["实际完成值"], points=r["分值"], indicator=r["三级指标"], level2=r["二级指标"], lang=lang
            )
        except targetexpr.TargetError as e:
            result = (type(e), str(e))
        digest.update(repr(result).encode())
    print(digest.hexdigest())


if __name__ == "__main__":
    main()
