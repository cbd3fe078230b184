"""Reading real cells as they come (#12): context from the indicator's name, and the real corpora.

The corpus figures are floors that hold today, so that a change that reads fewer real cells fails;
bench/open_world.py prints the figures themselves, for the design half and the held-back half.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from types import ModuleType

import pytest

import targetexpr
from support import DATA


@pytest.mark.parametrize(
    ("cell", "indicator", "reads_as"),
    [
        ("150", "补贴资金(万元)", "150万元"),
        ("90", "造林成活率(≥**%)", "≥90%"),
        ("5200", "工程总投资(≥**万元)", "≥5200万元"),
        ("50", "排污沟(≥米)", "≥50米"),
        ("2", "产床(全复合双体产床)(≥套)", "≥2套"),
        ("1", "粉碎拌合机(11kw)(≥台)", "≥1台"),
        ("10", "任务完成时限(月)", "10个月"),
        ("150万", "市民中心运行维护费", "150万元"),
        ("200", "指标1:接受业务培训人数", "200人"),
        ("95", "项目业主满意度", "95%"),
        ("≥95", "满意度", "≥95%"),
        ("3", "配套电力设施1250KVA变压器3台", "3台"),
        ("3", "支持服务贸易、服务外包企业数量", "3家"),
        ("≤350万/月", "人工成本", "≤350万元/月"),
        ("每亩200", "造林补助标准", "200元/亩"),
        ("每亩300", "造林补助(元/亩)", "300元/亩"),
    ],
)
def test_the_name_gives_what_the_cell_leaves_out(cell: str, indicator: str, reads_as: str) -> None:
    assert targetexpr.parse(cell, indicator=indicator) == targetexpr.parse(reads_as)
    options = targetexpr.ParseOptions(indicator=indicator)
    assert targetexpr.parse(cell, options=options) == targetexpr.parse(reads_as)


@pytest.mark.parametrize(
    ("cell", "indicator"),
    [("5个", "补贴资金(万元)"), ("≤90%", "造林成活率(≥**%)"), ("150", "年度"), ("及时", "资金到位率(%)")],
)
def test_what_the_cell_says_wins_over_the_name(cell: str, indicator: str) -> None:
    assert targetexpr.parse(cell, indicator=indicator) == targetexpr.parse(cell)


def test_a_name_without_a_hint_changes_nothing() -> None:
    assert targetexpr.parse("150", indicator="开展活动") == targetexpr.parse("150")
    # A number in the name that is not the cell's says nothing about the cell's unit.
    assert targetexpr.parse("4", indicator="配套电力设施1250KVA变压器3台") == targetexpr.parse("4")


@pytest.mark.parametrize("cell", ["≤350万/月", "每亩200", "350/月"])
def test_a_unit_of_denominators_only_is_refused_without_a_name_that_completes_it(cell: str) -> None:
    with pytest.raises(targetexpr.TargetSyntaxError, match="does not say what is counted per"):
        targetexpr.parse(cell)
    with pytest.raises(targetexpr.TargetSyntaxError):
        targetexpr.parse(cell, indicator="开展活动")
    assert targetexpr.analyze(cell).target is None


def test_free_text_carries_what_it_found_and_why() -> None:
    node = targetexpr.parse("按每户2000元标准于10月底前发放到位")
    assert isinstance(node, targetexpr.FreeText)
    assert [str(q) for q in node.quantities] == ["2000元"]
    assert node.dates == (targetexpr.CalendarDate(None, 10, end=True),)
    assert node.reason == "several"
    assert (
        node.explain("en")
        == "it holds several numbers, dates or labels, and its words do not say which one is the target"
    )
    assert node.explain("zh") == "含有多个数值、日期或定性词语,文字未说明哪一个是指标值"
    labels = targetexpr.parse("确保全年安全运行,无重大安全事故发生")
    assert isinstance(labels, targetexpr.FreeText)
    assert labels.labels == ("全年", "安全运行", "无重大安全事故")
    assert labels.reason == "no_number"


def test_a_short_note_in_brackets_stays_inside_a_label() -> None:
    node = targetexpr.parse("获得目的国(地区)受众欢迎")
    assert isinstance(node, targetexpr.Qualitative)
    assert node.label == "获得目的国(地区)受众欢迎"


def _open_world_bench() -> ModuleType:
    """bench/open_world.py, whose reading of an annotated row this test shares (one judge, not two)."""
    spec = importlib.util.spec_from_file_location("_open_world_bench", DATA.parent.parent / "bench" / "open_world.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_BENCH = _open_world_bench()
_rows = _BENCH.rows
_agrees = _BENCH.agrees


def test_real_targets_2_read_as_the_officers_read_them() -> None:
    rows = [r for r in _rows("real_targets_2.tsv") if r["target"].strip()]
    agree = sum(_agrees(r) for r in rows)
    assert len(rows) == 107
    assert agree / len(rows) >= Decimal("0.97"), f"{agree} of {len(rows)}"  # 104 of 107 since round 3


def _verdicts(rows: list[dict[str, str]]) -> tuple[int, int]:
    """Self-evaluation rows whose verdict agrees with the published full-or-partial score, of all
    rows with a target, an actual, points and a score (a row without a verdict disagrees)."""
    agree = total = 0
    for row in rows:
        try:
            points, score = Decimal(row["points"]), Decimal(row["score"])
        except (ArithmeticError, ValueError):
            continue
        if not row["actual"].strip() or not row["target"].strip() or points <= 0:
            continue
        total += 1
        year = int(row["year"]) if row["year"].strip().isdigit() else None
        try:
            met = targetexpr.evaluate(
                row["target"].strip(), row["actual"].strip(), indicator=row["indicator"] or None, year=year
            ).met
        except targetexpr.TargetError:
            met = None
        agree += met is not None and met == (score >= points)
    return agree, total


def test_self_evaluation_verdicts_agree_with_the_published_scores() -> None:
    agree, total = _verdicts(_rows("real_targets_2.tsv"))
    assert total == 27
    assert agree / total >= Decimal("0.96"), f"{agree} of {total}"  # 26 of 27 (goal 92%)
    agree, total = _verdicts(_rows("outside_design.tsv"))
    assert total == 47
    # 39 of 47 when round 4 came in (officers' lenient full points for 92%, 97%, 72.74%, 90% against 100%, and more).
    assert Decimal(agree) / total >= Decimal("0.82"), f"{agree} of {total}"


def test_the_design_half_of_the_outside_corpus_is_typed() -> None:
    cells = {r["target"].strip(): r for r in _rows("outside_design.tsv") if r["target"].strip()}
    readable = {t: r for t, r in cells.items() if r["readable"] == "yes"}
    typed = 0
    for text, row in readable.items():
        node = targetexpr.analyze(text, indicator=row["indicator"] or None).target
        typed += node is not None and node.kind != "text"
    assert len(readable) == 98
    # 92 of 98 when round 4 came in; 97 of 98 with the unit written before the number (`%=100`, `公里=125`)
    # and two short clauses around one label. The one left is a list of works the officer reads as text.
    assert Decimal(typed) / len(readable) >= Decimal("0.98"), f"{typed} of {len(readable)}"


@pytest.mark.parametrize(
    ("cell", "indicator", "reading"),
    [
        ("每亩200", "每亩补贴标准", "200元/亩"),  # brief: as with 亩均补贴(元)
        ("每亩200", "亩均补贴(元)", "200元/亩"),
        ("350万/月", "设备单价", "350万元/个月"),
        ("150万", "工程投资", "150万元"),
        ("200/人", "慰问金标准", "200元/人"),
    ],
)
def test_money_names_complete_a_unit_of_denominators_or_a_bare_magnitude(
    cell: str, indicator: str, reading: str
) -> None:
    assert str(targetexpr.parse(cell, indicator=indicator)) == reading


@pytest.mark.parametrize("cell", ["是", "否", "效果明显", "提高普及率", "保持较高满意度", "及时、足额发放", "长期"])
def test_labels_that_are_targets_are_not_taken_for_names_or_questions(cell: str) -> None:
    assert targetexpr.parse(cell).kind == "qualitative"


@pytest.mark.parametrize(
    ("cell", "what"), [("是否达标?", "question"), ("有无重大事故", "question"), ("合格率", "name")]
)
def test_questions_and_names_are_refused_in_both_languages(cell: str, what: str) -> None:
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse(cell)
    assert ("question" if what == "question" else "indicator's name") in str(info.value)
    with pytest.raises(targetexpr.TargetSyntaxError) as zh:
        _zh_parse(cell)
    assert ("问句" if what == "question" else "指标名称") in str(zh.value)


def _zh_parse(cell: str) -> targetexpr.Target:
    with targetexpr.language("zh"):
        return targetexpr.parse(cell)


@pytest.mark.parametrize("cell", ["万元", "公顷", "≥ %", "250-", "工8%", "2学季", "1::1", "≥95%(含90%)"])
def test_an_expected_list_names_each_word_once(cell: str) -> None:
    for lang in ("en", "zh"):
        with targetexpr.language(lang), pytest.raises(targetexpr.TargetSyntaxError) as info:
            targetexpr.parse(cell)
        first = str(info.value).splitlines()[0]
        items = first.split("expected " if lang == "en" else "这里应为：", 1)[-1]
        names = items.split(" | " if lang == "en" else "、")
        assert len(names) == len(set(names)), first


def test_free_text_keeps_per_units_and_counts_in_chinese_numerals() -> None:
    node = targetexpr.parse("按每户2000元/户标准于10月底前发放到位")
    assert isinstance(node, targetexpr.FreeText)
    assert [str(q) for q in node.quantities] == ["2000元/户"]
    counted = targetexpr.parse("培训三次并确保效果明显,一次性验收")
    assert isinstance(counted, targetexpr.FreeText)
    assert [str(q) for q in counted.quantities] == ["3次"]  # 一次性 is a word, not a count
    assert counted.labels == ("效果明显",)
    assert counted.reason == "several"


def test_a_yearless_deadline_and_a_yearless_actual_are_judged_in_one_year() -> None:
    # real_targets.tsv l.188 and l.189: no verdict before; the reason and a flag say what was assumed.
    for target, actual, met in (("9月前", "7月", True), ("11月前", "10月", True), ("9月前", "10月", False)):
        result = targetexpr.evaluate(target, actual)
        assert result.met is met
        assert "same_unnamed_year" in result.flags
        assert "names a year" in result.reason
    # With year= the evaluated year is used and the flag is not raised.
    result = targetexpr.evaluate("9月前", "7月", year=2023)
    assert result.met is True
    assert "same_unnamed_year" not in result.flags
    with targetexpr.language("zh"):
        assert "同一年" in targetexpr.evaluate("9月前", "7月").reason
