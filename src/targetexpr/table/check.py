"""Checking one row's target the way a reviewer does: readable, measurable where the 二级指标 says
so, and with a unit that fits the indicator's name (``data/name_units.tsv``)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

from .. import datafiles
from ..i18n import N_, check_language, gettext, language, say
from ..nodes import kind_name

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


def _unit_flags(name: str, quantities: Sequence[Any]) -> list[str]:
    from ..units import dimension

    flags: list[str] = []
    for contains, expected, at_most_100 in datafiles.name_units():
        if contains not in name:
            continue
        for q in quantities:
            if q.unit is None:
                continue
            base = dimension(q.unit).base
            base = "count" if base.startswith("count:") else base
            if base != expected:
                flags.append(
                    say(
                        "the unit {unit} does not fit the indicator name (…{word}: {expected})",
                        unit=q.unit,
                        word=contains,
                        expected=gettext(_DIMENSIONS[expected]) if expected in _DIMENSIONS else expected,
                    )
                )
            elif expected == "percent" and at_most_100 and q.value > 100:
                flags.append(say("{value} is above 100%, which a {word} cannot be", value=q, word=contains))
        break
    return flags


#: The unit kinds of ``data/name_units.tsv`` as a reader names them.
_DIMENSIONS = {"percent": N_("percent"), "money": N_("money"), "count": N_("count"), "time": N_("time")}


def check_row(
    fields: Mapping[str, object],
    *,
    year: int | None = None,
    default_unit: str | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """Check one row's target the way ``targetexpr check`` does.

    ``fields`` holds the row's cells by field (``level2``, ``indicator``, ``target``, and the split
    ``qualifier``/``unit`` cells).  Returns ``kind``, ``canonical``, ``error`` (the message, with its
    caret) and ``flags`` (what a reviewer would reject), the messages in ``lang`` (``"zh"``,
    ``"en"``; ``None``: the language in effect).

    >>> result = check_row({"level2": "数量指标", "indicator": "安全隐患排查", "target": "≥40 ↑"}, lang="en")
    >>> result["canonical"], result["flags"][0].split(" (")[0]
    ('≥40个', "repaired extraction noise: '↑' → '个'")
    >>> check_row({"level2": "时效指标", "indicator": "完成时效", "target": "及时"}, lang="en")["flags"]
    ['a 时效指标 whose value is not measurable (qualitative)']
    >>> check_row({"level2": "时效指标", "indicator": "完成时效", "target": "及时"}, lang="zh")["flags"]
    ['时效指标的指标值应可衡量,此处为定性表述']
    """
    chosen = check_language(lang) if lang is not None else None
    with language(chosen) if chosen is not None else contextlib.nullcontext():
        return _check(fields, year, default_unit)[0]


def _check(
    fields: Mapping[str, object], year: int | None, default_unit: str | None
) -> tuple[dict[str, Any], list[str]]:
    """check_row's result, and its unit flags alone (the review's ``unit.name`` rule)."""
    from ..nodes import Comparison, Range, Value
    from ..parser.api import analyze
    from ..parser.normalize import normalize
    from .labels import _MAX_KEY

    target, _direction = _target_text(fields)
    # Only the start of a label is looked at: the cue words are short, a label may not be.
    level2 = normalize(_text(fields, "level2")[:_MAX_KEY])
    name = normalize(_text(fields, "indicator")[:_MAX_KEY])
    if not target.strip():
        return {"kind": None, "canonical": None, "error": None, "flags": [say("missing value (指标值为空)")]}, []
    analysis = analyze(target, year=year, default_unit=default_unit, indicator=_text(fields, "indicator") or None)
    if analysis.target is None:
        return {"kind": None, "canonical": None, "error": str(analysis.error), "flags": []}, []
    node = analysis.target
    flags = [
        say(
            "repaired extraction noise: {before} → {after} ({why})",
            before=repr(r.before),
            after=repr(r.after),
            why=r.message,
        )
        if r.after
        else say("repaired extraction noise: removed {before} ({why})", before=repr(r.before), why=r.message)
        for r in analysis.repairs
    ]
    flags += list(analysis.warnings)
    measured = next((k for k in _MEASURED_LEVEL2 if k in level2), None)
    if measured and node.kind not in MEASURABLE_KINDS:
        flags.append(
            say("a {level2}指标 whose value is not measurable ({kind})", level2=measured, kind=kind_name(node.kind))
        )
    quantities: list[Any] = []
    if isinstance(node, Comparison | Value):
        quantities = [node.quantity]
    elif isinstance(node, Range):
        quantities = [node.low, node.high]
    units = _unit_flags(name, quantities)
    return {"kind": node.kind, "canonical": str(node), "error": None, "flags": flags + units}, units
