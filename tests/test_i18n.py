"""The language of messages: every message has its Chinese translation, per call and per thread."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest

import targetexpr
from support import in_two_languages
from targetexpr import i18n

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import catalog


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_code_has_a_chinese_translation() -> None:
    missing = catalog.untranslated()
    assert not missing, f"{len(missing)} untranslated (run tests/tools/catalog.py): {missing[:10]}"


def test_translations_keep_every_placeholder_and_speak_chinese() -> None:
    checked = 0
    for domain, messages in catalog.extracted().items():
        po = catalog.load(domain)
        for message in messages:
            found = po.get(message)
            assert found is not None
            assert found.string
            assert _fields(found.string) == _fields(message), (message, found.string)
            if re.search(r"[A-Za-z]{4,}", message.replace("{", " {").split("{")[0]):
                assert re.search(r"[\u4e00-\u9fff]", found.string), f"not Chinese: {found.string!r}"
            checked += 1
    assert checked >= 1


def test_no_catalog_keeps_messages_the_code_no_longer_has() -> None:
    used = {m for messages in catalog.extracted().values() for m in messages}
    for po in catalog.LOCALE.glob("*.po"):
        stale = [m.id for m in catalog.load(po.stem) if m.id and m.id not in used]
        assert not stale, f"{po.name}: unused messages {stale[:5]} (run tests/tools/catalog.py)"


def test_the_default_is_chinese_and_the_environment_may_say_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG", raising=False)
    assert targetexpr.current_language() == "zh"
    monkeypatch.setenv("TARGETEXPR_LANG", "en_US.UTF-8")
    assert targetexpr.current_language() == "en"
    monkeypatch.setenv("TARGETEXPR_LANG", "klingon")
    assert targetexpr.current_language() == "zh"
    with targetexpr.language("zh_CN"):
        assert targetexpr.current_language() == "zh"
    assert targetexpr.current_language("en") == "en"


def test_an_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(targetexpr.TargetValueError) as info:
        targetexpr.language("fr").__enter__()
    assert info.value.field == "lang"
    with targetexpr.language("en"), pytest.raises(targetexpr.TargetValueError, match="expected 'zh' or 'en'"):
        i18n.check_language(3)


def test_two_threads_speak_two_languages_at_once() -> None:
    message = "{field}={value} is not a language targetexpr speaks; expected 'zh' or 'en'"
    seen: dict[str, list[str]] = {"zh": [], "en": []}

    def work() -> None:
        for _ in range(200):
            seen[targetexpr.current_language()].append(i18n.say(message, field="lang", value="'fr'"))

    in_two_languages(work)
    assert set(seen["zh"]) == {"lang='fr' 不是 targetexpr 支持的语言;应为 'zh'(中文)或 'en'(英文)"}
    assert set(seen["en"]) == {"lang='fr' is not a language targetexpr speaks; expected 'zh' or 'en'"}


_ERRORS = {
    "TargetError",
    "TargetSyntaxError",
    "TargetValueError",
    "TargetLengthError",
    "TargetEvaluationError",
    "UnitMismatchError",
    "BaselineRequiredError",
    "RuleSetError",
    "TableError",
    "SemanticError",
}


def _untranslated_raises() -> list[str]:
    """``raise SomeError("text")`` or ``raise SomeError(f"text")`` with a literal message: a message
    that skipped the catalog.  A message built by say()/_() or held in a variable passes."""
    import ast

    found = []
    src = Path(targetexpr.__file__).parent
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in _ERRORS or not node.exc.args:
                continue
            first = node.exc.args[0]
            if isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                found.append(f"{path.relative_to(src)}:{node.lineno}")
    return found


def test_every_error_message_goes_through_the_catalog() -> None:
    assert _untranslated_raises() == []


def test_a_message_in_several_catalogs_has_one_translation() -> None:
    seen: dict[str, set[str]] = {}
    for po in catalog.LOCALE.glob("*.po"):
        for message in catalog.load(po.stem):
            if message.id and message.string:
                seen.setdefault(str(message.id), set()).add(str(message.string))
    differing = {m: t for m, t in seen.items() if len(t) > 1}
    assert differing == {}
