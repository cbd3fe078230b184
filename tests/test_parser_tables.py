"""The compact LALR tables a wheel ships (parser/tables.py): a round trip gives Lark's own parser back."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

import targetexpr
from support import CASES, read_tsv
from targetexpr.parser import grammar as _grammar
from targetexpr.parser import tables as _tables


@cache
def _built() -> Lark:
    return _grammar.build_parser()


@cache
def _text() -> str:
    return _grammar.tables_json(_built())


def _loaded() -> Lark:
    loaded = _grammar.load_tables(_text())
    assert loaded is not None
    return loaded


def _serialized(parser: Lark) -> Any:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data = {**data, "options": {k: v for k, v in data["options"].items() if k != "transformer"}}
    return data, memo


def test_round_trip_gives_the_same_parser_as_lark_serializes_it() -> None:
    # Lark's own serialization of the loaded parser equals that of the parser built from the
    # grammar: the same terminals, rules, options and parse table, action for action.
    assert _serialized(_loaded()) == _serialized(_built())


def test_round_trip_keeps_the_action_order_of_each_state() -> None:
    built = _built().parser.parser._parse_table.states
    loaded = _loaded().parser.parser._parse_table.states
    assert list(loaded) == list(built)
    for state, actions in built.items():
        assert list(loaded[state]) == list(actions), state


def test_each_state_lexes_with_the_terminals_lark_gives_it() -> None:
    # The loader makes the contextual lexer's per-state lexers lazily; Lark makes them all at once.
    built, loaded = _built(), _loaded()
    for state in built.parser.parser._parse_table.states:
        expected = [t.name for t in built.parser.lexer.lexers[state].terminals]
        assert [t.name for t in loaded.parser.lexer.lexers[state].terminals] == expected, state
    assert [t.name for t in loaded.parser.lexer.root_lexer.terminals] == [
        t.name for t in built.parser.lexer.root_lexer.terminals
    ]


def test_precompiled_scanners_equal_what_re_compiles() -> None:
    # A compiled pattern compares its flags and code: equal means the same matcher.
    section = json.loads(_text())["regex"]
    assert section["python"] == _tables.python_key()
    regex = _tables._Precompiled(section)
    assert len(section["patterns"]) > 50  # every scanner of every state, not only the first
    for pattern, flags, *_ in section["patterns"]:
        assert regex.compile(pattern, flags) == re.compile(pattern, flags), pattern[:80]


def test_precompiled_code_is_ignored_under_another_python() -> None:
    section = json.loads(_text())["regex"]
    other = dict(section, python=["cpython", 0, 0, 4])
    pattern, flags, *_ = section["patterns"][0]
    regex = _tables._Precompiled(other)
    assert regex._code == {}
    assert regex.compile(pattern, flags) == re.compile(pattern, flags)
    document = json.loads(_text())
    document["regex"] = other
    parser = _grammar.load_tables(json.dumps(document))
    assert parser is not None
    assert parser.parse("≥95%") == _built().parse("≥95%")


def test_loaded_tables_parse_and_fail_exactly_as_the_built_parser() -> None:
    built, loaded = _built(), _loaded()
    texts = [row[0] for row in read_tsv(CASES / "parse.tsv")] + ["2022年12月31日後", "≥", "2 个三级", "≥≥5"]

    def outcome(parser: Lark, text: str) -> object:
        try:
            return parser.parse(text)
        except Exception as e:  # the same class, position and expected set
            expected = getattr(e, "expected", None) or getattr(e, "allowed", None)
            return (type(e).__name__, getattr(e, "pos_in_stream", None), frozenset(expected or ()))

    for text in texts:
        normal = targetexpr.normalize(text)
        assert outcome(loaded, normal) == outcome(built, normal), text


@pytest.mark.parametrize(
    ("key", "value"),
    [("grammar_sha256", "0" * 64), ("lark", "0.0.1"), ("format", 2), ("format", None)],
)
def test_stale_tables_are_rejected(key: str, value: object) -> None:
    document = json.loads(_text())
    document[key] = value
    assert _grammar.load_tables(json.dumps(document)) is None


def test_tables_of_the_old_layout_are_rejected() -> None:
    # Format 2 was Lark's generic serialization (data + memo); the loader does not read it.
    old = {"format": 2, "lark": json.loads(_text())["lark"], "grammar_sha256": _grammar.grammar_digest()}
    assert _grammar.load_tables(json.dumps({**old, "data": {}, "memo": {}})) is None


def test_a_damaged_parse_table_is_refused() -> None:
    document = json.loads(_text())
    document["state_sizes"] = [*document["state_sizes"][:-1], document["state_sizes"][-1] + 1]
    with pytest.raises(ValueError, match="corrupt"):
        _grammar.load_tables(json.dumps(document))
