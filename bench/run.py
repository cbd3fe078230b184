"""The targetexpr benchmark: one command, honest figures, ratios to a bare regex in the same run.

    python bench/run.py                      # full run, prints a Markdown report
    python bench/run.py --write              # ... and writes it into docs/performance.md
    python bench/run.py --quick              # a small run that proves the script works (CI)

Every figure is the median of several repeats.  The regex floor extracts comparator + number + unit
from the same cells (correctness is not asked of it): it is what any correct parser is compared with.
Nothing here is a test: it reports numbers and asserts nothing about them.
"""

from __future__ import annotations

import argparse
import csv
import gc
import importlib
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import COLUMNS, distinct_targets, generate_rows, table_rows  # noqa: E402
from grammar_path import compounds, invalid_pairs, toy_sample  # noqa: E402

import targetexpr  # noqa: E402

parse_module = importlib.import_module("targetexpr.parser.api")
PLAIN = targetexpr.ParseOptions(fast=False)
FAST = targetexpr.ParseOptions()

# The floor: what a hand-written extractor does (and all it does).
FLOOR = re.compile(r"^\s*(≥|≤|>=|<=|>|<|=|≧|≦|不低于|不少于|不超过|不高于)?\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*)\s*$")


def floor(cell: str) -> tuple[str | None, str, str] | None:
    m = FLOOR.match(cell)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def clear_caches() -> None:
    parse_module._analyze.cache_clear()
    for name in ("_wordless", "_parsed"):  # the memos of clean readings and targets (#11), where they exist
        memo = getattr(parse_module, name, None)
        if memo is not None:
            memo.cache_clear()
    dispatch = importlib.import_module("targetexpr.evaluator.dispatch")
    dispatch._memoised.cache_clear()
    # Issue #11's third round: the reading before a name, the named readings, actuals and points.
    actuals = importlib.import_module("targetexpr.evaluator.actuals")
    for module, name in ((parse_module, "_reading"), (parse_module, "_named"), (actuals, "_read_text")):
        memo = getattr(module, name, None)
        if memo is not None:
            memo.cache_clear()
    if hasattr(dispatch, "_points_text"):
        dispatch._points_text.cache_clear()


def run_python(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def cold_start(repeat: int) -> dict[str, float]:
    # Measure what an installed package does: bytecode compiled (pip does it at install time).
    import compileall

    compileall.compile_dir(str(Path(targetexpr.__file__).parent), quiet=1)
    bare = statistics.median(run_python("pass") for _ in range(repeat))
    imp = statistics.median(run_python("import targetexpr") for _ in range(repeat))
    first = statistics.median(run_python("import targetexpr; targetexpr.parse('≥99.9%')") for _ in range(repeat))
    grammar = statistics.median(
        run_python("import targetexpr; targetexpr.parse('较上年增长5%')") for _ in range(repeat)
    )
    return {"bare": bare, "import": imp, "first_parse": first, "first_grammar_parse": grammar}


def parser_build(repeat: int) -> dict[str, float]:
    code = (
        "import time; t = time.perf_counter(); import lark; t1 = time.perf_counter();"
        "from targetexpr.parser import grammar as _grammar; p = _grammar.get_parser(); t2 = time.perf_counter();"
        "p2 = _grammar.build_parser(); t3 = time.perf_counter();"
        "print(t1 - t, t2 - t1, t3 - t2, _grammar.parser_source())"
    )
    imports, firsts, builds = [], [], []
    source = ""
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        a, b, c, source = out.split()
        imports.append(float(a))
        firsts.append(float(b))
        builds.append(float(c))
    try:
        import interegular  # noqa: F401

        interegular_installed = 1.0
    except ImportError:
        interegular_installed = 0.0
    return {
        "lark_import": statistics.median(imports),
        "first": statistics.median(firsts),
        "build": statistics.median(builds),
        "tables": 1.0 if source == "tables" else 0.0,
        "interegular": interegular_installed,
    }


def per_call(fn: Callable[[str], object], cells: Sequence[str], repeat: int, before: Callable[[], None]) -> float:
    """Median µs per call of ``fn`` over ``cells`` (``before`` runs untimed before each repeat)."""
    times = []
    for _ in range(repeat):
        before()
        gc.collect()
        start = time.perf_counter()
        for cell in cells:
            fn(cell)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / len(cells) * 1e6


def _safe_parse(cell: str) -> object:
    try:
        return targetexpr.parse(cell)
    except targetexpr.TargetError as e:
        return e


def _plain_parse(cell: str) -> object:
    try:
        return parse_module._analyze.__wrapped__(cell, PLAIN)
    except TypeError:  # before the fast path existed
        return parse_module._analyze.__wrapped__(cell, FAST)


def _evaluate(pair: tuple[str, str]) -> object:
    try:
        return targetexpr.evaluate(pair[0], pair[1], points=10)
    except targetexpr.TargetError as e:
        return e


def _score_chunk(records: list[dict[str, str]]) -> int:
    clear_caches()  # a forked worker must not start with the parent's warm caches
    scored = 0
    for _ in targetexpr.score_rows(table_rows(records), year=2022):
        scored += 1
    return scored


def peak_rss_kib() -> int:
    """This process's peak resident memory.  VmHWM, not ru_maxrss: a child's ru_maxrss keeps the
    high-water mark of the parent it was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def score_from_file(path: str) -> tuple[float, int]:
    """Score a CSV file streaming (in a fresh process); return (seconds, peak RSS in KiB)."""
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as f:
        table = importlib.import_module("targetexpr.table")
        summary = getattr(table, "Summary", None) or table._Summary  # renamed in #15
        summary = summary(targetexpr.load_rules())
        for scored in targetexpr.score_rows(table_rows(csv.DictReader(f)), year=2022):
            summary.add(scored)
    elapsed = time.perf_counter() - start
    return elapsed, peak_rss_kib()


def table_runs(records: list[dict[str, str]], repeat: int) -> dict[str, float]:
    out: dict[str, float] = {}
    n = len(records)
    out["one_core"] = median_time(lambda: (clear_caches(), _score_chunk(records)), repeat)
    jobs = os.cpu_count() or 1
    chunks = [records[i::jobs] for i in range(jobs)]
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(jobs) as pool:
        out["all_cores"] = median_time(lambda: pool.map(_score_chunk, chunks), repeat)
    out["jobs"] = jobs
    with tempfile.TemporaryDirectory() as tmp:
        for size in (n // 10, n, 3 * n):
            path = Path(tmp) / f"table{size}.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, COLUMNS)
                writer.writeheader()
                writer.writerows(generate_rows(size))  # the first rows are the same for every size
            code = (
                f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import run;"
                f"t, rss = run.score_from_file({str(path)!r}); print(t, rss)"
            )
            result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
            seconds, rss = result.stdout.split()
            out[f"file_seconds_{size}"] = float(seconds)
            out[f"file_rss_kib_{size}"] = float(rss)
    out["rows"] = n
    return out


def grammar_ratios(distinct: Sequence[str], repeat: int) -> dict[str, float]:
    """Issue #11: the grammar path (fast path off) against a toy LALR grammar, compounds against the
    sum of their parts, invalid texts against valid texts of the same length (bench/grammar_path.py)."""
    errors = [line.split("\t")[0] for line in (ROOT / "tests" / "cases" / "errors.tsv").read_text("utf-8").splitlines()]
    errors = [t for t in errors if t and not t.startswith("#")]
    toy, sample = toy_sample(distinct, lambda t: _plain_parse(t).target)  # type: ignore[attr-defined]
    cells, parts = compounds(distinct)
    invalid, valid = invalid_pairs(distinct, errors)
    out: dict[str, float] = {"toy_texts": len(sample), "compounds": len(cells), "parts": len(parts)}
    out["invalid_texts"] = len(invalid)
    out["toy"] = per_call(toy.parse, sample, repeat, lambda: None)
    out["grammar_toy_texts"] = per_call(_plain_parse, sample, repeat, lambda: None)
    out["compound_cells"] = per_call(_plain_parse, cells, repeat, lambda: None) * len(cells)
    out["compound_parts"] = per_call(_plain_parse, parts, repeat, lambda: None) * len(parts)
    out["invalid"] = per_call(_plain_parse, invalid, repeat, lambda: None)
    out["valid_same_length"] = per_call(_plain_parse, valid, repeat, lambda: None)
    return out


def peers(cells: Sequence[str], repeat: int) -> dict[str, float]:
    found: dict[str, float] = {}
    numerals = ["十五", "两", "三千五百", "一万二千", "九十五", "二十", "一百零五", "三"]
    try:
        import cn2an  # type: ignore[import-not-found]
    except ImportError:
        return found
    from targetexpr.parser.numerals import cn_to_decimal

    found["cn2an"] = per_call(lambda c: cn2an.cn2an(c, "smart"), numerals * 200, repeat, lambda: None)
    found["targetexpr_numerals"] = per_call(cn_to_decimal, numerals * 200, repeat, lambda: None)
    return found


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import lark

    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} ({platform.python_implementation()}); "
        f"lark {lark.__version__}; targetexpr {targetexpr.__version__}"
    )


def report(args: argparse.Namespace) -> str:
    repeat = args.repeat
    n = args.rows
    distinct = distinct_targets(args.distinct)
    records = list(generate_rows(n))
    mix = [r["指标值"] for r in records]
    pairs = [(r["指标值"], r["实际完成值"]) for r in records[: args.pairs]]

    cold = cold_start(repeat)
    build = parser_build(repeat)
    # Warm the parser once, so per-call figures measure parsing, not the one-time build.
    targetexpr.parse("2022年12月31日前")
    floor_distinct = per_call(floor, distinct, repeat, lambda: None)
    parse_distinct = per_call(_safe_parse, distinct, repeat, clear_caches)
    plain_distinct = per_call(_plain_parse, distinct, max(1, repeat // 2), lambda: None)
    floor_mix = per_call(floor, mix, repeat, lambda: None)
    parse_mix = per_call(_safe_parse, mix, repeat, clear_caches)
    floor_pairs = per_call(lambda p: (floor(p[0]), floor(p[1])), pairs, repeat, lambda: None)  # type: ignore[arg-type]
    evaluate_pairs = per_call(_evaluate, pairs, repeat, clear_caches)  # type: ignore[arg-type]
    tables = table_runs(records, max(1, repeat // 2))
    peer = peers(distinct, repeat)
    gram = grammar_ratios(distinct, repeat)

    made = (
        "loaded from the wheel's prebuilt tables"
        if build["tables"]
        else "built from the grammar: a checkout has no prebuilt tables"
    )

    def ratio(value: float, base: float) -> str:
        return f"{value / base:.1f}×"

    lines = [
        "| measure | targetexpr | regex floor | ratio | goal |",
        "|---|---|---|---|---|",
        f"| cold start: `import targetexpr` + first `parse('≥99.9%')`, over a bare `python -c pass` "
        f"({cold['bare'] * 1000:.0f} ms) | +{(cold['first_parse'] - cold['bare']) * 1000:.0f} ms | | | ≤ +60 ms |",
        f"| … `import targetexpr` alone | +{(cold['import'] - cold['bare']) * 1000:.0f} ms | | | |",
        f"| … first parse needing the grammar (`较上年增长5%`) | "
        f"+{(cold['first_grammar_parse'] - cold['bare']) * 1000:.0f} ms | | | |",
        f"| parser made at run time, once per process ({made}; "
        f"lark import {build['lark_import'] * 1000:.0f} ms more) | {build['first'] * 1000:.0f} ms | | | |",
        f"| … building it from the grammar instead ({'with' if build['interegular'] else 'without'} `interegular` "
        f"installed) | {build['build'] * 1000:.0f} ms | | | |",
        f"| `parse`, {len(distinct):,} distinct targets (no memo) | {parse_distinct:.1f} µs | {floor_distinct:.2f} µs "
        f"| {ratio(parse_distinct, floor_distinct)} | ≤ 20× |",
        f"| … the same through the grammar only (fast path off) | {plain_distinct:.1f} µs | | "
        f"{ratio(plain_distinct, floor_distinct)} | |",
        f"| `parse`, realistic repeated mix ({n:,} cells) | {parse_mix:.2f} µs | {floor_mix:.2f} µs | "
        f"{ratio(parse_mix, floor_mix)} | ≤ 2× |",
        f"| `evaluate(target, actual)`, text, {len(pairs):,} rows of the mix | {evaluate_pairs:.1f} µs | "
        f"{floor_pairs:.2f} µs | {ratio(evaluate_pairs, floor_pairs)} | |",
        f"| score the {n:,}-row table, one core | {tables['one_core']:.2f} s "
        f"({n / tables['one_core']:,.0f} rows/s) | | | < 3 s |",
        f"| … {int(tables['jobs'])} processes | {tables['all_cores']:.2f} s ({n / tables['all_cores']:,.0f} rows/s) "
        f"| | | faster |",
        f"| … streamed from a CSV file: {n // 10:,} rows | {tables[f'file_seconds_{n // 10}']:.2f} s, peak RSS "
        f"{tables[f'file_rss_kib_{n // 10}'] / 1024:.0f} MiB | | | |",
        f"| … streamed from a CSV file: {n:,} rows | {tables[f'file_seconds_{n}']:.2f} s, peak RSS "
        f"{tables[f'file_rss_kib_{n}'] / 1024:.0f} MiB | | | |",
        f"| … streamed from a CSV file: {3 * n:,} rows | {tables[f'file_seconds_{3 * n}']:.2f} s, peak RSS "
        f"{tables[f'file_rss_kib_{3 * n}'] / 1024:.0f} MiB | | | flat |",
    ]
    lines += [
        f"| grammar path (fast path off), {int(gram['toy_texts']):,} `comparator number unit` texts | "
        f"{gram['grammar_toy_texts']:.1f} µs | | {ratio(gram['grammar_toy_texts'], gram['toy'])} of the toy | ≤ 2× |",
        f"| … a toy Lark LALR grammar for `comparator number unit` to the same AST (built in the bench) | "
        f"{gram['toy']:.1f} µs | | | |",
        f"| compounds (fast path off), {int(gram['compounds']):,} cells, against the sum of their "
        f"{int(gram['parts']):,} parts parsed alone | {gram['compound_cells'] / gram['compounds']:.1f} µs a cell | | "
        f"{ratio(gram['compound_cells'], gram['compound_parts'])} of the parts | ≤ 1.5× |",
        f"| invalid texts (fast path off), {int(gram['invalid_texts']):,}, against valid texts of the same length "
        f"| {gram['invalid']:.1f} µs vs {gram['valid_same_length']:.1f} µs | | "
        f"{ratio(gram['invalid'], gram['valid_same_length'])} | ≤ 3× |",
    ]
    for name, value in peer.items():
        lines.append(f"| peer: `{name}` on Chinese numerals | {value:.2f} µs | | | |")
    if not peer:
        lines.append(
            "| peers (`cn2an` for numerals) | not installed: `pip install cn2an` to time it beside ours | | | |"
        )
    head = [
        f"Machine: {machine()}.",
        "",
        f"Median of {repeat} repeats (table runs: {max(1, repeat // 2)}); generated table: {n:,} rows, "
        "fixed seed (`bench/generate.py`).",
        "",
    ]
    return "\n".join(head + lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small, fast run (CI proves the script works)")
    parser.add_argument("--write", action="store_true", help="write the report into docs/performance.md")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.distinct, args.pairs, args.repeat = 2_000, 500, 500, 2
    text = report(args)
    print(text)
    if args.write:
        path = ROOT / "docs" / "performance.md"
        doc = path.read_text(encoding="utf-8")
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        before, _, rest = doc.partition(start)
        _, _, after = rest.partition(end)
        path.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
