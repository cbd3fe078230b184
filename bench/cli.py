"""Time the command line on generated tables and report its peak memory: does it stream?

    python bench/cli.py            # 10,000 / 100,000 / 300,000-row CSV files, a 20,000-row workbook
    python bench/cli.py --quick    # small files (CI proves the script works)
    python bench/cli.py --write    # also write the table into docs/performance.md

Each run is a fresh process (``python -m targetexpr score FILE -o OUT --quiet``); its peak
resident memory is the kernel's high-water mark (VmHWM) of that process. The table comes from
bench/generate.py (fixed seed). It reports numbers; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import COLUMNS, generate_rows  # noqa: E402

CHILD = """
import sys
from pathlib import Path
from targetexpr.cli import main
code = main(sys.argv[2:])
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmHWM:"):
        Path(sys.argv[1]).write_text(line.split()[1])
raise SystemExit(code)
"""


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for row in generate_rows(n):
            writer.writerow([row[c] for c in COLUMNS])


def write_xlsx(path: Path, n: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("自评表")
    sheet.append(COLUMNS)
    for row in generate_rows(n):
        sheet.append([row[c] for c in COLUMNS])
    workbook.save(path)


def run(argv: Sequence[str], workdir: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of ``targetexpr ARGV`` in a fresh process."""
    peak = workdir / "peak.txt"
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, str(peak), *argv], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"targetexpr {' '.join(argv)} failed:\n{result.stderr}")
    return elapsed, int(peak.read_text()) / 1024


def _formats(work: Path, n: int) -> list[str]:
    """`targetexpr check` on the same table in every format (.xlsx read by openpyxl, the CLI's reader,
    and by python-calamine through a .xlsm copy); reader-level numbers are in bench/formats.py."""
    import shutil

    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures import make_tables

    sheet = make_tables.Sheet("自评表", [list(COLUMNS)] + [[r[c] for c in COLUMNS] for r in generate_rows(n)])
    out = []
    for suffix, write in make_tables.WRITERS.items():
        if suffix in (".docx", ".pdf") and n > 2_000:
            continue  # python-docx and reportlab writers are slow on large tables
        path = write(work / f"f{suffix}", [sheet])
        reader = {".xlsx": "openpyxl", ".docx": "python-docx", ".pdf": "pdfplumber"}.get(suffix, "python-calamine")
        runs = [(f"{suffix} ({reader})", path)]
        if suffix == ".xlsx":
            runs.append((".xlsm (python-calamine)", Path(shutil.copy(path, work / "f.xlsm"))))
        for label, source in runs:
            seconds, rss = run(["check", str(source), "--quiet", "--fail-on", "never"], work)
            out.append(f"| `targetexpr check` {label} | {n:,} | {seconds:.1f} | {n / seconds:,.0f} | {rss:.0f} MiB |")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    sizes = [1_000, 3_000] if args.quick else [10_000, 100_000, 300_000]
    workbook_rows = 500 if args.quick else 20_000
    lines = [
        "| run (a fresh process each) | rows | seconds | rows/s | peak RSS |",
        "|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in sizes:
            source = work / f"t{n}.csv"
            write_csv(source, n)
            for command, extra in (("score", ["-o", str(work / "out.csv")]), ("check", [])):
                seconds, rss = run([command, str(source), "--quiet", *extra], work)
                lines.append(
                    f"| `targetexpr {command}` CSV → {'CSV' if extra else 'summary'} | {n:,} | {seconds:.1f} | "
                    f"{n / seconds:,.0f} | {rss:.0f} MiB |"
                )
        source = work / "t.xlsx"
        write_xlsx(source, workbook_rows)
        for label, out in (("CSV (streams)", "out.csv"), ("a copy of the workbook (in memory)", "out.xlsx")):
            seconds, rss = run(["score", str(source), "--quiet", "-o", str(work / out)], work)
            lines.append(
                f"| `targetexpr score` .xlsx → {label} | {workbook_rows:,} | {seconds:.1f} | "
                f"{workbook_rows / seconds:,.0f} | {rss:.0f} MiB |"
            )
        lines += _formats(work, workbook_rows)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        doc = ROOT / "docs" / "performance.md"
        content = doc.read_text(encoding="utf-8")
        new = re.sub(
            r"<!-- cli:start -->.*<!-- cli:end -->",
            lambda _: f"<!-- cli:start -->\n{text}<!-- cli:end -->",
            content,
            flags=re.S,
        )
        if new == content and "<!-- cli:start -->" not in content:
            raise SystemExit("docs/performance.md has no <!-- cli:start --> marker")
        doc.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
