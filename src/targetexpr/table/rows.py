"""The rows of a table: :class:`Row` in, :class:`ScoredRow`, :class:`Subtotal` and :class:`Scorecard` out,
and the cell checks that turn spreadsheet values into text."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..errors import TableError, TargetValueError, brief
from ..evaluator import Evaluation
from ..i18n import say
from ..nodes import Direction, Target

__all__ = ["Row", "Scorecard", "ScoredRow", "Subtotal"]


def _label(value: object) -> str:
    """A text cell of a row: ``None`` (a blank cell) is ``""``; a number is its text (spreadsheets
    hand back ``2020`` for "2020"); anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return _cell_text(value, "a label cell")


def _line(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TargetValueError(say("Row.line must be an int or None, not {type}", type=type(value).__name__))


def _blank(value: object) -> bool:
    """A missing cell: ``None`` or text of only whitespace (never calls ``str()`` on other values)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object) -> str:
    """``str(value)`` for a report, or a short description when ``str()`` itself fails."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:  # an int of over 4,300 digits, or a broken __str__
        return brief(value)


@attrs.frozen
class Row:
    """One row of a self-evaluation table, as the user has it.

    Only what the table has need be given.  ``points`` and ``published_score`` may be numbers or
    text (``"10"``, ``"20%"`` in a 权重 column is read as 20 points).  ``budget`` and ``spent`` (预算数,
    执行数) belong to the budget-execution row.  ``line`` is the row's number in the source file, for
    reports.
    """

    indicator: str = attrs.field(default="", converter=_label)
    target: str | Target | None = None
    actual: object = None
    points: object = None
    published_score: object = None
    level1: str = attrs.field(default="", converter=_label)
    level2: str = attrs.field(default="", converter=_label)
    direction: Direction | str | None = None
    baseline: object = None
    budget: object = None
    spent: object = None
    deviation_reason: str = attrs.field(default="", converter=_label)
    line: int | None = attrs.field(default=None, converter=_line)


@attrs.frozen
class ScoredRow:
    """A row with its verdict and score.

    ``kind`` is ``"indicator"``, ``"execution"`` (预算执行率), ``"group"`` (a parent row scored from
    the sub-rows under it), ``"sub"`` (a sub-row scored through its parent), ``"unscored"`` (an
    indicator without points), ``"total"`` (the table's 总分/合计 row: not scored; its published score is
    checked against the rows), or ``"blank"`` (no target and no actual).  ``differs`` compares
    the published score with the formula: for qualitative rows it is ``True`` only when the
    published score lies outside the band's range.  ``unrounded_score`` is the score before
    rounding (exact), which a rule set with ``[grading] total = "unrounded"`` grades on.
    """

    row: Row
    kind: str
    level1: str
    evaluation: Evaluation | None
    score: Decimal | None
    points: Decimal | None
    published_score: Decimal | None
    differs: bool | None
    error: str | None
    notes: tuple[str, ...] = ()
    unrounded_score: Fraction | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def met(self) -> bool | None:
        """The verdict (``None``: none, or an error)."""
        return None if self.evaluation is None else self.evaluation.met

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the row's results."""
        ev = self.evaluation
        return {
            "line": self.row.line,
            "level1": self.level1,
            "level2": self.row.level2,
            "indicator": self.row.indicator,
            "target": None if self.row.target is None else _as_text(self.row.target),
            "actual": None if self.row.actual is None else _as_text(self.row.actual),
            "kind": self.kind,
            "met": self.met,
            "completion": None if ev is None or ev.completion is None else str(ev.completion),
            "band": None if ev is None or ev.band is None else ev.band.value,
            "score": None if self.score is None else str(self.score),
            "points": None if self.points is None else str(self.points),
            "published_score": None if self.published_score is None else str(self.published_score),
            "differs": self.differs,
            "reason": None if ev is None else ev.reason,
            "flags": [] if ev is None else list(ev.flags),
            "notes": list(self.notes),
            "error": self.error,
        }


@attrs.frozen
class Subtotal:
    """Points and scores of one first-level indicator (一级指标)."""

    level1: str
    points: Decimal
    score: Decimal
    published_score: Decimal | None
    rows: int


@attrs.frozen
class Scorecard:
    """The scored table: rows, subtotals per 一级指标, total, grade, and what a reviewer should see."""

    rows: tuple[ScoredRow, ...]
    subtotals: tuple[Subtotal, ...]
    total: Decimal
    total_points: Decimal
    published_total: Decimal | None
    grade: str | None
    rules: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the whole result."""
        return {
            "rules": self.rules,
            "total": str(self.total),
            "total_points": str(self.total_points),
            "published_total": None if self.published_total is None else str(self.published_total),
            "grade": self.grade,
            "subtotals": [
                {
                    "level1": s.level1,
                    "points": str(s.points),
                    "score": str(s.score),
                    "published_score": None if s.published_score is None else str(s.published_score),
                    "rows": s.rows,
                }
                for s in self.subtotals
            ],
            "warnings": list(self.warnings),
            "rows": [r.to_dict() for r in self.rows],
        }


_ROW_FIELDS = frozenset(a.name for a in attrs.fields(Row))
_TEXT_FIELDS = ("indicator", "level1", "level2", "deviation_reason")


def _cell_text(value: object, name: str) -> str:
    """A text cell: spreadsheets hand back numbers for "2020" or "100"; anything else is an error."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TargetValueError(say("{name} must be text, not a bool", name=name), field=name)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**30 else _too_long(name)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if not number.is_finite():
            raise TargetValueError(say("{name} must be text, not {value}", name=name, value=repr(value)), field=name)
        if abs(number.adjusted()) > 30:
            return _too_long(name)
        text = format(number, "f")
        return text[:-2] if text.endswith(".0") else text
    raise TargetValueError(say("{name} must be text, not {type}", name=name, type=type(value).__name__), field=name)


def _too_long(name: str) -> str:
    raise TargetValueError(say("{name} is a number with more than 30 digits", name=name), field=name)


def _as_row(item: object, position: int) -> Row:
    """A :class:`Row` from a Row or a mapping, with text cells as text (spreadsheet numbers too)."""
    if isinstance(item, Row):
        row = item
    elif isinstance(item, Mapping):
        unknown = set(item) - _ROW_FIELDS
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            raise TableError(
                say(
                    "row {position}: unknown column(s) {names}; a row has {fields}",
                    position=position,
                    names=names,
                    fields=", ".join(sorted(_ROW_FIELDS)),
                )
            )
        row = Row(**{str(k): v for k, v in item.items()})
    else:
        raise TableError(
            say("row {position} must be a Row or a mapping, not {type}", position=position, type=type(item).__name__)
        )
    changes: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(row, name)
        if not isinstance(value, str):
            changes[name] = _cell_text(value, f"row {position}: {name}")
    if row.target is not None and not isinstance(row.target, str) and getattr(row.target, "kind", None) is None:
        changes["target"] = _cell_text(row.target, f"row {position}: target") or None
    return attrs.evolve(row, **changes) if changes else row
