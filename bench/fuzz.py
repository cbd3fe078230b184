"""Fuzz targetexpr: many generated inputs, every crash and the slowest call reported.

    python bench/fuzz.py                 # about 100,000 inputs (a few minutes)
    python bench/fuzz.py --write         # ... and writes the figures into docs/reliability.md
    python bench/fuzz.py --quick         # a few thousand inputs; CI runs this
    python bench/fuzz.py --atheris 60    # coverage-guided, for 60 s (needs `pip install atheris`)

"Crash" means any exception that is not a ``targetexpr.TargetError``, or a broken property: the
canonical text or the dict form of a target that does not read back, a surface spelling that parses
to another target, an actual drawn to meet (or miss) a target that evaluate judges otherwise.  The
harness prints each crash with its input and exits 1 if there is any.  It is not a test: it reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import targetexpr
from targetexpr.parser import grammar as _grammar
from targetexpr.strategies import KINDS, actuals_for, baselines_for, target_text_pairs, targets

ROOT = Path(__file__).resolve().parent.parent


class Record:
    """What one property saw: how many inputs, which crashed, the slowest call."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.inputs = 0
        self.crashes: list[str] = []
        self.slowest = 0.0
        self.slowest_length = 0
        self.slowest_input = ""

    def time(self, length: int, call: Callable[[], object], shown: object = None) -> object:
        self.inputs += 1
        start = time.perf_counter()
        try:
            return call()
        except targetexpr.TargetError as e:
            return e
        finally:
            elapsed = time.perf_counter() - start
            if elapsed > self.slowest:
                self.slowest, self.slowest_length = elapsed, length
                self.slowest_input = repr(shown)[:40] if shown is not None else ""


def _crash(record: Record, what: str) -> None:
    if len(record.crashes) < 20:
        record.crashes.append(what)


def _real_texts() -> list[str]:
    import csv

    with (ROOT / "tests" / "data" / "real_targets.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return sorted({r[k] for r in rows for k in ("target", "actual") if r[k]})


def _mutations(texts: list[str]) -> st.SearchStrategy[str]:
    alphabet = st.sampled_from(list("≥≤<>=%,.-~/年月日前底万亿个次人元()[]十百零0123456789 \u3000\x00\ud800😀"))

    def mutate(text: str, position: int, insert: str, delete: int) -> str:
        position %= len(text) + 1
        return text[:position] + insert + text[position + delete :]

    return st.builds(
        mutate, st.sampled_from(texts), st.integers(0, 80), st.text(alphabet, max_size=6), st.integers(0, 4)
    )


def run(examples: int) -> list[Record]:
    records: list[Record] = []
    grammar_alphabet = st.sampled_from(sorted(set("0123456789.,%-~/·*()[]≥≤<>=≈") | set(_grammar.alphabet())))
    text_inputs = st.one_of(
        st.text(max_size=80),
        _mutations(_real_texts()),
        # A parser built from the grammar: from_lark reads its rules, which tables do not keep.
        from_lark(_grammar.build_parser(), alphabet=grammar_alphabet),
        target_text_pairs().map(lambda p: p[0]),
        st.text(alphabet=grammar_alphabet, max_size=40),
    )
    config = settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck), derandomize=False
    )

    parse_record = Record("parse / analyze: any text")
    records.append(parse_record)

    @config
    @given(text_inputs)
    def parse_anything(text: str) -> None:
        for call in (lambda: targetexpr.parse(text), lambda: targetexpr.analyze(text)):
            try:
                parse_record.time(len(text), call, text)
            except Exception:
                _crash(parse_record, f"{text!r}: {traceback.format_exc(limit=3)}")

    evaluate_record = Record("evaluate: any target against any actual")
    records.append(evaluate_record)

    @config
    @given(text_inputs, st.one_of(text_inputs, st.decimals(allow_nan=True), st.floats(), st.integers(), st.none()))
    def evaluate_anything(target: str, actual: object) -> None:
        try:
            evaluate_record.time(
                len(target),
                lambda: targetexpr.evaluate(target, actual, points=10, year=2022, baseline="90%", tolerance="5%"),
                (target, actual),
            )
        except Exception:
            _crash(evaluate_record, f"{target!r} / {actual!r}: {traceback.format_exc(limit=3)}")

    table_record = Record("score_table: rows of any cells")
    records.append(table_record)
    cell = st.one_of(text_inputs, st.integers(), st.floats(), st.decimals(allow_nan=True), st.none(), st.booleans())
    row = st.fixed_dictionaries(
        {"target": cell, "actual": cell, "points": cell},
        optional={"published_score": cell, "level1": cell, "level2": cell, "budget": cell, "spent": cell},
    )

    @config
    @given(st.lists(row, max_size=6))
    def score_anything(rows: list[dict[str, object]]) -> None:
        try:
            card = table_record.time(len(rows), lambda: targetexpr.score_table(rows), rows)
            if isinstance(card, targetexpr.Scorecard) and len(card.rows) != len(rows):
                _crash(table_record, f"{rows!r}: {len(card.rows)} rows out of {len(rows)}")
        except Exception:
            _crash(table_record, f"{rows!r}: {traceback.format_exc(limit=3)}")

    roundtrip_record = Record("round trips: text, dict, surface spellings")
    records.append(roundtrip_record)

    @config
    @given(target_text_pairs())
    def round_trips(pair: tuple[str, targetexpr.Target]) -> None:
        text, target = pair
        try:
            got = roundtrip_record.time(len(text), lambda: targetexpr.parse(text), text)
            if got != target:
                _crash(roundtrip_record, f"{text!r} parsed as {got!r}, spelled from {target!r}")
            if targetexpr.parse(str(target)) != target:
                _crash(roundtrip_record, f"canonical text of {target!r} does not read back")
            if targetexpr.from_dict(json.loads(json.dumps(targetexpr.to_dict(target)))) != target:
                _crash(roundtrip_record, f"dict form of {target!r} does not read back")
        except Exception:
            _crash(roundtrip_record, f"{text!r}: {traceback.format_exc(limit=3)}")

    verdict_record = Record("verdicts: actuals drawn to meet or miss")
    records.append(verdict_record)

    @config
    @given(st.data(), targets([k for k in KINDS if k != "masked"]), st.booleans())
    def verdicts(data: st.DataObject, target: targetexpr.Target, met: bool) -> None:
        relative = target.kind == "relative" or any(p.kind == "relative" for p in getattr(target, "parts", ()))
        context: dict[str, object] = {"year": 2022, "tolerance": Decimal("0.05")}
        context["baseline"] = data.draw(baselines_for(target)) if relative else None
        actual = data.draw(actuals_for(target, met=met, **context))  # type: ignore[arg-type]
        try:
            result = verdict_record.time(
                0, lambda: targetexpr.evaluate(target, actual, **context), (str(target), actual)
            )  # type: ignore[arg-type]
            if not isinstance(result, targetexpr.Evaluation) or result.met is not met:
                _crash(verdict_record, f"{target} / {actual!r} {context}: expected met={met}, got {result!r}")
        except Exception:
            _crash(verdict_record, f"{target} / {actual!r}: {traceback.format_exc(limit=3)}")

    for test in (parse_anything, evaluate_anything, score_anything, round_trips, verdicts):
        test()
    return records


def run_atheris(seconds: int, write: bool) -> None:  # pragma: no cover - needs atheris
    """Coverage-guided fuzzing of parse and evaluate; libFuzzer stops after ``seconds`` and the
    report is printed (and written) on exit."""
    import os

    import atheris  # type: ignore[import-not-found]

    record = Record(f"atheris (coverage-guided, {seconds} s): parse, evaluate")
    start = 0.0

    def one_input(data: bytes) -> None:
        nonlocal start
        start = start or time.perf_counter()  # instrumenting takes a while: count from the first input
        if time.perf_counter() - start > seconds:
            # libFuzzer ends the process without running Python's exit handlers: report first.
            code = _finish([record], time.perf_counter() - start, write)
            sys.stdout.flush()
            os._exit(code)
        provider = atheris.FuzzedDataProvider(data)
        target = provider.ConsumeUnicodeNoSurrogates(40)
        actual = provider.ConsumeUnicodeNoSurrogates(40)
        try:
            record.time(len(target), lambda: targetexpr.parse(target), target)
            record.time(
                len(target), lambda: targetexpr.evaluate(target, actual, points=10, year=2022), (target, actual)
            )
        except Exception:
            _crash(record, f"{target!r} / {actual!r}: {traceback.format_exc(limit=3)}")
            raise

    atheris.instrument_all()
    atheris.Setup([sys.argv[0], "-rss_limit_mb=4096", "-artifact_prefix=/tmp/"], one_input)
    atheris.Fuzz()


def report(records: list[Record], seconds: float) -> str:
    lines = [
        f"Run: {sum(r.inputs for r in records):,} calls in {seconds:.0f} s; Python {sys.version.split()[0]}.",
        "",
        "| property | calls | crashes | slowest call | its input length | its input |",
        "|---|---|---|---|---|---|",
    ]
    for r in records:
        shown = r.slowest_input.replace("|", "\\|").replace("`", "'")
        lines.append(
            f"| {r.name} | {r.inputs:,} | {len(r.crashes)} | {r.slowest * 1000:.1f} ms"
            f" | {r.slowest_length} | `{shown}` |"
        )
    return "\n".join(lines) + "\n"


def _warm_up() -> None:
    """Pay the one-time costs (parser, rule sets, lazy imports) before timing any call."""
    targetexpr.parse("较上年增长5%")
    for text in ("≥", "2022年12月31日後", "保障大楼安全运转,排除风险隐患"):
        targetexpr.analyze(text)
    targetexpr.evaluate("≥95%", "90%", points=10, year=2022)
    targetexpr.evaluate("年底前", "2022-12-01", points=10, year=2022)
    targetexpr.score_table([{"target": "≥1", "actual": "2", "points": 10}])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=20_000, help="hypothesis examples per property")
    parser.add_argument("--quick", action="store_true", help="a short run (CI)")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/reliability.md")
    parser.add_argument("--atheris", type=int, metavar="SECONDS", help="coverage-guided fuzzing with atheris")
    args = parser.parse_args(argv)
    if args.quick:
        args.examples = 200
    _warm_up()
    if args.atheris:
        run_atheris(args.atheris, args.write)
        return 0  # pragma: no cover - atheris exits the process itself
    start = time.perf_counter()
    records = run(args.examples)
    return _finish(records, time.perf_counter() - start, args.write)


def _finish(records: list[Record], seconds: float, write: bool) -> int:
    text = report(records, seconds)
    print(text)
    crashes = [c for r in records for c in r.crashes]
    for crash in crashes:
        print("CRASH:", crash, file=sys.stderr)
    if write:
        path = ROOT / "docs" / "reliability.md"
        doc = path.read_text(encoding="utf-8")
        marker = "atheris" if any(r.name.startswith("atheris") for r in records) else "fuzz"
        before, _, rest = doc.partition(f"<!-- {marker}:start -->")
        _, _, after = rest.partition(f"<!-- {marker}:end -->")
        path.write_text(f"{before}<!-- {marker}:start -->\n{text}<!-- {marker}:end -->{after}", encoding="utf-8")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
