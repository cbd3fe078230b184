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
from .nodes import Unit

__all__ = ["DATE_ORDERS", "ParseOptions"]

#: How a numeric date such as ``12/31/2021`` may be read (``ymd`` accepts only year-first dates).
DATE_ORDERS = ("ymd", "mdy", "dmy")
#: Longest indicator name kept as context (real names are under 60 characters).
MAX_INDICATOR = 200


def _check_year(_: Any, __: Any, year: Any) -> None:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2099):
        raise TargetValueError(f"year must be an int from 1900 to 2099, not {brief(year)}", field="year")


def _check_bool(name: str) -> Any:
    def check(_: object, __: object, value: object) -> None:
        if not isinstance(value, bool):
            raise TargetValueError(f"{name} must be True or False, not {brief(value)}", field=name)

    return check


def _check_date_order(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, str) or value not in DATE_ORDERS:
        raise TargetValueError(
            f"date_order must be one of {', '.join(DATE_ORDERS)}, not {brief(value)}", field="date_order"
        )


def _check_default_unit(_: Any, __: Any, value: Any) -> None:
    if value is not None and not isinstance(value, (str, Unit)):
        raise TargetValueError(f"default_unit must be text or a Unit, not {type(value).__name__}", field="default_unit")


def _check_indicator(_: Any, __: Any, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise TargetValueError(
            f"indicator must be text (the 三级指标 name), not {type(value).__name__}", field="indicator"
        )


def _indicator(value: Any) -> Any:
    # Context only: a bounded look keeps hostile names out of the memo.
    return value[:MAX_INDICATOR] if isinstance(value, str) else value


@attrs.frozen
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
    """

    year: int | None = attrs.field(default=None, validator=_check_year)
    repair: bool = attrs.field(default=False, validator=_check_bool("repair"))
    default_unit: str | Unit | None = attrs.field(default=None, validator=_check_default_unit)
    deadline_inclusive: bool = attrs.field(default=True, validator=_check_bool("deadline_inclusive"))
    date_order: str = attrs.field(default="ymd", validator=_check_date_order)
    indicator: str | None = attrs.field(default=None, converter=_indicator, validator=_check_indicator)
    fast: bool = attrs.field(default=True, validator=_check_bool("fast"))

    @classmethod
    def build(cls, options: ParseOptions | None = None, **changes: Any) -> ParseOptions:
        """``options`` (or the defaults) with ``changes``; keyword arguments that are ``None`` where
        the default is not keep the default."""
        base = options if options is not None else _DEFAULT
        if options is not None and not isinstance(options, ParseOptions):
            raise TargetValueError(f"options must be a ParseOptions, not {type(options).__name__}", field="options")
        if not changes:
            return base
        try:
            # Names are bounded before they become memo keys (a 100,000-character label, #14).
            bounded = {k: v[:MAX_INDICATOR] if k in _NAMES and isinstance(v, str) else v for k, v in changes.items()}
            return _cached_build(base, tuple(sorted(bounded.items())))
        except TypeError:  # an unhashable value: let the validators say what is wrong
            unknown = set(changes) - {a.name for a in attrs.fields(cls)}
            if unknown:
                raise TargetValueError(f"unknown option(s): {', '.join(sorted(unknown))}") from None
            return attrs.evolve(base, **changes)


_DEFAULT = ParseOptions()


_NAMES = ("indicator", "level2")


@functools.lru_cache(maxsize=256)
def _cached_build(base: ParseOptions, changes: tuple[tuple[str, Any], ...]) -> ParseOptions:
    return attrs.evolve(base, **dict(changes))
