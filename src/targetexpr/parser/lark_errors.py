"""Running the Lark parser on a normalised cell and translating its errors into
:class:`~targetexpr.TargetSyntaxError` with the original text's positions.
"""

from __future__ import annotations

from typing import Any

from ..errors import TargetError, TargetSyntaxError
from ..nodes import (
    Target,
)

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of
from ..options import ParseOptions
from .classify import _cjk
from .grammar import alphabet, get_parser, human_name
from .normalize import Normalized

_PLACEHOLDER = "\ue000"
_MAX_CLASSIFIER_RETRIES = 4


# --- the grammar --------------------------------------------------------------------------------


def _syntax_error(norm: Normalized, start: int, end: int, reason: str, expected: frozenset[str]) -> TargetSyntaxError:
    original = norm.original
    o_start = norm.to_original(start)
    o_end = norm.to_original(end - 1) + 1 if end > start and end - 1 < len(norm.origin) else o_start + 1
    found = original[o_start:o_end] if o_start < len(original) else ""
    return TargetSyntaxError.at(original, o_start, reason, found=found, expected=expected)


def _expected(names: Any) -> frozenset[str]:
    return frozenset(human_name(n) for n in names or ())


def _lark_error(norm: Normalized, s: str, e: Exception) -> TargetSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(e, UnexpectedToken):
        token = e.token
        expected = _expected(getattr(e, "accepts", None) or e.expected)
        if token.type == "$END":
            return _syntax_error(norm, len(s), len(s), "unexpected end of input", expected)
        start = token.start_pos or 0
        end = token.end_pos if token.end_pos is not None else start + 1
        shown = s[start:end].replace(_PLACEHOLDER, "")
        return _syntax_error(norm, start, end, f"unexpected {shown!r}", expected)
    assert isinstance(e, UnexpectedCharacters)
    position = e.pos_in_stream or 0
    return _syntax_error(norm, position, position + 1, f"unexpected {s[position]!r}", _expected(e.allowed))


def _grammar(norm: Normalized, s: str, ctx: ParseOptions) -> Target:
    """Parse ``s`` (a normalised text) with the grammar; raise TargetSyntaxError on failure."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, VisitError

    from .transform import Builder, SemanticError

    parser = get_parser()
    placeholders: dict[int, str] = {}
    text = s
    first_error: Exception | None = None
    for _ in range(_MAX_CLASSIFIER_RETRIES + 1):
        try:
            tree = parser.parse(text)
            break
        except UnexpectedCharacters as e:
            if first_error is None:
                first_error = e
            p = e.pos_in_stream or 0
            if "OTHER_UNIT" in (e.allowed or ()) and _cjk(text[p]) and text[p] not in alphabet():
                # A classifier the unit table does not list ("8盆"): read it as a count of 盆.
                placeholders[p] = text[p]
                text = text[:p] + _PLACEHOLDER + text[p + 1 :]
                continue
            raise _lark_error(norm, s, first_error) from None
        except UnexpectedInput as e:
            raise _lark_error(norm, s, first_error or e) from None
    else:  # pragma: no cover - more unknown classifiers than retries
        assert first_error is not None
        raise _lark_error(norm, s, first_error)
    builder = Builder(ctx, placeholders)
    try:
        result: Target = builder.transform(tree)
    except VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, SemanticError):
            raise _syntax_error(norm, inner.start, inner.end, inner.message, inner.expected) from None
        if isinstance(inner, TargetError):
            raise _syntax_error(norm, 0, len(s), str(inner), frozenset()) from None
        raise  # pragma: no cover - a bug: let it surface in tests
    return result
