"""The cost of the first parse that needs the grammar, measured inside fresh processes.

    python bench/cold_start.py                          # this interpreter's targetexpr, 15 processes
    python bench/cold_start.py --python /venv/bin/python --runs 25
    python bench/cold_start.py --text '较上年增长5%'

Each run starts a new process that imports targetexpr, then times (CPU time of the process, so a
busy machine disturbs it less than wall-clock time) the first ``targetexpr.parse(text)`` and, in
it, what the grammar path does once: ``import lark`` (only where the installed version needs
Lark to parse: before issue #11's fourth round), loading the tables (Lark's parser made from them
before, the plain tables of the parser's own loop after; or building from the grammar) and the
parse itself.  Prints the median, minimum and maximum of each, in milliseconds, where the parser
came from, and whether Lark was imported by the end.  Run it against two installs
(before and after a change) in alternation to compare them: only figures from the same run mean
anything on a shared machine.  Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence

TEXT = "2022年12月31日前完成验收, 不低于95%"

CODE = """
import sys, time
clock = time.process_time
text = sys.argv[1]
t0 = clock()
import targetexpr
t1 = clock()
from targetexpr.parser import grammar
if hasattr(grammar, "get_tables"):  # the parser's own tables and loop (issue #11, fourth round)
    t2 = clock()
    grammar.get_tables()
else:  # before: Lark's objects made from the tables
    import lark
    t2 = clock()
    grammar.get_parser()
t3 = clock()
targetexpr.parse(text)
t4 = clock()
print(t1 - t0, t4 - t1, t2 - t1, t3 - t2, t4 - t3, grammar.parser_source(), "lark" in sys.modules)
"""

COLUMNS = (
    "import targetexpr",
    "first parse, all of it",
    "… import lark",
    "… loading the tables",
    "… the parse",
)


def measure(python: str, text: str, runs: int) -> tuple[list[list[float]], str]:
    rows: list[list[float]] = []
    source = ""
    for _ in range(runs):
        out = subprocess.run([python, "-c", CODE, text], check=True, capture_output=True, text=True).stdout.split()
        rows.append([float(x) * 1000 for x in out[:5]])
        source = f"{out[5]}, lark {'imported' if out[6] == 'True' else 'not imported'}"
    return rows, source


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", help="an interpreter to measure (repeatable; default: this one)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--text", default=TEXT)
    args = parser.parse_args(argv)
    pythons = args.python or [sys.executable]
    results: dict[str, list[list[float]]] = {p: [] for p in pythons}
    sources: dict[str, str] = {}
    for _ in range(args.runs):  # the interpreters in alternation, one process each in turn
        for python in pythons:
            rows, sources[python] = measure(python, args.text, 1)
            results[python].extend(rows)
    print(f"CPU ms of the first `targetexpr.parse({args.text!r})`, {args.runs} processes each: median (min–max)\n")
    print("| interpreter | parser from | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---|" * len(COLUMNS))
    for python, rows in results.items():
        cells = []
        for i in range(len(COLUMNS)):
            values = [row[i] for row in rows]
            cells.append(f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})")
        print(f"| `{python}` | {sources[python]} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
