"""Surface texts: the many spellings of one target (symbols and words, full-width digits, spaces,
Chinese numerals, traditional script …), each parsing back to the same AST."""

from __future__ import annotations

import functools
import itertools
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
    Op,
    Period,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
    Words,
)
from .ast import targets

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
    rows = _data.table_rows("aliases.tsv", 3)
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
        if i == 0:
            separator = "/"
        else:
            # After the first denominator: also "、" and ".", and 每 may be repeated ("元/人.每天", #12).
            separator = draw(st.sampled_from(["/", "·", "*", "・", "、", "."]))
            separator += draw(st.sampled_from(["", "每"]))
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
        and not q.value.is_signed()  # not -0 either: 百分之 takes no sign
        and draw(st.integers(0, 5)) == 0
    ):
        number = _number_text(draw, q.value, cn_ok=True)
        return "百分之" + number.replace(",", "")
    if (
        not plain
        and unit_shown
        and unit is not None
        and unit.base == "元"
        and not unit.per
        and draw(st.integers(0, 9)) == 0
    ):
        # "¥1000", "￥1000元", "¥5万" (#12): the currency sign says 元, the unit may say it again.
        number = _number_text(draw, q.value, cn_ok=False)
        return draw(st.sampled_from(["¥", "￥"])) + number + unit.prefix + draw(st.sampled_from(["", "元"]))
    unit_text = _unit_text(draw, unit) if unit is not None and unit_shown else ""
    number = format(q.value, "f") if plain else _number_text(draw, q.value, cn_ok=_cn_ok(q.value, unit_text))
    if not unit_text:
        return number
    if not plain and "(" not in unit_text and draw(st.integers(0, 9)) == 0:
        # "95(%)", "30（万元）" (#12): the unit in brackets, as budget systems export it.
        return number + draw(st.sampled_from([f"({unit_text})", f"（{unit_text}）"]))
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


@functools.cache
def _ten_day_words() -> dict[int | None, str]:
    """The last day of a 旬 (``None``: the month's end) → its word (``data/ten_days.tsv``)."""
    return {last: word for word, last in _data.ten_days().items()}


@functools.cache
def _unit_spellings() -> tuple[str, ...]:
    return tuple(_data.units())


def _deadline_text(draw: st.DrawFn, node: Deadline) -> str:
    date = node.date
    exclusive = draw(st.sampled_from(["(不含当日)", "（不含当日）", "(不含)"])) if not node.inclusive else ""
    if node.recurring:
        # "每年11月底前", "每年6月30日前完成" (#12).
        end = draw(st.sampled_from(["底", "末"])) if date.end else ""
        marker = draw(st.sampled_from(["前", "之前", "以前", "" if node.inclusive else "前"]))
        done = draw(st.sampled_from(["", "完成"])) if marker else ""
        if date.month == 12 and date.end and date.day is None and draw(st.booleans()):
            return "每年" + draw(st.sampled_from(["年底", "年末"])) + marker + done + exclusive  # 每年年底前
        ten_days = _ten_day_words().get(None if date.end else date.day) if date.end or date.day else None
        if ten_days is not None and draw(st.booleans()):  # 每年12月中旬前: by the 20th (stop 27)
            return f"每年{date.month}月{ten_days}{marker}{done}{exclusive}"
        return "每年" + _date_text(draw, date, numeric_ok=False) + end + marker + done + exclusive
    if date.precision == "year":
        if date.year is None:
            # The year words, from the parser's own table (data/year_ends.tsv).
            word = draw(st.sampled_from([w for w, end in _data.year_ends().items() if end == date.end]))
            marker = draw(st.sampled_from(_data.before_words())) if date.end or draw(st.booleans()) else ""
            if not marker and not node.inclusive:
                marker = "前"
            return word + marker + exclusive
        year = draw(st.sampled_from([f"{date.year}年", f"{date.year}年度"]))
        if date.end:
            end = draw(st.sampled_from(["底", "末"]))
            marker = draw(st.sampled_from([*_data.before_words(), "" if node.inclusive else "前"]))
            return year + end + marker + exclusive
        marker = draw(st.sampled_from(["内", "以内", "" if node.inclusive else "内"]))
        return year + marker + exclusive
    # "12月中旬": by the 20th, "12月下旬": by the month's end (data/ten_days.tsv; stop 26)
    ten_days = _ten_day_words().get(None if date.end else date.day) if date.end or date.day else None
    if date.month is not None and ten_days is not None and draw(st.booleans()):
        month = _date_text(draw, CalendarDate(date.year, date.month), numeric_ok=False)
        return month + ten_days + draw(st.sampled_from(["", "前"])) + exclusive
    if date.end:
        end = draw(st.sampled_from(["底", "末"]))
        marker = draw(st.sampled_from([*_data.before_words(), "" if node.inclusive else "前"]))
        # "=12月底前": the 北京 template's comparator column before the date (stop 26)
        equal = draw(st.sampled_from(["", "="])) if node.inclusive and date.year is not None else ""
        return equal + _date_text(draw, date) + end + marker + exclusive
    choice = draw(st.integers(0, 3))
    if node.inclusive and choice == 0 and date.year is not None:
        return "不晚于" + _date_text(draw, date)
    if choice == 1 and date.year is not None:
        return ("≤" if node.inclusive else "<") + _date_text(draw, date)
    if node.inclusive and choice == 2:
        return _date_text(draw, date)  # a bare date is a deadline that includes the day
    marker = draw(st.sampled_from(_data.before_words()))
    done = draw(st.sampled_from(["", "", "完成"]))
    if date.year is None and date.month is not None and date.day is not None and node.inclusive and draw(st.booleans()):
        # "6.30前": a month and a day with a point (stop 27)
        return f"{date.month}.{date.day:02d}" + draw(st.sampled_from(["前", "之前", "以前"])) + done
    return _date_text(draw, date) + marker + done + exclusive


_REFERENCE_WORDS = {
    "上年": ["较上年", "比上年", "较去年", "与上年相比", "较上年度", "比上一年度"],
    "上年同期": ["同比", "较上年同期", "比去年同期"],
    "上期": ["环比", "较上期"],
}
# The change words, from the parser's own table (data/changes.tsv).
_CHANGE_WORDS = {
    change: [w for w, c in _data.changes().items() if c == change.value] for change in (Change.UP, Change.DOWN)
}


def _relative_text(draw: st.DrawFn, node: Relative) -> str:
    reference = node.reference
    if node.change is None:
        assert node.op is not None
        if reference is None:
            return "持平"  # the baseline left to the caller
        if node.op is Op.EQ:
            return draw(st.sampled_from(["与", "较", "比"])) + reference + draw(st.sampled_from(["", "水平"])) + "持平"
        prefix = draw(st.sampled_from(_comparator_words()[("prefix", node.op.name.lower())]))
        return prefix + reference + draw(st.sampled_from(["", "水平"]))
    excess = node.change is Change.UP and node.op is None and node.amount is not None
    if reference is not None and excess and not reference[:1].isdigit() and draw(st.booleans()):
        # "超上年2%": the increase written as a comparison (more than the baseline by the amount).
        assert node.amount is not None
        exceed = draw(st.sampled_from(_comparator_words()[("prefix", "gt")]))
        return exceed + reference + draw(st.sampled_from(["", "水平"])) + _quantity_text(draw, node.amount)
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
    symmetric = node.low.unit == node.high.unit and node.low.value == -node.high.value and node.high.value >= 0
    if symmetric and node.low_inclusive and node.high_inclusive and draw(st.booleans()):
        # "±3%", "±3%以内", "控制在±3%以内" (#12).
        size = _quantity_text(draw, node.high, plain=True)
        lead = draw(st.sampled_from(["", "", "控制在", "不超过"]))
        return lead + "±" + size + draw(st.sampled_from(["", "以内", "之内"]))
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
    # A label written with digits (7·24小时) is kept as the cell writes it, so not in traditional characters.
    if node.category is not None and not any(c.isdigit() for c in label) and draw(st.booleans()):
        table = _traditional()
        label = "".join(table.get(c, c) for c in label)
    # "定性 优": the 指标性质 column's word before the value, the columns read together (#12, stop 25)
    lead = draw(st.sampled_from(["", " ", "定性 "] if node.category else ["", " "]))
    return lead + label + draw(st.sampled_from(["", " ", "。"] if node.category else [""]))


# Denominators that can lead with 每 ("每月不少于2次" for ≥2次/个月), and how 每 may spell them.
_MEI_SPELLINGS = {
    "个月": ("月", "个月"),
    "个季度": ("季度",),
    "年": ("年",),
    "人": ("人",),
    "亩": ("亩",),
    "2小时": ("2小时", "两小时"),  # 每2小时1次 (#12, stop 25), 每两小时一次 (stop 26)
    "2个月": ("2个月", "两个月"),
}

# The same periods written first without 每 before a count of times ("一年一次", "2小时一次": #12,
# stop 26).
_PERIOD_FIRST = {
    "个月": ("一个月", "一月", "1个月"),
    "个季度": ("一季度", "一个季度"),
    "年": ("一年", "1年"),
    "2小时": ("2小时", "两小时"),
    "2个月": ("2个月", "两个月"),
}


def _period_first(draw: st.DrawFn, op: Op | None, q: Quantity) -> str | None:
    """``一年一次``, ``一年不少于2次``: a whole count of times per period, the period first and no
    每; ``None`` where the quantity is none such or the draw says no."""
    unit = q.unit
    if (
        unit is None
        or unit.base != "次"
        or unit.prefix
        or len(unit.per) != 1
        or unit.per[0] not in _PERIOD_FIRST
        or op not in (None, Op.GE)
        or q.value != q.value.to_integral_value()
        or not 0 <= q.value <= 10
        or not draw(st.booleans())
    ):
        return None
    count = int(q.value)
    number = draw(st.sampled_from([str(count), chinese_numeral(count) if count else "0"]))
    word = "" if op is None else draw(st.sampled_from(["不少于", "至少", "≥"]))
    return draw(st.sampled_from(_PERIOD_FIRST[unit.per[0]])) + word + number + "次"


def _mei_split(draw: st.DrawFn, q: Quantity) -> tuple[str, Quantity]:
    """Maybe "每月" + the quantity without its first denominator; else "" and the quantity."""
    unit = q.unit
    if unit is None or not unit.per or unit.per[0] not in _MEI_SPELLINGS or not draw(st.booleans()):
        return "", q
    lead = "每" + draw(st.sampled_from(_MEI_SPELLINGS[unit.per[0]]))
    return lead, Quantity(q.value, Unit(unit.base, unit.prefix, unit.per[1:]))


def _surface(draw: st.DrawFn, node: Target) -> str:
    words: Words | None = getattr(node, "words", None)
    if words is not None:
        bare: Any = node
        core: Target = attrs.evolve(bare, words=None)
        return f"{words.before}{_core_surface(draw, core)}{words.after}"
    return _plain_surface(draw, node)


def _core_surface(draw: st.DrawFn, node: Target) -> str:
    """A core beside words: its number in digits (the reader finds a core by its digits)."""
    if isinstance(node, Comparison):
        return _op_text(draw, node.op, _quantity_text(draw, node.quantity, plain=True))
    if isinstance(node, Value):
        return _quantity_text(draw, node.quantity, plain=True)
    if isinstance(node, Deadline):
        return _deadline_text(draw, node)
    return _plain_surface(draw, node)


def _more_than(draw: st.DrawFn, node: Comparison) -> str | None:
    """``200余人``, ``20多个``: "more than" written between a count and its unit (#12), or ``None``."""
    q, unit = node.quantity, node.quantity.unit
    if node.op is not Op.GT or unit is None or unit.prefix or unit.per or q.value < 0 or not draw(st.booleans()):
        return None
    info = _data.units().get(unit.base)
    if info is None or info.dimension != "count":
        return None
    return format(q.value, "f") + draw(st.sampled_from(["余", "多"])) + unit.base


# The lengths of time 半 is written before (半年内, 一个半月内, 半小时以上: stop 27), with 个 or not.
_HALF_UNITS = {"年": ("年",), "小时": ("小时", "个小时"), "个月": ("个月", "月"), "天": ("天",), "周": ("周",)}


def _half_text(draw: st.DrawFn, node: Comparison) -> str | None:
    """``半年内``, ``两个半小时以上``: a bound of N.5 units of time written with 半, or ``None``."""
    q, unit = node.quantity, node.quantity.unit
    if node.op not in (Op.LE, Op.GE) or unit is None or unit.prefix or unit.per or unit.base not in _HALF_UNITS:
        return None
    whole = q.value - Decimal("0.5")
    if whole < 0 or whole > 10 or whole != whole.to_integral_value() or not draw(st.booleans()):
        return None
    if whole and unit.base not in ("个月", "小时"):
        return None  # 一个半月, 两个半小时; a year and a half is 一年半, not written so here
    spelling = draw(st.sampled_from(_HALF_UNITS[unit.base]))
    if whole == 0:
        number = ""
    else:
        number = draw(st.sampled_from([str(int(whole)), chinese_numeral(int(whole))])) + "个"
        spelling = spelling.removeprefix("个")
    bound = draw(st.sampled_from(["内", "以内", "之内"] if node.op is Op.LE else ["以上"]))
    return number + "半" + spelling + bound


def _unit_first(draw: st.DrawFn, node: Comparison | Value) -> str | None:
    """``%=100``, ``公里=125``, ``%95``: the 单位 cell read before the 指标值 cell (#12), or ``None``."""
    q, unit = node.quantity, node.quantity.unit
    if unit is None or unit.per or not unit.base or q.value.is_signed() or draw(st.integers(0, 5)) != 0:
        return None
    if unit.base not in _data.units() or (unit.prefix and unit.prefix not in _data.magnitudes()):
        return None
    symbol = node.op.value if isinstance(node, Comparison) else ""
    return unit.prefix + unit.base + symbol + format(q.value, "f")


def _plain_surface(draw: st.DrawFn, node: Target) -> str:
    if isinstance(node, Comparison | Value):
        first = _unit_first(draw, node)
        if first is not None:
            return first
    if isinstance(node, Comparison):
        more = _more_than(draw, node) or _half_text(draw, node)
        if more is not None:
            return more
        first = _period_first(draw, node.op, node.quantity)
        if first is not None:
            return first
        lead, quantity = _mei_split(draw, node.quantity)
        return lead + _op_text(draw, node.op, _quantity_text(draw, quantity))
    if isinstance(node, Value):
        first = _period_first(draw, None, node.quantity)
        if first is not None:
            return first
        lead, quantity = _mei_split(draw, node.quantity)
        return lead + _quantity_text(draw, quantity)
    if isinstance(node, Range):
        return _range_text(draw, node)
    if isinstance(node, Deadline):
        return _deadline_text(draw, node)
    if isinstance(node, Period):
        numeric = (
            node.start.precision == "month" == node.end.precision
            and node.start.year
            and node.end.year
            and not node.end.end  # "2026.12" says no 底 (2026年4月-12月底, stop 25)
        )
        if numeric and draw(st.booleans()):
            assert node.start.month is not None
            assert node.end.month is not None
            return f"{node.start.year}.{node.start.month:02d}-{node.end.year}.{node.end.month:02d}"
        start, end = node.start, node.end
        dotted_days = start.precision == "day" == end.precision and start.year and start.year == end.year
        if dotted_days and draw(st.booleans()):
            # "2021.1.1-12.31": a dotted day, then month.day with the year left out (#12).
            sign = draw(st.sampled_from(["-", "--", "~", "至", "到"]))
            return f"{start.year}.{start.month}.{start.day}{sign}{end.month}.{end.day}"
        same_year = start.year == end.year and start.precision == "month" == end.precision and not start.end
        if same_year and end.day is None and start.month is not None and end.month is not None and draw(st.booleans()):
            # "2025年3-12月", "1-12月底": months written once at the end (stop 26: with 底/末)
            year = f"{start.year}年" if start.year is not None else ""
            closing = draw(st.sampled_from(["底", "末"])) if end.end else ""
            return f"{year}{start.month}{draw(st.sampled_from(['-', '~', '至']))}{end.month}月{closing}"
        separator = draw(st.sampled_from(["-", "至", "到", "~"]))
        end = node.end
        if end.year is not None and end.year == node.start.year and end.month is not None and draw(st.booleans()):
            end = CalendarDate(None, end.month, end.day, end=end.end)  # "2022年1月-12月": the year written once
        closing = (
            ("末" if end.precision in ("quarter", "half") else draw(st.sampled_from(["底", "末"]))) if end.end else ""
        )
        start_text = _date_text(draw, node.start, numeric_ok=False)
        return start_text + separator + _date_text(draw, end, numeric_ok=False) + closing
    if isinstance(node, Relative):
        return _relative_text(draw, node)
    if isinstance(node, Qualitative):
        return _qualitative_text(draw, node)
    if isinstance(node, Compound):
        texts = [_surface(draw, part) for part in node.parts]
        # The 单位 cell read first (千瓦0.0002) is a whole cell's spelling: a list item has its unit after.
        listed = [
            str(p) if t.lstrip().startswith(_unit_spellings()) else t for p, t in zip(node.parts, texts, strict=True)
        ]
        if _listable(node, listed) and draw(st.integers(0, 4)) == 0:
            return "、".join(listed)  # "1600人、200人" (#12): counts listed as the name lists them
        if all(not t[:1].isdigit() for t in texts) and draw(st.integers(0, 6)) == 0:
            # "1:≥95%;2:有所提升" (#12): a numbered list; an item's number before a digit would be read
            # as part of the number, so only before a comparator or a word.
            mark = st.sampled_from([":", "：", "、", ".", ")"])
            marks = draw(st.lists(mark, min_size=len(texts), max_size=len(texts)))
            texts = [f"{i}{mark}{text}" for i, (mark, text) in enumerate(zip(marks, texts, strict=True), 1)]
        out = texts[0]
        for text in texts[1:]:
            separator = draw(st.sampled_from([";", "；", ",", "，"]))
            if separator in (",", "，") and (out[-1:].isdigit() or text[:1].isdigit()):
                separator = ";"
            out += separator + text
        return out
    return str(node)  # masked digits and free text have one spelling


def _listable(node: Compound, texts: list[str]) -> bool:
    """Whether the parts may be listed with 、: each a value or comparison with a unit of its own
    (no denominators, which 、 also joins) and no words, none written with 、 or / itself, and no
    digit on both sides of a 、 (``美元≥0、0kVA``: the reader takes 0、0 for numbers run together)."""
    units = [p.quantity.unit if isinstance(p, (Value, Comparison)) and p.words is None else None for p in node.parts]
    joined = any(a[-1:].isdigit() and b[:1].isdigit() for a, b in itertools.pairwise(texts))
    # An item in Chinese numerals only is a count only as a bound on a unit of the table (三十个以上;
    # 一类、二类 name things): see the reader's _listed.
    numerals_only = any(
        not any(c.isdigit() for c in t)
        and not (isinstance(p, Comparison) and u is not None and u.base in _data.units())
        for p, t, u in zip(node.parts, texts, units, strict=True)
    )
    return (
        all(u is not None and not u.per for u in units)
        and not joined
        and not numerals_only
        and not any("、" in t or "/" in t for t in texts)
    )


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


def grammar_texts() -> st.SearchStrategy[str]:
    """Sentences of the grammar itself (``hypothesis.extra.lark.from_lark`` over the shipped grammar,
    with its own alphabet): only syntactically valid, so each one parses or raises a
    :class:`~targetexpr.TargetError`, never anything else."""
    from hypothesis.extra.lark import from_lark

    from ..parser import grammar

    alphabet = st.sampled_from(sorted(set("0123456789.%-~/≥≤<>=") | set(grammar.alphabet())))
    # A parser built from the grammar: from_lark reads the grammar's rules, which a parser loaded
    # from the shipped tables (a wheel, an editable install) does not keep.
    return from_lark(grammar.build_parser(), alphabet=alphabet)
