"""The error family: one root, ValueError subclasses, plain data, pickling, exact messages."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest

import targetexpr
from targetexpr import errors, units


def test_one_family_of_value_errors() -> None:
    classes = [getattr(errors, name) for name in errors.__all__ if name[0].isupper()]
    for cls in classes:
        assert issubclass(cls, targetexpr.TargetError)
        assert issubclass(cls, ValueError)


def test_exact_message_with_caret_under_cjk_text() -> None:
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse("2022年12月31日後")
    assert str(info.value) == (
        "unexpected '後' at column 12; expected (含)/(不含) | - | ~ | 以上/以下 | 到 | 前/底 | 完成 | 至\n"
        "  2022年12月31日後\n"
        "                ^"
    )
    assert info.value.found == "後"
    assert info.value.position == 11


def test_exact_message_at_end_of_input() -> None:
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse("≥")
    assert str(info.value).splitlines()[0].startswith("unexpected end of input at the end; expected ")
    assert "a number" in info.value.expected
    assert info.value.found == ""


def test_error_positions_point_into_the_original_text() -> None:
    # Full-width characters and spaces are normalised away, but the caret points at what was typed.
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse("≥ ９５ ％ ％")
    assert info.value.position == 7
    assert info.value.found == "％"


@pytest.mark.parametrize("text", ["≥", "2022年4月31日前", "x" * 300, "≥40 ↑"])
def test_errors_pickle_and_copy_with_their_data(text: str) -> None:
    with pytest.raises(targetexpr.TargetError) as info:
        targetexpr.parse(text)
    error = info.value
    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert type(clone) is type(error)
        assert str(clone) == str(error)
        assert clone.__dict__ == error.__dict__


def test_no_lark_object_in_an_error() -> None:
    with pytest.raises(targetexpr.TargetSyntaxError) as info:
        targetexpr.parse(">>90%")
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    for value in vars(info.value).values():
        assert type(value).__module__ in ("builtins",)


def test_length_limit() -> None:
    with pytest.raises(targetexpr.TargetLengthError, match="at most 256 characters"):
        targetexpr.parse("≥" + "9" * 300)
    targetexpr.parse("保" * 250 + "。")  # within the limit: free text


@pytest.mark.parametrize("bad", [None, b"95%", 95, 95.5, float("nan"), ["≥95%"]])
def test_non_text_is_a_value_error(bad: object) -> None:
    with pytest.raises(targetexpr.TargetValueError, match="must be str"):
        targetexpr.parse(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 1800}, "year"),
        ({"year": True}, "year"),
        ({"date_order": "ydm"}, "date_order"),
        ({"deadline_inclusive": "yes"}, "deadline_inclusive"),
        ({"default_unit": "furlongs"}, "not a unit"),
    ],
)
def test_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(targetexpr.TargetValueError, match=message):
        targetexpr.parse("≥95", **kwargs)  # type: ignore[arg-type]


def test_repeated_errors_do_not_grow() -> None:
    # parse() memoises results; each raise must be a fresh error with its own traceback.
    first = second = None
    for _ in range(2):
        try:
            targetexpr.parse("≥万元")
        except targetexpr.TargetSyntaxError as e:
            first, second = second, e
    assert first is not second
    assert first is not None
    assert second is not None
    assert str(first) == str(second)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "kind is missing"),
        ({"kind": "spline"}, "kind must be one of"),
        ({"kind": "comparison", "op": "ge"}, "quantity is missing"),
        ({"kind": "comparison", "op": "gte", "quantity": {"value": "1", "unit": None}}, "op must be one of"),
        ({"kind": "value", "quantity": {"value": "NaN", "unit": None}}, "not a decimal number"),
        ({"kind": "value", "quantity": {"value": "1e999999999", "unit": None}}, "not a decimal number"),
        ({"kind": "value", "quantity": {"value": 1.5, "unit": None}}, "must be str or int"),
        ({"kind": "value", "quantity": {"value": "9" * 30, "unit": None}}, "out of range"),
        ({"kind": "deadline", "date": {"year": 2022, "month": 13}, "inclusive": True}, "month 13"),
        ({"kind": "deadline", "date": {"year": 2022, "month": 2, "day": 30}, "inclusive": True}, "no day 30"),
        ({"kind": "compound", "parts": [{"kind": "value", "quantity": {"value": "1", "unit": None}}]}, "two parts"),
        ([1, 2], "must be a mapping"),
    ],
)
def test_from_dict_rejects_malformed_dicts(data: object, message: str) -> None:
    with pytest.raises(targetexpr.TargetValueError, match=message):
        targetexpr.from_dict(data)  # type: ignore[arg-type]


# One example of every class, with every field it declares set to a value of its own.
EVERY_ERROR = [
    targetexpr.TargetError("m"),
    targetexpr.TargetSyntaxError.at("≥9x", 2, "unexpected 'x'", expected=frozenset({"a unit"}), hint="h"),
    targetexpr.TargetValueError("m", field="year"),
    targetexpr.TargetLengthError("m", field="text", length=300, limit=256),
    targetexpr.TargetEvaluationError("m", target="≥95%", actual="九十"),
    targetexpr.UnitMismatchError(
        "m", target="≤300万元", actual="4次", target_dimension="money", actual_dimension="count:次"
    ),
    targetexpr.BaselineRequiredError("m", target="较上年增长5%", reference="上年"),
    targetexpr.RuleSetError("m", name="national", setting="formula.floor"),
    targetexpr.TableError("m", path="a.xlsx"),
]


def test_every_class_has_an_example() -> None:
    classes = {getattr(errors, name) for name in errors.__all__ if name[0].isupper()}
    assert {type(e) for e in EVERY_ERROR} == classes


@pytest.mark.parametrize("error", EVERY_ERROR, ids=lambda e: type(e).__name__)
def test_every_class_declares_its_fields_and_pickles_equal(error: targetexpr.TargetError) -> None:
    import attrs

    names = [a.name for a in attrs.fields(type(error))]
    assert names[0] == "message"
    assert set(names) <= set(vars(error))
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert clone == error
    assert hash(clone) == hash(error)
    assert str(clone) == str(error) == error.message
    assert attrs.asdict(clone) == attrs.asdict(error)
    assert copy.copy(error) == error


def test_fields_are_named_alike_where_raised() -> None:
    with pytest.raises(targetexpr.UnitMismatchError) as info:
        targetexpr.evaluate("≤300万元", "4次")
    assert (info.value.target, info.value.actual) == ("300万元", "4次")
    assert info.value.target_dimension != info.value.actual_dimension
    with pytest.raises(targetexpr.UnitMismatchError) as info:
        units.convert(targetexpr.Quantity(Decimal(1), targetexpr.Unit("元")), targetexpr.Unit("次"))
    assert (info.value.target, info.value.actual) == ("次", "1元")
    with pytest.raises(targetexpr.BaselineRequiredError) as baseline:
        targetexpr.evaluate("较上年增长5%", "110")
    assert (baseline.value.target, baseline.value.reference) == ("较上年增长5%", "上年")
    with pytest.raises(targetexpr.TargetValueError) as value:
        targetexpr.parse("≥95", year=1800)
    assert value.value.field == "year"
    with pytest.raises(targetexpr.TargetValueError) as value:
        targetexpr.from_dict({"kind": "value"})
    assert value.value.field == "quantity"
    with pytest.raises(targetexpr.RuleSetError) as rules:
        targetexpr.load_rules("nowhere-such")
    assert rules.value.name == "nowhere-such"
