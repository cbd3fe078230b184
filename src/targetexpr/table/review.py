"""Reviewing a target table the way a finance bureau does: the review rules are data
(``data/review/*.toml``: each rule with its severity, quote and source), the checks are code keyed
by the rule's id.

>>> result = review([
...     Row("专线租赁数", "2条", level1="产出指标", level2="数量指标", line=3),
...     Row("完成时效", "及时", level1="产出指标", level2="时效指标", line=4),
... ], project="信息系统运维")
>>> [(f.rule, f.line) for f in result.findings]
[('structure.benefit', None), ('structure.satisfaction', None), ('structure.cost', None), ('quantify.qualitative', 4)]
>>> result.errors
3
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ..errors import RuleSetError, brief
from ..i18n import check_language, current_language, language, say
from ..nodes import kind_name
from .review_more import ROW_CHECKS as _MORE_ROW_CHECKS
from .review_more import ReviewGrade
from .rows import Row, _as_row

__all__ = ["Finding", "Review", "ReviewRule", "load_review_grade", "load_review_rules", "review"]

SEVERITIES = ("error", "warning", "info")
_LEVEL2_LEVEL1 = (("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"), ("成本", "产出指标"))


@attrs.frozen
class ReviewRule:
    """One review rule as its data states it (``params`` holds the rule's own settings)."""

    id: str
    severity: str
    checks: str
    checks_en: str
    change: str
    change_en: str
    quote: str
    source: str
    address: str
    verified: bool
    scope: str
    params: Mapping[str, Any] = attrs.field(factory=dict, eq=False)

    def checks_in(self, lang: str | None = None) -> str:
        """What the rule checks, in ``lang`` or the language in effect (``checks`` is Chinese)."""
        return self.checks_en if current_language(lang) == "en" and self.checks_en else self.checks

    def change_in(self, lang: str | None = None) -> str:
        """What to change, in ``lang`` or the language in effect (``change`` is Chinese, ``change_en``
        English; a rule file without ``change_en`` shows ``change`` in both)."""
        return self.change_en if current_language(lang) == "en" and self.change_en else self.change


@attrs.frozen
class Finding:
    """One finding: the rule, its severity, where (``line`` and ``indicator``; ``None`` for the
    whole project), the cell, what is wrong, what to change, and the rule's quote and source."""

    rule: str
    severity: str
    project: str
    line: int | None
    indicator: str
    cell: str
    message: str
    change: str
    quote: str
    source: str
    verified: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return attrs.asdict(self)


@attrs.frozen
class Review:
    """The review of one project's table: its findings (project-wide first, then by row), where the
    成本 indicator sits (``"二级"`` under 产出, ``"一级"`` of its own, or ``None``), and the rule set."""

    project: str
    rules: str
    findings: tuple[Finding, ...]
    cost: str | None
    grade: ReviewGrade | None = None

    @property
    def errors(self) -> int:
        """The number of findings of severity ``error`` (what ``targetexpr check`` exits 1 on)."""
        return sum(f.severity == "error" for f in self.findings)

    @property
    def project_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.line is None and not f.indicator)

    @property
    def row_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.line is not None or f.indicator)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {
            "project": self.project,
            "rules": self.rules,
            "cost": self.cost,
            "findings": [f.to_dict() for f in self.findings],
            **({"grade": self.grade.to_dict()} if self.grade is not None else {}),
        }


# --- the rule sets ------------------------------------------------------------------------------

_DESCRIBED = {a.name for a in attrs.fields(ReviewRule)} - {"params"}


def _rule(data: object, where: str) -> ReviewRule:
    if not isinstance(data, Mapping):
        raise RuleSetError(say("review rule set {where}: a [[rule]] must be a table", where=where), name=where)
    rule_id = data.get("id")
    if rule_id not in _CHECKS:
        raise RuleSetError(
            say(
                "review rule set {where}: unknown rule id {id}; known: {known}",
                where=where,
                id=brief(rule_id),
                known=", ".join(_CHECKS),
            ),
            name=where,
        )
    severity = data.get("severity", "warning")
    if severity not in SEVERITIES:
        raise RuleSetError(
            say(
                "review rule set {where}: {id}: severity must be one of {choices}",
                where=where,
                id=rule_id,
                choices=SEVERITIES,
            ),
            name=where,
        )
    keys = ("checks", "checks_en", "change", "change_en", "quote", "source", "address")
    text = {k: str(data.get(k, "")) for k in keys}
    scope = str(data.get("scope", "national"))
    params = {k: v for k, v in data.items() if k not in _DESCRIBED}
    return ReviewRule(
        id=str(rule_id),
        severity=str(severity),
        verified=bool(data.get("verified", False)),
        scope=scope,
        params=params,
        **text,
    )


def load_review_rules(rules: str | Path | Mapping[str, Any] = "national") -> tuple[str, tuple[ReviewRule, ...]]:
    """A review rule set's name and rules: a shipped name, a path to a TOML file, or a mapping like it.

    >>> name, rules = load_review_rules()
    >>> name, rules[0].id, rules[0].severity
    ('national', 'structure.output', 'error')
    """
    where, data = _review_data(rules)
    items = data.get("rule", [])
    if not isinstance(items, list):
        raise RuleSetError(say("review rule set {where}: `rule` must be an array of tables", where=where), name=where)
    return str(data.get("name", where)), tuple(_rule(item, where) for item in items)


def load_review_grade(rules: str | Path | Mapping[str, Any] = "national") -> Mapping[str, Any] | None:
    """The ``[grade]`` table of a review rule set (the project's own proposal of a review grade), or ``None``."""
    from .review_more import load_grade

    where, data = _review_data(rules)
    return load_grade(data, where)


def _review_data(rules: str | Path | Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """Where a review rule set comes from, and its data (a set that ``extends`` another merged into it)."""
    from .review_sets import extended, shipped_review_sets

    if isinstance(rules, Mapping):
        data: Mapping[str, Any] = rules
        where = str(rules.get("name", "<mapping>"))
    elif isinstance(rules, Path) or (isinstance(rules, str) and rules.endswith(".toml")):
        where = str(rules)
        try:
            data = tomllib.loads(Path(rules).read_text(encoding="utf-8"))
        except OSError as e:
            raise RuleSetError(
                say("review rule set {where} cannot be read: {error}", where=brief(where), error=e.strerror), name=where
            ) from None
        except tomllib.TOMLDecodeError as e:
            raise RuleSetError(
                say("review rule set {where} is not valid TOML: {error}", where=brief(where), error=e), name=where
            ) from None
    elif isinstance(rules, str):
        where = rules
        resource = resources.files("targetexpr").joinpath("data", "review", f"{rules}.toml")
        if not rules.isidentifier() or not resource.is_file():
            shipped = ", ".join(shipped_review_sets())
            message = say("unknown review rule set {name} (shipped: {shipped})", name=brief(rules), shipped=shipped)
            raise RuleSetError(message, name=rules)
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    else:
        raise RuleSetError(
            say("review rules must be a name, a path or a mapping, not {type}", type=type(rules).__name__)
        )
    return where, extended(data, where)


# --- the checks ---------------------------------------------------------------------------------


@attrs.frozen
class _Line:
    """A row as the checks see it: its inferred 一级指标, its reading and check_row's flags."""

    row: Row
    level1: str
    target: str
    node: Any
    kind: str | None
    flags: tuple[str, ...]
    units: tuple[str, ...]  # check_row's unit flags (the unit.name rule)


def _level1(row: Row) -> str:
    from .labels import _levels, canonical_level1

    found = canonical_level1(row.level1)
    if found in {c for _, c in _levels()}:
        return found
    if "成本" in row.level1:
        return "成本指标"  # a 一级 of its own (structure.cost accepts it)
    # A 一级 label lost or garbled (PDF text): the 二级指标 says which it is.
    level2 = row.level2
    for contains, level1 in _LEVEL2_LEVEL1:
        if contains in level2:
            return level1
    return canonical_level1(row.level2) if row.level2.strip() else found


def _line(row: Row) -> _Line:
    from ..parser.api import analyze
    from .check import _check

    target = "" if row.target is None else str(row.target)
    fields = {"level2": row.level2, "indicator": row.indicator, "target": target}
    result, units = _check(fields, None, None)
    node = analyze(target, indicator=row.indicator).target if target.strip() and result["error"] is None else None
    return _Line(row, _level1(row), target, node, result["kind"], tuple(result["flags"]), tuple(units))


def _compact(text: str) -> str:
    from ..parser.normalize import normalize

    return "".join(normalize(text).split())


def _quantity(node: Any) -> Any:
    return getattr(node, "quantity", None)


def _graded(text: str, words: Iterable[str]) -> bool:
    import re

    parts = [p for p in re.split(r"[/、,，;；\s]+", _compact(text)) if p]
    allowed = set(words)
    return bool(parts) and (all(p in allowed for p in parts) or all(ch in allowed for ch in "".join(parts)))


def _placeholder(rule: ReviewRule, line: _Line) -> str | None:
    text = _compact(line.target).upper()
    if not text:
        return None
    marks = [str(m).upper() for m in rule.params.get("placeholders", ())]
    if line.kind == "masked" or any(m in text for m in marks):
        return say("the value {value} is a placeholder", value=repr(line.target))
    if text == _compact(line.row.indicator).upper():
        return say("the value {value} repeats the indicator's name", value=repr(line.target))
    return None


def _qualitative(rule: ReviewRule, line: _Line) -> str | None:
    from .check import MEASURABLE_KINDS

    level2 = [str(w) for w in rule.params.get("level2", ())]
    if not any(w in line.row.level2 for w in level2) or line.kind in (None, "masked", *MEASURABLE_KINDS):
        return None
    text = _compact(line.target)
    if text in rule.params.get("periods", ()) or _graded(text, rule.params.get("graded", ())):
        return None
    return say(
        "a {level2} value that is neither a number nor a graded scale ({kind})",
        level2=line.row.level2.strip(),
        kind=kind_name(line.kind) if line.kind else line.kind,
    )


def _unit(rule: ReviewRule, line: _Line) -> str | None:
    return say("; ").join(line.units) or None


def _timeliness(rule: ReviewRule, line: _Line) -> str | None:
    from ..units import dimension
    from .check import MEASURABLE_KINDS

    if "时效" not in line.row.level2 or line.kind not in MEASURABLE_KINDS or line.kind in ("deadline", "period"):
        return None
    if _compact(line.target) in rule.params.get("periods", ()):
        return None
    quantity = _quantity(line.node)
    base = dimension(quantity.unit).base if quantity is not None else None
    if base in ("time", "calendar") or (base in ("percent", "number") and "率" in line.row.indicator):
        return None
    return say("a 时效 value {value} with no date, deadline or duration", value=repr(line.target))


def _direction(rule: ReviewRule, line: _Line) -> str | None:
    op = getattr(getattr(line.node, "op", None), "value", None)
    direction = str(line.row.direction or "")
    if direction in ("反向", "lower") and op in ("≥", ">"):
        return say("指标性质 反向 with {op}", op=op)
    if direction in ("正向", "higher") and op in ("≤", "<"):
        return say("指标性质 正向 with {op}", op=op)
    return None


def _input(rule: ReviewRule, line: _Line, budget: Fraction | None) -> str | None:
    from ..units import dimension, factor

    quantity = _quantity(line.node)
    if line.level1 != "产出指标" or "数量" not in line.row.level2 or quantity is None:
        return None
    if dimension(quantity.unit).base != "money" or quantity.unit.per:
        return None
    amount = Fraction(quantity.value) * factor(quantity.unit)
    if budget is not None and amount > budget:
        return None  # more than the project's own budget: not its input (a volume handled)
    return say("a money amount {value} as a 数量 target", value=repr(line.target))


_ROW_CHECKS = {
    "quantify.placeholder": _placeholder,
    "quantify.qualitative": _qualitative,
    "unit.name": _unit,
    "timeliness.when": _timeliness,
    "direction.reverse": _direction,
}
_PROJECT_CHECKS = ("structure.output", "structure.benefit", "structure.satisfaction", "structure.cost", "weights.total")
_MORE = ("output.input_amount", "history.lower", *_MORE_ROW_CHECKS)
_CHECKS = (*_PROJECT_CHECKS[:4], *_ROW_CHECKS, "output.input_amount", "weights.total", *_MORE[1:])


def _finding(rule: ReviewRule, project: str, message: str, line: _Line | None = None) -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        project=project,
        line=None if line is None else line.row.line,
        indicator="" if line is None else line.row.indicator,
        cell="" if line is None else line.target,
        message=message,
        change=rule.change_in(),
        quote=rule.quote,
        source=rule.source,
        verified=rule.verified,
    )


def _previous(rows: Iterable[Row | Mapping[str, object]]) -> Mapping[Any, Any]:
    from .previous import index_previous

    return index_previous(rows)


def _budget(rows: Iterable[Row]) -> Fraction | None:
    from ..units import factor
    from .labels import _amount

    for row in rows:
        if row.budget is not None and str(row.budget).strip():
            try:
                quantity = _amount(row.budget, "budget")
            except ValueError:
                return None
            return Fraction(quantity.value) * (factor(quantity.unit) if quantity.unit else 10000)
    return None


def _points_sum(lines: Iterable[_Line], rows: Iterable[Row]) -> Decimal | None:
    from .labels import _decimal_or_none

    values = [_decimal_or_none(r.points, "points") for r in rows]
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def review(
    rows: Iterable[Row | Mapping[str, object]],
    *,
    rules: str | Path | Mapping[str, Any] = "national",
    project: str = "",
    previous: Iterable[Row | Mapping[str, object]] | None = None,
    grade: bool | Mapping[str, Any] = False,
    lang: str | None = None,
) -> Review:
    """Review one project's target table under a review rule set (``data/review/national.toml`` by
    default; a path to your own TOML, or a mapping like it).  ``rows`` are :class:`Row` objects or
    mappings; a row with ``budget`` (the 预算执行率 row; a bare number is 万元) gives the project's
    budget, and its ``points`` count towards ``weights.total``.

    ``previous``: last year's rows of the same project; a target weaker than last year's target or
    actual for the same indicator is a ``history.lower`` finding.  ``grade``: ``True`` (the rule
    set's ``[grade]``) or a ``[grade]`` mapping proposes a review grade from the findings
    (:class:`~.review_more.ReviewGrade`: the project's own proposal, never an official result).
    The findings' messages and what to change are in ``lang`` (``"zh"``, ``"en"``; ``None``: the
    language in effect)."""
    chosen = check_language(lang) if lang is not None else None
    with language(chosen) if chosen is not None else contextlib.nullcontext():
        return _review(rows, rules, project, previous, grade)


def _review(
    rows: Iterable[Row | Mapping[str, object]],
    rules: str | Path | Mapping[str, Any],
    project: str,
    previous: Iterable[Row | Mapping[str, object]] | None,
    grade: bool | Mapping[str, Any],
) -> Review:
    from .labels import is_total

    name, rule_list = load_review_rules(rules)
    all_rows = [_as_row(item, i) for i, item in enumerate(rows, 1)]
    budget = _budget(all_rows)
    history = None if previous is None else _previous(previous)
    table = [r for r in all_rows if not is_total(r)]
    named = [r for r in table if r.indicator.strip() or r.level2.strip() or (r.target and str(r.target).strip())]
    lines = [_line(r) for r in named if r.target is not None and str(r.target).strip()]
    level1s = {_level1(r) for r in named}
    cost = "二级" if any("成本" in r.level2 and _level1(r) == "产出指标" for r in named) else None
    if cost is None and any("成本" in r.level1 for r in named):
        cost = "一级"
    project_findings: list[Finding] = []
    row_findings: list[tuple[int, int, Finding]] = []
    wanted = {"structure.output": "产出指标", "structure.benefit": "效益指标", "structure.satisfaction": "满意度指标"}
    for order, rule in enumerate(rule_list):
        if rule.id in wanted and wanted[rule.id] not in level1s:
            project_findings.append(_finding(rule, project, say("no {level1} row", level1=wanted[rule.id])))
        elif rule.id == "structure.cost" and cost is None:
            message = say("no 成本指标 row (neither a 二级 under 产出 nor a 一级)")
            project_findings.append(_finding(rule, project, message))
        elif rule.id == "weights.total":
            total = Decimal(str(rule.params.get("total", 100)))
            given = _points_sum(lines, table)
            if given is not None and given != total:
                message = say("the points given sum to {given}, not {total}", given=given, total=total)
                project_findings.append(_finding(rule, project, message))
        elif rule.id in _ROW_CHECKS or rule.id in _MORE:
            for position, line in enumerate(lines):
                if line.level1 == "预算执行率":
                    continue
                wrong = _row_message(rule, line, budget, history)
                if wrong:
                    row_findings.append((position, order, _finding(rule, project, wrong, line)))
    found = (*project_findings, *(f for _, _, f in sorted(row_findings, key=lambda t: (t[0], t[1]))))
    return Review(project=project, rules=name, findings=found, cost=cost, grade=_grade(found, rules, grade))


def _row_message(
    rule: ReviewRule, line: _Line, budget: Fraction | None, history: Mapping[Any, Any] | None
) -> str | None:
    from .previous import weaker_than_last_year

    if rule.id == "output.input_amount":
        return _input(rule, line, budget)
    if rule.id == "history.lower":
        return None if history is None else weaker_than_last_year(line.row, line.node, history)
    if rule.id in _MORE_ROW_CHECKS:
        return _MORE_ROW_CHECKS[rule.id](rule, line)
    return _ROW_CHECKS[rule.id](rule, line)


def _grade(
    found: tuple[Finding, ...], rules: str | Path | Mapping[str, Any], grade: bool | Mapping[str, Any]
) -> ReviewGrade | None:
    from .review_more import grade_of, load_grade

    if grade is False:
        return None
    table = load_review_grade(rules) if grade is True else load_grade({"grade": grade}, "grade")
    if table is None:
        raise RuleSetError(
            say("review rule set {name} has no [grade] table to propose a grade from", name=brief(rules))
        )
    return grade_of(found, table)
