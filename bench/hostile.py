"""Time and peak memory of the command line on hostile files (docs/reliability.md, issue #14).

    python bench/hostile.py                     # this tree
    python bench/hostile.py --src /tmp/before/src   # another checkout's src/, e.g. the commit before #14

Each case runs in a fresh interpreter under an address-space limit (``--limit-gb``, default 4), so
that an old version that would take all memory ends in MemoryError instead of the OOM killer.
Peak memory is the child's VmHWM (Linux).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as hostile  # noqa: E402

CHILD = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    if sys.argv[2] == "load_rules":
        from targetexpr.scoring import load_rules
        try:
            from pathlib import Path
            load_rules(Path(sys.argv[3])); status = 0
        except ValueError as e:
            print("error:", e, file=sys.stderr); status = 2
    elif sys.argv[2] == "labels":
        from targetexpr import score_table
        n, size = int(sys.argv[3]), int(sys.argv[4])
        for i in range(n):
            label = str(i) + "指标名称" * (size // 4)
            score_table([{"level1": label, "level2": label, "indicator": label, "target": "≥1个", "actual": "2个"}])
        status = 0
    else:
        from targetexpr.cli import main
        status = main(sys.argv[2:])
except MemoryError:
    print("MemoryError", file=sys.stderr); status = 99
hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]
print('PEAK', hwm, file=sys.stderr)
sys.exit(status)
"""


def measure(src: Path, limit: int, *argv: str) -> tuple[int, float, float, str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(limit), *argv], capture_output=True, text=True, env=env, check=False
    )
    seconds = time.perf_counter() - start
    lines = done.stderr.splitlines()
    peak = next((int(line.split()[1]) / 1024 for line in lines if line.startswith("PEAK")), float("nan"))
    said = next((line for line in lines if not line.startswith("PEAK") and line.strip()), "")
    return done.returncode, seconds, peak, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--limit-gb", type=float, default=4)
    parser.add_argument("--only", help="run only the cases whose name contains this")
    options = parser.parse_args()
    limit = int(options.limit_gb * 2**30)
    work = Path(tempfile.mkdtemp(prefix="hostile-"))
    cases: list[tuple[str, list[str]]] = []

    def case(name: str, make: object, *argv: str) -> None:
        if options.only and options.only not in name:
            return
        if callable(make):
            make()
        cases.append((name, list(argv)))

    bomb = work / "bomb.xlsx"
    case(
        "xlsx, a 100 MB title cell, deflated as Excel does (0.4 MB file): check -o .csv",
        lambda: hostile.big_cell(bomb, 100 * 2**20, "title"),
        "check",
        str(bomb),
        "-o",
        str(work / "o.csv"),
    )
    weak = work / "weak-bomb.xlsx"
    case(
        "xlsx, a 100 MB title cell, deflated weakly (1.3 MB file): check -o .csv",
        lambda: hostile.big_cell(weak, 100 * 2**20, "title", level=1),
        "check",
        str(weak),
        "-o",
        str(work / "o.csv"),
    )
    title = work / "title.xlsx"
    case(
        "xlsx, a 1 MB title cell: check -o .csv",
        lambda: hostile.big_cell(title, 2**20, "title", compressible=False),
        "check",
        str(title),
        "-o",
        str(work / "o.csv"),
    )
    cell = work / "cell.xlsx"
    case(
        "xlsx, one 1 MB cell (indicator): score -o .csv",
        lambda: hostile.big_cell(cell, 2**20, "indicator", compressible=False),
        "score",
        str(cell),
        "-o",
        str(work / "o.csv"),
    )
    big = work / "big.xlsx"
    case(
        "xlsx, 200,000 rows: score -o .xlsx (the copy)",
        lambda: hostile.large_xlsx(big, 200_000),
        "score",
        str(big),
        "-o",
        str(work / "big-o.xlsx"),
    )
    mid = work / "mid.xlsx"
    case(
        "xlsx, 25,000 rows: score -o .xlsx (the copy)",
        lambda: hostile.large_xlsx(mid, 25_000),
        "score",
        str(mid),
        "-o",
        str(work / "mid-o.xlsx"),
    )
    big_csv = work / "big.csv"
    case(
        "csv, 200,000 rows: score -o .csv",
        lambda: hostile.large_csv(big_csv, 200_000),
        "score",
        str(big_csv),
        "-o",
        str(work / "big-o.csv"),
    )
    case("load_rules('/dev/zero')", None, "load_rules", "/dev/zero")
    case("300 rows with 100,000-character labels (score_table)", None, "labels", "300", "100000")
    wide = work / "labels.csv"

    def long_labels() -> None:
        with wide.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(hostile.HEADER)
            for i in range(300):
                label = str(i) + "指标名称" * 25_000
                writer.writerow(["产出指标", label, label, "≥1个", "2个", 10, 10, ""])

    case("csv, 300 rows with 100,000-character labels: score", long_labels, "score", str(wide))
    for name, argv in cases:
        code, seconds, peak, said = measure(options.src, limit, *argv)
        print(f"| {name} | {code} | {seconds:.1f} s | {peak:,.0f} MB | {said[:110]} |", flush=True)


if __name__ == "__main__":
    main()
