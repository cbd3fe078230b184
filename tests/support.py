"""Helpers shared by the tests: paths to the test data and readers for the case files."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

TESTS = Path(__file__).parent
DATA = TESTS / "data"
CASES = TESTS / "cases"


def read_tsv(path: Path) -> Iterator[list[str]]:
    """Rows of a tab-separated case file, skipping comment lines (a header comment documents it)."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        yield from csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def read_dicts(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header line (comment lines before it are skipped)."""
    with path.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def case_and_real_texts() -> set[str]:
    """Every text of the golden cases (parse, errors, evaluate: targets and actuals) and of
    real_targets.tsv (targets and actuals), as written."""
    texts = set()
    for name in ("parse.tsv", "errors.tsv", "evaluate.tsv"):
        for row in read_tsv(CASES / name):
            texts.update(t for t in row[:2] if t and not t.startswith("{"))
    for row in read_dicts(DATA / "real_targets.tsv"):
        texts.update(t for t in (row["target"], row["actual"]) if t)
    return texts


def in_two_languages(work: Callable[[], None]) -> None:
    """Run ``work`` at the same moment in two threads, one under ``language("zh")``, one under "en".

    Both threads start together (a barrier), so that they share the memos while each speaks its
    own language; an exception in either thread fails the calling test.
    """
    from targetexpr import language

    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(lang: str) -> None:
        try:
            with language(lang):
                barrier.wait()
                work()
        except BaseException as e:  # reported below, in the test's thread
            failures.append(e)

    threads = [threading.Thread(target=run, args=(lang,)) for lang in ("zh", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
