"""``parse()`` and ``analyze()``: target text in, AST out, or a clear error.

The pipeline for one cell:

1. type and length checks (:data:`MAX_LENGTH`), then :func:`~targetexpr.normalize`;
2. the qualitative vocabulary (``data/qualitative.tsv``): 及时, 持续改善, 不及时 …;
3. the Lark grammar (``grammar/targetexpr.lark``) for every quantitative form; a character the unit
   table does not list, where a unit is expected, is read as a classifier (``8盆``);
4. if the grammar fails: a cell with ``,``/``;``/``且`` is split into parts (a :class:`Compound` when one
   part is measurable); text that does not start like a quantitative target and contains words the
   grammar does not know becomes :class:`FreeText` (or an unclassified :class:`Qualitative` label);
   anything else is a :class:`TargetSyntaxError` that points at the problem;
5. with ``repair=True``, only when strict reading fails: the known extraction noise of
   ``data/noise.tsv`` is repaired, and every repair is reported by :func:`analyze`.
"""

from __future__ import annotations

import copy
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from . import _data
from ._comparators import ComparatorConflict, combine
from ._grammar import alphabet, get_parser, human_name
from .errors import TargetError, TargetLengthError, TargetSyntaxError, TargetValueError, brief
from .nodes import (
    CalendarDate,
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Masked,
    Op,
    Polarity,
    Qualitative,
    Quantity,
    Range,
    Span,
    Target,
    Unit,
    Value,
)
from .normalize import Normalized, normalize_with_map

__all__ = ["MAX_LENGTH", "Analysis", "Repair", "analyze", "parse", "parse_unit"]

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of
#: free text rarely passes 100).  Longer input raises :class:`TargetLengthError` before any parsing.
MAX_LENGTH = 256

_PLACEHOLDER = "\ue000"
# Unknown characters after a target that make it a typo rather than a sentence.
_TRAILING_TYPO = 2
_MAX_CLASSIFIER_RETRIES = 4
_DATE_ORDERS = ("ymd", "mdy", "dmy")


@attrs.frozen
class Repair:
    """One repair of extraction noise: what was at ``position`` in the original text, and what it became."""

    kind: str
    position: int
    before: str
    after: str
    message: str


@attrs.frozen
class Analysis:
    """Everything :func:`analyze` learnt about one target text.

    ``target`` is the AST, or ``None`` when ``error`` says why the text cannot be read.  ``repairs``
    lists the noise repairs made (``repair=True``); ``warnings`` lists doubts a reviewer should see
    (a value that may hide a misread ``≥``, a comparator that contradicts the indicator …).
    """

    text: str
    normalized: str
    target: Target | None
    error: TargetError | None = attrs.field(eq=False)
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the text was read (possibly after repairs)."""
        return self.target is not None


@functools.cache
def _cjk(c: str) -> bool:
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


_SYMBOL_START = frozenset("≥≤<>=≈")
_DIGITS = frozenset("0123456789")


@functools.cache
def _comparator_words() -> tuple[str, ...]:
    return tuple(
        sorted(
            (w for w, info in _data.comparators().items() if info.position == "prefix" and not w.isascii()),
            key=len,
            reverse=True,
        )
    )


def _starts_like_quantity(s: str) -> bool:
    """A comparator symbol first, or a comparator word followed by a number."""
    if s[0] in _SYMBOL_START:
        return True
    for word in _comparator_words():
        if s.startswith(word):
            rest = s[len(word) :]
            return bool(rest) and (rest[0] in _DIGITS or rest[0] in "零〇一二两三四五六七八九十百")
    return False


# Characters the grammar reads only in one narrow form: a text with one of them that the grammar
# cannot read is a sentence ("每年增长5%" is free text), not a malformed target.
_SENTENCE_CHARACTERS = frozenset("每")


def _has_unknown_words(s: str) -> bool:
    known = alphabet() - _SENTENCE_CHARACTERS
    return any(_cjk(c) and c not in known for c in s)


# --- the qualitative vocabulary ----------------------------------------------------------------

_TRAILING_PUNCT = "。.!！;；,，"


@functools.cache
def _negation_firsts() -> frozenset[str]:
    return frozenset(p[0] for p in _data.negations())


def _qualitative(s: str) -> Qualitative | None:
    label = s.rstrip(_TRAILING_PUNCT) or s
    vocab = _data.qualitative()
    entry = vocab.get(label)
    if entry is not None:
        return Qualitative(label, entry.category, Polarity(entry.polarity))
    if label[0] not in _negation_firsts():
        return None
    for prefix in _data.negations():
        if label.startswith(prefix) and len(label) > len(prefix):
            entry = vocab.get(label[len(prefix) :])
            if (
                entry is not None
                and entry.polarity == "positive"
                and entry.category
                not in (
                    "not_applicable",
                    "undetermined",
                    "no_incident",
                )
            ):
                return Qualitative(label, entry.category, Polarity.NEGATIVE)
    return None


# --- free text ----------------------------------------------------------------------------------


@functools.cache
def _quantity_scanner() -> re.Pattern[str]:
    units = sorted(_data.units(), key=len, reverse=True)
    mags = sorted(_data.magnitudes(), key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in units)
    mag_alt = "|".join(re.escape(m) for m in mags)
    return re.compile(rf"(?<![0-9.])(?P<num>[0-9]{{1,15}}(?:\.[0-9]{{1,8}})?)(?P<mag>{mag_alt})?(?P<unit>{unit_alt})?")


def _extract_quantities(s: str) -> tuple[Quantity, ...]:
    found = []
    for m in _quantity_scanner().finditer(s):
        number, mag, unit = m.group("num"), m.group("mag") or "", m.group("unit")
        before = s[m.start() - 1] if m.start() else ""
        if unit == "年" and re.fullmatch(r"(?:19|20)[0-9]{2}", number):
            continue  # a year, not a duration
        if before in ("年", "月") or (unit is None and not mag and m.end() < len(s) and s[m.end()] in "年月日号."):
            continue  # part of a date or a numbered list ("2.补助标准")
        info = _data.units().get(unit) if unit else None
        base = info.canonical if info else ""
        quantity_unit = None if not base and not mag else Unit(base, mag)
        found.append(Quantity(Decimal(number), quantity_unit))
    return tuple(found)


_SENTENCE_PUNCT = frozenset(",;:。、!?()\"'“”《》【】")


def _free(s: str, original: str) -> Target:
    if not any(c.isdigit() for c in s) and len(s) <= 12 and not (set(s) & _SENTENCE_PUNCT):
        return Qualitative(s, None, Polarity.POSITIVE)
    return FreeText(original, _extract_quantities(s))


# --- the grammar --------------------------------------------------------------------------------


class _Context:
    __slots__ = ("date_order", "deadline_inclusive", "fast", "year")

    def __init__(self, year: int | None, deadline_inclusive: bool, date_order: str, fast: bool = True) -> None:
        self.year = year
        self.deadline_inclusive = deadline_inclusive
        self.date_order = date_order
        self.fast = fast


@functools.lru_cache(maxsize=64)
def _context(year: int | None, deadline_inclusive: bool, date_order: str, fast: bool) -> _Context:
    return _Context(year, deadline_inclusive, date_order, fast)


def _syntax_error(norm: Normalized, start: int, end: int, reason: str, expected: frozenset[str]) -> TargetSyntaxError:
    original = norm.original
    o_start = norm.to_original(start)
    o_end = norm.to_original(end - 1) + 1 if end > start and end - 1 < len(norm.origin) else o_start + 1
    found = original[o_start:o_end] if o_start < len(original) else ""
    return TargetSyntaxError.at(original, o_start, reason, found=found, expected=expected)


def _expected(names: Any) -> frozenset[str]:
    return frozenset(human_name(n) for n in names or ())


def _lark_error(norm: Normalized, s: str, e: Exception) -> TargetSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(e, UnexpectedToken):
        token = e.token
        expected = _expected(getattr(e, "accepts", None) or e.expected)
        if token.type == "$END":
            return _syntax_error(norm, len(s), len(s), "unexpected end of input", expected)
        start = token.start_pos or 0
        end = token.end_pos if token.end_pos is not None else start + 1
        shown = s[start:end].replace(_PLACEHOLDER, "")
        return _syntax_error(norm, start, end, f"unexpected {shown!r}", expected)
    assert isinstance(e, UnexpectedCharacters)
    position = e.pos_in_stream or 0
    return _syntax_error(norm, position, position + 1, f"unexpected {s[position]!r}", _expected(e.allowed))


def _grammar(norm: Normalized, s: str, ctx: _Context) -> Target:
    """Parse ``s`` (a normalised text) with the grammar; raise TargetSyntaxError on failure."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, VisitError

    from ._transform import Builder, Context, SemanticError

    parser = get_parser()
    placeholders: dict[int, str] = {}
    text = s
    first_error: Exception | None = None
    for _ in range(_MAX_CLASSIFIER_RETRIES + 1):
        try:
            tree = parser.parse(text)
            break
        except UnexpectedCharacters as e:
            if first_error is None:
                first_error = e
            p = e.pos_in_stream or 0
            if "OTHER_UNIT" in (e.allowed or ()) and _cjk(text[p]) and text[p] not in alphabet():
                # A classifier the unit table does not list ("8盆"): read it as a count of 盆.
                placeholders[p] = text[p]
                text = text[:p] + _PLACEHOLDER + text[p + 1 :]
                continue
            raise _lark_error(norm, s, first_error) from None
        except UnexpectedInput as e:
            raise _lark_error(norm, s, first_error or e) from None
    else:  # pragma: no cover - more unknown classifiers than retries
        assert first_error is not None
        raise _lark_error(norm, s, first_error)
    builder = Builder(Context(ctx.year, ctx.deadline_inclusive, ctx.date_order, placeholders))
    try:
        result: Target = builder.transform(tree)
    except VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, SemanticError):
            raise _syntax_error(norm, inner.start, inner.end, inner.message, inner.expected) from None
        if isinstance(inner, TargetError):
            raise _syntax_error(norm, 0, len(s), str(inner), frozenset()) from None
        raise  # pragma: no cover - a bug: let it surface in tests
    return result


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
    prefix_lengths: dict[str, tuple[int, ...]]  # first character -> word lengths, longest first
    kinds: dict[str, str]
    kind_lengths: dict[str, tuple[int, ...]]
    canonical: dict[str, str]
    ops: dict[str, str]


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
    return _FastTables(firsts, prefixes, _lengths_by_first(prefixes), kinds, _lengths_by_first(kinds), canonical, ops)


_FAST_NUMBER = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,8})?")
_ASCII_DIGITS = frozenset("0123456789")


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


def _fast(s: str, span: Span | None = None) -> Comparison | Value | None:
    """The AST of a common-shape text, or ``None`` to let the grammar read it.

    Tokenises as Lark's contextual lexer does here: at each place the longest word of the table.
    """
    tables = _fast_tables()
    pos = 0
    op_word = None
    if s[0] not in _ASCII_DIGITS:
        for length in tables.prefix_lengths.get(s[0], ()):
            word = s[:length]
            if word in tables.prefixes:
                op_word = word
                pos = length
                break
        else:
            return None
    m = _FAST_NUMBER.match(s, pos)
    if m is None:
        return None
    number = m.group()
    pos = m.end()
    magnitude = unit_word = suffix = None
    last = -1
    kinds = tables.kinds
    end = len(s)
    kind_lengths = tables.kind_lengths
    while pos < end:
        for length in kind_lengths.get(s[pos], ()):
            token = s[pos : pos + length]
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
    if unit_word is not None and unit_word[0] == "年" and _YEAR_NUMBER.fullmatch(number):
        return None  # "2022年" is a year
    if magnitude is None and unit_word is None and _DOT_DATE_NUMBER.fullmatch(number):
        return None  # "2022.12" is a dotted date
    quantity = Quantity(Decimal(number), _fast_unit(unit_word, magnitude))
    if op_word is None and suffix is None:
        return Value(quantity, span=span)
    op = _fast_op(op_word, suffix)
    if op is None:
        return None  # contradictory comparators: the grammar reports them with their position
    return Comparison(op, quantity, span=span)


# Deadlines of the usual shapes ("2022年12月31日前", "2022年6月底前", "9月前", "年底前"), read as the
# grammar reads them (checked by tests/test_fast_path.py like the quantities above).
_FAST_DEADLINE = re.compile(
    r"(?:(?P<year>(?:19|20)[0-9]{2})年度?)?"
    r"(?:(?P<month>[0-9]{1,2})月(?:(?P<day>[0-9]{1,2})日)?)?"
    r"(?P<end>底|末)?(?P<before>前|之前|以前)?"
)
_YEAR_END_WORDS = {
    "年底": True,
    "年末": True,
    "本年底": True,
    "年内": False,
    "本年度内": False,
    "年度内": False,
    "当年": False,
    "本年内": False,
}
_DATE_LAST = frozenset("前日月年底末内")


def _fast_deadline(s: str, span: Span, ctx: _Context) -> Deadline | None:
    """The Deadline of a usual-shape date text, or ``None`` to let the grammar read it."""
    for word, at_end in _YEAR_END_WORDS.items():
        if s.startswith(word):
            rest = s[len(word) :]
            if rest and rest not in ("前", "之前", "以前"):
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


# --- compound cells -----------------------------------------------------------------------------


def _split_points(s: str) -> list[int]:
    """Positions of top-level ',' and ';' that separate targets (not thousands separators); where
    there are none, of top-level 且 ("≥95%且≤100%": a label such as 未达成年度指标且效果较差 stays whole
    inside a list)."""
    return _separators(s, ",;") or _separators(s, "且")


def _separators(s: str, separators: str) -> list[int]:
    points = []
    depth = 0
    for i, c in enumerate(s):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth = max(0, depth - 1)
        elif c in separators and depth == 0:
            if c == "," and 0 < i < len(s) - 1 and s[i - 1].isdigit() and s[i + 1].isdigit():
                continue  # 1,000 (or a malformed number: never a separator between two digits)
            points.append(i)
    return points


_MEASURABLE = ("comparison", "value", "range", "deadline", "period", "relative", "masked")


def _sub(norm: Normalized, start: int, end: int) -> Normalized:
    """The part [start, end) of a normalised text, keeping positions in the whole original."""
    return Normalized(norm.text[start:end], norm.origin[start:end], norm.original)


def _compound(norm: Normalized, ctx: _Context, points: list[int]) -> Target | None:
    bounds = [-1, *points, len(norm.text)]
    parts: list[Target] = []
    for a, b in itertools.pairwise(bounds):
        if b - a <= 1:
            continue
        sub = _sub(norm, a + 1, b)
        parts.append(_read(sub, ctx, allow_split=False))
    if len(parts) >= 2 and any(p.kind in _MEASURABLE for p in parts):
        return Compound(tuple(parts))
    return None


# --- reading one (part of a) cell ---------------------------------------------------------------


def _span(norm: Normalized) -> Span:
    origin = norm.origin
    if not origin:
        return Span(0, 0)
    return Span(origin[0], origin[-1] + 1)


def _original_slice(norm: Normalized) -> str:
    span = _span(norm)
    return norm.original[span.start : span.end]


def _two_readings(s: str, ctx: _Context) -> tuple[str, str] | None:
    """``">70%≥70%"``: one cell read twice with different comparators (DOMAIN.md §2.3)."""
    for i in range(1, len(s)):
        if s[i] in _SYMBOL_START and s[i - 1] not in _SYMBOL_START:
            first, second = s[:i], s[i:]
            try:
                a = _grammar(normalize_with_map(first), first, ctx)
                b = _grammar(normalize_with_map(second), second, ctx)
            except TargetSyntaxError:
                continue
            if isinstance(a, Comparison) and isinstance(b, Comparison) and a.quantity == b.quantity and a.op != b.op:
                return first, second
    return None


def _noise_hint(s: str, ctx: _Context) -> str | None:
    readings = _two_readings(s, ctx)
    if readings is not None:
        return (
            f"This looks like two readings of one cell ({readings[0]!r} and {readings[1]!r}); "
            "they differ in whether the bound itself counts, so it cannot be repaired: check the source."
        )
    for rule in _data.noise():
        if re.search(rule.pattern, s):
            return f"This looks like extraction noise: {rule.message}; parse(..., repair=True) repairs it."
    if _duplicated(s) is not None:
        return "This looks like one value repeated in two cells; parse(..., repair=True) keeps one."
    return None


def _duplicated(s: str) -> str | None:
    half, odd = divmod(len(s), 2)
    if not odd and half and s[:half] == s[half:]:
        return s[:half]
    return None


def _read(norm: Normalized, ctx: _Context, *, allow_split: bool = True) -> Target:
    s = norm.text
    quality = _qualitative(s)
    if quality is not None:
        return attrs.evolve(quality, span=_span(norm))
    if ctx.fast:
        quick: Target | None = _fast(s, _span(norm)) if s[0] in _fast_tables().firsts else None
        if quick is None and s[-1] in _DATE_LAST:
            quick = _fast_deadline(s, _span(norm), ctx)
        if quick is not None:
            return quick
    try:
        target = _grammar(norm, s, ctx)
        return attrs.evolve(target, span=_span(norm))
    except TargetSyntaxError as error:
        if allow_split:
            points = _split_points(s)
            if points:
                compound = _compound(norm, ctx, points)
                if compound is not None:
                    return attrs.evolve(compound, span=_span(norm))
        hint = _noise_hint(s, ctx)
        if hint is not None:
            raise TargetSyntaxError.at(
                error.text, error.position, error.reason, found=error.found, expected=error.expected, hint=hint
            ) from None
        if _starts_like_quantity(s) or not _has_unknown_words(s):
            raise
        stop = norm.origin.index(error.position) if error.position in norm.origin else 0
        if stop > 0 and len(s) - stop <= _TRAILING_TYPO:
            # A complete-looking target with a stray character at the end ("2022年12月31日後"):
            # a typo, not a sentence.
            raise
        return attrs.evolve(_free(s, _original_slice(norm)), span=_span(norm))


# --- repairs ------------------------------------------------------------------------------------


def _repair(norm: Normalized) -> tuple[Normalized, tuple[Repair, ...]]:
    text = list(norm.text)
    origin = list(norm.origin)
    repairs: list[Repair] = []
    for rule in _data.noise():
        current = "".join(text)
        pieces: list[str] = []
        new_origin: list[int] = []
        last = 0
        for m in re.finditer(rule.pattern, current):
            pieces.append(current[last : m.start()])
            new_origin.extend(origin[last : m.start()])
            replacement = m.expand(rule.replacement)
            pieces.append(replacement)
            anchor = origin[m.start()] if m.start() < len(origin) else len(norm.original)
            new_origin.extend([anchor] * len(replacement))
            repairs.append(
                Repair(
                    rule.name,
                    anchor,
                    norm.original[anchor : origin[m.end() - 1] + 1] if m.end() > m.start() else "",
                    replacement,
                    rule.message,
                )
            )
            last = m.end()
        pieces.append(current[last:])
        new_origin.extend(origin[last:])
        text = list("".join(pieces))
        origin = new_origin
    joined = "".join(text)
    single = _duplicated(joined)
    if single is not None:
        half = len(single)
        repairs.append(
            Repair(
                "repeated_value",
                origin[half],
                norm.original[origin[half] :],
                "",
                f"the value {single!r} was repeated in two cells; one copy kept",
            )
        )
        joined = single
        origin = origin[:half]
    return Normalized(joined, tuple(origin), norm.original), tuple(repairs)


# --- warnings -----------------------------------------------------------------------------------


def _quantities_of(target: Target) -> list[Quantity]:
    if isinstance(target, (Comparison, Value)):
        return [target.quantity]
    if isinstance(target, Range):
        return [target.low, target.high]
    if isinstance(target, Compound):
        return [q for part in target.parts for q in _quantities_of(part)]
    return []


def _warnings(target: Target) -> tuple[str, ...]:
    found = []
    for q in _quantities_of(target):
        if q.unit is not None and q.unit.base == "%" and Decimal(200) <= q.value < Decimal(300):
            digits = format(q.value, "f")
            rest = digits[1:]
            if digits.startswith("2") and rest and Decimal(rest) <= 100:
                found.append(f"{q} is above 100%: possibly '≥{rest}%' with ≥ misread as 2 in extraction (not repaired)")
    return tuple(found)


# --- default unit -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def parse_unit(text: str) -> Unit:
    """Read a unit written on its own (``"万元"``, ``"%"``, ``"元/亩"``, ``"人次"``): for ``default_unit=``."""
    norm = normalize_with_map(text).text
    if not norm:
        raise TargetValueError("a unit cannot be empty")
    try:
        target = parse("1" + norm)
    except TargetSyntaxError as e:
        raise TargetValueError(f"{brief(text)} is not a unit: {e.reason}") from None
    if not isinstance(target, Value) or target.quantity.value != 1 or target.quantity.unit is None:
        raise TargetValueError(f"{brief(text)} is not a unit")
    return target.quantity.unit


def _with_default_unit(target: Target, unit: Unit) -> Target:
    def fill(q: Quantity) -> Quantity:
        if q.unit is None:
            return Quantity(q.value, unit)
        if q.unit.base == "" and unit.base:
            return Quantity(q.value, Unit(unit.base, q.unit.prefix, unit.per))
        return q

    if isinstance(target, Comparison):
        return attrs.evolve(target, quantity=fill(target.quantity))
    if isinstance(target, Value):
        return attrs.evolve(target, quantity=fill(target.quantity))
    if isinstance(target, Range):
        return attrs.evolve(target, low=fill(target.low), high=fill(target.high))
    if isinstance(target, Masked) and target.unit is None:
        return attrs.evolve(target, unit=unit)
    if isinstance(target, Compound):
        return attrs.evolve(target, parts=tuple(_with_default_unit(p, unit) for p in target.parts))
    return target


# --- public entry points ------------------------------------------------------------------------


def _check_options(year: object, date_order: object, deadline_inclusive: object) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2099):
        raise TargetValueError(f"year must be an int from 1900 to 2099, not {brief(year)}")
    if not isinstance(date_order, str) or date_order not in _DATE_ORDERS:
        raise TargetValueError(f"date_order must be one of {', '.join(_DATE_ORDERS)}, not {brief(date_order)}")
    if not isinstance(deadline_inclusive, bool):
        raise TargetValueError("deadline_inclusive must be True or False")


_BAD_CHARACTERS = {
    "Cc": (
        "control character",
        "control characters (other than spaces, tabs and line breaks) have no place in a target value",
    ),
    "Cs": (
        "lone surrogate",
        "a lone surrogate is not valid Unicode: the text was decoded with errors='surrogateescape' "
        "or 'surrogatepass'; decode the source strictly",
    ),
    "Co": (
        "private-use character",
        "a private-use character usually comes from a PDF font whose glyphs do not map to text: "
        "extract the text again, or replace the character",
    ),
}


def _too_long(text: str) -> TargetLengthError | None:
    if len(text) <= MAX_LENGTH:
        return None
    return TargetLengthError(
        f"a target text may have at most {MAX_LENGTH} characters; this one has {len(text)}",
        length=len(text),
        limit=MAX_LENGTH,
    )


def _check_default_unit(default_unit: object) -> None:
    if default_unit is not None and not isinstance(default_unit, (str, Unit)):
        raise TargetValueError(f"default_unit must be text or a Unit, not {type(default_unit).__name__}")


def _bad_character(text: str) -> TargetSyntaxError | None:
    """The first character no target value can contain: a control character, a lone surrogate or
    a private-use character (the grammar's own placeholder is one, so a PDF glyph such as U+E000
    must never be read as a unit)."""
    if text.isprintable():  # the usual case, at C speed
        return None
    for i, c in enumerate(text):
        if c.isprintable() or c.isspace():
            continue
        category = unicodedata.category(c)
        if category in _BAD_CHARACTERS:
            what, hint = _BAD_CHARACTERS[category]
            return TargetSyntaxError.at(text, i, f"{what} U+{ord(c):04X}", found=c, hint=hint)
    return None


@functools.lru_cache(maxsize=8192)
def _analyze(
    text: str,
    year: int | None,
    repair: bool,
    default_unit: str | Unit | None,
    deadline_inclusive: bool,
    date_order: str,
    *,
    fast: bool = True,
) -> Analysis:
    """Everything about one text (memoised: the results are immutable).  ``fast=False`` turns the
    fast path off, so that tests and the benchmark can compare both paths.  Callers check the
    length first (:func:`_too_long`), so that over-long texts are never memoised."""
    error: TargetError | None = _too_long(text) or _bad_character(text)
    if error is not None:
        return Analysis(text, "", None, error)
    norm = normalize_with_map(text)
    if not norm.text:
        error = TargetSyntaxError.at(text, 0, "empty target", found="", expected=frozenset({"a target value"}))
        return Analysis(text, "", None, error)
    ctx = _context(year, deadline_inclusive, date_order, fast)
    repairs: tuple[Repair, ...] = ()
    try:
        try:
            target = _read(norm, ctx)
        except TargetSyntaxError:
            if not repair:
                raise
            repaired, repairs = _repair(norm)
            if not repairs:
                raise
            target = _read(repaired, ctx)
        if default_unit is not None:
            unit = default_unit if isinstance(default_unit, Unit) else parse_unit(default_unit)
            target = _with_default_unit(target, unit)
    except TargetError as e:
        return Analysis(text, norm.text, None, e, repairs)
    return Analysis(text, norm.text, target, None, repairs, _warnings(target))


def analyze(
    text: str,
    *,
    year: int | None = None,
    repair: bool = True,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
) -> Analysis:
    """Read ``text`` and report everything: the target or the error, the repairs, the warnings.

    Unlike :func:`parse` it does not raise for unreadable text (the error is in
    :attr:`Analysis.error`), and it repairs known extraction noise by default.  Options are those
    of :func:`parse`.

    >>> a = analyze("≥40 ↑")
    >>> str(a.target), [r.kind for r in a.repairs]
    ('≥40个', ['arrow_for_ge'])
    """
    if not isinstance(text, str):
        raise TargetValueError(f"a target text must be str, not {type(text).__name__}")
    _check_options(year, date_order, deadline_inclusive)
    _check_default_unit(default_unit)
    # Checked before the memo: caching long texts would let hostile input hold memory.
    too_long = _too_long(text)
    if too_long is not None:
        return Analysis(text, "", None, too_long)
    return _analyze(str(text), year, bool(repair), default_unit, deadline_inclusive, date_order)


def parse(
    text: str,
    *,
    year: int | None = None,
    repair: bool = False,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
) -> Target:
    """Parse a target value (指标值) into its AST.

    Args:
        text: the cell text, as written (full-width characters, spaces and symbol variants are fine).
        year: the budget year, for dates that omit it (``年底前``, ``6月底前``); without it such a
            date keeps ``year=None``.
        repair: repair known PDF/web extraction noise (``≥40 ↑``, ``12月月31日``) instead of
            rejecting it; :func:`analyze` reports each repair.
        default_unit: unit for values written without one (``43.2`` in a table whose header says
            ``单位:万元``), e.g. ``"万元"``.
        deadline_inclusive: whether "X前" includes day X (default ``True``: on or before X).
        date_order: how to read ``12/31/2021``: ``"mdy"`` or ``"dmy"``; the default ``"ymd"``
            accepts only year-first dates and rejects the ambiguous form.

    Raises:
        TargetSyntaxError: the text cannot be read; the error has the column and what was expected.
        TargetLengthError: the text is longer than :data:`MAX_LENGTH`.
        TargetValueError: ``text`` is not a string, or an option is invalid.

    >>> parse("≥99.9%")
    Comparison(op=<Op.GE: '≥'>, quantity=Quantity(value=Decimal('99.9'), unit=Unit(base='%', prefix='', per=())))
    >>> str(parse("不低于 ９５ ％"))
    '≥95%'
    """
    if text.__class__ is not str:
        raise TargetValueError(f"a target text must be str, not {type(text).__name__}")
    if year is not None or date_order != "ymd" or deadline_inclusive is not True:
        _check_options(year, date_order, deadline_inclusive)
    if default_unit is not None:
        _check_default_unit(default_unit)
    too_long = _too_long(text)
    if too_long is not None:
        raise too_long  # before the memo: over-long texts are never held
    # The memoised reading: a repeated cell costs one cache lookup.
    analysis = _analyze(text, year, repair is True, default_unit, deadline_inclusive, date_order)
    if analysis.error is not None:
        # A fresh copy each time, so that re-raising a cached error never grows its traceback.
        raise copy.copy(analysis.error)
    assert analysis.target is not None
    return analysis.target
