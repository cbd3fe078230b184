"""Regression tests for the bugs the hostile-input work (issue #5) found, one test per bug.

Each bug's test fails on the code before its fix: the bug's input raised something other than a
``TargetError``, hung, held memory, or gave a result that depended on the caller's state.  A few
tests beside them check that a fix did not overreach (spaces still read as spaces, hand-built
nodes equal parsed ones).  docs/reliability.md lists the bugs with their fixes.
"""

from __future__ import annotations

import decimal
import gc
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import targetexpr
from targetexpr import (
    CalendarDate,
    Comparison,
    Compound,
    Deadline,
    Op,
    Quantity,
    Row,
    TableError,
    TargetError,
    TargetSyntaxError,
    TargetValueError,
    Unit,
    Value,
)

HUGE = 10**5000  # str() refuses ints over 4,300 digits with a bare ValueError


# --- integers too long for str() ------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: targetexpr.evaluate("≥1", HUGE),
        lambda: targetexpr.evaluate("≥1", 1, points=HUGE),
        lambda: targetexpr.evaluate("较上年增长5%", 1, baseline=HUGE),
        lambda: targetexpr.evaluate("≈1", 1, tolerance=HUGE),
        lambda: targetexpr.evaluate(Deadline(CalendarDate(2022)), "2022年", year=HUGE),
        lambda: CalendarDate(HUGE),
        lambda: targetexpr.from_dict({"kind": "value", "quantity": {"value": HUGE, "unit": None}}),
    ],
    ids=["actual", "points", "baseline", "tolerance", "year", "CalendarDate", "from_dict"],
)
def test_a_huge_int_is_our_error_not_a_bare_value_error(call: Callable[[], object]) -> None:
    # Before: "Exceeds the limit (4300 digits) for integer string conversion" from the f-string
    # that formatted the error message.
    with pytest.raises(TargetError):
        call()


def test_a_huge_int_in_a_table_is_a_row_error_and_the_report_still_renders() -> None:
    card = targetexpr.score_table(
        [
            Row("x", "≥1", HUGE, points=10, level1="产出指标"),
            Row("预算执行率", points=10, level1="预算执行率", budget=HUGE, spent="1万元"),
        ]
    )
    assert all(r.error is not None for r in card.rows)
    assert "digits" in str(card.rows[0].to_dict()["actual"])  # str(HUGE) raised here before


# --- nodes built by hand ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Unit(5),  # type: ignore[arg-type]
        lambda: Unit("元", "foo"),  # an unknown magnitude: KeyError inside evaluate() before
        lambda: Unit("元", per="人次"),  # a string is not a tuple of unit names
        lambda: Quantity(Decimal(1), 5),  # type: ignore[arg-type]
        lambda: CalendarDate("2022"),  # type: ignore[arg-type]
        lambda: CalendarDate(2022, end="yes"),  # type: ignore[arg-type]
        lambda: Comparison("≥", Quantity(Decimal(1))),  # type: ignore[arg-type]
        lambda: Value(5),  # type: ignore[arg-type]
        lambda: Deadline(CalendarDate(2022), inclusive=1),  # type: ignore[arg-type]
        lambda: targetexpr.Qualitative(5, None),  # type: ignore[arg-type]
        lambda: Compound(5),  # type: ignore[arg-type]
        lambda: Compound(["≥1", "≥2"]),  # type: ignore[list-item]
        lambda: targetexpr.FreeText("x", [1]),  # type: ignore[list-item]
    ],
)
def test_nodes_check_their_fields(build: Callable[[], object]) -> None:
    with pytest.raises(TargetValueError):
        build()


def test_a_compound_does_not_nest() -> None:
    inner = Compound((Value(Quantity(Decimal(1))), Value(Quantity(Decimal(2)))))
    with pytest.raises(TargetValueError, match="not compounds"):
        Compound((inner, Value(Quantity(Decimal(3)))))


def test_from_dict_of_a_deeply_nested_compound_is_our_error() -> None:
    # Before: RecursionError (and nested compounds rendered "1;2;3", which reads back flat).
    data: dict[str, Any] = {"kind": "value", "quantity": {"value": "1", "unit": None}}
    for _ in range(5000):
        data = {"kind": "compound", "parts": [data, data]}
    with pytest.raises(TargetValueError, match="not compounds"):
        targetexpr.from_dict(data)


def test_evaluate_rejects_an_object_that_only_looks_like_a_target() -> None:
    class Impostor:
        kind = "comparison"

    # Before: AssertionError from assert_never().
    with pytest.raises(TargetValueError, match="parsed Target"):
        targetexpr.evaluate(Impostor(), 2)  # type: ignore[arg-type]


def test_evaluate_checks_its_options_even_for_a_parsed_target() -> None:
    target = Deadline(CalendarDate(None, 12))
    # Before: TypeError comparing 1900 <= "2022" inside CalendarDate.
    with pytest.raises(TargetValueError, match="year"):
        targetexpr.evaluate(target, CalendarDate(None, 11), year="2022")  # type: ignore[arg-type]


def test_a_negative_tolerance_is_rejected() -> None:
    with pytest.raises(TargetValueError, match="negative"):
        targetexpr.evaluate("约100人", "100人", tolerance=Decimal("-0.1"))


def test_default_unit_of_the_wrong_type() -> None:
    # Before: TypeError "unhashable type: 'list'" from the memo.
    with pytest.raises(TargetValueError, match="default_unit"):
        targetexpr.analyze("5", default_unit=[])  # type: ignore[arg-type]


# --- tables ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "message"), [(None, "iterable"), ("≥95%", "not a str"), (b"x", "not a bytes")])
def test_a_rows_argument_that_is_not_rows_is_a_table_error(rows: object, message: str) -> None:
    # Before: TypeError, and a string was iterated character by character.
    with pytest.raises(TableError, match=message):
        targetexpr.score_table(rows)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "message"),
    [(5, "must be a Row or a mapping"), ({"bogus": 1}, "unknown column"), ({"level1": [1]}, "label cell")],
)
def test_a_malformed_row_is_a_row_error_and_the_others_are_scored(row: object, message: str) -> None:
    # Before: TypeError / AttributeError from Row(**item) and row.level1.strip().  No row is lost.
    card = targetexpr.score_table([row, Row("x", "≥1", "2", points=100)])  # type: ignore[list-item]
    assert len(card.rows) == 2
    assert card.rows[0].error is not None
    assert message in card.rows[0].error
    assert card.rows[1].score == Decimal("100.00")


def test_row_labels_are_text_and_spreadsheet_numbers_are_read_as_text() -> None:
    assert Row(2020, level1=None).indicator == "2020"  # type: ignore[arg-type]
    assert Row(level1=None).level1 == ""  # type: ignore[arg-type]
    with pytest.raises(TargetValueError, match="label cell"):
        Row([1])  # type: ignore[arg-type]


# --- rule sets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rules",
    [
        {"name": "x", "qualitative": 5},
        {"name": "x", "extends": "national", "execution": 5},
        {"name": "x", "extends": "national", "quantitative": {"places": float("inf")}},
        {"name": "x", "extends": "national", "grades": {"优": float("nan")}},
        {"name": "x", "extends": "national", "quantitative": {"deadline_missed": "1e-999999999"}},
        "rules\x00.toml",
    ],
    ids=["qualitative", "execution", "places inf", "grade NaN", "tiny exponent", "NUL path"],
)
def test_malformed_rule_sets_are_a_rule_set_error(rules: Any) -> None:
    # Before: AttributeError, OverflowError, decimal.InvalidOperation (a NaN grade bound, at
    # grading time), a hang building a billion-digit Fraction, ValueError "embedded null byte".
    with pytest.raises(targetexpr.RuleSetError):
        targetexpr.score_table([Row("x", "≥1", "2", points=100)], rules=rules)


def test_a_rule_set_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b'name = "\xff"\n')
    with pytest.raises(targetexpr.RuleSetError, match="cannot read"):
        targetexpr.load_rules(path)


# --- the caller's decimal context ---------------------------------------------------------------


def _results() -> list[str]:
    card = targetexpr.score_table(
        [
            Row("a", "≥95%", "90.123%", points="10.5", level1="产出指标"),
            Row("b", "≥-12345", "-12000", points="33.3", level1="效益指标"),
            Row("c", "≤400万元", "4,123,456.78元", points=7, level1="效益指标"),
            Row("预算执行率", points="9.99", level1="预算执行率", budget="329.77万元", spent="338.31万元"),
        ]
    )
    return [
        str(targetexpr.parse("≥-12345")),
        targetexpr.evaluate("≥95%", "90.123%", points=10).reason,
        str(targetexpr.evaluate("≤10%", "12.5%", points=10, rules="system").score),
        *(str(r.to_dict()) for r in card.rows),
        str(card.total),
        str(card.warnings),
    ]


def test_results_do_not_depend_on_the_callers_decimal_context() -> None:
    # Before: a caller's context with a small precision and trapped Inexact made parse() raise
    # VisitError ("-12345" was negated in the caller's context), evaluate() fail with "cannot
    # evaluate", and score_table() raise decimal.Inexact from its sums.
    expected = _results()
    with decimal.localcontext() as ctx:
        ctx.prec = 2
        ctx.Emax = 3
        ctx.Emin = -3
        ctx.rounding = decimal.ROUND_FLOOR
        for signal in (decimal.Inexact, decimal.Rounded, decimal.Overflow, decimal.Underflow, decimal.Subnormal):
            ctx.traps[signal] = True
        # parse() memoises; a text not seen before goes through the grammar in this context.
        assert str(targetexpr.parse("≥-54321")) == "≥-54321"
        assert _results() == expected


# --- characters no target contains --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason", "column"),
    [
        ("保障\x00运转", "control character U+0000", 3),
        ("≥\ud80095%", "lone surrogate U+D800", 2),
        ("5\ue000", "private-use character U+E000", 2),
        ("8\U000f0000", "private-use character U+F0000", 2),
    ],
)
def test_characters_that_no_target_contains(text: str, reason: str, column: int) -> None:
    # Before: "保障\x00运转" became a qualitative label with a NUL in it, and "5\ue000" the value
    # 5 of the unit "?" (U+E000 is the grammar's own placeholder for unknown classifiers).
    with pytest.raises(TargetSyntaxError) as info:
        targetexpr.parse(text)
    assert info.value.reason == reason
    assert info.value.column == column
    assert info.value.hint


def test_whitespace_controls_are_still_spaces() -> None:
    assert str(targetexpr.parse("≥\t95%\x0c\n")) == "≥95%"


# --- memory -------------------------------------------------------------------------------------


def test_over_long_texts_are_not_memoised() -> None:
    # Before: parse() memoised every text, even those it rejected for their length, so 300
    # distinct 100,000-character texts held ~60 MB (and a million of them would hold gigabytes).
    def run() -> int:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(300):
                with pytest.raises(targetexpr.TargetLengthError):
                    targetexpr.parse(f"{i}" + "保" * 100_000)
            gc.collect()
            return tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()

    assert run() < 5_000_000


def test_the_unit_and_label_memos_are_bounded() -> None:
    from targetexpr.evaluator import cues
    from targetexpr.parser import parse_unit
    from targetexpr.table import labels

    for cache in (parse_unit, labels._canonical_level1, cues._name_cue, labels._points_text):
        assert cache.cache_info().maxsize is not None
    assert labels.canonical_level1("产出指标" + "x" * 100_000) == "产出指标"


def test_op_field_reads_back() -> None:
    # The validators accept what the parser builds.
    assert targetexpr.parse("≥95%") == Comparison(Op.GE, Quantity(Decimal(95), Unit("%")))


def test_calendar_dates_know_the_days_of_every_month() -> None:
    # CalendarDate counts the days of a month itself (importing `calendar` cost the first date parse
    # 5-10 ms, issue #11): the same answer as the standard library for every year it accepts.
    import calendar

    from targetexpr.errors import TargetValueError
    from targetexpr.values import CalendarDate

    for year in range(1900, 2100):
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            assert CalendarDate(year, month=month, day=last).day == last
            with pytest.raises(TargetValueError):
                CalendarDate(year, month=month, day=last + 1)
    assert CalendarDate(None, month=2, day=29).day == 29  # without a year, February may have 29 days
    with pytest.raises(TargetValueError):
        CalendarDate(None, month=2, day=30)
