"""``Evaluation.explain()`` (#16): the computation step by step, its numbers the evaluation's own, in Chinese by
default and in English on request, for every kind of target."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import targetexpr

ROOT = Path(__file__).resolve().parent.parent
RULE_SOURCES = tomllib.loads((ROOT / "src" / "targetexpr" / "data" / "rule_sources.toml").read_text(encoding="utf-8"))

# target, actual, keyword arguments of evaluate: quantitative rows scored by a formula.
FORMULA_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("≥95%", "90%", {}),
    ("≥95%", "94.5%", {"points": 7}),
    ("≤5%", "8%", {}),
    ("≤5%", "8%", {"rules": "system"}),
    ("≤5%", "6%", {"rules": "system", "points": 3}),
    ("≥200人", "150人", {"points": 6}),
    ("85%-90%", "80%", {}),
    ("85%-90%", "96%", {}),
    ("≥1000万元", "9,876,543元", {"points": 9}),
]


def _decimal(text: str) -> Decimal:
    return Decimal(text.lstrip("≈"))


def _close(text: str, exact: Fraction) -> bool:
    """``text`` is the exact value, or ``≈`` and the value to 6 places."""
    if text.startswith("≈"):
        return abs(Fraction(_decimal(text)) - exact) <= Fraction(1, 10**6)
    return Fraction(_decimal(text)) == exact


@pytest.mark.parametrize(("target", "actual", "kwargs"), FORMULA_CASES)
def test_the_numbers_are_the_evaluations_own_in_chinese(target: str, actual: str, kwargs: dict[str, Any]) -> None:
    ev = targetexpr.evaluate(target, actual, **{"points": 10, **kwargs})
    text = ev.explain("zh")
    assert ev.completion is not None
    assert ev.score is not None
    assert ev.unrounded_score is not None
    (completion,) = re.findall(r"^完成率 = .*= ([0-9.]+)（([0-9.]+)%）$", text, re.M)
    assert Decimal(completion[0]) == ev.completion
    assert Decimal(completion[1]) == (ev.completion * 100).quantize(Decimal("0.01"))
    score_line = re.search(r"^得分 = 完成率 × 分值 = (≈?[0-9.]+) × ([0-9.]+) = (≈?[0-9.]+)$", text, re.M)
    assert score_line is not None, text
    # the exact completion: the evaluation's to 6 places, and times the points the unrounded score
    assert _decimal(score_line[1]).quantize(Decimal("0.000001")) == ev.completion
    assert ev.points is not None
    assert _close(score_line[1], ev.unrounded_score / Fraction(ev.points))
    assert Decimal(score_line[2]) == ev.points
    assert _close(score_line[3], ev.unrounded_score)
    rounding = re.search(r"^舍入：保留(\d)位小数，(\S+)：(≈?[0-9.]+) → 得分 ([0-9.]+)$", text, re.M)
    assert rounding is not None, text
    assert int(rounding[1]) == targetexpr.load_rules(kwargs.get("rules", "national")).places
    assert rounding[2] == "四舍五入"
    assert _close(rounding[3], ev.unrounded_score)
    assert Decimal(rounding[4]) == ev.score
    band = {"met": "达成年度指标", "not_met": "未达成年度指标"}[ev.band.value]  # type: ignore[union-attr]
    assert f"结论：{band}" in text


@pytest.mark.parametrize(("target", "actual", "kwargs"), FORMULA_CASES)
def test_the_numbers_are_the_evaluations_own_in_english(target: str, actual: str, kwargs: dict[str, Any]) -> None:
    ev = targetexpr.evaluate(target, actual, **{"points": 10, **kwargs})
    text = ev.explain("en")
    assert ev.unrounded_score is not None
    line = re.search(r"^score = completion × points = (≈?[0-9.]+) × ([0-9.]+) = (≈?[0-9.]+)$", text, re.M)
    assert line is not None, text
    assert (_decimal(line[1]).quantize(Decimal("0.000001")), Decimal(line[2])) == (ev.completion, ev.points)
    assert _close(line[3], ev.unrounded_score)
    assert re.search(rf"→ score {re.escape(str(ev.score))}$", text, re.M)
    assert not re.search(r"[完得舍结]", text.split("rule set:")[0].replace("正向", "").replace("反向", ""))


def test_the_formula_follows_the_direction_and_the_rule_set() -> None:
    higher = targetexpr.evaluate("≥95%", "90%", points=10).explain("zh")
    assert "完成率 = 实际完成值 ÷ 指标值（正向指标）= 90 ÷ 95 = 0.947368（94.74%）" in higher
    assert "方向：正向指标（越高越好），由比较词“不低于”确定" in higher
    ratio = targetexpr.evaluate("≤5%", "8%", points=10).explain("zh")
    assert "完成率 = 指标值 ÷ 实际完成值（反向指标）= 5 ÷ 8 = 0.625000（62.50%）" in ratio
    linear = targetexpr.evaluate("≤5%", "8%", points=10, rules="system").explain("zh")
    assert "= 1 −（8 − 5）÷ 5 = 0.400000（40.00%）" in linear
    assert "评分规则：system" in linear
    assert RULE_SOURCES["system"]["quantitative.lower"]["source"] in linear


def test_a_unit_conversion_is_shown() -> None:
    ev = targetexpr.evaluate("≤600 万元", "5,987,500元", points=10)
    text = ev.explain("zh")
    assert "实际完成值换算为指标值的单位：5,987,500元 = 598.75万元" in text
    assert "比较：598.75万元 ≤ 600万元，达成" in text


def test_over_completion_is_capped_at_the_points() -> None:
    ev = targetexpr.evaluate("≥95%", "120%", points=10)
    text = ev.explain("zh")
    assert ev.completion is not None
    assert ev.completion > 1
    assert "得分 = 完成率 × 分值，完成率超过100%，得分以分值为上限 = 10" in text
    assert RULE_SOURCES["national"]["quantitative.cap"]["source"] in text
    assert "得分 10.00" in text


def test_the_target_as_read_as_written_and_canonical() -> None:
    ev = targetexpr.evaluate(targetexpr.parse(" 不少于 ９５ ％ "), "96%", points=5)
    text = ev.explain("zh")
    assert text.splitlines()[:3] == ["指标值：不低于95%", "表中原文：不少于 ９５ ％", "规范写法：≥95%"]


def test_the_direction_and_why() -> None:
    assumed = targetexpr.evaluate("100%", "90%", points=10).explain("zh")
    assert "方向：正向指标（越高越好），指标值未写比较词" in assumed
    cue = targetexpr.evaluate("3次", "2次", points=10, indicator="投诉次数").explain("zh")
    ev = targetexpr.evaluate("3次", "2次", points=10, indicator="投诉次数")
    assert ev.direction_source is not None
    assert ev.direction_source.startswith("cue:")
    assert f"指标名称含“{ev.direction_source[4:]}”" in cue
    assert "反向指标" in cue
    given = targetexpr.evaluate("3次", "2次", points=10, direction="lower").explain("zh")
    assert "按指定的方向" in given


def test_a_deadline_met_and_missed() -> None:
    met = targetexpr.evaluate("2022年12月31日前", "2022年11月30日", points=10)
    text = met.explain("zh")
    assert "指标值：2022年12月31日前完成" in text
    assert "得分：按期完成，得满分 = 10" in text
    assert "结论：达成年度指标" in text
    missed = targetexpr.evaluate("2022年12月31日前", "2023年1月5日", points=10)
    text = missed.explain("zh")
    assert "得分：未按期完成，得分值的 0" in text
    assert RULE_SOURCES["national"]["quantitative.deadline_missed"]["source"] in text
    assert "结论：未达成年度指标" in text


def test_a_qualitative_target() -> None:
    ev = targetexpr.evaluate("及时", "基本及时", points=10)
    text = ev.explain("zh")
    assert ev.score_range is not None
    low, high = ev.score_range
    assert f"定性指标：部分达成年度指标，得分区间 {low}～{high}（分值 10），建议得分 {ev.score}" in text
    assert RULE_SOURCES["national"]["qualitative.partial"]["source"] in text


def test_a_relative_target() -> None:
    ev = targetexpr.evaluate("较上年提高2个百分点", "93%", baseline="90%", points=10)
    text = ev.explain("zh")
    assert "指标值：较上年提高2个百分点" in text
    assert f"判断过程：{ev.reason}" in text
    assert ev.completion is not None
    assert f"完成率 = {ev.completion}" in text
    assert f"得分 {ev.score}" in text


def test_a_compound_target() -> None:
    ev = targetexpr.evaluate("≥95%;及时", "90%;及时", points=10)
    text = ev.explain("zh")
    assert "一格多项指标：逐项判断，以完成率最低的一项计分" in text
    assert f"完成率 = {ev.completion}" in text
    assert f"得分 {ev.score}" in text


@pytest.mark.parametrize(
    ("target", "actual"), [("保障大楼安全运转,排除风险隐患", "已完成"), ("≥95%", None), ("约100人", "98人")]
)
def test_an_unjudged_evaluation_says_why(target: str, actual: str | None) -> None:
    ev = targetexpr.evaluate(target, actual, points=10)
    assert ev.met is None
    text = ev.explain("zh")
    assert "未评判：" in text
    assert "得分 =" not in text
    assert "结论" not in text


def test_no_points_no_score() -> None:
    text = targetexpr.evaluate("≥95%", "96%").explain("zh")
    assert "未给出分值，不计算得分" in text


def test_a_rule_set_of_ones_own_is_explained_with_its_own_places() -> None:
    rules = targetexpr.load_rules({"name": "mine", "extends": "national", "quantitative": {"places": 1}})
    ev = targetexpr.evaluate("≥95%", "90%", points=10, rules=rules)
    text = ev.explain("zh")
    assert "舍入：保留1位小数，四舍五入" in text
    assert ev.score == Decimal("9.5")
    assert text.rstrip().endswith("9.5") or "得分 9.5" in text


def test_chinese_by_default_and_english_in_a_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG")
    ev = targetexpr.evaluate("≥95%", "90%", points=10)
    assert ev.explain().startswith("指标值：不低于95%")
    with targetexpr.language("en"):
        assert ev.explain().startswith("target value: at least 95%")
    assert ev.explain("en").startswith("target value: at least 95%")
