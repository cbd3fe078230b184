"""Helpers shared by the tests: paths to the test data and readers for the case files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
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
