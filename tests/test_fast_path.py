"""The parser's fast path must give exactly what the grammar gives (docs/performance.md).

Whenever the fast path reads a text, the grammar must read it as the same AST; everywhere else the
two paths are the same code.  Checked on every real and golden text, and on generated texts built
from the very words the fast path knows, in every order.
"""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import targetexpr
from support import CASES, DATA, read_dicts, read_tsv
from targetexpr import ParseOptions
from targetexpr import datafiles as _data
from targetexpr.parser.normalize import normalize
from targetexpr.strategies import targets

fast_module = importlib.import_module("targetexpr.parser.fast")


def _both(text: str) -> tuple[targetexpr.Analysis, targetexpr.Analysis]:
    fast = targetexpr.analyze(text, options=ParseOptions(fast=True))
    plain = targetexpr.analyze(text, options=ParseOptions(fast=False))
    return fast, plain


def _agree(text: str) -> None:
    fast, plain = _both(text)
    assert fast.target == plain.target, text
    if fast.target is not None and plain.target is not None:
        assert fast.target.span == plain.target.span
        assert str(fast.target) == str(plain.target)
    assert (fast.error is None) == (plain.error is None), text
    if fast.error is not None:
        assert str(fast.error) == str(plain.error)
    assert fast.warnings == plain.warnings


def _texts() -> list[str]:
    texts = set()
    for row in read_dicts(DATA / "real_targets.tsv"):
        texts.update(t for t in (row["target"], row["actual"]) if t)
    for row in read_dicts(DATA / "seed_targets.tsv"):
        texts.add(row["target"])
    for row in read_tsv(CASES / "parse.tsv"):
        texts.add(row[0])
    for row in read_tsv(CASES / "evaluate.tsv"):
        texts.update(row[:2])
    return sorted(t for t in texts if t.strip())


@pytest.mark.parametrize("text", _texts())
def test_real_and_golden_texts(text: str) -> None:
    _agree(text)


def test_fast_path_reads_most_real_targets() -> None:
    # Not a speed test: a check that the fast path is not silently off.
    texts = [r["target"] for r in read_dicts(DATA / "real_targets.tsv") if r["target"]]
    read = sum(fast_module._fast(s=normalize(t)) is not None for t in texts)
    assert read / len(texts) > 0.6


_WORDS = sorted(
    {*_data.units(), *_data.magnitudes(), *(w for w, i in _data.comparators().items() if i.position == "suffix")}
)
_PREFIXES = sorted(w for w, i in _data.comparators().items() if i.position == "prefix")
_NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(min_value=0, max_value=10**5, places=2).map(lambda d: format(d, "f")),
    st.sampled_from(["2022", "1999", "2022.12", "2023.07", "1935.01", "2022.123", "2100", "0", "00", "1e5"]),
)


@given(
    st.one_of(st.just(""), st.sampled_from(_PREFIXES)),
    _NUMBERS,
    st.lists(st.sampled_from([*_WORDS, "月", "年度", "号", "/", "亩", "季度"]), max_size=3),
)
def test_generated_shapes(prefix: str, number: str, words: list[str]) -> None:
    _agree(prefix + number + "".join(words))


@given(targets(["comparison", "value", "deadline"]))
def test_generated_targets(target: targetexpr.Target) -> None:
    _agree(str(target))


_DATE_PIECES = st.lists(
    st.sampled_from(
        [
            "2022年",
            "1999年",
            "2100年",
            "2022年度",
            "12月",
            "2月",
            "13月",
            "0月",
            "05月",
            "31日",
            "29日",
            "30日",
            "1日",
            "底",
            "末",
            "前",
            "之前",
            "以前",
            "年底",
            "年末",
            "年内",
            "本年度内",
            "当年",
            "完成",
            "(不含)",
            "第3季度",
            "内",
            "以内",
            "5",
            "号",
        ]
    ),
    min_size=1,
    max_size=4,
)


@given(_DATE_PIECES, st.sampled_from([None, 2022, 2024]), st.booleans())
def test_generated_dates(pieces: list[str], year: int | None, inclusive: bool) -> None:
    text = "".join(pieces)
    fast = targetexpr.analyze(text, options=ParseOptions(year=year, deadline_inclusive=inclusive, fast=True))
    plain = targetexpr.analyze(text, options=ParseOptions(year=year, deadline_inclusive=inclusive, fast=False))
    assert fast.target == plain.target, text
    assert str(fast.error) == str(plain.error)


evaluation_module = importlib.import_module("targetexpr.evaluator.dispatch")


def test_memoised_evaluations_equal_fresh_ones() -> None:
    pairs = [(r["target"], r["actual"]) for r in read_dicts(DATA / "real_targets.tsv") if r["target"] and r["actual"]]

    def outcome(target: str, actual: str) -> object:
        try:
            return targetexpr.evaluate(target, actual, points=10, year=2019)
        except targetexpr.TargetError as e:
            return (type(e), str(e))

    first = [outcome(t, a) for t, a in pairs]
    evaluation_module._memoised.cache_clear()
    assert [outcome(t, a) for t, a in pairs] == first


def test_memo_keys_keep_types_apart() -> None:
    assert targetexpr.evaluate("≥5个", "6个", points=1).score is not None
    with pytest.raises(targetexpr.TargetValueError, match="bool"):
        targetexpr.evaluate("≥5个", "6个", points=True)
    ten = targetexpr.evaluate("≥5个", "4个", points=10)
    ten_float = targetexpr.evaluate("≥5个", "4个", points=10.0)
    assert ten_float is not ten
    assert (ten_float.met, ten_float.score) == (ten.met, ten.score)


def _slots(node: object) -> list[tuple[str, object]]:
    names = [s for cls in type(node).__mro__ for s in getattr(cls, "__slots__", ()) if s != "__weakref__"]
    return [(name, getattr(node, name)) for name in names]  # an unset slot raises AttributeError


def test_trusted_constructors_build_what_the_validated_ones_build() -> None:
    # The fast path builds its nodes without validators (#11): every slot must be what the attrs
    # __init__ sets, the cached hash included, so that equality, hashing and pickling cannot tell.
    import pickle
    from decimal import Decimal

    from targetexpr.nodes import Comparison, Op, Quantity, Span, Unit, Value, trusted_comparison, trusted_value
    from targetexpr.values import trusted_quantity

    for value in (Decimal("0"), Decimal("99.90"), Decimal("123456789012345.12345678")):
        for unit in (None, Unit("%"), Unit("元", "万"), Unit("", "亿")):
            quantity = Quantity(value, unit)
            trusted = trusted_quantity(value, unit)
            assert _slots(trusted) == _slots(quantity)
            assert hash(trusted) == hash(quantity)
            assert pickle.loads(pickle.dumps(trusted)) == quantity
            for span in (None, Span(0, 4)):
                nodes = [(trusted_value(trusted, span), Value(quantity, span=span))]
                nodes += [(trusted_comparison(op, trusted, span), Comparison(op, quantity, span=span)) for op in Op]
                for fast, validated in nodes:
                    assert type(fast) is type(validated)
                    assert _slots(fast) == _slots(validated)
                    assert hash(fast) == hash(validated)
                    assert repr(fast) == repr(validated)
                    assert pickle.loads(pickle.dumps(fast)) == validated


def test_the_fast_paths_numbers_are_within_what_quantity_checks() -> None:
    # What trusted_quantity relies on: the longest number the fast path reads is a valid Quantity.
    from decimal import Decimal

    from targetexpr.nodes import Quantity

    for number in ("9" * 15 + "." + "9" * 8, "0." + "0" * 7 + "1", "0" * 15):
        assert fast_module._FAST_NUMBER.fullmatch(number)
        Quantity(Decimal(number))
    assert fast_module._FAST_NUMBER.fullmatch("9" * 16) is None
    assert fast_module._FAST_NUMBER.fullmatch("1." + "1" * 9) is None
