"""The LALR loop of ``parser.lalr`` (issue #11) gives what Lark's own loop gives, text for text.

Both run the same tables, lexers and embedded AST builder; the driver resolves each action once and
matches each token with the state's scanner itself; asked to be quiet, it returns a ``Failed`` for a
syntax error instead of raising it, whose ``error()`` is the exception the loud parse raises.
Compared: the AST, or the exception's class, token (type, text, positions, line, column), expected
set, state stack, position and allowed set, which is everything :mod:`targetexpr.parser.lark_errors`
reads from them.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import case_and_real_texts
from targetexpr import ParseOptions
from targetexpr.parser.normalize import normalize_with_map

grammar = importlib.import_module("targetexpr.parser.grammar")
transform = importlib.import_module("targetexpr.parser.transform")
lalr = importlib.import_module("targetexpr.parser.lalr")

_OPTIONS = [ParseOptions(), ParseOptions(year=2022, date_order="mdy", deadline_inclusive=False)]


def _token(token: Any) -> tuple[object, ...] | None:
    if token is None:
        return None
    return (token.type, str(token), token.start_pos, token.end_pos, token.line, token.column, token.end_column)


def _run(parse: Any, text: str, options: ParseOptions) -> tuple[object, ...]:
    with transform.calling(options, {}):
        try:
            return ("ok", parse(text))
        except Exception as e:  # every outcome is compared, whatever its class
            state = getattr(e, "state", None)
            return (
                type(e).__name__,
                str(getattr(e, "message", "")) or type(e).__name__,
                _token(getattr(e, "token", None)),
                frozenset(getattr(e, "expected", None) or ()),
                frozenset(getattr(e, "allowed", None) or ()),
                getattr(e, "pos_in_stream", None),
                getattr(e, "line", None),
                getattr(e, "column", None),
                list(state.state_stack) if state is not None else None,
                [_token(t) for t in getattr(e, "token_history", None) or ()],
            )


def _same(text: str) -> None:
    lark = grammar.get_parser()
    driver = grammar.get_driver()
    for options in _OPTIONS:
        expected = _run(lark.parse, text, options)
        assert _run(driver.parse, text, options) == expected, (text, options)
        # Quiet: a Failed for a syntax error (or the error itself where the lexer's fallback raises
        # it), and always the error of a character where OTHER_UNIT was allowed (it is retried).
        # The Failed's error is the very error the loud parse raises.
        quiet = _run(lambda t: driver.parse(t, "OTHER_UNIT"), text, options)
        if expected[0] == "ok" or (expected[0] == "UnexpectedCharacters" and "OTHER_UNIT" in expected[4]):
            assert quiet == expected, (text, options)
        elif quiet[0] == "ok":
            failed = quiet[1]
            assert isinstance(failed, lalr.Failed), (text, options)
            assert _run(functools.partial(_raise, failed), text, options) == expected, (text, options)
        else:
            assert quiet == expected, (text, options)


def _raise(failed: Any, text: str) -> None:
    raise failed.error()


def _texts() -> list[str]:
    texts = case_and_real_texts()
    normalized = {normalize_with_map(t).text for t in texts}
    return sorted(t for t in normalized if t)


_TEXTS = _texts()


def test_the_texts_reach_both_outcomes() -> None:
    """The comparison below sees parsed texts, syntax errors and a character no state accepts."""
    lark = grammar.get_parser()
    kinds = {_run(lark.parse, t, ParseOptions())[0] for t in _TEXTS}
    assert {"ok", "UnexpectedToken", "UnexpectedCharacters"} <= kinds
    driver = grammar.get_driver()
    quiet = [_run(lambda t: driver.parse(t, "OTHER_UNIT"), t, ParseOptions()) for t in _TEXTS]
    assert any(outcome[0] == "ok" and isinstance(outcome[1], lalr.Failed) for outcome in quiet)


@pytest.mark.parametrize("text", _TEXTS)
def test_normalised_texts_parse_as_lark_parses_them(text: str) -> None:
    _same(text)


def test_a_line_break_is_lexed_by_lark() -> None:
    """A text with a line break (normalisation removes them; the driver never assumes it) goes
    through Lark's own lexer, line numbers and all."""
    for text in ["≥95%\n", "≥9\n5%", "\n≥95%", "2022年\n12月31日前"]:
        _same(text)


def test_pass_through_rules_are_resolved() -> None:
    """``?rule`` reductions of a single kept child cost no call: the driver keeps the child."""
    driver = grammar.get_driver()
    rows = [driver._actions[state] for state in driver._conf.states]  # each resolved on first use
    reductions = {id(e): e for row in rows for e in row.values() if isinstance(e, tuple)}
    assert any(callback is None for _, _, callback in reductions.values())
    assert any(callback is not None for _, _, callback in reductions.values())


_PIECES = st.sampled_from(
    [
        *["≥", "≤", ">", "=", "95", "1,000", ".5", "%", "万元", "个", "年", "月", "日", "前", "底", ",", "*"],
        *["较上年", "增长", "(含)", "(不含)", "[", "]", "-", "~", "後", "盆", "达到", "以上", "2022", "12", "\ue000"],
        *["每", "年底", "第", "季度", "十五", "百分之", "±", "在", "之间", "a", "\n", "2022.12.31", "12/31/2021"],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
def test_mangled_texts_parse_as_lark_parses_them(text: str) -> None:
    _same(text)


def test_dispatch_finds_what_the_scanner_finds() -> None:
    """Every state's dispatch (string terminals by their first character, then each expression on
    its own) finds the terminal and end the state's one regular expression finds, at every
    position of the texts and of words that run into each other."""
    driver = grammar.get_driver()
    lexers = {id(driver._lexer.lexers[s]): driver._lexer.lexers[s] for s in driver._conf.states}
    texts = [*_TEXTS[::3], "%(百分比)以上", "km2万元/人·月", "百分之九十五", "2022.12.31前", "**000元", "1-10月", "kwh"]
    compared = 0
    for lexer in lexers.values():
        scanner = lexer.scanner
        if lexer.callback or len(scanner._mres) != 1:
            continue
        dispatch = lalr._Dispatch(scanner.terminals, lexer.g_regex_flags, {})
        full = scanner._mres[0].match
        for text in texts:
            for position in range(len(text)):
                found = full(text, position)
                expected = (found.lastgroup, found.end()) if found is not None else None
                assert dispatch.scan(text, position) == expected, (text, position)
                compared += expected is not None
    assert compared > 1000
