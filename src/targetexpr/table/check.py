"""Checking one row's target the way a reviewer does: readable, measurable where the 二级指标 says
so, and with a unit that fits the indicator's name (``data/name_units.tsv``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["MEASURABLE_KINDS", "check_row"]

#: 二级指标 whose values must be measurable.
_MEASURED_LEVEL2 = ("数量", "质量", "时效", "成本")
#: The node kinds that count as measurable.
MEASURABLE_KINDS = ("comparison", "value", "range", "deadline", "period", "relative", "compound")


def _target_text(fields: Mapping[str, object]) -> tuple[str, str | None]:
    """The target as one text (split cells 指标性质 | 指标值 | 度量单位 joined) and a direction."""
    target = str(fields.get("target") or "")
    qualifier = str(fields.get("qualifier") or "").strip()
    unit = str(fields.get("unit") or "").strip()
    direction = None
    if qualifier in ("正向", "反向"):
        direction = qualifier
    elif qualifier and qualifier != "定性" and target and not target.startswith(qualifier):
        target = qualifier + target
    if unit and target and (target[-1:].isdigit() or target.endswith(".")):
        target += unit
    return target, direction


def _text(fields: Mapping[str, object], name: str) -> str:
    value = fields.get(name)
    return "" if value is None else str(value)


def _name_units() -> list[tuple[str, str, bool]]:
    from .. import datafiles as _data

    return [(r[0], r[1], r[2] == "yes") for r in _data._rows("name_units.tsv", 3)]


def _unit_flags(name: str, quantities: Sequence[Any]) -> list[str]:
    from ..units import dimension

    flags: list[str] = []
    for contains, expected, at_most_100 in _name_units():
        if contains not in name:
            continue
        for q in quantities:
            if q.unit is None:
                continue
            base = dimension(q.unit).base
            base = "count" if base.startswith("count:") else base
            if base != expected:
                flags.append(f"the unit {q.unit} does not fit the indicator name (…{contains}: {expected})")
            elif expected == "percent" and at_most_100 and q.value > 100:
                flags.append(f"{q} is above 100%, which a {contains} cannot be")
        break
    return flags


def check_row(
    fields: Mapping[str, object], *, year: int | None = None, default_unit: str | None = None
) -> dict[str, Any]:
    """Check one row's target the way ``targetexpr check`` does.

    ``fields`` holds the row's cells by field (``level2``, ``indicator``, ``target``, and the split
    ``qualifier``/``unit`` cells).  Returns ``kind``, ``canonical``, ``error`` (the message, with its
    caret) and ``flags`` (what a reviewer would reject).

    >>> result = check_row({"level2": "数量指标", "indicator": "安全隐患排查", "target": "≥40 ↑"})
    >>> result["canonical"], result["flags"][0].split(" (")[0]
    ('≥40个', "repaired extraction noise: '↑' → '个'")
    >>> check_row({"level2": "时效指标", "indicator": "完成时效", "target": "及时"})["flags"]
    ['a 时效指标 whose value is not measurable (qualitative)']
    """
    from ..nodes import Comparison, Range, Value
    from ..parser.api import analyze
    from ..parser.normalize import normalize
    from .labels import _MAX_KEY

    target, _direction = _target_text(fields)
    # Only the start of a label is looked at: the cue words are short, a label may not be.
    level2 = normalize(_text(fields, "level2")[:_MAX_KEY])
    name = normalize(_text(fields, "indicator")[:_MAX_KEY])
    if not target.strip():
        return {"kind": None, "canonical": None, "error": None, "flags": ["missing value (指标值为空)"]}
    analysis = analyze(target, year=year, default_unit=default_unit, indicator=_text(fields, "indicator") or None)
    if analysis.target is None:
        return {"kind": None, "canonical": None, "error": str(analysis.error), "flags": []}
    node = analysis.target
    flags = [
        f"repaired extraction noise: {r.before!r} → {r.after!r} ({r.message})"
        if r.after
        else f"repaired extraction noise: removed {r.before!r} ({r.message})"
        for r in analysis.repairs
    ]
    flags += list(analysis.warnings)
    measured = next((k for k in _MEASURED_LEVEL2 if k in level2), None)
    if measured and node.kind not in MEASURABLE_KINDS:
        flags.append(f"a {measured}指标 whose value is not measurable ({node.kind})")
    quantities: list[Any] = []
    if isinstance(node, Comparison | Value):
        quantities = [node.quantity]
    elif isinstance(node, Range):
        quantities = [node.low, node.high]
    flags += _unit_flags(name, quantities)
    return {"kind": node.kind, "canonical": str(node), "error": None, "flags": flags}
