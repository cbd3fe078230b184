"""The one family of errors targetexpr raises.

Every error is a :class:`TargetError`, which is a :class:`ValueError`, so ``except ValueError``
catches them all.  Errors hold plain data only (strings, integers, frozensets): they pickle, and
no Lark object or Decimal signal ever reaches a caller.
"""

from __future__ import annotations

import unicodedata
from typing import Any

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
            return f"an integer of about {digits} digits"
        if isinstance(value, (str, bytes)) and len(value) > limit:
            return _printable(repr(value[:limit])) + f"… ({len(value)} in all)"
        text = repr(value)
    except Exception:  # a broken __repr__ must not replace our error
        return f"<{type(value).__name__} object>"
    text = _printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _printable(text: str) -> str:
    """``text`` with control characters and lone surrogates escaped, safe to print anywhere."""
    out = []
    for c in text:
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cs", "Cf", "Co", "Cn") or c in "\u2028\u2029":
            out.append(c.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


class TargetError(ValueError):
    """Root of every error targetexpr raises (a :class:`ValueError`)."""

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        for name, value in fields.items():
            setattr(self, name, value)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k != "message"}
        return (self.__class__, (self.message,), state)

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        self.__dict__.update(state or {})


class TargetSyntaxError(TargetError):
    """A target text that cannot be read.

    Attributes:
        text: the text as given.
        position: 0-based index of the offending character in ``text``.
        column: 1-based character column (``position + 1``).
        found: the offending text (``""`` at the end of the input).
        expected: human names of what could have come there.
        hint: an extra sentence (for example how to repair PDF noise), or ``None``.
    """

    text: str
    position: int
    column: int
    found: str
    expected: frozenset[str]
    hint: str | None
    reason: str

    def __init__(
        self,
        message: str = "",
        *,
        text: str = "",
        position: int = 0,
        found: str = "",
        expected: frozenset[str] = frozenset(),
        hint: str | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(
            message,
            text=text,
            position=position,
            column=position + 1,
            found=found,
            expected=frozenset(expected),
            hint=hint,
            reason=reason,
        )

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
        """Build the error with its standard message and caret line."""
        position = max(0, min(position, len(text)))
        if found is None:
            found = text[position : position + 1]
        where = f"at column {position + 1}" if position < len(text) else "at the end"
        message = f"{reason} {where}"
        if expected:
            message += "; expected " + " | ".join(sorted(expected, key=_expected_order))
        shown = _printable(text)
        caret = " " * display_width(_printable(text[:position]))
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


def _expected_order(name: str) -> tuple[int, str]:
    # Put plain words first and "end of input" last, so messages read naturally.
    return (1 if name == "end of input" else 0, name)


class TargetValueError(TargetError):
    """A value that is well-formed text but not acceptable (wrong type, bad dict, month 13 …)."""


class TargetLengthError(TargetValueError):
    """Input longer than the documented limit (:data:`targetexpr.MAX_LENGTH`)."""


class TargetEvaluationError(TargetError):
    """An actual that cannot be judged against its target (and why)."""


class UnitMismatchError(TargetEvaluationError):
    """Target and actual are in different dimensions, or convert only approximately."""


class BaselineRequiredError(TargetEvaluationError):
    """A relative target (较上年增长5%) evaluated without ``baseline=``."""


class RuleSetError(TargetError):
    """A scoring rule set that is unknown or malformed."""


class TableError(TargetError):
    """A table that cannot be read (no header row, missing required column, bad encoding)."""
