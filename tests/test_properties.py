"""Properties of parse, render and the dict form, on generated ASTs and generated text."""

from __future__ import annotations

import copy
import json
import pickle

import pytest
from hypothesis import example, given, settings
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

    # Derandomized and with its own number of examples: a random run of 200 once missed `period`,
    # and the dev profile (50) misses kinds; a coverage check must not depend on the seed.
    @settings(max_examples=400, derandomize=True)
    @given(targets())
    def collect(t: targetexpr.Target) -> None:
        seen.add(t.kind)

    collect()
    assert seen == set(KINDS)


#: Plain numbers have at most 15 integer digits; numbers with thousands separators up to 18.


def _parsed_soundly_or_refused(text: str) -> None:
    """``parse(text)`` either gives a target whose canonical text reads back to the same canonical
    text and which round-trips through the dict form and pickle, or raises a TargetError that
    pickles equal; anything else fails.

    The canonical text is a fixed point, not always the same node: ``下调`` reads as a relative
    target (change down, no amount) whose text ``下降`` reads as the qualitative word 下降.
    """
    error: targetexpr.TargetError | None = None
    try:
        target = targetexpr.parse(text)
    except targetexpr.TargetError as e:
        error = e
    if error is not None:
        assert str(error) == error.message != ""
        assert pickle.loads(pickle.dumps(error)) == error
        return
    assert target.kind in KINDS
    as_dict = targetexpr.to_dict(target)
    assert targetexpr.from_dict(json.loads(json.dumps(as_dict, ensure_ascii=False))) == target
    assert pickle.loads(pickle.dumps(target)) == target
    again = targetexpr.parse(str(target))
    assert str(again) == str(target)
    assert targetexpr.parse(str(again)) == again


@pytest.mark.parametrize("text", ["≥00.0000000", "≥0.0000001", "0.00000001%"])
def test_a_value_below_a_millionth_keeps_its_point_in_the_dict_form(text: str) -> None:
    as_dict = targetexpr.to_dict(targetexpr.parse(text))
    assert "E" not in as_dict["quantity"]["value"]
    assert targetexpr.from_dict(as_dict) == targetexpr.parse(text)


def test_a_number_with_separators_has_the_bound_of_a_plain_number() -> None:
    # Found by the property above: 1,000,000,000,000,000 (16 digits) used to read, and its
    # canonical text (no separators) did not.  Both spellings now stop at 15 digits.
    target = targetexpr.parse("100,000,000,000,000")
    assert targetexpr.parse(str(target)) == target
    with pytest.raises(targetexpr.TargetSyntaxError):
        targetexpr.parse("1,000,000,000,000,000")


_GRAMMAR_ALPHABET = st.sampled_from(sorted(set("0123456789.,%-~/·*()[]≥≤<>=≈\ue000") | set(_grammar.alphabet())))


# A parser built from the grammar: one loaded from tables (a wheel, an editable install) keeps no
# grammar rules for from_lark to read.
@given(from_lark(_grammar.build_parser(), alphabet=_GRAMMAR_ALPHABET))
# Found by this property in CI and in a fuzz run: a counted period's Chinese numeral that is none
# raised a bare ValueError; a value below 10⁻⁶ went into the dict form as 0E-7, which from_dict refuses.
@example("每一一十年百分之〇")
@example("每一〇十年百分之〇")
@example("≥00.0000000")
def test_any_grammar_sentence_parses_or_raises_our_error(text: str) -> None:
    # Grammar sentences are only syntactically valid (month 13 passes): the semantic checks may
    # reject them, but only ever with a TargetError; what they accept round-trips.
    _parsed_soundly_or_refused(text)


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
    _parsed_soundly_or_refused(text)


@given(st.text(alphabet="内以上下前后到达至完成未发生事故现场办结。,;(含)个次", max_size=6))
def test_a_length_with_half_reads_as_the_same_length_in_digits(words: str) -> None:
    # 半小时… is read as 0.5小时… by the whole reader (stop 27 review): whatever follows, it parses
    # soundly or is refused with our error, and when it is typed, 0.5小时… is typed the same (no
    # digits among the words: a number there is a core of its own, 半小时0内 is ≤0 with words).
    _parsed_soundly_or_refused("半小时" + words)
    try:
        half = targetexpr.parse("半小时" + words)
    except targetexpr.TargetError:
        return
    if isinstance(half, targetexpr.Comparison | targetexpr.Range):
        assert targetexpr.parse("0.5小时" + words) == half
