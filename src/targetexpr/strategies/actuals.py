"""Actuals on both sides of a target (met and missed), and baselines for relative targets, built
from the evaluator's own rules."""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from .. import datafiles as _data
from ..convert import exact_decimal
from ..errors import TargetValueError
from ..evaluator.dates import first_last_day
from ..evaluator.qualitative import degree
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
)

# --- actuals on both sides of a target -----------------------------------------------------------

_GRADES_MET = (_data.bands()["met"].full, _data.bands()["met"].short)  # data/bands.tsv
_DOTTED_DATE = re.compile(r"(?:19|20)[0-9]{2}\.(?:0[1-9]|1[0-2])")
_YEAR_LIKE = re.compile(r"(?:19|20)[0-9]{2}")
_GRADES_MISSED = (
    f"{_data.bands()['not_met'].full}且效果较差",
    _data.bands()["not_met"].short,
    f"{_data.bands()['partial'].full}并具有一定效果",
)


def _fraction_text(value: Fraction) -> str | None:
    """``value`` as a decimal the grammar reads (≤ 15 integer digits, ≤ 8 places), or ``None``."""
    exact = exact_decimal(value)
    if exact is None or -int(exact.as_tuple().exponent) > 8:
        return None
    text = format(abs(exact), "f")
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
    from ..units import factor

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
    first, last = first_last_day(date)
    if inclusive:
        return last
    return (last if date.end else first) - datetime.timedelta(days=1)


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
    first, last = first_last_day(start)[0], first_last_day(end)[1]
    if met:
        day = first + datetime.timedelta(days=draw(st.integers(0, (last - first).days)))
    elif draw(st.booleans()) and first > datetime.date(1900, 1, 31):
        day = first - datetime.timedelta(days=draw(st.integers(1, 30)))
    else:
        day = last + datetime.timedelta(days=draw(st.integers(1, 30)))
    return _day_text(draw, day)


def _read_quantity(value: object, what: str) -> Quantity:
    from ..parser.api import parse

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

    from ..units import factor

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
        op = change_op if node.change is Change.UP else change_op.mirrored
        step = min(step, Fraction(1, 10**4))
    if op is Op.APPROX and tolerance is None:
        raise InvalidArgument(f"{node} is approximate: pass tolerance= to actuals_for (and to evaluate)")
    b = _quantity_side(draw, level, op, met, step, abs(level) * tolerance if tolerance is not None else None)
    text = _fraction_text(b)
    if text is None:  # pragma: no cover - the level of a 8-place baseline has at most 12 places
        from hypothesis import reject

        reject()
    written = text + (str(unit) if unit is not None else "")
    if _DOTTED_DATE.fullmatch(written):
        # A bare 2067.07 reads as a dotted date (docs/syntax.md): the same number with a trailing 0.
        written = text + "0"
    return written


def _qualitative_actual(draw: st.DrawFn, node: Qualitative, met: bool) -> str:
    vocab = _data.qualitative()
    if node.category == "achievement":
        # A target written as a grade is answered by grades: the actual's grade decides.
        return draw(st.sampled_from(_GRADES_MET if met else _GRADES_MISSED))
    if met:
        options = [node.label, *_GRADES_MET]
        if node.category is not None and node.polarity is Polarity.POSITIVE:
            # As strong as the target or stronger: the evaluator's own degree rule (持续改善 does not
            # meet 明显改善: rule sets put a weaker degree in the partial band).
            wanted = degree(node.label)[0]
            options += [
                w
                for w, e in vocab.items()
                if e.category == node.category and e.polarity == "positive" and degree(w)[0] >= wanted
            ]
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
