"""Docs that run: the README, docs/*.md and the docstrings of every module are doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import targetexpr

ROOT = Path(__file__).resolve().parent.parent
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(targetexpr.__path__, "targetexpr.") if m.name != "targetexpr.__main__"
)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_examples(path: Path) -> None:
    result = doctest.testfile(str(path), module_relative=False, optionflags=FLAGS, encoding="utf-8")
    assert result.failed == 0
    if path.name in ("README.md", "syntax.md", "api.md", "evaluation.md", "testing.md"):
        assert result.attempted > 0


@pytest.mark.parametrize("name", ["targetexpr", *MODULES])
def test_module_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0
