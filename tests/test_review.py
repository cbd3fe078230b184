"""The review rules (#18): each rule passes and fails on real rows (line numbers of the TSV files), and
the seed's five tables are reviewed end to end against tests/cases/review_seed.tsv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from targetexpr import Review, Row, review
from targetexpr.cli import main
from targetexpr.cli.rows import _row
from targetexpr.cli.sheets import read_rows, segment
from targetexpr.errors import RuleSetError
from targetexpr.table.review import load_review_rules

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed_000_81dbeea5216f0dac.txt"
GOLDEN = Path(__file__).parent / "cases" / "review_seed.tsv"


def corpus(*lines: int) -> list[Row]:
    """Rows of tests/data/real_targets.tsv by file line number (header = line 1)."""
    with (DATA / "real_targets.tsv").open(encoding="utf-8") as f:
        records = list(csv.DictReader(f, delimiter="\t"))
    return [
        Row(
            records[n - 2]["level3"],
            records[n - 2]["target"] or None,
            level1=records[n - 2]["level1"],
            level2=records[n - 2]["level2"],
            points=records[n - 2]["points"] or None,
            line=n,
        )
        for n in lines
    ]


def rules(result: Review) -> list[tuple[str, int | None]]:
    return [(f.rule, f.line) for f in result.findings]


YONGDE = list(range(2, 12))  # l.2-11: one Yunnan self-evaluation table, 产出/效益/满意度/执行率, points 100


def test_every_rule_is_described_with_its_source() -> None:
    name, loaded = load_review_rules()
    assert name == "national"
    assert {r.id for r in loaded} == {
        "structure.output",
        "structure.benefit",
        "structure.satisfaction",
        "structure.cost",
        "quantify.qualitative",
        "quantify.placeholder",
        "unit.name",
        "timeliness.when",
        "direction.reverse",
        "weights.total",
        "output.input_amount",
        "history.lower",
    }
    for rule in loaded:
        assert rule.severity in ("error", "warning", "info")
        assert rule.checks
        assert rule.checks_en
        assert rule.source
        assert rule.verified is False or (rule.quote and rule.address)
    docs = (Path(__file__).parent.parent / "docs" / "review.md").read_text(encoding="utf-8")
    assert all(f"`{r.id}`" in docs for r in loaded)


def test_structure_and_weights_pass_on_a_whole_real_table() -> None:
    result = review(corpus(*YONGDE))
    assert rules(result) == []
    assert result.cost == "二级"


def test_structure_fails_without_satisfaction_benefit_output_or_cost() -> None:
    without = [r for r in corpus(*YONGDE) if r.level1 != "满意度指标"]
    assert ("structure.satisfaction", None) in rules(review(without))
    assert ("structure.benefit", None) in rules(review([r for r in without if r.level1 != "效益指标"]))
    only_benefit = [r for r in corpus(*YONGDE) if r.level1 == "效益指标"]
    assert ("structure.output", None) in rules(review(only_benefit))
    no_cost = [r for r in corpus(*YONGDE) if "成本" not in r.level2]
    assert ("structure.cost", None) in rules(review(no_cost))


def test_cost_as_a_first_level_indicator_is_accepted() -> None:
    rows = [*corpus(*YONGDE), Row("人均成本", "≤500元", level1="成本指标", level2="经济成本指标")]
    assert review([r for r in rows if "成本" not in r.level2 or r.level1 == "成本指标"]).cost == "一级"


def test_weights_fail_when_points_do_not_sum_to_100() -> None:
    rows = corpus(*YONGDE)[:-1]  # without the 预算执行率 row's 10 points
    assert [f.message for f in review(rows).findings if f.rule == "weights.total"] == [
        "the points given sum to 90, not 100"
    ]


@pytest.mark.parametrize(
    ("rule", "failing", "passing"),
    [
        ("quantify.qualitative", 200, 2),  # l.200 质量指标 '改善条件'; l.2 '≧735人次'
        ("quantify.placeholder", 221, 3),  # l.221 '≤****000元' (masked); l.3 '≧100%'
        ("quantify.placeholder", 227, 3),  # l.227 name '1年', value '1年'
        ("unit.name", 40, 5),  # l.40 家庭医生签约率 '24694人'; l.5 生均补助标准达标率 '═100%'
        ("unit.name", 94, 5),  # l.94 验收合格率 '292%' (≥ read as 2)
    ],
)
def test_row_rules_on_real_rows(rule: str, failing: int, passing: int) -> None:
    assert (rule, failing) in rules(review(corpus(failing)))
    assert rule not in [f.rule for f in review(corpus(passing)).findings]


def test_timeliness_needs_a_date_or_duration() -> None:
    # No corpus row fails this rule; the failing row is made up (a count under 时效).
    made_up = Row("完成时间", "3个", level1="产出指标", level2="时效指标", line=1)
    assert ("timeliness.when", 1) in rules(review([made_up]))
    # l.208 指标1项目完成及时率 '100' (a rate); l.195 '2018年10月底' (a deadline) pass.
    for line in (208, 195):
        assert "timeliness.when" not in [f.rule for f in review(corpus(line)).findings]


def test_reverse_direction_with_at_least() -> None:
    # No real row writes 反向 with ≥; outside_design.tsv's qualifier column has 正向/反向 rows that agree.
    made_up = Row("投诉率", "≥5%", level1="产出指标", level2="质量指标", direction="反向", line=1)
    assert ("direction.reverse", 1) in rules(review([made_up]))
    agreed = Row("投诉率", "≤5%", level1="产出指标", level2="质量指标", direction="反向", line=1)
    assert "direction.reverse" not in [f.rule for f in review([agreed]).findings]


def test_money_as_an_output_quantity() -> None:
    budget = Row("预算执行率", level1="预算执行率", budget="400万元")
    spent = Row("资金投入", "≥300万元", level1="产出指标", level2="数量指标", line=1)  # made up
    assert ("output.input_amount", 1) in rules(review([budget, spent]))
    # The seed's 采购人采购预算 '≥48 亿元' (table 4, row 94) exceeds the 680 万元 budget: a volume, not an input.
    handled = Row("采购人采购预算", "≥48 亿元", level1="产出指标", level2="数量指标", line=94)
    assert "output.input_amount" not in [f.rule for f in review([Row(budget="680万元"), handled]).findings]


def test_a_users_own_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[[rule]]\nid = "structure.cost"\nseverity = "info"\n', encoding="utf-8")
    result = review(corpus(12), rules=str(path))
    assert result.rules == "mine"
    assert [(f.rule, f.severity) for f in result.findings] == [("structure.cost", "info")]
    path.write_text('[[rule]]\nid = "no.such"\n', encoding="utf-8")
    with pytest.raises(RuleSetError):
        review([], rules=path)


def seed_reviews() -> list[tuple[int, Review]]:
    tables: dict[int, list[Row]] = {}
    titles: dict[int, str] = {}
    for item in segment(read_rows(SEED)):
        if item.kind == "header" and not item.continued:
            tables[item.table] = [Row(level1="预算执行率", budget=f"{item.block.budget}万元")]
            titles[item.table] = item.block.title
        elif item.kind == "data":
            tables[item.table].append(_row(item))
    return [(n, review(rows, project=titles[n])) for n, rows in tables.items()]


def test_the_seed_against_the_golden_file() -> None:
    found = [
        [str(n), f.project, f.rule, f.severity, str(f.line), f.indicator, f.cell]
        for n, result in seed_reviews()
        for f in result.findings
    ]
    with GOLDEN.open(encoding="utf-8") as f:
        expected = list(csv.reader(f, delimiter="\t"))[1:]
    assert found == expected
    assert len(seed_reviews()) == 5


def test_check_reviews_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(SEED), "--fail-on", "errors", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0  # the seed's findings are warnings
    assert [len(r["findings"]) for r in out["reviews"]] == [0, 0, 2, 0, 0]
    main(["check", str(SEED), "--fail-on", "errors", "--no-review", "--json"])
    assert json.loads(capsys.readouterr().out)["reviews"] == []


def test_review_errors_set_the_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.csv"
    path.write_text("一级指标,二级指标,三级指标,指标值\n产出指标,数量指标,专线租赁数,2条\n", encoding="utf-8")
    assert main(["check", str(path), "--fail-on", "errors"]) == 1
    assert "structure.benefit" in capsys.readouterr().out
    assert main(["check", str(path), "--fail-on", "errors", "--no-review"]) == 0
