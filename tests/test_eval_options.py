"""EvalOptions: the settings of an evaluation as one frozen, validated, hashable object."""

from __future__ import annotations

import pickle
from decimal import Decimal

import attrs
import pytest

import targetexpr
from targetexpr import Direction, EvalOptions


def test_defaults_and_conversions() -> None:
    opts = EvalOptions(direction="反向", tolerance=0.05, rules="system", year=2022)
    assert opts.direction is Direction.LOWER
    assert opts.tolerance == Decimal("0.05")
    assert isinstance(opts.rules, targetexpr.RuleSet)
    assert opts.rules.name == "system"
    assert opts.parse_options == targetexpr.ParseOptions(year=2022)
    assert EvalOptions().rules.name == "national"


def test_frozen_hashable_and_equal_by_value() -> None:
    a = EvalOptions(year=2022, rules="system", tolerance="5%")
    b = EvalOptions(year=2022, rules=targetexpr.load_rules("system"), tolerance="5%")
    assert a == b
    assert hash(a) == hash(b)
    assert a != attrs.evolve(a, year=2021)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.year = 2021  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(a)) == a


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": 1800}, "year"),
        ({"year": True}, "year"),
        ({"direction": "up"}, "direction"),
        ({"tolerance": "≥5%"}, "tolerance"),
        ({"tolerance": Decimal("-0.1")}, "tolerance"),
        ({"tolerance": True}, "tolerance"),
        ({"deadline_inclusive": "yes"}, "deadline_inclusive"),
        ({"date_order": "ydm"}, "date_order"),
        ({"default_unit": 5}, "default_unit"),
        ({"excel_dates": 1}, "excel_dates"),
        ({"indicator": 5}, "indicator"),
        ({"level2": b"x"}, "level2"),
    ],
)
def test_validated_when_made(changes: dict[str, object], field: str) -> None:
    with pytest.raises(targetexpr.TargetValueError) as info:
        EvalOptions(**changes)  # type: ignore[arg-type]
    assert info.value.field == field
    with pytest.raises(targetexpr.TargetValueError):
        targetexpr.evaluate("≥5个", "6个", **changes)  # type: ignore[arg-type]


def test_unknown_rules_are_a_rule_set_error() -> None:
    with pytest.raises(targetexpr.RuleSetError):
        EvalOptions(rules="nowhere")


def test_options_and_keywords_give_the_same_evaluation() -> None:
    opts = EvalOptions(year=2022, rules="system", direction="lower")
    by_options = targetexpr.evaluate("300", "320", points=10, options=opts)
    by_keywords = targetexpr.evaluate("300", "320", points=10, year=2022, rules="system", direction="lower")
    assert by_options == by_keywords
    assert by_options.rules == "system"
    assert by_options.met is False


def test_keywords_beside_options_override_them() -> None:
    opts = EvalOptions(rules="system", direction="lower")
    result = targetexpr.evaluate("300", "320", points=10, options=opts, direction="higher")
    assert result.met is True
    assert result.rules == "system"
    assert EvalOptions.build(opts, year=2023) == attrs.evolve(opts, year=2023)
    assert EvalOptions.build(opts) is opts
    with pytest.raises(targetexpr.TargetValueError, match="EvalOptions"):
        targetexpr.evaluate("≥5", "6", options=targetexpr.ParseOptions())  # type: ignore[arg-type]


def test_options_are_the_memo_key() -> None:
    first = targetexpr.evaluate("≥95%", "90%", points=10, options=EvalOptions(rules="system"))
    again = targetexpr.evaluate("≥95%", "90%", points=10, options=EvalOptions(rules="system"))
    other = targetexpr.evaluate("≥95%", "90%", points=10, options=EvalOptions(rules="national"))
    assert first is again
    assert other is not first
    assert other.rules == "national"


def test_score_table_takes_one_options_object() -> None:
    rows = [targetexpr.Row("投诉率", "5%", "4%", points=10, level1="满意度指标")]
    by_options = targetexpr.score_table(rows, options=EvalOptions(rules="system", year=2022))
    by_keywords = targetexpr.score_table(rows, rules="system", year=2022)
    assert by_options == by_keywords
    assert by_options.rules == "system"
