"""The packages users install: the wheel, the sdist and the editable install all carry the grammar.

Builds a wheel and an sdist from this checkout, checks their contents, installs the wheel into a
fresh virtual environment and parses a target from outside the source tree (STYLE.md §4).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

import targetexpr
from targetexpr.parser import grammar as _grammar

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_IN_WHEEL = [
    "targetexpr/__init__.py",
    "targetexpr/py.typed",
    "targetexpr/grammar/targetexpr.lark",
    "targetexpr/data/units.tsv",
    "targetexpr/data/comparators.tsv",
    "targetexpr/data/qualitative.tsv",
    "targetexpr/data/aliases.tsv",
    "targetexpr/grammar/targetexpr.tables.json",
]


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", out, ROOT)
    return out


def test_editable_install_reads_the_checkout_grammar() -> None:
    if Path(targetexpr.__file__).resolve().is_relative_to(ROOT / "src"):
        assert _grammar.grammar_source() == "checkout"
        assert _grammar.grammar_text() == (ROOT / "grammar" / "targetexpr.lark").read_text(encoding="utf-8")
    else:  # the tests run against an installed wheel
        assert _grammar.grammar_source() == "package"


def test_wheel_contents(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in REQUIRED_IN_WHEEL:
        assert required in names
    rules = {n for n in names if n.startswith("targetexpr/data/rules/") and n.endswith(".toml")}
    assert {"targetexpr/data/rules/national.toml", "targetexpr/data/rules/system.toml"} <= rules
    grammar = zipfile.ZipFile(wheel).read("targetexpr/grammar/targetexpr.lark").decode("utf-8")
    assert grammar == (ROOT / "grammar" / "targetexpr.lark").read_text(encoding="utf-8")


def test_sdist_builds_a_wheel_with_the_grammar(dist: Path, tmp_path: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(m.endswith("/grammar/targetexpr.lark") for m in members)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path, sdist)
    (wheel,) = tmp_path.glob("*.whl")
    assert "targetexpr/grammar/targetexpr.lark" in zipfile.ZipFile(wheel).namelist()


def test_wheel_installs_and_parses_outside_the_checkout(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel)
    script = (
        "import targetexpr, targetexpr.parser.grammar as g;"
        "t = targetexpr.parse('≥99.9%'); d = targetexpr.parse('较上年增长5%');"
        "print(t, d, g.grammar_source(), g.parser_source(), targetexpr.__file__)"
    )
    out = _run(python, "-c", script, cwd=tmp_path).split()
    assert out[:2] == ["≥99.9%", "较上年增长5%"]
    assert out[2] == "package"
    assert out[3] == "tables"  # the wheel's prebuilt LALR tables, not a build at run time
    assert str(ROOT) not in out[4]
