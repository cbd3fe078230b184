"""Issue #15: the scoring audited against the official texts (cues, rule-set sources, review flags)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetexpr
from targetexpr.evaluator.cues import cues, name_cue
from targetexpr.scoring import RuleSet

DATA = Path(targetexpr.__file__).parent / "data"
RULES = sorted(p.stem for p in (DATA / "rules").glob("*.toml"))
SOURCES = tomllib.loads((DATA / "rule_sources.toml").read_text(encoding="utf-8"))

# --- item 1: direction cues ---------------------------------------------------------------------


@pytest.mark.parametrize("cue", cues(), ids=[f"{c.field}:{c.contains}" for c in cues()])
def test_every_cue_decides_its_own_example(cue: Any) -> None:
    name, target = cue.example.split("|")
    level2, indicator = (name, "") if cue.field == "level2" else ("", name)
    node = targetexpr.parse(target)
    assert isinstance(node, targetexpr.nodes.Value)
    assert name_cue(level2, indicator, node.quantity.unit) == cue
    assert cue.reason
    result = targetexpr.evaluate(target, target, indicator=indicator, level2=level2)
    assert result.direction is cue.direction
    assert result.direction_source == f"cue:{cue.contains}"
    assert cue.contains in result.reason


def test_the_cue_table_has_no_duplicates() -> None:
    keys = [(c.field, c.contains, c.dimension) for c in cues()]
    assert len(keys) == len(set(keys))


def test_the_most_specific_cue_wins() -> None:
    percent = targetexpr.parse("1%").quantity.unit  # type: ignore[union-attr]
    cue = name_cue("", "投诉率", percent)
    assert cue is not None
    assert (cue.contains, cue.direction.value) == ("投诉率", "lower")
    cue = name_cue("", "合格率", percent)
    assert cue is not None
    assert cue.contains == "率"


def test_a_comparator_or_a_given_direction_wins_over_a_cue() -> None:
    ruled = targetexpr.evaluate("≥90%", "95%", indicator="投诉率")
    assert ruled.direction_source == "comparator"
    assert "the comparator of ≥90% says higher and wins" in ruled.reason
    given = targetexpr.evaluate("1%", "2%", indicator="投诉率", direction="higher")
    assert given.direction_source == "given"
    assert given.met is True
    assumed = targetexpr.evaluate("1%", "2%")
    assert assumed.direction_source == "assumed"
    assert assumed.to_dict()["direction_source"] == "assumed"


def test_the_table_scorer_reports_the_deciding_cue() -> None:
    row = targetexpr.Row("投诉率", "1%", "1.5%", 10, level1="满意度指标")
    (scored,) = targetexpr.score_table([row]).rows
    assert scored.score == Decimal("6.67")
    assert scored.evaluation is not None
    assert scored.evaluation.direction_source == "cue:投诉率"
    assert any("inferred from '投诉率'" in n for n in scored.notes)
    (plain,) = targetexpr.score_table([row], infer_direction=False).rows
    assert plain.score == Decimal("10.00")


# --- item 3: every rule set states every setting, each cited --------------------------------------


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("name", "title", "sources", "extends"):
            continue
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _raw(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / "rules" / f"{name}.toml").read_text(encoding="utf-8"))


def _band(rules: RuleSet, which: str) -> list[Fraction]:
    band = targetexpr.scoring.Band(which)
    return list(rules.band_range(band))


def _loaded(rules: RuleSet, key: str) -> Any:
    """The loaded value of a setting, as the source states it (fractions for numbers)."""
    section, _, field = key.partition(".")
    if section == "quantitative":
        value = {"over_completion": rules.over_completion, "manual_scoring": list(rules.manual_scoring)}.get(
            field, getattr(rules, field, None)
        )
        return value
    if section == "qualitative":
        if field.startswith("default."):
            return rules.band_default(targetexpr.scoring.Band(field[8:]))
        if field == "weaker_degree":
            return rules.weaker_degree
        return _band(rules, field)
    if section == "execution":
        return rules.execution_cap
    if section == "weights":
        return dict(rules.weights)[field]
    if section == "grades":
        return dict(rules.grades)[field]
    if section == "grading":
        return {"total": rules.grade_on, "required": rules.grade_required, "bonus_points": rules.bonus_points}[field]
    if section == "deviation":
        return rules.deviation_flag
    raise AssertionError(key)


def _same(loaded: Any, cited: Any) -> bool:
    if isinstance(cited, (bool, str)):
        return bool(loaded == cited)
    if isinstance(cited, list):
        return len(loaded) == len(cited) and all(_same(x, y) for x, y in zip(loaded, cited, strict=True))
    return bool(Fraction(str(loaded)) == Fraction(str(cited)))


def test_every_shipped_rule_set_is_cited() -> None:
    assert set(RULES) == set(SOURCES) == {"national", "system", "legacy", "hubei", "sichuan", "tianjin"}


@pytest.mark.parametrize("name", RULES)
def test_a_rule_set_states_every_setting_and_extends_nothing(name: str) -> None:
    raw = _raw(name)
    assert "extends" not in raw
    keys = {k for k in _flat(raw) if not k.startswith(("weights.", "grades."))}
    national = {k for k in _flat(_raw("national")) if not k.startswith(("weights.", "grades."))}
    assert keys == national
    assert _flat(raw).keys() == SOURCES[name].keys()


@pytest.mark.parametrize("name", RULES)
def test_each_setting_equals_its_cited_source(name: str) -> None:
    rules = targetexpr.load_rules(name)
    for key, cited in SOURCES[name].items():
        assert cited["source"], key
        assert _same(_loaded(rules, key), cited["value"]), (name, key, _loaded(rules, key), cited["value"])


def test_hubei_bands_are_its_sources_80_50() -> None:
    hubei = targetexpr.load_rules("hubei")
    assert _band(hubei, "partial") == [Fraction(1, 2), Fraction(4, 5)]
    assert hubei.grade_required is False
    assert hubei.bonus_points is False


# --- item 4: verdict, score and flag agree ------------------------------------------------------


def test_equal_above_is_flagged_and_the_verdict_is_the_rule_sets() -> None:
    system = targetexpr.evaluate("=100%", "101%", points=10, rules="system")
    assert (system.met, system.score, system.band) == (True, Decimal("10.00"), targetexpr.scoring.Band.MET)
    assert "equal_exceeded" in system.flags
    assert "over_completion" not in system.flags
    national = targetexpr.evaluate("=100%", "101%", points=10)
    assert (national.met, national.score) == (False, Decimal("10.00"))
    assert "equal_exceeded" in national.flags
    assert "not met as written" in national.reason
    exact = targetexpr.evaluate("=100%", "100%", points=10)
    assert exact.met is True
    assert "equal_exceeded" not in exact.flags


def test_over_completion_threshold_is_a_setting() -> None:
    assert "over_completion" in targetexpr.evaluate("≥100人", "120人", points=10).flags
    assert "over_completion" not in targetexpr.evaluate("≥100人", "119人", points=10).flags
    custom = {"name": "gx", "extends": "national", "quantitative": {"over_completion": 1.3}}
    assert "over_completion" not in targetexpr.evaluate("≥100人", "125人", rules=custom).flags
    off = {"name": "off", "extends": "national", "quantitative": {"over_completion": False}}
    assert "over_completion" not in targetexpr.evaluate("≥100人", "500人", rules=off).flags
    with pytest.raises(targetexpr.RuleSetError, match="over_completion"):
        targetexpr.load_rules({"name": "bad", "extends": "national", "quantitative": {"over_completion": 0.9}})


def test_deviation_is_a_flag_never_a_deduction() -> None:
    r = targetexpr.evaluate("≥95%", "90%", points=10)
    assert "deviation" in r.flags
    assert r.score == Decimal("9.47")
    off = {"name": "quiet", "extends": "national", "deviation": {"flag": False}}
    assert "deviation" not in targetexpr.evaluate("≥95%", "90%", points=10, rules=off).flags
    assert "deviation" not in targetexpr.evaluate("≥95%", "96%", points=10).flags
    row = targetexpr.Row("a", "≥95%", "90%", 10, level1="产出指标")
    (scored,) = targetexpr.score_table([row]).rows
    assert any(n.startswith("deviation_reason_missing") for n in scored.notes)
    explained = targetexpr.Row("a", "≥95%", "90%", 10, level1="产出指标", deviation_reason="设备延期到货")
    (scored,) = targetexpr.score_table([explained]).rows
    assert not any(n.startswith("deviation_reason_missing") for n in scored.notes)


# --- item 9: Tianjin ----------------------------------------------------------------------------


def test_tianjin_marks_missed_reverse_and_unequal_rows_for_manual_scoring() -> None:
    assert "manual_scoring" in targetexpr.evaluate("≤10%", "12.5%", points=10, rules="tianjin").flags
    assert "manual_scoring" in targetexpr.evaluate("=100%", "101%", points=10, rules="tianjin").flags
    assert "manual_scoring" not in targetexpr.evaluate("≤10%", "8%", points=10, rules="tianjin").flags
    assert "manual_scoring" not in targetexpr.evaluate("=100%", "100%", points=10, rules="tianjin").flags
    assert "manual_scoring" not in targetexpr.evaluate("≤10%", "12.5%", points=10, rules="system").flags
    with pytest.raises(targetexpr.RuleSetError, match="manual_scoring"):
        targetexpr.load_rules({"name": "x", "extends": "national", "quantitative": {"manual_scoring": ["all"]}})


# --- item 6: one fact, one score ----------------------------------------------------------------


@given(
    change=st.sampled_from(["增长", "下降"]),
    amount=st.integers(1, 300).map(lambda n: Decimal(n) / 10),
    op=st.sampled_from(["", "≥", "≤"]),
    stated=st.integers(-500, 500).map(lambda n: Decimal(n) / 10),
    rules=st.sampled_from(["national", "system"]),
)
def test_both_spellings_of_one_change_score_the_same(
    change: str, amount: Decimal, op: str, stated: Decimal, rules: str
) -> None:
    target = f"较上年{change}{op}{amount}%"
    word = "增长" if stated >= 0 else "下降"
    by_change = targetexpr.evaluate(target, f"{word}{abs(stated)}%", points=10, rules=rules)
    by_value = targetexpr.evaluate(target, f"{200 + 2 * stated}万元", baseline="200万元", points=10, rules=rules)
    assert (by_change.met, by_change.score, by_change.completion) == (
        by_value.met,
        by_value.score,
        by_value.completion,
    )


@given(
    amount=st.integers(1, 100).map(lambda n: Decimal(n) / 10),
    stated=st.integers(-300, 300).map(lambda n: Decimal(n) / 10),
    change=st.sampled_from(["提高", "下降"]),
)
def test_both_spellings_of_percentage_points_score_the_same(amount: Decimal, stated: Decimal, change: str) -> None:
    target = f"较上年{change}{amount}个百分点"
    word = "提高" if stated >= 0 else "下降"
    by_change = targetexpr.evaluate(target, f"{word}{abs(stated)}个百分点", points=10)
    by_value = targetexpr.evaluate(target, f"{50 + stated}%", baseline="50%", points=10)
    assert (by_change.met, by_change.score, by_change.completion) == (
        by_value.met,
        by_value.score,
        by_value.completion,
    )


@given(
    stated=st.integers(-500, 500).map(lambda n: Decimal(n) / 10), target=st.sampled_from(["不低于上年", "与上年持平"])
)
def test_both_spellings_against_the_baseline_itself_score_the_same(stated: Decimal, target: str) -> None:
    word = "增长" if stated > 0 else ("下降" if stated < 0 else "")
    actual = f"{word}{abs(stated)}%" if word else "与上年持平"
    by_change = targetexpr.evaluate(target, actual, points=10)
    by_value = targetexpr.evaluate(target, f"{200 + 2 * stated}万元", baseline="200万元", points=10)
    assert (by_change.met, by_change.score) == (by_value.met, by_value.score)


# --- items 5, 7, 9: grading ---------------------------------------------------------------------


def test_the_system_grades_the_unrounded_total() -> None:
    # 799995/1000000 × 100 = 79.9995 exactly; rounded half up it is 80.00.  The system grades the
    # unrounded total (DOMAIN.md §5a): 79.9995 < 80 → 良; graded on the rounded 80.00 it would be 优.
    rows = [targetexpr.Row("a", "≥1000000个", "799995个", 100, level1="产出指标")]
    system = targetexpr.score_table(rows, rules="system")
    assert (system.total, system.grade) == (Decimal("80.00"), "良")
    assert any("unrounded total 79.9995" in w and "would be 优" in w for w in system.warnings)
    rounded = {"name": "sys-rounded", "extends": "system", "grading": {"total": "rounded"}}
    assert targetexpr.score_table(rows, rules=rounded).grade == "优"
    (row,) = system.rows
    assert row.unrounded_score == Fraction(799995, 10000)


def test_the_warning_says_what_the_grade_was_computed_on() -> None:
    # 7999/10000 × 100 = 79.99, plus a met row of 100: 179.99 of 200 → 89.995 → 良 (national [80, 90)).
    rows = [
        targetexpr.Row("a", "≥10000个", "7999个", 100, level1="产出指标"),
        targetexpr.Row("b", "≥1个", "1个", 100, level1="效益指标"),
    ]
    card = targetexpr.score_table(rows)
    assert (card.total, card.grade) == (Decimal("179.99"), "良")
    assert any("the grade is taken on the total 179.99 / 200 × 100 = 89.995 out of 100" in w for w in card.warnings)
    assert not any("90.00" in w for w in card.warnings)


def test_hubei_grading_is_optional_and_has_no_bonus_points() -> None:
    rows = [
        targetexpr.Row("a", "≥1个", "1个", 40, level1="产出指标"),
        targetexpr.Row("b", "≥1个", "1个", 40, level1="效益指标"),
        targetexpr.Row("预算执行率", points=20, level1="预算执行率", budget="100万元", spent="100万元"),
        targetexpr.Row("加分项: 创新", "≥1个", "1个", 5, level1="加分项"),
    ]
    card = targetexpr.score_table(rows, rules="hubei")
    assert any("a grade is optional (可以不评级)" in w for w in card.warnings)
    assert any("bonus points (加分)" in w and "不设置加分项" in w for w in card.warnings)
    national = targetexpr.score_table(rows[:3])
    assert not any("optional" in w for w in national.warnings)
