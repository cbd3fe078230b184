"""Hostile input: anything given to parse, analyze, evaluate or the table scorer returns a result or
raises a TargetError (a ValueError), never another exception; results are immutable and survive
pickle and copy; threads see the same results as one thread."""

from __future__ import annotations

import copy
import datetime
import pickle
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetexpr
from support import CASES, DATA, read_dicts, read_tsv

REAL = sorted({r["target"] for r in read_dicts(DATA / "real_targets.tsv") if r["target"]})
GOLDEN = [row[0] for row in read_tsv(CASES / "parse.tsv")]

HOSTILE_TEXTS = {
    "100k characters": "≥" + "9" * 100_000,
    "5000 digits": "9" * 5000,
    "nested brackets": "(" * 120 + "90%" + ")" * 120,
    "repeated comparators": "≥" * 250,
    "comparator soup": "≥1≤2>3<4=5" * 20,
    "control characters": "\x00\x01≥95%\x7f\x1b[31m",
    "lone surrogate": "≥95%\ud800",
    "bidi override": "\u202e≥95%",
    "emoji": "≥95%😀",
    "exponent": "1e999999999",
    "huge exponent unit": "≥1e999999999万元",
    "long numeral": "九" * 200,
    "many separators": "1," * 120 + "0",
    "many parts": ";".join(["≥1%"] * 60),
    "many classifiers": "8盆8盆8盆8盆8盆8盆8盆",
    "NUL": "\x00",
    "only spaces": " \u3000\t\n",
}

HOSTILE_VALUES = [
    None,
    b"95%",
    95.5,
    float("nan"),
    float("inf"),
    True,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("1e999999999"),
    Decimal("-1e-999999999"),
    10**5000,
    -(10**30),
    [],
    {},
    object(),
    datetime.date(2022, 1, 1),
    1e308,
    complex(1, 2),
    "x" * 100_000,
]


def _only_our_errors(call: object) -> object:
    """Run ``call``: a result, or a TargetError (anything else fails the test)."""
    try:
        return call()  # type: ignore[operator]
    except targetexpr.TargetError as e:
        error = e
    assert isinstance(error, ValueError)
    assert len(str(error)) < 2000  # a readable message, never the whole input
    pickle.loads(pickle.dumps(error))
    return error


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_hostile_texts(text: str) -> None:
    _only_our_errors(lambda: targetexpr.parse(text))
    _only_our_errors(lambda: targetexpr.parse(text, repair=True))
    analysis = targetexpr.analyze(text)
    assert (analysis.target is None) != (analysis.error is None)
    _only_our_errors(lambda: targetexpr.evaluate("≥95%", text, points=10))
    _only_our_errors(lambda: targetexpr.evaluate(text, "96%", points=10))
    _only_our_errors(lambda: targetexpr.evaluate("较上年增长5%", "110", baseline=text))
    card = targetexpr.score_table([{"target": text, "actual": text, "points": 10}])
    assert len(card.rows) == 1


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda v: type(v).__name__)
def test_hostile_values(value: object) -> None:
    calls = [
        lambda: targetexpr.parse(value),  # type: ignore[arg-type]
        lambda: targetexpr.analyze(value),  # type: ignore[arg-type]
        lambda: targetexpr.evaluate("≥95%", value),
        lambda: targetexpr.evaluate(value, "1"),  # type: ignore[arg-type]
        lambda: targetexpr.evaluate("≥95%", "96%", points=value),
        lambda: targetexpr.evaluate("较上年增长5%", "110", baseline=value),
        lambda: targetexpr.evaluate("约100人", "100人", tolerance=value),
        lambda: targetexpr.evaluate("年底前", "2022-01-01", year=value),  # type: ignore[arg-type]
        lambda: targetexpr.evaluate("≥1", "1", direction=value),  # type: ignore[arg-type]
        lambda: targetexpr.evaluate("≥1", "1", rules=value),  # type: ignore[arg-type]
        lambda: targetexpr.score_table(value),  # type: ignore[arg-type]
        lambda: targetexpr.load_rules(value),  # type: ignore[arg-type]
        lambda: targetexpr.from_dict(value),  # type: ignore[arg-type]
        lambda: targetexpr.normalize(value),  # type: ignore[arg-type]
    ]
    for call in calls:
        _only_our_errors(call)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=lambda v: type(v).__name__)
def test_hostile_cells_never_stop_a_table_run(value: object) -> None:
    rows = [
        {"target": "≥1", "actual": "2", "points": 10, "level1": "产出指标"},
        {
            "target": value,
            "actual": value,
            "points": value,
            "published_score": value,
            "level1": value,
            "level2": value,
            "indicator": value,
            "budget": value,
            "spent": value,
            "baseline": value,
        },
        {"target": "≥1", "actual": "2", "points": 10},
    ]
    card = _only_our_errors(lambda: targetexpr.score_table(rows))
    assert isinstance(card, targetexpr.Scorecard)
    assert len(card.rows) == 3
    assert card.rows[0].score == card.rows[2].score == Decimal("10.00")


def test_unknown_columns_and_non_rows_are_row_errors() -> None:
    card = targetexpr.score_table([{"target": "≥1", "actual": "2", "colour": "red"}, 42, {"target": "≥1", "actual": 2}])
    assert [r.error is not None for r in card.rows] == [True, True, False]
    assert "unknown column" in str(card.rows[0].error)


def _mutations() -> st.SearchStrategy[str]:
    def mutate(text: str, position: int, insert: str, delete: int) -> str:
        position %= len(text) + 1
        return text[:position] + insert + text[position + delete :]

    return st.builds(
        mutate,
        st.sampled_from(REAL + GOLDEN),
        st.integers(0, 60),
        st.text(
            alphabet=st.sampled_from(list("≥≤<>=%,.-~年月日前底万亿个次人元(){}[]十百零0123456789 \u3000\x00")),
            max_size=4,
        ),
        st.integers(0, 3),
    )


@given(_mutations())
def test_mutations_of_real_targets(text: str) -> None:
    _only_our_errors(lambda: targetexpr.parse(text))
    _only_our_errors(lambda: targetexpr.evaluate(text, text, points=10, year=2022, baseline="100"))


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_target_against_any_actual(target: str, actual: str) -> None:
    _only_our_errors(lambda: targetexpr.evaluate(target, actual, points=5, year=2022, baseline="90%"))


def test_threads_see_what_one_thread_sees() -> None:
    pairs = [(r["target"], r["actual"]) for r in read_dicts(DATA / "real_targets.tsv") if r["target"]]

    def outcome(pair: tuple[str, str]) -> object:
        target, actual = pair
        try:
            return (targetexpr.parse(target), targetexpr.evaluate(target, actual or None, points=10, year=2019))
        except targetexpr.TargetError as e:
            return (type(e), str(e))

    import importlib

    importlib.import_module("targetexpr.parser.api")._analyze.cache_clear()
    importlib.import_module("targetexpr.evaluator.dispatch")._memoised.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(outcome, pairs * 4))
    assert threaded == [outcome(p) for p in pairs * 4]


def _results() -> list[object]:
    card = targetexpr.score_table(
        [targetexpr.Row("a", "≥95%", "90%", 10, level1="产出指标"), targetexpr.Row("b", "及时", "及时", 5)]
    )
    return [
        targetexpr.parse("≥99.9%"),
        targetexpr.analyze("≥40 ↑"),
        targetexpr.evaluate("≥95%", "90%", points=10),
        targetexpr.load_rules("system"),
        card,
        card.rows[0],
        card.subtotals[0],
    ]


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_results_are_immutable_and_survive_pickle_and_copy(result: object) -> None:
    assert attrs.has(type(result))
    field = attrs.fields(type(result))[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(result, field, None)
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.deepcopy(result) == result
    if not isinstance(result, targetexpr.Analysis):
        hash(result)
