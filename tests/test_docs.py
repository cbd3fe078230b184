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
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "docs" / "zh").glob("*.md"))]


def _speak_as_the_page(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages under docs/zh/ show the default, Chinese output; the others were written in English."""
    if path.parent.name == "zh":
        monkeypatch.delenv("TARGETEXPR_LANG", raising=False)


MODULES = sorted(
    m.name for m in pkgutil.walk_packages(targetexpr.__path__, "targetexpr.") if m.name != "targetexpr.__main__"
)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_examples(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _speak_as_the_page(path, monkeypatch)
    result = doctest.testfile(str(path), module_relative=False, optionflags=FLAGS, encoding="utf-8")
    assert result.failed == 0
    if path.name in (
        "README.md",
        "syntax.md",
        "api.md",
        "evaluation.md",
        "testing.md",
        "cookbook.md",
        "tutorial.md",
    ) or (path.parent.name == "zh"):
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
    pytest.param(path, command, output, id=f"{path.parent.name}/{path.name}: {command[:40]}")
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

    _speak_as_the_page(path, monkeypatch)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command)
    assert argv[0] == "targetexpr"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(argv[1:])
    assert out.getvalue().rstrip("\n") == expected.rstrip("\n")


# --- reference pages stay complete ----------------------------------------------------------------


def _documented(page: str) -> set[str]:
    """The public names a page documents: ``targetexpr.NAME`` in the reference's directives, or a
    ``### `NAME(…)``` / ``` `NAME` ``` heading or list item in the API guide."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    if page == "reference.md":
        return set(re.findall(r"^\.\. auto(?!module)\w+:: targetexpr\.(\w+)$", text, re.M))
    names = set(re.findall(r"^###? `(\w+)", text, re.M)) | set(re.findall(r"^\| `(\w+)` \|", text, re.M))
    # List items name public types only in these two sections (elsewhere they are options).
    for section in re.split(r"^## ", text, flags=re.M):
        if section.startswith(("Result and table types", "The AST")):
            names |= set(re.findall(r"^\* `(\w+)`", section, re.M))
    return names


def test_all_api_guide_and_reference_state_the_same_public_api() -> None:
    public = set(targetexpr.__all__) - {"__version__", "Target", "MAX_LENGTH"}
    reference = _documented("reference.md") - {"MAX_LENGTH"}
    guide = _documented("api.md")
    assert sorted(public - reference) == [], "in __all__ but not in docs/reference.md"
    assert sorted(reference - public) == [], "in docs/reference.md but not in __all__"
    assert sorted(public - guide) == [], "in __all__ but not in docs/api.md"
    assert sorted(guide - public) == [], "in docs/api.md but not in __all__"


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
