"""The grammar path without Lark (issue #11, fourth round): the parser's own tables and loop.

A text that parses (and a syntax error of the usual kinds) is parsed from the parser's own tables
(:class:`targetexpr.parser.tables.Tables`) by its own loop, scanner and reductions: Lark is not
imported.  Missing or stale tables fall back to a parser built from the grammar, whose tables the
loop then runs.  ``tests/test_lalr_driver.py`` compares every result and error with Lark's own loop.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import targetexpr
from targetexpr import ParseOptions, TargetSyntaxError

grammar = importlib.import_module("targetexpr.parser.grammar")
tables = importlib.import_module("targetexpr.parser.tables")
lalr = importlib.import_module("targetexpr.parser.lalr")
transform = importlib.import_module("targetexpr.parser.transform")
tree_items = importlib.import_module("targetexpr.parser.tree_items")

#: Texts of every path a first parse takes: plain, a compound with a wordy part (a syntax error
#: inside, then the core search), a classifier the unit table lacks (retried with a placeholder),
#: a relative target, dates, and two syntax errors reported to the caller.
_CODE = """
import sys, targetexpr
texts = ["2022年12月31日前完成验收, 不低于95%", "≥95%", "8盆", "较上年增长5%", "[90%, 100%]", "2022年底前"]
print([str(targetexpr.parse(t)) for t in texts])
for bad in ["≥≥5", "2022年12月31日後"]:
    try:
        targetexpr.parse(bad)
    except targetexpr.TargetSyntaxError as e:
        print(e.position, sorted(e.expected))
from targetexpr.parser import grammar
print(grammar.parser_source(), "lark" in sys.modules)
"""


def _run(code: str) -> list[str]:
    env = dict(os.environ, TARGETEXPR_LANG="en")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    return out.stdout.splitlines()


def test_a_fresh_interpreter_parses_without_importing_lark() -> None:
    shipped = grammar._shipped_tables()
    if shipped is None or tables.read(shipped, grammar.grammar_text()) is None:
        pytest.skip("no current tables here (a bare checkout): the parser is built with Lark")
    lines = _run(_CODE)
    assert lines[-1] == "tables False", lines
    # The same results and errors as in this process, where Lark may well be imported.
    assert lines[:-1] == _run(_CODE.replace("import sys, targetexpr", "import sys, lark, targetexpr"))[:-1]


def test_the_errors_of_the_loop_are_those_lark_errors_reads() -> None:
    driver = grammar.get_driver()
    with transform.calling(ParseOptions(), {}):
        with pytest.raises(lalr.UnexpectedCharacters) as chars:
            driver.parse("≥95%验")
        with pytest.raises(lalr.UnexpectedToken) as token:
            driver.parse("≥≥5")
    assert chars.value.pos_in_stream == 4
    assert "OTHER_UNIT" not in chars.value.allowed
    assert token.value.token.type == "GE"
    assert token.value.pos_in_stream == 1
    assert driver.accepts(token.value.state.state_stack) <= token.value.expected
    assert driver.accepts(token.value.state.state_stack)


def test_tables_agree_with_larks_parser() -> None:
    """Every state's actions and lexer in the plain tables are those of Lark's parser."""
    from lark.parsers.lalr_analysis import Shift

    own = grammar.get_tables()
    lark = grammar.get_parser()
    states = lark.parser.parser._parse_table.states
    assert own.count == len(states)
    rules = lark.rules
    for state, actions in states.items():
        row = own.row(state)
        assert list(row) == list(actions), state
        for name, (action, arg) in actions.items():
            code = row[name]
            if action is Shift:
                assert code == arg
            else:
                assert rules[code - own.count] is arg
        index, terminals = own.lexer(state)
        lexer = lark.parser.lexer.lexers[state]
        if index not in own.lark_lexers:
            assert [t.name for t in terminals] == [t.name for t in lexer.scanner.terminals], state
    _, root = own.lexer(None)
    assert [t.name for t in root] == [t.name for t in lark.parser.lexer.root_lexer.scanner.terminals]


def test_missing_tables_fall_back_to_the_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_tables", "_driver", "_parser", "_source"):
        monkeypatch.setattr(grammar, name, None if name != "_source" else "")
    monkeypatch.setattr(grammar, "_shipped_tables", lambda: None)
    driver = grammar.get_driver()
    assert grammar.parser_source() == "grammar"
    with transform.calling(ParseOptions(), {}):
        assert str(driver.parse("≥95%")) == "≥95%"
        assert isinstance(driver.parse("≥≥5", "OTHER_UNIT"), lalr.Failed)
    # The loop's tables are those of the parser built from the grammar (same numbering).
    assert grammar.get_parser().parser.parser._parse_table.states[0].keys() == grammar.get_tables().row(0).keys()


def test_errors_without_tables_are_reported_from_one_numbering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built from the grammar, every parser of the process reads the same tables: a syntax error the
    tree parser finds is explained with the loop's tables (two builds number the states apart, and
    "(十十个)" then crashed with a KeyError instead of a TargetSyntaxError)."""
    for name in ("_tables", "_driver", "_parser", "_tree_parser", "_source", "_generated"):
        monkeypatch.setattr(grammar, name, None if name != "_source" else "")
    monkeypatch.setattr(grammar, "_shipped_tables", lambda: None)
    for text in ("(十十个)", "(升/100公里)", "(千分之三)", "≥≥5"):
        with pytest.raises(TargetSyntaxError):
            targetexpr.parse(text)
    assert grammar.parser_source() == "grammar"
    tree, own = grammar.get_tree_parser().parser.parser._parse_table.states, grammar.get_tables()
    assert all(tree[state].keys() == own.row(state).keys() for state in tree)


@pytest.mark.parametrize(
    ("key", "value"), [("grammar", "?start: target\n"), ("grammar", None), ("lark", "0.0.1"), ("format", 3)]
)
def test_stale_tables_are_not_read(key: str, value: object) -> None:
    shipped = grammar._shipped_tables() or grammar.tables_json(grammar.build_parser())
    document = json.loads(shipped)
    assert tables.read(json.dumps(document), grammar.grammar_text()) is not None
    document[key] = value
    assert tables.read(json.dumps(document), grammar.grammar_text()) is None


def test_stale_tables_fall_back_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """Tables of another Lark version are noticed without Lark imported, and the parser is built
    from the grammar: the same results."""
    code = """
import json, sys
from targetexpr.parser import grammar
real = grammar._shipped_tables() or grammar.tables_json(grammar.build_parser())
stale = json.loads(real)
stale["lark"] = "0.0.1"
grammar._shipped_tables = lambda: json.dumps(stale)
import targetexpr
print(targetexpr.parse("2022年12月31日前完成验收, 不低于95%"), grammar.parser_source())
"""
    assert _run(code) == ["2022年12月31日前验收;≥95% grammar"]


def test_the_installed_lark_is_found_without_importing_it() -> None:
    version = importlib.import_module("lark").__version__
    code = f"""
import sys
from targetexpr.parser import tables
print(tables.same_lark({version!r}), tables.same_lark("0.0.1"), "lark" in sys.modules)
"""
    (first,) = _run(code)
    same, other, imported = first.split()
    assert (same, other) == ("True", "False")
    # "0.0.1" has no installer record: Lark is imported to ask it (never a wrong answer).
    assert imported == "True"
    assert _run(code.replace(', tables.same_lark("0.0.1")', ""))[0].split()[-1] == "False"


def test_tokens_keep_larks_fields() -> None:
    from lark import Token as LarkToken

    theirs = LarkToken("NUMBER", "95", 1, 1, 2, 1, 4, 3)
    ours = tree_items.Token.of(theirs)
    assert isinstance(ours, str)
    assert ours == "95"
    assert ours.type == "NUMBER"
    assert (ours.start_pos, ours.end_pos, ours.column, ours.end_column) == (1, 3, 2, 4)
    back = ours.lark()
    assert back == theirs
    assert (back.type, back.end_pos) == (theirs.type, theirs.end_pos)
    assert repr(ours) == repr(theirs)
