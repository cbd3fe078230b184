"""Running the Lark parser on a normalised cell and translating its errors into
:class:`~targetexpr.TargetSyntaxError` with the original text's positions.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from ..errors import TargetError, TargetSyntaxError
from ..i18n import say
from ..nodes import (
    Target,
)

#: Longest target text accepted, in characters (real cells are under 30; a whole sentence of
from ..options import ParseOptions
from .classify import _cjk
from .grammar import alphabet, get_driver, get_tree_parser, human_name
from .lalr import DriverSyntaxError, Failed
from .lalr import UnexpectedCharacters as Unmatched
from .lalr import UnexpectedToken as Unexpected
from .normalize import Normalized

_PLACEHOLDER = "\ue000"
#: Characters never read as a classifier the unit table does not list: 且 joins two targets
#: ("≥95%且≤100%"), and the compound reader splits on it before any whole-text reading.
_NEVER_CLASSIFIERS = frozenset("且")
#: The grammar's terminal for that placeholder: a unit the table does not list.
_OTHER_UNIT = "OTHER_UNIT"
_MAX_CLASSIFIER_RETRIES = 4


# --- the grammar --------------------------------------------------------------------------------


def _syntax_error(norm: Normalized, start: int, end: int, reason: str, expected: frozenset[str]) -> TargetSyntaxError:
    original = norm.original
    o_start = norm.to_original(start)
    o_end = norm.to_original(end - 1) + 1 if end > start and end - 1 < len(norm.origin) else o_start + 1
    found = original[o_start:o_end] if o_start < len(original) else ""
    return TargetSyntaxError.at(original, o_start, reason, found=found, expected=expected)


def _expected(names: Any) -> frozenset[str]:
    return _human_names(frozenset(names or ()))


@functools.lru_cache(maxsize=1024)
def _human_names(names: frozenset[str]) -> frozenset[str]:
    """The stable names of a set of terminals (memoised: a few hundred sets occur, each named alike)."""
    return frozenset(human_name(n) for n in names)


#: The accepted terminals of each state stack seen in an error (a pure function of the stack and
#: the tables, which never change in a process): invalid texts repeat a few hundred stacks.  Each
#: entry keeps the driver it was replayed on, so a parser made again (tests do) is asked afresh.
_ACCEPTED: dict[tuple[int, ...], tuple[Any, frozenset[str]]] = {}
_MAX_ACCEPTED = 4096


def _accepts(e: Any) -> Any:
    """The terminals the parser would have taken where it stopped: exactly Lark's
    ``UnexpectedToken.accepts``, which copies the whole parser state once per candidate terminal.
    The parser's own loop replays the reductions on a copy of the state stack alone, for its own
    errors and for Lark's (a text with a line break), whose states are the same tables'."""
    if _LEGACY:
        return e.accepts
    state: Any = getattr(e, "state", None)
    stack = getattr(state, "state_stack", None)
    if not stack:
        return None
    driver = get_driver()
    key = tuple(stack)
    known = _ACCEPTED.get(key)
    if known is not None and known[0] is driver:
        return known[1]
    accepts = driver.accepts(list(stack))
    if len(_ACCEPTED) >= _MAX_ACCEPTED:
        _ACCEPTED.clear()
    _ACCEPTED[key] = (driver, accepts)
    return accepts


def _lark_error(norm: Normalized, s: str, error: Exception) -> TargetSyntaxError:
    e: Any = error  # the parser's own error or Lark's: the same fields
    if isinstance(e, DriverSyntaxError):  # the parser's own, with Lark's fields
        unexpected = isinstance(e, Unexpected)
    else:
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        unexpected = isinstance(e, UnexpectedToken)
        assert unexpected or isinstance(e, UnexpectedCharacters)
    if unexpected:
        token = e.token
        expected = _expected(_accepts(e) or e.expected)
        if token.type == "$END":
            return _syntax_error(norm, len(s), len(s), say("unexpected end of input"), expected)
        start = token.start_pos or 0
        end = token.end_pos if token.end_pos is not None else start + 1
        shown = s[start:end].replace(_PLACEHOLDER, "")
        return _syntax_error(norm, start, end, _unexpected(shown), expected)
    position = e.pos_in_stream or 0
    return _syntax_error(norm, position, position + 1, _unexpected(s[position]), _expected(e.allowed))


def _unexpected(found: str) -> str:
    return say("unexpected {found}", found=repr(found))


#: Private switch for tests/test_grammar_path.py only: the grammar path as it was before issue #11
#: (a parse tree transformed afterwards, Lark's own ``accepts``, the whole text parsed before a
#: compound is split), to prove that the faster path gives the same AST and the same errors.
_LEGACY = False


class _FailedError(Exception):
    """Internal: the grammar rejected the text; the Lark error is translated only when asked."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


#: The builder's ``calling`` and ``SemanticError``, imported on the first parse (``import
#: targetexpr`` does not import the builder): a function-level import costs a microsecond each call.
_builder: tuple[Any, Any] | None = None


def _builder_names() -> tuple[Any, Any]:
    global _builder
    if _builder is None:
        from .transform import SemanticError, calling

        _builder = calling, SemanticError
    return _builder


def _syntax_kind(e: Exception) -> str:
    """``"characters"`` for a character no terminal matches, ``"input"`` for another syntax
    error, ``""`` for any other exception: the parser's own errors or Lark's (asked only when
    Lark is imported: a text that parses imports no Lark, and Lark raises only once imported)."""
    if isinstance(e, DriverSyntaxError):
        return "characters" if isinstance(e, Unmatched) else "input"
    if "lark" not in sys.modules:
        return ""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    return "characters" if isinstance(e, UnexpectedCharacters) else "input" if isinstance(e, UnexpectedInput) else ""


def _is_classifier(c: str) -> bool:
    """Whether ``c``, where the grammar expects a unit, is a classifier it does not list ("8盆")."""
    return _cjk(c) and c not in alphabet() and c not in _NEVER_CLASSIFIERS


def _parse(s: str, ctx: ParseOptions, *, quiet: bool = False) -> Target | Failed:
    """Parse ``s`` (a normalised text) with the grammar; raise :class:`_FailedError` (syntax, untranslated),
    SemanticError or TargetError (from the AST builder).  With ``quiet``, return a :class:`Failed`
    instead of a syntax error (built only if it is asked for)."""
    calling, _ = _builder if _builder is not None else _builder_names()

    parser = get_tree_parser() if _LEGACY else get_driver()
    placeholders: dict[int, str] = {}
    text = s
    first_error: Exception | None = None
    with calling(ctx, placeholders):
        for _ in range(_MAX_CLASSIFIER_RETRIES + 1):
            try:
                if quiet and not _LEGACY:
                    result = get_driver().parse(text, _OTHER_UNIT)
                    if result.__class__ is Failed:
                        # The first error is the one reported, as when the parse is not quiet.
                        return result if first_error is None else _failed(first_error)
                else:
                    result = parser.parse(text)
                break
            except Exception as error:
                e: Any = error  # the parser's own syntax error or Lark's: the same fields
                kind = _syntax_kind(e)
                if kind == "characters":
                    if first_error is None:
                        first_error = e
                    p = e.pos_in_stream or 0
                    if _OTHER_UNIT in (e.allowed or ()) and _is_classifier(text[p]):
                        # A classifier the unit table does not list ("8盆"): read it as a count of 盆.
                        placeholders[p] = text[p]
                        text = text[:p] + _PLACEHOLDER + text[p + 1 :]
                        continue
                    raise _FailedError(first_error) from None
                if kind:
                    raise _FailedError(first_error or e) from None
                raise
        else:  # pragma: no cover - more unknown classifiers than retries
            assert first_error is not None
            raise _FailedError(first_error)
    if _LEGACY:
        from lark.exceptions import VisitError

        from .transform import Builder

        try:
            return Builder(ctx, placeholders).transform(result)  # type: ignore[no-any-return]
        except VisitError as e:  # pragma: no cover - the builder's own transform raises the error itself
            raise e.orig_exc from None
    return result  # type: ignore[no-any-return]


def _grammar(norm: Normalized, s: str, ctx: ParseOptions) -> Target:
    """Parse ``s`` (a normalised text) with the grammar; raise TargetSyntaxError on failure."""
    SemanticError = (_builder if _builder is not None else _builder_names())[1]  # noqa: N806

    try:
        target = _parse(s, ctx)
        assert not isinstance(target, Failed)  # not quiet: a syntax error raises
        return target
    except _FailedError as failed:
        raise _lark_error(norm, s, failed.error) from None
    except (SemanticError, TargetError) as inner:
        if not _LEGACY:
            # The embedded builder runs while the text is being parsed: a syntax error further on
            # comes first, as it does when the tree is built before the AST.
            _check_syntax(norm, s)
        if isinstance(inner, SemanticError):
            raise _syntax_error(norm, inner.start, inner.end, inner.message, inner.expected) from None
        raise _syntax_error(norm, 0, len(s), str(inner), frozenset()) from None


def _check_syntax(norm: Normalized, s: str) -> None:
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput

    parser = get_tree_parser()
    text = s
    first_error: Exception | None = None
    for _ in range(_MAX_CLASSIFIER_RETRIES + 1):
        try:
            parser.parse(text)
            return
        except UnexpectedCharacters as e:
            if first_error is None:
                first_error = e
            p = e.pos_in_stream or 0
            if "OTHER_UNIT" in (e.allowed or ()) and _is_classifier(text[p]):
                text = text[:p] + _PLACEHOLDER + text[p + 1 :]
                continue
            raise _lark_error(norm, s, first_error) from None
        except UnexpectedInput as e:
            raise _lark_error(norm, s, first_error or e) from None
    assert first_error is not None  # pragma: no cover
    raise _lark_error(norm, s, first_error)  # pragma: no cover


def _same(error: Exception) -> Exception:
    return error


def _failed(error: Exception) -> Failed:
    return Failed(_same, error)  # the error is already built


def _grammar_quietly(norm: Normalized, s: str, ctx: ParseOptions) -> Target | Failed:
    """:func:`_grammar` without building a syntax error: a :class:`Failed` when the grammar rejects
    ``s``, whose error :func:`syntax_error` builds only if the caller needs it (a cell whose core is
    found never does, and its message catalog need not be loaded); a semantic error is raised as
    :func:`_grammar` raises it."""
    SemanticError = (_builder if _builder is not None else _builder_names())[1]  # noqa: N806

    try:
        return _parse(s, ctx, quiet=True)
    except _FailedError as failed:  # the grammar of Lark's own loop is never quiet
        return _failed(failed.error)
    except (SemanticError, TargetError):
        return _grammar(norm, s, ctx)


def syntax_error(norm: Normalized, s: str, failed: Failed) -> TargetSyntaxError:
    """The syntax error of ``s``, which :func:`_grammar_quietly` has rejected with ``failed``: the
    error :func:`_grammar` raises for it, without parsing ``s`` again."""
    return _lark_error(norm, s, failed.error())


def _parses(s: str, ctx: ParseOptions) -> Target | None:
    """The AST of ``s`` (a normalised text), or ``None`` when the grammar rejects it: no error is
    built (for callers that only try a reading)."""
    SemanticError = (_builder if _builder is not None else _builder_names())[1]  # noqa: N806

    try:
        result = _parse(s, ctx, quiet=True)
    except (_FailedError, SemanticError, TargetError):
        return None
    return None if isinstance(result, Failed) else result
