"""What a normalised cell is before any grammar: qualitative words (``data/qualitative.tsv``), text
that starts like a quantity, sentences, and free text with the quantities found in it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from decimal import Decimal

from .. import datafiles as _data
from ..errors import TargetSyntaxError, TargetValueError
from ..i18n import say
from ..nodes import (
    CalendarDate,
    FreeText,
    Polarity,
    Qualitative,
    Quantity,
    Target,
    Unit,
)
from .grammar import alphabet
from .numerals import cn_to_decimal, whole_number

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of


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
def _negations_by_first() -> Mapping[str, tuple[str, ...]]:
    """The negation prefixes by their first character, longest first as in the data (#11)."""
    table: dict[str, tuple[str, ...]] = {}
    for prefix in _data.negations():
        table[prefix[0]] = (*table.get(prefix[0], ()), prefix)
    return table


@functools.cache
def _qualitative_firsts() -> frozenset[str]:
    """What a qualitative label can start with: a word of the vocabulary, a qualifier or a negation."""
    words = [*_data.qualitative(), *(word for word, _ in _data.qualifiers()), *_data.negations()]
    return frozenset(word[0] for word in words if word and not word[0].isdigit())  # 7×24小时: numbered_label


def _qualitative(s: str) -> Qualitative | None:
    label = s.rstrip(_TRAILING_PUNCT) or s
    if label[0] not in _qualitative_firsts():
        return None  # the usual cell (a number, a comparator): one set lookup (#11)
    vocab = _data.qualitative()
    entry = vocab.get(label)
    if entry is not None:
        return Qualitative(label, entry.category, Polarity(entry.polarity))
    qualified = _qualified(label, vocab)
    if qualified is not None:
        return qualified
    for prefix in _negations_by_first().get(label[0], ()):
        if label.startswith(prefix) and len(label) > len(prefix):
            entry = vocab.get(label[len(prefix) :])
            if entry is not None and entry.polarity == "positive" and entry.category not in _NOT_NEGATED:
                return Qualitative(label, entry.category, Polarity.NEGATIVE)
    return None


@functools.cache
def _qualifiers_by_first() -> Mapping[str, tuple[tuple[str, bool], ...]]:
    """The qualifiers by their first character, longest first as in the data (#11)."""
    table: dict[str, tuple[tuple[str, bool], ...]] = {}
    for word, partial in _data.qualifiers():
        table[word[0]] = (*table.get(word[0], ()), (word, partial))
    return table


#: Categories a negation prefix does not turn (无 before 不适用 is no denial of a target), nor a
#: qualifier (基本 before a self-evaluation grade is that grade's own wording).
_NOT_NEGATED = frozenset({"not_applicable", "undetermined", "no_incident"})
_NOT_QUALIFIED = _NOT_NEGATED | {"achievement"}


def _qualified(label: str, vocab: Mapping[str, _data.VocabEntry]) -> Qualitative | None:
    """``基本提高``, ``大幅提高``: a word of ``data/qualifiers.tsv`` before a positive label of the
    vocabulary is that label's category, written whole; 基本/略有 make the claim partial."""
    for word, partial in _qualifiers_by_first().get(label[0], ()):
        if label.startswith(word) and len(label) > len(word):
            entry = vocab.get(label[len(word) :])
            if entry is None or entry.polarity != "positive" or entry.category in _NOT_QUALIFIED:
                continue
            return Qualitative(label, entry.category, Polarity.PARTIAL if partial else Polarity.POSITIVE)
    return None


# --- free text ----------------------------------------------------------------------------------


@functools.cache
def _quantity_scanner() -> re.Pattern[str]:
    units = sorted(_data.units(), key=len, reverse=True)
    mags = sorted(_data.magnitudes(), key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in units)
    mag_alt = "|".join(re.escape(m) for m in mags)
    # A Chinese numeral counts only with a unit after it (培训三次); its per-units as in 2000元/户.
    return re.compile(
        rf"(?<![0-9.])(?:(?P<num>[0-9]{{1,15}}(?:\.[0-9]{{1,8}})?)"
        rf"|(?<![零〇一二两三四五六七八九十百千])(?P<cn>[零〇一二两三四五六七八九十百千]{{1,8}})(?=(?:{mag_alt})?(?:{unit_alt})))"
        rf"(?P<mag>{mag_alt})?(?P<unit>{unit_alt})?(?P<per>(?:[/·](?:{unit_alt}))*)"
    )


def _extract_quantities(s: str, dated: frozenset[int] = frozenset()) -> tuple[Quantity, ...]:
    found = []
    for m in _quantity_scanner().finditer(s):
        if m.start() in dated:
            continue  # the month of a date ("10月底"), not a duration
        number, mag, unit = m.group("num"), m.group("mag") or "", m.group("unit")
        before = s[m.start() - 1] if m.start() else ""
        if number is None:
            if m.end() < len(s) and s[m.end()] == "性":
                continue  # 一次性: a word, not a count
            try:
                value = cn_to_decimal(m.group("cn"))
            except ValueError:
                continue
        else:
            if unit == "年" and re.fullmatch(r"(?:19|20)[0-9]{2}", number):
                continue  # a year, not a duration
            if before in ("年", "月") or (unit is None and not mag and m.end() < len(s) and s[m.end()] in "年月日号."):
                continue  # part of a date or a numbered list ("2.补助标准")
            value = Decimal(number)
        info = _data.units().get(unit) if unit else None
        base = info.canonical if info else ""
        per = tuple(_data.units()[p].canonical for p in re.split(r"[/·]", m.group("per"))[1:]) if base else ()
        quantity_unit = None if not base and not mag else Unit(base, mag, per)
        found.append(Quantity(value, quantity_unit))
    return tuple(found)


_SENTENCE_PUNCT = frozenset(",;:。、!?()\"'“”《》【】")


_DATE_SCAN = re.compile(
    r"(?P<iso>(?:19|20)[0-9]{2})[-.](?P<im>[0-9]{1,2})[-.](?P<id>[0-9]{1,2})(?![0-9])"
    r"|(?:(?P<y>(?:19|20)[0-9]{2})年度?)?(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[0-9]{1,2})[日号])?(?P<e>[底末])?"
    r"|(?P<year>(?:19|20)[0-9]{2})年度?(?P<ye>[底末])?"
)


def _extract_dates(s: str) -> tuple[tuple[CalendarDate, ...], frozenset[int]]:
    """Every calendar date written in ``s`` (``2023年3月``, ``6月底``, ``2022.12.31``, ``2024年``),
    and the positions it covers."""
    found = []
    covered: set[int] = set()
    for m in _DATE_SCAN.finditer(s):
        if m.start() and s[m.start() - 1].isdigit():
            continue  # "12023年": not a date
        covered.update(range(m.start(), m.end()))
        try:
            if m.group("iso"):
                found.append(CalendarDate(int(m.group("iso")), int(m.group("im")), int(m.group("id"))))
            elif m.group("m"):
                year = int(m.group("y")) if m.group("y") else None
                day = int(m.group("d")) if m.group("d") else None
                found.append(CalendarDate(year, int(m.group("m")), day, end=bool(m.group("e")) and day is None))
            else:
                found.append(CalendarDate(int(m.group("year")), end=bool(m.group("ye"))))
        except TargetValueError:
            continue  # "2月30日": written, but no date
    return tuple(found), frozenset(covered)


@functools.cache
def _labels_longest_first() -> tuple[str, ...]:
    return tuple(sorted((w for w in _data.qualitative() if len(w) >= 2), key=len, reverse=True))


def _extract_labels(s: str) -> tuple[str, ...]:
    """The labels of the qualitative vocabulary written in ``s``, longest first where they overlap."""
    taken = [False] * len(s)
    found: list[tuple[int, str]] = []
    for label in _labels_longest_first():
        start = s.find(label)
        while start >= 0:
            if not any(taken[start : start + len(label)]):
                taken[start : start + len(label)] = [True] * len(label)
                found.append((start, label))
            start = s.find(label, start + 1)
    return tuple(label for _, label in sorted(found))


def free_text(s: str, original: str) -> FreeText:
    """``original`` as free text, with what the normalised ``s`` holds: quantities, dates, labels,
    and the reason no single target could be read."""
    dates, dated = _extract_dates(s)
    quantities, labels = _extract_quantities(s, dated), _extract_labels(s)
    found = len(quantities) + len(dates) + len(labels)
    if not quantities and not dates:
        reason = "no_number"
    elif found == 1:
        reason = "in_sentence"
    else:
        reason = "several"
    return FreeText(original, quantities, dates=dates, labels=labels, reason=reason)


#: Longest label without a number read as one qualitative target (the 总体目标 sentences of real tables are longer).
_LABEL_LENGTH = 20
#: A title in book-title marks (《“健康西安2030”行动规划》): its digits are part of a name.
_TITLE = re.compile(r"《[^《》]*》")
#: Punctuation between clauses: a label may list its qualities with 、 (及时、足额发放), not with these;
#: quotation marks and book-title marks quote a name inside a clause (达到“畅、洁、绿、美、安”标准).
_CLAUSE_PUNCT = _SENTENCE_PUNCT - set("、“”\"'《》【】")
#: A run of the punctuation between clauses, brackets aside (a bracket holds a note inside a clause).
_CLAUSE_BREAKS = re.compile("[" + re.escape("".join(sorted(_CLAUSE_PUNCT - set("()")))) + "]+")

#: A short note in brackets inside a label ("获得目的国(地区)受众欢迎"): not sentence punctuation.
_LABEL_NOTE = re.compile(r"\([^()0-9]{1,6}\)")


def name_like(s: str) -> str | None:
    """``"question"``, ``"name"`` or ``"nature"`` when the normalised cell ``s`` is a question
    (``是否利于企业走出去``), an indicator's name (``知识更新率``) or the 指标性质 word (``定性``) rather
    than a target (``data/name_like.tsv``), else ``None``.
    Only a cell without a digit that the qualitative vocabulary does not know is asked."""
    if any(c.isdigit() for c in s):
        return None
    bare = s.rstrip(_TRAILING_PUNCT.replace("?", "")) or s
    asks = (
        any(w in bare for w in _data.changes())
        or any(w in bare for w in _comparator_words())
        or any(word in bare for where, word, _ in _data.name_like() if where == "unless")
    )
    for where, word, what in _data.name_like():
        if where == "whole" and bare == word:
            return what
        if what == "name" and asks:
            continue
        if (where == "start" and bare.startswith(word) and bare != word) or (
            where == "end" and bare.endswith(word) and bare != word
        ):
            return what
    return None


def _refuse_name_like(s: str, original: str) -> None:
    what = name_like(s)
    if what is None:
        return
    if what == "question":
        reason = say("{text} is a question, not a target value", text=repr(original))
        hint = say("Write the answer the target asks for (是 or 否) or a measurable target.")
    elif what == "nature":
        reason = say(
            "{text} says the indicator is qualitative or quantitative (指标性质), not its target value",
            text=repr(original),
        )
        hint = say("Write the target itself: a number with its unit, a date, or a word such as 及时 or 达标.")
    else:
        reason = say("{text} is an indicator's name, not a target value", text=repr(original))
        hint = say("Write the target itself: a number with its unit, a date, or a word such as 及时 or 达标.")
    raise TargetSyntaxError.at(original, 0, reason, hint=hint)


@functools.cache
def _numbered_labels() -> tuple[str, ...]:
    """The labels of the vocabulary written with digits (``7×24小时``), longest first."""
    return tuple(sorted((w for w in _data.qualitative() if any(c.isdigit() for c in w)), key=len, reverse=True))


def numbered_label(s: str, written: str) -> Qualitative | None:
    """``s`` (normalised) as a qualitative target when its only digits are those of a label of the
    vocabulary written with digits, in one clause of Chinese words (``7*24小时全天候无间断舆情监测``):
    in that label's category, written whole as the cell writes it (``written``, its closing
    punctuation aside); else ``None``.  Its numbers measure nothing of their own: ``24小时`` is no
    duration here; a unit, magnitude or comparator against the label (``7×24小时万元``, ``≥7*24小时``,
    ``7*24小时以上``) makes it no label."""
    bare = s.rstrip(_TRAILING_PUNCT) or s
    for label in _numbered_labels():
        at = bare.find(label)
        if at < 0:
            continue
        before, after = bare[:at], bare[at + len(label) :]
        if (
            not all(_cjk(c) for c in before + after)
            or len(bare) > _LABEL_LENGTH
            or after.startswith((*_data.units(), *_data.magnitudes(), *_data.comparators()))
            or before.endswith(_comparator_words())
        ):
            return None
        entry = _data.qualitative()[label]
        shown = written.strip().rstrip(_TRAILING_PUNCT + "。，；！ ").strip() or written
        return Qualitative(shown, entry.category, Polarity(entry.polarity))
    return None


#: A deadline that comes back each month, quarter or week (``每月10日前``, ``每季度末``, ``每月中旬前``,
#: ``每月的5日前发放``): the AST's dates recur only each year, so it is a label of timeliness, not a
#: number of days.  The day, then what follows it (checked in :func:`cyclic_deadline`).
_CYCLIC_DAY = (
    r"每个?(?:月|季度|周|星期)的?"
    r"(?:(?P<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:日|号)|底|末|上旬|中旬|下旬)"
)
_CYCLIC_DEADLINE = re.compile(_CYCLIC_DAY + r"(?P<rest>[^0-9]*)")
_CYCLIC_BEFORE = ("之前", "以前", "前")  # longest first
#: The same with a before-word, anywhere in a cell with no other number (工资每月10日前发放).
_CYCLIC_INSIDE = re.compile(_CYCLIC_DAY + "(?P<rest>" + "|".join(_CYCLIC_BEFORE) + ")")


@functools.cache
def _not_before() -> tuple[str, ...]:
    """Words after the day that make it no deadline: a comparator of a count (``每月10日以上``,
    ``以内``, ``左右``: data/comparators.tsv), a bound mark, or a start (``以后``, ``起``:
    data/after_dates.tsv)."""
    suffixes = (w for w, info in _data.comparators().items() if info.position == "suffix")
    return tuple(sorted({*suffixes, *_data.after_dates(), "("}, key=len, reverse=True))


def _other_number_or_negation(before: str, after: str) -> bool:
    """Whether the words around a monthly deadline hold another number (digits, or a quantity in
    Chinese numerals: 每人每月二百元, 百分之百) or deny it (未在每月10日前发放: data/negations.tsv)."""
    words = before + " " + after
    if any(c.isdigit() for c in words) or _extract_quantities(words) or "百分之" in words:
        return True
    return any(w in before[-3:] or after.startswith(w) for w in _data.negations())


def cyclic_deadline(s: str, written: str) -> Qualitative | None:
    """``s`` (normalised) as a qualitative target of timeliness (the category of 按时) when it is a
    deadline recurring each month, quarter or week (``每月10日前发放``, ``每月10日前,按时发放``),
    written whole as the cell writes it; else ``None``.  Read as a count of days (``10天/个月``) it
    would be wrong.  A day alone (``每月10日``), or with a comparator or a start after it
    (``每月10日以上``: at least 10 days a month; ``每月10日以后``), is none; nor is a day that no
    month has (``每月32日前``).  A cell wholly in brackets is read inside them (``(每月10日前)``); the
    deadline with its before-word may stand among words (``工资每月10日前发放``) where no other
    number is."""
    bare = s.rstrip(_TRAILING_PUNCT) or s
    if bare.startswith("(") and bare.endswith(")"):
        bare = bare[1:-1]
    m = _CYCLIC_DEADLINE.fullmatch(bare)
    if m is None:
        m = _CYCLIC_INSIDE.search(bare)
        if m is None or _other_number_or_negation(bare[: m.start()], bare[m.end() :]):
            return None
    rest = m.group("rest")
    if m.group("day") is not None:
        day = m.group("day")
        number = whole_number(day)
        if number is None:
            return None  # 每月十十日前: no day of a month; the grammar says what is wrong
        if not 1 <= number <= 31 or not rest:  # "每月10日" alone may be 10 days a month
            return None
    if rest.startswith(_not_before()) and not rest.startswith(_CYCLIC_BEFORE):
        return None
    said = next((w for w in _CYCLIC_BEFORE if rest.startswith(w)), "")
    if _other_number_or_negation("", rest[len(said) :]):
        return None  # 每月10日前未发放, 每月10日以前未发放: denied
    entry = _data.qualitative()["按时"]
    shown = written.strip().rstrip(_TRAILING_PUNCT + "。，；！ ").strip() or written
    return Qualitative(shown, entry.category, Polarity(entry.polarity))


def _one_label_or_change(s: str) -> bool:
    """Whether ``s`` names one label of the vocabulary, or none and one change word (提高, 降低…)."""
    labels = _extract_labels(s)
    if labels:
        return len(labels) == 1
    return sum(s.count(word) for word in _data.changes()) == 1


#: Longest lead clause of means (通过本项目实施) set aside before a qualitative target.
_MEANS_LENGTH = 12


def _after_means(bare: str) -> str:
    """``bare`` without a lead clause of means (``data/means_leads.tsv``): 通过本项目实施,有效提高全面
    健康水平 → 有效提高全面健康水平.  The lead clause must be short and hold no digit; otherwise, or
    with no such clause, ``bare`` is returned as it is."""
    if not bare.startswith(_data.means_leads()):
        return bare
    cut = next((i for i, c in enumerate(bare) if c in _CLAUSE_PUNCT), -1)
    if not 0 < cut <= _MEANS_LENGTH or cut == len(bare) - 1 or any(c.isdigit() for c in bare[:cut]):
        return bare
    if bare[:cut] in _data.qualitative():
        return bare  # 通过验收,及时: the first clause is a target of its own, not the means
    return bare[cut + 1 :]


def _free(s: str, original: str, cased: str | None = None) -> Target:
    """``s`` (normalised) as a qualitative target in the officer's own words, or as free text;
    ``cased`` is ``s`` with its Latin capitals as written, for the label."""
    _refuse_name_like(s, original)
    # The sentence's closing punctuation is not a clause of its own (按照资金测算控制各项成本。), nor
    # is a lead clause of means (通过本项目实施,有效提高全面健康水平。).
    whole = _LABEL_NOTE.sub("", s).rstrip(_TRAILING_PUNCT)
    bare = _after_means(whole)
    if bare != whole:
        # The target after the means keeps what the vocabulary says of it (通过项目实施,零事故).
        known = _qualitative(bare)
        if known is not None:
            return Qualitative(cased or s, known.category, known.polarity)
    # One clause without a number: a qualitative target in the officer's own words (及时、足额发放,
    # 按照合同约定的时间节点完成各项工作任务); so are two short clauses around one label of the
    # vocabulary (本着节约的原则,控制在预算中。) or, with no label, around one change word
    # (加强管理,提高效益。).  Clauses with no label or several are a sentence.
    one_clause = not (set(bare) & _CLAUSE_PUNCT)
    if (
        bare
        and not any(c.isdigit() for c in _TITLE.sub("", s))  # 《“健康西安2030”行动规划》要求: a name's digits
        and len(bare) <= _LABEL_LENGTH
        and (one_clause or (_one_label_or_change(s) and not _extract_quantities(s)))
    ):
        return Qualitative(cased or s, None, Polarity.POSITIVE)
    return free_text(s, original)
