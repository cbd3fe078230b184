"""The parsing side in the reader's language (#16): syntax errors, hints, repairs, warnings and the
errors of values, options and dict forms speak Chinese by default and English on request, per call
and per thread; the fields programs read (position, found, expected …) are the same in both."""

from __future__ import annotations

import json
import pickle
import re
from decimal import Decimal

import pytest

import targetexpr
from support import CASES, in_two_languages, read_tsv
from targetexpr.errors import display_width

ZH_CASES = list(read_tsv(CASES / "errors_zh.tsv"))
EN_CASES = [row for row in read_tsv(CASES / "errors.tsv") if row[2] == "TargetSyntaxError"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _error(text: str, **kwargs: object) -> targetexpr.TargetSyntaxError:
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse(text, **kwargs)  # type: ignore[arg-type]
    return info.value


def _caret_line(error: targetexpr.TargetSyntaxError) -> str:
    return next(line for line in str(error).splitlines() if line.strip() == "^")


def _words(message: str) -> str:
    """The message without the cell's text and its quotes: only what targetexpr itself says."""
    return re.sub(r"'[^']*'", "", message.splitlines()[0])


# --- one syntax error in two languages -------------------------------------------------------------


def test_a_syntax_error_in_chinese_and_in_english() -> None:
    text = "≥万元"
    zh, en = _error(text, lang="zh"), _error(text, lang="en")
    assert str(en).splitlines()[0].startswith("unexpected '万' at column 2; expected ")
    first = str(zh).splitlines()[0]
    assert first.startswith("不应出现 '万'（第2个字符）；这里应为：")
    assert "数字" in first
    assert "a number" not in first
    # Everything a program reads is the same in both languages.
    for field in ("text", "position", "column", "found", "expected"):
        assert getattr(zh, field) == getattr(en, field), field
    assert "a number" in zh.expected  # the stable name, not 数字
    assert _caret_line(zh) == _caret_line(en) == "  " + " " * display_width("≥") + "^"


def test_the_unit_and_the_end_of_the_text_are_named_in_chinese() -> None:
    zh = _error("≥40 ↑", lang="zh")
    assert "单位" in str(zh).splitlines()[0]
    assert "a unit" in zh.expected
    end = _error("95%%", lang="zh")
    assert str(end).splitlines()[0].endswith("、文字结尾")
    assert "end of input" in end.expected


@pytest.mark.parametrize("row", EN_CASES, ids=[r[0] or "<empty>" for r in EN_CASES])
def test_every_golden_error_has_the_same_fields_in_both_languages(row: list[str]) -> None:
    text, options = row[0], json.loads(row[1]) if row[1] else {}
    zh, en = _error(text, lang="zh", **options), _error(text, lang="en", **options)
    assert (zh.position, zh.found, zh.expected) == (en.position, en.found, en.expected)
    assert _caret_line(zh) == _caret_line(en)
    assert str(zh).splitlines()[1] == str(en).splitlines()[1]  # the text as given
    assert CJK.search(_words(str(zh))), str(zh)
    assert not CJK.search(_words(str(en)).replace(text, "")) or not re.search("[a-z]{3}", _words(str(zh)))


@pytest.mark.parametrize("row", ZH_CASES, ids=[r[0].strip() or "<blank>" for r in ZH_CASES])
def test_golden_chinese_error(row: list[str]) -> None:
    text, options, column, first_line, hint = row
    kwargs = json.loads(options) if options else {}
    error = _error(text, lang="zh", **kwargs)
    lines = str(error).splitlines()
    assert error.column == int(column)
    assert lines[0] == first_line
    assert lines[-1] == hint if hint else lines[-1].strip() == "^"
    if hint:
        assert error.hint == hint
    assert _caret_line(error) == "  " + " " * display_width(text[: error.position]) + "^"


def test_the_caret_counts_wide_characters_in_both_languages() -> None:
    text = "２０２２年１２月３１日後"  # full-width digits: two columns each
    zh, en = _error(text, lang="zh"), _error(text, lang="en")
    assert zh.position == en.position == len(text) - 1
    assert _caret_line(zh) == _caret_line(en) == "  " + " " * display_width(text[:-1]) + "^"
    assert display_width(text[:-1]) == 2 * (len(text) - 1)


# --- choosing the language -------------------------------------------------------------------------


def test_chinese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG", raising=False)
    assert str(_error("≥")).startswith("内容不完整（在末尾）")
    monkeypatch.setenv("TARGETEXPR_LANG", "en")
    assert str(_error("≥")).startswith("unexpected end of input at the end")


def test_the_call_wins_over_the_context() -> None:
    with targetexpr.language("zh"):
        assert str(_error("≥", lang="en")).startswith("unexpected end of input")
        assert str(_error("≥", options=targetexpr.ParseOptions(lang="en"))).startswith("unexpected end")
        assert str(_error("≥")).startswith("内容不完整")
        analysis = targetexpr.analyze("≥", lang="en")
        assert analysis.error is not None
        assert str(analysis.error).startswith("unexpected end")
    with targetexpr.language("en"):
        assert str(_error("≥", lang="zh")).startswith("内容不完整")
        # lang= wins over options.lang
        assert str(_error("≥", options=targetexpr.ParseOptions(lang="en"), lang="zh")).startswith("内容不完整")
        assert targetexpr.current_language() == "en"  # the call left the context as it was


def test_the_memo_never_hands_an_error_to_the_other_language() -> None:
    text = "≥2022年12月31日"
    messages = [str(_error(text, lang=lang)) for lang in ("zh", "en", "zh", "en")]
    assert messages[0] == messages[2] != messages[1] == messages[3]
    assert messages[0].startswith("日期前只能用")
    assert messages[1].startswith("a date takes")
    zh, en = targetexpr.analyze(text, lang="zh"), targetexpr.analyze(text, lang="en")
    assert str(zh.error) == messages[0]
    assert str(en.error) == messages[1]


def test_errors_before_the_memo_speak_the_language_of_the_call() -> None:
    with targetexpr.language("en"):
        with pytest.raises(targetexpr.TargetValueError, match=r"^year 应为 1900 到 2099 之间的整数"):
            targetexpr.parse("≥95%", year=3, lang="zh")
        with pytest.raises(targetexpr.TargetValueError, match=r"^指标值应为文本"):
            targetexpr.parse(95, lang="zh")  # type: ignore[arg-type]
        with pytest.raises(targetexpr.TargetLengthError, match=r"^指标值最多 256 个字符，此处有 300 个$"):
            targetexpr.parse("1" * 300, lang="zh")
        too_long = targetexpr.analyze("1" * 300, lang="zh")
        assert str(too_long.error) == "指标值最多 256 个字符，此处有 300 个"


def test_parse_options_lang_is_validated() -> None:
    assert targetexpr.ParseOptions(lang="zh_CN").lang == "zh"
    assert targetexpr.ParseOptions(lang="en-US").lang == "en"
    assert targetexpr.ParseOptions().lang is None
    with pytest.raises(targetexpr.TargetValueError) as info:
        targetexpr.ParseOptions(lang="fr")
    assert info.value.field == "lang"
    with pytest.raises(targetexpr.TargetValueError) as info:
        targetexpr.parse("≥95%", lang="klingon")
    assert info.value.field == "lang"


def test_two_threads_in_two_languages_each_get_their_own() -> None:
    texts = ["≥", "≥万元", "2022年12月31日後", "2022年13月前", "10-5个", "≥40 ↑", "十十个", "95%%"]
    seen: dict[str, list[tuple[str, str]]] = {"zh": [], "en": []}

    def work() -> None:
        lang = targetexpr.current_language()
        for _ in range(40):
            for text in texts:
                try:
                    targetexpr.parse(text)
                except targetexpr.TargetSyntaxError as e:
                    seen[lang].append((text, str(e).splitlines()[0]))
                analysis = targetexpr.analyze(text, repair=False)
                assert analysis.error is not None
                seen[lang].append((text, str(analysis.error).splitlines()[0]))

    in_two_languages(work)
    assert len(seen["zh"]) == len(seen["en"]) == 2 * 40 * len(texts)
    for text, line in seen["zh"]:
        assert CJK.search(_words(line)), (text, line)
        assert "column" not in line
        assert "expected" not in line
    for text, line in seen["en"]:
        assert not CJK.search(_words(line).replace(text, "")) or "at column" in line or "at the end" in line
        assert "个字符" not in line
        assert "这里应为" not in line
    # One language, one message per text: nothing leaked from the other thread.
    for lang in ("zh", "en"):
        assert len({line for _, line in seen[lang]}) == len(texts)


# --- what errors carry ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_pickled_error_keeps_its_message(lang: str) -> None:
    error = _error("2022年12月31日後", lang=lang)
    other = "en" if lang == "zh" else "zh"
    with targetexpr.language(other):
        copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert copy == error
    assert copy.expected == error.expected


def test_dimensions_keep_their_stable_name_in_the_error_fields() -> None:
    from targetexpr.units import convert, dimension

    q = targetexpr.Quantity(Decimal(4), targetexpr.Unit("次"))
    with targetexpr.language("en"), pytest.raises(targetexpr.UnitMismatchError) as en:
        convert(q, targetexpr.Unit("元"))
    assert str(en.value) == "4次 (a count of 次) cannot be converted to 元 (money)"
    assert en.value.target_dimension == "money"
    assert en.value.actual_dimension == "a count of 次"
    with targetexpr.language("zh"), pytest.raises(targetexpr.UnitMismatchError) as info:
        convert(q, targetexpr.Unit("元"))
    assert str(info.value) == "4次（以“次”计的数量） 无法换算成 元（金额）"
    assert info.value.target_dimension == "money"
    with targetexpr.language("zh"):
        assert str(dimension(targetexpr.Unit("元"))) == "money"
        assert dimension(targetexpr.Unit("元")).human() == "金额"


# --- analysis: repairs and warnings ---------------------------------------------------------------


def test_repairs_and_warnings_in_both_languages() -> None:
    zh, en = targetexpr.analyze("≥40 ↑", lang="zh"), targetexpr.analyze("≥40 ↑", lang="en")
    assert [r.kind for r in zh.repairs] == [r.kind for r in en.repairs] == ["arrow_for_ge"]
    assert en.repairs[0].message == '"↑" after a number is PDF noise for the classifier 个'
    assert zh.repairs[0].message == "数字后的“↑”是 PDF 提取时产生的杂字，原本是量词“个”"
    repeated = targetexpr.analyze("2条2条", lang="zh")
    assert repeated.repairs[-1].message == "值 '2条' 在两个单元格中重复出现，已只保留一个"
    warn_zh, warn_en = targetexpr.analyze("≥290%", lang="zh"), targetexpr.analyze("≥290%", lang="en")
    assert warn_en.warnings == ("290% is above 100%: possibly '≥90%' with ≥ misread as 2 in extraction (not repaired)",)
    assert warn_zh.warnings == ("290% 超过100%：可能原为“≥90%”，提取时把 ≥ 误识别为 2（未修复）",)
    assert warn_zh.target == warn_en.target


# --- values, options, dict forms and columns --------------------------------------------------------


def test_value_and_dict_form_errors_speak_chinese() -> None:
    with targetexpr.language("zh"):
        with pytest.raises(targetexpr.TargetValueError, match=r"^不存在13月$") as info:
            targetexpr.CalendarDate(2022, 13)
        assert info.value.field == "month"
        with pytest.raises(targetexpr.TargetValueError, match=r"^缺少 quantity$") as info:
            targetexpr.from_dict({"kind": "comparison", "op": "ge"})
        assert info.value.field == "quantity"
        with pytest.raises(targetexpr.TargetValueError, match=r"^kind 应为 'comparison', .* 之一，而不是 'nope'$"):
            targetexpr.from_dict({"kind": "nope"})
        with pytest.raises(targetexpr.RuleSetError, match=r"^没有评分规则 'nope'"):
            targetexpr.load_rules("nope")
    with targetexpr.language("en"), pytest.raises(targetexpr.TargetValueError, match=r"^month 13 does not exist$"):
        targetexpr.CalendarDate(2022, 13)


def test_parse_many_speaks_the_language_of_the_call() -> None:
    rows = targetexpr.parse_many(["≥95%", "≥"], lang="zh")
    assert rows[0].error is None
    assert rows[1].error == (
        "内容不完整（在末尾）；这里应为：日期、数字、年份（如2022年）、-、¥、±、万分之、千分之、百分之、第"
    )
    en = targetexpr.parse_many(["≥"], lang="en")
    assert en[0].error is not None
    assert en[0].error.startswith("unexpected end of input at the end")
    assert en[0].error_position == rows[1].error_position
    with pytest.raises(targetexpr.TargetValueError, match=r"^texts 应为序列"):
        targetexpr.parse_many(3, lang="zh")
