"""What the AST builder passes between grammar rules (comparator words, (含) marks, amounts), the
helpers that read them, and :class:`SemanticError`, the builder's internal error.

Split from :mod:`targetexpr.parser.transform` (one stage per module): these are the pieces every
rule shares; the rules themselves stay there.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from .. import datafiles as _data
from ..i18n import say
from ..nodes import CalendarDate, Change, Comparison, Op, Period, Quantity, Relative, Unit
from .comparators import ComparatorConflict, combine
from .numerals import cn_to_decimal

__all__ = [
    "Rules",
    "SemanticError",
    "Token",
    "Tree",
    "counted_per",
    "currency_quantity",
    "currency_unit",
    "dotted_months",
    "near",
    "ratio_quantity",
    "reference_excess",
]


class Token(str):
    """A terminal the parser matched: its text, with the attributes of Lark's ``Token`` that the
    builder and the error translation read (``type``, positions, line and column).

    The parser makes these itself, so a text that parses never imports Lark; a token from Lark's
    own lexer (a text with a line break, the parse-tree path) is turned into one by :meth:`of`.
    """

    __slots__ = ("column", "end_column", "end_line", "end_pos", "line", "start_pos", "type")

    type: str
    start_pos: int | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(
        cls,
        type: str,
        value: str,
        start_pos: int | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        end_pos: int | None = None,
    ) -> Token:
        self = str.__new__(cls, value)
        self.type = type
        self.start_pos = start_pos
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.end_pos = end_pos
        return self

    @property
    def value(self) -> str:
        """The token's text."""
        return str(self)

    @classmethod
    def of(cls, token: Any) -> Token:
        """The same token (Lark's or ours) as one of ours."""
        if token.__class__ is cls:
            return token  # type: ignore[no-any-return,unused-ignore]
        return cls(
            token.type,
            str(token),
            token.start_pos,
            token.line,
            token.column,
            token.end_line,
            token.end_column,
            token.end_pos,
        )

    def lark(self) -> Any:
        """The same token as Lark's ``Token`` (for Lark's exceptions; imports Lark)."""
        from lark import Token as LarkToken

        return LarkToken(
            self.type, str(self), self.start_pos, self.line, self.column, self.end_line, self.end_column, self.end_pos
        )

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"

    def __reduce__(self) -> Any:
        fields = (self.start_pos, self.line, self.column, self.end_line, self.end_column, self.end_pos)
        return (Token, (self.type, str(self), *fields))


class Tree:
    """A rule the AST builder has no method for: its name and children (what Lark's ``Tree`` holds)."""

    __slots__ = ("children", "data")

    def __init__(self, data: str, children: list[Any]) -> None:
        self.data = data
        self.children = children

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tree) and (self.data, self.children) == (other.data, other.children)

    def __hash__(self) -> int:
        return hash((self.data, tuple(self.children)))

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class SemanticError(Exception):
    """Internal: a problem found while building the AST, at a normalised-text position."""

    def __init__(self, message: str, start: int, end: int | None = None, expected: frozenset[str] = frozenset()):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = start + 1 if end is None else end
        self.expected = expected


#: Attributes of a :class:`Rules` that are not grammar rules.
_NOT_RULES = frozenset(["ctx", "placeholders", "transform", "rule", "method"])


class Rules:
    """What the AST builder does with a rule: a method per grammar rule (named after the rule or its
    alias) takes the rule's kept children and returns what the rule stands for; a rule without a
    method becomes a :class:`Tree`.  The parser calls these while it parses (:mod:`.lalr`);
    :meth:`transform` does the same for a parse tree of Lark's, bottom-up, as Lark's
    ``Transformer`` does."""

    def transform(self, tree: Any) -> Any:
        """The AST of Lark's parse tree ``tree`` (its tokens become :class:`Token`)."""
        children = [
            None if c is None else self.transform(c) if hasattr(c, "children") else Token.of(c) for c in tree.children
        ]
        return self.rule(str(tree.data), children)

    def rule(self, name: str, children: list[Any]) -> Any:
        """What rule ``name`` makes of its (filtered) ``children``."""
        method = self.method(name)
        return method(children) if method is not None else Tree(name, children)

    def method(self, name: str) -> Any:
        """The method for rule ``name``, or ``None`` (the rule becomes a :class:`Tree`)."""
        if name.startswith("__") or name in _NOT_RULES:
            return None
        return getattr(self, name, None)


class _OpWord(NamedTuple):
    op: str  # ge gt le lt eq approx reach control
    token: Token


class _Mark(NamedTuple):
    inclusive: bool  # "(含)" or "(不含)" beside a comparator
    token: Token


_INCLUDING = {Op.GT: Op.GE, Op.LT: Op.LE}
_EXCLUDING = {Op.GE: Op.GT, Op.LE: Op.LT}


def _marked(op: Op, mark: _Mark, words: list[_OpWord]) -> Op:
    """``op`` after a "(含)"/"(不含)" mark, which overrides what a word (not a symbol) says about the bound."""
    position = mark.token.start_pos or 0
    if not mark.inclusive and op in (Op.EQ, Op.APPROX):
        message = say("{mark} cannot apply to {op}: there is no bound", mark=str(mark.token), op=op.value)
        raise SemanticError(message, position, mark.token.end_pos)
    new = (_INCLUDING if mark.inclusive else _EXCLUDING).get(op, op)
    symbols = [w for w in words if _data.comparators()[str(w.token)].basis == "symbol"]
    if new is not op and symbols:
        raise SemanticError(
            say(
                "the comparator {symbol} and {mark} contradict each other",
                symbol=str(symbols[0].token),
                mark=str(mark.token),
            ),
            position,
            mark.token.end_pos,
        )
    return new


class _Amount(NamedTuple):
    value: Decimal
    prefix: str


def _pos(item: Any) -> int:
    if isinstance(item, Token):
        return item.start_pos or 0
    if isinstance(item, Tree):
        for child in item.children:
            if child is not None:
                return _pos(child)
    if isinstance(item, _OpWord):
        return item.token.start_pos or 0
    return 0


def _token_text(item: Any) -> str:
    if isinstance(item, Token):
        return str(item)
    if isinstance(item, Tree):
        return "".join(_token_text(c) for c in item.children if c is not None)
    raise TypeError(item)  # pragma: no cover


def _decimal(token: Token) -> Decimal:
    text = str(token).replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the NUMBER terminal only lets numbers through
        raise SemanticError(
            say("{number} is not a number", number=str(token)), token.start_pos or 0, token.end_pos
        ) from None


def cn_decimal(token: Token) -> Decimal:
    """The value of a ``CN_NUMBER`` token, or an error at its place: the terminal lets through
    sequences (``一一十``, ``一〇十``) that are no numeral, and more than 15 digits would not read back."""
    try:
        value = cn_to_decimal(str(token))
    except ValueError as e:
        raise SemanticError(
            say("{numeral} is not a well-formed Chinese numeral ({problem})", numeral=str(token), problem=e),
            token.start_pos or 0,
            token.end_pos,
        ) from None
    if value and value.adjusted() >= 15:  # the digits' limit of NUMBER, so str(t) parses back
        raise SemanticError(
            say("{numeral} has more than 15 digits before the point", numeral=str(token)),
            token.start_pos or 0,
            token.end_pos,
        )
    return value


def _combine(prefix: _OpWord | None, suffix: _OpWord | None) -> Op:
    """The comparator of "prefix X suffix" (see data/comparators.tsv and _comparators.combine)."""
    try:
        return combine(
            prefix.op if prefix is not None else None,
            suffix.op if suffix is not None else None,
            str(prefix.token) if prefix is not None else "",
            str(suffix.token) if suffix is not None else "",
        )
    except ComparatorConflict as e:
        assert suffix is not None
        raise SemanticError(str(e), _pos(suffix), suffix.token.end_pos) from None


def counted_per(children: list[Any], atom: Callable[[Any], str]) -> str:
    """A denominator with a quantity of its own, kept as written: ``100公里`` of ``500元/100km``,
    ``万元`` of ``0.5吨/万元`` (``atom`` names the unit as the builder does)."""
    first = children[0].type
    size = (
        _decimal(children[0]) if first == "PLAIN_NUMBER" else cn_decimal(children[0]) if first == "CN_NUMBER" else None
    )
    if size == 0:
        raise SemanticError(
            say("a unit per {unit} of nothing divides by zero", unit="0" + atom(children[-1])),
            children[0].start_pos or 0,
            getattr(children[-1], "end_pos", None) or children[0].end_pos,
        )
    number = format(size, "f") if size is not None else ""
    magnitude = "".join(str(c) for c in children[:-1] if c.type not in ("PLAIN_NUMBER", "CN_NUMBER"))
    return number + magnitude + atom(children[-1])


def currency_unit(children: list[Any]) -> Unit:
    """The unit of ``¥1000`` (元), of ``¥1000元`` (元, said twice), or an error for ``¥100人``."""
    sign: Token = children[0]
    unit: Unit | None = children[2] if len(children) > 2 else None
    if unit is None:
        return Unit("元")
    if unit.base != "元":
        raise SemanticError(
            say("¥ says the amount is in 元, but its unit is {unit}", unit=str(unit)),
            sign.start_pos or 0,
            sign.end_pos,
            frozenset({"元"}),
        )
    return unit


def ratio_quantity(children: list[Token]) -> Quantity:
    """``1:1``, ``1:0.5``: the first term, with ``:`` and the second term as its unit (``:1``), so
    ratios with different second terms are different units."""
    second = Decimal(str(children[1])[1:]).normalize()  # 1:1.0 is the ratio 1:1
    return Quantity(_decimal(children[0]), Unit(":" + format(second, "f")))


def dotted_months(children: list[Token]) -> Period:
    """``2023.1-2023.12``: a period of months written with dots and one-digit months (the
    terminal's regular expression has checked that both are months of 1900–2099)."""
    token = children[0]
    y1, m1, y2, m2 = (int(p) for p in re.findall(r"[0-9]+", str(token)))
    if (y2, m2) < (y1, m1):
        end = re.match(r"[0-9.]+(?:--|-|~|至|到)", str(token))
        start = (token.start_pos or 0) + (end.end() if end else 0)
        raise SemanticError(say("the period ends before it starts"), start, token.end_pos)
    return Period(CalendarDate(y1, m1), CalendarDate(y2, m2))


@functools.cache
def _time_spans() -> frozenset[str]:
    """The units that measure a span of time (data/units.tsv): 年, 个月, 天 …"""
    return frozenset(
        info.canonical for info in _data.units().values() if info.dimension in ("time", "calendar", "workday")
    )


def near(children: list[Any]) -> Comparison:
    """``近100人``: nearly 100, about the number (≈: an actual of 100 meets it, as the officer who
    wrote the target expects).  Before a span of time (``近3年``, ``近三个月``) 近 names a window,
    "the last 3 years", not a target: refused here, so the cell is read by its other paths."""
    token: Token = children[0]
    quantity: Quantity = children[1]
    if quantity.unit is not None and quantity.unit.base in _time_spans() and not quantity.unit.per:
        raise SemanticError(
            say("近{quantity} names a window of time (the last {quantity}), not a target", quantity=str(quantity)),
            token.start_pos or 0,
            token.end_pos,
        )
    return Comparison(Op.APPROX, quantity)


def currency_quantity(children: list[Any]) -> Quantity:
    """``¥1000`` is 1000元, ``¥5万`` 5万元 (:func:`currency_unit`)."""
    amount: _Amount = children[1]
    unit = currency_unit(children)
    return Quantity(amount.value, Unit(unit.base, amount.prefix, unit.per) if amount.prefix else unit)


def bracketed_quantity(children: list[Any]) -> Quantity:
    """``95(%)``, ``30(万元)``: the unit (and magnitude) in brackets after the number is its unit,
    read exactly as ``95%``, ``30万元``.  Refused where that reading would differ: a magnitude on
    both sides (``5千(万元)``: 5千万元 or 5千元?) and a year in brackets (``2024(年)``: 2024年 is a year,
    not a count of years)."""
    amount: _Amount = children[0]
    opening, closing = children[1], children[-1]
    unit: Unit = children[-2]
    magnitude = next((str(c) for c in children[2:-2]), "")
    if amount.prefix and magnitude:
        message = say("a magnitude before the bracket and another inside it ({unit}) say two amounts", unit=magnitude)
        raise SemanticError(message, opening.start_pos, closing.end_pos)
    if (
        unit.base == "年"
        and not unit.per
        and amount.value == amount.value.to_integral_value()
        and 1900 <= amount.value <= 2099
    ):
        raise SemanticError(say("a year is written 2024年, not 2024(年)"), opening.start_pos, closing.end_pos)
    prefix = amount.prefix or magnitude
    return Quantity(amount.value, Unit(unit.base, prefix, unit.per) if prefix else unit)


def reference_excess(children: list[Any]) -> Relative:
    """``超上年2%``: more than the baseline by the amount, the change ``较上年增长2%`` written as a
    comparison (超过, 高于, 多于 … likewise).  Other comparators before a baseline and an amount say
    no one thing and are refused: ``不低于上年5%`` (not below 5% of it, or not below it by 5%?),
    ``不足上年5%`` (less than 5% of it), so ``低于上年5%`` is refused with them."""
    word: _OpWord = children[0]
    reference: str = children[1]
    quantity: Quantity = children[-1]
    if word.op != "gt":
        raise SemanticError(
            say(
                "{word} before a baseline and an amount does not say whether the amount is a change or a level",
                word=str(word.token),
            ),
            _pos(word),
            word.token.end_pos,
        )
    return Relative(reference, Change.UP, None, quantity)
