"""Year over year: this year's targets against last year's table (rule ``history.lower``).

历史标准 — last year's value — is a named basis for setting a target value; no public rule says a
target may never be lower, so a weaker target is a finding to review (severity from the rule data,
``warning`` as shipped), never a failure.  Rows are matched on their 一级/二级/三级 names, normalised
(NFKC, spaces and notes in brackets removed, the 一级 label made canonical); a row whose names match
no row of last year, or match several, is left alone.

Direction-aware: for a target with ``≥``/``>`` (or 正向, or a bare value read as "at least"), a
lower number is weaker; for ``≤``/``<`` (反向) a higher one.  Last year's actual counts too: a target
below what was achieved last year is weaker than last year's result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..i18n import say
from .rows import Row

__all__ = ["PreviousRow", "index_previous", "weaker_than_last_year"]

_NOTE = re.compile(r"[(（\[【].*?[)）\]】]")

PreviousRow = tuple[Row, Any, Any]  # the row, its target node, its actual quantity (or None)


def _compact(text: str) -> str:
    from ..parser.normalize import normalize

    return "".join(_NOTE.sub("", normalize(text or "")).split())


def name_key(row: Row) -> tuple[str, str, str]:
    """The names a row is matched on: canonical 一级, then 二级 and 三级, normalised."""
    from .labels import canonical_level1

    level1 = canonical_level1(row.level1) if row.level1.strip() else ""
    return (level1, _compact(row.level2), _compact(row.indicator))


def _filled(rows: Iterable[Row]) -> Iterator[Row]:
    """Blank 一级/二级 cells carry the label above, as merged cells read (as :func:`score_rows` does)."""
    import attrs

    level1 = level2 = ""
    for row in rows:
        if not row.level1.strip():
            row = attrs.evolve(row, level1=level1)
        if not row.level2.strip() and row.level1 == level1:
            row = attrs.evolve(row, level2=level2)
        level1, level2 = row.level1, row.level2
        yield row


def _target(row: Row) -> Any:
    from ..parser.api import analyze

    text = "" if row.target is None else str(row.target)
    if not text.strip():
        return None
    try:
        return analyze(text, indicator=row.indicator).target
    except ValueError:
        return None


def _actual(row: Row, target: Any) -> Any:
    """Last year's actual as a quantity in the target's unit when it gives none (``98`` under ``≥95%``)."""
    from ..values import Quantity

    node = _target(Row(row.indicator, None if row.actual is None else str(row.actual)))
    quantity = getattr(node, "quantity", None)
    if quantity is None:
        return None
    if quantity.unit is None and getattr(target, "quantity", None) is not None:
        return Quantity(quantity.value, target.quantity.unit)
    return quantity


def index_previous(rows: Iterable[Row | Mapping[str, object]]) -> dict[tuple[str, str, str], list[PreviousRow]]:
    """Last year's rows by their names (see :func:`name_key`), each with its target and actual read."""
    from .labels import is_total
    from .rows import _as_row

    out: dict[tuple[str, str, str], list[PreviousRow]] = {}
    for row in _filled(_as_row(item, i) for i, item in enumerate(rows, 1)):
        if is_total(row) or not row.indicator.strip():
            continue
        target = _target(row)
        out.setdefault(name_key(row), []).append((row, target, _actual(row, target)))
    return out


def _direction(row: Row, node: Any) -> str | None:
    from ..evaluator.cues import name_cue

    op = getattr(getattr(node, "op", None), "value", None)
    if op in ("≥", ">"):
        return "higher"
    if op in ("≤", "<"):
        return "lower"
    if op not in (None,):
        return None  # = and ≈: neither way is weaker
    stated = str(row.direction or "")
    if stated in ("正向", "higher"):
        return "higher"
    if stated in ("反向", "lower"):
        return "lower"
    cue = name_cue(row.level2, row.indicator, node.quantity.unit)
    return cue.direction.value if cue is not None and cue.direction.value != "equal" else "higher"


def _number(quantity: Any, unit: Any) -> Decimal | None:
    """``quantity`` in ``unit``, or ``None`` when the two do not convert (个 against 次, 元 against %)."""
    from ..errors import TargetError

    if quantity is None:
        return None
    if quantity.unit == unit:
        return Decimal(quantity.value)
    if quantity.unit is None or unit is None:
        return None
    try:
        return Decimal(quantity.to(unit).value)
    except (TargetError, ValueError, ArithmeticError):
        return None


def weaker_than_last_year(
    row: Row, node: Any, previous: Mapping[tuple[str, str, str], list[PreviousRow]]
) -> str | None:
    """Why this year's target of ``row`` (read as ``node``) is weaker than last year's target or
    actual for the same indicator, or ``None``."""
    quantity = getattr(node, "quantity", None)
    if quantity is None or getattr(node, "kind", None) not in ("comparison", "value"):
        return None
    matches = previous.get(name_key(row), [])
    if len(matches) != 1:
        return None
    last_row, last_target, last_actual = matches[0]
    direction = _direction(row, node)
    if direction is None:
        return None
    now = Decimal(quantity.value)

    def weaker(then: Decimal) -> bool:
        return now < then if direction == "higher" else now > then

    where = "" if last_row.line is None else say(" (last year's row {line})", line=last_row.line)
    reasons = []
    then = _number(getattr(last_target, "quantity", None), quantity.unit)
    if then is not None and weaker(then):
        reasons.append(say("last year's target {target}", target=str(last_target)))
    achieved = _number(last_actual, quantity.unit)
    if achieved is not None and weaker(achieved):
        reasons.append(say("last year's actual {actual}", actual=str(last_actual)))
    if not reasons:
        return None
    if direction == "higher":
        return say(
            "the target {target} is below {what}{where}", target=str(node), what=say(" and ").join(reasons), where=where
        )
    return say(
        "the target {target} is above {what}{where}: for a 反向 indicator that is weaker",
        target=str(node),
        what=say(" and ").join(reasons),
        where=where,
    )
