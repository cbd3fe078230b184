"""The grammar file: strict build, data tables in agreement, human names, loading."""

from __future__ import annotations

import re
import threading

import pytest
from lark import Lark
from lark.exceptions import UnexpectedInput

import targetexpr
from support import CASES, read_tsv
from targetexpr import datafiles as _data
from targetexpr.parser import grammar as _grammar


def _rule_words(name: str) -> set[str]:
    """The string literals of one rule of the grammar file."""
    text = _grammar.grammar_text()
    match = re.search(rf"^!?{name}:(.*?)(?=^\S)", text, flags=re.M | re.S)
    assert match, name
    body = "\n".join(line.split("//")[0] for line in match.group(1).splitlines())
    return set(re.findall(r'"([^"]+)"', body))


def test_grammar_builds_with_lark_strict_checks() -> None:
    # strict=True fails on any shift/reduce or reduce/reduce conflict and (with interegular
    # installed, as in the test extra) on any regex collision between terminals.
    parser = _grammar.build_parser(strict=True)
    assert isinstance(parser, Lark)


def test_regex_terminals_have_distinct_priorities() -> None:
    # So that Lark's collision check never compares our terminals (a slow build, see the grammar).
    terminals = [t for t in _grammar.get_parser().terminals if t.pattern.type == "re"]
    priorities = [t.priority for t in terminals]
    assert len(priorities) == len(set(priorities)), [(t.name, t.priority) for t in terminals]


def test_parser_is_lalr_and_built_once() -> None:
    parser = _grammar.get_parser()
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"
    assert parser.options.cache is False
    assert _grammar.get_parser() is parser


def test_parser_built_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_grammar, "_parser", None)
    calls = []
    real = _grammar._make  # loads the tables or builds from the grammar, whichever applies

    def counting(transformer: object) -> tuple[Lark, str]:
        calls.append(1)
        return real(transformer)

    monkeypatch.setattr(_grammar, "_make", counting)
    results = []
    threads = [threading.Thread(target=lambda: results.append(_grammar.get_parser())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({id(p) for p in results}) == 1


def test_unit_words_match_the_unit_table() -> None:
    grammar_units = _rule_words("unit_word")
    table = set(_data.units())
    # 年, 月, 日 are terminals of their own (dates use them), not unit_word alternatives; so is 成,
    # which is a unit unless it starts a word (成本, 成果).
    assert grammar_units == table - {"年", "月", "日", "成"}
    assert re.search(r"^CHENG(\.[0-9]+)?: /成", _grammar.grammar_text(), re.M)


def test_comparator_words_match_the_comparator_table() -> None:
    words = _rule_words("word_op") | _rule_words("suffix_op") | {"内", "≥", ">", "≤", "<", "=", "≈"}
    assert words == set(_data.comparators())


def test_magnitudes_and_references_match_their_tables() -> None:
    assert _rule_words("magnitude") == set(_data.magnitudes())
    references = set(_data.references()) - {"同比", "环比"}
    assert _rule_words("ref") == references


@pytest.mark.parametrize(("word", "info"), sorted(_data.comparators().items()))
def test_each_comparator_word_means_what_the_table_says(word: str, info: _data.ComparatorInfo) -> None:
    text = f"{word}5个" if info.position == "prefix" else f"5个{word}"
    target = targetexpr.parse(text)
    assert isinstance(target, targetexpr.Comparison)
    expected = {"reach": "ge", "control": "le"}.get(info.op, info.op)
    assert target.op.name.lower() == expected


@pytest.mark.parametrize("spelling", sorted(set(_data.units()) - {"月"}))
def test_each_unit_spelling_parses_to_its_canonical_unit(spelling: str) -> None:
    info = _data.units()[spelling]
    target = targetexpr.parse(f"≥7{spelling}")
    assert isinstance(target, targetexpr.Comparison)
    assert target.quantity.unit == targetexpr.Unit(info.canonical)


def test_every_terminal_has_a_human_name() -> None:
    parser = _grammar.get_parser()
    missing = []
    for terminal in parser.terminals:
        name = _grammar.human_name(terminal.name)
        # Internal names (NUMBER, __ANON_3) must never reach a user; a word is its own name.
        if not name or re.fullmatch(r"[A-Z0-9_$]+", name) or name.startswith("__"):
            missing.append(terminal.name)
    assert missing == []


def test_grammar_comes_from_the_checkout_or_the_package() -> None:
    assert _grammar.grammar_source() in ("checkout", "package")
    assert "?start: target" in _grammar.grammar_text()


def test_shipped_tables_parse_exactly_as_the_built_parser() -> None:
    built = _grammar.build_parser()
    loaded = _grammar.load_tables(_grammar.tables_json(built))
    assert loaded is not None
    texts = [row[0] for row in read_tsv(CASES / "parse.tsv")] + ["2022年12月31日後", "≥", "2 个三级"]

    def outcome(parser: Lark, text: str) -> object:
        try:
            return parser.parse(text)
        except UnexpectedInput as e:
            expected = getattr(e, "expected", None) or getattr(e, "allowed", None)
            return (type(e).__name__, e.pos_in_stream, frozenset(expected or ()))

    for text in texts:
        normal = targetexpr.normalize(text)
        assert outcome(loaded, normal) == outcome(built, normal), text


def test_stale_tables_are_not_used() -> None:
    import json

    document = json.loads(_grammar.tables_json(_grammar.get_parser()))
    for key, value in [("grammar_sha256", "0" * 64), ("lark", "0.0.1"), ("format", 0)]:
        stale = dict(document, **{key: value})
        assert _grammar.load_tables(json.dumps(stale)) is None


def test_parser_comes_from_current_tables_else_from_the_grammar() -> None:
    # A wheel and an editable install carry tables (hatch_build.py); a bare checkout has none.
    _grammar.get_parser()
    shipped = _grammar._shipped_tables()
    current = shipped is not None and _grammar.load_tables(shipped) is not None
    assert _grammar.parser_source() == ("tables" if current else "grammar")
    if _grammar.grammar_source() == "package":
        assert _grammar.parser_source() == "tables"


def test_tables_of_another_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # An edited grammar in an editable install: its tables are stale, the grammar is built.
    monkeypatch.setattr(_grammar, "grammar_digest", lambda: "0" * 64)
    parser, source = _grammar._make(None)
    assert source == "grammar"
    assert str(parser.parse("≥95%").data) == "comparison"


def test_change_year_and_before_words_match_their_tables() -> None:
    # The grammar lists them as literals; everything else reads data/changes.tsv, data/year_ends.tsv,
    # data/before_words.tsv.
    assert _rule_words("change") == set(_data.changes())
    assert _rule_words("year_end_word") == set(_data.year_ends())
    assert _rule_words("qian") == set(_data.before_words())
    assert _rule_words("xun") == set(_data.ten_days())


@pytest.mark.parametrize(("word", "change"), sorted(_data.changes().items()))
def test_each_change_word_means_what_the_table_says(word: str, change: str) -> None:
    target = targetexpr.parse(f"较上年{word}5%")
    assert isinstance(target, targetexpr.Relative)
    assert target.change is not None
    assert target.change.value == change


@pytest.mark.parametrize(("word", "end"), sorted(_data.year_ends().items()))
def test_each_year_word_means_what_the_table_says(word: str, end: bool) -> None:
    for text in (f"{word}前", word):
        for fast in (True, False):
            target = targetexpr.parse(text, options=targetexpr.ParseOptions(year=2022, fast=fast))
            assert isinstance(target, targetexpr.Deadline)
            assert target.date.end is end
            assert target.date.year == 2022


def test_band_names_cover_every_band() -> None:
    assert set(_data.bands()) == {band.value for band in targetexpr.Band}


def test_a_tenth_or_a_ratio_does_not_cut_a_word_or_a_label() -> None:
    # 成 is a tenth unless it starts a word (成本, 成活率), in the whole cell and in a
    # core the search cuts out of it; a ratio has a second term that is not 0 (指标9:0-6岁 is a label).
    assert targetexpr.analyze("指标1成本控制率").target.kind == "text"  # type: ignore[union-attr]
    assert targetexpr.parse("9成以上") == targetexpr.parse("≥9成")
    assert targetexpr.parse("完成9成以上").kind == "comparison"
    # Words may follow the unit, and the canonical text reads back (found by the fuzzer).
    node = targetexpr.parse("0.0002成以外全覆盖")
    assert targetexpr.parse(str(node)) == node
    assert targetexpr.analyze("指标9:0-6岁儿童健康管理数").target.kind == "text"  # type: ignore[union-attr]
    assert targetexpr.parse("1:1.0") == targetexpr.parse("1:1")
    assert targetexpr.evaluate("1:1", "1:1.0").met is True
    for text in ("2:0", "≤500元/0km"):
        with pytest.raises(targetexpr.TargetSyntaxError):
            targetexpr.parse(text)


def test_a_refused_core_is_raised_without_the_grammar_error_as_its_context() -> None:
    with pytest.raises(targetexpr.TargetSyntaxError) as caught:
        targetexpr.parse("2022年12月-2023年1月万元")
    assert caught.value.__suppress_context__ or caught.value.__context__ is None
