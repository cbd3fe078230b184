"""The batch API (targetexpr.batch), the Series.te accessor, Quantity.to, Deadline.resolve, the schema."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

import targetexpr
from batch_table import generate, target_cells
from targetexpr.batch import EVALUATED_COLUMNS, TARGET_COLUMNS, EvaluatedRow, TargetRow, evaluate_many, parse_many
from targetexpr.datafiles import aside_source, table_rows

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

CELLS = ["≥99.9%", None, float("nan"), "  ", 95, "≥≥1", "年底前", "2022年6月30日前(不含当日)", "5-10个", "较上年增长5%",
         "及时", "≤400 万元", "≤****000元", "≥95%;无投诉", "2023.07-2024.01", "3亩", Decimal("12.5")]  # fmt: skip


def test_parse_many_one_row_per_cell_and_never_raises() -> None:
    rows = parse_many(CELLS, year=2022)
    assert len(rows) == len(CELLS)
    assert all(isinstance(r, TargetRow) for r in rows)
    assert [r.kind for r in rows] == ["comparison", "", "", "", "value", "", "deadline", "deadline", "range",
                                      "relative", "qualitative", "comparison", "masked", "compound", "period",
                                      "value", "value"]  # fmt: skip
    missing = rows[1:4]
    assert all(r.flags == ("missing",) and r.error is None for r in missing)
    assert rows[4].flags == ("number_cell",)
    assert rows[4].value == Decimal(95)
    assert rows[5].error is not None
    assert rows[5].error_position == 1
    assert "\n" not in rows[5].error
    assert rows[6].date == rows[6].deadline == datetime.date(2022, 12, 31)
    assert rows[7].date == datetime.date(2022, 6, 30)
    assert rows[7].deadline == datetime.date(2022, 6, 29)
    assert (rows[8].low, rows[8].high, rows[8].unit) == (Decimal(5), Decimal(10), "个")
    assert (rows[9].op, rows[9].value, rows[9].direction) == (None, Decimal(5), "higher")
    assert rows[10].label == "及时"
    assert (rows[11].unit, rows[11].unit_base, rows[11].factor, rows[11].direction) == (
        "万元",
        "元",
        Decimal(10000),
        "lower",
    )
    assert rows[14].date == datetime.date(2023, 7, 1)
    assert rows[14].deadline == datetime.date(2024, 1, 31)
    assert rows[15].factor is None
    assert "factor_not_decimal" in rows[15].flags
    assert rows[16].value == Decimal("12.5")


def test_parse_many_agrees_with_parse_cell_by_cell() -> None:
    table = generate(3000, seed=1)
    rows = parse_many(table["target"], year=2022)
    for cell, row in zip(table["target"], rows, strict=True):
        if not isinstance(cell, str) or not cell.strip():
            assert row.kind == ""
            continue
        analysis = targetexpr.analyze(cell, year=2022, repair=False)
        if analysis.target is None:
            assert row.kind == ""
            assert row.error == str(analysis.error).split("\n")[0]
            continue
        node = analysis.target
        assert (row.kind, row.canonical) == (node.kind, str(node))


def test_input_kinds_give_the_same_rows() -> None:
    cells = ["≥95%", None, "≤400万元", "15个"]
    expected = parse_many(cells)
    assert parse_many(tuple(cells)) == expected
    assert parse_many(pd.Series(cells)) == expected
    assert parse_many(np.array(cells, dtype=object)) == expected
    assert parse_many(pa.array(cells)) == expected
    assert parse_many(pa.chunked_array([cells[:2], cells[2:]])) == expected
    pl = pytest.importorskip("polars")
    assert parse_many(pl.Series(cells)) == expected


def test_indicator_names_give_bare_values_a_direction() -> None:
    rows = parse_many(["500元", "500元", "500元"], indicator=["单位成本", "培训人数", None])
    assert [r.direction for r in rows] == ["lower", None, None]
    assert rows[0].flags == ("direction_from_indicator",)
    assert rows[0].indicator == "单位成本"
    with pytest.raises(targetexpr.TargetValueError, match="2 values for 3 rows"):
        parse_many(["1", "2", "3"], indicator=["a", "b"])


def test_evaluate_many_matches_evaluate_row_by_row() -> None:
    table = generate(2000, seed=2)
    rows = evaluate_many(table["target"], table["actual"], points=table["points"], year=2022)
    assert len(rows) == 2000
    assert all(isinstance(r, EvaluatedRow) for r in rows)
    checked = 0
    for target, actual, points, row in zip(table["target"], table["actual"], table["points"], rows, strict=True):
        if row.error is not None or row.kind == "" or "fraction_for_percentage" in row.flags:
            continue
        if isinstance(actual, float):
            actual = None if actual != actual else actual
        expected = targetexpr.evaluate(target, actual, points=points, year=2022)
        assert (row.met, row.completion, row.score, row.points) == (
            expected.met, expected.completion, expected.score, expected.points)  # fmt: skip
        assert row.flags == expected.flags
        assert row.reason == expected.reason
        checked += 1
    assert checked > 1000
    assert {r.error is not None for r in rows} == {True, False}
    assert any(r.kind == "" and r.flags == ("missing_target",) for r in rows)


def test_a_bad_cell_is_a_row_not_an_exception() -> None:
    rows = evaluate_many(["≥≥95%", "≤300万元", "较上年增长5%", "≥95%", None], ["96%", "4次", "106", "x", "96%"])
    assert [r.met for r in rows] == [None] * 5
    assert rows[0].error_position == 1
    assert "cannot be converted" in (rows[1].error or "") or "次" in (rows[1].error or "")
    assert "baseline" in (rows[2].error or "")
    assert rows[3].error is not None
    assert rows[4].error is None
    assert rows[4].flags == ("missing_target",)


@pytest.mark.parametrize("actual", [0.93, "0.93", Decimal("0.93"), np.float64(0.93), np.float32(0.93), 1, "1"])
def test_a_fraction_under_a_percentage_is_flagged_never_read_as_a_percent(actual: object) -> None:
    (row,) = evaluate_many(["≥95%"], [actual], points=[10])
    assert row.met is None
    assert row.score is None
    assert row.flags == ("fraction_for_percentage",)
    assert "fraction" in (row.reason or "")
    assert "%" in (row.reason or "")
    (read,) = evaluate_many(["≥95%"], [actual], points=[10], fractions="percent")
    assert "fraction_read_as_percentage" in read.flags
    assert read.met is (Decimal(str(actual)) * 100 >= 95)


def test_numbers_are_exact_and_numpy_scalars_work() -> None:
    rows = evaluate_many(
        ["≥95%", "15个", "≥95%"], [np.int64(96), np.float64(15.5), 96.5], points=np.array([10, 10, 10])
    )
    assert [r.met for r in rows] == [True, True, True]
    assert rows[1].actual == "15.5"
    assert rows[2].actual == "96.5"
    assert all(isinstance(r.score, Decimal) and isinstance(r.completion, Decimal) for r in rows)
    zero = evaluate_many(["≥95%"], [0.0])[0]  # zero is zero either way: judged
    assert zero.met is False
    assert "fraction_for_percentage" not in zero.flags


def test_pandas_output_types_and_index() -> None:
    frame = evaluate_many(["≥95%", None, "x!"], ["96%", "1", "2"], points=[10, None, 10], as_="pandas")
    assert list(frame.columns) == list(EVALUATED_COLUMNS)
    assert str(frame["met"].dtype) == "boolean"
    assert str(frame["error_position"].dtype) == "Int64"
    assert frame["kind"].tolist() == ["comparison", "", ""]
    assert frame["score"][0] == Decimal("10.00")
    assert isinstance(frame["score"][0], Decimal)


def test_arrow_and_polars_types() -> None:
    table = parse_many(CELLS, year=2022, as_="arrow")
    assert table.num_rows == len(CELLS)
    assert table.schema.names == list(TARGET_COLUMNS)
    assert table.schema.field("value").type == pa.decimal128(38, 12)
    assert table.schema.field("deadline").type == pa.date32()
    assert table.schema.field("flags").type == pa.list_(pa.string())
    assert table.column("value").to_pylist()[0] == Decimal("99.9")
    ev = evaluate_many(["≥95%"], ["96%"], points=[10], as_="arrow")
    assert ev.schema.field("score").type == pa.decimal128(38, 12)
    assert ev.column("score")[0].as_py() == Decimal("10")
    pl = pytest.importorskip("polars")
    frame = evaluate_many(["≥95%", None], ["96%", None], points=[10, 10], as_="polars")
    assert frame.shape == (2, len(EVALUATED_COLUMNS))
    assert frame["score"].dtype == pl.Decimal(38, 12)
    with pytest.raises(targetexpr.TargetValueError, match="as_"):
        parse_many(["1"], as_="excel")  # type: ignore[arg-type]


def test_the_pandas_accessor() -> None:
    import targetexpr.pandas  # noqa: F401  registers .te

    df = pd.DataFrame({"指标值": ["≥95%", None, "≤400万元", "≥≥"], "实际完成值": ["96%", "1", 3800000, "1"],
                       "分值": [10, 10, np.nan, 5]}, index=[10, 11, 12, 13])  # fmt: skip
    parsed = df["指标值"].te.parse()
    assert list(parsed.index) == [10, 11, 12, 13]
    assert parsed["kind"].tolist() == ["comparison", "", "comparison", ""]
    scored = df["指标值"].te.evaluate(df["实际完成值"], points=df["分值"])
    assert scored.loc[10, "score"] == Decimal("10.00")
    assert scored.loc[12, "points"] is None
    # Series are aligned by label, as pandas aligns
    shuffled = df["实际完成值"].iloc[::-1]
    assert scored["met"].equals(df["指标值"].te.evaluate(shuffled, points=df["分值"])["met"])
    assert df["指标值"].te.canonical().tolist()[0] == "≥95%"


def test_quantity_to_and_deadline_resolve() -> None:
    q = targetexpr.parse("≤400 万元").quantity
    assert q.to("元") == targetexpr.Quantity(Decimal(4000000), targetexpr.Unit("元"))
    assert q.to(targetexpr.Unit("元", "亿")).value == Decimal("0.04")
    assert targetexpr.parse("1.5公里").quantity.to("米").value == Decimal(1500)
    with pytest.raises(targetexpr.UnitMismatchError):
        targetexpr.parse("3次").quantity.to("元")
    with pytest.raises(targetexpr.UnitMismatchError):
        targetexpr.parse("1秒").quantity.to("分钟")  # 1/60: no exact decimal
    with pytest.raises(targetexpr.TargetValueError):
        q.to("不是单位")
    assert targetexpr.parse("2022年12月31日前").resolve() == datetime.date(2022, 12, 31)
    assert targetexpr.parse("第三季度末前", year=2023).resolve() == datetime.date(2023, 9, 30)
    assert targetexpr.parse("6月底前").resolve(2024) == datetime.date(2024, 6, 30)
    with pytest.raises(targetexpr.TargetValueError, match="year"):
        targetexpr.parse("6月底前").resolve()


def test_resolve_agrees_with_evaluate() -> None:
    for text in ["2022年12月31日前", "2022年6月前", "2022年6月30日前(不含当日)", "2022年第3季度末前", "2022年底前"]:
        node = targetexpr.parse(text)
        assert isinstance(node, targetexpr.Deadline)
        last = node.resolve()
        assert targetexpr.evaluate(node, last).met is True, text
        assert targetexpr.evaluate(node, last + datetime.timedelta(days=1)).met is False, text


@pytest.fixture(scope="module")
def generated_targets() -> list[targetexpr.Target]:
    """10,000 generated targets, made once for the tests below: 1,000 ASTs from targetexpr.strategies
    (every kind and field the strategies reach; they cost ~10 ms a target, so no more) and 9,000
    parsed from seeded random cells of every kind (batch_table.target_cells: 1 ms a target)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from targetexpr.strategies import targets

    found: list[targetexpr.Target] = []

    # Small lists, many examples: hypothesis may discard an example whose filters fail, and a
    # discarded list of 100 would cost 100 targets.
    @settings(max_examples=400, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.lists(targets(), min_size=10, max_size=10))
    def collect(batch: list[targetexpr.Target]) -> None:
        if len(found) < 1000:
            found.extend(batch)

    collect()
    assert len(found) >= 1000, len(found)
    found.extend(targetexpr.parse(cell) for cell in target_cells(9000, seed=5))
    return found


def test_the_schema_validates_to_dict_of_10000_generated_targets(generated_targets: list[targetexpr.Target]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(targetexpr.target_schema())
    validator = jsonschema.Draft202012Validator(targetexpr.target_schema())
    assert len(generated_targets) >= 10_000
    kinds: set[str] = set()
    for target in generated_targets:
        data = targetexpr.to_dict(target)
        error = next(validator.iter_errors(data), None)
        assert error is None, (str(target), data, error.message if error else None)
        kinds.add(data["kind"])
    assert kinds == set(targetexpr.nodes.TARGET_CLASSES)


def test_parse_many_reads_10000_generated_targets_back(generated_targets: list[targetexpr.Target]) -> None:
    rows = parse_many([str(t) for t in generated_targets])
    wrong = [
        (repr(t), (r.kind, r.canonical, r.error))
        for r, t in zip(rows, generated_targets, strict=True)
        if (r.kind, r.canonical, r.error) != (t.kind, str(t), None)
    ]
    assert not wrong, wrong[:5]  # each with the target as built, to reproduce it


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "value", "quantity": {"value": 1.5, "unit": None}},  # a float, not a decimal string
        {"kind": "comparison", "op": "≥", "quantity": {"value": "1", "unit": None}},
        {
            "kind": "compound",
            "parts": [{"kind": "compound", "parts": []}, {"kind": "text", "text": "", "quantities": []}],
        },
        {
            "kind": "deadline",
            "date": {"year": 2022, "month": 13, "day": None, "quarter": None, "half": None, "end": False},
            "inclusive": True,
        },
        {"kind": "nope"},
        # Digits in the words only inside an aside such as (满分5分) (data/asides.tsv).
        {"kind": "value", "quantity": {"value": "1", "unit": None}, "words": {"before": "第3", "after": ""}},
        {"kind": "value", "quantity": {"value": "1", "unit": None}, "words": {"before": "", "after": "(说明5分)"}},
    ],
)
def test_the_schema_rejects_what_from_dict_rejects(bad: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert list(jsonschema.Draft202012Validator(targetexpr.target_schema()).iter_errors(bad))
    with pytest.raises(targetexpr.TargetValueError):
        targetexpr.from_dict(bad)


def test_the_schema_words_pattern_is_the_aside_pattern_of_the_data_file() -> None:
    """One source for the asides: the schema's pattern for the words is built on datafiles.aside_source()."""
    for side in ("before", "after"):
        pattern = targetexpr.target_schema()["$defs"]["words"]["properties"][side]["pattern"]
        assert pattern == "^(?:[^0-9]|" + aside_source() + ")*$"
    assert all(row[0] in aside_source() for row in table_rows("asides.tsv", 2))
    words = {"before": "满意度", "after": "(满分5分)"}
    node = targetexpr.from_dict({"kind": "value", "quantity": {"value": "4.8", "unit": None}, "words": words})
    assert str(node) == "满意度4.8(满分5分)"
