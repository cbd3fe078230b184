"""Loads the data tables in ``targetexpr/data/`` once, into read-only mappings.

Every table is a tab-separated file whose header comment documents its format.  Tables are read
with :mod:`importlib.resources`, so they work from a wheel, an editable install or a zip.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import RuleSetError, brief
from .i18n import say

if TYPE_CHECKING:  # pragma: no cover
    from fractions import Fraction

# tomllib, fractions and importlib.resources are imported where they are needed, so that
# `import targetexpr` and the first parse stay fast (docs/performance.md).

__all__ = [
    "BandName",
    "UnitInfo",
    "aliases",
    "bands",
    "before_words",
    "changes",
    "comparators",
    "magnitudes",
    "negations",
    "noise",
    "package_bytes",
    "qualitative",
    "references",
    "rule_set_data",
    "rule_set_names",
    "table_rows",
    "units",
    "work_done",
    "year_ends",
]


def package_bytes(*parts: str) -> bytes | None:
    """The bytes of a file inside the installed package (``None`` if it has no such file).

    Read through the package's loader, as :func:`pkgutil.get_data` does: that works for plain and
    zipped installs and costs no import, where :mod:`importlib.resources` costs about 20 ms to
    import (a third of the cold-start budget, docs/performance.md).
    """
    spec = __spec__
    loader = spec.loader if spec is not None else None
    get_data = getattr(loader, "get_data", None)
    if spec is not None and spec.origin is not None and get_data is not None:
        path = os.path.join(os.path.dirname(spec.origin), *parts)
        try:
            data: bytes = get_data(path)
        except OSError:
            return None
        return data
    from importlib import resources  # pragma: no cover - loaders without get_data

    resource = resources.files("targetexpr").joinpath(*parts)  # pragma: no cover
    return resource.read_bytes() if resource.is_file() else None  # pragma: no cover


def _read(name: str) -> str:
    data = package_bytes("data", name)
    if data is None:  # pragma: no cover - a broken installation
        raise RuntimeError(f"targetexpr cannot find its data file data/{name}")
    return data.decode("utf-8")


def table_rows(name: str, columns: int) -> list[list[str]]:
    """The rows of ``data/<name>``: tab-separated cells, comment (``#``) and blank lines skipped.

    The one reader of the data tables; each table's own cached accessor (here or in the module
    that uses it) shapes its rows. A row with fewer than ``columns`` cells is a broken data file.
    """
    rows = []
    for lineno, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < columns:
            raise RuntimeError(f"data/{name} line {lineno}: expected {columns} columns, got {cells!r}")
        rows.append(cells)
    return rows


class BandName(NamedTuple):
    """The names of one band (``data/bands.tsv``)."""

    short: str
    full: str


@functools.cache
def bands() -> Mapping[str, BandName]:
    """Band value (``"met"``, ``"partial"``, ``"not_met"``) → its names (``data/bands.tsv``)."""
    return MappingProxyType({band: BandName(short, full) for band, short, full in table_rows("bands.tsv", 3)})


@functools.cache
def changes() -> Mapping[str, str]:
    """Change word → ``"up"`` or ``"down"`` (``data/changes.tsv``)."""
    table = {}
    for word, change in table_rows("changes.tsv", 2):
        if change not in ("up", "down"):
            raise RuntimeError(f"data/changes.tsv: {word} has change {change!r}, not up or down")
        table[word] = change
    return MappingProxyType(table)


@functools.cache
def before_words() -> tuple[str, ...]:
    """Words after a date that make it a deadline (``data/before_words.tsv``), longest first."""
    return tuple(sorted((word for (word,) in table_rows("before_words.tsv", 1)), key=len, reverse=True))


@functools.cache
def year_ends() -> Mapping[str, bool]:
    """Year-deadline word → whether it means the end of the year (``data/year_ends.tsv``)."""
    table = {}
    for word, end in table_rows("year_ends.tsv", 2):
        if end not in ("yes", "no"):
            raise RuntimeError(f"data/year_ends.tsv: {word} has end {end!r}, not yes or no")
        table[word] = end == "yes"
    return MappingProxyType(table)


@functools.cache
def after_dates() -> Mapping[str, str]:
    """Words after a date that make it the start of something, not a deadline → the characters
    after which a one-character word is part of another word (``data/after_dates.tsv``)."""
    return MappingProxyType({word: part_of for word, part_of, _note in table_rows("after_dates.tsv", 3)})


@functools.cache
def ten_days() -> Mapping[str, int | None]:
    """旬 word → the last day of that part of a month, ``None`` for the month's end (``data/ten_days.tsv``)."""
    table: dict[str, int | None] = {}
    for word, last in table_rows("ten_days.tsv", 2):
        if last != "end" and not last.isdigit():
            raise RuntimeError(f"data/ten_days.tsv: {word} has last day {last!r}, not a day or end")
        table[word] = None if last == "end" else int(last)
    return MappingProxyType(table)


class UnitInfo(NamedTuple):
    """One unit spelling: its canonical spelling, dimension and exact factor (as written in the table)."""

    canonical: str
    dimension: str
    factor_text: str

    @property
    def factor(self) -> Fraction:
        """The exact factor, as a :class:`~fractions.Fraction`."""
        return _fraction(self.factor_text)


@functools.cache
def _fraction(text: str) -> Fraction:
    from fractions import Fraction

    return Fraction(text)


@functools.cache
def units() -> Mapping[str, UnitInfo]:
    """Unit spelling -> :class:`UnitInfo` (``data/units.tsv``)."""
    table = {row[0]: UnitInfo(row[1], row[2], row[3]) for row in table_rows("units.tsv", 4)}
    return MappingProxyType(table)


@functools.cache
def magnitudes() -> Mapping[str, int]:
    """Magnitude word -> factor (``data/magnitudes.tsv``)."""
    return MappingProxyType({row[0]: int(row[1]) for row in table_rows("magnitudes.tsv", 2)})


class ComparatorInfo(NamedTuple):
    """One comparator word: where it stands and what it means."""

    position: str
    op: str
    basis: str


@functools.cache
def comparators() -> Mapping[str, ComparatorInfo]:
    """Comparator word -> :class:`ComparatorInfo` (``data/comparators.tsv``)."""
    return MappingProxyType(
        {row[0]: ComparatorInfo(row[1], row[2], row[3]) for row in table_rows("comparators.tsv", 4)}
    )


@functools.cache
def references() -> Mapping[str, str]:
    """Baseline word -> reference (``data/references.tsv``)."""
    return MappingProxyType({row[0]: row[1] for row in table_rows("references.tsv", 2)})


@functools.cache
def aliases() -> Mapping[str, str]:
    """Alias -> replacement (``data/aliases.tsv``)."""
    table = {row[0]: row[1] for row in table_rows("aliases.tsv", 2)}
    for source, target in table.items():
        if len(target) > len(source):
            raise RuntimeError(f"data/aliases.tsv: alias {source!r} -> {target!r} grows the text")
    return MappingProxyType(table)


class VocabEntry(NamedTuple):
    """One qualitative label: its category and polarity."""

    category: str
    polarity: str


@functools.cache
def qualitative() -> Mapping[str, VocabEntry]:
    """Qualitative label -> :class:`VocabEntry` (``data/qualitative.tsv``)."""
    return MappingProxyType({row[0]: VocabEntry(row[1], row[2]) for row in table_rows("qualitative.tsv", 3)})


class NameUnit(NamedTuple):
    """One row of ``data/name_units.tsv``: a word of an indicator's name and the unit dimension it implies."""

    contains: str
    dimension: str
    at_most_100: bool


@functools.cache
def name_units() -> tuple[NameUnit, ...]:
    """Words of indicator names that imply a unit dimension (``data/name_units.tsv``)."""
    return tuple(NameUnit(r[0], r[1], r[2] == "yes") for r in table_rows("name_units.tsv", 3))


@functools.cache
def nature_words() -> tuple[str, ...]:
    """The 指标性质 words of ``data/name_like.tsv`` (定性, 定量指标 …), longest first."""
    words = (word for where, word, what in name_like() if where == "whole" and what == "nature")
    return tuple(sorted(words, key=len, reverse=True))


@functools.cache
def name_like() -> tuple[tuple[str, str, str], ...]:
    """``(where, word, what)`` rows of ``data/name_like.tsv``: value cells that are a question, a name
    or the 指标性质 word, not a target."""
    return tuple((r[0], r[1], r[2]) for r in table_rows("name_like.tsv", 3))


@functools.cache
def work_done() -> tuple[str, ...]:
    """Words of an answer that say whether the work itself is done (``data/work_done.tsv``)."""
    return tuple(r[0] for r in table_rows("work_done.tsv", 2))


@functools.cache
def bare_leads() -> tuple[str, ...]:
    """Words after which a bare number ending a cell is its core (``data/bare_leads.tsv``)."""
    return tuple(r[0] for r in table_rows("bare_leads.tsv", 2))


@functools.cache
def qualifiers() -> tuple[tuple[str, bool], ...]:
    """Words before a qualitative label that keep its meaning, longest first, each with whether it
    makes the claim partial (``data/qualifiers.tsv``: 基本提高, 大幅提高)."""
    rows = [(row[0], row[1] == "partial") for row in table_rows("qualifiers.tsv", 2)]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@functools.cache
def aside_source() -> str:
    """The regular expression of a bracketed aside after a target's core whose numbers are not a
    target (``(满分5分)``, ``(百分制)``): a word of ``data/asides.tsv``, then at most a number and a
    short unit, never a comparator or 率 (``(满分率≥30%)`` is a target).  Also the JSON Schema's
    pattern for the words (``data/target.schema.json``; a test compares them)."""
    words = sorted((r[0] for r in table_rows("asides.tsv", 2)), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, words))
    return r"\((?:" + alternatives + r")(?:[为:]?[0-9]{1,6}(?:\.[0-9]{1,4})?[^0-9()≥≤<>=率]{0,3})?\)"


@functools.cache
def aside_pattern() -> re.Pattern[str]:
    """:func:`aside_source`, compiled."""
    return re.compile(aside_source())


@functools.cache
def means_leads() -> tuple[str, ...]:
    """Words that open a lead clause of means before a qualitative target (``data/means_leads.tsv``:
    通过本项目实施,有效提高…), longest first."""
    return tuple(sorted((r[0] for r in table_rows("means_leads.tsv", 2)), key=len, reverse=True))


@functools.cache
def negations() -> tuple[str, ...]:
    """Negation prefixes, longest first (``data/negations.tsv``)."""
    return tuple(sorted((row[0] for row in table_rows("negations.tsv", 1)), key=len, reverse=True))


class NoiseRule(NamedTuple):
    """One known noise pattern and its repair."""

    name: str
    pattern: str
    replacement: str
    message: str


@functools.cache
def noise() -> tuple[NoiseRule, ...]:
    """Known extraction noise (``data/noise.tsv``)."""
    return tuple(NoiseRule(*row[:4]) for row in table_rows("noise.tsv", 4))


@functools.cache
def rule_set_names() -> tuple[str, ...]:
    """Names of the rule sets shipped in ``data/rules/``."""
    from importlib import resources

    folder = resources.files("targetexpr").joinpath("data", "rules")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.cache
def _rule_set_raw(name: str) -> Mapping[str, Any]:
    if name not in rule_set_names():
        message = say("unknown rule set {name}; shipped: {names}", name=brief(name), names=", ".join(rule_set_names()))
        raise RuleSetError(message, name=name[:100])
    import tomllib
    from importlib import resources

    text = resources.files("targetexpr").joinpath("data", "rules", f"{name}.toml").read_text(encoding="utf-8")
    return MappingProxyType(tomllib.loads(text))


def rule_set_data(name: str) -> dict[str, Any]:
    """The parsed TOML of a shipped rule set (a fresh copy each call)."""
    import copy

    return copy.deepcopy(dict(_rule_set_raw(name)))
