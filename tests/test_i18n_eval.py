"""The language of evaluating, scoring and tables (#16): reasons, flags, notes, warnings, findings and
errors in Chinese by default and in English on request, per call and per thread, never leaking
through the memo of evaluate()."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import targetexpr
from support import in_two_languages
from targetexpr import EvalOptions, Row, describe_flag, evaluate, language
from targetexpr.evaluator.cues import cues
from targetexpr.evaluator.dispatch import _memoised
from targetexpr.evaluator.flags import FLAG_SENTENCES
from targetexpr.i18n import current_language
from targetexpr.table.review import load_review_rules

SRC = Path(targetexpr.__file__).parent
HAN = re.compile(r"[\u4e00-\u9fff]")
#: English words of four letters or more: a Chinese sentence has none outside its quoted data.
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


def _english_words(text: str) -> list[str]:
    """English words outside quotes (a quoted rule set name or cell is data, not a sentence)."""
    return ENGLISH_WORD.findall(re.sub(r"'[^']*'", "", text))


# --- reasons for each kind of target, in both languages -------------------------------------------

# target, actual, keyword arguments, what the Chinese reason says, what the English reason says.
KINDS: list[tuple[str, str, object, dict[str, Any], list[str], list[str]]] = [
    (
        "quantity met",
        "≥90%",
        "95%",
        {"points": 5},
        ["实际完成值 95% ≥ 目标值 90%", "达成", "完成率 105.56%", "正向指标:实际值÷目标值", "得分 5.00(分值 5)"],
        ["95% ≥ 90%: met", "completion 105.56% by B/A (正向)", "score 5.00 of 5"],
    ),
    (
        "quantity missed",
        "≥95%",
        "90%",
        {"points": 10},
        ["实际完成值 90% < 目标值 95%:未达成", "完成率 94.74%", "得分 9.47(分值 10)"],
        ["90% < 95%: not met", "completion 94.74%", "score 9.47 of 10"],
    ),
    (
        "quantity converted, lower is better",
        "≤600万元",
        "5,987,500元",
        {},
        ["实际完成值 5,987,500元 = 598.75万元", "598.75万元 ≤ 目标值 600万元:达成", "反向指标:目标值÷实际值"],
        ["5,987,500元 = 598.75万元", "598.75万元 ≤ 600万元: met", "A/B (反向)"],
    ),
    (
        "range",
        "80%~90%",
        "95%",
        {"points": 5},
        ["不在目标区间 80%~90% 内:未达成", "完成率 94.74%", "按较近的区间端点计算", "得分 4.74(分值 5)"],
        ["95% is not within 80%~90%: not met", "on the nearer end", "score 4.74 of 5"],
    ),
    (
        "deadline met",
        "2022年12月31日前",
        "2022年11月30日",
        {"points": 5},
        ["截止日期 2022年12月31日(含当日)", "实际 2022年11月30日 完成:按期", "得分 5.00(分值 5)"],
        ["on or before 2022-12-31 (the deadline day counts): on time", "score 5.00 of 5"],
    ),
    (
        "deadline missed",
        "2022年12月31日前",
        "2023/1/3",
        {"points": 5},
        ["截止日期 2022年12月31日", "2023年1月3日", "未按期", "得分 0.00"],
        ["not on or before 2022-12-31", "late", "0.00"],
    ),
    (
        "period",
        "2022年1月至6月",
        "2022年3月",
        {},
        ["在 2022年1月1日至2022年6月30日 期间内"],
        ["is within 2022-01-01–2022-06-30"],
    ),
    (
        "relative with a baseline",
        "较上年增长5%",
        "104万元",
        {"baseline": "100万元", "points": 10},
        ["基期值 100万元 × (1 + 5%) = 105万元", "未达成", "按变动幅度计算:实际变动 4%,目标变动 5%", "完成率 80.00%"],
        ["baseline 100万元 × (1 + 5%) = 105万元", "not met", "a change of 4% against 5%", "completion 80.00%"],
    ),
    (
        "relative, the actual states the change",
        "较上年增长5%",
        "增长6%",
        {},
        ["实际完成值给出的是变动幅度(增长6%)", "实际完成值 6% ≥ 目标值 5%:达成"],
        ["the actual states the change (增长6%)", "6% ≥ 5%: met"],
    ),
    (
        "qualitative",
        "持续改善",
        "有所改善",
        {"points": 5},
        ['"有所改善"肯定了"持续改善"', "达成年度指标", "得分区间 [4.00, 5.00]", "建议得分 5.00"],
        ["有所改善 affirms 持续改善", "score in [4.00, 5.00]", "proposed 5.00"],
    ),
    (
        "compound",
        "≥95%;≤100%",
        "96%",
        {"points": 4},
        ["同一个实际完成值分别与", "[≥95%]", "各项均达成:得分 4.00(分值 4)"],
        ["one actual for both bounds", "[≥95%]", "all parts met: score 4.00 of 4"],
    ),
    (
        "free text target",
        "加强项目管理,提高服务水平",
        "12次",
        {},
        ["不是可衡量的指标", "达成/部分达成/未达成"],
        ["the target is free text, not a measurable target"],
    ),
    (
        "missing actual",
        "≥90%",
        None,
        {},
        ["未填写实际完成值"],
        ["no actual value"],
    ),
    (
        "direction from the indicator's name",
        "90%",
        "80%",
        {"indicator": "群众投诉率", "points": 5},
        ["三级指标名称含'投诉率',按反向指标评价", "投诉率越低越好", "反向指标:目标值÷实际值", "达成"],
        ["direction 反向 (lower is better) inferred from the 三级指标 word '投诉率'", "fewer is better"],
    ),
]


@pytest.mark.parametrize(("case", "target", "actual", "kwargs", "zh", "en"), KINDS, ids=[k[0] for k in KINDS])
def test_reasons_speak_each_language(
    case: str, target: str, actual: object, kwargs: dict[str, Any], zh: list[str], en: list[str]
) -> None:
    chinese = evaluate(target, actual, lang="zh", **kwargs)
    english = evaluate(target, actual, lang="en", **kwargs)
    for part in zh:
        assert part in chinese.reason, (part, chinese.reason)
    for part in en:
        assert part in english.reason, (part, english.reason)
    # The verdict and numbers do not depend on the language, only the sentences.
    assert (chinese.met, chinese.completion, chinese.score, chinese.flags) == (
        english.met,
        english.completion,
        english.score,
        english.flags,
    )
    assert HAN.search(chinese.reason)
    # Nothing English in the Chinese reason but what the cells themselves say.
    assert _english_words(chinese.reason) == [], chinese.reason
    assert chinese.reason != english.reason


def test_met_and_missed_are_named_as_the_rules_name_them() -> None:
    assert evaluate("≥90%", "95%", lang="zh").reason.split(";")[0].endswith(":达成")
    assert evaluate("≥90%", "85%", lang="zh").reason.split(";")[0].endswith(":未达成")
    assert evaluate("≥90%", "95%", lang="en").reason.split("; ")[0].endswith(": met")


def test_chinese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG", raising=False)
    result = evaluate("≥95%", "90%", points=10)
    assert result.reason.startswith("实际完成值 90% < 目标值 95%:未达成")
    assert targetexpr.check_row({"level2": "时效指标", "indicator": "完成时效", "target": "及时"})["flags"] == [
        "时效指标的指标值应可衡量,此处为定性表述"
    ]


# --- per call, per context, per thread -----------------------------------------------------------


def test_the_call_wins_over_the_context_and_the_context_over_the_environment() -> None:
    with language("zh"):
        assert evaluate("≥95%", "90%", lang="en").reason.startswith("90% < 95%: not met")
        assert evaluate("≥95%", "90%").reason.startswith("实际完成值 90% < 目标值 95%")
        # options.lang is a choice of the caller too: it wins over the context.
        assert evaluate("≥95%", "90%", options=EvalOptions(lang="en")).reason.startswith("90% < 95%")
        # ... and lang= over options.lang.
        assert evaluate("≥95%", "90%", options=EvalOptions(lang="en"), lang="zh").reason.startswith("实际完成值")
    with language("en"):
        assert evaluate("≥95%", "90%", lang="zh").reason.startswith("实际完成值")
        assert current_language() == "en"  # the call did not change the context


def test_errors_raised_by_a_call_speak_its_language() -> None:
    with language("zh"):
        with pytest.raises(targetexpr.UnitMismatchError) as mismatch:
            evaluate("≤300万元", "4次", lang="en")
        assert "cannot be compared" in mismatch.value.message
        with pytest.raises(targetexpr.BaselineRequiredError) as baseline:
            evaluate("较上年增长5%", "110万元")
        assert "基期值" in baseline.value.message
        assert "baseline=" in baseline.value.message
    with pytest.raises(targetexpr.UnitMismatchError) as chinese:
        evaluate("≤300万元", "4次", lang="zh")
    assert "无法比较" in chinese.value.message
    with pytest.raises(targetexpr.TargetValueError) as points:
        evaluate("≥95%", "90%", points="十分", lang="zh")
    assert "分值应为数字" in points.value.message
    with pytest.raises(targetexpr.TargetValueError) as lang:
        evaluate("≥95%", "90%", lang="fr")
    assert lang.value.field == "lang"


def test_rule_set_and_table_errors_speak_the_language_in_effect() -> None:
    with language("zh"), pytest.raises(targetexpr.RuleSetError) as rules:
        targetexpr.load_rules({"name": "x", "extends": "national", "quantitative": {"lower": "cubic"}})
    assert "评分规则集 'x'" in rules.value.message
    with language("en"), pytest.raises(targetexpr.RuleSetError) as english:
        targetexpr.load_rules({"name": "x", "extends": "national", "quantitative": {"lower": "cubic"}})
    assert "quantitative.lower must be 'ratio' or 'linear'" in english.value.message
    with pytest.raises(targetexpr.TableError) as table:
        targetexpr.score_table("not rows", lang="zh")
    assert "可迭代对象" in table.value.message


def test_two_threads_evaluating_the_same_targets_get_their_own_language() -> None:
    _memoised.cache_clear()
    cells = [(k[1], k[2], k[3]) for k in KINDS]
    expected = {lang: [evaluate(t, a, lang=lang, **kw).reason for t, a, kw in cells] for lang in ("zh", "en")}
    _memoised.cache_clear()  # both threads fill the memo at the same time
    seen: dict[str, list[list[str]]] = {"zh": [], "en": []}

    def work() -> None:
        for _ in range(30):
            seen[current_language()].append([evaluate(t, a, **kw).reason for t, a, kw in cells])

    in_two_languages(work)
    for lang in ("zh", "en"):
        assert len(seen[lang]) == 30
        assert all(reasons == expected[lang] for reasons in seen[lang])
    assert expected["zh"] != expected["en"]


def test_the_memo_cannot_hand_a_reason_to_a_caller_of_another_language() -> None:
    _memoised.cache_clear()
    first = evaluate("≥88%", "87%", points=3, lang="zh")
    second = evaluate("≥88%", "87%", points=3, lang="en")
    assert first.reason != second.reason
    with language("zh"):
        again = evaluate("≥88%", "87%", points=3)
    with language("en"):
        english = evaluate("≥88%", "87%", points=3)
    assert again is first  # the memo answered, in the caller's language
    assert english is second
    info = _memoised.cache_info()
    assert info.hits == 2
    assert info.misses == 2
    # An options object made without a language is resolved per call.
    plain = EvalOptions(rules="national")
    assert plain.lang is None
    with language("en"):
        assert evaluate("≥88%", "87%", options=plain).reason.startswith("87% < 88%")
    with language("zh"):
        assert evaluate("≥88%", "87%", options=plain).reason.startswith("实际完成值 87% < 目标值 88%")


def test_eval_options_validates_its_language() -> None:
    assert EvalOptions(lang="zh_CN").lang == "zh"
    assert EvalOptions(lang="en_US.UTF-8").lang == "en"
    assert EvalOptions(lang="en") != EvalOptions(lang="zh")
    with pytest.raises(targetexpr.TargetValueError):
        EvalOptions(lang="fr")


# --- flags ---------------------------------------------------------------------------------------

_RAISED = (
    re.compile(r"\.flag\(\s*\"(\w+)\""),  # the evaluator: run.flag("id", sentence)
    re.compile(r"_read_actual_as\(\s*run,\s*\"(\w+)\""),  # the evaluator: an actual read in another unit
    re.compile(r"(?:flags|extra)\.append\(\s*\"(\w+)\"\s*\)"),  # the column API
    re.compile(r"\(\s*\"([a-z][a-z_]*)\",\s*\)"),  # a flag tuple of one id: ("missing_target",), not ("年",)
    re.compile(r"say\(\s*\"([a-z]+_[a-z_]+): "),  # a table note led by its flag id
)


def _raised_flags() -> set[str]:
    found: set[str] = set()
    files = [SRC / "scoring.py", *(SRC / "evaluator").glob("*.py"), *(SRC / "table").glob("*.py")]
    files += list((SRC / "batch").glob("*.py"))
    for path in files:
        if path.name == "flags.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in _RAISED:
            found |= set(pattern.findall(text))
    return found


def test_every_flag_raised_in_the_code_has_a_sentence() -> None:
    raised = _raised_flags()
    # The extraction finds the flags of every layer (a regression guard for the patterns themselves).
    assert {"over_completion", "on_deadline_day", "missing_target", "fraction_read_as_percentage"} <= raised
    assert {"deviation_reason_missing", "number_cell", "missing"} <= raised
    assert sorted(raised - set(FLAG_SENTENCES)) == [], "flags without a sentence in evaluator/flags.py"
    assert sorted(set(FLAG_SENTENCES) - raised) == [], "sentences of flags the code no longer raises"


@pytest.mark.parametrize("flag", sorted(FLAG_SENTENCES))
def test_every_flag_is_described_in_both_languages(flag: str) -> None:
    zh, en = describe_flag(flag, "zh"), describe_flag(flag, "en")
    assert HAN.search(zh)
    assert zh != flag
    assert en == FLAG_SENTENCES[flag]
    assert len(_english_words(en)) >= 3
    if "_" in flag:
        assert flag not in zh
        assert flag not in en
    with language("zh"):
        assert describe_flag(flag) == zh
        assert describe_flag(flag, "en") == en


def test_flags_stay_ids_in_every_language() -> None:
    zh = evaluate("≥100人", "125人", points=10, lang="zh")
    en = evaluate("≥100人", "125人", points=10, lang="en")
    assert zh.flags == en.flags == ("over_completion", "deviation")
    assert describe_flag("no_such_flag") == "no_such_flag"


# --- tables: score_table, score_rows, check_row, review ------------------------------------------


def _rows() -> list[Row]:
    return [
        Row("满意度", "≥90%", "85%", points=10, level1="满意度指标"),
        Row("群众投诉率", "5%", "4%", points=10, level1="效益指标", level2="社会效益指标"),
        Row("预算执行率", points=10, level1="预算执行率", budget="100万元", spent="95万元"),
    ]


def test_score_table_speaks_the_language_asked() -> None:
    zh = targetexpr.score_table(_rows(), lang="zh")
    en = targetexpr.score_table(_rows(), lang="en")
    assert zh.total == en.total
    assert zh.rows[0].evaluation is not None
    assert en.rows[0].evaluation is not None
    assert zh.rows[0].evaluation.reason.startswith("实际完成值 85% < 目标值 90%:未达成")
    assert en.rows[0].evaluation.reason.startswith("85% < 90%: not met")
    assert any("偏差原因" in n for n in zh.rows[0].notes)
    assert any(n.startswith("deviation_reason_missing") for n in en.rows[0].notes)
    assert any("根据指标名称中的'投诉率'判断指标方向" in n for n in zh.rows[1].notes)
    assert "得分 95.00% × 10 = 9.50" in zh.rows[2].notes[0]
    assert "score 95.00% × 10 = 9.50" in en.rows[2].notes[0]
    assert any("分值合计为 30 分而非100分" in w for w in zh.warnings)
    assert any("the rows carry 30 points, not 100" in w for w in en.warnings)
    assert all(_english_words(w) == [] for w in zh.warnings), zh.warnings


def test_score_rows_keeps_its_language_without_leaking_it_between_rows() -> None:
    with language("zh"):
        rows = targetexpr.score_rows(_rows(), lang="en")
    with language("zh"):
        seen = []
        for scored in rows:
            seen.append(scored)
            assert current_language() == "zh"  # the caller's context between rows
    assert seen[0].evaluation is not None
    assert seen[0].evaluation.reason.startswith("85% < 90%: not met")
    # None: the language in effect when score_rows is called.
    with language("en"):
        later: Iterator[targetexpr.ScoredRow] = targetexpr.score_rows(_rows())
    with language("zh"):
        first = next(later)
    assert first.evaluation is not None
    assert first.evaluation.reason.startswith("85% < 90%")


def test_a_row_error_speaks_the_language_of_the_table() -> None:
    rows = [Row("a", None, "5", points=10, level1="产出指标")]
    assert targetexpr.score_table(rows, lang="zh").rows[0].error == "未填写指标值"
    assert targetexpr.score_table(rows, lang="en").rows[0].error == "no target value (指标值)"


def test_unit_mismatches_name_what_each_side_measures_in_the_language_asked() -> None:
    rows = [Row("预算执行率", points=10, level1="预算执行率", budget="100万元", spent="95次")]
    assert (
        targetexpr.score_table(rows, lang="zh").rows[0].error
        == "执行数 95次(以“次”计的数量) 与预算数 100万元(金额) 无法比较"
    )
    english = targetexpr.score_table(rows, lang="en").rows[0].error
    assert english == "the amount spent 95次 (a count of 次) cannot be compared with the budget 100万元 (money)"
    with pytest.raises(targetexpr.UnitMismatchError) as change:
        evaluate("较上年增加10人", "120万元", baseline="100万元", lang="zh")
    assert "10人(以“人”计的数量)" in change.value.message
    assert "120万元(金额) 无法比较" in change.value.message


def test_check_row_speaks_the_language_asked() -> None:
    fields = {"level2": "数量指标", "indicator": "会议费用", "target": "≤20次"}
    zh = targetexpr.check_row(fields, lang="zh")["flags"]
    en = targetexpr.check_row(fields, lang="en")["flags"]
    assert zh == ['计量单位"次"与指标名称不符(名称含"费用",应为金额)']
    assert en == ["the unit 次 does not fit the indicator name (…费用: money)"]
    assert targetexpr.check_row({"target": ""}, lang="zh")["flags"] == ["指标值为空"]


def test_review_findings_speak_the_language_asked() -> None:
    rows = [Row("完成时效", "及时", level1="产出指标", level2="时效指标", line=4)]
    zh = targetexpr.review(rows, lang="zh")
    en = targetexpr.review(rows, lang="en")
    assert [f.rule for f in zh.findings] == [f.rule for f in en.findings]
    by_rule = {f.rule: f for f in zh.findings}
    assert by_rule["structure.benefit"].message == "没有效益指标"
    assert by_rule["structure.benefit"].change.startswith("增设效益指标")
    assert by_rule["quantify.qualitative"].message == "时效指标的指标值既不是数值,也不是分级分档表述(现为定性表述)"
    english = {f.rule: f for f in en.findings}
    assert english["structure.benefit"].message == "no 效益指标 row"
    assert english["structure.benefit"].change.startswith("add 效益指标 rows")
    # The unit rule reads check_row's unit flags in any language.
    money = [Row("会议费用", "≤20次", level1="产出指标", level2="成本指标", line=5)]
    for lang in ("zh", "en"):
        assert [f.rule for f in targetexpr.review(money, lang=lang).findings if f.line == 5] == ["unit.name"]


# --- the data's sentences ------------------------------------------------------------------------


def test_every_direction_cue_has_its_reason_in_both_languages() -> None:
    assert len(cues()) > 40
    for cue in cues():
        assert _english_words(cue.reason), cue
        assert HAN.search(cue.reason_zh), cue
        assert not _english_words(cue.reason_zh), cue
        assert cue.reason_in("zh") == cue.reason_zh
        assert cue.reason_in("en") == cue.reason


def test_every_review_rule_says_what_to_change_in_both_languages() -> None:
    data = tomllib.loads((SRC / "data" / "review" / "national.toml").read_text(encoding="utf-8"))
    for rule in data["rule"]:
        assert re.search("[A-Za-z]{3}", rule["change_en"]), rule["id"]
        assert HAN.search(rule["change"]), rule["id"]
        assert not re.search("[A-Za-z]", rule["change"]), rule["id"]
        assert HAN.search(rule["checks"]), rule["id"]
        assert rule["checks_en"], rule["id"]
    _, loaded = load_review_rules()
    assert all(r.change_in("zh") == r.change and r.change_in("en") == r.change_en for r in loaded)
    # A rule file of one's own without change_en shows its change in both languages.
    own = {"name": "own", "rule": [{"id": "structure.output", "change": "增设产出指标"}]}
    _, mine = load_review_rules(own)
    assert mine[0].change_in("en") == "增设产出指标"


@pytest.mark.parametrize("name", sorted(p.stem for p in (SRC / "data" / "rules").glob("*.toml")))
def test_every_shipped_rule_set_has_its_title_and_sources_in_both_languages(name: str) -> None:
    rules = targetexpr.load_rules(name)
    assert HAN.search(rules.title_zh)
    assert len(rules.sources_zh) == len(rules.sources) > 0
    assert all(HAN.search(s) for s in rules.sources_zh)
    assert rules.title_in("zh") == rules.title_zh
    assert rules.title_in("en") == rules.title
    assert rules.sources_in("en") == rules.sources
    with language("zh"):
        assert rules.sources_in() == rules.sources_zh


def test_a_rule_file_of_ones_own_does_not_borrow_a_chinese_title() -> None:
    own = targetexpr.load_rules({"name": "own", "extends": "national", "title": "mine"})
    assert own.title_in("zh") == "mine"
    assert own.sources_in("zh") == own.sources == targetexpr.load_rules("national").sources
    chinese = targetexpr.load_rules({"name": "own", "extends": "national", "title": "mine", "title_zh": "我的"})
    assert chinese.title_in("zh") == "我的"


def test_every_dimension_of_the_unit_table_has_a_chinese_name() -> None:
    """A unit mismatch names both dimensions to the officer: none may fall back to its English id
    (``100Mbps(bandwidth)`` was shown before stop 25's review)."""
    from targetexpr import datafiles
    from targetexpr.units import _DIMENSION_NAMES

    dimensions = {info.dimension for info in datafiles.units().values() if info.dimension != "count"}
    assert dimensions <= set(_DIMENSION_NAMES)
    with targetexpr.language("zh"):
        for dimension in dimensions:
            assert not any("a" <= c <= "z" for c in targetexpr.i18n.gettext(_DIMENSION_NAMES[dimension]))
