"""Strategies for the AST: units, quantities, dates, and every kind of target node."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from .. import datafiles as _data
from ..nodes import (
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
    Words,
)

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
    # A denominator with a quantity of its own (#12): fuel per 100 km, per 10,000 yuan.  (A ratio, 1:1,
    # is not drawn here: it has no unit of its own to stand in brackets or after 余.)
    Unit("升", per=("100公里",)),
    Unit("元", per=("100人",)),
    Unit("吨", per=("万元",)),
    # A counted period, as 每2小时1次 writes it (#12, stop 25).
    Unit("次", per=("2小时",)),
    Unit("次", per=("2个月",)),
)
# Sentences that are not targets, with the quantities targetexpr extracts from them.
#: Free texts as the parser reads them: the text, and what it finds in it (quantities, dates,
#: labels of the qualitative vocabulary, and the reason no single target could be read).
_FREE_TEXTS = (
    FreeText("保障大楼安全运转,排除风险隐患", reason="no_number"),
    FreeText("每年增长5%", (Quantity(Decimal(5), Unit("%")),), reason="in_sentence"),
    FreeText(
        "2.补助标准为:每生1500元/学期。", (Quantity(Decimal(1500), Unit("元", "", ("学期",))),), reason="in_sentence"
    ),
    FreeText(
        "培训三次并确保效果明显,一次性验收", (Quantity(Decimal(3), Unit("次")),), labels=("效果明显",), reason="several"
    ),
    FreeText("提高畜禽粪污综合利用率和规模养殖场设施装备配套率。", labels=("提高",), reason="no_number"),
    FreeText("计划于2024年启动建设工作", dates=(CalendarDate(2024),), reason="in_sentence"),
    # Clauses of words without a number: a sentence, though the grammar knows every character (#12).
    FreeText("加强管理,提高效益,增加收入", labels=("加强", "提高"), reason="no_number"),
    FreeText(
        "按每户2000元标准于10月底前发放到位",
        (Quantity(Decimal(2000), Unit("元")),),
        dates=(CalendarDate(None, 10, end=True),),
        reason="several",
    ),
    FreeText(
        "于2023年6月底前完成招标并确保效果明显",
        dates=(CalendarDate(2023, 6, end=True),),
        labels=("完成", "效果明显"),
        reason="several",
    ),
)
_UNKNOWN_LABELS = (
    "服务范围扩大",
    "长效机制健全",
    "群众获得感增强",
    "营商环境优化升级",
    # A lead clause of means before the target (#12, data/means_leads.tsv).
    "通过项目实施,群众获得感增强",
    "依托培训,提高农民技能水平",
)


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
    if unit.base in ("年", "小时", "个月", "天", "周") and not unit.prefix and not unit.per:
        # 半年, 一个半月: lengths of time and a half, which texts may spell with 半 (stop 27)
        halves = st.integers(0, 10).map(lambda n: Decimal(n) + Decimal("0.5"))
        return st.one_of(halves, st.integers(0, 10**6).map(Decimal), st.decimals(min_value=0, max_value=1000, places=2))
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
    plain = st.builds(Comparison, st.sampled_from(list(Op)), quantities())
    return plain | _worded(plain)


def _values_nodes() -> st.SearchStrategy[Value]:
    plain = st.builds(Value, quantities())
    return plain | _worded(plain)


# Words real cells write around their core (#12), as parser/core.py keeps them.
_BEFORE_WORDS = ("", "完成河道清淤", "服务对象满意率", "在岗人员到岗率", "开展培训", "AI分析设备共", "安全隐患降低率")
_AFTER_WORDS = ("", "。", "到位", "全覆盖", "的目标", "(满分100分)")


def _wordable(node: Comparison | Value | Deadline) -> bool:
    """A core the reader finds again with its words: a quantity with a unit and no per-unit (a 每
    spelling would join the words), or a deadline with a month."""
    if isinstance(node, Deadline):
        return node.date.month is not None and node.date.day is None
    unit = node.quantity.unit
    return unit is not None and bool(unit.base) and not unit.per


def _worded(nodes: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nodes with the words real cells write around them: plain words around a core with a unit or a
    month, 每 and the denominator of a per-unit (每户补助5000元), or the word before a bare number
    that says what it measures (投诉率为0); one branch, so the kinds keep their share."""

    @st.composite
    def worded(draw: st.DrawFn) -> Any:
        node = draw(nodes)
        if _wordable(node):
            before = draw(st.sampled_from(_BEFORE_WORDS))
            after = draw(st.sampled_from(_AFTER_WORDS[1:] if not before else _AFTER_WORDS))
            return attrs.evolve(node, words=Words(before, after))
        if isinstance(node, Deadline):
            return node
        unit = node.quantity.unit
        if unit is not None and unit.base and len(unit.per) == 1 and unit.per[0] in _PER_DENOMINATORS:
            if draw(st.booleans()):
                return attrs.evolve(node, words=Words("", "每" + unit.per[0]))
            phrase = draw(st.sampled_from(_PER_WORDS)).format(unit.per[0])
            return attrs.evolve(node, words=Words(phrase, ""))
        if isinstance(node, Value) and unit is None and not node.quantity.value.is_signed():
            return attrs.evolve(node, words=Words(draw(st.sampled_from(_BARE_LEADS)), ""))
        if isinstance(node, Comparison) and unit is None and not node.quantity.value.is_signed():
            # 单价≤0.25: a name, then a bound with its comparator; the unit from the indicator (#12, stop 25)
            return attrs.evolve(node, words=Words(draw(st.sampled_from(_SIGNED_LEADS)), ""))
        return node

    return worded()


# 每 and a denominator among the words (#12): 每户补助5000元 reads 5000元/户 and keeps its words.
_PER_WORDS = ("每{}补助", "平均每{}", "每{}发放")
_PER_DENOMINATORS = ("户", "人", "亩")
# A bare number ending a cell after the word that says what it measures (#12, data/bare_leads.tsv).
_BARE_LEADS = ("投诉率为", "安全事故发生率", "完成")
_SIGNED_LEADS = ("单价", "单色", "彩色印刷")


@st.composite
def _ranges(draw: st.DrawFn) -> Range:
    unit = draw(st.none() | units())
    a = draw(quantities(st.just(unit)))
    b = draw(quantities(st.just(unit)))
    low, high = (a, b) if a.value <= b.value else (b, a)
    if draw(st.integers(0, 4)) == 0:
        # A symmetric deviation, "±3%" (#12).
        size = Quantity(abs(b.value), unit)
        return Range(Quantity(size.value.copy_negate(), unit), size)
    return Range(low, high, draw(st.booleans()), draw(st.booleans()))


def _deadlines() -> st.SearchStrategy[Deadline]:
    plain = st.builds(Deadline, dates(), st.booleans())
    # "每年11月底前": a month (or a day) without a year, recurring each year (#12).
    recurring = st.builds(
        lambda date, inclusive: Deadline(date, inclusive, recurring=True),
        dates(year=False).filter(lambda d: d.month is not None),
        st.booleans(),
    )
    return plain | recurring | _worded(plain.filter(lambda d: d.inclusive and d.date.end))


@st.composite
def _periods(draw: st.DrawFn) -> Period:
    with_year = draw(st.booleans())
    point = dates(year=with_year, end=False).filter(lambda d: d.year is not None or d.precision != "year")
    start, end = draw(point), draw(point)
    if _period_key(end) < _period_key(start):
        start, end = end, start
    if end.precision in ("month", "quarter", "half") and draw(st.booleans()):
        end = attrs.evolve(end, end=True)  # 4月-12月底: to the end of the last month (#12, stop 25)
    return Period(start, end)


def _period_key(d: CalendarDate) -> tuple[int, int, int]:
    month = d.month or (d.quarter * 3 - 2 if d.quarter else (d.half * 6 - 5 if d.half else 1))
    return (d.year or 0, month, d.day or 1)


_REFERENCES = ("上年", "上年同期", "基期", "预算", "计划", "上期", "上月", "上季度")


@st.composite
def _relatives(draw: st.DrawFn) -> Relative:
    reference = draw(st.sampled_from(_REFERENCES))
    if draw(st.booleans()):
        # A bound on the baseline itself: 不低于上年, 不超过预算, 与上年持平, or 持平 alone.
        op = draw(st.sampled_from(list(Op)))
        return Relative(reference if op is not Op.EQ or draw(st.integers(0, 3)) else None, None, op)
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
    return st.sampled_from(_FREE_TEXTS)


def _compounds() -> st.SearchStrategy[Compound]:
    measurable = st.one_of(_comparisons(), _values_nodes(), _ranges(), _deadlines())
    # A part's label holds no clause break: the canonical text joins the parts with ";", and a comma
    # inside one (通过项目实施,群众获得感增强) would split it again.
    labels = _qualitatives().filter(lambda q: not any(c in q.label for c in ",;，；"))
    parts = st.lists(st.one_of(measurable, labels), min_size=1, max_size=3)
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
