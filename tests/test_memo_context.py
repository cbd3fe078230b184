"""The memos of evaluate and analyze key on what an indicator's name changes, not on the name (#11).

Names (三级指标, 二级指标) are nearly unique per row, so ``evaluate`` keys its memo on the cues the
names contain (``evaluator.cues.matching_cues``) and, for a target text, on its reading with the name
applied; ``analyze`` reads a text once per options and applies each name afterwards.  These tests
show the results are exactly those of a fresh evaluation with the names themselves: every field,
the reason included, in both languages.
"""

from __future__ import annotations

import importlib
import itertools

import attrs
import pytest

import targetexpr
from support import DATA, read_dicts
from targetexpr.evaluator.cues import cues, matching_cues, name_cue

dispatch = importlib.import_module("targetexpr.evaluator.dispatch")
api = importlib.import_module("targetexpr.parser.api")

ROWS = [
    r
    for name in ("real_targets.tsv", "real_targets_2.tsv", "seed_targets.tsv")
    if (DATA / name).exists()
    for r in read_dicts(DATA / name)
    if r.get("target")
]
NAMES = sorted({(r.get("level2", ""), r.get("level3", "")) for r in ROWS})
# Names that give a bare value its unit or comparator, or whose words decide a direction.
NAMES += [
    ("", "补贴资金(万元)"),
    ("", "造林成活率(≥**%)"),
    ("", "排污沟(≥米)"),
    ("", "任务完成时限(月)"),
    ("", "运行经费"),
    ("", "变压器3台"),
    ("", "群众投诉次数"),
    ("社会效益指标", "群众投诉率"),
    ("成本指标", "单位成本"),
    ("", "补助标准(元/亩)"),
]
BARE = ["150", "90", "3", "5", "350万/月", "≥95%", "100", "0", "12", "每亩200", "50"]


def _outcome(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except targetexpr.TargetError as e:
        return (type(e), str(e))


def _cases() -> list[tuple[str, str | None, str, str]]:
    cases = []
    for r, (level2, indicator) in zip(ROWS, itertools.cycle(NAMES), strict=False):
        cases.append((r["target"], r.get("actual") or None, level2, indicator))
    for target, (level2, indicator) in itertools.product(BARE, NAMES[-10:]):
        cases.append((target, "160", level2, indicator))
    return cases


def _evaluate(target: str | targetexpr.Target, actual: str | None, level2: str, indicator: str, lang: str) -> object:
    return _outcome(
        lambda: targetexpr.evaluate(target, actual, points=10, year=2022, indicator=indicator, level2=level2, lang=lang)
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_memoised_results_equal_fresh_ones_with_names(lang: str) -> None:
    cases = _cases()
    fresh = []
    for target, actual, level2, indicator in cases:
        dispatch._memoised.cache_clear()
        api._analyze.cache_clear()
        api._reading.cache_clear()
        api._named.cache_clear()
        fresh.append(_evaluate(target, actual, level2, indicator, lang))
    memoised = [_evaluate(t, a, l2, i, lang) for t, a, l2, i in cases]
    assert memoised == fresh
    assert [_evaluate(t, a, l2, i, lang) for t, a, l2, i in cases] == fresh  # all memo hits now
    assert sum(isinstance(r, targetexpr.Evaluation) for r in fresh) > len(cases) // 2


def test_names_with_the_same_cues_share_a_result_and_others_do_not() -> None:
    # "群众投诉次数" and "来访投诉次数" contain the same cue: one memo entry, the same result.
    first = targetexpr.evaluate("5", "3", points=10, indicator="群众投诉次数", lang="en")
    second = targetexpr.evaluate("5", "3", points=10, indicator="来访投诉次数", lang="en")
    assert matching_cues("", "群众投诉次数") == matching_cues("", "来访投诉次数") != ()
    assert second == first
    assert second.direction_source == "cue:投诉"
    dispatch._memoised.cache_clear()
    assert targetexpr.evaluate("5", "3", points=10, indicator="来访投诉次数", lang="en") == first
    plain = targetexpr.evaluate("5", "3", points=10, indicator="培训人数", lang="en")
    assert plain.met is False
    assert plain.direction_source == "assumed"


def test_every_cue_is_chosen_as_the_names_choose_it() -> None:
    # The reduced form (the cues a name contains) decides as the whole name does, for every unit.
    units = [None, *(targetexpr.parse(f"1{u}").quantity.unit for u in ("%", "万元", "天", "人", "次", "个"))]
    for position, cue in enumerate(cues()):
        level2, indicator = (cue.contains, "") if cue.field == "level2" else ("", cue.contains)
        assert position in matching_cues(level2, indicator)
        for unit in units:
            chosen = name_cue(level2, indicator, unit)
            if chosen is not None:
                assert chosen.contains in (level2 or indicator)


def test_a_name_read_after_the_memo_equals_the_name_in_the_options() -> None:
    base = targetexpr.ParseOptions(repair=True, year=2022)
    texts = [r["target"] for r in ROWS[:300]] + BARE
    for text, (_, indicator) in zip(texts, itertools.cycle(NAMES[-10:] + NAMES[:20]), strict=False):
        api._analyze.cache_clear()
        api._reading.cache_clear()
        expected = targetexpr.analyze(text, options=attrs.evolve(base, indicator=indicator))
        got = api.analyze_named(text, base, indicator)
        assert got == expected
        assert str(got.error) == str(expected.error)
        assert got.repairs == expected.repairs
        assert got.warnings == expected.warnings


def test_names_that_are_not_text_are_refused_as_before() -> None:
    with pytest.raises(targetexpr.TargetValueError, match="must be text") as info:
        targetexpr.evaluate("≥5", "6", indicator=5, lang="en")  # type: ignore[arg-type]
    assert info.value.field == "indicator"
    with pytest.raises(targetexpr.TargetValueError, match="must be text") as info:
        targetexpr.evaluate("≥5", "6", level2=["x"], lang="en")  # type: ignore[arg-type]
    assert info.value.field == "level2"
    options = targetexpr.EvalOptions(indicator="群众投诉次数")
    assert targetexpr.evaluate("5", "3", options=options, lang="en").direction_source == "cue:投诉"
    assert targetexpr.evaluate("5", "3", options=options, indicator="培训人数", lang="en").direction_source == (
        "assumed"
    )
