"""Hypothesis strategies for targetexpr ASTs (install with ``pip install 'targetexpr[hypothesis]'``).

>>> from hypothesis import given
>>> from targetexpr.strategies import targets
>>> @given(targets())
... def test_renders(t):
...     assert str(t)

Every generated target satisfies ``parse(str(t)) == t`` and ``from_dict(to_dict(t)) == t``.  Values
are realistic: percentages between 0 and 100 (sometimes above, as actuals can be), counts as
integers, valid calendar dates, units from the unit table in the dimension they belong to.
Strategies shrink towards small, plain targets (``0``, ``≥0%``).

This module imports hypothesis; the rest of the library never does.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from . import _data
from .errors import TargetValueError
from .nodes import (
    CalendarDate,
    Change,
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Masked,
    Op,
    Period,
    Polarity,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
)

__all__ = [
    "KINDS",
    "actuals_for",
    "baselines_for",
    "chinese_numeral",
    "dates",
    "quantities",
    "target_text_pairs",
    "target_texts",
    "targets",
    "units",
]

#: The ``kind`` tags :func:`targets` can generate.
KINDS = ("comparison", "value", "range", "deadline", "period", "relative", "qualitative", "masked", "compound", "text")

# Classifiers that the unit table does not list and the grammar reads through its placeholder.
_UNKNOWN_CLASSIFIERS = ("盆", "箱", "袋", "匹", "枚", "朵")
_MAGNITUDE_PREFIXES = ("", "", "", "万", "亿", "千")
_COMPOUND_UNITS = (
    Unit("元", per=("亩",)),
    Unit("元", per=("人",)),
    Unit("元", per=("人", "个月")),
    Unit("元", per=("平方米",)),
    Unit("人", per=("次",)),
    Unit("元", "万", ("公里",)),
    Unit("次", per=("年",)),
    Unit("次", per=("个季度",)),
)
# Sentences that are not targets, with the quantities targetexpr extracts from them.
_FREE_TEXTS = (
    ("保障大楼安全运转,排除风险隐患", ()),
    ("完成项目主体工程70%", (Quantity(Decimal(70), Unit("%")),)),
    ("2.补助标准为:每生1500元/学期。", (Quantity(Decimal(1500), Unit("元")),)),
    ("提高畜禽粪污综合利用率和规模养殖场设施装备配套率。", ()),
    ("为水濂村带来观光游客,村集体收入达6万元。", (Quantity(Decimal(6), Unit("元", "万")),)),
)
_UNKNOWN_LABELS = ("服务范围扩大", "长效机制健全", "群众获得感增强", "营商环境优化升级")


def _canonical_units(dimension: str) -> list[str]:
    seen: list[str] = []
    for info in _data.units().values():
        if info.dimension == dimension and info.canonical not in seen:
            seen.append(info.canonical)
    return seen


def units(dimension: str | None = None) -> st.SearchStrategy[Unit]:
    """Units from the unit table (``dimension`` e.g. ``"money"``, ``"count"``, ``"percent"``).

    Money and counts may carry a magnitude prefix (万元, 万人次); counts sometimes use a classifier the
    table does not list; compound units (元/亩, 元/人·个月) come with ``dimension=None``.
    """
    dims = sorted({info.dimension for info in _data.units().values()})
    if dimension is not None and dimension not in dims:
        raise ValueError(f"unknown dimension {dimension!r}; known: {', '.join(dims)}")

    def for_dimension(dim: str) -> st.SearchStrategy[Unit]:
        names = _canonical_units(dim)
        base = st.sampled_from([*names, *_UNKNOWN_CLASSIFIERS]) if dim == "count" else st.sampled_from(names)
        if dim in ("money", "count"):
            return st.builds(Unit, base, st.sampled_from(_MAGNITUDE_PREFIXES))
        return st.builds(Unit, base)

    if dimension is not None:
        return for_dimension(dimension)
    preferred = ["percent", "money", "count", "time", "calendar", "length", "area", "mass"]
    others = [d for d in dims if d not in preferred]
    return st.one_of(
        *(for_dimension(d) for d in preferred if d in dims),
        *(for_dimension(d) for d in others),
        st.sampled_from(_COMPOUND_UNITS),
    )


def _values(unit: Unit | None) -> st.SearchStrategy[Decimal]:
    if unit is not None and unit.base in ("%", "‰", "百分点"):
        plain = st.decimals(min_value=0, max_value=100, places=1)
        return st.one_of(st.integers(0, 100).map(Decimal), plain, st.decimals(min_value=0, max_value=150, places=2))
    counted = unit is not None and unit.base not in ("元",) and _dimension(unit.base) in ("count", "")
    if counted or unit is None:
        return st.integers(0, 10**7).map(Decimal)
    return st.one_of(
        st.integers(0, 10**6).map(Decimal),
        st.decimals(min_value=0, max_value=10**5, places=2),
        st.decimals(min_value=0, max_value=1000, places=4),
    )


def _dimension(base: str) -> str:
    for info in _data.units().values():
        if info.canonical == base:
            return info.dimension
    return "count" if base else ""


def _ambiguous_with_date(value: Decimal, unit: Unit | None) -> bool:
    # "2022年" is a year, "2022.12万元" a date: the grammar reads 1900–2099 that way (docs/syntax.md).
    in_years = Decimal(1900) <= value < Decimal(2100)
    if not in_years:
        return False
    if value != value.to_integral_value():
        return unit is None  # "2022.12" alone is a date; with a unit it is a number
    return unit is not None and unit.base == "年" and not unit.prefix and not unit.per


def quantities(unit: st.SearchStrategy[Unit | None] | None = None) -> st.SearchStrategy[Quantity]:
    """Quantities whose value suits their unit; ``unit`` defaults to any unit or none."""
    unit_strategy: st.SearchStrategy[Unit | None] = unit if unit is not None else st.one_of(st.none(), units())
    return unit_strategy.flatmap(lambda u: _values(u).map(lambda v: Quantity(v, u))).filter(
        lambda q: not _ambiguous_with_date(q.value, q.unit)
    )


def dates(*, year: bool | None = None, end: bool | None = None) -> st.SearchStrategy[CalendarDate]:
    """Valid calendar dates of every precision (day, month, quarter, half-year, year).

    ``year=True`` always gives a year, ``False`` never; ``end`` likewise for 底/末 (never on a day).
    """
    years = st.none() | st.integers(2015, 2030) if year is None else (st.integers(2015, 2030) if year else st.none())
    ends = st.booleans() if end is None else st.just(end)

    @st.composite
    def build(draw: st.DrawFn) -> CalendarDate:
        y = draw(years)
        precision = draw(st.sampled_from(["day", "month", "quarter", "half", "year"]))
        if precision == "day":
            month = draw(st.integers(1, 12))
            last = (
                29
                if month == 2 and y is None
                else (
                    [31, 29 if y is not None and y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                )
            )
            return CalendarDate(y, month, draw(st.integers(1, last)))
        e = draw(ends)
        if precision == "month":
            return CalendarDate(y, draw(st.integers(1, 12)), end=e)
        if precision == "quarter":
            return CalendarDate(y, quarter=draw(st.integers(1, 4)), end=e)
        if precision == "half":
            return CalendarDate(y, half=draw(st.integers(1, 2)), end=e)
        return CalendarDate(y, end=e)

    return build()


def _comparisons() -> st.SearchStrategy[Comparison]:
    return st.builds(Comparison, st.sampled_from(list(Op)), quantities())


def _values_nodes() -> st.SearchStrategy[Value]:
    return st.builds(Value, quantities())


@st.composite
def _ranges(draw: st.DrawFn) -> Range:
    unit = draw(st.none() | units())
    a = draw(quantities(st.just(unit)))
    b = draw(quantities(st.just(unit)))
    low, high = (a, b) if a.value <= b.value else (b, a)
    return Range(low, high, draw(st.booleans()), draw(st.booleans()))


def _deadlines() -> st.SearchStrategy[Deadline]:
    return st.builds(Deadline, dates(), st.booleans())


@st.composite
def _periods(draw: st.DrawFn) -> Period:
    with_year = draw(st.booleans())
    point = dates(year=with_year, end=False).filter(lambda d: d.year is not None or d.precision != "year")
    start, end = draw(point), draw(point)
    if _period_key(end) < _period_key(start):
        start, end = end, start
    return Period(start, end)


def _period_key(d: CalendarDate) -> tuple[int, int, int]:
    month = d.month or (d.quarter * 3 - 2 if d.quarter else (d.half * 6 - 5 if d.half else 1))
    return (d.year or 0, month, d.day or 1)


_REFERENCES = ("上年", "上年同期", "基期", "预算", "计划", "上期", "上月", "上季度")


@st.composite
def _relatives(draw: st.DrawFn) -> Relative:
    reference = draw(st.sampled_from(_REFERENCES))
    if draw(st.booleans()):
        # A bound on the baseline itself: 不低于上年, 不超过预算, 与上年持平.
        return Relative(reference, None, draw(st.sampled_from(list(Op))))
    change = draw(st.sampled_from(list(Change)))
    if draw(st.integers(0, 4)) == 0:
        reference = f"{draw(st.integers(2015, 2030))}年"  # 较2022年增长5%: a named year
    amount_unit = draw(st.sampled_from([Unit("%"), Unit("百分点"), Unit("元", "万"), Unit("人"), Unit("个")]))
    amount = draw(st.none() | quantities(st.just(amount_unit)))
    with_reference = draw(st.booleans())
    if amount is None:
        return Relative(reference, change, draw(st.sampled_from([None, Op.GT])))
    return Relative(reference if with_reference else None, change, draw(st.none() | st.sampled_from(list(Op))), amount)


def _qualitatives() -> st.SearchStrategy[Qualitative]:
    vocab = _data.qualitative()
    known = [Qualitative(label, e.category, Polarity(e.polarity)) for label, e in vocab.items()]
    negatable = [
        label
        for label, e in vocab.items()
        if e.polarity == "positive" and e.category in ("timely", "pass", "effective", "improve")
    ]
    negated = [
        Qualitative(f"不{label}", vocab[label].category, Polarity.NEGATIVE)
        for label in negatable
        if f"不{label}" not in vocab
    ]
    unknown = [Qualitative(label, None) for label in _UNKNOWN_LABELS]
    return st.sampled_from(known + negated + unknown)


def _masked() -> st.SearchStrategy[Masked]:
    digits = st.from_regex(r"[0-9]{0,4}\*\*[0-9*]{0,4}", fullmatch=True)
    return st.builds(Masked, st.none() | st.sampled_from(list(Op)), digits, st.none() | units("money"))


def _free_texts() -> st.SearchStrategy[FreeText]:
    return st.sampled_from([FreeText(text, quantities) for text, quantities in _FREE_TEXTS])


def _compounds() -> st.SearchStrategy[Compound]:
    measurable = st.one_of(_comparisons(), _values_nodes(), _ranges(), _deadlines())
    parts = st.lists(st.one_of(measurable, _qualitatives()), min_size=1, max_size=3)
    return st.builds(lambda first, rest: Compound((first, *rest)), measurable, parts)


_BUILDERS = {
    "comparison": _comparisons,
    "value": _values_nodes,
    "range": _ranges,
    "deadline": _deadlines,
    "period": _periods,
    "relative": _relatives,
    "qualitative": _qualitatives,
    "masked": _masked,
    "compound": _compounds,
    "text": _free_texts,
}


def targets(kinds: Sequence[str] | None = None) -> st.SearchStrategy[Target]:
    """Target ASTs of the given kinds (default: all of :data:`KINDS`), simplest kinds first."""
    chosen = list(KINDS) if kinds is None else list(kinds)
    unknown = [k for k in chosen if k not in _BUILDERS]
    if unknown or not chosen:
        raise ValueError(f"unknown kinds {unknown!r}; choose from {', '.join(KINDS)}")
    return st.one_of(*(_BUILDERS[k]() for k in chosen))


# --- surface texts: many spellings of one target -------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿点")
_FULL_WIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")
_SPACES = ("", "", "", "", " ", "\u3000", "\u00a0")


def chinese_numeral(n: int) -> str:
    """The Chinese numeral of a whole number below 10⁸, written in full (一万零五百, not 一万零五百零零).

    >>> chinese_numeral(15), chinese_numeral(105), chinese_numeral(20500)
    ('十五', '一百零五', '二万零五百')
    """
    if not 0 <= n < 10**8:
        raise ValueError(f"{n} is out of range for chinese_numeral")
    if n == 0:
        return "零"

    def section(value: int, leading: bool) -> str:
        out = ""
        zero = False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = value // unit % 10
            if digit == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            if unit == 10 and digit == 1 and leading and not out:
                out += "十"  # 十五, not 一十五
            else:
                out += _CN_DIGITS[digit] + name
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return section(low, True)
    text = section(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + section(low, False)
    return text


@functools.cache
def _spellings() -> dict[str, list[str]]:
    """Canonical unit -> every spelling of it in the unit table (月 only as a denominator)."""
    table: dict[str, list[str]] = {}
    for spelling, info in _data.units().items():
        if spelling not in ("月",):
            table.setdefault(info.canonical, []).append(spelling)
    table.setdefault("%", []).append("％")
    return table


@functools.cache
def _comparator_words() -> dict[tuple[str, str], list[str]]:
    """(position, op name) -> the words of data/comparators.tsv, plus the symbol aliases."""
    table: dict[tuple[str, str], list[str]] = {}
    for word, info in _data.comparators().items():
        op = {"reach": "ge", "control": "le"}.get(info.op, info.op)
        table.setdefault((info.position, op), []).append(word)
    for alias, replacement in _data.aliases().items():
        for op_name, symbol in (("ge", "≥"), ("le", "≤"), ("eq", "=")):
            if replacement == symbol:
                table[("prefix", op_name)].append(alias)
    table[("prefix", "gt")].append("＞")
    table[("prefix", "lt")].append("＜")
    return table


@functools.cache
def _traditional() -> dict[str, str]:
    rows = _data._rows("aliases.tsv", 3)
    return {row[1]: row[0] for row in rows if row[2] == "traditional"}


def _space(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(_SPACES))


def _number_text(draw: st.DrawFn, value: Decimal, *, cn_ok: bool) -> str:
    plain = format(value, "f")
    forms = [plain]
    if not plain.startswith("-"):
        forms.append(plain.translate(_FULL_WIDTH))
        if value == value.to_integral_value() and abs(value) >= 1000 and "." not in plain and len(plain) <= 18:
            forms.append(f"{int(value):,}")
        if cn_ok and value == value.to_integral_value() and 0 <= value < 10**8:
            forms.append(chinese_numeral(int(value)))
    return draw(st.sampled_from(forms))


def _unit_text(draw: st.DrawFn, unit: Unit) -> str:
    spellings = _spellings()
    base = draw(st.sampled_from(spellings.get(unit.base, [unit.base]))) if unit.base else ""
    if base and base.isascii() and draw(st.booleans()):
        base = base.upper()  # "KM", "M": normalize() lower-cases
    text = unit.prefix + base
    for i, per in enumerate(unit.per):
        options = list(spellings.get(per, [per]))
        if per == "个月":
            options.append("月")
        separator = "/" if i == 0 else draw(st.sampled_from(["/", "·", "*", "・"]))
        text += separator + draw(st.sampled_from(options))
    return text


def _cn_ok(value: Decimal, unit_text: str) -> bool:
    # "三万元" reads as 30000元, "五千克" as 5000克, "四百分比" as 400 + 分比: no Chinese numeral before a
    # word that continues it; and "零" alone is a word of the vocabulary (none at all).
    if unit_text[:1] in _CN_NUMERAL_CHARS:
        return False
    return not (value == 0 and not unit_text)


def _quantity_text(draw: st.DrawFn, q: Quantity, *, unit_shown: bool = True, plain: bool = False) -> str:
    unit = q.unit
    if (
        not plain
        and unit is not None
        and unit.base == "%"
        and not unit.prefix
        and q.value >= 0
        and draw(st.integers(0, 5)) == 0
    ):
        number = _number_text(draw, q.value, cn_ok=True)
        return "百分之" + number.replace(",", "")
    unit_text = _unit_text(draw, unit) if unit is not None and unit_shown else ""
    number = format(q.value, "f") if plain else _number_text(draw, q.value, cn_ok=_cn_ok(q.value, unit_text))
    if not unit_text:
        return number
    return number + _space(draw) + unit_text


# "(含)"/"(不含)" beside 以上/以下 (data: the marks the grammar reads; they override the word).
_MARKED_SUFFIXES = {
    "ge": ("以上(含)", "(含)以上", "以上（含本数）", "及以上(含)"),
    "gt": ("以上(不含)", "(不含)以上", "以上（不含本数）"),
    "le": ("以下(含)", "(含)以下", "以内(含)"),
    "lt": ("以下(不含)", "(不含)以下", "以下（不含本数）"),
}


def _op_text(draw: st.DrawFn, op: Op, quantity_text: str) -> str:
    words = _comparator_words()
    name = op.name.lower()
    choice = draw(st.integers(0, 4))
    suffixes = words.get(("suffix", name), [])
    if choice == 0 and suffixes:
        return quantity_text + _space(draw) + draw(st.sampled_from(suffixes))
    if choice == 4 and name in _MARKED_SUFFIXES:
        return quantity_text + draw(st.sampled_from(_MARKED_SUFFIXES[name]))
    prefix = draw(st.sampled_from(words[("prefix", name)]))
    text = prefix + _space(draw) + quantity_text
    if choice == 1 and suffixes and prefix in ("≥", "≤", "达到", "控制在"):
        text += draw(st.sampled_from(suffixes))  # "≥95%以上", "达到95%以上", "控制在5%以内"
    return text


def _date_text(draw: st.DrawFn, date: CalendarDate, *, numeric_ok: bool = True) -> str:
    year = f"{date.year}年" if date.year is not None else ""
    if date.day is not None:
        assert date.month is not None
        forms = [f"{year}{date.month}月{date.day}日"]
        if date.year is not None and numeric_ok:
            forms += [
                f"{date.year}-{date.month:02d}-{date.day:02d}",
                f"{date.year}/{date.month}/{date.day}",
                f"{date.year}.{date.month:02d}.{date.day:02d}",
            ]
        return draw(st.sampled_from(forms))
    if date.month is not None:
        return f"{year}{date.month}月"
    if date.quarter is not None:
        number = draw(st.sampled_from([str(date.quarter), chinese_numeral(date.quarter)]))
        return f"{year}{draw(st.sampled_from(['第', '']))}{number}季度"
    if date.half is not None:
        return f"{year}{'上' if date.half == 1 else '下'}半年"
    return year


def _deadline_text(draw: st.DrawFn, node: Deadline) -> str:
    date = node.date
    exclusive = draw(st.sampled_from(["(不含当日)", "（不含当日）", "(不含)"])) if not node.inclusive else ""
    if date.precision == "year":
        if date.year is None:
            if date.end:
                word = draw(st.sampled_from(["年底", "年末", "本年底"]))
            else:
                word = draw(st.sampled_from(["年内", "本年度内", "年度内", "当年", "本年内"]))
            marker = draw(st.sampled_from(["前", "之前"])) if date.end or draw(st.booleans()) else ""
            if not marker and not node.inclusive:
                marker = "前"
            return word + marker + exclusive
        year = draw(st.sampled_from([f"{date.year}年", f"{date.year}年度"]))
        if date.end:
            end = draw(st.sampled_from(["底", "末"]))
            marker = draw(st.sampled_from(["前", "之前", "以前", "" if node.inclusive else "前"]))
            return year + end + marker + exclusive
        marker = draw(st.sampled_from(["内", "以内", "" if node.inclusive else "内"]))
        return year + marker + exclusive
    if date.end:
        end = draw(st.sampled_from(["底", "末"]))
        marker = draw(st.sampled_from(["前", "之前", "" if node.inclusive else "前"]))
        return _date_text(draw, date) + end + marker + exclusive
    choice = draw(st.integers(0, 3))
    if node.inclusive and choice == 0 and date.year is not None:
        return "不晚于" + _date_text(draw, date)
    if choice == 1 and date.year is not None:
        return ("≤" if node.inclusive else "<") + _date_text(draw, date)
    if node.inclusive and choice == 2:
        return _date_text(draw, date)  # a bare date is a deadline that includes the day
    marker = draw(st.sampled_from(["前", "之前", "以前"]))
    done = draw(st.sampled_from(["", "", "完成"]))
    return _date_text(draw, date) + marker + done + exclusive


_REFERENCE_WORDS = {
    "上年": ["较上年", "比上年", "较去年", "与上年相比", "较上年度", "比上一年度"],
    "上年同期": ["同比", "较上年同期", "比去年同期"],
    "上期": ["环比", "较上期"],
}
_CHANGE_WORDS = {
    Change.UP: ["增长", "增加", "提高", "提升", "上升", "增幅"],
    Change.DOWN: ["下降", "减少", "降低", "压减", "压缩", "缩减", "下调", "降幅"],
}


def _relative_text(draw: st.DrawFn, node: Relative) -> str:
    reference = node.reference
    if node.change is None:
        assert node.op is not None
        assert reference is not None
        if node.op is Op.EQ:
            return draw(st.sampled_from(["与", "较", "比"])) + reference + draw(st.sampled_from(["", "水平"])) + "持平"
        prefix = draw(st.sampled_from(_comparator_words()[("prefix", node.op.name.lower())]))
        return prefix + reference + draw(st.sampled_from(["", "水平"]))
    if reference is None:
        lead = ""
    else:
        named_year = (
            [f"较{reference}度", f"与{reference}相比", f"与{reference}度相比"] if reference[:1].isdigit() else []
        )
        lead = draw(st.sampled_from(_REFERENCE_WORDS.get(reference, [f"较{reference}", f"比{reference}", *named_year])))
    word = draw(st.sampled_from(_CHANGE_WORDS[node.change]))
    if node.amount is None:
        return lead + ("有所" + word if node.op is Op.GT else word)
    amount = node.amount
    if amount.unit is not None and amount.unit.base == "百分点":
        suffix = draw(st.sampled_from(["个百分点", "百分点"]))
        # "零百分点" and "二百分点" read 百 as part of the numeral: a Chinese numeral needs 个 here.
        number = _number_text(draw, amount.value, cn_ok=_cn_ok(amount.value, suffix) and amount.value != 0)
        text = number + suffix
    else:
        text = _quantity_text(draw, amount)
    if node.op is not None:
        text = _op_text(draw, node.op, text)
    return lead + word + text


def _range_text(draw: st.DrawFn, node: Range) -> str:
    if not (node.low_inclusive and node.high_inclusive) or draw(st.integers(0, 4)) == 0:
        low = _quantity_text(draw, node.low, plain=True)
        high = _quantity_text(draw, node.high, plain=True)
        opening = "[" if node.low_inclusive else draw(st.sampled_from(["(", "（"]))
        closing = "]" if node.high_inclusive else draw(st.sampled_from([")", "）"]))
        return f"{opening}{low},{high}{closing}"
    once = node.low.unit == node.high.unit and node.low.unit is not None and draw(st.booleans())
    low = _quantity_text(draw, node.low, unit_shown=not once)
    high = _quantity_text(draw, node.high)
    if low[:1].isdigit() is False and once:
        low = _quantity_text(draw, node.low, unit_shown=False, plain=True)
    separator = draw(st.sampled_from(["-", "~", "～", "〜", "至", "到", "—"]))
    if separator in ("-", "—") and high.startswith("-"):
        separator = "~"
    text = low + separator + high
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(["在", "介于"])) + text + "之间"
    return text


def _qualitative_text(draw: st.DrawFn, node: Qualitative) -> str:
    label = node.label
    if node.category is not None and draw(st.booleans()):
        table = _traditional()
        label = "".join(table.get(c, c) for c in label)
    return draw(st.sampled_from(["", " "])) + label + draw(st.sampled_from(["", " ", "。"] if node.category else [""]))


# Denominators that can lead with 每 ("每月不少于2次" for ≥2次/个月), and how 每 may spell them.
_MEI_SPELLINGS = {"个月": ("月", "个月"), "个季度": ("季度",), "年": ("年",), "人": ("人",), "亩": ("亩",)}


def _mei_split(draw: st.DrawFn, q: Quantity) -> tuple[str, Quantity]:
    """Maybe "每月" + the quantity without its first denominator; else "" and the quantity."""
    unit = q.unit
    if unit is None or not unit.per or unit.per[0] not in _MEI_SPELLINGS or not draw(st.booleans()):
        return "", q
    lead = "每" + draw(st.sampled_from(_MEI_SPELLINGS[unit.per[0]]))
    return lead, Quantity(q.value, Unit(unit.base, unit.prefix, unit.per[1:]))


def _surface(draw: st.DrawFn, node: Target) -> str:
    if isinstance(node, Comparison):
        lead, quantity = _mei_split(draw, node.quantity)
        return lead + _op_text(draw, node.op, _quantity_text(draw, quantity))
    if isinstance(node, Value):
        lead, quantity = _mei_split(draw, node.quantity)
        return lead + _quantity_text(draw, quantity)
    if isinstance(node, Range):
        return _range_text(draw, node)
    if isinstance(node, Deadline):
        return _deadline_text(draw, node)
    if isinstance(node, Period):
        numeric = node.start.precision == "month" == node.end.precision and node.start.year and node.end.year
        if numeric and draw(st.booleans()):
            assert node.start.month is not None
            assert node.end.month is not None
            return f"{node.start.year}.{node.start.month:02d}-{node.end.year}.{node.end.month:02d}"
        separator = draw(st.sampled_from(["-", "至", "到", "~"]))
        end = node.end
        if end.year is not None and end.year == node.start.year and end.month is not None and draw(st.booleans()):
            end = CalendarDate(None, end.month, end.day)  # "2022年1月-12月": the year written once
        return _date_text(draw, node.start, numeric_ok=False) + separator + _date_text(draw, end, numeric_ok=False)
    if isinstance(node, Relative):
        return _relative_text(draw, node)
    if isinstance(node, Qualitative):
        return _qualitative_text(draw, node)
    if isinstance(node, Compound):
        texts = [_surface(draw, part) for part in node.parts]
        out = texts[0]
        for text in texts[1:]:
            separator = draw(st.sampled_from([";", "；", ",", "，"]))
            if separator in (",", "，") and (out[-1:].isdigit() or text[:1].isdigit()):
                separator = ";"
            out += separator + text
        return out
    return str(node)  # masked digits and free text have one spelling


def target_text_pairs(kinds: Sequence[str] | None = None) -> st.SearchStrategy[tuple[str, Target]]:
    """``(text, target)``: a target and one of the many ways real tables write it.

    ``targetexpr.parse(text) == target`` always holds (with the default options).  Spellings vary:
    comparator symbols and words before or after the number (``≥``, ``>=``, ``≧``, ``不低于``, ``以上``),
    full-width digits and symbols, thousands separators, Chinese numerals, ``百分之…``, unit spellings
    (``公里``/``km``/``KM``), spaces (U+3000 too), date forms (``2022-12-31``, ``2022.12.31``,
    ``12月底前``), baseline words (``较去年``, ``同比``), traditional characters in qualitative words.
    """

    @st.composite
    def pair(draw: st.DrawFn) -> tuple[str, Target]:
        target = draw(targets(kinds))
        return _surface(draw, target), target

    return pair()


def target_texts(kinds: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """Target texts as real tables write them (see :func:`target_text_pairs`)."""
    return target_text_pairs(kinds).map(lambda p: p[0])


# --- actuals on both sides of a target -----------------------------------------------------------

_GRADES_MET = ("达成年度指标", "达成")
_DOTTED_DATE = re.compile(r"(?:19|20)[0-9]{2}\.(?:0[1-9]|1[0-2])")
_YEAR_LIKE = re.compile(r"(?:19|20)[0-9]{2}")
_GRADES_MISSED = ("未达成年度指标且效果较差", "未达成", "部分达成年度指标并具有一定效果")


def _fraction_text(value: Fraction) -> str | None:
    """``value`` as a decimal the grammar reads (≤ 15 integer digits, ≤ 8 places), or ``None``."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    places = max(twos, fives)
    if d != 1 or places > 8:
        return None
    scaled = abs(value.numerator) * (10**places // value.denominator)
    digits = str(scaled).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}"
    if len(text.split(".")[0]) > 15:
        return None
    return ("-" if value < 0 else "") + text


@functools.cache
def _same_dimension_units(base: str) -> tuple[str, ...]:
    info = _data.units().get(base)
    if info is None:
        return (base,)
    return tuple(sorted({i.canonical for i in _data.units().values() if i.dimension == info.dimension}))


def _other_units(unit: Unit | None) -> list[Unit | None]:
    """Units the same quantity may be written in: the unit itself, no unit (a bare number takes the
    target's), and other units of the dimension (元 for 万元, 小时 for 分钟, ‰ for %)."""
    if unit is None:
        return [None]
    out: list[Unit | None] = [unit, None]
    dimension = _data.units().get(unit.base)
    if unit.per or not unit.base or dimension is None or dimension.dimension == "count":
        if dimension is not None and dimension.dimension == "count" and not unit.per:
            out += [Unit(unit.base, p) for p in ("", "万") if p != unit.prefix]
        return out
    prefixes = ("", "千", "万", "亿") if dimension.dimension == "money" else ("",)
    out += [Unit(base, p) for base in _same_dimension_units(unit.base) for p in prefixes if Unit(base, p) != unit]
    return out


def _render_amount(draw: st.DrawFn, value: Fraction, unit: Unit | None) -> str:
    """``value`` (in ``unit``) written in ``unit`` or another unit of its dimension."""
    from .units import factor

    options = []
    for other in _other_units(unit):
        if other is None:
            text = _fraction_text(value)
        else:
            text = _fraction_text(value * factor(unit) / factor(other)) if unit is not None else None
        if text is None:
            continue
        written = text + (str(other) if other is not None else "")
        # A bare 2094.07 reads as a dotted date and 2022年 as a year (docs/syntax.md): not a quantity.
        if _DOTTED_DATE.fullmatch(written) or (_YEAR_LIKE.fullmatch(text) and written[len(text) :].startswith("年")):
            continue
        options.append(written)
    return draw(st.sampled_from(options))


def _quantity_side(
    draw: st.DrawFn, a: Fraction, op: Op, met: bool, step: Fraction, tolerance: Fraction | None
) -> Fraction:
    k = Fraction(draw(st.integers(0, 3))) * draw(st.sampled_from([step, step * 10, step / 10 if step > 1 else step]))
    if op is Op.APPROX:
        assert tolerance is not None
        if met:
            d = min(k, tolerance)
            return a + (d if draw(st.booleans()) else -d)
        return a + (tolerance + step) + k if draw(st.booleans()) else a - tolerance - step - k
    higher = op in (Op.GE, Op.GT)
    strict = op in (Op.GT, Op.LT)
    if op is Op.EQ:
        return a if met else (a + step + k if draw(st.booleans()) else a - step - k)
    if met:
        delta = k + (step if strict else 0)
        return a + delta if higher else a - delta
    delta = k + (0 if strict else step)
    return a - delta if higher else a + delta


def _step(value: Decimal) -> Fraction:
    exponent = value.as_tuple()[2]
    assert isinstance(exponent, int)
    return Fraction(10) ** min(0, exponent) if value != value.to_integral_value() else Fraction(1)


def _quantity_actual(draw: st.DrawFn, quantity: Quantity, op: Op, met: bool, tolerance: Fraction | None) -> str:
    a = Fraction(quantity.value)
    b = _quantity_side(draw, a, op, met, _step(quantity.value), tolerance)
    return _render_amount(draw, b, quantity.unit)


def _date_limit(date: CalendarDate, inclusive: bool) -> datetime.date:
    first, last = _first_last(date)
    if inclusive:
        return last
    return (last if date.end else first) - datetime.timedelta(days=1)


def _first_last(date: CalendarDate) -> tuple[datetime.date, datetime.date]:
    import calendar

    assert date.year is not None
    if date.day is not None:
        assert date.month is not None
        day = datetime.date(date.year, date.month, date.day)
        return day, day
    if date.month is not None:
        months = (date.month, date.month)
    elif date.quarter is not None:
        months = (date.quarter * 3 - 2, date.quarter * 3)
    elif date.half is not None:
        months = (date.half * 6 - 5, date.half * 6)
    else:
        months = (1, 12)
    return (
        datetime.date(date.year, months[0], 1),
        datetime.date(date.year, months[1], calendar.monthrange(date.year, months[1])[1]),
    )


def _day_text(draw: st.DrawFn, day: datetime.date) -> object:
    forms: list[object] = [
        f"{day.year}年{day.month}月{day.day}日",
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        day,
    ]
    return draw(st.sampled_from(forms))


def _with_year(date: CalendarDate, year: int | None, what: str) -> CalendarDate:
    if date.year is not None:
        return date
    if year is None:
        from hypothesis.errors import InvalidArgument

        raise InvalidArgument(f"{what} has no year: pass year= to actuals_for (and to evaluate)")
    try:
        return CalendarDate(year, date.month, date.day, date.quarter, date.half, date.end)
    except TargetValueError:
        from hypothesis import reject

        reject()  # 2月29日 in a year that has none: evaluate says so with an error, no verdict
        raise  # pragma: no cover - reject() does not return


def _deadline_actual(draw: st.DrawFn, node: Deadline, met: bool, year: int | None) -> object:
    date = _with_year(node.date, year, str(node))
    limit = _date_limit(date, node.inclusive)
    offset = datetime.timedelta(days=draw(st.integers(0, 400)))
    day = limit - offset if met else limit + datetime.timedelta(days=1) + offset
    day = min(max(day, datetime.date(1900, 1, 1)), datetime.date(2099, 12, 31))
    return _day_text(draw, day)


def _period_actual(draw: st.DrawFn, node: Period, met: bool, year: int | None) -> object:
    start = _with_year(node.start, year, str(node))
    end = _with_year(node.end, start.year, str(node))
    first, last = _first_last(start)[0], _first_last(end)[1]
    if met:
        day = first + datetime.timedelta(days=draw(st.integers(0, (last - first).days)))
    elif draw(st.booleans()) and first > datetime.date(1900, 1, 31):
        day = first - datetime.timedelta(days=draw(st.integers(1, 30)))
    else:
        day = last + datetime.timedelta(days=draw(st.integers(1, 30)))
    return _day_text(draw, day)


def _read_quantity(value: object, what: str) -> Quantity:
    from .parse import parse

    if isinstance(value, Quantity):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Quantity(Decimal(value))
    if isinstance(value, str):
        node = parse(value)
        if isinstance(node, (Value, Comparison)):
            return node.quantity
    from hypothesis.errors import InvalidArgument

    raise InvalidArgument(f"{what} must be a quantity (text such as '100万元', a Decimal or a Quantity)")


def _relative_actual(draw: st.DrawFn, node: Relative, met: bool, baseline: object, tolerance: Fraction | None) -> str:
    from hypothesis.errors import InvalidArgument

    from .units import factor

    if baseline is None:
        raise InvalidArgument(f"{node} is relative: pass baseline= to actuals_for (and to evaluate)")
    base = _read_quantity(baseline, "baseline")
    unit = base.unit
    b0 = Fraction(base.value)
    step = _step(base.value)
    if node.change is None:
        assert node.op is not None
        level, op = b0, node.op
    elif node.amount is None:
        level, op = b0, Op.GT if node.change is Change.UP else Op.LT
    else:
        sign = 1 if node.change is Change.UP else -1
        amount = node.amount
        amount_unit = amount.unit
        if amount_unit is not None and amount_unit.base == "%" and not amount_unit.prefix:
            level = b0 * (1 + sign * Fraction(amount.value) / 100)
        elif amount_unit is not None and amount_unit.base == "百分点":
            if unit is None or unit.base != "%":
                raise InvalidArgument(f"{node} changes by percentage points: the baseline must be a percentage")
            level = b0 + sign * Fraction(amount.value)
        else:
            if amount_unit is not None and unit is not None:
                step_amount = Fraction(amount.value) * factor(amount_unit) / factor(unit)
            else:
                step_amount = Fraction(amount.value)
            level = b0 + sign * step_amount
        change_op = node.op or Op.GE
        flip = {Op.GE: Op.LE, Op.GT: Op.LT, Op.LE: Op.GE, Op.LT: Op.GT, Op.EQ: Op.EQ, Op.APPROX: Op.APPROX}
        op = change_op if node.change is Change.UP else flip[change_op]
        step = min(step, Fraction(1, 10**4))
    if op is Op.APPROX and tolerance is None:
        raise InvalidArgument(f"{node} is approximate: pass tolerance= to actuals_for (and to evaluate)")
    b = _quantity_side(draw, level, op, met, step, abs(level) * tolerance if tolerance is not None else None)
    text = _fraction_text(b)
    if text is None:  # pragma: no cover - the level of a 8-place baseline has at most 12 places
        from hypothesis import reject

        reject()
    return text + (str(unit) if unit is not None else "")


def _qualitative_actual(draw: st.DrawFn, node: Qualitative, met: bool) -> str:
    vocab = _data.qualitative()
    if node.category == "achievement":
        # A target written as a grade is answered by grades: the actual's grade decides.
        return draw(st.sampled_from(_GRADES_MET if met else _GRADES_MISSED))
    if met:
        options = [node.label, *_GRADES_MET]
        if node.category is not None and node.polarity is Polarity.POSITIVE:
            options += [w for w, e in vocab.items() if e.category == node.category and e.polarity == "positive"]
            options += [w for w, e in vocab.items() if e.category == "affirm" and e.polarity == "positive"]
            if node.category == "no_incident":
                options += ["0起", "0次"]
        return draw(st.sampled_from(options))
    options = list(_GRADES_MISSED)
    if node.category is not None and node.polarity is Polarity.POSITIVE:
        options += [w for w, e in vocab.items() if e.category == node.category and e.polarity != "positive"]
        options += [w for w, e in vocab.items() if e.category == "affirm" and e.polarity != "positive"]
        if node.category == "no_incident":
            options += ["1起", "3次"]
    return draw(st.sampled_from(options))


def _actual(
    draw: st.DrawFn,
    node: Target,
    met: bool,
    year: int | None,
    baseline: object,
    tolerance: Fraction | None,
    in_compound: bool = False,
) -> object:
    from hypothesis.errors import InvalidArgument

    if isinstance(node, (Comparison, Value)):
        if isinstance(node, Value):
            op = Op.LE if node.quantity.value == 0 else Op.GE
            if node.quantity.value == 0 and not met:
                return _render_amount(draw, Fraction(draw(st.integers(1, 5))), node.quantity.unit)
        else:
            op = node.op
        if op is Op.APPROX and tolerance is None:
            raise InvalidArgument(f"{node} is approximate: pass tolerance= to actuals_for (and to evaluate)")
        tol = abs(Fraction(node.quantity.value)) * tolerance if tolerance is not None else None
        if node.quantity.value == 0 and isinstance(node, Value):
            return _render_amount(draw, Fraction(0), node.quantity.unit)
        return _quantity_actual(draw, node.quantity, op, met, tol)
    if isinstance(node, Range):
        low, high = Fraction(node.low.value), Fraction(node.high.value)
        if node.high.unit != node.low.unit:  # pragma: no cover - targets() draws one unit
            raise InvalidArgument("a range with two units")
        step = min(_step(node.low.value), _step(node.high.value))
        if met:
            first = low if node.low_inclusive else low + step / 100
            last = high if node.high_inclusive else high - step / 100
            if first > last:
                from hypothesis import reject

                reject()
            span = last - first
            b = first + span * Fraction(draw(st.integers(0, 100)), 100)
        elif draw(st.booleans()):
            b = low - (0 if not node.low_inclusive else step) - step * draw(st.integers(0, 5))
        else:
            b = high + (0 if not node.high_inclusive else step) + step * draw(st.integers(0, 5))
        return _render_amount(draw, b, node.low.unit)
    if isinstance(node, Deadline):
        return _deadline_actual(draw, node, met, year)
    if isinstance(node, Period):
        return _period_actual(draw, node, met, year)
    if isinstance(node, Relative):
        return _relative_actual(draw, node, met, baseline, tolerance)
    if isinstance(node, Qualitative):
        return _qualitative_actual(draw, node, met)
    if isinstance(node, Compound):
        missed = draw(st.integers(0, len(node.parts) - 1)) if not met else -1
        texts = []
        for i, part in enumerate(node.parts):
            answer = _actual(draw, part, i != missed, year, baseline, tolerance, in_compound=True)
            if isinstance(answer, datetime.date):
                answer = answer.isoformat()
            texts.append(str(answer))
        return ";".join(texts)
    if isinstance(node, FreeText):
        return draw(st.sampled_from(_GRADES_MET if met else _GRADES_MISSED))
    raise InvalidArgument(f"{node} ({node.kind}) has no verdict: its digits are masked")


def actuals_for(
    target: Target,
    *,
    met: bool = True,
    year: int | None = None,
    baseline: object = None,
    tolerance: Decimal | None = None,
) -> st.SearchStrategy[object]:
    """Actuals that meet ``target`` (``met=True``) or miss it (``met=False``).

    Pass ``evaluate`` the same context: ``evaluate(target, actual, year=year, baseline=baseline,
    tolerance=tolerance).met == met``.  Actuals land on both sides of each boundary, on the boundary
    itself when it counts, in other units of the same dimension (元 for 万元, 小时 for 分钟, a bare
    number in the target's unit), as dates of several spellings (and ``datetime.date``) for
    deadlines, and as words for qualitative targets (the label, words of its category, the grades
    达成/未达成).

    * ``year``: for dates that omit it (``年底前``);
    * ``baseline``: for relative targets (``较上年增长5%``), e.g. ``"100万元"``; see
      :func:`baselines_for`;
    * ``tolerance``: for ``约``/``左右`` targets, a fraction of the target (``Decimal("0.05")``).

    Raises ``hypothesis.errors.InvalidArgument`` for a target with no verdict (masked digits) or
    without the context it needs.
    """
    fraction = Fraction(tolerance) if tolerance is not None else None
    _check_context(target, year, baseline, tolerance)

    @st.composite
    def actual(draw: st.DrawFn) -> object:
        return _actual(draw, target, met, year, baseline, fraction)

    return actual()


def _check_context(target: Target, year: int | None, baseline: object, tolerance: object) -> None:
    """Raise at once (not at draw time) when a target has no verdict or lacks its context."""
    from hypothesis.errors import InvalidArgument

    if isinstance(target, Compound):
        for part in target.parts:
            _check_context(part, year, baseline, tolerance)
        return
    if isinstance(target, Masked):
        raise InvalidArgument(f"{target} has no verdict: its digits are masked")
    if isinstance(target, (Deadline, Period)):
        dates = [target.date] if isinstance(target, Deadline) else [target.start]
        if year is None and any(d.year is None for d in dates):
            raise InvalidArgument(f"{target} has no year: pass year= to actuals_for (and to evaluate)")
    if isinstance(target, Relative) and baseline is None:
        raise InvalidArgument(f"{target} is relative: pass baseline= to actuals_for (and to evaluate)")
    approximate = (isinstance(target, (Comparison, Relative)) and target.op is Op.APPROX) or (
        isinstance(target, Relative) and target.amount is not None and target.op is Op.APPROX
    )
    if approximate and tolerance is None:
        raise InvalidArgument(f"{target} is approximate: pass tolerance= to actuals_for (and to evaluate)")


def baselines_for(target: Target) -> st.SearchStrategy[str]:
    """Baselines for a relative target: a percentage for 百分点 changes, else an amount in the unit of
    its change (or a plain number)."""
    if isinstance(target, Relative) and target.amount is not None and target.amount.unit is not None:
        if target.amount.unit.base in ("%", "百分点"):
            if target.amount.unit.base == "百分点":
                return st.integers(0, 100).map(lambda v: f"{v}%")
            return st.integers(1, 10**5).map(str)
        unit = target.amount.unit
        return st.integers(1, 10**5).map(lambda v: f"{v}{unit}")
    return st.integers(1, 10**5).map(str)
