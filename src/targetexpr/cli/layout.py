"""The layout of a table: which row is its header, which column fills which field, and what the rows
above it (the project's header block) say.

A header cell is matched after :func:`~targetexpr.parser.normalize.normalize`, with whitespace and
parenthesised notes removed, against ``data/headers.tsv`` (equal, else the longest header it
contains).  Headers broken across cells by a PDF's text extraction (``绩效 | 指标描述``) are matched on
two adjacent cells joined; a header misread by one or two characters (``指核 | 示 值`` for 指标值) is
taken only in a row that is already a header by its exact cells, and is reported as a guess with its
rule.  A group label spanning the indicator rows to the left of the 一级/二级指标 columns (the national
template's ``绩效指标``) is not the indicator column.  A header over two or three rows (指标值 over
目标值 | 单位) is combined: each child cell names the field of its column, a unit column the unit of the
value column it stands under.  ``--column FIELD=HEADER`` wins over every guess.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

import attrs

from .. import datafiles as _data
from ..i18n import say
from ..parser.normalize import normalize
from .rawrow import RawRow, cell_text

__all__ = ["FIELDS", "Block", "Header", "header_field", "match_header", "read_block", "sub_header"]

#: The fields a column can fill (see ``data/headers.tsv``); ``actual_unit`` is the unit column under
#: 实际完成值 in a two-row header.
FIELDS = (
    "level1",
    "level2",
    "indicator",
    "description",
    "target",
    "actual",
    "points",
    "published_score",
    "deviation_reason",
    "qualifier",
    "unit",
    "actual_unit",
)
_NAME_FIELDS = ("level1", "level2", "indicator")
_VALUE_FIELDS = ("target", "actual")
#: Fields a sub-header row (the second or third row of a header) may name.
_SUB_FIELDS = ("target", "actual", "unit", "qualifier", "points", "published_score", "description")
#: How many rows a header may span.
MAX_HEADER_ROWS = 3
#: How much of a cell is looked at to classify its row.
LOOK = 300
#: A header cell is short; longer cells (indicator names, sentences) are not looked up.
_MAX_HEADER = 30
#: A misread header: at most this many characters changed, inserted or dropped.
_MAX_DISTANCE = 2
_NOTE = re.compile(r"[(\[（【].*?[)\]）】]")
_SPACE = re.compile(r"\s+")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)[0-9]{2})\s*年")


@functools.cache
def _headers() -> dict[str, str]:
    return {normalize(row[0]): row[1] for row in _data.table_rows("headers.tsv", 2)}


@functools.cache
def _headers_longest_first() -> tuple[str, ...]:
    return tuple(sorted((h for h in _headers() if len(h) > 1), key=len, reverse=True))


@functools.lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    """A cell as headers are compared: normalised, without whitespace, notes and a trailing colon."""
    normal = _SPACE.sub("", normalize(text[:LOOK]))
    return _NOTE.sub("", normal).rstrip(":：") or normal


@functools.lru_cache(maxsize=8192)
def _known(clean: str) -> tuple[str, str] | None:
    """(field, header) for a cleaned cell: the header it is, else the longest one it contains."""
    if not clean or len(clean) > _MAX_HEADER:
        return None
    headers = _headers()
    if clean in headers:
        return headers[clean], clean
    found = next((h for h in _headers_longest_first() if h in clean), None)
    return (headers[found], found) if found else None


def _override(text: str, overrides: Mapping[str, str]) -> str | None:
    clean = _clean(text)
    normal = _SPACE.sub("", normalize(text[:LOOK]))
    for field, header in overrides.items():
        if _SPACE.sub("", normalize(header)) in (clean, normal):
            return field
    return None


def header_field(text: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field a header cell fills, or ``None``.

    >>> header_field("年初目标值(A)"), header_field("实际完成值（B）"), header_field("分值"), header_field("备注")
    ('target', 'actual', 'points', None)
    >>> header_field("指标 值"), header_field("三级指标", {"indicator": "指标名称"})
    ('target', 'indicator')
    """
    if not text or len(text) > LOOK:
        return None
    if overrides:
        field = _override(text, overrides)
        if field is not None:
            return field
    known = _known(_clean(text))
    return known[0] if known else None


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@functools.lru_cache(maxsize=4096)
def _near(clean: str) -> tuple[str, str, int] | None:
    """(field, header, distance) for a header misread by at most :data:`_MAX_DISTANCE` characters:
    the same first and last character, a header of three characters or more.  Among headers equally
    near, a target or actual header wins (a header row needs one), then the longest."""
    if len(clean) < 3 or len(clean) > _MAX_HEADER:
        return None
    best: list[tuple[int, bool, int, str, str]] = []
    for header, field in _headers().items():
        if len(header) < 3 or header[0] != clean[0] or header[-1] != clean[-1]:
            continue
        d = _distance(clean, header, _MAX_DISTANCE)
        if d <= _MAX_DISTANCE:
            best.append((d, field not in _VALUE_FIELDS, -len(header), header, field))
    if not best:
        return None
    d, _other, _length, header, field = min(best)
    return field, header, d


@attrs.frozen
class Header:
    """A table's header: field → column, joined cells (field → last column, when a header is broken
    over two cells), the rules that guessed a column (shown to the user), and the rows it spans."""

    columns: Mapping[str, int]
    spans: Mapping[str, int] = attrs.field(factory=dict)
    guesses: tuple[str, ...] = ()
    rows: int = 1
    texts: tuple[str, ...] = ()


def _column_name(first: int, last: int) -> str:
    if first == last:
        return say("column {number}", number=first + 1)
    return say("columns {first}–{last}", first=first + 1, last=last + 1)


def match_header(texts: Sequence[str], overrides: Mapping[str, str] | None = None) -> Header | None:
    """The header a row is, or ``None``: it must name the indicator (or a level) and the target or
    the actual.

    >>> match_header(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"]).columns["indicator"]
    3
    >>> h = match_header(["一级指标", "三级指标", "绩效", "指标描述", "指核", "示 值"])
    >>> h.columns["description"], h.spans["description"], h.columns["target"], h.spans["target"]
    (2, 3, 4, 5)
    """
    cleaned = [_clean(t) if t and len(t) <= LOOK else "" for t in texts]
    columns: dict[str, int] = {}
    spans: dict[str, int] = {}
    guesses: list[str] = []
    claimed: set[int] = set()
    if overrides:
        for i, text in enumerate(texts):
            field = _override(text, overrides) if text and len(text) <= LOOK else None
            if field is not None and field not in columns:
                columns[field] = i
                claimed.add(i)
    fixed = set(columns)
    exact: dict[int, tuple[str, str]] = {}
    for i, clean in enumerate(cleaned):
        known = _known(clean) if i not in claimed else None
        if known is not None:
            exact[i] = known
    joined: dict[int, tuple[str, str]] = {}
    for i in range(len(cleaned) - 1):
        a, b = cleaned[i], cleaned[i + 1]
        if not a or not b or i in claimed or i + 1 in claimed:
            continue
        both = _known(a + b)
        alone = max((len(exact[k][1]) for k in (i, i + 1) if k in exact), default=0)
        if both is not None and len(both[1]) > alone and both[1] not in a and both[1] not in b:
            joined[i] = both
    levels = [i for i, (f, _h) in exact.items() if f in ("level1", "level2")]
    leftmost_level = min(levels, default=None)
    skip = -1
    for i in range(len(cleaned)):
        if i <= skip or i in claimed:
            continue
        if i in joined:
            field, header = joined[i]
            last = i + 1
            skip = last
        elif i in exact:
            field, header = exact[i]
            last = i
        else:
            continue
        if field == "indicator" and leftmost_level is not None and i < leftmost_level:
            guesses.append(
                say(
                    "{text!r} ({column}) spans the indicator rows: not the indicator column",
                    text=texts[i],
                    column=_column_name(i, i),
                )
            )
            continue
        if field in columns:
            continue
        columns[field] = i
        claimed.update(range(i, last + 1))
        if last != i:
            spans[field] = last
            guesses.append(
                say(
                    "{text!r} ({column}) read as {header}: joined cells",
                    text=" | ".join(texts[i : last + 1]),
                    column=_column_name(i, last),
                    header=header,
                )
            )
    exact_fields = {f for f in columns if f not in fixed}
    if len(exact_fields) >= 2 and exact_fields & set(_NAME_FIELDS):
        _near_columns(texts, cleaned, columns, spans, guesses, claimed)
    has_value = any(f in columns for f in _VALUE_FIELDS)
    has_name = any(f in columns for f in _NAME_FIELDS)
    if not (has_value and has_name and len(columns) >= 2):
        return None
    return Header(columns, spans, tuple(guesses), 1, tuple(texts))


def _near_columns(
    texts: Sequence[str],
    cleaned: Sequence[str],
    columns: dict[str, int],
    spans: dict[str, int],
    guesses: list[str],
    claimed: set[int],
) -> None:
    """Fill the fields still missing from cells (one, or two joined) misread by a character or two."""
    for i in range(len(cleaned)):
        if i in claimed or not cleaned[i]:
            continue
        for last in (i, i + 1):
            if last >= len(cleaned) or last in claimed or not cleaned[last]:
                break
            text = "".join(cleaned[i : last + 1])
            near = _near(text)
            if near is None or near[0] in columns:
                continue
            field, header, d = near
            columns[field] = i
            claimed.update(range(i, last + 1))
            if last != i:
                spans[field] = last
            guesses.append(
                say(
                    "{text!r} ({column}) read as {header}: near spelling ({count} character(s) differ)",
                    text=" | ".join(texts[i : last + 1]),
                    column=_column_name(i, last),
                    header=header,
                    count=d,
                )
            )
            break


def sub_header(
    header: Header, texts: Sequence[str], merged: Sequence[bool] = (), overrides: Mapping[str, str] | None = None
) -> Header | None:
    """The header combined with the row below it, when that row is a sub-header (目标值 | 单位 under
    指标值): every cell it adds (not a merged copy, not the parent's text) is a header of a value, a
    unit or a score column, under a value or score column or a blank parent cell.  ``None`` otherwise."""
    if header.rows >= MAX_HEADER_ROWS:
        return None
    parents = list(header.texts)
    # The field each column stands under: a parent merged across columns may be written once (CSV).
    under: list[str | None] = []
    last_field: str | None = None
    for i in range(max(len(parents), len(texts))):
        parent = parents[i] if i < len(parents) else ""
        field = header_field(parent, overrides) if parent else None
        if parent:
            last_field = field
        under.append(field if parent else last_field)
    children: dict[int, str] = {}
    for i, text in enumerate(texts):
        if not text or (i < len(merged) and merged[i]):
            continue
        parent = parents[i] if i < len(parents) else ""
        if parent and _clean(parent) == _clean(text):
            continue
        field = header_field(text, overrides)
        if field not in _SUB_FIELDS or under[i] not in (*_SUB_FIELDS, None):
            return None
        children[i] = field
    if not children:
        return None
    columns = dict(header.columns)
    fixed = set(overrides or ())
    guesses = list(header.guesses)
    for i, child in sorted(children.items()):
        parent_field = under[i]
        if child == "unit":
            field = "actual_unit" if parent_field == "actual" else "unit"
        elif child in _VALUE_FIELDS and parent_field in _VALUE_FIELDS:
            field = parent_field
        else:
            field = child
        if field in fixed:
            continue
        if field in columns and columns[field] != i and any(c == columns[field] for c in children):
            continue  # an earlier child already took it
        columns[field] = i
        if field != child or parent_field is not None:
            parent = next((parents[k] for k in range(min(i, len(parents) - 1), -1, -1) if parents[k]), "")
            guesses.append(
                say(
                    "{parent} / {text} ({column}) read as {field}: two-row header",
                    parent=parent,
                    text=texts[i],
                    column=_column_name(i, i),
                    field=field,
                )
            )
    combined = [t or (parents[i] if i < len(parents) else "") for i, t in enumerate(texts)]
    combined += parents[len(texts) :]
    return Header(columns, header.spans, tuple(guesses), header.rows + 1, tuple(combined))


# --- the block above a table ----------------------------------------------------------------------


_TITLE = re.compile(r"绩效目标表|绩效自评表|自评表|目标表|项目支出绩效|部门整体支出绩效|绩效目标申报表")
# Most specific first: the adjusted budget is what execution is measured against (DOMAIN.md §4).
_BUDGET_LABELS = ("调整后预算数", "全年预算数", "预算数", "年初预算数")
_SPENT_LABELS = ("全年执行数", "执行数", "实际支出", "实际执行数")
_MONEY_UNIT = re.compile(r"单位[:：]?\s*(万元|亿元|千元|元)|[(（](万元|亿元|千元|元)[)）]")
#: A unit code and name line above a table (``319101 天津市人民政府政务服务办公室``).
_UNIT_CODE = re.compile(r"^\s*[0-9]{6,9}\s+(\S{2,40}?)(?:\s|$)")
_BLOCK_LABELS = {
    "项目名称": "title",
    "主管部门": "department",
    "部门名称": "department",
    "预算部门": "department",
    "实施单位": "implementer",
    "单位名称": "implementer",
}


@attrs.frozen
class Block:
    """What the rows above a table say about it: its title (the project's name, else the
    heading), the document heading (``2022年度项目支出绩效自评表``), the department (主管部门), the
    implementing unit (实施单位), the year, and its funding row (预算数, 执行数, and in the national
    self-evaluation template the row's 分值 and 得分).  ``funding_row`` is the number of the row that
    holds the amounts."""

    title: str = ""
    heading: str = ""
    budget: str | None = None
    spent: str | None = None
    money_unit: str | None = None
    points: str | None = None
    published: str | None = None
    funding_row: int | None = None
    department: str = ""
    implementer: str = ""
    year: int | None = None


def _pick(found: Mapping[str, tuple[str, int]], labels: Sequence[str]) -> tuple[str, int] | None:
    return next((found[label] for label in labels if label in found), None)


def _value_after(texts: Sequence[str], i: int, label: str) -> str | None:
    """The first cell right of a label that is not the label again (a merged label's copies)."""
    return next((t[:LOOK] for t in texts[i + 1 :] if t and _clean(t) != label), None)


def read_block(rows: Sequence[RawRow]) -> Block:
    """The title, department, unit, year and funding amounts of a table, from the rows above its header.

    Two funding layouts: a label with its amount to the right (``预算数 | 400.00``), or a row of labels
    with the amounts in the row below (``项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 得分`` then
    ``年度资金总额 | 400 | 400 | 380 | 10 | 9.5``), its labels possibly over two rows (``预算数`` over
    ``年初 | 全年 | 执行数``: :mod:`.funding`)."""
    from .funding import join_funding_header

    heading: str | None = None
    unit: str | None = None
    year: int | None = None
    said: dict[str, str] = {}
    found: dict[str, tuple[str, int]] = {}  # label -> (amount, row number)
    texts_rows = join_funding_header([[cell_text(c) for c in raw.cells] for raw in rows], _clean)
    for position, (raw, texts) in enumerate(zip(rows, texts_rows, strict=True)):
        normal = [_clean(t) if t else "" for t in texts]
        line = "".join(normalize(t[:LOOK]) for t in texts)
        match = _MONEY_UNIT.search(line)
        if match:
            unit = match.group(1) or match.group(2)
        code = _UNIT_CODE.match(next((t for t in texts if t), "")[:LOOK])
        if code and "department" not in said:
            said["department"] = code.group(1)
        below = texts_rows[position + 1] if position + 1 < len(texts_rows) else []
        labels_here = [i for i, cell in enumerate(normal) if cell in (*_BUDGET_LABELS, *_SPENT_LABELS)]
        vertical = len(labels_here) >= 2 and all(i < len(below) and below[i] for i in labels_here)
        for i, cell in enumerate(normal):
            if not cell:
                continue
            if heading is None and _TITLE.search(cell):
                heading = texts[i][:LOOK]
            if year is None:
                found_year = _YEAR_IN_TITLE.search(cell)
                if found_year and (heading is not None or len(cell) <= 12 or _TITLE.search(cell)):
                    year = int(found_year.group(1))
            label = next((k for k in _BLOCK_LABELS if cell.startswith(k)), None)
            if label is not None:
                value = _value_after(texts, i, cell)
                if value:
                    said[_BLOCK_LABELS[label]] = value
            if cell not in (*_BUDGET_LABELS, *_SPENT_LABELS, "分值", "得分", "自评得分"):
                continue
            if vertical:
                value = below[i][:LOOK] if i < len(below) else ""
                number = rows[position + 1].number
            else:
                value = _value_after(texts, i, cell) or ""
                number = raw.number
            if value and cell not in found:
                found[cell] = (value, number)
    budget, spent = _pick(found, _BUDGET_LABELS), _pick(found, _SPENT_LABELS)
    # 分值 and 得分 belong to the funding row only when they sit in the row of the amounts.
    points = _pick(found, ("分值",))
    if points is None or spent is None or budget is None or points[1] != spent[1]:
        points = None
    published = _pick(found, ("得分", "自评得分")) if points is not None else None
    title = said.get("title")
    if year is None and title:
        found_year = _YEAR_IN_TITLE.search(title)
        year = int(found_year.group(1)) if found_year else None
    return Block(
        title=title or heading or "",
        heading=heading or "",
        budget=budget[0] if budget else None,
        spent=spent[0] if spent else None,
        money_unit=unit,
        points=points[0] if points else None,
        published=published[0] if published else None,
        funding_row=spent[1] if spent else None,
        department=said.get("department", ""),
        implementer=said.get("implementer", ""),
        year=year,
    )
