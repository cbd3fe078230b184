"""``parse()`` and ``analyze()``: the entry points, their options and memo (the pipeline of one cell is
in :mod:`targetexpr.parser`).
"""

from __future__ import annotations

import copy
import functools
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple, TypeVar

import attrs

from ..errors import TargetError, TargetLengthError, TargetSyntaxError, TargetValueError, brief
from ..i18n import N_, Language, call_in, current_language, gettext, language, say
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
from ..options import MAX_INDICATOR, ParseOptions
from .context import apply_name, counts_months, months_counted, quantities_of, require_units
from .normalize import is_normal, normalize_with_map
from .read import _read, _read_usual, _span, _span_of
from .repair import Repair, _repair, _warnings

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of
#: free text rarely passes 100).  Longer input raises :class:`TargetLengthError` before any parsing.
MAX_LENGTH = 256


@attrs.frozen
class Analysis:
    """Everything :func:`analyze` learnt about one target text.

    ``target`` is the AST, or ``None`` when ``error`` says why the text cannot be read.  ``repairs``
    lists the noise repairs made (``repair=True``); ``warnings`` lists doubts a reviewer should see
    (a value that may hide a misread ``≥``, a comparator that contradicts the indicator …).  The
    error's message, the repairs' messages and the warnings are in the language of the call.
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
        raise TargetValueError(say("a unit cannot be empty"), field="default_unit")
    try:
        target = parse("1" + norm)
    except TargetSyntaxError as e:
        message = say("{text} is not a unit: {reason}", text=brief(text), reason=e.reason)
        raise TargetValueError(message, field="default_unit") from None
    if not isinstance(target, Value) or target.quantity.value != 1 or target.quantity.unit is None:
        raise TargetValueError(say("{text} is not a unit", text=brief(text)), field="default_unit")
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


_BAD_CHARACTERS = {
    "Cc": (
        N_("control character {code}"),
        N_("control characters (other than spaces, tabs and line breaks) have no place in a target value"),
    ),
    "Cs": (
        N_("lone surrogate {code}"),
        N_(
            "a lone surrogate is not valid Unicode: the text was decoded with errors='surrogateescape' "
            "or 'surrogatepass'; decode the source strictly"
        ),
    ),
    "Co": (
        N_("private-use character {code}"),
        N_(
            "a private-use character usually comes from a PDF font whose glyphs do not map to text: "
            "extract the text again, or replace the character"
        ),
    ),
}


def _too_long(text: str) -> TargetLengthError | None:
    return None if len(text) <= MAX_LENGTH else _length_error(text)


def _length_error(text: str) -> TargetLengthError:
    return TargetLengthError(
        say(
            "a target text may have at most {limit} characters; this one has {length}",
            limit=MAX_LENGTH,
            length=len(text),
        ),
        length=len(text),
        limit=MAX_LENGTH,
    )


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
            reason = gettext(what).format(code=f"U+{ord(c):04X}")
            return TargetSyntaxError.at(text, i, reason, found=c, hint=gettext(hint))
    return None


@functools.lru_cache(maxsize=8192)
def _analyze(text: str, options: ParseOptions, lang: Language | None = None) -> Analysis:
    """Everything about one text (memoised: the results are immutable), with its messages in
    ``lang``.  Callers resolve ``lang`` to the language in effect before the lookup, so that a
    reading memoised in one language is never handed to a caller speaking another; they check the
    length first (:func:`_too_long`), so that over-long texts are never memoised."""
    return call_in(lang if lang is not None else current_language(), _analysis, text, options)


@functools.lru_cache(maxsize=8192)
def _wordless(text: str, options: ParseOptions) -> Analysis | None:
    """The analysis of a text that reads cleanly (a target, no repair, no warning), or ``None``.

    Such an analysis says nothing in words, so one memo entry serves every language and a repeated
    good cell costs one lookup, without resolving the language (reading ``TARGETEXPR_LANG`` costs
    more than the lookup); the others are memoised per language by :func:`_analyze`.  The usual
    cell is read here in one step (:func:`_usual`), the others the whole way.
    """
    usual = _usual(text, options)
    if usual is not None:
        return Analysis(text, usual[0], usual[1], None)
    analysis = _analyze(text, options, current_language())
    return analysis if _clean(analysis) else None


@functools.lru_cache(maxsize=8192)
def _parsed(text: str, options: ParseOptions) -> Target | None:
    """:func:`parse`'s memo: the target of a text that reads cleanly, or ``None`` (then
    :func:`_analyze` has the error, the repairs or the warnings, in the language of the call).
    Like :func:`_wordless`, one entry serves every language; a usual cell is read in one step,
    and no :class:`Analysis` record is made for it (parse hands out the target alone, #11)."""
    usual = _usual(text, options)
    if usual is not None:
        return usual[1]
    analysis = _analyze(text, options, current_language())
    return analysis.target if _clean(analysis) else None


def _clean(analysis: Analysis) -> bool:
    return analysis.error is None and not analysis.repairs and not analysis.warnings


def _usual(text: str, options: ParseOptions) -> tuple[str, Target] | None:
    """The normalised text and the target of a usual cell (a qualitative word, a common quantity
    or deadline) that reads cleanly, read in one step, or ``None`` to go the whole way
    (:func:`_analysis`), which gives the same analysis for such a cell (tests/test_hot_path.py):
    no language is resolved, since nothing here is said in words, and no layer of the whole way is
    entered (#11).  The caller has checked the length."""
    if not options.fast or options.indicator is not None or options.default_unit is not None:
        return None
    if not text or not text.isprintable():
        return None
    if is_normal(text):  # the usual cell: normalised as it is, no record of positions made
        s, span = text, _span_of(0, len(text))
    else:
        norm = normalize_with_map(text)
        s = norm.text
        if not s:
            return None
        span = _span(norm)
    target = _read_usual(s, span, options, text)
    if target is None:
        return None
    for q in quantities_of(target):
        unit = q.unit
        # What require_units refuses (a unit of denominators only) and what _warnings doubts (a
        # percentage from 200 up) is said the whole way, in the language of the call.
        if unit is not None and (unit.per or (unit.base == "%" and q.value >= _TWO_HUNDRED)):
            return None
    return s, target


_TWO_HUNDRED = Decimal(200)


def _memoised(text: str, options: ParseOptions) -> Analysis:
    """The memoised analysis of ``text`` with its words in the language in effect."""
    analysis = _wordless(text, options)
    return analysis if analysis is not None else _analyze(text, options, current_language())


class _Reading(NamedTuple):
    """A text read before the indicator's name is applied: what no name changes."""

    normalized: str
    target: Target | None  # with the default unit
    error: TargetError | None
    repairs: tuple[Repair, ...] = ()


@functools.lru_cache(maxsize=8192)
def _reading(text: str, options: ParseOptions, lang: Language) -> _Reading:
    """The reading of ``text`` under ``options`` without an indicator (memoised: a table's cells
    repeat under names that rarely do, so the name is applied after this memo, #11)."""
    return call_in(lang, _read_text, text, options)


def _read_text(text: str, options: ParseOptions) -> _Reading:
    if len(text) > MAX_LENGTH or not text.isprintable():  # the usual text passes both, in two C calls
        error: TargetError | None = _too_long(text) or _bad_character(text)
        if error is not None:
            return _Reading("", None, error)
    norm = normalize_with_map(text)
    if not norm.text:
        error = TargetSyntaxError.at(text, 0, say("empty target"), found="", expected=frozenset({_A_TARGET_VALUE}))
        return _Reading("", None, error)
    repairs: tuple[Repair, ...] = ()
    try:
        try:
            target = _read(norm, options)
        except TargetSyntaxError:
            if not options.repair:
                raise
            repaired, repairs = _repair(norm)
            if not repairs:
                raise
            target = _read(repaired, options)
        default_unit = options.default_unit
        if default_unit is not None:
            unit = default_unit if isinstance(default_unit, Unit) else parse_unit(default_unit)
            target = _with_default_unit(target, unit)
    except TargetError as e:
        return _Reading(norm.text, None, e, repairs)
    return _Reading(norm.text, target, None, repairs)


def _finish(text: str, reading: _Reading, indicator: str | None) -> Analysis:
    """The analysis of a reading with what the indicator's name adds."""
    target = reading.target
    if target is None and indicator and counts_months(indicator, parse):
        target = months_counted(text, parse)  # ≥10月 under 发放月数: no date, a count of months
    if target is None:
        return Analysis(text, reading.normalized, None, reading.error, reading.repairs)
    try:
        if indicator:
            target = apply_name(target, indicator, parse)
        quantities = quantities_of(target)
        require_units(quantities, text)
    except TargetError as e:
        return Analysis(text, reading.normalized, None, e, reading.repairs)
    if target.written != text:
        # The reader gave the node (and a compound's parts) the text it read; the cell as given keeps
        # any space around it too.
        target = attrs.evolve(target, written=text)
    return Analysis(text, reading.normalized, target, None, reading.repairs, _warnings(quantities))


def _analysis(text: str, options: ParseOptions) -> Analysis:
    if options.indicator is None:  # memoised by the caller (_analyze) as it is
        return _finish(text, _read_text(text, options), None)
    return _finish(text, _reading(text, _nameless(options), current_language()), options.indicator)


@functools.lru_cache(maxsize=256)
def _nameless(options: ParseOptions) -> ParseOptions:
    return options if options.indicator is None else attrs.evolve(options, indicator=None)


def analyze_named(text: str, options: ParseOptions, indicator: str | None) -> Analysis:
    """``analyze(text, options=options, indicator=indicator)`` for a caller holding one
    :class:`ParseOptions` for many rows and a name per row (a table, :func:`targetexpr.evaluate`):
    no options object is made per name.  ``text`` is a ``str``; the language is the one in effect."""
    text = _text(text)
    too_long = _too_long(text)
    if too_long is not None:
        return Analysis(text, "", None, too_long)
    options = _nameless(options)
    if not indicator:
        return _memoised(text, options)
    return _named(text, options, indicator[:MAX_INDICATOR], current_language())


@functools.lru_cache(maxsize=256)
def repairing(options: ParseOptions) -> ParseOptions:
    """``options`` repairing known extraction noise: how a table's and an evaluation's target text is read (#12)."""
    return ParseOptions.build(options, repair=True)


@functools.lru_cache(maxsize=8192)
def _named(text: str, options: ParseOptions, indicator: str, lang: Language) -> Analysis:
    return call_in(lang, _named_finish, text, options, indicator, lang)


def _named_finish(text: str, options: ParseOptions, indicator: str, lang: Language) -> Analysis:
    return _finish(text, _reading(text, options, lang), indicator)


#: The stable name of what an empty text lacks, in :attr:`TargetSyntaxError.expected`.
_A_TARGET_VALUE = N_("a target value")


def _options(
    options: ParseOptions | None,
    year: int | None,
    repair: bool,
    default_unit: str | Unit | None,
    deadline_inclusive: bool,
    date_order: str,
    indicator: str | None,
    repair_default: bool,
) -> ParseOptions:
    """The keyword arguments of :func:`parse`/:func:`analyze` as one :class:`ParseOptions`: those that
    differ from their defaults override ``options``."""
    changes: dict[str, object] = {}
    if year is not None:
        changes["year"] = year
    if repair is not repair_default:
        changes["repair"] = repair
    if default_unit is not None:
        changes["default_unit"] = default_unit
    if deadline_inclusive is not True:
        changes["deadline_inclusive"] = deadline_inclusive
    if date_order != "ymd":
        changes["date_order"] = date_order
    if indicator is not None:
        changes["indicator"] = indicator
    if options is None:
        if not changes and not repair_default:
            return _PARSE_DEFAULT
        changes.setdefault("repair", repair_default)
    return ParseOptions.build(options, **changes)


_PARSE_DEFAULT = ParseOptions()
_ANALYZE_DEFAULT = ParseOptions(repair=True)


def _text(text: object) -> str:
    if not isinstance(text, str):
        raise TargetValueError(say("a target text must be str, not {type}", type=type(text).__name__), field="text")
    return text if text.__class__ is str else str.__str__(text)


def analyze(
    text: str,
    *,
    options: ParseOptions | None = None,
    year: int | None = None,
    repair: bool = True,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
    indicator: str | None = None,
    lang: str | None = None,
) -> Analysis:
    """Read ``text`` and report everything: the target or the error, the repairs, the warnings.

    Unlike :func:`parse` it does not raise for unreadable text (the error is in
    :attr:`Analysis.error`), and it repairs known extraction noise by default.  Options are those
    of :func:`parse`; with ``options=``, ``repair`` follows the options object unless given.
    ``lang`` (``"zh"`` or ``"en"``) is the language of the error, the repairs and the warnings;
    without it, ``options.lang``, else the language in effect (:func:`targetexpr.language`).

    >>> a = analyze("≥40 ↑")
    >>> str(a.target), [r.kind for r in a.repairs]
    ('≥40个', ['arrow_for_ge'])
    """
    if (
        options is None
        and lang is None
        and year is None
        and repair is True
        and default_unit is None
        and indicator is None
        and deadline_inclusive is True
        and date_order == "ymd"
    ):
        return _analysis_of(_text(text), _ANALYZE_DEFAULT)  # the usual call, analyze(text)
    return _entry(
        _analysis_of,
        text,
        options,
        lang,
        year,
        repair,
        default_unit,
        deadline_inclusive,
        date_order,
        indicator,
        repair_default=options is None,
    )


def parse(
    text: str,
    *,
    options: ParseOptions | None = None,
    year: int | None = None,
    repair: bool = False,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
    indicator: str | None = None,
    lang: str | None = None,
) -> Target:
    """Parse a target value (指标值) into its AST.

    Args:
        text: the cell text, as written (full-width characters, spaces and symbol variants are fine).
        options: a :class:`~targetexpr.ParseOptions` holding the options below; keyword arguments
            given beside it override its fields.
        year: the budget year, for dates that omit it (``年底前``, ``6月底前``); without it such a
            date keeps ``year=None``.
        repair: repair known PDF/web extraction noise (``≥40 ↑``, ``12月月31日``) instead of
            rejecting it; :func:`analyze` reports each repair.
        default_unit: unit for values written without one (``43.2`` in a table whose header says
            ``单位:万元``), e.g. ``"万元"``.
        deadline_inclusive: whether "X前" includes day X (default ``True``: on or before X).
        date_order: how to read ``12/31/2021``: ``"mdy"`` or ``"dmy"``; the default ``"ymd"``
            accepts only year-first dates and rejects the ambiguous form.
        indicator: the indicator's name (三级指标), for what the cell leaves to it.
        lang: the language of an error's message, ``"zh"`` or ``"en"``; without it,
            ``options.lang``, else the language in effect (:func:`targetexpr.language`, else
            ``TARGETEXPR_LANG``, else Chinese).  The error's other fields (``position``,
            ``expected`` …) are the same in every language.

    Raises:
        TargetSyntaxError: the text cannot be read; the error has the column and what was expected.
        TargetLengthError: the text is longer than :data:`MAX_LENGTH`.
        TargetValueError: ``text`` is not a string, or an option is invalid.

    >>> parse("≥99.9%")
    Comparison(op=<Op.GE: '≥'>, quantity=Quantity(value=Decimal('99.9'), unit=Unit(base='%', prefix='', per=())))
    >>> str(parse("不低于 ９５ ％"))
    '≥95%'
    """
    if (
        lang is None
        and options is None
        and year is None
        and repair is False
        and default_unit is None
        and indicator is None
        and deadline_inclusive is True
        and date_order == "ymd"
    ):
        # The usual call, parse(text): no option to build, a str as it is.
        return _target(text if text.__class__ is str else _text(text), _PARSE_DEFAULT)
    return _entry(_target, text, options, lang, year, repair, default_unit, deadline_inclusive, date_order, indicator)


_T = TypeVar("_T")


def _entry(
    finish: Callable[[str, ParseOptions], _T],
    text: object,
    options: ParseOptions | None,
    lang: str | None,
    year: int | None,
    repair: bool,
    default_unit: str | Unit | None,
    deadline_inclusive: bool,
    date_order: str,
    indicator: str | None,
    *,
    repair_default: bool = False,
) -> _T:
    """The keyword arguments of :func:`parse` or :func:`analyze` made into one :class:`ParseOptions`,
    and ``finish`` called with the text and it, the whole call (option errors included) in the
    language chosen: ``lang``, else ``options.lang``, else the language in effect."""
    chosen = lang if lang is not None else getattr(options, "lang", None)
    if chosen is None:
        return finish(
            _text(text),
            _options(options, year, repair, default_unit, deadline_inclusive, date_order, indicator, repair_default),
        )
    plain = attrs.evolve(options, lang=None) if isinstance(options, ParseOptions) else options
    with language(chosen):
        return finish(
            _text(text),
            _options(plain, year, repair, default_unit, deadline_inclusive, date_order, indicator, repair_default),
        )


def _analysis_of(text: str, options: ParseOptions) -> Analysis:
    # Checked before the memo: caching long texts would let hostile input hold memory.
    too_long = _too_long(text)
    if too_long is not None:
        return Analysis(text, "", None, too_long)
    return _memoised(text, options)


def _target(text: str, options: ParseOptions) -> Target:
    if len(text) > MAX_LENGTH:
        raise _length_error(text)  # before the memo: over-long texts are never held
    # The memoised reading: a repeated good cell costs one cache lookup.  An error is memoised under
    # the language in effect, so that it never reaches a caller speaking another.
    target = _parsed(text, options)
    if target is not None:
        return target
    analysis = _analyze(text, options, current_language())
    if analysis.error is not None:
        # A fresh copy each time, so that re-raising a cached error never grows its traceback.
        raise copy.copy(analysis.error)
    assert analysis.target is not None
    return analysis.target
