"""A realistic self-evaluation table of any size, from a fixed seed, for the benchmark.

The mix of target forms follows the real data (DOMAIN.md §2.1: percentages, counts with a
classifier, money, qualitative words, bare numbers, dates, durations, a few ranges and relative
targets), and so does the repetition: targets are drawn from a pool with Zipf-like weights, so
``≥95%`` or ``及时`` come back thousands of times while most other cells are rare, as in a province's
tables.  Actuals land on both sides of the target (about four rows in five meet it).

    python bench/generate.py 100000 > table.csv
"""

from __future__ import annotations

import csv
import itertools
import random
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import targetexpr

__all__ = ["COLUMNS", "distinct_targets", "generate_rows", "table_rows"]

COLUMNS = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]

_LEVELS = {
    "rate": ("产出指标", "质量指标"),
    "count": ("产出指标", "数量指标"),
    "cost": ("产出指标", "成本指标"),
    "qual": ("效益指标", "社会效益指标"),
    "bare": ("产出指标", "数量指标"),
    "time": ("产出指标", "时效指标"),
    "date": ("产出指标", "时效指标"),
    "range": ("满意度指标", "服务对象满意度指标"),
    "relative": ("效益指标", "经济效益指标"),
}
_CLASSIFIERS = [
    "个",
    "次",
    "人",
    "人次",
    "户",
    "家",
    "项",
    "场",
    "条",
    "份",
    "套",
    "台",
    "辆",
    "名",
    "件",
    "座",
    "亩",
    "公里",
]
_QUALITATIVE = [
    "及时",
    "持续改善",
    "有效",
    "合格",
    "达标",
    "是",
    "全年",
    "优良",
    "按计划实施",
    "有所提升",
    "无重大安全事故",
]
_ANSWERS = {
    "met": ["达成年度指标", "及时", "是", "合格", "有效"],
    "miss": ["部分达成年度指标并具有一定效果", "不及时", "否"],
}
_OPS = ["≥", "≥", "≥", ">=", "≧", "≤", "<=", ">", "="]


def _number(rng: random.Random, low: int, high: int, places: int = 0) -> Decimal:
    value = Decimal(rng.randint(low * 10**places, high * 10**places)).scaleb(-places)
    return value


def _target(rng: random.Random, wide: bool = False) -> tuple[str, str, str]:
    """One target form: (level1/level2 key, target text, kind).  ``wide`` draws numbers from wide
    ranges instead of the few values real tables repeat (for distinct texts)."""
    roll = rng.random()
    if roll < 0.35:  # percentages
        value: object = rng.choice([85, 90, 90, 95, 95, 95, 98, 99, 100, 100, 100, 99.9, 80, 60])
        if wide:
            value = _number(rng, 0, 100, rng.choice([0, 1, 2]))
        op = rng.choice(["≥", "≥", "≥", ">=", "≧", "", "不低于", "≤"])
        if op == "≤":
            value = rng.choice([5, 10, 3])
        suffix = "以上" if op == "" and rng.random() < 0.2 else ""
        return "rate", f"{op}{value}%{suffix}", "percent"
    if roll < 0.60:  # counts with a classifier
        classifier = rng.choice(_CLASSIFIERS)
        value = rng.choice([1, 2, 3, 5, 10, 12, 15, 20, 30, 40, 50, 100, 200, 300, 500, 1000, 1200, 5000])
        if wide:
            value = rng.randint(1, 100_000)
        op = rng.choice(["≥", "≥", ">=", "", "", ">", "不少于"])
        space = " " if rng.random() < 0.3 else ""
        return "count", f"{op}{value}{space}{classifier}", "count"
    if roll < 0.70:  # money
        value = _number(rng, 1, 999, rng.choice([0, 0, 1, 2]))
        unit = rng.choice(["万元", "万元", "万元", "元", "亿元"])
        op = rng.choice(["≤", "≤", "<=", "", "不超过"])
        return "cost", f"{op}{value}{unit}", "money"
    if roll < 0.80:  # qualitative
        return "qual", rng.choice(_QUALITATIVE), "qualitative"
    if roll < 0.88:  # bare numbers
        bare = rng.randint(1, 10_000) if wide else rng.choice([1, 2, 4, 10, 31, 100, 200, 2000, 43.2])
        return "bare", str(bare), "number"
    if roll < 0.93:  # durations
        value = rng.randint(1, 400) if wide else rng.choice([1, 2, 3, 7, 15, 30, 365])
        unit = rng.choice(["分钟", "小时", "天", "个工作日", "年", "个月"])
        return "time", f"≤{value}{unit}" if unit != "天" else f"{value}{unit}", "duration"
    if roll < 0.97:  # deadlines
        month = rng.randint(1, 12)
        form = rng.choice(["{y}年{m}月底前", "{m}月前", "{y}年{m}月{d}日前", "年底前"])
        year = rng.randint(2015, 2030) if wide else 2022
        return "date", form.format(y=year, m=month, d=rng.randint(1, 28)), "deadline"
    if roll < 0.985:  # ranges
        low = rng.randint(1, 94) if wide else rng.choice([80, 85, 90])
        return "range", f"{low}%-{low + 5}%", "range"
    return "relative", rng.choice(["较上年增长5%", "不低于上年", "不超过预算", "较上年提高2个百分点"]), "relative"


def _actual(rng: random.Random, target: str, kind: str) -> str:
    meet = rng.random() < 0.8
    if kind == "qualitative":
        return rng.choice(_ANSWERS["met" if meet else "miss"])
    if kind == "deadline":
        return f"2022年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    if kind == "relative":
        return rng.choice(["110万元", "95%", "100"])
    digits = "".join(c for c in target if c.isdigit() or c == ".")
    try:
        base = Decimal(digits.split("-")[0] if digits else "1")
    except Exception:
        base = Decimal(1)
    factor = Decimal(rng.randint(100, 130) if meet else rng.randint(60, 99)) / 100
    if "≤" in target or "<=" in target or "不超过" in target:
        factor = Decimal(2) - factor
    value = (base * factor).quantize(Decimal("0.01"))
    if kind == "count":
        value = value.to_integral_value()
    elif kind == "percent":
        value = min(value, Decimal(100))
    unit = "".join(c for c in target if not (c.isdigit() or c in ".≥≤<>=≧不低于少超过以上 "))
    return f"{value.normalize():f}{unit}"


def generate_rows(n: int, seed: int = 20221231) -> Iterator[dict[str, str]]:
    """``n`` rows of a realistic table, the same for the same seed."""
    rng = random.Random(seed)
    pool = [_target(rng) for _ in range(3000)]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(pool))]
    cumulative = list(itertools.accumulate(weights))  # what choices() would add up on every call
    for i in range(n):
        key, target, kind = rng.choices(pool, cum_weights=cumulative)[0]
        level1, level2 = _LEVELS[key]
        if key == "rate" and i % 4 == 0:
            level1, level2 = "满意度指标", "服务对象满意度指标"
        actual = _actual(rng, target, kind)
        points = rng.choice(["5", "10", "10", "20", "2"])
        published = "" if rng.random() < 0.5 else points
        yield {
            "一级指标": level1,
            "二级指标": level2,
            "三级指标": f"指标{i % 97}",
            "指标值": target,
            "实际完成值": actual,
            "分值": points,
            "得分": published,
        }


def distinct_targets(n: int, seed: int = 7) -> list[str]:
    """``n`` different target texts of the realistic mix of forms (no two alike, so no memo helps)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    while len(out) < n:
        _key, target, _kind = _target(rng, wide=True)
        if target not in seen:
            seen.add(target)
            out.append(target)
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    writer = csv.DictWriter(sys.stdout, COLUMNS)
    writer.writeheader()
    writer.writerows(generate_rows(count))


def table_rows(records: Iterable[dict[str, str]]) -> Iterator[targetexpr.Row]:
    """The generated records as :class:`targetexpr.Row` objects, for ``score_rows`` (imported late, so
    that this module also runs on its own to write a CSV)."""
    import targetexpr

    for r in records:
        yield targetexpr.Row(
            indicator=r["三级指标"],
            target=r["指标值"],
            actual=r["实际完成值"],
            points=r["分值"],
            published_score=r["得分"] or None,
            level1=r["一级指标"],
            level2=r["二级指标"],
        )
