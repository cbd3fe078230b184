"""The LALR loop of the process-wide parser, over Lark's own tables, lexer and callbacks (issue #11).

Lark's loop (``ParserState.feed_token``) looks each reduction's callback up in a dictionary keyed
by the ``Rule`` object, whose ``__hash__`` and ``__eq__`` are Python functions, and checks every
action with ``assert arg != end_state``, another ``Rule.__eq__``.  A cell of the usual shape makes
about ten reductions, so those lookups cost as much as the rest of the loop.  :class:`Driver`
resolves each state's actions once, when it first reaches it: a shift is the next state (an
``int``), a reduction the tuple ``(size, origin, callback)``.  Tokens are matched by each state's
scanner itself: Lark's one regular expression per state alternates hundreds of words in some
states and tries them in turn, so once a state is warm a :class:`_Dispatch` tries only the
terminals that can start with the character at hand, in the same order, for the same match.
Everything else is Lark's: the contextual lexer (for a character no terminal matches, and for a
text with a line break), the callbacks (the AST builder wrapped as Lark wraps it), the
:class:`~lark.parsers.lalr_parser_state.ParserState` whose stacks it works on, and the errors it
raises (``UnexpectedToken`` with that state, as ``feed_token`` raises it; ``UnexpectedCharacters``
from the lexer), so that :mod:`~targetexpr.parser.lark_errors` reads them as before.
``tests/test_lalr_driver.py`` compares the results and errors with those of Lark's own loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from lark import Lark

__all__ = ["FAILED", "Driver"]

#: What :meth:`Driver.parse` returns, asked to be quiet, for a text with a syntax error.
FAILED: Any = object()


#: Uses of a state's scanner before it becomes a :class:`_Dispatch`.
_WARM = 16
#: Characters whose candidates a dispatch keeps (any more and it starts again: hostile input).
_MAX_CHARACTERS = 1024


class _Dispatch:
    """The first terminal of a scanner that matches, exactly as its one regular expression
    ``(?P<A>…)|(?P<B>…)|…`` finds it, but trying only the terminals that can match at the
    character there: each string terminal that starts with that character (compared with
    ``str.startswith``) and every regular expression terminal (its own compiled expression), in the
    scanner's order.  The combined expression tries every alternative in turn (hundreds of words in
    some states: ~9 µs a token here); the first that matches is the same, and so is where it ends,
    since nothing follows the alternation."""

    __slots__ = ("_by_character", "_compiled", "_flags", "_terminals")

    def __init__(self, terminals: Any, flags: int, compiled: dict[str, Any]) -> None:
        self._terminals = list(terminals)
        self._flags = flags
        self._compiled = compiled
        self._by_character: dict[str, tuple[tuple[str, str, Any], ...]] = {}

    def scan(self, text: str, position: int) -> tuple[str, int] | None:
        """``(terminal, end)`` of the first terminal that matches at ``position``, or ``None``."""
        character = text[position]
        candidates = self._by_character.get(character)
        if candidates is None:
            candidates = self._candidates(character)
        for name, word, match in candidates:
            if match is None:
                if text.startswith(word, position):
                    return name, position + len(word)
            else:
                found = match(text, position)
                if found is not None:
                    return name, found.end()
        return None

    def _candidates(self, character: str) -> tuple[tuple[str, str, Any], ...]:
        import re

        found: list[tuple[str, str, Any]] = []
        for terminal in self._terminals:
            pattern = terminal.pattern
            if pattern.type == "str" and not pattern.flags and not self._flags:
                if pattern.value.startswith(character):
                    found.append((terminal.name, pattern.value, None))
                continue
            regexp = pattern.to_regexp()
            match = self._compiled.get(regexp)
            if match is None:
                match = self._compiled[regexp] = re.compile(regexp, self._flags).match
            found.append((terminal.name, "", match))
        if len(self._by_character) >= _MAX_CHARACTERS:
            self._by_character.clear()
        candidates = self._by_character[character] = tuple(found)
        return candidates


class _Rows(dict):  # type: ignore[type-arg]
    """A state's resolved actions, made on first use."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, state: int) -> Any:
        row = self[state] = self._make(state)
        return row


class Driver:
    """Parses with ``lark``'s tables, lexers and callbacks, each action resolved once (see the module)."""

    def __init__(self, lark: Lark) -> None:
        from lark.exceptions import UnexpectedToken
        from lark.lexer import LexerState, LineCounter, Token
        from lark.parse_tree_builder import ExpandSingleChild
        from lark.parsers.lalr_analysis import Shift
        from lark.parsers.lalr_parser_state import ParseConf, ParserState
        from lark.utils import TextSlice

        frontend: Any = lark.parser
        inner = frontend.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
        (start,) = frontend.parser_conf.start
        self._conf = ParseConf(inner.parse_table, inner.callbacks, start)
        self._lexer: Any = frontend.lexer
        callbacks: dict[Any, Any] = inner.callbacks
        self._shift_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}
        self._reductions: dict[int, tuple[int, str, Any]] = {}
        self._callbacks = callbacks
        self._shift = Shift
        self._expand_single = ExpandSingleChild
        #: Each state's actions, resolved when the parser first reaches it (all 548 at once would
        #: add ~10 ms to the first parse of a process).
        self._actions: dict[int, dict[str, Any]] = _Rows(self._resolve)
        self._scanners: dict[int, Any] = {}
        self._dispatches: dict[int, _Dispatch] = {}
        self._compiled: dict[str, Any] = {}
        self._token: Any = Token
        self._new_token: Any = Token._future_new
        self._state: Any = ParserState
        self._lexer_state: Any = LexerState
        self._line_counter: Any = LineCounter
        self._slice: Any = TextSlice
        self._unexpected: Any = UnexpectedToken

    def _resolve(self, state: int) -> dict[str, Any]:
        """``state``'s actions: the next state for a shift, ``(size, origin, callback)`` for a
        reduction, with ``callback`` ``None`` for a ``?rule`` of one kept child (Lark returns it)."""
        resolved: dict[str, Any] = {}
        reductions = self._reductions
        for name, (action, arg) in self._conf.states[state].items():
            if action is self._shift:
                resolved[name] = arg
                continue
            key = id(arg)
            if key not in reductions:
                size, callback = len(arg.expansion), self._callbacks[arg]
                if size == 1 and isinstance(callback, self._expand_single):
                    callback = None
                reductions[key] = (size, arg.origin.name, callback)
            resolved[name] = reductions[key]
        return resolved

    def _scanner(self, state: int) -> Any:
        """``state``'s scanner, ``scan(text, position) -> (terminal, end) | None``, or ``None``
        where its lexer does more than match (callbacks, ignored or multi-line terminals, several
        expressions).  It runs the lexer's one regular expression, and after :data:`_WARM` uses a
        :class:`_Dispatch` of the same terminals (compiled on demand, so the first parse of a
        process runs the precompiled expression and compiles nothing)."""
        lexer = self._lexer.lexers[state]
        scanner = lexer.scanner
        if lexer.callback or lexer.newline_types or lexer.ignore_types or len(scanner._mres) != 1:
            self._scanners[state] = None
            return None
        full = scanner._mres[0].match
        uses = [0]
        scanners = self._scanners
        dispatches = self._dispatches

        def scan(text: str, position: int) -> tuple[str, int] | None:
            uses[0] += 1
            if uses[0] == _WARM:
                dispatch = dispatches.get(id(lexer))
                if dispatch is None:
                    dispatch = dispatches[id(lexer)] = _Dispatch(scanner.terminals, lexer.g_regex_flags, self._compiled)
                scanners[state] = dispatch.scan
            found = full(text, position)
            return (found.lastgroup, found.end()) if found is not None else None

        scanners[state] = scan
        return scan

    def _lark_token(self, text: str, position: int, last: Any, state: Any) -> Any:
        """The next token as Lark's contextual lexer gives it, or the error it raises."""
        counter = self._line_counter("\n")
        counter.feed(text[:position])
        lexer_state = self._lexer_state(self._slice(text, 0, len(text)), counter, last)
        for token in self._lexer.lex(lexer_state, state):
            return token
        raise AssertionError("no token before the end of the text")  # pragma: no cover

    def parse(self, text: str, quiet_except: str | None = None) -> Any:
        """What ``lark.parse(text)`` returns, or the exception it raises.

        With ``quiet_except`` (a terminal's name), a syntax error returns :data:`FAILED` instead,
        with no exception built, for callers that only try a reading; except a character that no
        terminal matches where the terminal ``quiet_except`` was allowed: that error is raised as
        usual (the caller retries it with a placeholder).
        """
        conf = self._conf
        state = self._state(conf, None)
        states: list[int] = state.state_stack
        values: list[Any] = state.value_stack
        actions = self._actions
        scanners = self._scanners
        new_token = self._new_token
        shift_callbacks = self._shift_callbacks
        simple = "\n" not in text  # every token on line 1: its column is its position + 1
        token = None
        position, length = 0, len(text)
        while position < length:
            current = states[-1]
            match = scanners.get(current, self) if simple else None
            if match is self:
                match = self._scanner(current)
            found = match(text, position) if match is not None else None
            if found is not None:
                kind, end = found
                token = new_token(kind, text[position:end], position, 1, position + 1, 1, end + 1, end)
                position = end
            else:
                if (
                    quiet_except is not None
                    and match is not None
                    and simple
                    and quiet_except not in self._lexer.lexers[current].scanner.allowed_types
                ):
                    return FAILED
                token = self._lark_token(text, position, token, state)
                position = token.end_pos
                kind = token.type
            while True:
                row = actions[states[-1]]
                entry = row.get(kind)
                if entry is None:
                    if quiet_except is not None:
                        return FAILED
                    expected = {s for s in row if s.isupper()}
                    raise self._unexpected(token, expected, state=state, interactive_parser=None)
                if entry.__class__ is int:
                    states.append(entry)
                    callback = shift_callbacks.get(kind) if shift_callbacks else None
                    values.append(token if callback is None else callback(token))
                    break
                size, origin, callback = entry
                if callback is None:  # one child, passed through
                    states.pop()
                    states.append(actions[states[-1]][origin])
                    continue
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                states.append(actions[states[-1]][origin])
                values.append(callback(children))
        if token is not None:  # Lark's Token.new_borrow_pos("$END", "", token), in one call
            end_token = new_token(
                "$END", "", token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos
            )
        else:
            end_token = self._token("$END", "", 0, 1, 1)
        end_state = conf.end_state
        while True:
            row = actions[states[-1]]
            entry = row.get("$END")
            if entry is None:
                if quiet_except is not None:
                    return FAILED
                expected = {s for s in row if s.isupper()}
                raise self._unexpected(end_token, expected, state=state, interactive_parser=None)
            size, origin, callback = entry  # the end token is never shifted
            if callback is None:
                states.pop()
                states.append(actions[states[-1]][origin])
            else:
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                states.append(actions[states[-1]][origin])
                values.append(callback(children))
            if states[-1] == end_state:
                return values[-1]
