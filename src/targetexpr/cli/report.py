"""The HTML report of ``targetexpr score --html``: one self-contained file that opens offline.

Per table: the project's header block (项目名称, 主管部门, 实施单位, 年度), the formula total and the
grade beside the published total, the subtotals per 一级指标, a chart of completion per indicator
(met, partly met, not met, no verdict), the rows a reviewer should look at, with why, and the
findings of the review rules (:func:`targetexpr.review`).  No script and no external file: inline
CSS and SVG only.  The page speaks the language in effect (Chinese by default), reads on a phone
(390 px: wide tables scroll inside their box, the chart scales) and prints on A4, one project per
page.  The markup is well-formed XML (XHTML), so tests read it back with :mod:`xml.etree`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from ..i18n import N_, current_language, say
from ..i18n import gettext as _
from ..version import __version__
from .args import band_name, rules_name

__all__ = ["render_report"]

_COLOURS = {"met": "#2e7d32", "partial": "#f29900", "not_met": "#c62828", None: "#9e9e9e", "execution": "#0969da"}
_BANDS: tuple[str | None, ...] = ("met", "partial", "not_met", None)
_CHARTED = ("indicator", "sub", "unscored", "execution")
_SCALE = Decimal("1.2")  # the chart's axis runs to 120%; longer bars are clipped and say so

_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px auto;
max-width:1080px;padding:0 16px;color:#1f2328;line-height:1.5;overflow-wrap:anywhere}
h1{font-size:24px;margin:0}h2{font-size:19px;margin:36px 0 8px;padding-bottom:6px;border-bottom:2px solid #d0d7de}
h2 small{font-weight:normal;color:#656d76;font-size:13px;margin-left:8px}h3{font-size:15px;margin:22px 0 6px}
.meta{color:#656d76;font-size:13px;margin:4px 0 0}
.about{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0;font-size:14px}
.about dt{color:#656d76}.about dd{margin:0}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.kpi{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:130px;flex:1 1 130px}
.kpi span{display:block;color:#656d76;font-size:12px}.kpi b{display:block;font-size:28px}
.kpi em{font-style:normal;color:#656d76;font-size:12px}.kpi.alert{border-color:#c62828}.kpi.alert b{color:#c62828}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:normal}
th{background:#f6f8fa;white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums}
table.rows td{min-width:4em}table.rows td.why{min-width:14em}
tr.total td{font-weight:bold;background:#f6f8fa}.diff{color:#c62828}
.notes{color:#9a6700;font-size:13px;padding-left:18px}
.legend span{display:inline-block;margin-right:16px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
svg.chart{display:block;width:100%;max-width:560px;height:auto}
.why{color:#c62828}.more{color:#656d76;font-size:12px}footer{margin-top:40px;color:#656d76;font-size:12px}
.findings{list-style:none;padding:0;margin:6px 0}
.findings li{border:1px solid #d0d7de;border-left:4px solid #9e9e9e;border-radius:6px;padding:8px 12px;margin:8px 0;
font-size:13px}
.findings li.error{border-left-color:#c62828}.findings li.warning{border-left-color:#f29900}
.findings b{font-size:14px}.findings .sev{display:inline-block;font-size:12px;padding:0 6px;border-radius:4px;
background:#f6f8fa;border:1px solid #d0d7de;margin-right:6px}
.findings p{margin:4px 0}.findings blockquote{margin:4px 0;padding:2px 10px;border-left:3px solid #d0d7de;color:#57606a}
@media (max-width:600px){body{margin:12px auto;padding:0 10px}h1{font-size:20px}.kpi{min-width:0;padding:8px 10px}
.kpi b{font-size:22px}h2 small{display:block;margin:2px 0 0}
table.rows,table.rows tbody,table.rows tr,table.rows td{display:block;width:100%}table.rows tr:first-child{display:none}
table.rows tr{border:1px solid #d0d7de;border-radius:6px;margin:0 0 10px;padding:4px 0}
table.rows td{border:0;padding:2px 10px;text-align:left;min-width:0}
table.rows td::before{content:attr(data-label);color:#656d76;display:inline-block;min-width:6em;margin-right:8px}}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:12px}
section.project~section.project{break-before:page;page-break-before:always}
.scroll{overflow:visible}svg.chart{max-width:100%}th,tr.total td{background:#f6f8fa}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.kpi,.findings li,tr{break-inside:avoid;page-break-inside:avoid}}
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
    """Completion per indicator: one bar per row, its name above it, the axis to 120%; an SVG whose
    viewBox scales to the page's width (a phone shows it whole)."""
    charted = [r for r in rows if r.get("kind") in _CHARTED]
    if not charted:
        return '<p class="meta">' + _e(_("No indicator rows.")) + "</p>"
    judged = [r for r in charted if r.get("kind") != "execution"]
    counts = {band: sum(1 for r in judged if r.get("band") == band) for band in _BANDS}
    legend = "".join(
        f'<span><i style="background:{_COLOURS[band]}"></i>{_e(band_name(band))} {counts[band]}</span>'
        for band in _BANDS
    )
    if any(r.get("kind") == "execution" for r in charted):
        legend += (
            f'<span><i style="background:{_COLOURS["execution"]}"></i>'
            + _e(_("budget execution rate (score / points)"))
            + "</span>"
        )
    step, axis, left, width = 40, 400, 14, 490
    label = _("completion per indicator")
    height = step * len(charted) + 26
    parts = [
        f'<div class="legend">{legend}</div>',
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">',
    ]
    for percent in (0, 50, 100):
        x = left + int(axis * percent / 120)
        dash = "" if percent == 0 else ' stroke-dasharray="3,3"'
        parts.append(
            f'<line x1="{x}" y1="14" x2="{x}" y2="{height - 20}" stroke="#8c959f"{dash}/>'
            f'<text x="{x}" y="{height - 6}" font-size="11" fill="#656d76" text-anchor="middle">{percent}%</text>'
        )
    for i, row in enumerate(charted):
        y = i * step
        share = _share(row)
        band = _band(row)
        colour = _COLOURS["execution"] if row.get("kind") == "execution" else _COLOURS.get(band, _COLOURS[None])
        name = str(row.get("indicator") or row.get("target") or "")
        if share is None:
            shown, length = band_name(band), 0
        elif row.get("kind") == "execution":
            shown, length = f"{share * 100:.1f}%", int(min(share, _SCALE) / _SCALE * axis)
        else:
            shown = f"{share * 100:.1f}%"
            length = int(min(max(share, Decimal(0)), _SCALE) / _SCALE * axis)
            if share > _SCALE:
                shown += " ▸"
        tip = f"{name}: {row.get('target') or ''} / {row.get('actual') or ''} → {shown}"
        parts.append(
            f'<text x="{left}" y="{y + 14}" font-size="14">{_e(_short(name, 30))}</text>'
            f'<rect x="{left}" y="{y + 19}" width="{max(length, 2)}" height="15" rx="2" fill="{colour}">'
            f"<title>{_e(tip)}</title></rect>"
            f'<text x="{left + max(length, 2) + 5}" y="{y + 31}" font-size="12" fill="#1f2328">{_e(shown)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _th(text: str, numeric: bool) -> str:
    return f'<th class="num">{_e(text)}</th>' if numeric else f"<th>{_e(text)}</th>"


def _td(label: str, value: object, css: str = "") -> str:
    """A cell that names its column (``data-label``), so that a phone can show each row as a card."""
    kind = f' class="{css}"' if css else ""
    return f'<td data-label="{_e(label)}"{kind}>{_e(value)}</td>'


def _h3(text: str) -> str:
    return f"<h3>{_e(text)}</h3>"


def _scroll(table: str) -> str:
    """A table in a box that scrolls sideways on a narrow screen (the page itself never does)."""
    return f'<div class="scroll">{table}</div>'


def _subtotals(table: Mapping[str, Any]) -> str:
    heads = (_("level-1 indicator"), _("points"), _("formula score"), _("published score"), _("difference"))
    out = ["<table><tr>" + "".join(_th(h, i > 0) for i, h in enumerate(heads)) + "</tr>"]

    def line(label: str, points: object, score: object, published: object, css: str = "") -> None:
        s, p = _decimal(score), _decimal(published)
        gap = "" if s is None or p is None else ("0" if s == p else f"{p - s:+}")
        out.append(
            f'<tr{css}><td>{_e(label)}</td><td class="num">{_e(points)}</td><td class="num">{_e(score)}</td>'
            f'<td class="num">{_e(published)}</td><td class="num diff">{_e(gap)}</td></tr>'
        )

    for sub in table.get("subtotals", ()):
        line(sub["level1"], sub["points"], sub["score"], sub["published_score"])
    line(_("total"), table.get("total_points"), table.get("total"), table.get("published_total"), ' class="total"')
    out.append("</table>")
    return _scroll("".join(out))


def _review(rows: Sequence[Mapping[str, Any]], total: int) -> str:
    flagged = [r for r in rows if r.get("review")]
    if not flagged:
        return "<p>" + _e(_("No row needs a reviewer's look.")) + "</p>"
    heads = (_("where"), _("indicator"), _("target"), _("actual"), _("formula score"), _("published score"), _("why"))
    numeric = {4, 5}
    out = ['<table class="rows"><tr>' + "".join(_th(h, i in numeric) for i, h in enumerate(heads)) + "</tr>"]
    separator = "；" if current_language() == "zh" else "; "
    for r in flagged:
        why = separator.join(str(w) for w in r.get("review") or ())
        values: list[object] = [r.get(k) for k in ("where", "indicator", "target", "actual", "score", "published")]
        values.append(_short(why, 300))
        cells = [_td(heads[i], value, "num" if i in numeric else "") for i, value in enumerate(values)]
        cells[-1] = _td(heads[-1], values[-1], "why")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    text = _scroll("".join(out))
    if total > len(flagged):
        more = say("… and {count} more rows to review: see the output table.", count=total - len(flagged))
        text += f'<p class="more">{_e(more)}</p>'
    return text


def _findings(result: Any, rules: Any) -> str:
    """The review's findings for one project: the rule, where, the cell, what is wrong, what to
    change, the rule's quote and its source."""
    from .check import rule_name, severity_name

    if result is None:
        return ""
    if not result.findings:
        found = say("No findings under the review rules ({rules}).", rules=rules_name(result.rules))
        return "<p>" + _e(found) + "</p>"
    out = ['<ol class="findings">']
    for f in result.findings:
        severity = severity_name(f.severity)
        if f.line is None and not f.indicator:
            where = _("the whole project")
        else:
            where = say("row {line} · {indicator}", line=f.line if f.line is not None else "—", indicator=f.indicator)
        cell = f" · 「{_e(f.cell)}」" if f.cell else ""
        quote = ""
        if f.quote:
            quote = f"<blockquote>「{_e(f.quote)}」<br/>{_e(f.source)}</blockquote>"
        elif f.source:
            quote = f'<p class="meta">{_e(f.source)}</p>'
        change = say("What to change: {change}", change=f.change)
        out.append(
            f'<li class="{_e(f.severity)}"><span class="sev">{_e(severity)}</span><b>{_e(rule_name(rules, f.rule))}</b>'
            f'<p class="meta">{_e(where)}{cell}</p><p>{_e(f.message)}</p>'
            f"<p>{_e(change)}</p>{quote}</li>"
        )
    out.append("</ol>")
    return "".join(out)


def _kpis(table: Mapping[str, Any]) -> str:
    total, published = _decimal(table.get("total")), _decimal(table.get("published_total"))
    gap = "" if total is None or published is None else say("{gap:+} against the formula total", gap=published - total)
    review = int(table.get("review") or 0)
    cards = [
        (_("formula total"), table.get("total"), say("of {points}", points=table.get("total_points")), ""),
        (_("grade"), table.get("grade"), "", ""),
        (_("published total"), table.get("published_total"), gap, " alert" if gap and published != total else ""),
        (_("to review"), review, _("rows"), " alert" if review else ""),
    ]
    return (
        '<div class="kpis">'
        + "".join(
            f'<div class="kpi{css}"><span>{_e(label)}</span><b>{_e(value)}</b><em>{_e(note) if note else ""}</em></div>'
            for label, value, note, css in cards
        )
        + "</div>"
    )


def _about(table: Mapping[str, Any]) -> str:
    """The project's header block as the table gives it: 项目名称, 主管部门, 实施单位, 年度."""
    fields = (
        ("project", N_("project name")),
        ("department", N_("department")),
        ("implementer", N_("implementer")),
        ("year", N_("year")),
    )
    items = [(_(label), table.get(key)) for key, label in fields if table.get(key)]
    if not items:
        return ""
    return '<dl class="about">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"


def render_report(
    tables: Sequence[Mapping[str, Any]],
    rows: Iterable[Mapping[str, Any]],
    *,
    source: str,
    rules: str,
    reviews: Sequence[tuple[int, Any]] = (),
    review_rules: Any = (),
) -> str:
    """The report's XHTML, in the language in effect.

    ``tables``: per-table summaries as ``targetexpr score --json`` prints them (title, project,
    department, implementer, year, total, total_points, published_total, grade, subtotals,
    warnings, review, counts); ``rows``: one mapping per scored row (table, where, indicator,
    target, actual, kind, completion, band, score, points, published, review); ``reviews``: (table
    number, :class:`~targetexpr.table.review.Review`) pairs; ``review_rules``: the rules they ran
    (to name each rule by what it checks).
    """
    rows = list(rows)
    by_table = dict(reviews)
    title = _("Self-evaluation score report")
    meta = say(
        "file {file} · scoring rules {rules} · targetexpr {version}", file=source, rules=rules, version=__version__
    )
    body = [f'<header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p></header>']
    for table in tables:
        mine = [r for r in rows if r.get("table") == table["table"]]
        where = say("{sheet} row {row}", sheet=table.get("sheet", ""), row=table.get("header_row", ""))
        body.append(f'<section class="project"><h2>{_e(table.get("title"))}<small>{_e(where)}</small></h2>')
        body.append(_about(table))
        body.append(_kpis(table))
        body.append(_subtotals(table))
        if table.get("warnings"):
            body.append('<ul class="notes">' + "".join(f"<li>{_e(w)}</li>" for w in table["warnings"]) + "</ul>")
        body.append(_h3(_("Completion per indicator")))
        body.append(_chart(mine))
        body.append(_h3(_("Rows for a reviewer")))
        body.append(_review(mine, int(table.get("review") or 0)))
        if reviews:
            body.append(_h3(_("Review of the targets")))
            body.append(_findings(by_table.get(table["table"]), review_rules))
        body.append("</section>")
    footer = _(
        "The formula score follows the rule set named above (docs/evaluation.md gives each rule and its "
        "source); the published score is the score written in the table. The completion of a row is B/A "
        "for positive and A/B for negative indicators (B: the actual, A: the target); qualitative rows show "
        "their score over their points. The "
        "review findings follow the review rules (docs/review.md)."
    )
    body.append(f"<footer>{_e(footer)}</footer>")
    lang = "zh-CN" if current_language() == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{_e(title)} · {_e(source)}</title><style>{_CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
