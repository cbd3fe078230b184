"""The fast path: the common ``comparator? number magnitude? unit? suffix?`` cells and usual deadlines,
read without the grammar, to the same AST (tests/test_fast_path.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from .. import datafiles as _data
from ..errors import TargetError
from ..nodes import (
    CalendarDate,
    Comparison,
    Deadline,
    Op,
    Span,
    Unit,
    Value,
    trusted_comparison,
    trusted_value,
)
from ..options import ParseOptions
from ..values import trusted_quantity
from .comparators import ComparatorConflict, combine

# --- the fast path ------------------------------------------------------------------------------
#
# Most cells are "comparator? number magnitude? unit? suffix?" (≥99.9%, ≤400万元, 15个, 95%以上).
# This regular expression reads exactly those and builds the same AST the grammar would: it
# tokenises like Lark's lexer (the longest word first at each place), and hands every other text,
# and every text where the grammar reads something else (a year "2022年", a dotted date "2022.12"),
# to the grammar.  tests/test_fast_path.py checks that both paths agree on the corpus, the golden
# cases and generated texts.

_YEAR_NUMBER = re.compile(r"(?:19|20)[0-9]{2}")
_DOT_DATE_NUMBER = re.compile(r"(?:19|20)[0-9]{2}\.(?:0[1-9]|1[0-2])")
_TOKEN_ORDER = {"magnitude": 0, "unit": 1, "suffix": 2}


class _FastTables(NamedTuple):
    firsts: frozenset[str]  # what a text the fast path reads can start with
    prefixes: frozenset[str]
    kinds: dict[str, str]
    kind_lengths: dict[str, tuple[int, ...]]
    canonical: dict[str, str]
    ops: dict[str, str]
    head: re.Pattern[str]  # comparator word?, number, the rest: see _head_pattern


def _lengths_by_first(words: Iterable[str]) -> dict[str, tuple[int, ...]]:
    table: dict[str, set[int]] = {}
    for word in words:
        table.setdefault(word[0], set()).add(len(word))
    return {first: tuple(sorted(lengths, reverse=True)) for first, lengths in table.items()}


@functools.cache
def _fast_tables() -> _FastTables:
    comparators = _data.comparators()
    prefixes = frozenset(w for w, i in comparators.items() if i.position == "prefix")
    kinds: dict[str, str] = {}
    canonical: dict[str, str] = {}
    for word in _data.magnitudes():
        kinds[word] = "magnitude"
    for word, info in _data.units().items():
        if word != "月":  # a bare 月 is a month, not a unit
            kinds[word] = "unit"
            canonical[word] = info.canonical
    for word, cinfo in comparators.items():
        if cinfo.position == "suffix":
            kinds[word] = "suffix"
    ops = {word: cinfo.op for word, cinfo in comparators.items()}
    firsts = _ASCII_DIGITS | frozenset(w[0] for w in prefixes)
    return _FastTables(firsts, prefixes, kinds, _lengths_by_first(kinds), canonical, ops, _head_pattern(prefixes))


def _head_pattern(prefixes: Iterable[str]) -> re.Pattern[str]:
    """``comparator word? number`` and the rest of the text, in one match.

    Tokenised as Lark's contextual lexer does: the longest comparator word at the start (the words
    longest first, in an atomic group, so that a shorter word is never tried after the longest one
    failed), then the number.  A word that starts with a digit is left out: the text starts with
    its number then.
    """
    words = sorted((w for w in prefixes if w[0] not in _ASCII_DIGITS), key=lambda w: (-len(w), w))
    return re.compile(
        "(?>(" + "|".join(map(re.escape, words)) + "))?" + "(" + _FAST_NUMBER.pattern + ")(.*)", re.DOTALL
    )


_FAST_NUMBER = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,8})?")
_ASCII_DIGITS = frozenset("0123456789")
_NUMBER_AND_REST = re.compile(f"({_FAST_NUMBER.pattern})(.*)", re.DOTALL)


@functools.lru_cache(maxsize=1024)
def _fast_unit(unit_word: str | None, magnitude: str | None) -> Unit | None:
    if unit_word is not None:
        return Unit(_fast_tables().canonical[unit_word], magnitude or "")
    return Unit("", magnitude) if magnitude else None


@functools.lru_cache(maxsize=1024)
def _fast_op(op_word: str | None, suffix: str | None) -> Op | None:
    ops = _fast_tables().ops
    try:
        return combine(ops[op_word] if op_word is not None else None, ops[suffix] if suffix is not None else None)
    except ComparatorConflict:
        return None


class _Words(NamedTuple):
    """The words around the number of a common-shape text, read once per spelling (#11)."""

    unit: Unit | None
    op: Op | None  # None: a bare value (no comparator word, no suffix)
    year_unit: bool  # the unit is a word of years (2022年 is a year, not a duration)
    bare: bool  # no magnitude and no unit (2022.12 is a dotted date)


def _fast_tail(tail: str) -> tuple[str | None, str | None, str | None] | None:
    """The magnitude, unit and suffix words after the number (``万元``, ``%以上``, ``个``, nothing),
    tokenised as Lark's contextual lexer does here (at each place the longest word of the table),
    in that order; ``None`` when they are not that shape."""
    tables = _fast_tables()
    kinds = tables.kinds
    kind_lengths = tables.kind_lengths
    magnitude = unit_word = suffix = None
    last = -1
    pos = 0
    end = len(tail)
    while pos < end:
        for length in kind_lengths.get(tail[pos], ()):
            token = tail[pos : pos + length]
            kind = kinds.get(token)
            if kind is not None:
                break
        else:
            return None  # a character the fast path does not read: the grammar decides
        order = _TOKEN_ORDER[kind]
        if order <= last:
            return None  # "5万万", "5个元": not a shape the fast path reads
        last = order
        pos += len(token)
        if kind == "magnitude":
            magnitude = token
        elif kind == "unit":
            unit_word = token
        else:
            suffix = token
    return magnitude, unit_word, suffix


@functools.lru_cache(maxsize=4096)
def _fast_words(op_word: str | None, tail: str) -> _Words | None:
    """The unit and comparator of a comparator word and the words after the number, or ``None``
    when the fast path does not read them (contradictory comparators included: the grammar
    reports them with their position).  Memoised: a table's cells write a few hundred spellings
    around their numbers."""
    words = _fast_tail(tail)
    if words is None:
        return None
    magnitude, unit_word, suffix = words
    op = None
    if op_word is not None or suffix is not None:
        op = _fast_op(op_word, suffix)
        if op is None:
            return None
    year_unit = unit_word is not None and unit_word[0] == "年"
    return _Words(_fast_unit(unit_word, magnitude), op, year_unit, magnitude is None and unit_word is None)


def _fast(s: str, span: Span | None = None) -> Comparison | Value | None:
    """The AST of a common-shape text, or ``None`` to let the grammar read it.

    Tokenises as Lark's contextual lexer does here: at each place the longest word of the table.
    """
    if s[0] in _ASCII_DIGITS:  # no comparator word: the number and the rest, a simpler match
        m = _NUMBER_AND_REST.match(s)
        assert m is not None
        op_word = None
        number, tail = m.groups()
    else:
        m = _fast_tables().head.match(s)
        if m is None:
            return None
        op_word, number, tail = m.groups()
    words = _fast_words(op_word, tail)
    if words is None:
        return None
    if words.year_unit and _YEAR_NUMBER.fullmatch(number):
        return None  # "2022年" is a year
    if words.bare and _DOT_DATE_NUMBER.fullmatch(number):
        return None  # "2022.12" is a dotted date
    # The number has at most 15 digits before the point and 8 after it (_FAST_NUMBER), the unit
    # comes from the table, the span from the reader: all that Quantity and the nodes check.
    quantity = trusted_quantity(Decimal(number), words.unit)
    if words.op is None:
        return trusted_value(quantity, span)
    return trusted_comparison(words.op, quantity, span)


# Deadlines of the usual shapes ("2022年12月31日前", "2022年6月底前", "9月前", "年底前"), read as the
# grammar reads them (checked by tests/test_fast_path.py like the quantities above).
_FAST_DEADLINE = re.compile(
    r"(?:(?P<year>(?:19|20)[0-9]{2})年度?)?"
    r"(?:(?P<month>[0-9]{1,2})月(?:(?P<day>[0-9]{1,2})日)?)?"
    r"(?P<end>底|末)?(?P<before>" + "|".join(map(re.escape, _data.before_words())) + ")?"  # data/before_words.tsv
)
_DATE_LAST = frozenset("前日月年底末内")


def _fast_deadline(s: str, span: Span, ctx: ParseOptions) -> Deadline | None:
    """The Deadline of a usual-shape date text, or ``None`` to let the grammar read it."""
    for word, at_end in _data.year_ends().items():  # data/year_ends.tsv
        if s.startswith(word):
            rest = s[len(word) :]
            if rest and rest not in _data.before_words():
                return None
            inclusive = ctx.deadline_inclusive if rest else True
            return Deadline(CalendarDate(ctx.year, end=at_end), inclusive, span=span)
    m = _FAST_DEADLINE.fullmatch(s)
    if m is None:
        return None
    year_text, month_text, day_text, end, before = m.group("year", "month", "day", "end", "before")
    if year_text is None and month_text is None:
        return None  # "底前", "前": not a date
    if end is not None and day_text is not None:
        return None  # 底 after a day is an error: the grammar reports it with its position
    if year_text is None and end is not None and month_text is None:
        return None  # pragma: no cover - excluded by the two checks above
    year = int(year_text) if year_text is not None else ctx.year
    try:
        date = CalendarDate(
            year,
            int(month_text) if month_text is not None else None,
            int(day_text) if day_text is not None else None,
            end=end is not None,
        )
    except TargetError:
        return None  # an impossible date: the grammar reports it with its position
    inclusive = ctx.deadline_inclusive if before is not None else True
    return Deadline(date, inclusive, span=span)
