"""Normalisation: the one spelling of every target text that the grammar reads.

:func:`normalize` applies, in order:

1. NFKC, character by character (full-width ``９９．９％`` → ``99.9%``, ``＞`` → ``>``, ``（`` → ``(``);
2. removal of every whitespace and zero-width character (U+3000, U+00A0, tabs, line breaks …);
3. lower-casing of ASCII letters (``KM`` → ``km``, ``M`` → ``m``);
4. the alias table ``data/aliases.tsv`` (``≧`` → ``≥``, ``═`` → ``=``, ``>=`` → ``≥``, ``萬`` → ``万``),
   longest alias first, repeated until nothing changes.

It is idempotent: ``normalize(normalize(s)) == normalize(s)``.  Every output character keeps the
index of the original character it came from, so errors can point into the text the user wrote.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from .. import datafiles as _data
from ..errors import TargetValueError
from ..i18n import say

__all__ = ["Normalized", "normalize", "normalize_with_map", "restore_case"]

# Format characters that carry no meaning in a cell: zero-width space/joiners, word joiner, BOM,
# soft hyphen.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_ASCII_LOWER = {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


class Normalized(NamedTuple):
    """Normalised text plus, for each of its characters, the index in the original text."""

    text: str
    origin: Sequence[int]
    original: str

    def to_original(self, position: int) -> int:
        """Index in the original text of normalised position ``position`` (end maps to end)."""
        if position >= len(self.origin):
            return len(self.original)
        return self.origin[position]


_new_tuple = tuple.__new__


@functools.lru_cache(maxsize=8192)
def _char(c: str) -> str:
    if c.isspace() or c in _INVISIBLE:
        return ""
    if c.isascii():
        return c.lower()
    n = unicodedata.normalize("NFKC", c)
    if n == c:
        return c
    return "".join(d.lower() if d.isascii() else d for d in n if not (d.isspace() or d in _INVISIBLE))


@functools.cache
def _alias_index() -> tuple[dict[str, str], frozenset[str], tuple[int, ...]]:
    table = dict(_data.aliases())
    # An alias is itself normalised by the earlier steps (so the table can list "＝" for clarity).
    normalised = {}
    for source, target in table.items():
        key = "".join(_char(c) for c in source)
        if key and key != target:
            normalised[key] = target
    for key, target in normalised.items():
        # What an alias produces is final: no alias occurs inside it.  This is what makes the
        # single pass of _apply_aliases end (every replacement shrinks the text or produces
        # characters that no alias rewrites on their own).
        if any(source in target for source in normalised):
            raise RuntimeError(f"data/aliases.tsv: the replacement {target!r} of {key!r} contains an alias itself")
    firsts = frozenset(k[0] for k in normalised)
    lengths = tuple(sorted({len(k) for k in normalised}, reverse=True))
    return normalised, firsts, lengths


def _apply_aliases(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Replace aliases, longest first, until none is left, in one left-to-right pass.

    A replacement can form a new alias with the characters around it (``>==`` → ``≥=`` → ``≥``),
    so after each replacement the scan steps back over the few output characters an alias could
    start in and reads the replacement again.  Every character is re-read a bounded number of
    times, so the pass is linear in the length of the text (repeating whole passes until nothing
    changed was quadratic: ``">" + "=" * 8000`` took 12 s).
    """
    table, firsts, lengths = _alias_index()
    back = (lengths[0] - 1) if lengths else 0
    buf = list(chars)
    buf_origin = list(origin)
    out: list[str] = []
    out_origin: list[int] = []
    i = 0
    n = len(buf)
    while i < n:
        c = buf[i]
        if c in firsts:
            for length in lengths:
                if i + length > n:
                    continue
                replacement = table.get("".join(buf[i : i + length]))
                if replacement is not None:
                    # Write the replacement back into the input, just before what follows it,
                    # each character keeping the origin of the character it replaces.
                    start = i + length - len(replacement)
                    kept = buf_origin[i : i + len(replacement)]
                    buf[start : i + length] = replacement
                    buf_origin[start : i + length] = kept
                    # Step back over output characters that may begin a new alias with it.
                    k = min(back, len(out))
                    if k:
                        buf[start - k : start] = out[-k:]
                        buf_origin[start - k : start] = out_origin[-k:]
                        del out[-k:]
                        del out_origin[-k:]
                    i = start - k
                    break
            else:
                out.append(c)
                out_origin.append(buf_origin[i])
                i += 1
        else:
            out.append(c)
            out_origin.append(buf_origin[i])
            i += 1
    return out, out_origin


@functools.cache
def _changes() -> re.Pattern[str]:
    """Finds anything normalisation would change, except NFKC (checked separately): whitespace,
    invisible characters, ASCII capitals, and every alias.

    The one-character aliases are one character class with the rest (an alternation of a hundred
    literals tried at every place cost ten times as much, #11); the longer aliases follow it."""
    aliases = _alias_index()[0]
    single = "".join(sorted(a for a in aliases if len(a) == 1))
    longer = sorted((a for a in aliases if len(a) > 1), key=len, reverse=True)
    invisible = "".join(sorted(_INVISIBLE))
    return re.compile("|".join([rf"[\s{re.escape(invisible + single)}A-Z]", *(re.escape(a) for a in longer)]))


@functools.cache
def _triggers() -> re.Pattern[str]:
    """One character class of every character something :func:`_changes` finds must contain: the
    characters it finds on their own, and the other characters of the longer aliases (``=`` of
    ``>=``, ``份`` of ``月份``).  A text without any is unchanged, found in one pass of a character
    class (the longer aliases tried at every place cost twice as much, #11)."""
    aliases = _alias_index()[0]
    others = "".join(sorted({c for a in aliases if len(a) > 1 for c in a[1:]}))
    single = "".join(sorted(a for a in aliases if len(a) == 1))
    return re.compile(rf"[\s{re.escape(''.join(sorted(_INVISIBLE)) + single + others)}A-Z]")


def is_normal(text: str) -> bool:
    """Whether :func:`normalize` leaves ``text`` as it is (the usual cell), at C speed."""
    return unicodedata.is_normalized("NFKC", text) and (
        _triggers().search(text) is None or _changes().search(text) is None
    )


def _aliases_in(text: str) -> bool:
    return _alias_pattern().search(text) is not None


@functools.cache
def _alias_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(a) for a in sorted(_alias_index()[0], key=len, reverse=True)))


def _aliases_at_once(text: str, origin: Sequence[int]) -> tuple[str, list[int]] | None:
    """The aliases of ``text`` replaced in one pass of the pattern (at each place the longest, as
    :func:`_apply_aliases` takes them), each replacement keeping the origins of the first characters
    it replaces; ``None`` where a replacement could form an alias with its neighbours (two matches
    side by side, an alias in the result, an alias longer than two characters): then the careful
    pass decides.  Otherwise the careful pass replaces just these (tests/test_normalize.py), at a
    tenth of its cost (#11)."""
    table, _, lengths = _alias_index()
    if not lengths or lengths[0] > 2:
        return None
    parts: list[str] = []
    out_origin: list[int] = []
    pos = -1
    for m in _alias_pattern().finditer(text):
        start, end = m.span()
        if start == pos:
            return None
        replacement = table[m.group()]
        parts.append(text[max(pos, 0) : start])
        parts.append(replacement)
        out_origin.extend(origin[max(pos, 0) : start])
        out_origin.extend(origin[start : start + len(replacement)])
        pos = end
    parts.append(text[max(pos, 0) :])
    out_origin.extend(origin[max(pos, 0) :])
    result = "".join(parts)
    if _alias_pattern().search(result) is not None:
        return None
    return result, out_origin


#: Characters normalisation removes, besides NFKC's changes.
_DROPPED = re.compile(r"[\s" + "".join(sorted(_INVISIBLE)) + "]")


def normalize_with_map(text: str) -> Normalized:
    """Normalise ``text`` and keep, for each output character, its index in ``text``."""
    if not isinstance(text, str):
        raise TargetValueError(say("a target text must be str, not {type}", type=type(text).__name__), field="text")
    # Most cells are already normal ("≥99.9%", "15个", "及时"): recognise them at C speed, and make
    # their record without the named tuple's Python constructor (#11).
    stable = unicodedata.is_normalized("NFKC", text)
    if stable and (_triggers().search(text) is None or _changes().search(text) is None):
        return _new_tuple(Normalized, (text, range(len(text)), text))
    chars: list[str] = []
    origin: list[int] = []
    if stable:
        # NFKC changes nothing, so only whitespace, invisible characters, capitals and aliases remain.
        lowered = text.translate(_ASCII_LOWER)
        if _DROPPED.search(lowered) is None:  # ">=95%": aliases alone, replaced in one pass where they can be
            replaced = _aliases_at_once(lowered, range(len(text)))
            if replaced is not None:
                return Normalized(replaced[0], tuple(replaced[1]), text)
        origin = [i for i, c in enumerate(lowered) if not (c.isspace() or c in _INVISIBLE)]
        chars = [lowered[i] for i in origin]
    else:
        for i, c in enumerate(text):
            mapped = _char(c)
            if mapped:
                if len(mapped) == 1:
                    chars.append(mapped)
                    origin.append(i)
                else:
                    for d in mapped:
                        chars.append(d)
                        origin.append(i)
    joined = "".join(chars)
    if _aliases_in(joined):
        chars, origin = _apply_aliases(chars, origin)
        joined = "".join(chars)
    return Normalized(joined, tuple(origin), text)


def normalize(text: str) -> str:
    """Return the normalised form of a target text (idempotent; see the module docstring).

    >>> normalize("≧ ９５ ％")
    '≥95%'
    >>> normalize(">= 4 個")
    '≥4个'
    """
    return normalize_with_map(text).text


def restore_case(norm: Normalized) -> str:
    """The normalised text with the capitals of its Latin letters as written (``AAA级``, ``Ⅲ类``,
    ``AI分析设备`` rather than ``aaa级``, ``iii类``, ``ai分析设备``): labels and the words around a
    core are shown to the officer as the cell wrote them, while the grammar reads lower case."""
    if not any("a" <= c <= "z" for c in norm.text):
        return norm.text
    out = []
    for c, at in zip(norm.text, norm.origin, strict=True):
        if "a" <= c <= "z":
            written = unicodedata.normalize("NFKC", norm.original[at])
            if c.upper() in written and c not in written:
                c = c.upper()
        out.append(c)
    return "".join(out)
