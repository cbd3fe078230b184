"""The language of what targetexpr says: Simplified Chinese by default, English on request.

Every sentence a person reads (an evaluation's reason, a flag's explanation, an error's message, a
line of the command line, the report) is written in the code as an English message id wrapped in
:func:`gettext` (``_``) and translated through a gettext catalog:
``src/targetexpr/locale/zh/LC_MESSAGES/*.po`` (one catalog per part of the package) are the
source, kept in the repository and compiled to ``.mo`` with Babel when the wheel is built
(``hatch_build.py``).  A test fails when a message of the code has no Chinese translation, or
when a translation loses a ``{placeholder}``.

The language is chosen per call or per context, never by a process-wide switch:

* ``with targetexpr.language("en"): ...`` sets it for the code inside, in this thread or asyncio
  task only (a :class:`contextvars.ContextVar`; a new thread starts from the default);
* the functions that return text take ``lang=`` (``evaluate(..., lang="en")``);
* the default is ``zh`` unless the environment variable ``TARGETEXPR_LANG`` says ``en``.

Messages use named ``str.format`` fields, so a translation may put them in any order:
``_("score {score} of {points}").format(score=..., points=...)`` or, shorter,
``say("score {score} of {points}", score=..., points=...)``.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import io
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

__all__ = [
    "LANGUAGES",
    "N_",
    "Language",
    "call_in",
    "current_language",
    "gettext",
    "language",
    "say",
]

Language = Literal["zh", "en"]

#: The languages targetexpr speaks; the first is the default.
LANGUAGES: tuple[Language, ...] = ("zh", "en")

ENV = "TARGETEXPR_LANG"

_current: contextvars.ContextVar[Language | None] = contextvars.ContextVar("targetexpr_language", default=None)


def _language_of(value: object) -> Language | None:
    if value.__class__ is str and value in LANGUAGES:  # the usual spellings, without the string work below
        return value
    if isinstance(value, str):
        head = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
        if head in LANGUAGES:
            return head
    return None


def check_language(lang: object, field: str = "lang") -> Language:
    """``lang`` as one of :data:`LANGUAGES` (``zh_CN``, ``zh-Hans``, ``en_US.UTF-8`` … are accepted)."""
    found = _language_of(lang)
    if found is not None:
        return found
    from .errors import TargetValueError, brief  # call time: errors speak through this module

    message = say(
        "{field}={value} is not a language targetexpr speaks; expected 'zh' or 'en'", field=field, value=brief(lang)
    )
    raise TargetValueError(message, field=field)


def default_language() -> Language:
    """The language used when no call and no context chose one: ``$TARGETEXPR_LANG``, else ``zh``."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    if _RAW_KEY is not None and data.__class__ is dict and _RAW_RELIABLE:
        # POSIX: the variable's bytes as ``os.environ`` holds them (what ``os.environ.get`` decodes),
        # looked up without encoding the name and decoding the value: 0.1 µs instead of 2 (#11).
        raw = data.get(_RAW_KEY)
        known = _RAW_DEFAULTS.get(raw)
        if known is not None:
            return known
        setting = environ.get(ENV)
        if (raw is None) != (setting is None):
            # ``os.environ`` keeps its values some other way in this Python: ask it from now on.
            _distrust_raw()
            return _language_named(setting)
        found = _language_named(setting)
        if len(_RAW_DEFAULTS) < 64:  # the variable's values seen (a process sees one or two)
            _RAW_DEFAULTS[raw] = found
        return found
    return _language_named(environ.get(ENV))


def _distrust_raw() -> None:
    global _RAW_RELIABLE
    _RAW_RELIABLE = False
    _RAW_DEFAULTS.clear()


def _language_named(setting: str | None) -> Language:
    found = _DEFAULTS.get(setting)
    if found is None:
        found = _language_of(setting) or LANGUAGES[0]
        if len(_DEFAULTS) < 64:
            _DEFAULTS[setting] = found
    return found


_DEFAULTS: dict[str | None, Language] = {}
_RAW_DEFAULTS: dict[object, Language] = {}
#: The variable's name as ``os.environ`` keys it on POSIX (``os.fsencode``); elsewhere (Windows keys
#: by upper-cased text) ``os.environ.get`` is asked.
_RAW_KEY: bytes | None = os.fsencode(ENV) if os.name == "posix" else None
#: False once ``os.environ``'s own mapping disagreed with ``os.environ.get`` (a Python that keys or
#: keeps it otherwise): then only ``os.environ.get`` is asked.
_RAW_RELIABLE = True


def current_language(lang: str | None = None) -> Language:
    """The language in effect: ``lang`` when given, else the context's (:func:`language`), else the default."""
    if lang is not None:
        return check_language(lang)
    chosen = _current.get()
    return chosen if chosen is not None else default_language()


def language(lang: str) -> contextlib.AbstractContextManager[Language]:
    """Speak ``lang`` inside the ``with`` block, in this thread or task only.

    >>> import targetexpr
    >>> with targetexpr.language("en"):
    ...     targetexpr.current_language()
    'en'
    """
    return _Speaking(lang)


class _Speaking(contextlib.AbstractContextManager[Language], contextlib.ContextDecorator):
    """The context manager of :func:`language` (a class: entered for every call that chooses a
    language, where a generator-based one costs several times as much, #11).  Like the generator
    it replaces, it also decorates a function (each call enters a fresh one)."""

    __slots__ = ("_lang", "_token")

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._token: contextvars.Token[Language | None] | None = None

    def _recreate_cm(self) -> _Speaking:
        return _Speaking(self._lang)

    def __enter__(self) -> Language:
        chosen = check_language(self._lang)
        self._token = _current.set(chosen)
        return chosen

    def __exit__(self, *_: object) -> None:
        assert self._token is not None
        _current.reset(self._token)
        self._token = None


_P = ParamSpec("_P")
_R = TypeVar("_R")


def call_in(lang: str, fn: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
    """``fn(*args, **kwargs)`` with ``lang`` in effect: what ``with language(lang): fn(...)`` does,
    without making a context manager, and without setting anything when ``lang`` is already the
    context's (the library's memoised entry points do this once per reading: #11)."""
    chosen = lang if lang.__class__ is str and lang in LANGUAGES else check_language(lang)
    if _current.get() == chosen:
        return fn(*args, **kwargs)
    token = _current.set(chosen)
    try:
        return fn(*args, **kwargs)
    finally:
        _current.reset(token)


def pinned() -> contextlib.AbstractContextManager[Language]:
    """Fix the language in effect for a loop of many calls: the environment is read once, not per call.

    Inside, :func:`current_language` answers from the context variable (a dict lookup) instead of
    reading ``$TARGETEXPR_LANG`` each time; a language set by the caller is kept as it is.
    """
    chosen = _current.get()
    if chosen is not None:
        return contextlib.nullcontext(chosen)
    return language(default_language())


def is_pinned() -> bool:
    """Whether a language is set in this context (by :func:`language` or :func:`pinned`)."""
    return _current.get() is not None


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for the catalog without translating it now (for tables of messages)."""
    return message


@cache
def _catalog(lang: Language) -> _gettext.NullTranslations:
    """Every catalog of ``lang`` (one per part of the package: ``core``, ``parser``, ``cli`` …), chained."""
    if lang == "en":
        return _gettext.NullTranslations()
    from importlib import resources  # here, not at import time: importing it costs ~17 ms

    base = resources.files(__package__).joinpath("locale", lang, "LC_MESSAGES")
    names = sorted({Path(entry.name).stem for entry in base.iterdir() if entry.name.endswith((".po", ".mo"))})
    if not names:
        raise RuntimeError(f"targetexpr is installed without its {lang} message catalogs ({base})")
    chained: _gettext.NullTranslations = _gettext.NullTranslations()
    for name in names:
        mo, po = base.joinpath(f"{name}.mo"), base.joinpath(f"{name}.po")
        part: _gettext.NullTranslations
        if mo.is_file() and not (po.is_file() and _po_is_newer(mo, po) and _has_babel()):
            part = _gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
        else:  # a source checkout, or a .po edited since: compile it in memory (Babel, a dev dependency)
            part = _compile_po(po.read_bytes())
        part.add_fallback(chained)
        chained = part
    return chained


def _po_is_newer(mo: object, po: object) -> bool:
    try:
        return bool(os.stat(str(po)).st_mtime > os.stat(str(mo)).st_mtime)
    except OSError:
        return False


def _has_babel() -> bool:
    import importlib.util

    return importlib.util.find_spec("babel") is not None


def _compile_po(data: bytes) -> _gettext.GNUTranslations:
    try:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
    except ImportError as exc:  # pragma: no cover - only a source checkout without the dev extra
        raise RuntimeError("the message catalog is not compiled and Babel is not installed: pip install babel") from exc
    out = io.BytesIO()
    write_mo(out, read_po(io.BytesIO(data)))
    out.seek(0)
    return _gettext.GNUTranslations(out)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` (an English message id) in ``lang``, or in the language in effect."""
    chosen = current_language(lang)
    table = _TRANSLATED[chosen]
    found = table.get(message)
    if found is None:
        # gettext's own lookup walks the chain of catalogs (one per part of the package); a table
        # repeats the same few sentences on every row, so each is looked up once (#11).
        found = _catalog(chosen).gettext(message)
        if len(table) < _MAX_TRANSLATED:
            table[message] = found
    return found


#: Translations looked up, per language (bounded: a caller's own text passed to gettext is not held).
_TRANSLATED: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
_MAX_TRANSLATED = 8192


def say(message: str, lang: str | None = None, /, **fields: object) -> str:
    """``gettext(message).format(**fields)``: a translated sentence with its named fields filled in."""
    text = gettext(message, lang)
    return text.format(**fields) if fields else text


_ = gettext
