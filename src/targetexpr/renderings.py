"""Targets in words: ``format(t, "zh")`` (a budget officer's Chinese) and ``format(t, "en")`` (plain English).

``str(t)`` stays the canonical text (one spelling per meaning, ``parse(str(t)) == t``).  The Chinese rendering says
the same target the way a 绩效目标表 writes it, and reads back to the same target: ``parse(format(t, "zh")) == t``
(tests/test_render_zh.py checks it for every target the hypothesis strategies make).

>>> from targetexpr import parse
>>> [format(parse(s), "zh") for s in ("≥95%", "≤400万元", ">40个", "2022-12-31", "每季度≥2次", "较上年增长2百分点")]
['不低于95%', '不超过400万元', '多于40个', '2022年12月31日前完成', '每季度不少于2次', '较上年提高2个百分点']
>>> format(parse("≥95%"), "en")
'at least 95%'

The words are data (``data/renderings.tsv``): each comparator word means its comparator in
``data/comparators.tsv`` (Civil Code art. 1259: 不低于/不高于/不超过 include the bound, 高于/超过/低于 do not).
A unit keeps the officer's spelling when the node was parsed from a cell that wrote it so (``50公斤``, not
``50千克``: the node's ``written`` text says which).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

from . import datafiles as _data
from .errors import TargetValueError, brief
from .i18n import say
from .nodes import (
    CalendarDate,
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Masked,
    Op,
    Period,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
)
from .units import dimension
from .values import date_end, render_date

__all__ = ["SPECS", "op_word", "render_as", "render_en", "render_zh", "word"]

#: The format specs a target understands besides ``""`` (its canonical text).
SPECS = ("zh", "en")


class _Words(NamedTuple):
    zh: str
    en: str


@functools.cache
def _table() -> Mapping[tuple[str, str], _Words]:
    table: dict[tuple[str, str], _Words] = {}
    text = _data.package_bytes("data", "renderings.tsv")
    if text is None:  # pragma: no cover - a broken installation
        raise RuntimeError("targetexpr cannot find its data file data/renderings.tsv")
    for line in text.decode("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            raise RuntimeError(f"data/renderings.tsv: expected 4 columns, got {cells!r}")
        table[(cells[0], cells[1])] = _Words(cells[2], cells[3])
    return table


def word(name: str, context: str = "*", lang: str = "zh") -> str:
    """The word ``data/renderings.tsv`` gives ``name`` in ``context`` (else in any context, ``*``)."""
    table = _table()
    found = table.get((name, context)) or table.get((name, "*"))
    if found is None:
        raise KeyError(f"data/renderings.tsv has no {name!r} for {context!r}")
    return found.zh if lang == "zh" else found.en


def op_word(op: Op, unit: Unit | None = None, lang: str = "zh") -> str:
    """The word the renderings use for ``op`` before a quantity in ``unit`` (``不低于``, ``不少于`` for counts …)."""
    return word(f"op.{op.name.lower()}", _context(unit), lang)


def _has(name: str, context: str) -> bool:
    return (name, context) in _table()


# --- units in the officer's spelling --------------------------------------------------------------


@functools.cache
def _all_spellings() -> tuple[str, ...]:
    return tuple(sorted(_data.units(), key=len, reverse=True))


@functools.cache
def _allowed_spellings() -> Mapping[str, str]:
    """Spelling → canonical unit, for the other spellings a rendering may keep (``公斤`` → ``千克``)."""
    return {
        spelling: canonical
        for (name, canonical), words in _table().items()
        if name == "spelling"
        for spelling in words.zh.split(",")
        if spelling
    }


@functools.lru_cache(maxsize=1024)
def _spellings_in(written: str) -> Mapping[str, str]:
    """Canonical unit → the spelling ``written`` used for it, among the allowed ones (longest match first)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", written)).lower()
    allowed = _allowed_spellings()
    found: dict[str, str] = {}
    i = 0
    while i < len(text):
        for spelling in _all_spellings():
            if text.startswith(spelling, i):
                if spelling in allowed:
                    found.setdefault(allowed[spelling], spelling)
                i += len(spelling)
                break
        else:
            i += 1
    return found


class _Say:
    """One rendering: the language and the spellings of the cell the node was read from."""

    def __init__(self, lang: str, written: str | None) -> None:
        self.lang = lang
        self.spellings: Mapping[str, str] = _spellings_in(written) if written else {}

    def w(self, name: str, context: str = "*") -> str:
        return word(name, context, self.lang)

    # --- quantities ------------------------------------------------------------------------------

    def atom(self, name: str) -> str:
        if self.lang == "zh":
            if name in self.spellings:
                return self.spellings[name]
            return word("unit", name) if _has("unit", name) else name
        return name

    def unit(self, unit: Unit) -> str:
        text = unit.prefix + (self.atom(unit.base) if unit.base else "")
        if unit.per:
            text += "/" + "·".join(self.w("per", p) if _has("per", p) else self.atom(p) for p in unit.per)
        return text

    def number(self, q: Quantity) -> str:
        return format(q.value, "f")

    def quantity(self, q: Quantity) -> str:
        if q.unit is None:
            return self.number(q)
        if self.lang == "en":
            per = _per_first(q.unit)
            if per is not None:
                return f"{self.quantity(_without_first_per(q))} per {self.w('per', per)}"
            if q.unit.base and _has("unit", q.unit.base) and not q.unit.per:
                return f"{self.number(q)} {q.unit.prefix}{self.w('unit', q.unit.base)}"
        return self.number(q) + self.unit(q.unit)

    def op(self, op: Op, unit: Unit | None, *, reference: bool = False) -> str:
        context = "reference" if reference else _context(unit)
        return self.w(f"op.{op.name.lower()}", context)

    def compared(self, op: Op, q: Quantity) -> str:
        sep = " " if self.lang == "en" else ""
        return f"{self.op(op, q.unit)}{sep}{self.quantity(q)}"


def _context(unit: Unit | None) -> str:
    base = dimension(unit).base
    if base.startswith("count:"):
        return "count"
    return base if base in ("money", "percent") else "*"


def _per_first(unit: Unit | None) -> str | None:
    """The period of a frequency written with 每 first (``次/个季度`` → ``个季度``), if it is one."""
    if unit is None or not unit.per or not unit.base or not _has("per", unit.per[0]):
        return None
    return unit.per[0]


def _without_first_per(q: Quantity) -> Quantity:
    assert q.unit is not None
    return Quantity(q.value, Unit(q.unit.base, q.unit.prefix, q.unit.per[1:]))


# --- Chinese ------------------------------------------------------------------------------------


def _zh_core(node: Target, s: _Say) -> str:
    if isinstance(node, (Comparison, Value)):
        q = node.quantity
        per = _per_first(q.unit)
        if per is not None:
            inner = _without_first_per(q)
            core = s.compared(node.op, inner) if isinstance(node, Comparison) else s.quantity(inner)
            return f"每{word('per', per)}{core}"
        return s.compared(node.op, q) if isinstance(node, Comparison) else s.quantity(q)
    if isinstance(node, Range):
        return _zh_range(node, s)
    if isinstance(node, Deadline):
        return _zh_deadline(node, s, done=node.words is None)
    if isinstance(node, Period):
        return _zh_period(node)
    if isinstance(node, Relative):
        return _zh_relative(node, s)
    if isinstance(node, Qualitative):
        return node.label
    if isinstance(node, Masked):
        op = s.op(node.op, node.unit) if node.op is not None else ""
        return f"{op}{node.digits}{s.unit(node.unit) if node.unit is not None else ''}"
    if isinstance(node, FreeText):
        return node.text
    raise TypeError(f"not a target node: {node!r}")  # pragma: no cover - Compound is handled above


def _zh_range(node: Range, s: _Say) -> str:
    low, high = node.low, node.high
    if not (node.low_inclusive and node.high_inclusive):
        # Brackets are how a table writes an open end; 高于…且不高于… would read as two targets.
        return (
            f"{'[' if node.low_inclusive else '('}{s.quantity(low)},{s.quantity(high)}"
            f"{']' if node.high_inclusive else ')'}"
        )
    to = s.w("to")
    per = _per_first(low.unit)
    if per is not None and low.unit == high.unit:
        inner_low, inner_high = _without_first_per(low), _without_first_per(high)
        return f"每{word('per', per)}{s.number(inner_low)}{to}{s.quantity(inner_high)}"
    if low.unit is not None and low.unit == high.unit and _context(low.unit) != "percent":
        # 5至10个, 1至2万元: the unit written once applies to both ends (docs/syntax.md).
        return f"{s.number(low)}{to}{s.quantity(high)}"
    return f"{s.quantity(low)}{to}{s.quantity(high)}"


def _zh_deadline(node: Deadline, s: _Say, *, done: bool) -> str:
    date = node.date
    finish = s.w("done") if done else ""
    exclusive = "" if node.inclusive else s.w("exclusive", "day" if date.precision == "day" else "*")
    if date.precision == "year":
        year = f"{date.year}年" if date.year is not None else "年"
        return f"{year}{'底前' if date.end else '内'}{finish}{exclusive}"
    end = ("末" if date.precision in ("quarter", "half") else "底") if date.end else ""
    every = "每年" if node.recurring else ""
    return f"{every}{render_date(date)}{end}前{finish}{exclusive}"


def _zh_period(node: Period) -> str:
    start, end = node.start, node.end
    end_text = render_date(end)
    if start.year is not None and start.year == end.year and end.precision != "year":
        end_text = render_date(CalendarDate(None, end.month, end.day, end.quarter, end.half, end.end))
    return f"{render_date(start)}{word('to')}{end_text}{date_end(end)}"


def _amount_context(q: Quantity | None) -> str:
    if q is None:
        return "none"
    base = dimension(q.unit).base
    if base == "percent":
        return "percent"
    if base == "percentage_point":
        return "point"
    return "amount"


def _reference_prefix(reference: str | None, lang: str) -> str:
    if reference is None:
        return ""
    if _has("ref.prefix", reference):
        return word("ref.prefix", reference, lang)
    return word("ref.prefix", "*", lang).format(reference=_reference_name(reference, lang))


def _reference_name(reference: str, lang: str) -> str:
    if _has("ref.name", reference):
        return word("ref.name", reference, lang)
    if lang == "en" and reference.endswith("年"):
        return reference[:-1]  # a named year: 2022年 → 2022
    return reference


def _zh_relative(node: Relative, s: _Say) -> str:
    if node.change is None:
        assert node.op is not None
        if node.reference is None:
            return s.w("level", "none")  # 持平: the only bound without a baseline
        if node.op is Op.EQ:
            return s.w("level").format(reference=node.reference)
        return f"{s.op(node.op, None, reference=True)}{node.reference}"
    prefix = _reference_prefix(node.reference, "zh")
    some = node.amount is None and node.op is Op.GT
    change = s.w(f"change.{node.change.value}", "some" if some else _amount_context(node.amount))
    if node.amount is None:
        if node.op is Op.GT:
            return f"{prefix}{s.w('change.some')}{change}"
        if node.op is None:
            return f"{prefix}{change}"
        # As the canonical text does: a comparator without an amount is said with zero.
        return f"{prefix}{change}{s.op(node.op, None)}0"
    op = s.op(node.op, node.amount.unit) if node.op is not None else ""
    return f"{prefix}{change}{op}{s.quantity(node.amount)}"


def render_zh(node: Target) -> str:
    """The target in a budget officer's Chinese words (``format(t, "zh")``); ``parse`` reads it back to ``node``."""
    return _render(node, "zh", None)


# --- English ------------------------------------------------------------------------------------


def _en_date(date: CalendarDate) -> str:
    year = str(date.year) if date.year is not None else ""
    if date.day is not None:
        return f"{year}-{date.month:02d}-{date.day:02d}" if year else f"{date.month:02d}-{date.day:02d}"
    if date.month is not None:
        return f"{year}-{date.month:02d}" if year else f"month {date.month}"
    if date.quarter is not None:
        return f"{year} Q{date.quarter}".strip()
    if date.half is not None:
        return f"{year} H{date.half}".strip()
    return year or "the year"


def _en_core(node: Target, s: _Say) -> str:
    if isinstance(node, Comparison):
        return s.compared(node.op, node.quantity)
    if isinstance(node, Value):
        return s.quantity(node.quantity)
    if isinstance(node, Range):
        if node.low_inclusive and node.high_inclusive:
            return f"{s.quantity(node.low)} {s.w('to')} {s.quantity(node.high)}"
        low = s.compared(Op.GE if node.low_inclusive else Op.GT, node.low)
        high = s.compared(Op.LE if node.high_inclusive else Op.LT, node.high)
        return f"{low} and {high}"
    if isinstance(node, Deadline):
        date = node.date
        when = ("the end of " if date.end else "") + _en_date(date)
        if date.precision == "year" and not date.end:
            when = f"within {_en_date(date)}"
            return f"{when} {s.w('exclusive')}" if not node.inclusive else when
        if node.recurring:
            when += " every year"
        return f"before {when}" if not node.inclusive else f"by {when}"
    if isinstance(node, Period):
        return f"{_en_date(node.start)} {s.w('to')} {'the end of ' if node.end.end else ''}{_en_date(node.end)}"
    if isinstance(node, Relative):
        return _en_relative(node, s)
    if isinstance(node, Masked):
        op = f"{s.op(node.op, node.unit)} " if node.op is not None else ""
        return f"{op}{node.digits}{s.unit(node.unit) if node.unit is not None else ''} (digits masked)"
    if isinstance(node, Qualitative):
        return node.label
    if isinstance(node, FreeText):
        return node.text
    raise TypeError(f"not a target node: {node!r}")  # pragma: no cover


def _en_relative(node: Relative, s: _Say) -> str:
    if node.change is None:
        assert node.op is not None
        if node.reference is None:
            return s.w("level", "none")  # 持平: the only bound without a baseline
        name = _reference_name(node.reference, "en")
        if node.op is Op.EQ:
            return s.w("level").format(reference=name)
        return f"{s.op(node.op, None, reference=True)} {name}"
    prefix = _reference_prefix(node.reference, "en")
    change = s.w(f"change.{node.change.value}", _amount_context(node.amount))
    if node.amount is None:
        amount = s.w("change.some") if node.op is Op.GT else ""
    else:
        op = f"{s.op(node.op, node.amount.unit)} " if node.op is not None else ""
        amount = f"{op}{s.quantity(node.amount)}"
    return " ".join(part for part in (change, amount, prefix) if part)


def render_en(node: Target) -> str:
    """The target in plain English words (``format(t, "en")``), for readers without Chinese."""
    return _render(node, "en", None)


# --- both ---------------------------------------------------------------------------------------


def _render(node: Target, lang: str, written: str | None) -> str:
    written = node.written if node.written is not None else written
    if isinstance(node, Compound):
        return (";" if lang == "zh" else "; ").join(_render(p, lang, written) for p in node.parts)
    s = _Say(lang, written)
    core = _zh_core(node, s) if lang == "zh" else _en_core(node, s)
    words = getattr(node, "words", None)
    if words is None:
        return core
    if lang == "en":
        return f"{words.before} {core} {words.after}".strip()
    return f"{words.before}{core}{words.after}"


def render_as(node: Target, spec: str) -> str:
    """``format(node, spec)``: ``"zh"`` (:func:`render_zh`), ``"en"`` (:func:`render_en`), ``""`` (``str``)."""
    if spec == "":
        return str(node)
    if spec not in SPECS:
        raise TargetValueError(
            say("format spec {spec} is not a rendering of a target; expected '', 'zh' or 'en'", spec=brief(spec)),
            field="format_spec",
        )
    return _render(node, spec, None)
