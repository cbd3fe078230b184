"""The hypothesis strategies we ship (targetexpr.strategies), used on ourselves."""

from __future__ import annotations

import importlib.metadata
import re
from decimal import Decimal

import pytest
from hypothesis import assume, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import targetexpr
from targetexpr.parser.numerals import cn_to_decimal
from targetexpr.strategies import (
    KINDS,
    actuals_for,
    baselines_for,
    chinese_numeral,
    target_text_pairs,
    target_texts,
    targets,
)

MEASURABLE = [k for k in KINDS if k != "masked"]


@given(target_text_pairs())
def test_every_surface_text_parses_to_the_target_it_spells(pair: tuple[str, targetexpr.Target]) -> None:
    text, target = pair
    assert targetexpr.parse(text) == target


@given(target_texts(["comparison"]))
def test_surface_texts_vary_the_spelling(text: str) -> None:
    # Not only the canonical spelling: the strategy is worth something to a downstream parser.
    assert isinstance(targetexpr.parse(text), targetexpr.Comparison)


def test_surface_texts_cover_real_world_spellings() -> None:
    seen: set[str] = set()

    # 1000 examples: the strategies spell more forms since #12 (per-units, ±, 每年…), so a fixed
    # sample of 600 no longer reaches every family of spelling.
    @settings(max_examples=1000, derandomize=True)
    @given(target_texts(["comparison", "value", "deadline", "relative"]))
    def collect(text: str) -> None:
        for mark, name in [
            (" ", "space"),
            ("\u3000", "ideographic space"),
            ("不低于", "word"),
            ("以上", "suffix"),
            (">=", "ascii pair"),
            ("≧", "variant"),
            ("０", "full width"),
            ("百分之", "百分之"),
            (",", "thousands"),
            ("十", "numeral"),
            ("前", "deadline"),
            ("较", "baseline"),
        ]:
            if mark in text:
                seen.add(name)

    collect()
    assert len(seen) >= 10, seen


@given(st.integers(0, 10**8 - 1))
def test_chinese_numerals_read_back(n: int) -> None:
    assert cn_to_decimal(chinese_numeral(n)) == n


def _context(target: targetexpr.Target, data: st.DataObject) -> dict[str, object]:
    relative = target.kind == "relative" or any(p.kind == "relative" for p in getattr(target, "parts", ()))
    return {
        "year": 2022,
        "tolerance": Decimal("0.05"),
        "baseline": data.draw(baselines_for(target)) if relative else None,
    }


@given(st.data(), targets(MEASURABLE), st.booleans())
def test_actuals_for_meet_or_miss_as_asked(data: st.DataObject, target: targetexpr.Target, met: bool) -> None:
    context = _context(target, data)
    actual = data.draw(actuals_for(target, met=met, **context))  # type: ignore[arg-type]
    assert targetexpr.evaluate(target, actual, **context).met is met  # type: ignore[arg-type]


@given(st.data(), targets(["comparison", "value", "range"]))
def test_actuals_for_land_on_both_sides(data: st.DataObject, target: targetexpr.Target) -> None:
    met = data.draw(actuals_for(target, met=True, tolerance=Decimal("0.05")))
    missed = data.draw(actuals_for(target, met=False, tolerance=Decimal("0.05")))
    assert met != missed


def test_actuals_for_needs_the_context_it_names() -> None:
    with pytest.raises(InvalidArgument, match="baseline="):
        actuals_for(targetexpr.parse("较上年增长5%"))
    with pytest.raises(InvalidArgument, match="year="):
        actuals_for(targetexpr.parse("年底前"))
    with pytest.raises(InvalidArgument, match="tolerance="):
        actuals_for(targetexpr.parse("约100人"))
    with pytest.raises(InvalidArgument, match="masked"):
        actuals_for(targetexpr.parse("≥95%;≤****000元"))


def test_from_type_is_registered_through_the_entry_point() -> None:
    names = [e.value for e in importlib.metadata.entry_points(group="hypothesis") if e.name == "targetexpr"]
    assert names == ["targetexpr._hypothesis:_hypothesis_setup_hook"]
    kinds: set[str] = set()

    @settings(max_examples=300)
    @given(st.from_type(targetexpr.Target))
    def collect(target: targetexpr.Target) -> None:
        kinds.add(target.kind)
        assert targetexpr.parse(str(target)) == target

    collect()
    assert kinds == set(KINDS)


@given(st.from_type(targetexpr.Quantity), st.from_type(targetexpr.CalendarDate))
def test_from_type_covers_building_blocks(quantity: targetexpr.Quantity, date: targetexpr.CalendarDate) -> None:
    assert isinstance(quantity, targetexpr.Quantity)
    assert isinstance(date, targetexpr.CalendarDate)


def test_the_library_never_imports_hypothesis() -> None:
    import subprocess
    import sys

    code = "import sys, targetexpr; targetexpr.evaluate('≥1', '2'); print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    "pattern",
    [
        r"\((不)?含(本数)?\)|（(不)?含(本数)?）",  # 60分以上(不含)
        r"^每",  # 每月不少于2次
        r"^(较|比|与)20[0-9]{2}年",  # 较2022年增长5%
        r"^\s*20[0-9]{2}\.[0-9]+\.[0-9]+(--|-|~|至|到)[0-9]+\.[0-9]+",  # 2021.1.1-12.31
        r"^1?[0-9]\.[0-3][0-9](前|之前|以前)",  # 6.30前 (stop 27)
        r"^每年1?[0-9]月[上中下]旬",  # 每年12月中旬前 (stop 27)
    ],
    ids=["mark", "每", "named year", "dotted period", "dotted month and day", "ten days each year"],
)
def test_surface_texts_include_the_less_common_forms(pattern: str) -> None:
    # find() searches until the form appears, then the form must read back.  (A fixed sample of 800
    # examples missed 每 when this ran after the rest of the suite, though never alone: the draws
    # depend on state other tests leave behind, so a sample size is no guarantee.)
    text, target = find(
        target_text_pairs(
            ["period"]
            if "--" in pattern
            else ["deadline"]
            if "前" in pattern or "旬" in pattern
            else ["comparison", "value", "relative"]
        ),
        lambda pair: re.search(pattern, pair[0]) is not None,
        settings=settings(max_examples=20_000, derandomize=True, database=None),
    )
    assert targetexpr.parse(text) == target, text


@settings(max_examples=200, database=None)
@given(st.data(), st.sampled_from(["-0", "0", "-5", "5"]))
def test_the_percent_word_spelling_takes_no_sign(data: st.DataObject, value: str) -> None:
    # 百分之-0 is no spelling of -0%: the texts strategy wrote it for the range -0%~0% (found by the
    # testing.md example in CI); a negative or negative-zero percentage is written with its sign and %.
    from decimal import Decimal

    from targetexpr.strategies.texts import _quantity_text

    q = targetexpr.Quantity(Decimal(value), targetexpr.Unit("%"))
    text = data.draw(st.composite(lambda draw: _quantity_text(draw=draw, q=q))())
    assert not re.match(r"百分之\s*-", text), text
    assert targetexpr.parse(text) == targetexpr.Value(q), text


def test_compound_texts_spell_lists_and_numbered_items() -> None:
    """#12: counts listed with 、 (1600人、200人) and numbered lists (1:≥95%;2:有所提升) are spelt,
    and each reads back as the compound it spells."""
    seen: set[str] = set()

    @settings(max_examples=200, derandomize=True)
    @given(target_text_pairs(["compound"]))
    def collect(pair: tuple[str, targetexpr.Target]) -> None:
        text, target = pair
        if text[:1] == "1" and text[1:2] in (":", "：", "、", ".", ")") and not text[2:3].isdigit():
            seen.add("numbered")
        if "、" in text and not any(sep in text for sep in ";；,，"):
            seen.add("listed")
        assert targetexpr.parse(text) == target

    collect()
    assert seen == {"numbered", "listed"}


@given(st.data(), st.sampled_from([targetexpr.Op.LE, targetexpr.Op.GE]), st.integers(0, 10))
def test_a_length_and_a_half_is_spelled_with_half_and_reads_back(
    data: st.DataObject, op: targetexpr.Op, n: int
) -> None:
    # 半年内, 一个半月内, 两个半小时以上 (stop 27): the branch target_text_pairs takes for a bound of N.5
    # units of time; drawn here directly, since a search of all pairs reaches it only after minutes.
    from decimal import Decimal

    from targetexpr.strategies.texts import _half_text

    base = data.draw(st.sampled_from(["年", "小时", "个月", "天", "周"]))
    node = targetexpr.Comparison(op, targetexpr.Quantity(Decimal(n) + Decimal("0.5"), targetexpr.Unit(base)))
    text = data.draw(st.composite(lambda draw: _half_text(draw, node))())
    assume(text is not None)  # else digits this time (or 一年半, which it does not write); never: Unsatisfiable
    assert text is not None
    assert "半" in text
    assert not any(c.isdigit() for c in text.replace(str(n), "", 1))
    assert targetexpr.parse(text) == node, text
