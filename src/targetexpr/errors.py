"""The one family of errors targetexpr raises.

Every error is a :class:`TargetError`, which is a :class:`ValueError`, so ``except ValueError``
catches them all.  Errors hold plain data only (strings, integers, frozensets): they pickle, and
no Lark object or Decimal signal ever reaches a caller.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from .i18n import N_, Language, current_language, gettext, language, say

__all__ = [
    "BaselineRequiredError",
    "RuleSetError",
    "TableError",
    "TargetError",
    "TargetEvaluationError",
    "TargetLengthError",
    "TargetSyntaxError",
    "TargetValueError",
    "UnitMismatchError",
    "brief",
    "display_width",
]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two."""
    if text.isascii():
        return len(text)  # no ASCII character is wide or full-width
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def brief(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message: at most ``limit`` characters, and it never raises.

    Error messages quote what the caller passed; that may be a 100,000-character string, an
    integer too long for ``str()`` (Python refuses more than 4,300 digits), or an object whose
    ``__repr__`` fails.  None of these may turn an error message into a different exception.
    """
    try:
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
            digits = int(value.bit_length() * 0.30103) + 1
            return say("an integer of about {digits} digits", digits=digits)
        if isinstance(value, (str, bytes)) and len(value) > limit:
            return _printable(repr(value[:limit])) + say("… ({count} in all)", count=len(value))
        text = repr(value)
    except Exception:  # a broken __repr__ must not replace our error
        return f"<{type(value).__name__} object>"
    text = _printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _printable(text: str) -> str:
    """``text`` with control characters and lone surrogates escaped, safe to print anywhere."""
    if text.isprintable():
        # None of the categories below, nor U+2028/U+2029 (Zl, Zp): nothing to escape (at C speed).
        return text
    out = []
    for c in text:
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cs", "Cf", "Co", "Cn") or c in "\u2028\u2029":
            out.append(c.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


def _fields_of(error: TargetError) -> dict[str, Any]:
    return {a.name: getattr(error, a.name) for a in attrs.fields(type(error)) if a.init}


def _restore(cls: type[TargetError], fields: dict[str, Any]) -> TargetError:
    """Unpickle an error: build it again from its declared fields."""
    return cls(**fields)


def _text(value: object) -> str | None:
    """A field that names a value as text: text stays, anything else is shown with :func:`brief`."""
    return value if value is None or isinstance(value, str) else brief(value)


def _names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


# Every class is an ``attrs`` class (``auto_exc``: ``args`` holds the fields) that declares its
# fields; ``slots=False`` keeps them in ``__dict__`` beside ``__notes__``.  Fields are plain data
# (text, ints, frozensets, ``None``), so errors pickle, copy, compare and hash by value.


@attrs.define(auto_exc=True, slots=False, eq=False)
class TargetError(ValueError):
    """Root of every error targetexpr raises (a :class:`ValueError`).

    Attributes:
        message: the message, which is also ``str(error)``.
    """

    message: str = ""

    def __str__(self) -> str:
        return self.message

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _fields_of(self) == _fields_of(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(_fields_of(self).values())))

    def __reduce__(self) -> tuple[Any, ...]:
        names = {a.name for a in attrs.fields(type(self))}
        state = {k: v for k, v in self.__dict__.items() if k not in names}
        return (_restore, (type(self), _fields_of(self)), state or None)

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        self.__dict__.update(state or {})


@attrs.define(auto_exc=True, slots=False, eq=False)
class TargetSyntaxError(TargetError):
    """A target text that cannot be read.

    Attributes:
        text: the text as given.
        position: 0-based index of the offending character in ``text``.
        column: 1-based character column (``position + 1``).
        found: the offending text (``""`` at the end of the input).
        expected: stable names of what could have come there (``"a number"``, ``"a unit"``,
            ``"end of input"``, ``"≥"``, ``"前/底"`` …): the same in every language, for programs;
            the message names them in the reader's language (数字, 单位, 文字结尾 …).
        hint: an extra sentence (for example how to repair PDF noise), or ``None``.
        reason: the first words of the message (``"unexpected '後'"``), without the place, in the
            language the message was built in.

    The message (``str(error)``) is in the language in effect when the error was raised
    (:func:`targetexpr.language`, ``lang=``); its caret line is the same in every language.
    """

    text: str = attrs.field(default="", kw_only=True)
    position: int = attrs.field(default=0, kw_only=True)
    found: str = attrs.field(default="", kw_only=True)
    expected: frozenset[str] = attrs.field(default=frozenset(), kw_only=True, converter=_names)
    hint: str | None = attrs.field(default=None, kw_only=True)
    reason: str = attrs.field(default="", kw_only=True)
    column: int = attrs.field(init=False)

    @column.default
    def _column(self) -> int:
        return self.position + 1

    @classmethod
    def at(
        cls,
        text: str,
        position: int,
        reason: str,
        *,
        found: str | None = None,
        expected: frozenset[str] = frozenset(),
        hint: str | None = None,
    ) -> TargetSyntaxError:
        """Build the error with its standard message and caret line, in the language in effect.

        ``reason`` is already in that language; ``expected`` holds stable names, which the message
        translates (:func:`_expected_name`).
        """
        position = max(0, min(position, len(text)))
        if found is None:
            found = text[position : position + 1]
        lang = current_language()  # once: each sentence below is in it
        if position < len(text):
            message = say("{reason} at column {column}", lang, reason=reason, column=position + 1)
        else:
            message = say("{reason} at the end", lang, reason=reason)
        if expected:
            message += say("; expected {items}", lang, items=_expected_items(expected, lang))
        shown = _printable(text)
        caret = " " * display_width(shown[:position] if shown is text else _printable(text[:position]))
        message += f"\n  {shown}\n  {caret}^"
        if hint:
            message += f"\n{hint}"
        return cls(
            message,
            text=text,
            position=position,
            found=found,
            expected=expected,
            hint=hint,
            reason=reason,
        )

    def with_hint(self, hint: str) -> TargetSyntaxError:
        """This error with ``hint`` as its extra sentence: what :meth:`at` builds from the same fields
        and ``hint`` in the same language, without building the message again (the hint is its
        last line)."""
        if self.hint:
            return self.at(self.text, self.position, self.reason, found=self.found, expected=self.expected, hint=hint)
        message = f"{self.message}\n{hint}" if hint else self.message
        return type(self)(
            message,
            text=self.text,
            position=self.position,
            found=self.found,
            expected=self.expected,
            hint=hint,
            reason=self.reason,
        )


#: The stable name of the end of the text in :attr:`TargetSyntaxError.expected`.
END_OF_INPUT = N_("end of input")
#: Between the names of what was expected (translators: a list separator, "、" in Chinese).
_LIST_SEPARATOR = N_(" | ")


@functools.lru_cache(maxsize=1024)
def _expected_items(expected: frozenset[str], lang: Language) -> str:
    """The names of ``expected`` in ``lang``, in order, as the message lists them (memoised: a syntax
    error names one of a few hundred sets, and each name is looked up in the catalog twice)."""
    with language(lang):
        # Two stable names may read alike in a language (每 and 每年 … named alike): each word once.
        unique = dict.fromkeys(_expected_name(n) for n in sorted(expected, key=_expected_order))
        return gettext(_LIST_SEPARATOR).join(unique)


def _expected_name(name: str) -> str:
    """One stable name of :attr:`TargetSyntaxError.expected` in the language in effect.

    Descriptive names (``"a number"`` → 数字) come from the catalog; words and symbols of the
    cell itself (``"≥"``, ``"前/底"``) are their own name in every language.
    """
    return gettext(name) if name and not name.isspace() else name


def _expected_order(name: str) -> tuple[int, bool, str]:
    # "end of input" last, so messages read naturally; in a language that translates the descriptive
    # names (数字, 单位 …) they come before the cell's own words (in English the order is by name).
    return (1 if name == END_OF_INPUT else 0, _expected_name(name) == name, name)


@attrs.define(auto_exc=True, slots=False, eq=False)
class TargetValueError(TargetError):
    """A value that is well-formed text but not acceptable (wrong type, bad dict, month 13 …).

    Attributes:
        field: the value at fault, when one is: an argument or option (``"year"``, ``"points"``),
            a node's attribute (``"day"``, ``"parts"``) or a place in a dict given to
            :func:`~targetexpr.from_dict` (``"target.quantity.value"``); ``None`` otherwise.
    """

    field: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)


@attrs.define(auto_exc=True, slots=False, eq=False)
class TargetLengthError(TargetValueError):
    """Input longer than the documented limit (:data:`targetexpr.MAX_LENGTH`).

    Attributes:
        length: the length of the text given.
        limit: the most characters a text may have.
    """

    length: int = attrs.field(default=0, kw_only=True)
    limit: int = attrs.field(default=0, kw_only=True)


@attrs.define(auto_exc=True, slots=False, eq=False)
class TargetEvaluationError(TargetError):
    """An actual that cannot be judged against its target (and why).

    Attributes:
        target: the target (its canonical text), when known.
        actual: the actual, as text (other values as their short ``repr``), when known.
    """

    target: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)
    actual: str | None = attrs.field(default=None, kw_only=True, converter=_text)


@attrs.define(auto_exc=True, slots=False, eq=False)
class UnitMismatchError(TargetEvaluationError):
    """Target and actual are in different dimensions, or convert only approximately.

    ``target`` and ``actual`` are the two sides (for a conversion: the unit converted to and the
    quantity converted).

    Attributes:
        target_dimension: the dimension of the target side (``"money"``), when known.
        actual_dimension: the dimension of the actual side, when known.
    """

    target_dimension: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)
    actual_dimension: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)


@attrs.define(auto_exc=True, slots=False, eq=False)
class BaselineRequiredError(TargetEvaluationError):
    """A relative target (较上年增长5%) evaluated without ``baseline=``.

    Attributes:
        reference: what the target is relative to (``"上年"``), or ``None`` when it does not say.
    """

    reference: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)


@attrs.define(auto_exc=True, slots=False, eq=False)
class RuleSetError(TargetError):
    """A scoring rule set that is unknown or malformed.

    Attributes:
        name: the rule set (its name or file), when known.
        setting: the setting at fault (``"formula.floor"``), when one is.
    """

    name: str | None = attrs.field(default=None, kw_only=True, converter=_text)
    setting: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)


@attrs.define(auto_exc=True, slots=False, eq=False)
class TableError(TargetError):
    """A table that cannot be read (no header row, missing required column, bad encoding).

    Attributes:
        path: the file read or written, when the error is about one.
    """

    path: str | None = attrs.field(default=None, kw_only=True, converter=_optional_text)
