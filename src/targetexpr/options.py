"""The options that travel together, as frozen, validated, hashable objects.

:class:`ParseOptions` holds everything that decides how a target text is read; it is validated
once, when it is made, and it is the memo key of :func:`targetexpr.parse` beside the text.  The
public functions keep their keyword arguments as a convenience that builds one
(:meth:`ParseOptions.build`).
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

from .errors import TargetValueError, brief
from .i18n import Language, check_language, say
from .nodes import Unit

__all__ = ["DATE_ORDERS", "ParseOptions"]

#: How a numeric date such as ``12/31/2021`` may be read (``ymd`` accepts only year-first dates).
DATE_ORDERS = ("ymd", "mdy", "dmy")
#: Longest indicator name kept as context (real names are under 60 characters).
MAX_INDICATOR = 200


def _check_year(_: Any, __: Any, year: Any) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2099):
        raise TargetValueError(
            say("year must be an int from 1900 to 2099, not {value}", value=brief(year)), field="year"
        )


def _check_bool(name: str) -> Any:
    def check(_: object, __: object, value: object) -> None:
        if not isinstance(value, bool):
            raise TargetValueError(
                say("{name} must be True or False, not {value}", name=name, value=brief(value)), field=name
            )

    return check


def _check_date_order(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, str) or value not in DATE_ORDERS:
        message = say(
            "date_order must be one of {choices}, not {value}", choices=", ".join(DATE_ORDERS), value=brief(value)
        )
        raise TargetValueError(message, field="date_order")


def _check_default_unit(_: Any, __: Any, value: Any) -> None:
    if value is not None and not isinstance(value, (str, Unit)):
        message = say("default_unit must be text or a Unit, not {type}", type=type(value).__name__)
        raise TargetValueError(message, field="default_unit")


def _check_indicator(_: Any, __: Any, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        message = say("indicator must be text (the 三级指标 name), not {type}", type=type(value).__name__)
        raise TargetValueError(message, field="indicator")


def _language(value: Any) -> Language | None:
    return None if value is None else check_language(value)


def _indicator(value: Any) -> Any:
    # Context only: a bounded look keeps hostile names out of the memo.
    return value[:MAX_INDICATOR] if isinstance(value, str) else value


@attrs.frozen(cache_hash=True)  # the memo key of every parse: hashed once, not per lookup
class ParseOptions:
    """How to read a target text.

    Attributes:
        year: the budget year, for dates that omit it (``年底前``, ``6月底前``).
        repair: repair known PDF/web extraction noise instead of rejecting it.
        default_unit: the unit of values written without one (``"万元"`` from a header).
        deadline_inclusive: whether "X前" includes day X.
        date_order: how to read ``12/31/2021`` (``"ymd"`` rejects it as ambiguous).
        indicator: the indicator's name (三级指标), read for the unit, comparator and direction a
            cell leaves out (``补贴资金(万元)`` with the cell ``150``).
        fast: use the fast path for the usual cells (``False`` only to compare both paths).
        lang: the language of the messages (``"zh"`` or ``"en"``; ``zh_CN`` … are accepted);
            ``None`` (the default) speaks the language in effect when the text is read.
    """

    year: int | None = attrs.field(default=None, validator=_check_year)
    repair: bool = attrs.field(default=False, validator=_check_bool("repair"))
    default_unit: str | Unit | None = attrs.field(default=None, validator=_check_default_unit)
    deadline_inclusive: bool = attrs.field(default=True, validator=_check_bool("deadline_inclusive"))
    date_order: str = attrs.field(default="ymd", validator=_check_date_order)
    indicator: str | None = attrs.field(default=None, converter=_indicator, validator=_check_indicator)
    fast: bool = attrs.field(default=True, validator=_check_bool("fast"))
    lang: Language | None = attrs.field(default=None, converter=_language)

    @classmethod
    def build(cls, options: ParseOptions | None = None, **changes: Any) -> ParseOptions:
        """``options`` (or the defaults) with ``changes``; keyword arguments that are ``None`` where
        the default is not keep the default."""
        base = options if options is not None else _DEFAULT
        if options is not None and not isinstance(options, ParseOptions):
            message = say("options must be a ParseOptions, not {type}", type=type(options).__name__)
            raise TargetValueError(message, field="options")
        if not changes:
            return base
        try:
            # Names are bounded before they become memo keys (a 100,000-character label, #14).
            bounded = {k: v[:MAX_INDICATOR] if k in _NAMES and isinstance(v, str) else v for k, v in changes.items()}
            return _cached_build(base, tuple(sorted(bounded.items())))
        except TypeError:  # an unhashable value: let the validators say what is wrong
            unknown = set(changes) - {a.name for a in attrs.fields(cls)}
            if unknown:
                raise TargetValueError(say("unknown option(s): {names}", names=", ".join(sorted(unknown)))) from None
            return attrs.evolve(base, **changes)


_DEFAULT = ParseOptions()


_NAMES = ("indicator", "level2")


@functools.lru_cache(maxsize=256)
def _cached_build(base: ParseOptions, changes: tuple[tuple[str, Any], ...]) -> ParseOptions:
    return attrs.evolve(base, **dict(changes))
