"""Renderings of a target (#16): ``format(t, "zh")`` in the officer's words, ``format(t, "en")``, and the cell
as written (``written``), kept through the dict form."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given

import targetexpr
from targetexpr import datafiles
from targetexpr.nodes import Op
from targetexpr.renderings import word
from targetexpr.strategies import target_text_pairs, targets

# One row per kind and per word choice: the cell, its Chinese rendering, its English rendering.
EXAMPLES = [
    ("≥95%", "不低于95%", "at least 95%"),
    ("95%以上", "不低于95%", "at least 95%"),
    ("≤400万元", "不超过400万元", "at most 400万元"),
    (">40个", "多于40个", "more than 40个"),
    ("超过 100 万元", "超过100万元", "more than 100万元"),
    ("<5%", "低于5%", "less than 5%"),
    ("少于3次", "少于3次", "fewer than 3次"),
    ("≥735人次", "不少于735人次", "at least 735人次"),
    ("约100人", "约100人", "about 100人"),
    ("=300天", "等于300天", "exactly 300天"),
    ("15 个", "15个", "15个"),
    ("2022.12.31前", "2022年12月31日前完成", "by 2022-12-31"),
    ("2022年6月底前", "2022年6月底前完成", "by the end of 2022-06"),
    ("年底前", "年底前完成", "by the end of the year"),
    ("2022年内", "2022年内完成", "within 2022"),
    ("<2022年6月30日", "2022年6月30日前完成(不含当日)", "before 2022-06-30"),
    ("6月底前到位", "6月底前到位", "by the end of month 6 到位"),
    ("较上年提高2个百分点", "较上年提高2个百分点", "up 2 percentage points on the previous year"),
    ("较上年增长2百分点", "较上年提高2个百分点", "up 2 percentage points on the previous year"),
    ("较上年增长5%", "较上年增长5%", "up 5% on the previous year"),
    ("同比下降10%", "同比下降10%", "down 10% year on year"),
    ("较上年增加100万元", "较上年增加100万元", "up 100万元 on the previous year"),
    ("较上年增长不低于5%", "较上年增长不低于5%", "up at least 5% on the previous year"),
    ("较上年有所提高", "较上年有所提高", "up somewhat on the previous year"),
    ("不低于上年水平", "不低于上年", "at least the previous year"),
    ("控制在预算以内", "不超过预算", "at most the budget"),
    ("与上年持平", "与上年持平", "level with the previous year"),
    ("每季度不少于2次", "每季度不少于2次", "at least 2次 per quarter"),
    ("每季度≥2次", "每季度不少于2次", "at least 2次 per quarter"),
    ("每年2-3次", "每年2至3次", "2次 per year to 3次 per year"),
    ("85%-90%", "85%至90%", "85% to 90%"),
    ("5-10个", "5至10个", "5个 to 10个"),
    ("(90%,100%]", "(90%,100%]", "more than 90% and at most 100%"),
    ("2023年1月-10月", "2023年1月至10月", "2023-01 to 2023-10"),
    ("2023.07-2024.01", "2023年7月至2024年1月", "2023-07 to 2024-01"),
    ("及时", "及时", "及时"),
    ("无重大安全事故", "无重大安全事故", "无重大安全事故"),
    ("≤****000元", "不超过****000元", "at most ****000元 (digits masked)"),
    ("≥95%;无投诉", "不低于95%;无投诉", "at least 95%; 无投诉"),
    ("≤50公斤", "不高于50公斤", "at most 50千克"),
    ("≥5 KM", "不低于5km", "at least 5公里"),
    ("保障大楼安全运转,排除风险隐患", "保障大楼安全运转,排除风险隐患", "保障大楼安全运转,排除风险隐患"),
]


@pytest.mark.parametrize(("cell", "zh", "en"), EXAMPLES, ids=[row[0] for row in EXAMPLES])
def test_renderings_of_each_kind(cell: str, zh: str, en: str) -> None:
    t = targetexpr.parse(cell)
    assert format(t, "zh") == zh
    assert f"{t:en}" == en
    assert targetexpr.parse(zh) == t
    assert format(t, "") == str(t) == f"{t}"


def test_the_canonical_text_is_unchanged() -> None:
    # str() stays the one spelling per meaning; the renderings are beside it.
    assert str(targetexpr.parse("较上年提高2个百分点")) == "较上年增长2百分点"
    assert str(targetexpr.parse("≤50公斤")) == "≤50千克"
    assert str(targetexpr.parse("每季度不少于2次")) == "≥2次/个季度"


def test_an_unknown_format_spec_is_an_error() -> None:
    with pytest.raises(targetexpr.TargetValueError, match="format spec"):
        format(targetexpr.parse("≥95%"), "fr")


# --- Civil Code art. 1259 -----------------------------------------------------------------------

#: The words art. 1259 (and ordinary language after it) makes inclusive and exclusive of the bound.
INCLUSIVE_WORDS = {"以上", "以下", "以内", "不低于", "不高于", "不超过", "不少于", "届满"}
EXCLUSIVE_WORDS = {"超过", "不满", "低于", "高于", "多于", "少于", "以外"}


def _op_rows() -> list[tuple[Op, str, str]]:
    rows = []
    for op in Op:
        for context in ("*", "money", "count", "percent", "reference"):
            zh = word(f"op.{op.name.lower()}", context)
            rows.append((op, context, zh))
    return rows


@pytest.mark.parametrize(("op", "context", "zh"), _op_rows(), ids=lambda x: str(getattr(x, "name", x)))
def test_every_comparator_word_means_its_comparator(op: Op, context: str, zh: str) -> None:
    """Each word the rendering uses is a prefix word of data/comparators.tsv with the same comparator, and
    includes or excludes the bound as art. 1259 says (以上/以下/以内/不低于/不高于 include, 超过/不满/低于/高于
    exclude)."""
    info = datafiles.comparators()[zh]
    assert info.position == "prefix"
    assert info.op == op.name.lower()
    if zh in INCLUSIVE_WORDS:
        assert op.inclusive
    if zh in EXCLUSIVE_WORDS:
        assert not op.inclusive
    assert zh in INCLUSIVE_WORDS | EXCLUSIVE_WORDS or op in (Op.EQ, Op.APPROX)


@pytest.mark.parametrize(
    ("cell", "inclusive"),
    [("≥60分", True), (">60分", False), ("≤30分钟", True), ("<30分钟", False), ("≥100万元", True), (">100万元", False)],
)
def test_a_rendered_bound_counts_exactly_when_the_comparator_includes_it(cell: str, inclusive: bool) -> None:
    t = targetexpr.parse(cell)
    back = targetexpr.parse(format(t, "zh"))
    assert back.op.inclusive is inclusive  # type: ignore[union-attr]
    # and the evaluator agrees: the bound itself meets the target exactly when it is included
    bound = str(t.quantity)  # type: ignore[union-attr]
    assert targetexpr.evaluate(format(t, "zh"), bound).met is inclusive


# --- round trip ---------------------------------------------------------------------------------


@given(targets())
def test_the_chinese_rendering_reads_back_to_the_same_target(t: targetexpr.Target) -> None:
    """parse(format(t, "zh")) == t for every target the strategies make: no kind is excluded (an open range end
    keeps its bracket, a comparator without an amount is said with zero, as the canonical text does)."""
    assert targetexpr.parse(format(t, "zh")) == t


@given(target_text_pairs())
def test_a_parsed_cell_rendered_in_chinese_reads_back(pair: tuple[str, targetexpr.Target]) -> None:
    """The same with the officer's own spellings kept (公斤, km, 平米 …, taken from ``written``)."""
    text, expected = pair
    t = targetexpr.parse(text)
    assert t == expected
    assert targetexpr.parse(format(t, "zh")) == t
    format(t, "en")  # every target has an English rendering


# --- the cell as written ------------------------------------------------------------------------


def test_parse_keeps_the_cell_as_written() -> None:
    cell = " 不低于 ９５ ％ "
    t = targetexpr.parse(cell)
    assert t.written == cell
    assert str(t) == "≥95%"
    other = targetexpr.parse("≥95%")
    assert other.written == "≥95%"
    # equality, hashing and repr ignore it
    assert t == other
    assert hash(t) == hash(other)
    assert repr(t) == repr(other)
    assert "written" not in repr(t)
    assert pickle.loads(pickle.dumps(t)).written == cell


def test_compound_parts_keep_their_own_piece_of_the_cell() -> None:
    t = targetexpr.parse("≥ 95 % ; 无投诉")
    assert isinstance(t, targetexpr.Compound)
    assert t.written == "≥ 95 % ; 无投诉"
    assert [p.written for p in t.parts] == ["≥ 95 %", "无投诉"]


def test_nodes_built_by_hand_have_no_written_text() -> None:
    t = targetexpr.Comparison(Op.GE, targetexpr.Quantity(targetexpr.parse("95%").quantity.value))  # type: ignore[union-attr]
    assert t.written is None
    assert "written" not in targetexpr.to_dict(t)


@pytest.mark.parametrize("cell", ["≥ 95 %", "≤50公斤", "≥95%;无投诉", "2022.12.31前", "较上年提高2个百分点", "及时"])
def test_the_dict_form_carries_the_written_text(cell: str) -> None:
    t = targetexpr.parse(cell)
    data = targetexpr.to_dict(t)
    assert data["written"] == cell
    back = targetexpr.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert back == t
    assert back.written == cell
    assert targetexpr.to_dict(back) == data


def test_the_schema_admits_the_written_text() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")
    schema = targetexpr.target_schema()
    for cell in ("≥ 95 %", "≥95%;无投诉", "保障大楼安全运转"):
        jsonschema.validate(targetexpr.to_dict(targetexpr.parse(cell)), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**targetexpr.to_dict(targetexpr.parse("≥95%")), "written": 5}, schema)


def test_from_dict_refuses_a_written_text_that_is_not_a_string() -> None:
    data = {**targetexpr.to_dict(targetexpr.parse("≥95%")), "written": 95}
    with pytest.raises(targetexpr.TargetValueError, match="written"):
        targetexpr.from_dict(data)


def test_an_evaluation_keeps_the_callers_spelling_of_an_equal_target() -> None:
    # The evaluation memo matches equal targets; the result still carries the caller's own node.
    first = targetexpr.parse("≥95%")
    second = targetexpr.parse("不低于95%")
    assert targetexpr.evaluate(first, "96%").target.written == "≥95%"
    assert targetexpr.evaluate(second, "96%").target.written == "不低于95%"
