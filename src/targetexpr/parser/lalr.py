"""The LALR loop of the process-wide parser, on the parser's own tables (issue #11).

:class:`Driver` runs the tables of :class:`~.tables.Tables` (plain Python data read from the shipped
JSON, or made from a parser just built from the grammar): each state's actions are resolved once,
when the loop first reaches the state: a shift is the next state (an ``int``), a reduction the
tuple ``(size, origin, callback)``, where ``callback`` does what Lark's parse-tree builder does for
that rule (drops filtered tokens, inlines ``_rule`` children, inserts ``None`` for an absent
``[optional]``, passes a ``?rule``'s single child through) and calls the AST builder's method for
the rule.  Tokens are matched by each state's :class:`_Dispatch`: Lark's one regular expression per
state alternates hundreds of words in some states and tries them in turn; the dispatch tries, in
the same order, only the terminals that can start with the character at hand, for the same match.

A text that parses imports no Lark.  Lark is imported, and its own objects made from the same
tables (:func:`~.grammar.get_parser`), only for what must be Lark's: an error (``UnexpectedToken``
with Lark's parser state, as ``feed_token`` raises it; a character no terminal matches goes
through Lark's contextual lexer, root lexer and all, as before), a text with a line break (lexed by
Lark entirely), and a lexer where Lark retypes a match (``lark_lexers`` of the tables; none today).
So :mod:`~targetexpr.parser.lark_errors` reads the same exceptions as before, and
``tests/test_lalr_driver.py`` compares results and errors with those of Lark's own loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from lark import Lark

    from .tables import Tables

__all__ = ["Driver", "DriverSyntaxError", "Failed", "ParseState", "UnexpectedCharacters", "UnexpectedToken"]


class Failed:
    """What :meth:`Driver.parse` returns, asked to be quiet, for a text with a syntax error: the
    error it would have raised, built only when :meth:`error` is asked (most quiet callers only try
    a reading; the one that reports it then needs no second parse)."""

    __slots__ = ("_args", "_build")

    def __init__(self, build: Callable[..., Exception], *args: Any) -> None:
        self._build = build
        self._args = args

    def error(self) -> Exception:
        """The exception :meth:`Driver.parse` raises for the same text when it is not quiet."""
        return self._build(*self._args)


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

    __slots__ = ("_by_character", "_compile", "_compiled", "_flags", "_terminals")

    def __init__(self, terminals: Any, flags: int, compiled: dict[str, Any], compile: Any = None) -> None:
        self._terminals = list(terminals)
        self._flags = flags
        self._compiled = compiled
        self._compile = compile
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
                compile = self._compile or re.compile
                match = self._compiled[regexp] = compile(regexp, self._flags).match
            found.append((terminal.name, "", match))
        if len(self._by_character) >= _MAX_CHARACTERS:
            self._by_character.clear()
        candidates = self._by_character[character] = tuple(found)
        return candidates


class ParseState:
    """The parser's stacks where a syntax error stopped it (what Lark's ``ParserState`` holds)."""

    __slots__ = ("state_stack", "value_stack")

    def __init__(self, state_stack: list[int], value_stack: list[Any]) -> None:
        self.state_stack = state_stack
        self.value_stack = value_stack


class DriverSyntaxError(Exception):
    """A syntax error of the parser's own loop, with the fields Lark's exception of the same name
    has (``lark_errors`` reads either; ``tests/test_lalr_driver.py`` compares them with Lark's)."""

    pos_in_stream: int | None
    line: int | None
    column: int | None
    state: ParseState
    token_history: list[Any] | None


class UnexpectedToken(DriverSyntaxError):  # noqa: N818 - Lark's name, which the tests compare
    """A token the parser state does not take: Lark's ``UnexpectedToken``, field for field."""

    def __init__(self, token: Any, expected: set[str], state: ParseState, token_history: list[Any] | None = None):
        super().__init__()
        self.token = token
        self.expected = expected
        self.state = state
        self.line = token.line
        self.column = token.column
        self.pos_in_stream = token.start_pos
        self.token_history = token_history

    def __str__(self) -> str:
        expected = sorted(self.expected)
        return f"Unexpected token {self.token!r} at position {self.pos_in_stream}, expected one of {expected}"


class UnexpectedCharacters(DriverSyntaxError):  # noqa: N818 - Lark's name, which the tests compare
    """A character no terminal of the state matches: Lark's ``UnexpectedCharacters``, field for field."""

    def __init__(
        self,
        text: str,
        position: int,
        allowed: set[str],
        state: ParseState,
        token_history: list[Any] | None,
    ) -> None:
        super().__init__()
        self.pos_in_stream = position
        self.line = 1
        self.column = position + 1
        self.char = text[position]
        self.allowed = allowed
        self.state = state
        self.token_history = token_history

    def __str__(self) -> str:
        allowed = sorted(self.allowed)
        return f"No terminal matches {self.char!r} at position {self.pos_in_stream}, expected one of {allowed}"


class _Rows(dict):  # type: ignore[type-arg]
    """A state's resolved actions, made on first use."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, state: int) -> Any:
        row = self[state] = self._make(state)
        return row


def _reduction(rule: Any, builder: Any, maybe_placeholders: bool) -> tuple[int, str, Any]:
    """``(size, origin, callback)`` of a rule (as :func:`~.tables.dump` writes it): ``callback`` takes
    the rule's children off the stack and returns what Lark's parse-tree builder, calling
    ``builder``, returns for them; ``None`` for a ``?rule`` of one kept child (the child itself).

    Lark's builder keeps a child unless it is a filtered-out token (an anonymous or ``_TOKEN``,
    unless the rule keeps all tokens), spreads the children of a ``_rule`` child, inserts ``None``
    where ``[optional]`` items were absent (``maybe_placeholders``), returns a ``?rule``'s single
    kept child itself, and calls the builder's method for the rule's alias or name, or makes a
    :class:`~.tree_items.Tree` when there is none.
    """
    from .tree_items import Tree

    origin, expansion, _order, alias, (keep_all_tokens, expand1, _priority, template_source, empty) = rule
    size = len(expansion)
    name = alias or template_source or origin
    method = builder.method(name)
    if method is None:

        def method(children: list[Any]) -> Any:
            return Tree(name, children)

    nones = [0] * (size + 1)
    if maybe_placeholders and empty:
        nones = [len(ones) for ones in "".join("1" if e else "0" for e in empty).split("0")]
        if len(nones) != size + 1:  # pragma: no cover - Lark's invariant
            raise ValueError(f"corrupt placeholders of rule {name}")
    include: list[tuple[int, bool, int]] = []
    pending = 0
    for i, (symbol, terminal, filter_out) in enumerate(expansion):
        pending += nones[i]
        if keep_all_tokens or not (terminal and filter_out):
            include.append((i, not terminal and symbol.startswith("_"), pending))
            pending = 0
    pending += nones[size]
    single = bool(expand1 and not alias)
    filters = bool(maybe_placeholders and empty) or len(include) < size or any(e for _, e, _ in include)
    if not filters:
        if not single:
            return size, origin, method
        if size == 1:
            return size, origin, None

        def expand_single(children: list[Any]) -> Any:
            return children[0] if len(children) == 1 else method(children)

        return size, origin, expand_single
    plan = tuple(include)
    trailing = [None] * pending

    def filtered(children: list[Any]) -> Any:
        kept: list[Any] = []
        for i, spread, add in plan:
            if add:
                kept += [None] * add
            if spread:
                kept += children[i].children
            else:
                kept.append(children[i])
        if trailing:
            kept += trailing
        if single and len(kept) == 1:
            return kept[0]
        return method(kept)

    return size, origin, filtered


class Driver:
    """Parses with the parser's own tables, scanners and reductions (see the module)."""

    def __init__(self, tables: Tables, builder: Any, lark: Callable[[], Lark]) -> None:
        from .tree_items import Token

        self._tables = tables
        self._builder = builder
        self._get_lark = lark
        self._count = tables.count
        self._start = tables.start_state
        self._end = tables.end_state
        self._reductions: dict[int, tuple[int, str, Any]] = {}
        #: Each state's actions, resolved when the parser first reaches it.
        self._actions: dict[int, dict[str, Any]] = _Rows(self._resolve)
        self._scanners: dict[int, Any] = {}
        self._dispatches: dict[int, _Dispatch] = {}
        self._allowed: dict[int, frozenset[str]] = {}
        self._compiled: dict[str, Any] = {}
        self._token: Any = Token
        self._lark_conf: Any = None

    @property
    def _conf(self) -> Any:
        """Lark's ``ParseConf`` over the same tables (for Lark's parser state in an error; imports Lark)."""
        conf = self._lark_conf
        if conf is None:
            from lark.parsers.lalr_parser_state import ParseConf

            frontend: Any = self._get_lark().parser
            inner = frontend.parser.parser  # ParsingFrontend -> LALR_Parser -> _Parser
            (start,) = frontend.parser_conf.start
            conf = self._lark_conf = ParseConf(inner.parse_table, inner.callbacks, start)
            if conf.start_state != self._start or conf.end_state != self._end:  # pragma: no cover
                raise RuntimeError("Lark's parser and the parser's tables differ")
        return conf

    @property
    def _lexer(self) -> Any:
        """Lark's contextual lexer over the same terminals (imports Lark)."""
        return self._get_lark().parser.lexer

    def _resolve(self, state: int) -> dict[str, Any]:
        """``state``'s actions: the next state for a shift, ``(size, origin, callback)`` for a
        reduction (:func:`_reduction`)."""
        resolved: dict[str, Any] = {}
        reductions = self._reductions
        count = self._count
        tables = self._tables
        for name, code in tables.row(state).items():
            if code < count:
                resolved[name] = code
                continue
            entry = reductions.get(code)
            if entry is None:
                rule = tables.rules[code - count]
                entry = reductions[code] = _reduction(rule, self._builder, tables.maybe_placeholders)
            resolved[name] = entry
        return resolved

    def _scanner(self, state: int) -> Any:
        """``state``'s scanner, ``scan(text, position) -> (terminal, end) | None`` (a
        :class:`_Dispatch` of its lexer's terminals, shared by the states of that lexer), or ``None``
        where Lark's lexer does more than match (ignored terminals, a match retyped)."""
        dispatch = self._dispatch(state)
        scan = self._scanners[state] = dispatch.scan if dispatch is not None else None
        return scan

    def _dispatch(self, state: int | None) -> _Dispatch | None:
        """The dispatch of ``state``'s lexer (``None``: the root lexer), or ``None`` for Lark's."""
        tables = self._tables
        index, terminals = tables.lexer(state)
        if index in tables.lark_lexers or tables.ignore:
            return None
        dispatch = self._dispatches.get(index)
        if dispatch is None:
            # What Lark's lexer says it allowed, set before the dispatch is shared (threads).
            self._allowed[index] = frozenset(t.name for t in terminals) or frozenset(["<END-OF-FILE>"])
            dispatch = self._dispatches[index] = _Dispatch(
                terminals, tables.g_regex_flags, self._compiled, tables.regex.compile
            )
        return dispatch

    def _refused(self, text: str, position: int, last: Any, states: list[int], values: list[Any]) -> Any:
        """The error of a character ``states[-1]``'s lexer does not match, as Lark's contextual
        lexer raises it: ``UnexpectedToken`` when a terminal of another state matches there (its
        root lexer), else ``UnexpectedCharacters`` with the terminals the state allowed."""
        allowed = set(self._allowed[self._tables.lexer(states[-1])[0]])
        root = self._dispatch(None)
        if root is None:  # pragma: no cover - a root lexer that retypes matches: Lark's raises
            self._lark_token(text, position, last, states, values)
            raise AssertionError("Lark's lexer matched what the state's scanner did not")
        state = ParseState(states, values)
        found = root.scan(text, position)
        if found is not None:
            kind, end = found
            token = self._token(kind, text[position:end], position, 1, position + 1, 1, end + 1, end)
            return UnexpectedToken(token, allowed, state, [last])
        return UnexpectedCharacters(text, position, allowed, state, [last] if last is not None else None)

    def _lark_state(self, states: list[int], values: list[Any]) -> Any:
        """Lark's parser state over these stacks (imports Lark)."""
        from lark.parsers.lalr_parser_state import ParserState

        return ParserState(self._conf, None, states, values)  # type: ignore[arg-type]

    def _lark_token(self, text: str, position: int, last: Any, states: list[int], values: list[Any]) -> Any:
        """The next token as Lark's contextual lexer gives it, or the error it raises (imports Lark)."""
        from lark.lexer import LexerState, LineCounter
        from lark.utils import TextSlice

        counter = LineCounter("\n")  # type: ignore[no-untyped-call]
        counter.feed(text[:position])
        previous = last.lark() if last is not None else None
        lexer_state = LexerState(TextSlice(text, 0, len(text)), counter, previous)
        for token in self._lexer.lex(lexer_state, self._lark_state(states, values)):
            return self._token.of(token)
        raise AssertionError("no token before the end of the text")  # pragma: no cover

    def _unexpected(self, token: Any, row: dict[str, Any], states: list[int], values: list[Any]) -> Exception:
        """``UnexpectedToken`` as Lark's loop raises it (``feed_token``)."""
        return UnexpectedToken(token, {s for s in row if s.isupper()}, ParseState(states, values))

    def accepts(self, stack: list[int]) -> frozenset[str]:
        """The terminals the parser would take with ``stack``: exactly Lark's
        ``UnexpectedToken.accepts``, which copies the whole parser state once per candidate
        terminal; this replays the reductions on a copy of the state stack alone."""
        row = self._actions[stack[-1]]
        return frozenset(t for t in row if t.isupper() and self._shifts(list(stack), t))

    def _shifts(self, stack: list[int], terminal: str) -> bool:
        """Whether ``terminal`` is shifted after the reductions it causes, or for ``$END`` whether
        they reach the end state (Lark's ``InteractiveParser.feed_token``)."""
        actions = self._actions
        while True:
            entry = actions[stack[-1]].get(terminal)
            if entry is None:
                return False
            if entry.__class__ is int:
                return True
            size = entry[0]
            if size:
                del stack[-size:]
            stack.append(actions[stack[-1]][entry[1]])
            if terminal == "$END" and stack[-1] == self._end:
                return True

    def parse(self, text: str, quiet_except: str | None = None) -> Any:
        """What Lark's ``parse(text)`` returns, or the exception it raises.

        With ``quiet_except`` (a terminal's name), a syntax error returns a :class:`Failed` instead,
        with no exception built, for callers that only try a reading; except a character that no
        terminal matches where the terminal ``quiet_except`` was allowed: that error is raised as
        usual (the caller retries it with a placeholder).
        """
        states: list[int] = [self._start]
        values: list[Any] = []
        actions = self._actions
        scanners = self._scanners
        new_token = self._token
        simple = "\n" not in text  # every token on line 1: its column is its position + 1
        token = None
        position, length = 0, len(text)
        while position < length:
            current = states[-1]
            if simple:
                match = scanners.get(current, self)
                if match is self:
                    match = self._scanner(current)
            else:
                match = None
            found = match(text, position) if match is not None else None
            if found is not None:
                kind, end = found
                token = new_token(kind, text[position:end], position, 1, position + 1, 1, end + 1, end)
                position = end
            else:
                if (
                    quiet_except is not None
                    and match is not None
                    and quiet_except not in self._allowed[self._tables.lexer(current)[0]]
                ):
                    return Failed(self._refused, text, position, token, states, values)
                if match is not None:
                    raise self._refused(text, position, token, states, values)
                token = self._lark_token(text, position, token, states, values)
                position = token.end_pos
                kind = token.type
            while True:
                row = actions[states[-1]]
                entry = row.get(kind)
                if entry is None:
                    if quiet_except is not None:
                        return Failed(self._unexpected, token, row, states, values)
                    raise self._unexpected(token, row, states, values)
                if entry.__class__ is int:
                    states.append(entry)
                    values.append(token)
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
        if token is not None:  # Lark's Token.new_borrow_pos("$END", "", token)
            end_token = new_token(
                "$END", "", token.start_pos, token.line, token.column, token.end_line, token.end_column, token.end_pos
            )
        else:
            end_token = new_token("$END", "", 0, 1, 1)
        end_state = self._end
        while True:
            row = actions[states[-1]]
            entry = row.get("$END")
            if entry is None:
                if quiet_except is not None:
                    return Failed(self._unexpected, end_token, row, states, values)
                raise self._unexpected(end_token, row, states, values)
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
