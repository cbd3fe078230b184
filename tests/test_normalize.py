"""normalize(): NFKC, whitespace, case, aliases; idempotent; positions kept."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targetexpr import TargetValueError, normalize
from targetexpr import datafiles as _data
from targetexpr.parser.normalize import normalize_with_map
from targetexpr.parser.numerals import cn_to_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≧ ９５ ％", "≥95%"),
        ("＞＝90%", "≥90%"),
        ("> = 90%", "≥90%"),
        ("=>90%", "≥90%"),
        ("═100%", "=100%"),
        ("﹦72890元", "=72890元"),
        ("≤400\u3000万元", "≤400万元"),
        ("15\u00a0个", "15个"),
        ("≥80M", "≥80m"),
        ("1.2萬人次", "1.2万人次"),
        ("元/人・月", "元/人·月"),
        ("85%—90%", "85%-90%"),
        ("85%〜90%", "85%~90%"),
        ("（不含当日）", "(不含当日)"),
        ("\ufeff≥\u200b5%", "≥5%"),
        ("㎡", "m2"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert normalize(text) == expected


@given(st.text())
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


_ALIAS_CHARACTERS = sorted(set("".join(_data.aliases())) | set("".join(_data.aliases().values())) | set("=<>≥≤ 1"))


@given(st.text(alphabet=st.sampled_from(_ALIAS_CHARACTERS), max_size=40))
def test_no_alias_is_left_in_the_output(text: str) -> None:
    # The single pass re-reads each replacement with its neighbours, so chains resolve fully.
    out = normalize(text)
    assert not any(normalize(source) != source and source in out for source in _data.aliases())


@pytest.mark.parametrize(("text", "expected"), [(">" + "=" * 5, "≥"), ("=" * 4 + ">", "===≥"), ("≥=" * 3, "≥≥≥")])
def test_alias_chains(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_alias_chains_are_linear_not_quadratic() -> None:
    # Regression (#5): whole passes were repeated until nothing changed, one "=" per pass, so
    # ">" + "=" * 8000 took 12 s (and 100,000 characters about half an hour).  One pass now: a
    # few milliseconds.  The bound is 100 times the time the fixed code takes, so only a
    # return of the quadratic loop fails it.
    start = time.perf_counter()
    assert normalize(">" + "=" * 20_000) == "≥"
    assert time.perf_counter() - start < 2.0


@given(st.text())
def test_every_character_points_back_into_the_original(text: str) -> None:
    norm = normalize_with_map(text)
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= i < len(text) for i in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


def test_rejects_non_text() -> None:
    for bad in (None, b"\xe2\x89\xa595%", 95, 95.0):
        with pytest.raises(TargetValueError, match="must be str"):
            normalize(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十五", "15"),
        ("两", "2"),
        ("三千零五", "3005"),
        ("三千五", "3500"),
        ("一万五", "15000"),
        ("一亿五千万", "150000000"),
        ("九十五点五", "95.5"),
        ("二〇二二", "2022"),
        ("百", "100"),
        ("十万", "100000"),
    ],
)
def test_chinese_numerals(text: str, value: str) -> None:
    assert str(cn_to_decimal(text)) == value


@pytest.mark.parametrize("text", ["十十", "万", "五点", "万万", "零十", "百百"])
def test_malformed_chinese_numerals(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the parser reports the message; any ValueError
        cn_to_decimal(text)


def test_the_quick_check_misses_nothing_normalisation_changes() -> None:
    # normalize_with_map returns a text at once when NFKC keeps it and _changes() finds nothing in it
    # (#11): every character and every alias that normalisation changes must be found by it.
    import importlib
    import unicodedata

    module = importlib.import_module("targetexpr.parser.normalize")
    changes = module._changes()
    for code in range(0x30000):
        c = chr(code)
        if unicodedata.category(c) == "Cs" or changes.search(c) is not None:
            continue
        if unicodedata.is_normalized("NFKC", c):
            assert module._char(c) == c, hex(code)
    for alias in module._alias_index()[0]:
        assert changes.search("1" + alias + "1") is not None, alias
        assert module._triggers().search(alias) is not None, alias  # what the first look needs


def test_the_first_look_finds_a_character_of_whatever_normalisation_changes() -> None:
    # is_normal and normalize_with_map look for a character of _triggers() first, and ask
    # _changes() only when one is there (#11): nothing _changes() finds may lack one.
    import importlib
    import unicodedata

    module = importlib.import_module("targetexpr.parser.normalize")
    changes, triggers = module._changes(), module._triggers()
    for code in range(0x30000):
        c = chr(code)
        if unicodedata.category(c) != "Cs" and changes.search(c) is not None:
            assert triggers.search(c) is not None, hex(code)
    for text in ["≥95%", "15个", "及时", "≥ 95%", ">=95%", "5月份", "≥95%\u200b", "5KM", "5份", "≥=5", "全"]:
        assert module.is_normal(text) == (normalize(text) == text), text


def _careful(text: str) -> tuple[str, list[int]]:
    import importlib

    module = importlib.import_module("targetexpr.parser.normalize")
    chars, origin = module._apply_aliases(list(text), list(range(len(text))))
    return "".join(chars), origin


def test_aliases_at_once_replace_what_the_careful_pass_replaces() -> None:
    # The one pass (#11) answers only where it is sure; there it must equal the careful pass, on every
    # short text of the characters that form the longer aliases, replace into them or sit next to them.
    import importlib
    import itertools

    module = importlib.import_module("targetexpr.parser.normalize")
    table = module._alias_index()[0]
    near = {c for alias in table if len(alias) > 1 for c in alias}
    near |= {alias for alias, target in table.items() if len(alias) == 1 and target in near}
    alphabet = sorted(near | {"5", "%"})
    answered = 0
    for length in range(1, 5):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            once = module._aliases_at_once(text, range(len(text)))
            if once is not None:
                answered += 1
                assert once == _careful(text), text
    assert answered > 1000  # not silently off


_ALIAS_LETTERS = sorted({c for alias, target in _data.aliases().items() for c in alias + target} | set("5%万元"))


@given(st.text(alphabet=st.sampled_from(_ALIAS_LETTERS), max_size=12))
def test_aliases_at_once_on_any_text_of_alias_characters(text: str) -> None:
    import importlib

    module = importlib.import_module("targetexpr.parser.normalize")
    once = module._aliases_at_once(text, range(len(text)))
    if once is not None:
        assert once == _careful(text)
