"""Review (#18), the items left open: last year's table (history.lower), the proposed review grade,
locality rule sets (shanghai, baotou), and real rows for the rules tested on constructed rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from targetexpr import Row, review
from targetexpr.cli import main
from targetexpr.errors import RuleSetError
from targetexpr.table.review import load_review_grade, load_review_rules

CASES = Path(__file__).parent / "cases"
SEED = Path(__file__).parent / "data" / "seed_000_81dbeea5216f0dac.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def found(rows: list[Row], **kwargs: object) -> list[tuple[str, int | None]]:
    result = review(rows, **kwargs)  # type: ignore[arg-type]
    return [(f.rule, f.line) for f in result.findings if not f.rule.startswith("structure.")]


def history(rows: list[Row], previous: list[Row]) -> list[int | None]:
    return [line for rule, line in found(rows, previous=previous) if rule == "history.lower"]


# --- e: last year's table -------------------------------------------------------------------------


def test_a_target_below_last_years_target_or_actual_is_listed() -> None:
    last = [
        Row("专线租赁数", "≥3条", "3条", level1="产出指标", level2="数量指标", line=4),
        Row("系统正常运行率", "≥99%", "99.6%", level1="产出指标", level2="质量指标", line=5),
        Row("用户满意度", "≥90%", "92%", level1="满意度指标", level2="服务对象满意度指标", line=6),
    ]
    now = [
        Row("专线租赁数", "≥2条", level1="产出指标", level2="数量指标", line=10),  # below last year's target
        Row("系统正常运行率", "≥99.5%", level1="产出指标", level2="质量指标", line=11),  # below the actual 99.6%
        Row("用户满意度", "≥95%", level1="满意度指标", level2="服务对象满意度指标", line=12),  # raised: fine
    ]
    assert history(now, last) == [10, 11]
    assert history(now, []) == []
    assert history(now, now) == []  # the same targets, no actuals: nothing weaker


def test_direction_aware_a_higher_ceiling_is_weaker() -> None:
    last = [Row("投诉率", "≤2%", "1.5%", level1="效益指标", level2="社会效益指标")]
    assert history([Row("投诉率", "≤3%", level1="效益指标", level2="社会效益指标", line=1)], last) == [1]
    assert history([Row("投诉率", "≤1%", level1="效益指标", level2="社会效益指标", line=1)], last) == []
    # a bare value takes its direction from 指标性质, else from the name's cue (投诉率: lower is better)
    stated = Row("投诉率", "3%", level1="效益指标", level2="社会效益指标", direction="反向", line=2)
    assert history([stated], last) == [2]
    cue = Row("投诉率", "3%", level1="效益指标", level2="社会效益指标", line=3)
    assert history([cue], last) == [3]


def test_rows_match_by_normalised_names_and_units_convert() -> None:
    last = [Row("设备购置 数量（台）", "≥10台", level1="产出指标(50分)", level2="数量指标")]
    now = [
        Row("设备购置数量", "≥8台", level1="", level2="数量指标", line=1),  # blank 一级: not matched (none above)
        Row("设备购置数量", "≥8台", level1="产出指标", level2="数量指标", line=2),
    ]
    assert history(now, last) == [2]
    money_last = [Row("运维费用", "≥50万元", level1="产出指标", level2="成本指标")]
    assert history([Row("运维费用", "≥400000元", level1="产出指标", level2="成本指标", line=1)], money_last) == [1]
    assert history([Row("运维费用", "≥600000元", level1="产出指标", level2="成本指标", line=1)], money_last) == []
    # units that do not convert, names that match twice, = and qualitative targets: left alone
    assert history([Row("运维费用", "≥40次", level1="产出指标", level2="成本指标", line=1)], money_last) == []
    twice = money_last * 2
    assert history([Row("运维费用", "≥40万元", level1="产出指标", level2="成本指标", line=1)], twice) == []
    assert history([Row("运维费用", "=40万元", level1="产出指标", level2="成本指标", line=1)], money_last) == []


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"]


def test_check_previous_lists_the_finding_and_does_not_fail(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    last = _write(
        tmp_path / "2022.csv",
        [["项目名称", "2022年度信息系统运维项目"], HEADER, ["产出指标", "数量指标", "专线租赁数", "≥3条", "3条"]],
    )
    now = _write(
        tmp_path / "2023.csv",
        [
            ["项目名称", "2023年度信息系统运维项目"],
            HEADER[:4],
            ["产出指标", "数量指标", "专线租赁数", "≥2条"],
            ["产出指标", "成本指标", "运维成本", "≤50万元"],
            ["效益指标", "社会效益指标", "系统可用率", "≥99%"],
            ["满意度指标", "服务对象满意度指标", "用户满意度", "≥95%"],
        ],
    )
    code, out, _ = run(capsys, "check", str(now), "--previous", str(last), "--json")
    assert code == 0  # a finding to review, not a failure
    (result,) = json.loads(out)["reviews"]
    (finding,) = [f for f in result["findings"] if f["rule"] == "history.lower"]
    assert (finding["line"], finding["indicator"], finding["severity"]) == (3, "专线租赁数", "warning")
    assert "≥3条" in finding["message"]
    assert "历史标准" in finding["quote"]
    # Chinese by default
    monkey = pytest.MonkeyPatch()
    monkey.delenv("TARGETEXPR_LANG", raising=False)
    try:
        code, out, _ = run(capsys, "check", str(now), "--previous", str(last))
    finally:
        monkey.undo()
    assert "低于上年" in out
    # the previous table may not be overwritten
    code, _, err = run(capsys, "check", str(now), "--previous", str(last), "-o", str(last))
    assert code == 2
    assert "previous table" in err


def test_the_seed_against_itself_has_no_history_finding(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", str(SEED), "--previous", str(SEED), "--json")
    reviews = json.loads(out)["reviews"]
    assert len(reviews) == 5
    assert not [f for r in reviews for f in r["findings"] if f["rule"] == "history.lower"]


# --- f: the review grade ----------------------------------------------------------------------------

WHOLE = [
    Row("专线租赁数", "≥2条", level1="产出指标", level2="数量指标", line=1),
    Row("运维成本", "≤50万元", level1="产出指标", level2="成本指标", line=2),
    Row("系统可用率", "≥99%", level1="效益指标", level2="社会效益指标", line=3),
    Row("用户满意度", "≥95%", level1="满意度指标", level2="服务对象满意度指标", line=4),
]


def test_the_review_grade_is_off_unless_asked_and_never_official() -> None:
    assert review(WHOLE).grade is None
    assert "grade" not in review(WHOLE).to_dict()
    grade = review(WHOLE, grade=True).grade
    assert grade is not None
    assert (grade.grade, grade.official) == ("优", False)
    assert "not an official" in grade.note
    from targetexpr import language

    with language("zh"):
        chinese = review(WHOLE, grade=True).grade
    assert chinese is not None
    assert "并非官方" in chinese.note
    assert "第二十五条" in grade.source
    table = load_review_grade()
    assert table is not None
    assert table["official"] is False


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (WHOLE, "优"),
        ([*WHOLE, Row("完成时效", "及时", level1="产出指标", level2="时效指标", line=5)], "良"),  # a warning
        (WHOLE[:3], "中"),  # one error: no 满意度 indicator
        ([Row("专线租赁数", "XX", level1="产出指标", level2="数量指标", line=1)], "差"),  # placeholder + 3 missing
    ],
)
def test_the_grade_bands_follow_the_rule_data(rows: list[Row], expected: str) -> None:
    grade = review(rows, grade=True).grade
    assert grade is not None
    assert grade.grade == expected


def test_a_users_grade_table_and_official_refused() -> None:
    mine = {"band": [{"grade": "合格", "max_errors": 0}, {"grade": "不合格"}]}
    assert review(WHOLE, grade=mine).grade.grade == "合格"  # type: ignore[union-attr]
    assert review(WHOLE[:3], grade=mine).grade.grade == "不合格"  # type: ignore[union-attr]
    with pytest.raises(RuleSetError, match="official"):
        review(WHOLE, grade={**mine, "official": True})
    with pytest.raises(RuleSetError, match=r"grade\.band"):
        review(WHOLE, grade={"band": []})


def test_check_review_grade_prints_the_proposal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = _write(tmp_path / "t.csv", [HEADER[:4], *[[r.level1, r.level2, r.indicator, str(r.target)] for r in WHOLE]])
    code, out, _ = run(capsys, "check", str(table))
    assert "proposal" not in out
    assert code == 0
    _, out, _ = run(capsys, "check", str(table), "--review-grade")
    assert "review grade (proposal, not official): 优" in out
    _, out, _ = run(capsys, "check", str(table), "--review-grade", "--json")
    (result,) = json.loads(out)["reviews"]
    assert result["grade"]["grade"] == "优"
    assert result["grade"]["official"] is False


# --- g: locality rule sets ------------------------------------------------------------------------


def test_shipped_sets_extend_national_and_cite_their_locality() -> None:
    national = {r.id for r in load_review_rules("national")[1]}
    places = (("shanghai", {"cost.level", "cost.kind"}, "sh.gov.cn"), ("baotou", {"direction.stated"}, "baotou"))
    for name, own, site in places:
        loaded_name, rules = load_review_rules(name)
        assert loaded_name == name
        assert {r.id for r in rules} == national | own
        local = [r for r in rules if site in r.address]
        assert own <= {r.id for r in local}
        for rule in local:
            assert rule.verified
            assert rule.address.startswith("http")
            assert rule.quote
    baotou = {r.id: r for r in load_review_rules("baotou")[1]}
    assert baotou["direction.reverse"].quote == "五是指标性质、指标方向、目标值和计量单位的准确性和合理性"
    assert load_review_grade("shanghai") == load_review_grade("national")  # inherited


def test_shanghai_cost_rules() -> None:
    under_output = found(WHOLE, rules="shanghai")
    assert ("cost.level", 2) in under_output
    assert ("cost.kind", 2) not in under_output  # 运维: an itemised cost
    own_level = [
        *WHOLE[:1],
        Row("项目成本", "≤50万元", level1="成本指标", level2="经济成本指标", line=2),
        Row("每人培训", "≤500元/人", level1="成本指标", level2="经济成本指标", line=5),
        *WHOLE[2:],
    ]
    result = found(own_level, rules="shanghai")
    assert ("cost.level", 2) not in result
    assert ("cost.kind", 2) in result  # 项目成本: total, unit or itemised?
    assert ("cost.kind", 5) not in result  # 元/人: a unit cost
    assert not [r for r in found(own_level) if r[0].startswith("cost.")]  # national: no such rules


def test_baotou_direction_stated() -> None:
    rows = [*WHOLE, Row("培训人次", "200人次", level1="产出指标", level2="数量指标", line=6)]
    assert ("direction.stated", 6) in found(rows, rules="baotou")
    assert ("direction.stated", 6) not in found(rows)
    stated = [*WHOLE, Row("培训人次", "200人次", level1="产出指标", level2="数量指标", direction="正向", line=6)]
    assert ("direction.stated", 6) not in found(stated, rules="baotou")


def test_extends_and_drop_in_a_users_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nextends = "national"\ndrop = ["weights.total"]\n', encoding="utf-8")
    name, rules = load_review_rules(path)
    assert name == "mine"
    assert "weights.total" not in {r.id for r in rules}
    assert "structure.output" in {r.id for r in rules}
    path.write_text('extends = "nowhere"\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match="not a shipped review rule set"):
        load_review_rules(path)
    with pytest.raises(RuleSetError, match="baotou"):
        load_review_rules("atlantis")  # the message lists the shipped sets


def test_check_selects_a_locality_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = _write(tmp_path / "t.csv", [HEADER[:4], *[[r.level1, r.level2, r.indicator, str(r.target)] for r in WHOLE]])
    code, out, _ = run(capsys, "check", str(table), "--review-rules", "shanghai", "--json")
    assert code == 0  # a warning only
    (result,) = json.loads(out)["reviews"]
    assert result["rules"] == "shanghai"
    assert [f["rule"] for f in result["findings"]] == ["cost.level"]


# --- h: real rows for the rules tested on constructed rows -----------------------------------------


def _real() -> list[dict[str, str]]:
    with (CASES / "review_real.tsv").open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.mark.parametrize("case", _real(), ids=lambda c: f"{c['rule']}-{c['expect']}-{c['row']}")
def test_real_rows(case: dict[str, str]) -> None:
    assert case["source"]
    row = Row(
        case["indicator"],
        case["target"],
        level1=case["level1"],
        level2=case["level2"],
        direction=case["direction"] or None,
        line=1,
    )
    rows = [Row(level1="预算执行率", budget=case["budget"]), row] if case["budget"] else [row]
    flagged = (case["rule"], 1) in found(rows)
    assert flagged == (case["expect"] == "fail")


def test_every_rule_has_real_rows_or_says_why_not() -> None:
    cases = _real()
    for rule in ("timeliness.when", "direction.reverse", "output.input_amount"):
        expects = {c["expect"] for c in cases if c["rule"] == rule}
        assert "pass" in expects
        if "fail" not in expects:
            header = (CASES / "review_real.tsv").read_text(encoding="utf-8")
            assert f"{rule} has real" in header  # the file says why no failing row is real
