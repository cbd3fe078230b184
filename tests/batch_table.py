"""A generated self-evaluation table for the batch, Dask and Spark tests and bench/batch.py.

Deterministic for a seed; every kind of cell a real column holds: text, numbers (int, Decimal,
float), blanks, None, NaN, unreadable text, fractions under percentages, unit mismatches.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

_TARGETS = [
    ("≥95%", lambda r: f"{r.randint(80, 100)}.{r.randint(0, 9)}%"),
    ("≥95%", lambda r: Decimal(r.randint(850, 1000)) / 10),
    ("≥90%", lambda r: r.choice([0.93, 0.88, 0.97])),  # fractions: flagged
    ("≤400万元", lambda r: f"{r.randint(300, 450)}万元"),
    ("≤400万元", lambda r: f"{r.randint(3_000_000, 4_500_000):,}元"),
    ("15个", lambda r: r.randint(10, 20)),
    ("≥1.2万人次", lambda r: f"{r.randint(10000, 14000)}人次"),
    ("2022年12月31日前", lambda r: f"2022-{r.randint(10, 12)}-{r.randint(1, 28):02d}"),
    ("年底前", lambda r: f"2023-01-{r.randint(1, 9):02d}"),
    ("及时", lambda r: r.choice(["及时", "不及时", "基本及时"])),
    ("持续改善", lambda r: r.choice(["明显改善", "有所改善", "未改善"])),
    ("85%-90%", lambda r: f"{r.randint(80, 95)}%"),
    ("≤300万元", lambda r: "4次"),  # a unit mismatch: error column
    ("≥≥95%", lambda r: "96%"),  # unreadable target
    (None, lambda r: "96%"),  # missing target
    ("   ", lambda r: None),  # blank target, missing actual
    ("≥95%", lambda r: float("nan")),  # NaN actual
    ("无重大安全事故", lambda r: r.choice(["无", "发生1起"])),
    ("≥98%", lambda r: "abc"),  # unreadable actual
]


def generate(rows: int, seed: int = 0) -> dict[str, list[Any]]:
    """Columns table_id, row_id, target, actual, points (10 rows to a table)."""
    r = random.Random(seed)
    out: dict[str, list[Any]] = {"table_id": [], "row_id": [], "target": [], "actual": [], "points": []}
    for i in range(rows):
        target, actual = r.choice(_TARGETS)
        out["table_id"].append(i // 10)
        out["row_id"].append(i)
        out["target"].append(target)
        out["actual"].append(actual(r))
        out["points"].append(r.choice([5, 10, 20, "10分", None]))
    return out


def as_text(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The same table as every engine reads it: actuals and points as text (None stays None)."""

    def text(v: Any) -> str | None:
        if v is None or (isinstance(v, float) and v != v):
            return None
        return str(v)

    return {**columns, "actual": [text(v) for v in columns["actual"]], "points": [text(v) for v in columns["points"]]}


_UNITS = ["%", "万元", "元", "亿元", "人次", "万人次", "个", "公里", "亩", "元/人", "天", "工作日", "次", "户", "‰", ""]
_OPS = ["≥", "≤", ">", "<", "不低于", "不超过", "约", "=", ""]
_LABELS = ["及时", "持续改善", "有所提升", "无重大安全事故", "达标", "明显改善", "基本满意", "长期", "合格"]


def target_cells(rows: int, seed: int = 0) -> list[str]:
    """``rows`` target cells of every kind, drawn with a fixed seed (cheap: no hypothesis)."""
    r = random.Random(seed)

    def number() -> str:
        return r.choice([str(r.randint(0, 5000)), f"{r.randint(0, 999)}.{r.randint(0, 99)}"])

    def date() -> str:
        y, m = r.randint(2018, 2026), r.randint(1, 12)
        return r.choice([f"{y}年{m}月底前", f"{y}年第{r.randint(1, 4)}季度末前", f"{y}年{m}月{r.randint(1, 28)}日前",
                         f"{m}月底前", f"{y}年底前", f"{y}年{m}月{r.randint(1, 28)}日前(不含当日)"])  # fmt: skip

    makers = [
        lambda: f"{r.choice(_OPS)}{number()}{r.choice(_UNITS)}",
        lambda: f"{r.randint(0, 50)}-{r.randint(51, 100)}{r.choice(_UNITS)}",
        date,
        lambda: f"{r.randint(2018, 2022)}.{r.randint(1, 12):02d}-{r.randint(2023, 2026)}.{r.randint(1, 12):02d}",
        lambda: f"{r.choice(['较上年', '同比', '环比'])}{r.choice(['增长', '下降'])}{r.choice(['', '≥'])}{number()}%",
        lambda: r.choice(["与上年持平", "较上年有所增长", "同比下降"]),
        lambda: r.choice(_LABELS),
        lambda: f"{r.choice(['≤', '≥', ''])}{'*' * r.randint(2, 5)}{r.choice(['万元', '%', '个'])}",
        lambda: f"{r.choice(_OPS[:4])}{number()}%;{r.choice(_LABELS)}",
        lambda: r.choice(["按计划完成培训任务", "确保项目顺利实施", "有效提升服务水平"]),
    ]
    return [r.choice(makers)() for _ in range(rows)]
