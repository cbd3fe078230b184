"""Properties of parse, render and the dict form, on generated ASTs and generated text."""

from __future__ import annotations

import contextlib
import copy
import json
import pickle

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import targetexpr
from targetexpr.parser import grammar as _grammar
from targetexpr.strategies import KINDS, targets


@given(targets())
def test_parse_of_canonical_text_round_trips(t: targetexpr.Target) -> None:
    assert targetexpr.parse(str(t)) == t


@given(targets())
def test_dict_form_round_trips_through_json(t: targetexpr.Target) -> None:
    as_dict = targetexpr.to_dict(t)
    assert targetexpr.from_dict(json.loads(json.dumps(as_dict, ensure_ascii=False))) == t


@given(targets())
def test_nodes_are_immutable_hashable_and_picklable(t: targetexpr.Target) -> None:
    assert hash(t) == hash(copy.deepcopy(t))
    assert pickle.loads(pickle.dumps(t)) == t
    assert copy.copy(t) == t


def test_targets_strategy_covers_every_kind() -> None:
    seen: set[str] = set()

    @given(targets())
    def collect(t: targetexpr.Target) -> None:
        seen.add(t.kind)

    collect()
    assert seen == set(KINDS)


_GRAMMAR_ALPHABET = st.sampled_from(sorted(set("0123456789.,%-~/·*()[]≥≤<>=≈\ue000") | set(_grammar.alphabet())))


@given(from_lark(_grammar.get_parser(), alphabet=_GRAMMAR_ALPHABET))
def test_any_grammar_sentence_parses_or_raises_our_error(text: str) -> None:
    # Grammar sentences are only syntactically valid (month 13 passes): the semantic checks may
    # reject them, but only ever with a TargetError.
    with contextlib.suppress(targetexpr.TargetError):
        targetexpr.parse(text)


@given(st.text(max_size=60))
def test_any_text_parses_or_raises_our_error(text: str) -> None:
    analysis = targetexpr.analyze(text, repair=False)
    if analysis.target is not None:
        assert analysis.target.kind in KINDS
    else:
        assert isinstance(analysis.error, ValueError)
        assert pickle.loads(pickle.dumps(analysis.error)).message == analysis.error.message


@given(st.text(alphabet=_GRAMMAR_ALPHABET, max_size=30))
def test_grammar_characters_in_any_order_parse_or_raise_our_error(text: str) -> None:
    with contextlib.suppress(targetexpr.TargetError):
        targetexpr.parse(text)
