"""The HTML report of ``targetexpr score --html``: one self-contained file that opens offline.

Per table: the formula total and the grade beside the published total, the subtotals per 一级指标,
a chart of completion per indicator (met, partly met, not met, no verdict), and the rows a
reviewer should look at, with why.  No script and no external file: inline CSS and SVG only.
The markup is well-formed XML (XHTML), so tests read it back with :mod:`xml.etree`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from .. import datafiles as _data
from ..version import __version__

__all__ = ["render_report"]

_COLOURS = {"met": "#2e7d32", "partial": "#f29900", "not_met": "#c62828", None: "#9e9e9e", "execution": "#0969da"}
_BAND_NAMES: dict[str | None, str] = {band: names.short for band, names in _data.bands().items()}  # data/bands.tsv
_BAND_NAMES[None] = "无法判定"
_CHARTED = ("indicator", "sub", "unscored", "execution")
_SCALE = Decimal("1.2")  # the chart's axis runs to 120%; longer bars are clipped and say so

_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px auto;
max-width:1080px;padding:0 16px;color:#1f2328;line-height:1.45}
h1{font-size:24px;margin:0}h2{font-size:19px;margin:36px 0 8px;padding-bottom:6px;border-bottom:2px solid #d0d7de}
h2 small{font-weight:normal;color:#656d76;font-size:13px;margin-left:8px}h3{font-size:15px;margin:22px 0 6px}
.meta{color:#656d76;font-size:13px;margin:4px 0 0}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.kpi{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:130px}
.kpi span{display:block;color:#656d76;font-size:12px}.kpi b{display:block;font-size:28px}
.kpi em{font-style:normal;color:#656d76;font-size:12px}.kpi.alert{border-color:#c62828}.kpi.alert b{color:#c62828}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;background:#f6f8fa}.diff{color:#c62828}
.notes{color:#9a6700;font-size:13px;padding-left:18px}
.legend span{display:inline-block;margin-right:16px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.why{color:#c62828}.more{color:#656d76;font-size:12px}footer{margin-top:40px;color:#656d76;font-size:12px}
"""


def _e(value: object) -> str:
    """Text for the page: ``—`` for nothing, escaped."""
    return "—" if value is None or value == "" else escape(str(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:  # pragma: no cover - our own figures are numbers
        return None


def _share(row: Mapping[str, Any]) -> Decimal | None:
    """How long the row's bar is: its completion, else its score over its points."""
    completion = _decimal(row.get("completion"))
    if completion is not None:
        return completion
    score, points = _decimal(row.get("score")), _decimal(row.get("points"))
    if score is not None and points:
        return score / points
    return None


def _band(row: Mapping[str, Any]) -> str | None:
    return None if row.get("kind") == "execution" else row.get("band")


def _chart(rows: Sequence[Mapping[str, Any]]) -> str:
    charted = [r for r in rows if r.get("kind") in _CHARTED]
    if not charted:
        return '<p class="meta">No indicator rows.</p>'
    judged = [r for r in charted if r.get("kind") != "execution"]
    counts = {band: sum(1 for r in judged if r.get("band") == band) for band in _BAND_NAMES}
    legend = "".join(
        f'<span><i style="background:{_COLOURS[band]}"></i>{name} {counts[band]}</span>'
        for band, name in _BAND_NAMES.items()
    )
    if any(r.get("kind") == "execution" for r in charted):
        legend += f'<span><i style="background:{_COLOURS["execution"]}"></i>预算执行率 (得分/分值)</span>'
    bar, label_width, axis = 20, 270, 500
    height = bar * len(charted) + 28
    parts = [
        f'<div class="legend">{legend}</div>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + axis + 90}" height="{height}" '
        f'viewBox="0 0 {label_width + axis + 90} {height}" role="img" aria-label="各指标完成率">',
    ]
    for percent in (0, 50, 100):
        x = label_width + int(axis * percent / 120)
        dash = "" if percent == 0 else ' stroke-dasharray="3,3"'
        parts.append(
            f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 22}" stroke="#8c959f"{dash}/>'
            f'<text x="{x}" y="{height - 8}" font-size="11" fill="#656d76" text-anchor="middle">{percent}%</text>'
        )
    for i, row in enumerate(charted):
        y = i * bar + 3
        share = _share(row)
        band = _band(row)
        colour = _COLOURS["execution"] if row.get("kind") == "execution" else _COLOURS.get(band, _COLOURS[None])
        name = str(row.get("indicator") or row.get("target") or "")
        if share is None:
            shown, width = _BAND_NAMES.get(band, "无法判定"), 0
        elif row.get("kind") == "execution":
            shown, width = f"{share * 100:.1f}%", int(min(share, _SCALE) / _SCALE * axis)
        else:
            shown = f"{share * 100:.1f}%"
            width = int(min(max(share, Decimal(0)), _SCALE) / _SCALE * axis)
            if share > _SCALE:
                shown += " ▸"
        tip = f"{name}: {row.get('target') or ''} / {row.get('actual') or ''} → {shown}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" font-size="12" text-anchor="end">{_e(_short(name, 20))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{max(width, 2)}" height="{bar - 6}" rx="2" fill="{colour}">'
            f"<title>{_e(tip)}</title></rect>"
            f'<text x="{label_width + max(width, 2) + 5}" y="{y + 13}" font-size="11" fill="#1f2328">{_e(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _subtotals(table: Mapping[str, Any]) -> str:
    out = [
        '<table><tr><th>一级指标</th><th class="num">分值</th><th class="num">公式得分</th>'
        '<th class="num">填报得分</th><th class="num">差异</th></tr>'
    ]

    def line(label: str, points: object, score: object, published: object, css: str = "") -> None:
        s, p = _decimal(score), _decimal(published)
        gap = "" if s is None or p is None else ("0" if s == p else f"{p - s:+}")
        out.append(
            f'<tr{css}><td>{_e(label)}</td><td class="num">{_e(points)}</td><td class="num">{_e(score)}</td>'
            f'<td class="num">{_e(published)}</td><td class="num diff">{_e(gap)}</td></tr>'
        )

    for sub in table.get("subtotals", ()):
        line(sub["level1"], sub["points"], sub["score"], sub["published_score"])
    line("合计", table.get("total_points"), table.get("total"), table.get("published_total"), ' class="total"')
    out.append("</table>")
    return "".join(out)


def _review(rows: Sequence[Mapping[str, Any]], total: int) -> str:
    flagged = [r for r in rows if r.get("review")]
    if not flagged:
        return "<p>No row needs a reviewer's look.</p>"
    out = [
        "<table><tr><th>位置</th><th>三级指标</th><th>指标值</th><th>实际完成值</th>"
        '<th class="num">公式得分</th><th class="num">填报得分</th><th>原因</th></tr>'
    ]
    for r in flagged:
        why = "; ".join(str(w) for w in r.get("review") or ())
        out.append(
            f"<tr><td>{_e(r.get('where'))}</td><td>{_e(r.get('indicator'))}</td><td>{_e(r.get('target'))}</td>"
            f'<td>{_e(r.get("actual"))}</td><td class="num">{_e(r.get("score"))}</td>'
            f'<td class="num">{_e(r.get("published"))}</td><td class="why">{_e(_short(why, 300))}</td></tr>'
        )
    out.append("</table>")
    if total > len(flagged):
        out.append(f'<p class="more">… and {total - len(flagged)} more rows to review: see the output table.</p>')
    return "".join(out)


def _kpis(table: Mapping[str, Any]) -> str:
    total, published = _decimal(table.get("total")), _decimal(table.get("published_total"))
    gap = "" if total is None or published is None else f"与公式总分相差 {published - total:+}"
    review = int(table.get("review") or 0)
    cards = [
        ("公式总分", table.get("total"), f"满分 {table.get('total_points')}", ""),
        ("等级", table.get("grade"), "", ""),
        ("填报总分", table.get("published_total"), gap, " alert" if gap and published != total else ""),
        ("需复核", review, "行", " alert" if review else ""),
    ]
    return (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi{css}"><span>{label}</span><b>{_e(value)}</b><em>{_e(note) if note else ""}</em></div>'
            for label, value, note, css in cards
        )
        + "</div>"
    )


def render_report(
    tables: Sequence[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]], *, source: str, rules: str
) -> str:
    """The report's XHTML.

    ``tables``: per-table summaries as ``targetexpr score --json`` prints them (title, total,
    total_points, published_total, grade, subtotals, warnings, review, counts); ``rows``: one
    mapping per scored row (table, where, indicator, target, actual, kind, completion, band,
    score, points, published, review).
    """
    rows = list(rows)
    body = [
        "<header><h1>绩效自评评分报告</h1>"
        f'<p class="meta">文件 {_e(source)} · 评分规则 {_e(rules)} · targetexpr {escape(__version__)}</p></header>'
    ]
    for table in tables:
        mine = [r for r in rows if r.get("table") == table["table"]]
        where = f"{table.get('sheet', '')} row {table.get('header_row', '')}"
        year = f" · {table['year']}年" if table.get("year") else ""
        body.append(f"<section><h2>{_e(table.get('title'))}<small>{_e(where)}{_e(year)}</small></h2>")
        labels = (("department", "主管部门"), ("implementer", "实施单位"))
        about = [f"{label} {table.get(key)}" for key, label in labels]
        about = [a for a, key in zip(about, ("department", "implementer"), strict=True) if table.get(key)]
        if about:
            body.append(f'<p class="meta">{_e(" · ".join(about))}</p>')
        body.append(_kpis(table))
        body.append(_subtotals(table))
        if table.get("warnings"):
            body.append('<ul class="notes">' + "".join(f"<li>{_e(w)}</li>" for w in table["warnings"]) + "</ul>")
        body.append("<h3>各指标完成情况 (completion per indicator)</h3>")
        body.append(_chart(mine))
        body.append("<h3>需复核的行 (rows for a reviewer)</h3>")
        body.append(_review(mine, int(table.get("review") or 0)))
        body.append("</section>")
    body.append(
        "<footer>公式得分 follows the rule set named above (docs/evaluation.md gives each rule and its source); "
        "填报得分 is the score written in the table. The completion of a row is B/A for 正向 and A/B "
        "for 反向 indicators; qualitative rows show their score over their points.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>绩效自评评分报告 · {_e(source)}</title><style>{_CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
