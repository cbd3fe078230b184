"""Peak memory of a streamed scoring: ``score_rows`` + ``Summary`` over generated rows, no file (#11).

    python bench/stream_memory.py 1000000       # prints rows, seconds, peak RSS (MiB), the total

The rows are generated on the fly (``bench/generate.py``), scored one by one and added to a
``targetexpr.table.Summary``; nothing holds them.  Peak RSS is the kernel's high-water mark of this
process (``VmHWM``).  Run one size per process: the mark never goes down.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_rows, table_rows

import targetexpr
from targetexpr.table import Summary


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rows(n: int) -> Iterator[targetexpr.Row]:
    return table_rows(generate_rows(n))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    summary = Summary(targetexpr.load_rules())
    for scored in targetexpr.score_rows(rows(n), year=2022):
        summary.add(scored)
    card = summary.result(())
    elapsed = time.perf_counter() - start
    print(f"rows {n} seconds {elapsed:.1f} peak_rss_mib {peak_rss_mib():.0f} total {card.total}")


if __name__ == "__main__":
    main()
