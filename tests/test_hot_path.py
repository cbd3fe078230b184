"""Issue #11, fourth round: the shortcuts for invalid texts and distinct targets give what the long
way gives.

* The core search and the noise hint with a per-cell memo of readings (``tried``, seeded with the
  whole text the grammar has just rejected) find what they find without it.
* ``TargetSyntaxError.with_hint`` equals the error built again by ``TargetSyntaxError.at``.
* The error message's fast checks (printable text, ASCII width) equal the character loops.
* ``default_language`` reads ``TARGETEXPR_LANG`` as ``os.environ.get`` does, and ``call_in`` sets
  the language as ``language()`` does.
* Fifth round: the usual cell read in one step (``api._usual``) is the analysis the whole way gives,
  field by field, in both languages; what would speak (a warning, an error) goes the whole way.
"""

from __future__ import annotations

import importlib
import os
import unicodedata

import attrs
import pytest

from support import CASES, DATA, read_dicts, read_tsv
from targetexpr import ParseOptions, TargetError, TargetSyntaxError, current_language, language, parse
from targetexpr.errors import _printable, display_width
from targetexpr.i18n import ENV, call_in, default_language

core = importlib.import_module("targetexpr.parser.core")
read = importlib.import_module("targetexpr.parser.read")
lark_errors = importlib.import_module("targetexpr.parser.lark_errors")
normalize = importlib.import_module("targetexpr.parser.normalize")

_OPTIONS = [ParseOptions(), ParseOptions(fast=False), ParseOptions(year=2022, deadline_inclusive=False)]


def _texts() -> list[str]:
    texts: set[str] = set()
    for name in ("parse.tsv", "errors.tsv", "evaluate.tsv"):
        for row in read_tsv(CASES / name):
            texts.update(t for t in row[:2] if t and not t.startswith("{"))
    for row in read_dicts(DATA / "real_targets.tsv"):
        texts.update(t for t in (row["target"], row["actual"]) if t)
    texts.update(["≥68.81%≥", "2022年13月前", "2条2条", "≥95%以", "1个(项)", "每户补助5000元", ">70%≥70%"])
    texts.update(["2029年8月20日後", "≥95%(不含", "40↑"])
    return sorted(texts)


def _rejected(text: str, options: ParseOptions) -> normalize.Normalized | None:
    """The normalised text when the grammar rejects it whole (where the reader searches it)."""
    norm = normalize.normalize_with_map(text)
    if not norm.text or lark_errors._parses(s=norm.text, ctx=options) is not None:
        return None
    return norm


def _refusal(norm: normalize.Normalized, options: ParseOptions, tried: dict[str, object] | None) -> str | None:
    """The error the core search raises for ``norm``, or ``None`` when it raises none."""
    try:
        core.find_cores(norm, options, tried) if tried is not None else core.find_cores(norm, options)
    except TargetSyntaxError as e:
        return str(e)
    return None


def test_core_search_with_memo_finds_what_it_finds_without() -> None:
    searched = 0
    for text in _texts():
        for options in _OPTIONS:
            norm = _rejected(text, options)
            if norm is None:
                continue
            searched += 1
            tried: dict[str, object] = {norm.text: None}
            refused = _refusal(norm, options, None)
            if refused is not None:
                # A core the search refuses with an error (a unit after a date, #12): the same error
                # with the memo.
                assert _refusal(norm, options, tried) == refused, text
                continue
            fresh = core.find_cores(norm, options)
            memoised = core.find_cores(norm, options, tried)
            assert memoised == fresh, text
            assert (memoised.span if memoised is not None else None) == (fresh.span if fresh is not None else None)
            # The hint reuses what the search parsed: the same sentence as from scratch.
            assert read._noise_hint(s=norm.text, ctx=options, tried=tried) == read._noise_hint(
                s=norm.text, ctx=options
            ), text
            # What the memo holds is what the grammar reads.
            for part, node in tried.items():
                assert node == lark_errors._parses(s=part, ctx=options), (text, part)
    assert searched > 100  # the corpus has wordy and invalid cells to search


def test_core_memo_does_not_change_the_try_budget() -> None:
    # A cell that needs every try of its budget finds no core with the memo either (the memo's
    # hits count as tries): a long sentence with digits late in it.
    text = "为进一步加强和改进本单位财政资金管理工作切实提高资金使用效益确保各项目标任务按期完成" * 2 + "完成100%"
    norm = normalize.normalize_with_map(text)
    options = ParseOptions()
    assert core.find_cores(norm, options) == core.find_cores(norm, options, {norm.text: None})


def _errors() -> list[TargetSyntaxError]:
    found = []
    for row in read_tsv(CASES / "errors.tsv"):
        try:
            parse(row[0])
        except TargetSyntaxError as e:
            found.append(e)
        except TargetError:  # other error classes are not this test's
            continue
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_hint_equals_the_error_built_again(lang: str) -> None:
    with language(lang):
        errors = _errors()
        assert len(errors) > 20
        for error in errors:
            # Built again from its fields, the raised error is the same: the comparison below is fair.
            assert error == TargetSyntaxError.at(
                error.text, error.position, error.reason, found=error.found, expected=error.expected, hint=error.hint
            )
            for hint in ("This looks like extraction noise.", ""):
                again = TargetSyntaxError.at(
                    error.text, error.position, error.reason, found=error.found, expected=error.expected, hint=hint
                )
                added = error.with_hint(hint)
                assert added == again
                assert str(added) == str(again)
                assert added.args == again.args
                # An error that has a hint gets the new one in place of it.
                other = TargetSyntaxError.at(
                    error.text, error.position, error.reason, found=error.found, expected=error.expected, hint="Other."
                )
                assert added.with_hint("Other.") == other


def _slow_printable(text: str) -> str:
    out = []
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cs", "Cf", "Co", "Cn") or c in "\u2028\u2029":
            out.append(c.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


@pytest.mark.parametrize(
    "text",
    ["≥95%", "abc def", "2022年12月31日後", "a\tb", "x\u2028y", "\u3000全角 空格", "\x00", "\ue000盆", "\u200b"],
)
def test_message_fast_checks_equal_the_loops(text: str) -> None:
    assert _printable(text) == _slow_printable(text)
    assert display_width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("value", [None, "en", "zh", "zh_CN.UTF-8", "en-US", "fr", ""])
def test_default_language_reads_the_environment_as_os_environ_get(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    expected = "en" if value is not None and value.lower().startswith("en") else "zh"
    if value is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, value)
    assert default_language() == expected
    # Changed again in the same process: read afresh, not remembered.
    monkeypatch.setenv(ENV, "zh" if expected == "en" else "en")
    assert default_language() != expected


def test_default_language_with_a_replaced_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "environ", {ENV: "en"})
    assert default_language() == "en"
    monkeypatch.setattr(os, "environ", {})
    assert default_language() == "zh"


def test_default_language_stops_reading_raw_bytes_that_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    # A Python whose os.environ keeps its values under other keys: the raw read finds nothing where
    # os.environ.get finds a value, and from then on only os.environ.get is asked.
    from targetexpr import i18n

    monkeypatch.setattr(i18n, "_RAW_KEY", b"NOT_" + os.fsencode(ENV))
    monkeypatch.setattr(i18n, "_RAW_RELIABLE", True)
    monkeypatch.setattr(i18n, "_RAW_DEFAULTS", {})
    monkeypatch.setenv(ENV, "en")
    assert default_language() == "en"
    assert i18n._RAW_RELIABLE is False
    monkeypatch.setenv(ENV, "zh")
    assert default_language() == "zh"
    monkeypatch.delenv(ENV)
    assert default_language() == "zh"
    monkeypatch.setenv(ENV, "en")
    assert default_language() == "en"


def test_call_in_sets_and_restores_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert call_in("en", current_language) == "en"
    assert call_in("zh_CN", current_language) == "zh"
    assert current_language() == "zh"
    with language("en"):
        assert call_in("en", current_language) == "en"
        assert call_in("zh", current_language) == "zh"
        assert current_language() == "en"

    def fails() -> None:
        assert current_language() == "en"
        raise KeyError("inside")

    with pytest.raises(KeyError):
        call_in("en", fails)
    assert current_language() == "zh"
    with pytest.raises(ValueError, match="xx"):
        call_in("xx", current_language)


# --- the usual cell in one step (#11, fifth round) -----------------------------------------------

api = importlib.import_module("targetexpr.parser.api")

_USUAL_OPTIONS = [
    ParseOptions(),
    ParseOptions(repair=True),
    ParseOptions(year=2022, deadline_inclusive=False),
    ParseOptions(fast=False),
    ParseOptions(default_unit="万元"),
    ParseOptions(indicator="补助资金(万元)"),
]
_USUAL_EXTRA = [
    " ≥95% ",
    "≥ 95 %",
    "不低于 ９５ ％",
    "250%",
    "≥210%",
    "350万/月",
    "及时",
    "基本达标",
    "不达标",
    "年底前",
    "2022年6月底前",
    "6月前",
    "15个以上",
    "2022年",
    "2022.12",
    "5万万",
    "",
    " ",
]


def _shown(analysis: api.Analysis) -> tuple[object, ...]:
    target = analysis.target
    assert target is not None
    return (
        analysis.text,
        analysis.normalized,
        target,
        type(target),
        target.span,
        target.written,
        str(target),
        target.to_dict(),
        analysis.error,
        analysis.repairs,
        analysis.warnings,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_usual_cell_in_one_step_is_what_the_whole_way_gives(lang: str) -> None:
    texts = sorted({*_texts(), *_USUAL_EXTRA})
    read_in_one_step = 0
    for options in _USUAL_OPTIONS:
        for text in texts:
            if len(text) > api.MAX_LENGTH:
                continue
            whole = api._analyze.__wrapped__(text, options, lang)
            if api._usual(text, options) is None:
                continue
            read_in_one_step += 1
            # Only a clean reading is made in one step, and it is the whole way's to the last field:
            # the record analyze() keeps, and the target parse() keeps without a record.
            assert whole.error is None, text
            assert (whole.repairs, whole.warnings) == ((), ()), text
            with language(lang):
                usual = api._wordless.__wrapped__(text, options)
                parsed = api._parsed.__wrapped__(text, options)
            assert _shown(usual) == _shown(whole), (text, options)
            assert parsed is not None
            assert _shown(attrs.evolve(whole, target=parsed)) == _shown(whole), (text, options)
    assert read_in_one_step > len(texts)  # not silently off


def test_the_usual_cell_leaves_what_speaks_to_the_whole_way() -> None:
    # Warnings, a unit of denominators only, options the one step does not apply: the whole way.
    for text, options in [
        ("250%", ParseOptions()),
        ("350万/月", ParseOptions()),
        ("≥95%", ParseOptions(fast=False)),
        ("95", ParseOptions(default_unit="%")),
        ("95", ParseOptions(indicator="完成率(%)")),
        ("≥95%\x07", ParseOptions()),
    ]:
        assert api._usual(text, options) is None, text
    assert api._usual("≥95%", ParseOptions()) is not None
    assert api._usual("≥199.99%", ParseOptions()) is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parse_and_analyze_memos_answer_as_the_whole_way(lang: str) -> None:
    # parse() keeps targets (_parsed), analyze() records (_wordless); what is not clean is asked of
    # _analyze in the caller's language.  Fresh memos against the whole way, twice (misses, hits).
    texts = [t for t in sorted({*_texts(), *_USUAL_EXTRA}) if len(t) <= api.MAX_LENGTH]
    api._parsed.cache_clear()
    api._wordless.cache_clear()
    for _ in range(2):
        for text in texts:
            whole = api._analyze.__wrapped__(text, ParseOptions(), lang)
            try:
                got: object = parse(text, lang=lang)
            except TargetError as e:
                got = (type(e), str(e))
            expected = whole.target if whole.error is None else (type(whole.error), str(whole.error))
            assert got == expected, text
            if whole.target is not None:
                assert (got.span, got.written) == (whole.target.span, whole.target.written)
