"""Chinese numerals (十五, 两, 三千五百, 一万二千, 九十五点五) to :class:`~decimal.Decimal`.

The grammar's ``CN_NUMBER`` terminal decides what a numeral may contain; this module decides what
it is worth, and rejects malformed ones (``十十``, ``万万``, ``五点``) with a :class:`ValueError`
that the parser turns into a syntax error at the numeral.
"""

from __future__ import annotations

from decimal import Decimal

from ..i18n import say

__all__ = ["cn_to_decimal", "whole_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}


def _section(text: str) -> int:
    """Value of a numeral below 10,000 (digits with 十/百/千), or plain digit strings (二〇二二)."""
    if not text:
        raise ValueError(say("empty numeral section"))
    if all(c in _DIGITS for c in text):
        # A digit-by-digit numeral such as 二〇二二; a single digit is the common case.
        return int("".join(str(_DIGITS[c]) for c in text))
    total = 0
    digit: int | None = None
    last_unit = 10_000
    zero_since_unit = False
    for c in text:
        if c in _DIGITS:
            if digit is not None and _DIGITS[c] != 0 and digit != 0:
                raise ValueError(say("two digits in a row in {numeral}", numeral=repr(text)))
            if _DIGITS[c] == 0:
                zero_since_unit = True
            digit = _DIGITS[c]
        elif c in _SMALL:
            unit = _SMALL[c]
            if unit >= last_unit:
                raise ValueError(say("{char} out of order in {numeral}", char=c, numeral=repr(text)))
            if digit is None:
                if c != "十" or total:
                    raise ValueError(say("{char} without a digit in {numeral}", char=c, numeral=repr(text)))
                digit = 1  # 十五 = 15
            if c == "十" and digit == 0:
                raise ValueError(say("零十 in {numeral}", numeral=repr(text)))
            total += digit * unit
            digit = None
            last_unit = unit
            zero_since_unit = False
        else:  # pragma: no cover - the grammar only lets these characters through
            raise ValueError(say("unexpected {char} in numeral {numeral}", char=repr(c), numeral=repr(text)))
    if digit is not None:
        # 三千五 is 3500 (a digit right after 千 counts in 百); 三千零五 is 3005.
        if last_unit in (100, 1000) and not zero_since_unit:
            total += digit * (last_unit // 10)
        else:
            total += digit
    return total


def _integer(text: str) -> int:
    total = 0
    rest = text
    for big in ("亿", "万"):
        if big in rest:
            head, _, rest = rest.partition(big)
            if big in rest:
                raise ValueError(say("{char} appears twice in {numeral}", char=big, numeral=repr(text)))
            value = _integer(head) if head else None
            if value is None or value == 0:
                raise ValueError(say("{char} without a number in {numeral}", char=big, numeral=repr(text)))
            total += value * _BIG[big]
    if rest:
        if total and len(rest) == 1 and rest in _DIGITS and rest not in "零〇":
            # 一万五 is 15000: a lone digit right after 万/亿 counts in the next unit down.
            last_big = 10**4 if "万" in text and not text.endswith("亿" + rest) else 10**8
            return total + _DIGITS[rest] * last_big // 10
        if rest[0] == "零":
            rest = rest.lstrip("零") or "零"
        total += _section(rest)
    return total


def cn_to_decimal(text: str) -> Decimal:
    """Value of a Chinese numeral.

    >>> cn_to_decimal("十五"), cn_to_decimal("两"), cn_to_decimal("三千零五"), cn_to_decimal("九十五点五")
    (Decimal('15'), Decimal('2'), Decimal('3005'), Decimal('95.5'))
    """
    if not text:
        raise ValueError(say("empty numeral"))
    if text == "百":
        return Decimal(100)
    if text[0] in "零〇" and len(text) > 1 and not all(c in _DIGITS for c in text.partition("点")[0]):
        raise ValueError(say("a numeral does not start with 零: {numeral}", numeral=repr(text)))
    head, point, tail = text.partition("点")
    if point:
        if not tail or "点" in tail or not all(c in _DIGITS for c in tail):
            raise ValueError(say("malformed decimal part in {numeral}", numeral=repr(text)))
        fraction = "".join(str(_DIGITS[c]) for c in tail)
        return Decimal(f"{_integer(head) if head else 0}.{fraction}")
    return Decimal(_integer(text))


def whole_number(text: str) -> int | None:
    """The whole number ``text`` writes in ASCII digits or in a Chinese numeral (a day, a count of
    periods: ``10``, ``十``), or ``None`` when it is no well-formed numeral (``十十``).

    >>> whole_number("10"), whole_number("二十"), whole_number("十十")
    (10, 20, None)
    """
    if text.isdigit():
        return int(text)
    try:
        return int(cn_to_decimal(text))
    except ValueError:
        return None
