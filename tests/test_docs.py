"""Docs that run: the README, docs/*.md and the docstrings of every module are doctests."""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import pkgutil
import re
import shlex
import shutil
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
    if path.name in ("README.md", "syntax.md", "api.md", "evaluation.md", "testing.md", "cookbook.md", "tutorial.md"):
        assert result.attempted > 0


@pytest.mark.parametrize("name", ["targetexpr", *MODULES])
def test_module_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0


# --- console examples: ```console blocks whose "$ targetexpr …" lines are run, output compared ------

_CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def _sessions(path: Path) -> list[tuple[str, str]]:
    sessions = []
    for block in _CONSOLE.findall(path.read_text(encoding="utf-8")):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    sessions.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            sessions.append((command, "\n".join(output)))
    return sessions


CONSOLE_EXAMPLES = [
    pytest.param(path, command, output, id=f"{path.name}: {command[:40]}")
    for path in DOCUMENTS
    for command, output in _sessions(path)
]


def test_the_tutorial_and_cli_pages_have_console_examples() -> None:
    pages = {p.values[0].name for p in CONSOLE_EXAMPLES}  # type: ignore[union-attr]
    assert {"tutorial.md", "cli.md"} <= pages


@pytest.mark.parametrize(("path", "command", "expected"), CONSOLE_EXAMPLES)
def test_console_example(
    path: Path, command: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targetexpr import cli

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command)
    assert argv[0] == "targetexpr"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(argv[1:])
    assert out.getvalue().rstrip("\n") == expected.rstrip("\n")


# --- reference pages stay complete ----------------------------------------------------------------


def test_the_reference_page_documents_every_public_name() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    missing = [name for name in targetexpr.__all__ if f"targetexpr.{name}" not in text]
    assert missing == []


def test_the_cli_page_documents_every_option() -> None:
    import argparse

    from targetexpr import cli

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    options = {
        option
        for command in subparsers.choices.values()
        for action in command._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    }
    assert sorted(o for o in options if f"`{o}" not in text) == []
