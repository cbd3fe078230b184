"""Review checks beyond the national core (:mod:`.review`): last year's table (``history.lower``),
the locality rules (``cost.level``, ``cost.kind``: Shanghai 2025; ``direction.stated``: Baotou 2023),
and the review grade — the project's own proposal of a grade from the findings, modelled on the
优/良/中/差 of 财预〔2015〕88号 第二十五条, never an official result, off unless asked.

Each check takes the rule (its ``params`` come from the rule data) and a row as the review reads it
(``line``: :class:`.review._Line`) and returns what is wrong, or ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..i18n import current_language, say

__all__ = ["ROW_CHECKS", "ReviewGrade", "grade_of", "load_grade"]


def _compact(text: str) -> str:
    from ..parser.normalize import normalize

    return "".join(normalize(text or "").split())


def _is_cost(line: Any) -> bool:
    return "成本" in line.row.level2 or "成本" in line.row.level1


def _cost_level(rule: Any, line: Any) -> str | None:
    """成本指标 as a 二级 under 产出 where the rule set wants a 一级 of its own."""
    if "成本" not in line.row.level2 or "成本" in line.row.level1:
        return None
    if rule.params.get("level", "一级") != "一级":
        return None
    return say(
        "a 成本 indicator under {level1} as a 二级: this rule set sets 成本指标 as a 一级指标 of its own",
        level1=line.row.level1.strip() or "产出指标",
    )


def _cost_kind(rule: Any, line: Any) -> str | None:
    """A 经济成本 indicator that does not say whether it is a total, a unit or an itemised cost."""
    if not _is_cost(line):
        return None
    names = _compact(line.row.level2) + _compact(line.row.indicator)
    kinds: Mapping[str, Sequence[str]] = rule.params.get("kinds", {})
    if any(word in names for words in kinds.values() for word in words):
        return None
    if any(word in names for word in rule.params.get("other", ())):
        return None  # 社会成本, 生态环境成本: not split
    unit = getattr(getattr(line.node, "quantity", None), "unit", None)
    if unit is not None and unit.per:
        return None  # 元/人: a unit cost by its unit
    return say(
        "a 成本 indicator that does not say which kind of cost it is ({kinds})",
        kinds=" / ".join(kinds),
    )


def _direction_stated(rule: Any, line: Any) -> str | None:
    """A quantitative value with neither a comparator nor a stated 指标方向 (正向/反向)."""
    if getattr(line.node, "kind", None) != "value" or line.row.direction:
        return None
    return say(
        "the value {target} has no comparator (≥, ≤, =) and no stated direction: read as 'at least'",
        target=line.target,
    )


#: Row checks of this module, by rule id (``history.lower`` is run by :func:`.review.review`, which
#: holds last year's rows).
ROW_CHECKS = {
    "cost.level": _cost_level,
    "cost.kind": _cost_kind,
    "direction.stated": _direction_stated,
}


# --- the review grade ---------------------------------------------------------------------------


@attrs.frozen
class ReviewGrade:
    """The grade proposed for a reviewed table: ``grade`` (优/良/中/差), what follows from it
    (``means``), the counts it was taken on, and the rule data's statement that it is the project's
    own proposal (``note``), with the quote and source of the grades it borrows."""

    grade: str
    means: str
    errors: int
    warnings: int
    note: str
    quote: str
    source: str
    official: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return attrs.asdict(self)


def load_grade(data: Mapping[str, Any], where: str) -> Mapping[str, Any] | None:
    """The ``[grade]`` table of a review rule set, checked (``None`` when it has none)."""
    from ..errors import RuleSetError

    grade = data.get("grade")
    if grade is None:
        return None
    bands = grade.get("band") if isinstance(grade, Mapping) else None
    if not isinstance(bands, list) or not bands or not all(isinstance(b, Mapping) and "grade" in b for b in bands):
        raise RuleSetError(
            say("review rule set {where}: [grade] needs [[grade.band]] tables, each with a grade", where=where),
            name=where,
        )
    if grade.get("official", False):
        raise RuleSetError(
            say(
                "review rule set {where}: [grade] official = true is not accepted: no public rule maps "
                "review findings to a grade",
                where=where,
            ),
            name=where,
        )
    checked: Mapping[str, Any] = grade
    return checked


def grade_of(findings: Sequence[Any], grade: Mapping[str, Any]) -> ReviewGrade:
    """The first band of ``grade`` whose limits the findings keep (``max_errors``, ``max_warnings``;
    a band without a limit takes any number); the last band when none does."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    bands = list(grade["band"])
    chosen = bands[-1]
    for band in bands:
        if errors <= int(band.get("max_errors", errors)) and warnings <= int(band.get("max_warnings", warnings)):
            chosen = band
            break
    return ReviewGrade(
        grade=str(chosen["grade"]),
        means=str(chosen.get("means", "")),
        errors=errors,
        warnings=warnings,
        note=str(grade.get("note_en" if current_language() == "en" and "note_en" in grade else "note", "")),
        quote=str(grade.get("quote", "")),
        source=str(grade.get("source", "")),
    )
