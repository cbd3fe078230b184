"""Scoring: rule sets, the real self-evaluation rows, whole tables, and the scoring properties."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import targetexpr
from support import DATA, TESTS, read_dicts
from targetexpr import Row, score_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS / "tools"))
import published_scores  # noqa: E402

EXPECTED = read_dicts(DATA / "selfeval_expected.tsv")
CORPUS = {i: row for i, row in enumerate(read_dicts(DATA / "real_targets.tsv"), start=2)}


def _row(case: dict[str, str]) -> Row:
    source = CORPUS[int(case["line"])]
    level1 = source["level1"] if case["target"] else "预算执行率"
    return Row(
        indicator=source["level3"],
        target=case["target"] or None,
        actual=case["actual"],
        points=case["points"],
        published_score=case["published"] or None,
        level1=level1,
        level2=source["level2"],
        budget=case["budget"] or None,
        spent=case["spent"] or None,
        line=int(case["line"]),
    )


@pytest.mark.parametrize("case", EXPECTED, ids=[c["line"] for c in EXPECTED])
@pytest.mark.parametrize("rules", ["national", "system"])
def test_real_row_formula_score(case: dict[str, str], rules: str) -> None:
    card = score_table([_row(case)], rules=rules, year=2019)
    (scored,) = card.rows
    expected = case[rules]
    assert (str(scored.score) if scored.score is not None else "") == expected, (scored.error, scored.notes)
    if case["met"] != "-":
        assert scored.met == (case["met"] == "yes")
    # The published score is kept beside the formula score, never overwritten.
    if case["published"]:
        assert scored.published_score == Decimal(case["published"])


def test_departures_are_what_the_scorer_reports() -> None:
    for case in EXPECTED:
        (scored,) = score_table([_row(case)], year=2019).rows
        if case["departure"] == "agrees":
            assert scored.differs is False, case
        elif case["departure"] in ("no formula", "no published score"):
            assert scored.differs is None, case
        else:
            assert scored.differs is True, case


def test_published_scores_report_states_the_computed_figures() -> None:
    # The figures come from tests/tools/published_scores.py; the departure column of the data is
    # the script's classification, and the report states every figure the script computes.
    report = (ROOT / "docs" / "published-scores.md").read_text(encoding="utf-8")
    rows = published_scores.rows()
    assert {r.line: r.verdict for r in rows} == {int(c["line"]): c["departure"] for c in EXPECTED}
    for name, count in published_scores.figures(rows).items():
        assert re.search(rf"\| {re.escape(name)} \| {count} \|", report), f"{name}: {count} not in the report"
    assert f"**{len(EXPECTED)} rows**" in report
    # Every formula score the script uses rounds to the hand-computed one.
    rules = targetexpr.load_rules()
    for r in rows:
        if r.exact is not None and r.formula is not None:
            assert rules.round(r.exact) == r.formula, r.line


def _block(first: int, last: int) -> list[Row]:
    rows = []
    for line in range(first, last + 1):
        r = CORPUS[line]
        rows.append(
            Row(
                r["level3"],
                r["target"] or None,
                r["actual"] or None,
                r["points"] or None,
                r["score"] or None,
                r["level1"],
                r["level2"],
                line=line,
            )
        )
    return rows


def test_parent_rows_are_scored_from_their_sub_rows() -> None:
    # l.77–90 (Anhui layout): ★ parent rows carry the points; sub-rows carry target and actual.
    card = score_table(_block(77, 90))
    kinds = [(r.row.line, r.kind, str(r.score) if r.score is not None else None) for r in card.rows]
    assert kinds[0] == (77, "group", "10.00")
    assert kinds[2] == (79, "group", "10.00")
    assert kinds[7] == (84, "group", "10.00")
    assert [k for k in kinds if k[1] == "sub"] == [(n, "sub", None) for n in (78, 80, 81, 82, 83, 85, 86, 87, 88)]
    # l.89: a parent row whose sub-rows were cut off: no verdict, counted as unscored.
    assert kinds[12] == (89, "group", None)
    assert kinds[13] == (90, "execution", "10.00")
    assert len(card.rows) == 14  # no row lost
    assert card.total == Decimal("40.00")


def test_whole_corpus_table_keeps_every_row_in_order() -> None:
    rows = [
        Row(
            r["level3"],
            r["target"] or None,
            r["actual"] or None,
            r["points"] or None,
            r["score"] or None,
            r["level1"],
            r["level2"],
            line=i,
        )
        for i, r in CORPUS.items()
    ]
    card = score_table(rows, year=2019)
    assert [r.row.line for r in card.rows] == list(CORPUS)
    assert all(r.row is rows[i] or r.row.line == rows[i].line for i, r in enumerate(card.rows))


def test_subtotals_total_and_grade() -> None:
    rows = [
        Row("数量", "≥10个", "10个", 50, level1="产出指标(50分)"),
        Row("效益", "持续改善", "部分达成年度指标并具有一定效果", 30, level1="效益指标"),
        Row("满意度", "≥90%", "85%", 10, level1="满意度指标"),
        Row("预算执行率", points=10, level1="预算执行率", budget="100万元", spent="95万元"),
    ]
    card = score_table(rows)
    assert [(s.level1, str(s.points), str(s.score)) for s in card.subtotals] == [
        ("产出指标", "50", "50.00"),
        ("效益指标", "30", "21.00"),
        ("满意度指标", "10", "9.44"),
        ("预算执行率", "10", "9.50"),
    ]
    assert card.total == Decimal("89.94")
    assert card.grade == "良"  # [80, 90)
    assert score_table(rows, rules="system").grade == "优"  # ≥ 80
    assert card.warnings == ()


def test_grade_bands_are_half_open() -> None:
    rules = targetexpr.load_rules()
    assert rules.grade(Decimal("89.99")) == "良"
    assert rules.grade(Decimal(90)) == "优"
    assert rules.grade(Decimal("59.99")) == "差"
    assert targetexpr.load_rules("system").grade(Decimal(75)) == "良"


def test_rows_that_fail_keep_their_error_and_the_run_goes_on() -> None:
    rows = [
        Row("a", "≥", "5", 10, level1="产出指标"),
        Row("b", "≤300万元", "4次", 10, level1="产出指标"),
        Row("c", "≥95%", "96%", 10, level1="产出指标"),
        Row("d", "≥95%", "96%", "ten", level1="产出指标"),
    ]
    card = score_table(rows)
    assert [r.error is not None for r in card.rows] == [True, True, False, True]
    assert "unexpected end of input" in str(card.rows[0].error)
    assert "cannot be compared" in str(card.rows[1].error)
    assert card.rows[2].score == Decimal("10.00")
    assert any("could not be scored" in w for w in card.warnings)


def test_merged_level_cells_inherit_the_row_above() -> None:
    rows = [
        Row("a", "≥1个", "1个", 10, level1="产出指标", level2="数量指标"),
        Row("b", "≥1个", "1个", 10),
        Row("c", "≥90%", "95%", 10, level1="满意度指标"),
    ]
    card = score_table(rows)
    assert [(r.level1, r.row.level2) for r in card.rows] == [
        ("产出指标", "数量指标"),
        ("产出指标", "数量指标"),
        ("满意度指标", ""),
    ]


def test_direction_from_name_cues_is_noted() -> None:
    row = Row("项目预算", "400万元", "380万元", 10, level1="产出指标", level2="成本指标")
    (scored,) = score_table([row]).rows
    assert scored.met is True
    assert any("inferred" in n for n in scored.notes)
    (plain,) = score_table([row], infer_direction=False).rows
    assert plain.met is False


def test_relative_to_budget_uses_the_table_budget() -> None:
    (scored,) = score_table([Row("成本控制", "不超过预算", "380万元", 10, level1="产出指标")], budget="400万元").rows
    assert scored.met is True
    assert scored.score == Decimal("10.00")


def test_qualitative_published_score_is_checked_against_its_band() -> None:
    rows = [
        Row("a", "及时", "部分达成年度指标", 10, published_score=6.5, level1="产出指标"),
        Row("b", "及时", "部分达成年度指标", 10, published_score=9, level1="产出指标"),
    ]
    first, second = score_table(rows).rows
    assert first.differs is False
    assert second.differs is True
    assert any("outside the band" in n for n in second.notes)


def test_weight_warnings() -> None:
    rows = [Row("a", "≥1个", "1个", 40, level1="产出指标"), Row("b", "≥1个", "1个", 60, level1="效益指标")]
    warnings = score_table(rows).warnings
    assert any("产出指标 rows carry 40 points; rule set 'national' weights it 50" in w for w in warnings)
    hubei = score_table(rows, rules="hubei").warnings
    assert any("产出指标 rows carry 40" in w for w in hubei) is False


def test_nothing_passed_in_is_mutated() -> None:
    rows = [{"indicator": "a", "target": "≥1个", "actual": "1个", "points": 10, "level1": "产出指标"}]
    before = [dict(r) for r in rows]
    score_table(rows)
    assert rows == before


# --- rule sets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["national", "system", "legacy", "hubei", "sichuan"])
def test_shipped_rule_sets_load(name: str) -> None:
    rules = targetexpr.load_rules(name)
    assert rules.name == name
    assert rules.sources


def test_rule_set_from_a_copied_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nextends = "national"\n[quantitative]\nlower = "linear"\n', encoding="utf-8")
    result = targetexpr.evaluate("≤10%", "12.5%", points=10, rules=path)
    assert result.score == Decimal("7.50")
    assert result.rules == "mine"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "x", "extends": "national", "quantitative": {"lower": "cubic"}}, "lower"),
        ({"name": "x", "qualitative": {"met": [0.8], "partial": [0.6, 0.8], "not_met": [0, 0.6]}}, "met"),
        ({"extends": "nope", "name": "x"}, "unknown rule set"),
        ({"name": "x", "extends": "national", "weights": {"产出指标": "fifty"}}, "number"),
        ({"title": "no name"}, "needs a name"),
    ],
)
def test_malformed_rule_sets(data: dict[str, object], message: str) -> None:
    with pytest.raises(targetexpr.RuleSetError, match=message):
        targetexpr.load_rules(data)


# --- properties ---------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2)


@given(
    a=amounts,
    b1=amounts,
    b2=amounts,
    op=st.sampled_from(["≥", ">", "", "="]),
    rules=st.sampled_from(["national", "system"]),
)
def test_higher_is_better_never_scores_a_larger_actual_lower(
    a: Decimal, b1: Decimal, b2: Decimal, op: str, rules: str
) -> None:
    low, high = sorted((b1, b2))
    s1 = targetexpr.evaluate(f"{op}{a}个", f"{low}个", points=10, rules=rules).score
    s2 = targetexpr.evaluate(f"{op}{a}个", f"{high}个", points=10, rules=rules).score
    assert s1 is not None
    assert s2 is not None
    assert s1 <= s2


@given(a=amounts, b1=amounts, b2=amounts, op=st.sampled_from(["≤", "<"]), rules=st.sampled_from(["national", "system"]))
def test_lower_is_better_never_scores_a_larger_actual_higher(
    a: Decimal, b1: Decimal, b2: Decimal, op: str, rules: str
) -> None:
    low, high = sorted((b1, b2))
    s1 = targetexpr.evaluate(f"{op}{a}万元", f"{low}万元", points=10, rules=rules).score
    s2 = targetexpr.evaluate(f"{op}{a}万元", f"{high}万元", points=10, rules=rules).score
    assert s1 is not None
    assert s2 is not None
    assert s1 >= s2


@given(a=amounts, b=amounts, op=st.sampled_from(["≥", "≤", ">", "<", "=", ""]))
def test_the_same_actual_in_other_units_gives_the_same_verdict(a: Decimal, b: Decimal, op: str) -> None:
    in_wan = targetexpr.evaluate(f"{op}{a}万元", f"{b}万元", points=10)
    in_yuan = targetexpr.evaluate(f"{op}{a}万元", f"{b * 10000}元", points=10)
    assert (in_wan.met, in_wan.score, in_wan.completion) == (in_yuan.met, in_yuan.score, in_yuan.completion)
    minutes = targetexpr.evaluate(f"{op}{a}小时", f"{b * 60}分钟", points=10)
    hours = targetexpr.evaluate(f"{op}{a}小时", f"{b}小时", points=10)
    assert (minutes.met, minutes.score) == (hours.met, hours.score)


@given(
    a=amounts,
    b=st.decimals(min_value=Decimal(-1000), max_value=Decimal(10**7), places=3),
    op=st.sampled_from(["≥", "≤", ">", "<", "=", "", "≈"]),
    points=st.integers(0, 100),
    rules=st.sampled_from(["national", "system", "legacy"]),
)
def test_score_lies_within_zero_and_the_points(a: Decimal, b: Decimal, op: str, points: int, rules: str) -> None:
    assume(not (op == "" and a == 0))
    result = targetexpr.evaluate(f"{op}{a}%", f"{b}%", points=points, rules=rules, tolerance="5%")
    if result.score is not None:
        assert 0 <= result.score <= points


@given(
    change=st.sampled_from(["增长", "下降"]),
    amount=st.integers(0, 300).map(lambda n: Decimal(n) / 10),
    op=st.sampled_from(["", "≥", ">", "≤", "<"]),
    stated=st.integers(-500, 500).map(lambda n: Decimal(n) / 10),
)
def test_a_stated_change_is_judged_as_the_values_it_implies(
    change: str, amount: Decimal, op: str, stated: Decimal
) -> None:
    # "增长6%" against "较上年增长5%" needs no baseline; it must agree with the actual value that
    # change implies on any baseline (here 200), judged the usual way.
    target = f"较上年{change}{op}{amount}%"
    word = "增长" if stated >= 0 else "下降"
    by_change = targetexpr.evaluate(target, f"{word}{abs(stated)}%", points=10)
    by_value = targetexpr.evaluate(target, f"{200 + 2 * stated}万元", baseline="200万元", points=10)
    assert by_change.met == by_value.met
    assert "actual_states_change" in by_change.flags
