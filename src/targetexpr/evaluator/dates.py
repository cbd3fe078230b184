"""Deadlines and periods against a date."""

from __future__ import annotations

import datetime
from fractions import Fraction

from ..convert import date_bounds
from ..i18n import current_language, say
from ..nodes import (
    CalendarDate,
    Deadline,
    Direction,
    Period,
)
from .actuals import Observed
from .result import _UNJUDGED, _band_of, _percent, _Run, _Verdict

# --- dates --------------------------------------------------------------------------------------


def first_last_day(date: CalendarDate) -> tuple[datetime.date, datetime.date]:
    """First and last day of a date of any precision (its year must be known)."""
    assert date.year is not None
    return date_bounds(date)


#: The year a yearless target and a yearless actual are both read in when no year is given: a leap
#: year, so that 2月29日 is a day; it is never shown (``_day(..., unnamed=True)`` leaves it out).
_UNNAMED_YEAR = 2000


def _day(day: datetime.date, unnamed: bool = False) -> str:
    """A day as a reader writes it: ``2022-12-31``, ``2022年12月31日``; without the year when it is
    the same unnamed year of a yearless target and actual (``09-30``, ``9月30日``)."""
    if current_language() == "zh":
        return f"{day.month}月{day.day}日" if unnamed else f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month:02d}-{day.day:02d}" if unnamed else day.isoformat()


def _same_unnamed_year(target: Deadline | Period, observed: Observed, run: _Run) -> int:
    """Neither the target nor the actual names a year and no year= is given (``9月前`` against
    ``7月``): both are read in one and the same year, and the result says so."""
    run.flag(
        "same_unnamed_year",
        say(
            "neither {target} nor the actual {actual} names a year: both are read in the same year",
            target=target,
            actual=observed.text,
        ),
    )
    return _UNNAMED_YEAR


def _with_year(date: CalendarDate, year: int) -> CalendarDate:
    return CalendarDate(year, date.month, date.day, date.quarter, date.half, date.end)


def _date_verdict(target: Deadline | Period, observed: Observed, year: int | None, run: _Run) -> _Verdict:
    assert observed.date is not None
    actual = observed.date
    unnamed = False
    if isinstance(target, Deadline):
        deadline = target.date
        if deadline.year is None and year is None and target.recurring and actual.year is not None:
            # "每年11月底前": it recurs each year, so the year of a dated actual is the year judged.
            year = actual.year
        if deadline.year is None and year is None and actual.year is None:
            year, unnamed = _same_unnamed_year(target, observed, run), True
        if deadline.year is None:
            if year is None:
                run.reasons.append(say("the year of {target} is unknown: pass year= (the budget year)", target=target))
                return _UNJUDGED
            deadline = _with_year(deadline, year)
        if actual.year is None and unnamed:
            actual = _with_year(actual, _UNNAMED_YEAR)
        elif actual.year is None:
            assumed = year if year is not None else deadline.year
            assert assumed is not None
            actual = _with_year(actual, assumed)
            run.flag(
                "actual_year_assumed",
                say("the actual {actual} has no year: read as {year}年", actual=observed.text, year=assumed),
            )
        first, last = first_last_day(deadline)
        if target.inclusive:
            limit = last
            rule = say("on or before {date} (the deadline day counts)", date=_day(limit, unnamed))
        else:
            limit = (last if deadline.end else first) - datetime.timedelta(days=1)
            rule = say("on or before {date} (the deadline day does not count)", date=_day(limit, unnamed))
        a_first, a_last = first_last_day(actual)
        if a_last <= limit:
            met: bool | None = True
        elif a_first > limit:
            met = False
        else:
            met = None
        if met is None:
            run.reasons.append(
                say(
                    "the actual {actual} ({first}–{last}) is not precise enough to say whether it is {rule}",
                    actual=observed.text,
                    first=_day(a_first, unnamed),
                    last=_day(a_last, unnamed),
                    rule=rule,
                )
            )
            return _UNJUDGED
        if met and observed.text == _day(a_last, unnamed):
            run.reasons.append(say("{actual} is {rule}: on time", actual=observed.text, rule=rule))
        elif met:
            run.reasons.append(
                say("{actual} ({date}) is {rule}: on time", actual=observed.text, date=_day(a_last, unnamed), rule=rule)
            )
        else:
            run.reasons.append(
                say(
                    "{actual} ({date}) is not {rule}: late",
                    actual=observed.text,
                    date=_day(a_last, unnamed),
                    rule=rule,
                )
            )
        if a_first == a_last == last and target.inclusive and deadline.precision == "day":
            run.flag("on_deadline_day", say("met on the deadline day itself: met only because that day counts"))
    else:
        start, end = target.start, target.end
        if start.year is None and end.year is None and year is None and actual.year is None:
            year, unnamed = _same_unnamed_year(target, observed, run), True
        if start.year is None or end.year is None:
            if year is None:
                run.reasons.append(say("the year of {target} is unknown: pass year= (the budget year)", target=target))
                return _UNJUDGED
            start = _with_year(start, year) if start.year is None else start
            end = _with_year(end, start.year if start.year is not None else year) if end.year is None else end
        if actual.year is None and unnamed:
            actual = _with_year(actual, _UNNAMED_YEAR)
        elif actual.year is None:
            assumed = year if year is not None else start.year
            assert assumed is not None
            actual = _with_year(actual, assumed)
            run.flag(
                "actual_year_assumed",
                say("the actual {actual} has no year: read as {year}年", actual=observed.text, year=assumed),
            )
        p_first, p_last = first_last_day(start)[0], first_last_day(end)[1]
        a_first, a_last = first_last_day(actual)
        met = p_first <= a_first and a_last <= p_last
        if met:
            run.reasons.append(
                say(
                    "{actual} is within {first}–{last}",
                    actual=observed.text,
                    first=_day(p_first, unnamed),
                    last=_day(p_last, unnamed),
                )
            )
        else:
            run.reasons.append(
                say(
                    "{actual} is not within {first}–{last}",
                    actual=observed.text,
                    first=_day(p_first, unnamed),
                    last=_day(p_last, unnamed),
                )
            )
    completion = Fraction(1) if met else Fraction(0)
    score = None
    if run.points is not None:
        share = Fraction(1) if met else run.rules.deadline_missed
        run.unrounded = share * Fraction(run.points)
        score = run.rules.round(run.unrounded)
        if not met:
            run.reasons.append(
                say(
                    "a missed date scores {share} of the points: {score}",
                    share=_percent(run.rules.deadline_missed),
                    score=score,
                )
            )
        else:
            run.reasons.append(say("score {score} of {points}", score=score, points=run.points))
    return _Verdict(met, completion, Direction.LOWER, _band_of(met), score)
