"""Turns Lark's parse tree into AST nodes: one flat method per grammar rule.

A :class:`Builder` is made per call to carry the call's context (``year=``, the deadline policy, the
date order, and the classifier characters that parse() replaced by the grammar's placeholder).
Semantic problems found here (4月31日, 十十, a deadline with ≥) raise :class:`SemanticError` with the
position in the normalised text; :mod:`targetexpr.parse` turns it into a ``TargetSyntaxError``.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Mapping
from typing import Any

import attrs

from .. import datafiles as _data
from ..errors import TargetValueError
from ..i18n import say
from ..nodes import (
    CalendarDate,
    Change,
    Comparison,
    Deadline,
    Masked,
    Op,
    Period,
    Quantity,
    Range,
    Relative,
    Unit,
    Value,
)
from ..options import ParseOptions
from . import tree_items as _items
from .comparators import combine
from .frequency import Frequencies
from .tree_items import (
    Rules,
    SemanticError,
    Token,
    Tree,
    _Amount,
    _combine,
    _decimal,
    _Mark,
    _marked,
    _OpWord,
    _pos,
    cn_decimal,
)

__all__ = ["Builder", "EmbeddedBuilder", "SemanticError", "calling"]

#: The units the builder makes, shared (a ``Unit`` is immutable, its hash cached): most cells name a
#: few dozen units, and making one runs its validators each time.
_unit = functools.lru_cache(maxsize=1024)(Unit)


@functools.lru_cache(maxsize=64)
def _prefix_op(name: str) -> Op:
    """The comparator of a prefix word without a suffix (what ``_combine(word, None)`` gives)."""
    return combine(name, None)


# Deadline words that fix inclusivity whatever the policy: "不晚于 X" and "截至 X" include X.
_BY_WORDS_INCLUSIVE = frozenset(["不晚于", "不迟于", "截至", "截止", "截止到", "截至到"])


def _ten_day_date(date: CalendarDate, xun: Any) -> CalendarDate:
    """``date`` (a month) at the last day of the 旬 ``xun`` names: the 10th, the 20th or the month's end."""
    last = _data.ten_days()[str(xun)]
    return attrs.evolve(date, end=True) if last is None else attrs.evolve(date, day=last)


class Builder(Rules, Frequencies):
    """Parse tree -> AST.  One instance per parse() call: a method per grammar rule (see
    :class:`.tree_items.Rules`).  No Lark import here."""

    ctx: ParseOptions
    placeholders: Mapping[int, str]

    def __init__(self, options: ParseOptions, placeholders: Mapping[int, str]) -> None:
        self.ctx = options
        self.placeholders = placeholders

    # --- comparators ----------------------------------------------------------------------------
    def symbol_op(self, children: list[Token]) -> _OpWord:
        token = children[0]
        return _OpWord(_data.comparators()[str(token)].op, token)

    word_op = symbol_op
    suffix_op = symbol_op

    def bound_mark(self, children: list[Token]) -> _Mark:
        return _Mark(not str(children[0]).startswith("(不"), children[0])

    def _bounded(self, children: list[Any]) -> tuple[Op | None, Quantity]:
        """[prefix] quantity [suffix], with a "(含)"/"(不含)" mark anywhere after the quantity."""
        mark = next((c for c in children if isinstance(c, _Mark)), None)
        items = [c for c in children if not isinstance(c, _Mark)]
        prefix = items[0] if isinstance(items[0], _OpWord) else None
        quantity = next(c for c in items if isinstance(c, Quantity))
        suffix = items[-1] if isinstance(items[-1], _OpWord) and items[-1] is not prefix else None
        if prefix is None and suffix is None:
            return None, quantity
        op = _combine(prefix, suffix)
        if mark is not None:
            op = _marked(op, mark, [w for w in (prefix, suffix) if w is not None])
        return op, quantity

    def comparison(self, children: list[Any]) -> Comparison:
        if len(children) == 2 and children[0].__class__ is _OpWord and children[1].__class__ is Quantity:
            word, quantity = children  # the usual "≥95%": a prefix word alone decides
            return Comparison(_prefix_op(word.op), quantity)
        op, quantity = self._bounded(children)
        assert op is not None  # the grammar puts a comparator in every comparison
        return Comparison(op, quantity)

    def more_than(self, children: list[Any]) -> Comparison:
        """``200余人``: more than 200 people."""
        unit = children[2] if len(children) > 2 else None
        return Comparison(Op.GT, self.quantity([children[0], unit] if unit is not None else [children[0]]))

    def more_word(self, children: list[Token]) -> Token:
        return children[0]

    def value(self, children: list[Any]) -> Value:
        return Value(children[0])

    # --- quantities -----------------------------------------------------------------------------
    def magnitude(self, children: list[Token]) -> Token:
        return children[0]

    def amount(self, children: list[Any]) -> _Amount:
        if isinstance(children[0], Token) and children[0].type == "DASH":
            inner = self.amount(children[1:])
            # copy_negate() is exact; unary minus would round in the caller's decimal context.
            return _Amount(inner.value.copy_negate(), inner.prefix)
        token = children[0]
        if token.type == "CN_NUMBER":
            value = cn_decimal(token)
            return _Amount(value, "")
        prefix = str(children[1]) if len(children) > 1 and children[1] is not None else ""
        return _Amount(_decimal(token), prefix)

    def quantity(self, children: list[Any]) -> Quantity:
        amount: _Amount = children[0]
        unit: Unit | None = children[1] if len(children) > 1 else None
        if amount.prefix:
            unit = _unit(unit.base, amount.prefix, unit.per) if unit is not None else _unit("", amount.prefix)
        return Quantity(amount.value, unit)

    currency_quantity = staticmethod(_items.currency_quantity)  # ¥1000 is 1000元
    bracketed_quantity = staticmethod(_items.bracketed_quantity)  # 95(%), 30(万元)
    ratio_quantity = staticmethod(_items.ratio_quantity)  # 1:1
    dotted_months = staticmethod(_items.dotted_months)  # 2023.1-2023.12
    near = staticmethod(_items.near)  # 近100人
    reference_excess = staticmethod(_items.reference_excess)  # 超上年2%

    def dotted_quantity(self, children: list[Any]) -> Quantity:
        """A number the lexer took for a dotted date ("1935.01个"): read it as the number it is."""
        token: Token = children[0]
        rest = children[1:]
        magnitude = next((c for c in rest if isinstance(c, Token)), None)
        unit = next((c for c in rest if isinstance(c, Unit)), None)
        amount = _Amount(_decimal(token), str(magnitude) if magnitude is not None else "")
        return self.quantity([amount, unit] if unit is not None else [amount])

    def bound(self, children: list[Any]) -> Quantity:
        """One end of a bracketed range: a quantity whose number has no thousands separator."""
        unit = children[-1] if isinstance(children[-1], Unit) else None
        numbers = [c for c in children if not isinstance(c, Unit)]
        return self.quantity([self.amount(numbers), unit] if unit is not None else [self.amount(numbers)])

    def percent_of(self, children: list[Token]) -> Quantity:
        token = children[1]
        value = self.amount([token]).value if token.type == "CN_NUMBER" else _decimal(token)
        return Quantity(value, _unit({"PERMILLE_OF": "‰", "PER_TEN_THOUSAND_OF": "‱"}.get(children[0].type, "%")))

    percent_bound = percent_of

    def unit_word(self, children: list[Token]) -> str:
        return _data.units()[str(children[0])].canonical

    def per_sep(self, children: list[Token]) -> str:
        return "/"

    more_sep = per_sep

    def per_atom(self, children: list[Any]) -> str:
        return self._atom(children[-1])  # a repeated 每 ("元/人.每天") adds nothing

    def counted_per(self, children: list[Any]) -> str:  # 100km of 500元/100km
        return _items.counted_per(children, self._atom)

    def per_part(self, children: list[Any]) -> tuple[str, ...]:
        return tuple(c for c in children[1::2])

    def bare_per(self, children: list[Any]) -> tuple[str, ...]:
        per: tuple[str, ...] = children[0]
        return per

    def _atom(self, item: Any) -> str:
        if isinstance(item, str) and not isinstance(item, Token):
            return item
        token: Token = item
        kind = token.type
        if kind == "NIAN":
            return "年"
        if kind == "RI":
            return "天"
        if kind == "YUE":
            return "个月"
        if kind == "JIDU":
            return "个季度"
        if kind == "OTHER_UNIT":
            return self.placeholders.get(token.start_pos or 0, "?")
        return _data.units()[str(token)].canonical  # pragma: no cover - all atoms handled above

    def unit(self, children: list[Any]) -> Unit:
        head = self._atom(children[0])
        per: tuple[str, ...] = children[1] if len(children) > 1 else ()
        return _unit(head, "", per)

    def per_quantity(self, children: list[Any]) -> Quantity:
        """``350万/月``: a number (and magnitude) with denominators only, an incomplete unit (base
        ``""``) that the indicator's name completes (:mod:`targetexpr.parser.context`)."""
        amount: _Amount = children[0]
        return Quantity(amount.value, Unit("", amount.prefix, children[1]))

    def masked(self, children: list[Any]) -> Masked:
        prefix = children[0] if isinstance(children[0], _OpWord) else None
        token = next(c for c in children if isinstance(c, Token) and c.type == "MASKED")
        unit = children[-1] if isinstance(children[-1], Unit) else None
        magnitude = next((str(c) for c in children if isinstance(c, Token) and c.type != "MASKED"), "")
        if magnitude:
            unit = Unit(unit.base, magnitude, unit.per) if unit is not None else Unit("", magnitude)
        op = _combine(prefix, None) if prefix is not None else None
        return Masked(op, str(token), unit)

    # --- ranges ---------------------------------------------------------------------------------
    def range(self, children: list[Any]) -> Range:
        quantities = [c for c in children if isinstance(c, Quantity)]
        low, high = quantities
        low_inclusive = high_inclusive = True
        brackets = [c for c in children if isinstance(c, Tree)]
        for tree in brackets:
            if tree.data == "open_bracket":
                low_inclusive = tree.children[0].type == "LBRACK"
            elif tree.data == "close_bracket":
                high_inclusive = tree.children[0].type == "RBRACK"
        if low.unit is None and high.unit is not None:
            # "5-10个", "1-2万元": the unit (and magnitude) written once applies to both ends.
            low = Quantity(low.value, high.unit)
        elif low.unit is not None and low.unit.base == "" and high.unit is not None and high.unit.base:
            # "1万-2万元": the low end's magnitude with the high end's unit.
            low = Quantity(low.value, Unit(high.unit.base, low.unit.prefix, high.unit.per))
        try:
            return Range(low, high, low_inclusive, high_inclusive)
        except TargetValueError as e:
            raise SemanticError(e.message, 0, None) from None

    def plus_minus(self, children: list[Any]) -> Range:
        """``±3%以内``: the range -3%~3%; only an "at most" word may follow."""
        words = [c for c in children if isinstance(c, _OpWord)]
        sign: Token = next(c for c in children if isinstance(c, Token))
        quantity: Quantity = next(c for c in children if isinstance(c, Quantity))
        for word in words:
            if word.op not in ("le", "lt", "control"):
                raise SemanticError(
                    say(
                        "±{value} takes only 'at most' words (以内, 控制在), not {word}",
                        value=quantity,
                        word=word.token,
                    ),
                    _pos(word),
                    word.token.end_pos,
                    frozenset({"以内"}),
                )
        if quantity.value < 0:
            raise SemanticError(
                say("± is followed by a size, not a negative number"), sign.start_pos or 0, sign.end_pos
            )
        low = Quantity(quantity.value.copy_negate(), quantity.unit)
        return Range(low, quantity)

    # --- dates ----------------------------------------------------------------------------------
    def _date(self, position: int, end: int, **fields: Any) -> CalendarDate:
        try:
            return CalendarDate(**fields)
        except TargetValueError as e:
            raise SemanticError(say("{problem}: not a valid date", problem=e.message), position, end) from None

    def _number(self, token: Token) -> int:
        value = self.amount([token]).value if token.type == "CN_NUMBER" else _decimal(token)
        if value != value.to_integral_value() or value < 0:
            raise SemanticError(
                say("{number} is not a whole number", number=str(token)), token.start_pos or 0, token.end_pos
            )
        return int(value)

    def _year(self, token: Token | None) -> int | None:
        if token is None:
            return self.ctx.year
        return int(str(token)[:4])

    def year_date(self, children: list[Token]) -> CalendarDate:
        token = children[0]
        return self._date(token.start_pos or 0, token.end_pos or 0, year=self._year(token))

    def month_number(self, children: list[Token]) -> Token:
        return children[0]

    day_number = xun = month_number

    def month_date(self, children: list[Any]) -> CalendarDate:
        year_token = children[0] if children[0].type == "YEAR" else None
        rest = children[1:] if year_token is not None else children
        month_token = rest[0]
        month = self._number(month_token)
        day = None
        end = rest[1].end_pos or 0
        if len(rest) > 2:
            day_token = rest[2]
            day = self._number(day_token)
            end = rest[3].end_pos or 0
            if not 1 <= month <= 12:
                raise SemanticError(say("month {month} does not exist", month=month), month_token.start_pos or 0, end)
            return self._date(day_token.start_pos or 0, end, year=self._year(year_token), month=month, day=day)
        return self._date(month_token.start_pos or 0, end, year=self._year(year_token), month=month)

    def quarter_date(self, children: list[Token]) -> CalendarDate:
        year_token = children[0] if children[0].type == "YEAR" else None
        number = next(c for c in children if c.type in ("NUMBER", "CN_NUMBER"))
        return self._date(
            number.start_pos or 0, children[-1].end_pos or 0, year=self._year(year_token), quarter=self._number(number)
        )

    def half(self, children: list[Token]) -> int:
        return 2 if str(children[0]) == "下半年" else 1  # 上半年, 年中

    def half_date(self, children: list[Any]) -> CalendarDate:
        year_token = children[0] if isinstance(children[0], Token) else None
        return CalendarDate(self._year(year_token), half=children[-1])

    def _numeric_date(self, token: Token, parts: list[int]) -> CalendarDate:
        fields: dict[str, Any] = {"year": parts[0], "month": parts[1]}
        if len(parts) > 2:
            fields["day"] = parts[2]
        return self._date(token.start_pos or 0, token.end_pos or 0, **fields)

    def _iso_date(self, token: Token) -> CalendarDate:
        return self._numeric_date(token, [int(p) for p in str(token).split("-")])

    def _dot_date(self, token: Token) -> CalendarDate:
        return self._numeric_date(token, [int(p) for p in str(token).split(".")])

    def _slash_date(self, token: Token) -> CalendarDate:
        return self._numeric_date(token, [int(p) for p in str(token).split("/")])

    def _us_date(self, token: Token) -> CalendarDate:
        a, b, year = (int(p) for p in str(token).split("/"))
        if self.ctx.date_order == "mdy":
            return self._numeric_date(token, [year, a, b])
        if self.ctx.date_order == "dmy":
            return self._numeric_date(token, [year, b, a])
        raise SemanticError(
            say(
                "{date} does not say whether the month or the day comes first; "
                "pass date_order='mdy' (12/31/2021) or date_order='dmy' (31/12/2021)",
                date=str(token),
            ),
            token.start_pos or 0,
            token.end_pos,
        )

    def _date_value(self, item: Any) -> CalendarDate:
        if isinstance(item, CalendarDate):
            return item
        # Dispatched here, not named after the terminals: a transformer embedded in the parser
        # (Lark(transformer=...)) would call terminal-named methods while lexing, before a later
        # syntax error could be found.
        return getattr(self, _DATE_METHODS[item.type])(item)  # type: ignore[no-any-return]

    def qian(self, children: list[Token]) -> str:
        return "before"

    def end(self, children: list[Token]) -> str:
        return "end"

    def within(self, children: list[Token]) -> str:
        return "within"

    def deadline_marker(self, children: list[str]) -> tuple[str, ...]:
        return tuple(children)

    def exclusive(self, children: list[Token]) -> bool:
        return False

    def inclusive(self, children: list[Token]) -> bool:
        return True

    def inclusivity(self, children: list[bool]) -> bool:
        return children[0]

    def by_word(self, children: list[Token]) -> Token:
        return children[0]

    def deadline(self, children: list[Any]) -> Deadline:
        items = [c for c in children if c is not None]
        by = items[0] if isinstance(items[0], Token) and items[0].type not in _DATE_TOKENS else None
        if by is not None:
            items = items[1:]
        date = self._date_value(items[0])
        marker: tuple[str, ...] = ()
        explicit: bool | None = None
        for item in items[1:]:
            if isinstance(item, tuple):
                marker = item
            elif isinstance(item, bool):
                explicit = item
        if "end" in marker:
            date = CalendarDate(date.year, date.month, date.day, date.quarter, date.half, True)
        if explicit is not None:
            inclusive = explicit
        elif by is not None and str(by) in _BY_WORDS_INCLUSIVE:
            inclusive = True
        elif "before" in marker:
            inclusive = self.ctx.deadline_inclusive
        else:
            # A bare date ("2020年"), a period end ("10月底") or "以内": the date itself counts.
            inclusive = True
        return Deadline(date, inclusive)

    def recurring_deadline(self, children: list[Any]) -> Deadline:
        """``每年11月底前``: a deadline without a year of its own, recurring each year."""
        items = [c for c in children if c is not None][1:]
        tokens = [c for c in items if isinstance(c, Token)]
        month_token = tokens[0]
        month = self._number(month_token)
        day = self._number(tokens[2]) if len(tokens) > 2 and tokens[2].type != "WANCHENG" else None
        if day is not None and not 1 <= month <= 12:
            message = say("month {month} does not exist", month=month)
            raise SemanticError(message, month_token.start_pos or 0, month_token.end_pos)
        date = self._date(month_token.start_pos or 0, month_token.end_pos or 0, year=None, month=month, day=day)
        return self._recurring(date, items)

    def recurring_ten_days(self, children: list[Any]) -> Deadline:
        """``每年12月中旬前``: the last day of a 旬 (data/ten_days.tsv) each year."""
        month_token = children[1]
        month = self._number(month_token)
        date = self._date(month_token.start_pos or 0, month_token.end_pos or 0, year=None, month=month)
        return self._recurring(_ten_day_date(date, children[3]), children[4:])

    def _recurring(self, date: CalendarDate, rest: list[Any]) -> Deadline:
        """The deadline of ``date`` with its marker and inclusivity in ``rest``, recurring each year."""
        dated = self.deadline([date, *(c for c in rest if c is not None and not isinstance(c, Token))])
        return attrs.evolve(dated, recurring=True)

    def ten_days(self, children: list[Any]) -> CalendarDate:
        """``12月中旬``: the last day of the month's first, middle or last ten days (the 10th, the 20th,
        the month's end: data/ten_days.tsv), as a deadline's date."""
        return _ten_day_date(self.month_date(children[:-1]), children[-1])

    def compared_deadline(self, children: list[Any]) -> Deadline:
        prefix: _OpWord = children[0]
        op = _combine(prefix, None)
        dated = self.deadline(children[1:])  # "=12月底前": the date with its own marker
        if op in (Op.LE, Op.EQ):  # =12月 names the date itself, as a bare 12月 does: a deadline
            return dated
        if op is Op.LT:
            return attrs.evolve(dated, inclusive=False)
        raise SemanticError(
            say("a date takes ≤ or < (by that date), not {word}", word=str(prefix.token)),
            _pos(prefix),
            prefix.token.end_pos,
            frozenset({"≤", "<"}),
        )

    def year_end_word(self, children: list[Token]) -> Token:
        return children[0]

    def year_end_deadline(self, children: list[Any]) -> Deadline:
        """``年底前``; ``每年年底前`` recurs each year: by the end of December, as ``每年12月底前``."""
        every = isinstance(children[0], Token) and children[0].type == "MEINIAN"
        end = _data.year_ends()[str(children[1] if every else children[0])]  # data/year_ends.tsv
        explicit = next((c for c in children if isinstance(c, bool)), None)
        before = any(c == "before" for c in children if isinstance(c, str) and not isinstance(c, Token))
        inclusive = explicit if explicit is not None else self.ctx.deadline_inclusive if before else True
        if every:
            return Deadline(CalendarDate(None, month=12, end=True), inclusive, recurring=True)
        return Deadline(CalendarDate(self.ctx.year, end=end), inclusive)

    def range_sep(self, children: list[Token]) -> str:
        return "-"

    def month_span(self, children: list[Any]) -> Period:
        tokens = [c for c in children if isinstance(c, Token)]  # 底/末 after the span is "end" ("1-12月底")
        year_token = tokens[0] if len(tokens) > 1 else None
        span: Token = tokens[-1]
        first, last = (int(p) for p in re.split(r"[-~至]", str(span)[:-1]))
        year = self._year(year_token)
        if last < first:
            raise SemanticError(say("the period ends before it starts"), span.start_pos or 0, span.end_pos)
        return Period(CalendarDate(year, first), CalendarDate(year, last, end=len(tokens) < len(children)))

    def whole_year(self, children: list[Any]) -> Period:
        year = self._year(children[0])
        return Period(CalendarDate(year, 1), CalendarDate(year, 12))

    def dotted_period(self, children: list[Token]) -> Period:
        """``2021.1.1-12.31``: the end's year is the start's."""
        start = self._dot_date(children[0])
        token = children[1]
        month, day = (int(p) for p in re.sub(r"^(?:--|-|~|至|到)", "", str(token)).split("."))
        end = self._date(token.start_pos or 0, token.end_pos or 0, year=start.year, month=month, day=day)
        if _period_key(end, last=True) < _period_key(start):
            raise SemanticError(say("the period ends before it starts"), token.start_pos or 0, token.end_pos)
        return Period(start, end)

    def period(self, children: list[Any]) -> Period:
        start = self._date_value(children[0])
        end = self._date_value(children[2])
        year, last = (start.year if end.year is None else end.year), len(children) > 3 or end.end  # 4月-12月底
        end = CalendarDate(year, end.month, end.day, end.quarter, end.half, last)
        if start.year is not None and end.year is not None and _period_key(end, last=True) < _period_key(start):
            raise SemanticError(say("the period ends before it starts"), _pos(children[2]))
        return Period(start, end)

    # --- relative targets -----------------------------------------------------------------------
    def ref(self, children: list[Token]) -> str:
        return _data.references()[str(children[0])]

    def compare_prep(self, children: list[Token]) -> None:
        return None

    xiangbi = compare_prep

    def reference(self, children: list[Any]) -> str:
        first = children[0]
        if isinstance(first, Token) and first.type in ("TONGBI", "HUANBI"):
            return _data.references()[str(first)]
        return next(c for c in children if isinstance(c, str) and not isinstance(c, Token))

    def year_reference(self, children: list[Any]) -> str:
        """A named year as the baseline ("较2022年增长5%"), stored as "2022年"."""
        year = next(c for c in children if isinstance(c, Token) and c.type == "YEAR")
        return str(year).removesuffix("度")

    def change(self, children: list[Token]) -> Change:
        return Change.UP if _data.changes()[str(children[0])] == "up" else Change.DOWN  # data/changes.tsv

    def rel_amount(self, children: list[Any]) -> tuple[Op | None, Quantity]:
        return self._bounded(children)

    def relative(self, children: list[Any]) -> Relative:
        reference = children[0] if isinstance(children[0], str) else None
        change = next(c for c in children if isinstance(c, Change))
        amount = next((c for c in children if isinstance(c, tuple)), None)
        if amount is None:
            return Relative(reference, change)
        return Relative(reference, change, amount[0], amount[1])

    def some_change(self, children: list[Any]) -> Relative:
        first = children[0]
        reference = first if isinstance(first, str) and not isinstance(first, Token) else None
        change = next(c for c in children if isinstance(c, Change))
        return Relative(reference, change, Op.GT)

    def reference_bound(self, children: list[Any]) -> Relative:
        words = [c for c in children if isinstance(c, _OpWord)]
        reference = next(c for c in children if isinstance(c, str) and not isinstance(c, Token))
        prefix = words[0] if words and children[0] is words[0] else None
        suffix = words[-1] if words and words[-1] is not prefix else None
        return Relative(reference, None, _combine(prefix, suffix))

    def level_with(self, children: list[Any]) -> Relative:
        return Relative(children[0] if len(children) > 1 else None, None, Op.EQ)  # 持平: no baseline

    def zai(self, children: list[Token]) -> None:
        return None


_DATE_TOKENS = frozenset({"YEAR", "ISO_DATE", "DOT_DATE", "SLASH_DATE", "US_DATE"})
_DATE_METHODS = {"ISO_DATE": "_iso_date", "DOT_DATE": "_dot_date", "SLASH_DATE": "_slash_date", "US_DATE": "_us_date"}


def _period_key(date: CalendarDate, last: bool = False) -> tuple[int, int]:
    """The first month of a date (its last with ``last``: a period's end, 2026年底 is December)."""
    assert date.year is not None
    if date.month is not None:
        return (date.year, date.month)
    size = 3 if date.quarter is not None else 6 if date.half is not None else 12
    return (date.year, (date.quarter or date.half or 1) * size - (0 if last else size - 1))


# --- the transformer embedded in the parser ------------------------------------------------------

_call = threading.local()


class EmbeddedBuilder(Builder):
    """The one :class:`Builder` embedded in the process-wide parser (``Lark(transformer=...)``): no
    tree is built.  The call's options and placeholders are per thread, set by :func:`calling`."""

    def __init__(self) -> None:
        pass

    @property
    def ctx(self) -> ParseOptions:  # type: ignore[override]
        return _call.ctx  # type: ignore[no-any-return]

    @property
    def placeholders(self) -> Mapping[int, str]:  # type: ignore[override]
        return _call.placeholders  # type: ignore[no-any-return]


class calling:  # noqa: N801 - used as a function: ``with calling(options, placeholders):``
    """Make ``options`` and ``placeholders`` those of the embedded builder in this thread (a class,
    not a generator context manager: it is entered once per grammar parse)."""

    __slots__ = ("_new", "_saved")

    def __init__(self, options: ParseOptions, placeholders: Mapping[int, str]) -> None:
        self._new = options, placeholders

    def __enter__(self) -> None:
        self._saved = getattr(_call, "ctx", None), getattr(_call, "placeholders", None)
        _call.ctx, _call.placeholders = self._new

    def __exit__(self, *exc: object) -> None:
        _call.ctx, _call.placeholders = self._saved
