"""Repairs of known extraction noise (``data/noise.tsv``, values repeated across cells), and warnings
on readings that may hide noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import attrs

from .. import datafiles as _data
from ..i18n import gettext, say
from ..nodes import Quantity
from .normalize import Normalized


@attrs.frozen
class Repair:
    """One repair of extraction noise: what was at ``position`` in the original text, and what it became.

    ``kind`` is a stable name (``data/noise.tsv``); ``message`` says what the repair means, in the
    language of the call that made it.
    """

    kind: str
    position: int
    before: str
    after: str
    message: str


def noise_message(message: str) -> str:
    """The message of a rule of ``data/noise.tsv`` in the language in effect (the catalog holds
    the file's messages: tests/tools/catalog.py extracts them)."""
    return gettext(message) if message else message


def _duplicated(s: str) -> str | None:
    half, odd = divmod(len(s), 2)
    if not odd and half and s[:half] == s[half:]:
        return s[:half]
    return None


# --- repairs ------------------------------------------------------------------------------------


def _repair(norm: Normalized) -> tuple[Normalized, tuple[Repair, ...]]:
    text = list(norm.text)
    origin = list(norm.origin)
    repairs: list[Repair] = []
    for rule in _data.noise():
        current = "".join(text)
        pieces: list[str] = []
        new_origin: list[int] = []
        last = 0
        for m in re.finditer(rule.pattern, current):
            pieces.append(current[last : m.start()])
            new_origin.extend(origin[last : m.start()])
            replacement = m.expand(rule.replacement)
            pieces.append(replacement)
            anchor = origin[m.start()] if m.start() < len(origin) else len(norm.original)
            new_origin.extend([anchor] * len(replacement))
            repairs.append(
                Repair(
                    rule.name,
                    anchor,
                    norm.original[anchor : origin[m.end() - 1] + 1] if m.end() > m.start() else "",
                    replacement,
                    noise_message(rule.message),
                )
            )
            last = m.end()
        pieces.append(current[last:])
        new_origin.extend(origin[last:])
        text = list("".join(pieces))
        origin = new_origin
    joined = "".join(text)
    single = _duplicated(joined)
    if single is not None:
        half = len(single)
        repairs.append(
            Repair(
                "repeated_value",
                origin[half],
                norm.original[origin[half] :],
                "",
                say("the value {value} was repeated in two cells; one copy kept", value=repr(single)),
            )
        )
        joined = single
        origin = origin[:half]
    return Normalized(joined, tuple(origin), norm.original), tuple(repairs)


# --- warnings -----------------------------------------------------------------------------------


_TWO_HUNDRED = Decimal(200)
_THREE_HUNDRED = Decimal(300)
_HUNDRED = Decimal(100)


def _warnings(quantities: Iterable[Quantity]) -> tuple[str, ...]:
    """The doubts about a reading's quantities (``context.quantities_of``) a reviewer should see."""
    found = []
    for q in quantities:
        if q.unit is not None and q.unit.base == "%" and _TWO_HUNDRED <= q.value < _THREE_HUNDRED:
            digits = format(q.value, "f")
            rest = digits[1:]
            if digits.startswith("2") and rest and Decimal(rest) <= _HUNDRED:
                found.append(
                    say(
                        "{value} is above 100%: possibly '≥{rest}%' with ≥ misread as 2 in extraction (not repaired)",
                        value=str(q),
                        rest=rest,
                    )
                )
    return tuple(found)
