"""Reading target cells into flat records: :func:`parse_many` and the reader it shares with
:func:`~targetexpr.evaluate_many`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import targetexpr
from targetexpr.convert import base_unit, date_bounds, exact_decimal, unit_factor
from targetexpr.i18n import is_pinned, language, pinned, say
from targetexpr.nodes import (
    Comparison,
    Compound,
    Deadline,
    Direction,
    FreeText,
    Masked,
    Period,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
)

from .cells import cell_text, column, first_line, is_missing, number_text
from .columns import TARGET_COLUMNS, Output, TargetRow
from .frames import output

if TYPE_CHECKING:  # pragma: no cover
    from targetexpr.scoring import RuleSet

__all__ = ["MISSING_FIELDS", "Reader", "parse_many", "target_fields"]

_OP_NAMES = {op: op.name.lower() for op in targetexpr.Op}

#: The target columns of a TargetRow after text and indicator: kind … direction, then flags.
TargetFields = tuple[Any, ...]
MISSING_FIELDS: TargetFields = ("", *([None] * 12), ())
#: What :meth:`Reader.read` returns: (node or None, fields, error, error position, extra flags).
Read = tuple[Target | None, TargetFields, str | None, int | None, tuple[str, ...]]


def _unit_fields(unit: Unit | None) -> tuple[str | None, str | None, Decimal | None, bool]:
    if unit is None:
        return None, None, None, False
    base = base_unit(unit)
    factor = exact_decimal(unit_factor(unit))
    return str(unit), (str(base) if base is not None else None), factor, factor is None


def _quantity_fields(q: Quantity | None) -> tuple[Decimal | None, str | None, str | None, Decimal | None, bool]:
    if q is None:
        return None, None, None, None, False
    return (q.value, *_unit_fields(q.unit))


def _dates(node: Deadline | Period, year: int | None) -> tuple[datetime.date | None, datetime.date | None]:
    try:
        if isinstance(node, Deadline):
            return date_bounds(node.date, year)[1], node.resolve(year)
        return date_bounds(node.start, year)[0], date_bounds(node.end, node.start.year or year)[1]
    except targetexpr.TargetValueError:
        return None, None  # the year is unknown


def target_fields(node: Target, year: int | None, cue: Direction | None) -> TargetFields:
    """kind, canonical, op, value, unit, unit_base, factor, low, high, date, deadline, label, direction, flags."""
    op = value = unit = unit_base = factor = low = high = date = deadline = label = direction = None
    flags: list[str] = []
    inexact = False
    if isinstance(node, (Comparison, Value)):
        value, unit, unit_base, factor, inexact = _quantity_fields(node.quantity)
        if isinstance(node, Comparison):
            op = _OP_NAMES[node.op]
            direction = node.op.direction.value
        elif cue is not None:
            direction = cue.value
            flags.append("direction_from_indicator")
    elif isinstance(node, Range):
        low, high = node.low.value, node.high.value
        unit, unit_base, factor, inexact = _unit_fields(node.high.unit or node.low.unit)
    elif isinstance(node, (Deadline, Period)):
        date, deadline = _dates(node, year)
    elif isinstance(node, Relative):
        op = _OP_NAMES[node.op] if node.op is not None else None
        value, unit, unit_base, factor, inexact = _quantity_fields(node.amount)
        if node.change is not None:
            direction = "higher" if node.change is targetexpr.Change.UP else "lower"
        elif node.op is not None:
            direction = node.op.direction.value
    elif isinstance(node, (Qualitative, FreeText)):
        label = node.label if isinstance(node, Qualitative) else node.text
    elif isinstance(node, Masked):
        op = _OP_NAMES[node.op] if node.op is not None else None
        unit, unit_base, factor, inexact = _unit_fields(node.unit)
    elif isinstance(node, Compound):
        pass  # several targets: the canonical text says them all
    if inexact:
        flags.append("factor_not_decimal")
    return (node.kind, str(node), op, value, unit, unit_base, factor, low, high, date, deadline, label, direction,
            tuple(flags))  # fmt: skip


class Reader:
    """Reads target cells with one set of options, memoising by cell (a column repeats itself)."""

    def __init__(self, year: int | None, options: dict[str, Any], rules: RuleSet | None = None) -> None:
        self.year = year
        self.options = options
        self.rules = rules
        self.memo: dict[object, Read] = {}
        self.cues: dict[tuple[str, Target], Direction | None] = {}

    def read(self, cell: object) -> Read:
        """(node, fields, error, error_position, extra flags) of one cell."""
        key = cell if cell.__class__ is str else None
        if key is not None:
            hit = self.memo.get(key)
            if hit is not None:
                return hit
        result = self._read(cell)
        if key is not None:
            self.memo[key] = result
        return result

    def _read(self, cell: object) -> Read:
        if is_missing(cell):
            return None, (*MISSING_FIELDS[:-1], ("missing",)), None, None, ("missing",)
        extra: tuple[str, ...] = ()
        if isinstance(cell, str):
            text = cell
        else:
            number = number_text(cell)
            if number is None:
                error = say("a target cell must be text or a number, not {type}", type=type(cell).__name__)
                return None, MISSING_FIELDS, error, None, ()
            text, extra = number, ("number_cell",)
        try:
            node = targetexpr.parse(text, year=self.year, **self.options)
        except targetexpr.TargetError as e:
            return None, MISSING_FIELDS, first_line(e), getattr(e, "position", None), extra
        fields = target_fields(node, self.year, None)
        return node, (*fields[:-1], extra + fields[-1]), None, None, extra

    def cue(self, indicator: object, node: Target) -> Direction | None:
        """The direction a word of the indicator's name gives a bare value (``单位成本`` → lower), if any.

        Decided as :func:`targetexpr.evaluate` decides it with ``indicator=`` (``data/direction_cues.tsv``).
        """
        if not isinstance(node, Value) or not isinstance(indicator, str) or not indicator.strip():
            return None
        key = (indicator, node)
        if key not in self.cues:
            result = targetexpr.evaluate(node, node.quantity, indicator=indicator)
            source = result.direction_source or ""
            self.cues[key] = result.direction if source.startswith("cue:") else None
        return self.cues[key]


def parse_many(
    texts: object,
    *,
    year: int | None = None,
    indicator: object = None,
    repair: bool = False,
    default_unit: str | Unit | None = None,
    deadline_inclusive: bool = True,
    date_order: str = "ymd",
    as_: Output = "records",
    lang: str | None = None,
) -> Any:
    """Parse a column of target cells; one :class:`~targetexpr.batch.TargetRow` per cell, never an exception per cell.

    Args:
        texts: the cells (a list, tuple, numpy array, pandas Series, Arrow array, Polars Series).
            Text is parsed; a number (``95``, a numpy scalar) is read as its text and flagged
            ``number_cell``; ``None``, NaN and blank text give a row with ``kind == ""``.
        year: the budget year, for dates that omit it.
        indicator: the indicator names (三级指标), one per cell: carried into the ``indicator``
            column, and used for the direction of bare values (``单位成本`` → lower).
        repair, default_unit, deadline_inclusive, date_order: as for :func:`targetexpr.parse`.
        as_: ``"records"`` (a list of :class:`~targetexpr.batch.TargetRow`, the default),
            ``"pandas"``, ``"arrow"`` or ``"polars"``.
        lang: the language of the ``error`` column and of an argument error, ``"zh"`` or ``"en"``;
            without it, the language in effect (:func:`targetexpr.language`).

    Raises only for bad arguments (a sequence of the wrong length, an invalid option).

    >>> parse_many(["2022年12月31日前", "年底前"], year=2022)[1].deadline
    datetime.date(2022, 12, 31)
    """
    if lang is not None or not is_pinned():
        # One reading of the language for the whole column, not one per cell.
        with language(lang) if lang is not None else pinned():
            return parse_many(
                texts,
                year=year,
                indicator=indicator,
                repair=repair,
                default_unit=default_unit,
                deadline_inclusive=deadline_inclusive,
                date_order=date_order,
                as_=as_,
            )
    cells = column(texts, None, "texts")
    indicators = column(indicator, len(cells), "indicator") if indicator is not None else None
    options: dict[str, Any] = {"repair": repair, "default_unit": default_unit, "deadline_inclusive": deadline_inclusive,
               "date_order": date_order}  # fmt: skip
    targetexpr.parse("1", year=year, **options)  # a bad option raises here, once
    reader = Reader(year, options)
    rows: list[TargetRow] = []
    append = rows.append
    if indicators is None:
        shared: dict[object, TargetRow] = {}
        for cell in cells:
            row = shared.get(cell) if cell.__class__ is str else None
            if row is None:
                _node, fields, error, position, _ = reader.read(cell)
                row = TargetRow._make((cell_text(cell), None, *fields, error, position))
                if cell.__class__ is str:
                    shared[cell] = row
            append(row)
    else:
        pairs: dict[tuple[object, object], TargetRow] = {}
        for cell, given in zip(cells, indicators, strict=True):
            name = None if is_missing(given) else str(given)
            key = (cell, name) if cell.__class__ is str else None
            row = pairs.get(key) if key is not None else None
            if row is None:
                node, fields, error, position, extra = reader.read(cell)
                cue = reader.cue(name, node) if node is not None else None
                if node is not None and cue is not None:
                    fields = target_fields(node, year, cue)
                    fields = (*fields[:-1], extra + fields[-1])
                row = TargetRow._make((cell_text(cell), name, *fields, error, position))
                if key is not None:
                    pairs[key] = row
            append(row)
    return output(rows, TARGET_COLUMNS, as_)
