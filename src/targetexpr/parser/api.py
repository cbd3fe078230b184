"""``parse()`` and ``analyze()``: the entry points, their options and memo (the pipeline of one cell is
in :mod:`targetexpr.parser`).
"""

from __future__ import annotations

import copy
import functools
import unicodedata

import attrs

from ..errors import TargetError, TargetLengthError, TargetSyntaxError, TargetValueError, brief
from ..nodes import (
    Comparison,
    Compound,
    Masked,
    Quantity,
    Range,
    Target,
    Unit,
    Value,
)
from .lark_errors import _context
from .normalize import normalize_with_map
from .read import _read
from .repair import Repair, _repair, _warnings

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of
#: free text rarely passes 100).  Longer input raises :class:`TargetLengthError` before any parsing.
MAX_LENGTH = 256

_DATE_ORDERS = ("ymd", "mdy", "dmy")


@attrs.frozen
class Analysis:
    """Everything :func:`analyze` learnt about one target text.

    ``target`` is the AST, or ``None`` when ``error`` says why the text cannot be read.  ``repairs``
    lists the noise repairs made (``repair=True``); ``warnings`` lists doubts a reviewer should see
    (a value that may hide a misread ``≥``, a comparator that contradicts the indicator …).
    """

    text: str
    normalized: str
    target: Target | None
    error: TargetError | None = attrs.field(eq=False)
    repairs: tuple[Repair, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the text was read (possibly after repairs)."""
        return self.target is not None


# --- default unit -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def parse_unit(text: str) -> Unit:
    """Read a unit written on its own (``"万元"``, ``"%"``, ``"元/亩"``, ``"人次"``): for ``default_unit=``."""
    norm = normalize_with_map(text).text
    if not norm:
        raise TargetValueError("a unit cannot be empty")
    try:
        target = parse("1" + norm)
    except TargetSyntaxError as e:
        raise TargetValueError(f"{brief(text)} is not a unit: {e.reason}") from None
    if not isinstance(target, Value) or target.quantity.value != 1 or target.quantity.unit is None:
        raise TargetValueError(f"{brief(text)} is not a unit")
    return target.quantity.unit


def _with_default_unit(target: Target, unit: Unit) -> Target:
    def fill(q: Quantity) -> Quantity:
        if q.unit is None:
            return Quantity(q.value, unit)
        if q.unit.base == "" and unit.base:
            return Quantity(q.value, Unit(unit.base, q.unit.prefix, unit.per))
        return q

    if isinstance(target, Comparison):
        return attrs.evolve(target, quantity=fill(target.quantity))
    if isinstance(target, Value):
        return attrs.evolve(target, quantity=fill(target.quantity))
    if isinstance(target, Range):
        return attrs.evolve(target, low=fill(target.low), high=fill(target.high))
    if isinstance(target, Masked) and target.unit is None:
        return attrs.evolve(target, unit=unit)
    if isinstance(target, Compound):
        return attrs.evolve(target, parts=tuple(_with_default_unit(p, unit) for p in target.parts))
    return target


# --- public entry points ------------------------------------------------------------------------


def _check_options(year: object, date_order: object, deadline_inclusive: object) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2099):
        raise TargetValueError(f"year must be an int from 1900 to 2099, not {brief(year)}")
    if not isinstance(date_order, str) or date_order not in _DATE_ORDERS:
        raise TargetValueError(f"date_order must be one of {', '.join(_DATE_ORDERS)}, not {brief(date_order)}")
    if not isinstance(deadline_inclusive, bool):
        raise TargetValueError("deadline_inclusive must be True or False")


_BAD_CHARACTERS = {
    "Cc": (
        "control character",
        "control characters (other than spaces, tabs and line breaks) have no place in a target value",
    ),
    "Cs": (
        "lone surrogate",
        "a lone surrogate is not valid Unicode: the text was decoded with errors='surrogateescape' "
        "or 'surrogatepass'; decode the source strictly",
    ),
    "Co": (
        "private-use character",
        "a private-use character usually comes from a PDF font whose glyphs do not map to text: "
        "extract the text again, or replace the character",
    ),
}


def _too_long(text: str) -> TargetLengthError | None:
    if len(text) <= MAX_LENGTH:
        return None
    return TargetLengthError(
        f"a target text may have at most {MAX_LENGTH} characters; this one has {len(text)}",
        length=len(text),
        limit=MAX_LENGTH,
    )


def _check_default_unit(default_unit: object) -> None:
    if default_unit is not None and not isinstance(default_unit, (str, Unit)):
        raise TargetValueError(f"default_unit must be text or a Unit, not {type(default_unit).__name__}")


def _bad_character(text: str) -> TargetSyntaxError | None:
    """The first character no target value can contain: a control character, a lone surrogate or
    a private-use character (the grammar's own placeholder is one, so a PDF glyph such as U+E000
    must never be read as a unit)."""
    if text.isprintable():  # the usual case, at C speed
        return None
    for i, c in enumerate(text):
        if c.isprintable() or c.isspace():
            continue
        category = unicodedata.category(c)
        if category in _BAD_CHARACTERS:
            what, hint = _BAD_CHARACTERS[category]
            return TargetSyntaxError.at(text, i, f"{what} U+{ord(c):04X}", found=c, hint=hint)
    return None


@functools.lru_cache(maxsize=8192)
def _analyze(
    text: str,
    year: int | None,
    repair: bool,
    default_unit: str | Unit | None,
    deadline_inclusive: bool,
    date_order: str,
    *,
    fast: bool = True,
) -> Analysis:
    """Everything about one text (memoised: the results are immutable).  ``fast=False`` turns the
    fast path off, so that tests and the benchmark can compare both paths.  Callers check the
    length first (:func:`_too_long`), so that over-long texts are never memoised."""
    error: TargetError | None = _too_long(text) or _bad_character(text)
    if error is not None:
        return Analysis(text, "", None, error)
    norm = normalize_with_map(text)
    if not norm.text:
        error = TargetSyntaxError.at(text, 0, "empty target", found="", expected=frozenset({"a target value"}))
        return Analysis(text, "", None, error)
    ctx = _context(year, deadline_inclusive, date_order, fast)
    repairs: tuple[Repair, ...] = ()
    try:
        try:
            target = _read(norm, ctx)
        except TargetSyntaxError:
            if not repair:
                raise
            repaired, repairs = _repair(norm)
            if not repairs:
                raise
            target = _read(repaired, ctx)
        if default_unit is not None:
            unit = default_unit if isinstance(default_unit, Unit) else parse_unit(default_unit)
            target = _with_default_unit(target, unit)
    except TargetError as e:
        return Analysis(text, norm.text, None, e, repairs)
    return Analysis(text, norm.text, target, None, repairs, _warnings(target))


def analyze(
    text: str,
    *,
    year: int | None = None,
    repair: bool = True,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
) -> Analysis:
    """Read ``text`` and report everything: the target or the error, the repairs, the warnings.

    Unlike :func:`parse` it does not raise for unreadable text (the error is in
    :attr:`Analysis.error`), and it repairs known extraction noise by default.  Options are those
    of :func:`parse`.

    >>> a = analyze("≥40 ↑")
    >>> str(a.target), [r.kind for r in a.repairs]
    ('≥40个', ['arrow_for_ge'])
    """
    if not isinstance(text, str):
        raise TargetValueError(f"a target text must be str, not {type(text).__name__}")
    _check_options(year, date_order, deadline_inclusive)
    _check_default_unit(default_unit)
    # Checked before the memo: caching long texts would let hostile input hold memory.
    too_long = _too_long(text)
    if too_long is not None:
        return Analysis(text, "", None, too_long)
    return _analyze(str(text), year, bool(repair), default_unit, deadline_inclusive, date_order)


def parse(
    text: str,
    *,
    year: int | None = None,
    repair: bool = False,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
) -> Target:
    """Parse a target value (指标值) into its AST.

    Args:
        text: the cell text, as written (full-width characters, spaces and symbol variants are fine).
        year: the budget year, for dates that omit it (``年底前``, ``6月底前``); without it such a
            date keeps ``year=None``.
        repair: repair known PDF/web extraction noise (``≥40 ↑``, ``12月月31日``) instead of
            rejecting it; :func:`analyze` reports each repair.
        default_unit: unit for values written without one (``43.2`` in a table whose header says
            ``单位:万元``), e.g. ``"万元"``.
        deadline_inclusive: whether "X前" includes day X (default ``True``: on or before X).
        date_order: how to read ``12/31/2021``: ``"mdy"`` or ``"dmy"``; the default ``"ymd"``
            accepts only year-first dates and rejects the ambiguous form.

    Raises:
        TargetSyntaxError: the text cannot be read; the error has the column and what was expected.
        TargetLengthError: the text is longer than :data:`MAX_LENGTH`.
        TargetValueError: ``text`` is not a string, or an option is invalid.

    >>> parse("≥99.9%")
    Comparison(op=<Op.GE: '≥'>, quantity=Quantity(value=Decimal('99.9'), unit=Unit(base='%', prefix='', per=())))
    >>> str(parse("不低于 ９５ ％"))
    '≥95%'
    """
    if text.__class__ is not str:
        raise TargetValueError(f"a target text must be str, not {type(text).__name__}")
    if year is not None or date_order != "ymd" or deadline_inclusive is not True:
        _check_options(year, date_order, deadline_inclusive)
    if default_unit is not None:
        _check_default_unit(default_unit)
    too_long = _too_long(text)
    if too_long is not None:
        raise too_long  # before the memo: over-long texts are never held
    # The memoised reading: a repeated cell costs one cache lookup.
    analysis = _analyze(text, year, repair is True, default_unit, deadline_inclusive, date_order)
    if analysis.error is not None:
        # A fresh copy each time, so that re-raising a cached error never grows its traceback.
        raise copy.copy(analysis.error)
    assert analysis.target is not None
    return analysis.target
