"""The measurable core of a wordy cell: ``完成河道清淤320米``, ``6月底前到位``, ``服务对象满意率达90%以上。``.

When a cell does not read as a whole, it is searched, left to right, for the longest parts that do
read as a measurable target (a comparison, value, range, deadline, period or relative target).
What lies around them are its words, kept on the node (:class:`~targetexpr.nodes.Words`) and
rendered back, never dropped:

* one core: the node with the words before and after it (``完成河道清淤320米`` →
  ``Value(320米, words=Words("完成河道清淤", ""))``);
* several cores with words between them, or a date beside a quantity (``10月底完成100%``): a
  :class:`~targetexpr.nodes.Compound` of the cores, each carrying the words that follow it.

It refuses, so that the reader raises its usual error or hint: words that are not words (``≥40 ↑``,
``250-``), a single stray character (``2022年12月31日後``, ``工8%``; short words beside a core are
listed in ``data/core_words.tsv``), two readings of one quantity side by side (``>70%≥70%``), and a
list number (``2.补助标准为:…``) or a Chinese numeral against a core (``2个三级1个二级``, columns run
together), which leave the cell free text.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

import attrs

from .. import datafiles as _data
from ..errors import TargetSyntaxError
from ..i18n import say
from ..nodes import Compound, Quantity, Target, Unit, Words
from ..options import ParseOptions
from ..units import dimension
from .classify import _SYMBOL_START, _TITLE, _TRAILING_PUNCT, _cjk, _comparator_words
from .fast import _fast, _fast_tables
from .grammar import alphabet
from .lark_errors import _parses
from .normalize import Normalized, restore_case

__all__ = ["Tried", "find_cores"]

_MEASURABLE = frozenset({"comparison", "value", "range", "deadline", "period", "relative"})
_DATES = frozenset({"deadline", "period"})
#: Punctuation that may stand among the words (never - / % . or digits: they belong to numbers).
_PUNCTUATION = frozenset("。,，;；:：、()（）[]“”\"'《》【】!！?？·")
_DATE_ENDS = frozenset("前底末内成")
_NUMERALS = frozenset("零〇一二两三四五六七八九十百千")
_LIST_NUMBER = re.compile(r"[0-9]{1,2}[.、)](?![0-9])")
#: At most this many parses per cell: a wordy cell is searched, a long sentence is not.
_MAX_TRIES = 96


@functools.cache
def _short_words() -> frozenset[str]:
    return frozenset(r[0] for r in _data.table_rows("core_words.tsv", 2))


@functools.cache
def _refusals() -> tuple[str, ...]:
    return tuple(r[0] for r in _data.table_rows("core_refusals.tsv", 2))


@functools.cache
def _next_year_words() -> tuple[str, ...]:
    return tuple(r[0] for r in _data.table_rows("next_year_words.tsv", 2))


_WRITTEN_YEAR = re.compile(r"[0-9]{4}(?:年|[.\-/])")


def _next_year_word(before: str) -> str | None:
    """The word of ``data/next_year_words.tsv`` that ``before`` ends with (a 的 after it aside)."""
    bare = before.removesuffix("的")
    return next((w for w in _next_year_words() if bare.endswith(w)), None)


def _next_year_suffix(before: str) -> str:
    """What of ``before`` names the next year (次年, 次年的), or ``""``: the words a moved date takes."""
    word = _next_year_word(before)
    return "" if word is None else before[before.removesuffix("的").rfind(word) :]


def _in_next_year(node: Any, before: str, written: str, k: int) -> Any:
    """A date core after 次年 (``data/next_year_words.tsv``) moved to the year after the evaluated
    one (a deadline, or both ends of a period); ``None`` (not read) where no year is given to count
    from, or the date has a year of its own, recurs, is not the cell's first core, or the words
    name the next year twice.  Any other core as it is."""
    taken = _next_year_suffix(before) if node.kind in _DATES else ""
    if not taken:
        return node
    rest = before.removesuffix(taken)
    if k or getattr(node, "recurring", False) or _WRITTEN_YEAR.search(written) or _next_year_word(rest):
        return None
    if not _word_ok(rest):
        return None  # 于次年3月底前: the words left (于) would not stand beside the core read back
    if node.kind == "deadline":
        if node.date.year is None:
            return None
        return attrs.evolve(node, date=attrs.evolve(node.date, year=node.date.year + 1))
    if node.start.year is None or node.end.year is None:
        return None
    start, end = (attrs.evolve(d, year=d.year + 1) for d in (node.start, node.end))
    return attrs.evolve(node, start=start, end=end)


def _refuse_next_year(norm: Normalized, before: str, node: Target, ctx: ParseOptions) -> None:
    """次年2月份前 with no evaluated year: refused, saying what is missing (a guess would take the
    evaluated year itself)."""
    word = _next_year_word(before)
    if word is None or ctx.year is not None or node.kind not in _DATES:
        return
    reason = say("{word} counts from the evaluated year, which is not given", word=word)
    hint = say("Pass the evaluated year (year=2024): 次年2月份前 is then February 2025.")
    raise TargetSyntaxError.at(norm.original, norm.to_original(len(before) - len(word)), reason, found=word, hint=hint)


def _starts_after_date(after: str) -> bool:
    """Whether the words after a date core start with a word of ``data/after_dates.tsv``, not as
    the first character of another word (12月后完成 is after December; 12月后续完成 by December)."""
    for word, part_of in _data.after_dates().items():
        if after.startswith(word):
            following = after[len(word) : len(word) + 1]
            if part_of == "*":  # 初: only before the end, punctuation, a before-word or 完成
                rest = after[len(word) :]
                if not following or not _cjk(following) or rest.startswith((*_data.before_words(), "完成")):
                    return True
            elif not following or following not in part_of:
                return True
    return False


_TIME_DIMENSIONS = frozenset({"time", "workday", "calendar"})


def _a_duration(core: Target, *, per: bool = False) -> bool:
    """Whether ``core`` is a length of time (``每月10日``: 10 days a month; ``3个月``); with ``per``,
    only one in each period (``每月10日``)."""
    quantity = getattr(core, "quantity", None)
    if not isinstance(quantity, Quantity) or dimension(quantity.unit).base not in _TIME_DIMENSIONS:
        return False
    return not per or bool(quantity.unit is not None and quantity.unit.per)


def _names_a_rate(text: str, end: int) -> bool:
    """Whether the change word ending at ``end`` is part of a rate's name (降低率, 增长率): 率 follows."""
    return text.startswith("率", end)


def _refused_word(words: str) -> bool:
    """Whether ``words`` hold a refusal word anywhere but where 率 follows it: a rate's name
    (安全隐患降低率10%, 增长率) names what the core measures; it is no change."""
    for w in _refusals():
        at = words.find(w)
        while at >= 0:
            if not _names_a_rate(words, at + len(w)):
                return True
            at = words.find(w, at + 1)
    return False


@functools.cache
def _suffix_words() -> tuple[str, ...]:
    return tuple(w for w, info in _data.comparators().items() if info.position == "suffix" and not w.isascii())


def _changes_meaning(before: str, after: str, core: Target | None = None) -> bool:
    """Words that would change what the core means: a change or baseline word anywhere, a comparator
    word right against the core (``≥95%以下``, ``不低于`` left of a core the grammar did not take).
    达到/达/控制在 before a core with its own comparator (``达到≥95%``, ``控制在≤5%``) only announce it."""
    if "(" in after:
        after = _data.aside_pattern().sub("", after)  # 4.8分(满分5分)以上: the aside is no word here
    words = before + "|" + after
    if _refused_word(words):
        return True
    if core is not None and (core.kind in _DATES or _a_duration(core)) and _starts_after_date(after):
        return True  # 在2023年6月之后, 2024年1月起, 每月10日以后, 3个月后完成: a start, not a deadline or a length
    if core is not None and _a_duration(core, per=True) and after.startswith(_data.before_words()):
        return True  # 未在每月10日前发放: a day of each month before 前 is a deadline, never 10天/个月
    if after.startswith(_suffix_words()):
        return True
    if core is not None and core.kind == "comparison" and before.endswith(_announcing_words()):
        return False
    # 节约47.06万千瓦时: a listed word that ends in a comparator's character (约) is no comparator.
    return before.endswith(_comparator_words()) and not before.endswith(_long_short_words())


@functools.cache
def _long_short_words() -> tuple[str, ...]:
    return tuple(w for w in _short_words() if len(w) > 1)


@functools.cache
def _announcing_words() -> tuple[str, ...]:
    """The comparator words that take their meaning from what follows (达到 reach, 控制在 control)."""
    return tuple(w for w, info in _data.comparators().items() if info.op in ("reach", "control"))


@functools.cache
def _starts() -> tuple[str, ...]:
    references = tuple(w for w in _data.references() if not w.isascii())
    return tuple(sorted({*_comparator_words(), *references, *_data.changes(), "较"}, key=len, reverse=True))


@functools.cache
def _starts_by_first() -> dict[str, tuple[str, ...]]:
    """:func:`_starts` by their first character (a cell's every character is looked up: #11)."""
    table: dict[str, list[str]] = {}
    for word in _starts():
        table.setdefault(word[0], []).append(word)
    return {first: tuple(words) for first, words in table.items()}


def _may_start(s: str, i: int) -> bool:
    c = s[i]
    if c.isdigit():
        return i == 0 or not (s[i - 1].isdigit() or s[i - 1] == ".")
    if c in _SYMBOL_START or c in "±¥":
        return i == 0 or s[i - 1] not in _SYMBOL_START
    words = _starts_by_first().get(c)
    return words is not None and any(s.startswith(w, i) for w in words)


def _latin(c: str) -> bool:
    return "a" <= c <= "z"


def _is_words(text: str) -> bool:
    """Chinese words and punctuation, with Latin letters only among at least two Chinese characters
    (``AI分析设备``, ``RFID读卡器``: names; ``abc8%`` is garbled)."""
    latin = sum(1 for c in text if "a" <= c <= "z")
    if latin and sum(1 for c in text if _cjk(c)) < 2:
        return False
    return all(_cjk(c) or c in _PUNCTUATION or "a" <= c <= "z" for c in text)


#: A classifier in brackets after a count, naming it another way: 1个(项), 5处(个).
_ALTERNATIVE = re.compile(r"\([^\x00-\x7f()]{1,2}\)")
_PLAIN = ParseOptions()


def _asides(s: str) -> frozenset[int]:
    """The positions inside bracketed asides (``(满分5分)``, ``data/asides.tsv``), inside titles
    (``《…2030…》``) and inside the listed words of two characters or more (``节约``): no core starts
    there."""
    found: set[int] = set()
    if "(" in s:
        found.update(i for m in _data.aside_pattern().finditer(s) for i in range(m.start(), m.end()))
    if "《" in s:
        found.update(i for m in _TITLE.finditer(s) for i in range(m.start(), m.end()))
    # 节约47.06万千瓦时: no core at the 约 of 节约
    found.update(i for m in _long_words_pattern().finditer(s) for i in range(m.start() + 1, m.end()))
    return frozenset(found)


@functools.cache
def _long_words_pattern() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(_long_short_words(), key=len, reverse=True))))


def _word_ok(text: str) -> bool:
    """Words that may stand beside a core: punctuation only, two Chinese characters or more, a
    listed short word, or a bracketed aside (``(满分5分)``)."""
    if not text:
        return True
    if "(" in text and _data.aside_pattern().search(text):
        return _word_ok(_data.aside_pattern().sub("", text))  # (满分5分)。, (满分100分)优秀
    if _ALTERNATIVE.fullmatch(text) and _parses("1" + text[1:-1], _PLAIN) is not None:
        return True  # 1个(项): the other classifier the count may be named by
    if not _is_words(text):
        return False
    letters = sum(1 for c in text if _cjk(c))
    return letters == 0 or letters >= 2 or text.strip("".join(_PUNCTUATION)) in _short_words()


def _counted_noun(word: str, cores: list[tuple[int, int, Target]], k: int, s: str) -> bool:
    """One Chinese character right after a count that ends with its classifier (``≥230个村``,
    ``≥158栋楼``, ``105宗地``): the noun the classifier counts, as Chinese writes a number, a
    classifier and a noun.  Not a character the grammar spells that is no count (内, 以, 亿, 点, 半,
    多, 元, 年: ``3个亿``, ``完成3项内容``), nor one of ``data/not_nouns.tsv`` (或, 和, 等); after
    anything else a single character is a typo or garbled (``2022年12月31日後``)."""
    if k == 0 or len(word) != 1 or not _cjk(word) or word in _NUMERALS or word in _not_nouns():
        return False
    _, end, node = cores[k - 1]
    quantity = getattr(node, "quantity", None)
    if not isinstance(quantity, Quantity) or not dimension(quantity.unit).base.startswith("count:"):
        return False
    if quantity.unit is None or not quantity.unit.base.endswith(s[end - 1]):
        return False  # 完成3项内容: the core took 内 after its classifier
    return word not in alphabet() or dimension(_unit_of(word)).base.startswith("count:")


@functools.cache
def _not_nouns() -> frozenset[str]:
    return frozenset(r[0] for r in _data.table_rows("not_nouns.tsv", 2))


def _unit_of(word: str) -> Any:
    """The unit ``word`` spells in ``data/units.tsv``, or ``None``."""
    entry = _data.units().get(word)
    return None if entry is None else Unit(entry.canonical)


#: The readings of the texts already tried for one cell (``None``: the grammar rejects it).
Tried = dict[str, Target | None]


def _try(text: str, ctx: ParseOptions, tried: Tried | None) -> Target | None:
    """:func:`_parses` of ``text``, once per cell: a pure function of the text and the options, and
    a cell's search meets the same text more than once (the whole cell, which the reader has just
    parsed; the two halves of the noise hint, which are also candidate cores)."""
    if tried is None:
        return _parses(text, ctx)
    if text in tried:
        return tried[text]
    node = tried[text] = _parses(text, ctx)
    return node


def _longest_at(
    norm: Normalized, i: int, ctx: ParseOptions, budget: list[int], tried: Tried | None = None
) -> tuple[int, Target] | None:
    """The longest text from ``i`` that reads as a measurable target, and where it ends (each try
    counts against ``budget``, whether ``tried`` knows it or not)."""
    s = norm.text
    end = len(s)
    fast = ctx.fast and s[i] in _fast_tables().firsts
    while end > i and budget[0] > 0:
        budget[0] -= 1
        part = s[i:end]
        node: Target | None = _fast(part) if fast else None
        if node is None:
            node = _try(part, ctx, tried)
            if node is None:
                # One character shorter each time: the grammar reports the first problem, which is
                # not always where the longest reading ends (0盆以外。 fails first at 盆, read
                # through the classifier placeholder only when the text goes on to 以外).
                end -= 1
                continue
        if (
            node.kind in _MEASURABLE
            and (_has_unit_or_date(node) or _bare_at_end(s, i, end, node))
            and not _cuts_a_word(s, end, node)
            and not (node.kind == "relative" and _names_a_rate(s, end))  # 降低率: a rate's name
        ):
            return end, node
        end -= 1
    return None


@functools.cache
def _tenth() -> re.Pattern[str]:
    """The grammar's own terminal for 成 (a tenth unless it starts a word: 成本, 成果 …)."""
    from .grammar import get_tables

    return re.compile(get_tables().terminals["CHENG"].pattern.to_regexp())


def _cuts_a_word(s: str, end: int, node: Target) -> bool:
    """Whether a core ending at ``end`` takes the 成 of a word as its unit (``指标1成本控制率``): in
    the core alone 成 is a tenth, in the whole cell the grammar would not read it so."""
    if s[end - 1] != "成" or _tenth().match(s, end - 1) is not None:
        return False
    last = getattr(node, "quantity", None) or getattr(node, "high", None) or getattr(node, "amount", None)
    return isinstance(last, Quantity) and last.unit is not None and last.unit.base == "成"


def _bare_at_end(s: str, i: int, end: int, node: Target) -> bool:
    """A bare number that ends the cell after a word that names what it measures (``投诉率为0``,
    ``安全事故发生率0``, ``覆盖率达到100``: ``data/bare_leads.tsv``), or after any words with a
    comparator of its own (``单价≤0.25``, ``单价不超过0.25``: it says the number is the bound), is the
    core; the unit, if any, comes from the indicator's name as for a bare cell."""
    rest = _data.aside_pattern().sub("", s[end:]).strip("".join(_PUNCTUATION))  # ≥90(满分100分)
    before = s[:i]
    if rest or not any(c.isdigit() for c in s[i:end]):
        return False
    if not before:
        return True
    # 万元≥9.31: a unit before the sign is the table's unit column (_unit_first), not a name
    name = before.lstrip("(（")
    signed = node.kind == "comparison" and (not name or sum(map(_cjk, name)) >= 2) and not _unit_words().fullmatch(name)
    return (signed or before.endswith(_data.bare_leads())) and _is_words(before)


def _has_unit_or_date(node: Target) -> bool:
    """A core says what it measures: a unit, a date or a change; a bare number (``2022`` of
    ``2022年市急救中心正式运行``) or a bare year is not a core."""
    quantity = getattr(node, "quantity", None) or getattr(node, "low", None)
    if quantity is not None:
        return quantity.unit is not None
    date = getattr(node, "date", None)
    if date is not None:
        return date.month is not None or date.quarter is not None or date.half is not None or date.end
    return True


#: 每 and a denominator in the words beside one core: 每户补助5000元, 平均每户5000元, 每生每年1000元
#: (before it) or 1200元每人 (after it).  The denominators are units of data/units.tsv.
_PER_BEFORE = re.compile(r"^(?P<lead>[^每]*?)每(?P<a>[^每0-9]{1,2}?)(?:每(?P<b>[^每0-9]{1,2}?))?(?P<rest>[^每]*)$")
_PER_AFTER = re.compile(r"^每(?P<a>[^每0-9]{1,2}?)(?:每(?P<b>[^每0-9]{1,2}?))?$")


def _denominators(m: re.Match[str] | None, ctx: ParseOptions) -> tuple[str, ...] | None:
    """The denominators of a 每 phrase as the grammar names them (每月 → 个月), or ``None`` when
    one is not a unit."""
    if m is None:
        return None
    written = "/".join([m.group("a"), *([m.group("b")] if m.group("b") else [])])
    node = _parses("1元/" + written, ctx)
    quantity = getattr(node, "quantity", None)
    if node is None or node.kind != "value" or quantity is None or quantity.unit is None:
        return None
    return tuple(quantity.unit.per)


def _fold_per(
    s: str, core: tuple[int, int, Target], segments: list[str], ctx: ParseOptions
) -> tuple[tuple[int, int, Target], list[str]] | None:
    """One core with 每 and a denominator in its words (``每户补助5000元``): the core read per that
    denominator (``5000元/户``), as ``每人1200元`` is in the grammar, and its words without the 每
    phrase, for the checks (it has been read; the node keeps the words as written).  Only a value or
    comparison whose unit has a base and no denominator of its own is folded."""
    start, end, node = core
    quantity = getattr(node, "quantity", None)
    if node.kind not in ("value", "comparison") or quantity is None or quantity.unit is None:
        return None
    if not quantity.unit.base:
        return None
    before, after = segments
    per = _denominators(_PER_AFTER.match(after), ctx) if "每" in after else None
    words = [before, ""] if per is not None else None
    if per is None and "每" in before:
        m = _PER_BEFORE.match(before)
        per = _denominators(m, ctx)
        if per is not None and m is not None:
            words = [m.group("lead") + m.group("rest"), after]
    if per is None or words is None:
        return None
    if quantity.unit.per:
        # 每户补助5000元/户, the canonical text of 每户补助5000元: the 每 phrase repeats the unit.
        return ((start, end, node), words) if tuple(quantity.unit.per) == per else None
    folded = _parses(s[start:end] + "/" + "/".join(per), ctx)
    if folded is None or folded.kind != node.kind:
        return None
    return (start, end, folded), words


#: A bound mark that repeats the number: 98%以上(含98%), ≥95%(含95%), 60分以下(不含60分).
_RESTATED = re.compile(
    r"(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<mid>[^0-9()]*)\((?P<mark>不?含)(?P<again>[0-9]+(?:\.[0-9]+)?)[^0-9()]{0,4}\)$"
)


def _restated_bound(s: str, ctx: ParseOptions) -> Target | None:
    """A cell whose (含)/(不含) mark repeats its own number (``98%以上(含98%)``) read as with the bare
    mark (``98%以上(含)``): the number said twice is the same bound, nothing is lost."""
    m = _RESTATED.search(s)
    if m is None or m.group("num") != m.group("again"):
        return None
    node = _parses(s[: m.start("mark") - 1] + "(" + m.group("mark") + ")", ctx)
    return node if node is not None and node.kind in _MEASURABLE else None


@functools.cache
def _unit_first_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(_data.units(), key=len, reverse=True))
    mags = "|".join(re.escape(m) for m in sorted(_data.magnitudes(), key=len, reverse=True))
    return re.compile(rf"(?P<unit>(?:{mags})?(?:{units}))(?P<op>[≥≤<>=≈]?)(?P<num>[0-9]+(?:\.[0-9]+)?)")


def _unit_first(s: str, ctx: ParseOptions) -> Target | None:
    """The unit written before the number, as a table's 单位 column comes before its 指标值 column
    when the cells are read together (``%=100``, ``公里=125``, ``%95``): read as ``=100%``."""
    m = _unit_first_pattern().fullmatch(s)
    if m is None:
        return None
    node = _parses(m.group("op") + m.group("num") + m.group("unit"), ctx)
    return node if node is not None and node.kind in ("value", "comparison") else None


def find_cores(norm: Normalized, ctx: ParseOptions, tried: Tried | None = None) -> Target | None:
    """The cell read as its measurable core(s) with their words, or ``None`` (see the module).

    ``tried`` holds what the caller already knows of texts of this cell (the reader passes the whole
    text, which the grammar has just rejected); the search adds what it parses."""
    s = norm.text
    if not any(c.isdigit() for c in s):
        return _closed(s, ctx, tried) or (_numeral_bound(s, ctx, tried) if s[:1] in _NUMERALS else None)
    if _LIST_NUMBER.match(s):
        return None
    restated = _restated_bound(s, ctx) or _unit_first(s.rstrip(_TRAILING_PUNCT), ctx)
    if restated is not None:
        return restated
    if not any(_cjk(c) or c in _PUNCTUATION for c in s) and not _closing_stop(s):
        # No words at all (≥95%≥, 95%%): a core would be the whole text, which the grammar has just
        # rejected, and cores side by side with nothing between are refused below (#11).
        return None
    cores: list[tuple[int, int, Target]] = []
    budget = [_MAX_TRIES]
    asides = _asides(s)
    i = 0
    while i < len(s) and budget[0] > 0:
        hit = _longest_at(norm, i, ctx, budget, tried) if i not in asides and _may_start(s, i) else None
        if hit is None:
            i += 1
            continue
        cores.append((i, hit[0], hit[1]))
        i = hit[0]
    if not cores or budget[0] <= 0:
        return None
    # The gaps around and between the cores: the words, read for the checks in the normalised text
    # and kept as the cell writes them.
    bounds = [0, *(x for start, end, _ in cores for x in (start, end)), len(s)]
    gaps = list(zip(bounds[::2], bounds[1::2], strict=True))
    segments = [s[a:b] for a, b in gaps]
    checked = segments
    if len(cores) == 1:
        folded = _fold_per(s, cores[0], segments, ctx)
        if folded is not None:
            cores, checked = [folded[0]], folded[1]
    if _closing_stop(s):  # 12万元.: the last words, read with 。 for the checks
        checked = [*checked[:-1], checked[-1][:-1] + "。"]
    if not all(_word_ok(w) or _counted_noun(w, cores, k, s) for k, w in enumerate(checked)):
        return None
    if any(_latin(w[-1:]) for w in segments[:-1]) or any(_latin(w[:1]) for w in segments[1:]):
        return None  # a Latin letter against a core (设备AI8台: a model name, or garbled)
    if any(w and not any(_cjk(c) for c in w) for w in segments[1:-1]):
        return None  # only punctuation between two numbers ("≤1,00元"): one malformed number
    if any(
        _changes_meaning(b, a, core) for (b, a), (_, _, core) in zip(itertools.pairwise(checked), cores, strict=True)
    ):
        return None
    after_numeral = (w for w in segments[1:] if not w.startswith(_long_short_words()))  # 33.24万元一年
    if any(w[:1] in _NUMERALS for w in after_numeral) or any(w[-1:] in _NUMERALS for w in segments[:-1]):
        return None  # a Chinese numeral against a core ("2个三级1个二级"): numbers run together
    for (_, end, a), (_, _, b), between in zip(cores, cores[1:], segments[1:-1], strict=False):
        if not between and not (a.kind in _DATES and b.kind not in _DATES and s[end - 1] in _DATE_ENDS):
            # ">70%≥70%", "2条2条" (one value read twice), "2022年4月31日前" (one date split):
            # only a complete deadline beside a quantity ("12月底前100%到位") is two targets.
            return None
    _refuse_spilled_unit(norm, cores, segments[-1])
    # Measurable nodes (each has words); a date after 次年 is in the next year, the word taken into it.
    nodes: list[Any] = [_in_next_year(node, checked[k], s[a:b], k) for k, (a, b, node) in enumerate(cores)]
    if any(node is None for node in nodes):
        _refuse_next_year(norm, checked[0], cores[0][2], ctx)
        return None
    if nodes[0] is not cores[0][2]:
        gaps[0] = (gaps[0][0], gaps[0][1] - len(_next_year_suffix(checked[0])))
    # The words as the cell writes them: the capitals of Latin names (AI, RFID) kept.
    shown = restore_case(norm)
    segments = [shown[a:b] for a, b in gaps]
    if len(nodes) == 1:
        words = Words(segments[0], segments[1]) if segments[0] or segments[1] else None  # 次年2月份前: none
        single: Target = attrs.evolve(nodes[0], words=words, span=None)
        return single
    parts = []
    for k, node in enumerate(nodes):
        before = segments[0] if k == 0 else ""
        after = segments[k + 1]
        parts.append(attrs.evolve(node, words=Words(before, after)) if before or after else node)
    return Compound(tuple(parts))


def _closing_stop(s: str) -> bool:
    """Whether ``s`` ends with an ASCII full stop that closes it as ``。`` would (``12万元.``,
    ``≤16.58万元/年.``); not after a digit, where it may be a decimal point cut off (``95.``)."""
    return s.endswith(".") and len(s) >= 2 and not s[-2].isdigit()


def _closed(s: str, ctx: ParseOptions, tried: Tried | None) -> Target | None:
    """A target without a number followed by the punctuation that closes a sentence, kept as its
    words (``与上年持平。``, ``不低于上年。``); ``None`` for any other text without a digit."""
    core = s.rstrip(_TRAILING_PUNCT)  # what closes a sentence (与上年持平。, 较上年有所提高;)
    if core == s or not core:
        return None
    node: Any = _try(core, ctx, tried)  # a measurable node has words
    if node is None or node.kind not in _MEASURABLE or getattr(node, "recurring", False):
        return None  # 每年年底前。: its canonical 每年12月底前 has a number, and no core starts at 每
    found: Target = attrs.evolve(node, words=Words("", s[len(core) :]), span=None)
    return found


#: How far a bound in Chinese numerals may run before its words (三个工作日以内: 7 characters).
_NUMERAL_BOUND = 10


def _numeral_bound(s: str, ctx: ParseOptions, tried: Tried | None) -> Target | None:
    """``三个月内完成``, ``两年内办结``: a bound written in Chinese numerals at the start of the cell, on a
    unit of ``data/units.tsv``, then words; ``None`` for any other text.  Only a comparison: a bare
    numeral before a classifier is a name as often as a count (一站式, 一次性, 三甲)."""
    for end in range(min(len(s) - 1, _NUMERAL_BOUND), 0, -1):  # the longest core first
        node: Any = _try(s[:end], ctx, tried)
        if node is None or node.kind != "comparison" or node.words is not None:
            continue
        unit = node.quantity.unit
        if unit is None or unit.base not in _data.units() or not _word_ok(s[end:]) or not _cjk(s[end]):
            return None
        found: Target = attrs.evolve(node, words=Words("", s[end:]), span=None)
        return found
    return None


# --- a unit after a date (#12, round 2): a separate check, called once from find_cores ----------


@functools.cache
def _unit_words() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(_data.units(), key=len, reverse=True))
    mags = "|".join(re.escape(m) for m in sorted(_data.magnitudes(), key=len, reverse=True))
    return re.compile(rf"(?:{mags})?(?:{units})|(?:{mags})")


def _refuse_spilled_unit(norm: Normalized, cores: list[tuple[int, int, Target]], after: str) -> None:
    """A period or deadline followed by nothing but a unit (``2022年12月-2023年1月万元``): the
    table's unit column spilled into the date.  Reading it as a date with the words 万元 would keep a
    unit that measures nothing; reading an amount would guess one.  Refused, saying so."""
    start, end, last = cores[-1]
    unit = after.rstrip("".join(_PUNCTUATION))
    if last.kind not in _DATES or not unit or not _unit_words().fullmatch(unit):
        return
    reason = say("the unit {unit} follows a date: a date has no unit", unit=unit)
    hint = say(
        "The unit column has probably spilled into the date: write the date alone ({date}), "
        "or the amount with its unit if the cell is an amount.",
        date=norm.original[norm.to_original(start) : norm.to_original(end)],
    )
    raise TargetSyntaxError.at(norm.original, norm.to_original(end), reason, found=unit, hint=hint)
