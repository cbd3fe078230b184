"""Reading one cell or part of a cell: vocabulary, fast path, grammar, compound split, noise hints, free text."""

from __future__ import annotations

import functools
import itertools
import re
from typing import TypeVar

import attrs

from .. import datafiles as _data
from ..errors import TargetSyntaxError
from ..i18n import say
from ..nodes import (
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Polarity,
    Qualitative,
    Range,
    Relative,
    Span,
    Target,
    Value,
    Words,
)
from ..options import ParseOptions
from . import lark_errors
from .classify import (
    _CLAUSE_BREAKS,
    _SYMBOL_START,
    _TRAILING_PUNCT,
    _cjk,
    _free,
    _has_unknown_words,
    _qualitative,
    _qualitative_firsts,
    _refuse_name_like,
    _starts_like_quantity,
    cyclic_deadline,
    numbered_label,
)
from .context import _name_words, months_text
from .core import _NUMERALS, Tried, _try, _unit_words, find_cores
from .fast import _DATE_LAST, _fast, _fast_deadline
from .lalr import Failed
from .lark_errors import _grammar_quietly, _parses, syntax_error
from .normalize import Normalized, normalize_with_map, restore_case
from .numerals import whole_number
from .repair import _duplicated, noise_message

_T = TypeVar("_T", bound=Target)

# Unknown characters after a target that make it a typo rather than a sentence.
_TRAILING_TYPO = 2


# --- compound cells -----------------------------------------------------------------------------


def _split_points(s: str) -> list[int]:
    """Positions of top-level ',' and ';' that separate targets (not thousands separators); where
    there are none, of top-level 且 ("≥95%且≤100%": a label such as 未达成年度指标且效果较差 stays whole
    inside a list)."""
    if "," not in s and ";" not in s and "且" not in s:
        return []  # the usual cell, at C speed
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


#: An item's number before a part of a numbered list (``1:≥95%;2:有所提升``).
_ITEM = re.compile(r"([0-9]{1,2})[:.、)](?![0-9])")


def _compound(norm: Normalized, ctx: ParseOptions, points: list[int]) -> Target | None:
    bounds = [-1, *points, len(norm.text)]
    spans = [(a + 1, b) for a, b in itertools.pairwise(bounds) if b - a > 1]
    items = [_ITEM.match(norm.text, a) for a, _ in spans]
    if all(items) and [int(m.group(1)) for m in items if m] == list(range(1, len(spans) + 1)):
        # A numbered list (1:…;2:…;3:…): the items' numbers are no part of the targets.
        spans = [(m.end(), b) for m, (_, b) in zip(items, spans, strict=True) if m]
    if any(a >= b for a, b in spans):
        return None  # an item with nothing after its number (1、≥95%;2、)
    parts: list[Target] = []
    for a, b in spans:
        parts.append(_read(_sub(norm, a, b), ctx, allow_split=False))
    if len(parts) >= 2 and any(p.kind in _MEASURABLE for p in parts):
        return Compound(tuple(parts))
    return None


def _split_first(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """The compound reading of a cell with top-level separators, tried before the whole text (issue
    #11): the grammar has no top-level ``,`` ``;`` or ``且`` (its only COMMA is inside brackets, which
    do not split), so such a text never parses whole, and its syntax error need not be built."""
    points = _split_points(norm.text)
    if not points:
        return None
    try:
        compound = _compound(norm, ctx, points)
    except TargetSyntaxError:
        if _is_sentence(norm.text):
            return None  # a part without a number that no grammar reads: the whole is a sentence
        raise
    return _located(compound, norm) if compound is not None else None


def _listed(norm: Normalized, ctx: ParseOptions, separator: str) -> Target | None:
    """``1600人、200人``, ``≥225户、≥1800户``, ``≤600立方/≤120天/2人``: targets listed with 、 or /
    (as the indicator's name lists what they count), each part with a number and each read as a
    measurable target that says what it measures (a unit, a comparator, a date): ``None`` otherwise
    (a label lists its qualities with 、; 、 and / join the denominators of a unit, which the grammar
    reads first; 1/2, 6/30, 1、2月, 100、200万元 are no lists of targets)."""
    s = norm.text
    points = _separators(s, separator)
    if any(0 < p < len(s) - 1 and s[p - 1].isdigit() and s[p + 1].isdigit() for p in points):
        return None
    spans = list(itertools.pairwise([-1, *points, len(s)]))
    if not all(any(c.isdigit() or c in _NUMERALS for c in s[a + 1 : b]) for a, b in spans):
        return None  # checked before any part is read (元/人向补助对象: no list); 三十四个 is a number
    parts: list[Target] = []
    for a, b in spans:
        try:
            node = _read(_sub(norm, a + 1, b), ctx, allow_split=False)
        except TargetSyntaxError:
            return None
        quantity = getattr(node, "quantity", None)
        if node.kind not in _MEASURABLE or (node.kind == "value" and quantity is not None and quantity.unit is None):
            return None  # a bare number is no item of a list (100、200万元: one unit for both)
        if not any(c.isdigit() for c in s[a + 1 : b]) and not _known_count(node):
            return None  # Chinese numerals alone name things (一级、二级; 三甲、二甲; 一类、二类)
        parts.append(node)
    return _located(Compound(tuple(parts)), norm) if len(parts) >= 2 else None


def _full_stop_after(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``1次/2个月。``: a target the grammar reads whole before a closing 。, with the 。 as its words
    (as ``≥95%。`` has), before the 。 could make the cell look like a list of two; ``None`` else."""
    node = _parses(norm.text[:-1], ctx)
    if not isinstance(node, Comparison | Value | Range) or node.words is not None:
        return None
    return _located(attrs.evolve(node, words=Words("", "。")), norm)


def _known_count(node: Target) -> bool:
    """Whether ``node``, written in Chinese numerals only, is a bound on a quantity of a unit in
    ``data/units.tsv`` (三十个以上): a bare 一类, 二级 or 三甲 is a name, not a count."""
    return isinstance(node, Comparison) and node.quantity.unit is not None and node.quantity.unit.base in _data.units()


#: A count named in brackets after the number, as the unit column beside it: ``≥100.00(人数)``.
_NAMED_COUNT = re.compile(r"(.*[0-9])\(([^()0-9]{1,4}数)\)")


def _named_count(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``≥100.00(人数)``: the number with the unit its bracketed name counts (≥100.00人), as ``95(%)``
    is 95%; ``None`` for any other text."""
    m = _NAMED_COUNT.fullmatch(norm.text)
    unit = dict(_name_words()).get(m.group(2)) if m is not None else None  # data/name_hints.tsv
    if m is None or unit is None:
        return None
    node = _parses(m.group(1) + unit, ctx)
    return _located(node, norm) if node is not None and node.kind in ("value", "comparison") else None


@functools.cache
def _joined() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {r[0]: r[1] for r in _data.table_rows("joined_denominators.tsv", 2)}
    return re.compile("/(" + "|".join(map(re.escape, table)) + ")"), table


def _joined_per(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``≤400元/人天``: denominators side by side (``data/joined_denominators.tsv``) read as written
    with · (``≤400元/人·天``); ``None`` when the cell has none or does not read so."""
    pattern, table = _joined()
    if pattern.search(norm.text) is None:
        return None
    node = _parses(pattern.sub(lambda m: "/" + table[m.group(1)], norm.text), ctx)
    return _located(node, norm) if node is not None and node.kind in _MEASURABLE else None


# --- reading one (part of a) cell ---------------------------------------------------------------


def _span(norm: Normalized) -> Span:
    origin = norm.origin
    if not origin:
        return _span_of(0, 0)
    return _span_of(origin[0], origin[-1] + 1)


#: Spans shared (immutable, their hash cached): a cell's span is one of a few hundred.
_span_of = functools.lru_cache(maxsize=1024)(Span)


def _located(node: _T, norm: Normalized) -> _T:
    """``node`` with its place in the original text (``span``) and that text as written (``written``)."""
    span = _span(norm)
    return attrs.evolve(node, span=span, written=norm.original[span.start : span.end])


def _placed(node: _T, norm: Normalized) -> _T:
    """:func:`_located` for a node the grammar has just built and no one has seen: set in place (an
    evolve runs every validator of the node again)."""
    span = _span(norm)
    object.__setattr__(node, "span", span)
    object.__setattr__(node, "written", norm.original[span.start : span.end])
    return node


def _original_slice(norm: Normalized) -> str:
    span = _span(norm)
    return norm.original[span.start : span.end]


def _two_readings(s: str, ctx: ParseOptions, tried: Tried | None = None) -> tuple[str, str] | None:
    """``">70%≥70%"``: one cell read twice with different comparators (DOMAIN.md §2.3)."""
    for i in range(1, len(s)):
        if s[i] in _SYMBOL_START and s[i - 1] not in _SYMBOL_START:
            first, second = s[:i], s[i:]
            a = _try(first, ctx, tried)
            b = _try(second, ctx, tried) if a is not None else None
            if a is None or b is None:
                continue
            if isinstance(a, Comparison) and isinstance(b, Comparison) and a.quantity == b.quantity and a.op != b.op:
                return first, second
    return None


@functools.cache
def _noise_patterns() -> tuple[tuple[re.Pattern[str], _data.NoiseRule], ...]:
    """The noise rules with their patterns compiled once (``re.search`` looks each up in its cache)."""
    return tuple((re.compile(rule.pattern), rule) for rule in _data.noise())


def _noise_hint(s: str, ctx: ParseOptions, tried: Tried | None = None) -> str | None:
    readings = _two_readings(s, ctx, tried)
    if readings is not None:
        return say(
            "This looks like two readings of one cell ({first} and {second}); "
            "they differ in whether the bound itself counts, so it cannot be repaired: check the source.",
            first=repr(readings[0]),
            second=repr(readings[1]),
        )
    for pattern, rule in _noise_patterns():
        if pattern.search(s):
            return say(
                "This looks like extraction noise: {noise}; parse(..., repair=True) repairs it.",
                noise=noise_message(rule.message),
            )
    if _duplicated(s) is not None:
        return say("This looks like one value repeated in two cells; parse(..., repair=True) keeps one.")
    return None


#: The shortest clause that makes a text without a digit a sentence rather than a placeholder (万元,公顷).
_SENTENCE_CLAUSE = 4
#: The fewest Chinese characters that make one clause a word rather than a stray character (公平).
_SENTENCE_WORD = 2


def _is_sentence(s: str) -> bool:
    """Whether ``s``, which the grammar cannot read, is words without a number: one clause of two
    Chinese characters or more, one at least not of the grammar's own words (公平, 平安,
    预算资金及时足额到位), or clauses (加强管理,提高效益,增加收入), even when every character of it
    is one the grammar knows.  The grammar's words (units, baselines, comparators, change and
    deadline words) are no words here: 万元万元,万元 is a placeholder repeated, 不低于 or 较上年 a
    target with its number left out."""
    if any(c.isdigit() for c in s) or _starts_like_quantity(s):
        return False
    clauses = [c for c in _CLAUSE_BREAKS.split(s) if c]
    words = [sum(map(_cjk, _grammar_words().sub("", c))) for c in clauses]
    if len(words) == 1:
        return words[0] > 0 and sum(map(_cjk, clauses[0])) >= _SENTENCE_WORD
    return len(words) >= 2 and min(words) > 0 and max(words) >= _SENTENCE_CLAUSE


@functools.cache
def _grammar_words() -> re.Pattern[str]:
    """The grammar's own words: those of the data files it is built on, and the Chinese words its
    terminals match literally (较, 持平, 有所 …)."""
    from .grammar import get_tables

    literals = (str(t.pattern.value) for t in get_tables().terminals.values() if t.pattern.type == "str")
    words = {
        *(w for w in literals if any(map(_cjk, w))),
        *"零〇一二两三四五六七八九十百千",  # Chinese numerals: 百分百, 一年内完成 name a number
        *_data.units(),
        *_data.magnitudes(),
        *_data.references(),
        *_data.comparators(),
        *_data.changes(),
        *_data.before_words(),
    }
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _read_usual(s: str, span: Span, ctx: ParseOptions, written: str) -> Target | None:
    """The reading of a usual cell, without the grammar: a qualitative word, a common quantity or a
    usual deadline (the fast path); ``None`` for the rest.  ``s`` is the normalised text, ``span``
    its place in the original and ``written`` the cell as written (the node's ``written``).  The
    node is new: no one has seen it."""
    if s[0] in _qualitative_firsts():  # the usual cell starts no word: no call (#11)
        quality = _qualitative(s)
        if quality is not None:
            return attrs.evolve(quality, span=span, written=written)
    if not ctx.fast:
        return None
    quick: Target | None = _fast(s, span)
    if quick is None and s[-1] in _DATE_LAST:
        quick = _fast_deadline(s, span, ctx)
    if quick is not None:
        # A node the fast path has just built and no one has seen: give it the cell as written in place
        # (an evolve would cost a tenth of the parse).
        object.__setattr__(quick, "written", written)
    return quick


def _after_nature(norm: Normalized, ctx: ParseOptions, allow_split: bool) -> Target | None:
    """``定性 优``: the 指标性质 column's word before a qualitative value in one cell (the columns read
    together), read as the value, the cell as written kept on the node, with the 度量单位 column's
    word after it left out (``定性 优 级``, ``定性 优 %``: a label has no unit); before a relative
    target without a number (``定性 较上年提升``), kept as its words; before a sentence without a
    number, the whole cell is the qualitative label (the column says so; it reads back the same).
    ``None`` for any other text (a core with a number keeps the word as its words: ``定量≥5个``)."""
    s = norm.text
    word = next((w for w in _data.nature_words() if s.startswith(w)), None)
    if word is None or word == s.rstrip(_TRAILING_PUNCT):
        return None
    start = len(s) - len(s[len(word) :].lstrip(":：/、"))  # 定性：优, 定性/优
    value = s[len(word) :].lstrip(":：")
    if value.rstrip(_TRAILING_PUNCT + "。") == "/" and _set_apart(norm.original, word):
        start = len(s) - len(value)  # 定性 /, 定性：/: the value column's / (not applicable)
    if start == len(s) or _spill_pattern().fullmatch(s, start):
        _refuse_name_like(word, _original_slice(norm))  # 定性 级, 定性 %: the columns hold no value
    end = len(s) - _spilled_unit(s[start:])
    if end < len(s) and not norm.original[norm.origin[end] - 1].isspace():
        end = len(s)  # 提升认知度: the unit column's word stands apart (定性 优 级), never inside a word
    try:
        rest = _read(_sub(norm, start, end), ctx, allow_split=allow_split)
    except TargetSyntaxError:
        return None
    if rest.kind == "qualitative":
        return _located(rest, norm)
    if isinstance(rest, FreeText) and not rest.quantities and not rest.dates and word.startswith("定性"):
        # 定性 扩大政务新媒体的影响力…: a sentence the 指标性质 column says is the qualitative target
        return _located(Qualitative(restore_case(_sub(norm, 0, end)), None, Polarity.POSITIVE), norm)
    if end < len(s):
        return None  # a unit after anything but a label (定量 5 个) is read as written
    if isinstance(rest, Relative) and rest.words is None:
        return _located(attrs.evolve(rest, words=Words(_original_slice(_sub(norm, 0, len(word))), "")), norm)
    return None


def _set_apart(original: str, word: str) -> bool:
    """Whether the nature word opening ``original`` is set apart from what follows by a space or a
    colon (定性 /, 定性：/), not run into it (定性/: perhaps the 定性/定量 header cut short)."""
    rest = original.lstrip()[len(word) :]
    return rest[:1].isspace() or rest[:1] in ":："


@functools.cache
def _spill_pattern() -> re.Pattern[str]:
    """A word of the 度量单位 column at the end of a text: a unit of ``data/units.tsv`` (after a
    magnitude or not: 万元) or a spill word of ``data/name_like.tsv`` (其他, 级)."""
    spills = "|".join(re.escape(word) for where, word, _ in _data.name_like() if where == "spill")
    return re.compile(f"(?:{_unit_words().pattern}|{spills})$")


def _spilled_unit(rest: str) -> int:
    """The length of the unit column's word that ends ``rest`` after a word of its own (定性 优 级:
    1), or 0; the caller checks that a space sets it apart in the cell as written."""
    m = _spill_pattern().search(rest)
    return len(m.group()) if m is not None and m.start() > 0 else 0


#: A frequency written period first, without 每: "一年一次", "2小时一次", "一年不超过2次", "一年2-3次",
#: "一日三次": the count of periods, the period, and what the grammar reads after 每 and a period
#: (a count of things with any comparator, or a range).
_PERIOD_FIRST = re.compile(
    r"(?P<n>[0-9]{1,3}|[一二两三四五六七八九十]{1,3})?(?P<p>个?(?:小时|天|日|周|星期|季度|年|学期|学年|月)|半年)"
    r"(?P<c>.+)"
)


def _period_first(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``一年一次``, ``2小时一次``, ``一年不超过2次``: a frequency with its period first and no 每, read
    as written with 每 (``每年一次``: 1次/年) where that reads as a count of things per the period;
    ``None`` for any other text (``2月一次``, ``1月一次``: a month's name; ``1年3个月``: a duration;
    ``一年5万元``: an amount, not a frequency)."""
    bare = norm.text.rstrip(_TRAILING_PUNCT) or norm.text
    m = _PERIOD_FIRST.fullmatch(bare)
    if m is None or not (
        m.group("c")[:1].isdigit() or m.group("c")[:1] in _NUMERALS or _starts_with_comparator(m.group("c"))
    ):
        return None
    number, period = m.group("n") or "", m.group("p")
    if period in ("月", "半年") and number not in ("", "一"):
        return None  # 2月, 1月: a month's name
    if number in ("1", "一"):  # 一年一次 is 每年一次
        number = ""
    node = _parses("每" + number + period + m.group("c"), ctx)
    if not isinstance(node, Comparison | Value | Range):
        return None
    unit = (node.low if isinstance(node, Range) else node.quantity).unit
    info = _data.units().get(unit.base) if unit is not None else None
    if unit is None or not unit.base or (info is not None and info.dimension != "count"):
        return None  # counts of things only (a known classifier or one the table does not list)
    return _located(node, norm)


@functools.cache
def _prefix_comparators() -> tuple[str, ...]:
    """The comparator words and symbols written before a number (``data/comparators.tsv``)."""
    return tuple(w for w, info in _data.comparators().items() if info.position == "prefix")


def _starts_with_comparator(text: str) -> bool:
    return text.startswith(_prefix_comparators())


# A month and a day with a point, the day in two digits (6.30, 12.01): 6.30前 is 6月30日前.  6.3前 or
# 1.5前 may be a decimal: not read so.
_DOTTED_MONTH_DAY = re.compile(r"(?P<m>1[0-2]|0?[1-9])\.(?P<d>[0-3][0-9])(?P<rest>.+)")


def _dotted_month_day(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``6.30前``, ``12.31前完成``, ``6.30前到位``, ``6.30前(含)``: a month and a day written with a point
    before a before-word (data/before_words.tsv), read as ``6月30日前…`` by the whole reader (a number is
    never before 前 alone); ``None`` for any other text, or a day that month has not (``2.30前``
    keeps the grammar's error)."""
    m = _DOTTED_MONTH_DAY.fullmatch(norm.text)
    if m is None or not m.group("rest").startswith(_data.before_words()):
        return None
    try:
        node = _read(normalize_with_map(f"{int(m.group('m'))}月{int(m.group('d'))}日{m.group('rest')}"), ctx)
    except TargetSyntaxError:
        return None
    return _located(node, norm) if isinstance(node, Deadline) else None


# 半 before a length of time: 半年, 半小时, 半个月; 一个半月, 两个半小时 (a number before 半 takes 个,
# and never before 年: 两个半年 is two half-years, a year and a half is 一年半).
_HALF = re.compile(
    r"(?:(?P<n>[0-9]{1,2}|[一二两三四五六七八九十]{1,3})个)?半"
    r"(?P<unit>个?小时|个?月|个?工作日|天|日|年|周|分钟)(?P<rest>.+)"
)


def _half(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``半年内``, ``半小时内到达现场``, ``一个半月内``: a length of time with 半 (a half) and a bound,
    read as the same text with its exact number (``0.5年内``: ``≤0.5年``) by the whole reader, so
    words after the bound are taken or refused as after any number; ``None`` for any other text
    (``半年`` alone, ``上半年``: a date, ``半年一次``: a frequency, ``两个半年``)."""
    m = _HALF.fullmatch(norm.text)
    if m is None or (m.group("n") and m.group("unit") == "年"):
        return None
    number = whole_number(m.group("n") or "0")
    if number is None:
        return None
    unit = "个月" if m.group("unit").endswith("月") else m.group("unit").removeprefix("个")  # 半个小时: 0.5小时
    try:
        node = _read(normalize_with_map(f"{number}.5{unit}{m.group('rest')}"), ctx)
    except TargetSyntaxError:
        return None
    if not isinstance(node, Comparison | Range):
        return None  # a bound only
    return _located(node, norm)


def _months_counted(norm: Normalized, ctx: ParseOptions) -> Target | None:
    """``≤24月``, ``36月``: a count of months (``≤24个月``), there being no 24th month; ``None`` for
    any other text (``≤12月`` is by December)."""
    text = months_text(norm.text, above=12)
    node = _parses(text, ctx) if text is not None else None
    return _located(node, norm) if node is not None else None


def _read(norm: Normalized, ctx: ParseOptions, *, allow_split: bool = True) -> Target:
    if norm.text.endswith("月") and norm.text[-2:-1].isdigit():
        counted = _months_counted(norm, ctx)
        if counted is not None:
            return counted
    if norm.text.startswith(_data.nature_words()):
        nature = _after_nature(norm, ctx, allow_split)
        if nature is not None:
            return nature
    span = _span(norm)
    usual = _read_usual(norm.text, span, ctx, norm.original[span.start : span.end])
    if usual is not None:
        return usual
    s = norm.text
    labelled = numbered_label(s, _original_slice(norm))  # 7×24小时全天候: not 7 per 24 hours, no core in 24小时
    if labelled is None and "每" in s:
        labelled = cyclic_deadline(s, _original_slice(norm))  # 每月10日前: not 10 days a month
    if labelled is not None:
        return _located(labelled, norm)
    split_first = allow_split and not lark_errors._LEGACY
    if split_first:
        compound = _split_first(norm, ctx)
        if compound is not None:
            return compound
    target = _grammar_quietly(norm, s, ctx)
    if not isinstance(target, Failed):
        return _placed(target, norm)
    if allow_split and not split_first:
        compound = _split_first(norm, ctx)
        if compound is not None:
            return compound
    stopped = _full_stop_after(norm, ctx) if s.endswith("。") else None  # 1次/2个月。: not 1次 / 2个月。
    if stopped is not None:
        return stopped
    dotted = _dotted_month_day(norm, ctx) if s[:1].isdigit() and "." in s[1:3] else None
    if dotted is None and "半" in s[:4]:
        dotted = _half(norm, ctx)
    if dotted is not None:
        return dotted
    named = _named_count(norm, ctx) if s.endswith("数)") else (_joined_per(norm, ctx) if "/" in s else None)
    if named is None and _PERIOD_FIRST.match(s) is not None:
        named = _period_first(norm, ctx)
    if named is not None:
        return named
    for separator in "、/" if allow_split else "":
        listed = _listed(norm, ctx, separator) if separator in s else None
        if listed is not None:
            return listed
    # The texts this cell's search parses, known once each: the whole text has just failed.
    tried: Tried = {s: None}
    cores = find_cores(norm, ctx, tried)  # may refuse a core with an error of its own (a unit after a date)
    if cores is not None:
        return _located(cores, norm)
    error = syntax_error(norm, s, target)  # built only now: a cell with a core never needs it
    hint = _noise_hint(s, ctx, tried)
    if hint is not None:
        raise error.with_hint(hint) from None
    if _is_sentence(s):
        return _located(_free(s, _original_slice(norm), restore_case(norm)), norm)
    if _starts_like_quantity(s) or not _has_unknown_words(s):
        raise error
    stop = norm.origin.index(error.position) if error.position in norm.origin else 0
    if stop > 0 and len(s) - stop <= _TRAILING_TYPO:
        # A complete-looking target with a stray character at the end ("2022年12月31日後"):
        # a typo, not a sentence.
        raise error
    return _located(_free(s, _original_slice(norm), restore_case(norm)), norm)
