"""Reading a year-end actual (实际完成值): text, numbers, dates, quantities, with the target grammar."""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal
from typing import NamedTuple, assert_never

from .. import datafiles as _data
from ..errors import (
    TargetEvaluationError,
    TargetValueError,
    brief,
)
from ..i18n import N_, current_language, gettext, say
from ..nodes import (
    CalendarDate,
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
    Value,
)
from ..parser.api import analyze
from .result import _EXCEL_EPOCH, _to_decimal

# --- reading actuals ----------------------------------------------------------------------------


class Observed(NamedTuple):
    """An actual, read: one of quantity, date or quality is set (none when missing), except a
    dotted year and month that is a number too (``2031.05``), which sets both a date and a
    quantity: the target says which one it asks for."""

    text: str | None
    quantity: Quantity | None = None
    claim: Op | None = None
    date: CalendarDate | None = None
    quality: Qualitative | None = None
    parts: tuple[Observed, ...] = ()
    note: str = ""
    change: Relative | None = None  # "增长6%", "与上年持平": the actual states the change itself
    repairs: tuple[str, ...] = ()  # what of the extraction noise in it was repaired ("95%%")

    @property
    def missing(self) -> bool:
        read = (self.quantity, self.date, self.quality, self.change)
        return all(item is None for item in read) and not self.parts


#: Words that say an action is done, before the label of an actual ("已建立", "均已按时拨付").
_DONE = ("均已", "已经", "全部", "已")


def _suffix_quality(text: str) -> Qualitative | None:
    """A known label at the end of an actual sentence ("养老服务提升" → 提升), or at its start before
    a verb ("按时拨付" → 按时), if nothing negates it; "已建立" answers "建立"."""
    vocab = _data.qualitative()
    negations = _data.negations()
    for size in range(min(len(text), 12), 1, -1):
        for piece, rest in ((text[-size:], text[:-size]), (text[:size], text[size:])):
            entry = vocab.get(piece)
            if entry is not None and entry.category not in ("not_applicable", "undetermined"):
                if any(n in rest for n in negations):
                    return None
                return Qualitative(text, entry.category, Polarity(entry.polarity))
    done = next((d for d in _DONE if text.startswith(d)), None)
    if done is not None and len(text) > len(done) and not any(n in text for n in negations):
        return Qualitative(text[len(done) :], "affirm", Polarity.POSITIVE)
    return None


#: The kinds of target an actual may not be, named in a note.
_KINDS = {"range": N_("range"), "period": N_("period"), "relative": N_("relative"), "masked": N_("masked")}


#: The categories of ``data/qualitative.tsv`` as a reader names them (the ids stay English).
_CATEGORIES = {
    "improve": N_("improve"),
    "affirm": N_("affirm"),
    "achievement": N_("achievement"),
    "timely": N_("timely"),
    "no_incident": N_("no_incident"),
    "pass": N_("pass"),
    "on_plan": N_("on_plan"),
    "effective": N_("effective"),
    "good": N_("good"),
    "compliant": N_("compliant"),
    "high": N_("high"),
    "long_term": N_("long_term"),
    "satisfied": N_("satisfied"),
    "full_year": N_("full_year"),
    "round_the_clock": N_("round_the_clock"),
}


def _category(quality: Qualitative) -> str:
    """A qualitative category as the reader sees it: its id in English (``timely``), 及时 in Chinese."""
    category = str(quality.category)
    return gettext(_CATEGORIES[category]) if category in _CATEGORIES else category


#: A bare dotted year and month that is also a plain number (an actual 2031.05 against 2139).
_DOTTED_NUMBER = re.compile(r"(?:19|20)[0-9]{2}\.[0-9]{1,2}")


def _observed_from_target(text: str, node: Target) -> Observed:
    if isinstance(node, Value):
        return Observed(text, quantity=node.quantity)
    if isinstance(node, Comparison):
        return Observed(text, quantity=node.quantity, claim=node.op)
    if isinstance(node, Deadline):
        dotted = _DOTTED_NUMBER.fullmatch(text.strip())
        return Observed(text, date=node.date, quantity=Quantity(Decimal(dotted[0])) if dotted else None)
    if isinstance(node, Qualitative):
        if node.category is None:
            quality = _suffix_quality(node.label)
            if quality is not None:
                note = say(
                    "the words at the end of {actual} read as {category}",
                    actual=repr(text),
                    category=_category(quality),
                )
                return Observed(text, quality=quality, note=note)
        return Observed(text, quality=node)
    if isinstance(node, Compound):
        return Observed(text, parts=tuple(_observed_from_target(str(p), p) for p in node.parts))
    if isinstance(node, FreeText):
        quality = _suffix_quality(node.text.strip())
        if quality is not None:
            note = say(
                "the words at the end of {actual} read as {category}", actual=repr(text), category=_category(quality)
            )
            return Observed(text, quality=quality, note=note)
        return Observed(text, note=say("{actual} is free text, not a measured value", actual=repr(text)))
    if isinstance(node, Relative) and (node.change is not None or node.op is not None):
        return Observed(text, change=node)
    if isinstance(node, (Range, Period, Relative, Masked)):
        return Observed(
            text,
            note=say(
                "{actual} ({kind}) is not a single actual value", actual=repr(text), kind=gettext(_KINDS[node.kind])
            ),
        )
    assert_never(node)


def read_actual(
    actual: object,
    *,
    year: int | None = None,
    date_order: str = "ymd",
    excel_dates: bool = False,
) -> Observed:
    """Read an actual: text, a number, a date, a :class:`Quantity` or ``None`` (missing).

    Raises :class:`TargetValueError` for a type it cannot read (bytes, NaN, a bool) and
    :class:`TargetEvaluationError` for text it cannot read.
    """
    if actual is None:
        return Observed(None)
    if isinstance(actual, Quantity):
        return Observed(str(actual), quantity=actual)
    if isinstance(actual, CalendarDate):
        return Observed(str(actual), date=actual)
    if isinstance(actual, datetime.datetime):
        actual = actual.date()
    if isinstance(actual, datetime.date):
        return Observed(actual.isoformat(), date=CalendarDate(actual.year, actual.month, actual.day))
    if isinstance(actual, (bool, int, float, Decimal)):
        value = _to_decimal(actual, "the actual")
        if excel_dates and value == value.to_integral_value() and 1 <= value <= 2958465:
            day = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
            return Observed(str(actual), date=CalendarDate(day.year, day.month, day.day), note=say("excel serial date"))
        return Observed(format(value, "f"), quantity=Quantity(value))
    if not isinstance(actual, str):
        raise TargetValueError(
            say("an actual must be text, a number, a date or a Quantity, not {type}", type=type(actual).__name__),
            field="actual",
        )
    if actual.__class__ is str:
        # A table's actuals repeat (100%, 及时, 已完成): each is read once per setting and language.
        return _read_text(actual, year, date_order, current_language())
    return _read_text.__wrapped__(actual, year, date_order, current_language())


@functools.lru_cache(maxsize=8192)
def _read_text(actual: str, year: int | None, date_order: str, lang: str) -> Observed:
    """An actual written as text, with its notes in ``lang`` (the language in effect)."""
    if not actual.strip():
        return Observed(None)
    analysis = analyze(actual, year=year, repair=True, date_order=date_order)
    if analysis.target is None:
        assert analysis.error is not None
        raise TargetEvaluationError(
            say("the actual {actual} cannot be read: {error}", actual=brief(actual), error=analysis.error),
            actual=actual,
        )
    observed = _observed_from_target(actual, analysis.target)
    return observed._replace(repairs=tuple(r.message for r in analysis.repairs)) if analysis.repairs else observed
