"""The parser's LALR tables in a compact form: plain data for the parser's own loop, and a loader
that makes Lark's parser from them when Lark's objects are needed.

A wheel ships the tables of the parser built from ``grammar/targetexpr.lark`` (``hatch_build.py``
writes them at build time; nothing is committed).  Lark's own serialized form (a generic tree of
dictionaries, one per object, each action of the parse table a small dictionary) took most of the
first grammar parse to read: decoding 620 KB of JSON, then Lark's generic ``deserialize`` of every
entry.  This form is flat and made for the one loader below:

* ``terminals`` and ``rules`` as short lists, built with Lark's public constructors;
* the parse table as integers, state after state (``token, action, token, action …``; an action
  below the number of states shifts to that state, one above reduces by rule ``action - states``),
  packed as 16-bit integers in base64 and turned into Lark's ``IntParseTable`` with one
  ``dict(zip(...))`` per state and shared action tuples;
* the lexer's scanners precompiled (``regex``): the contextual lexer compiles one large regular
  expression per set of terminals a parser state accepts (75 of them, 2-10 ms each in the pure
  Python ``re`` compiler).  The build stores what Python's ``re`` compiler makes of each one (its
  ``_sre`` code), and the loader hands that code to ``_sre.compile`` instead of compiling again,
  only under the very Python that built it (implementation, exact version, ``_sre.MAGIC``, code
  size); under any other Python the scanners are compiled as usual.  ``tests/test_grammar.py``
  checks that each precompiled scanner equals ``re.compile`` of its pattern (a compiled pattern
  compares its code).

Since issue #11's fourth round the document also lists each state's lexer (its terminals'
names in the order Lark's lexer tries them, one list per distinct set, and the root lexer's) and
each terminal's regular expression, whose compiled code is precompiled as well.  :func:`read`
makes :class:`Tables` of it, plain Python data that :mod:`.lalr` runs without Lark: nothing of
Lark is imported or built for a text that parses.  :func:`load` still makes Lark's parser, for
the errors and tests that need Lark's own objects.

The document carries the Lark version, the grammar's text and its SHA-256: :func:`load` returns
``None`` for tables built by another Lark or from another grammar (the digest), :func:`read` as
well (the text itself, compared: no ``hashlib``; the Lark version from the installer's record,
:func:`same_lark`: no ``import lark``), and the caller builds the parser from the grammar
instead.  JSON, not pickle: nothing in the file can run code.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's compiled-pattern builder, already loaded by re
import json
import re
import sys
from itertools import accumulate
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from lark import Lark

__all__ = ["FORMAT", "dump", "load", "python_key"]

#: The version of the layout below; tables of another layout are not read.
FORMAT = 4


def python_key() -> list[object]:
    """What precompiled regular expressions depend on: the Python that compiled them."""
    return [sys.implementation.name, sys.hexversion, _sre.MAGIC, _sre.CODESIZE]


# --- writing (at wheel build time) ----------------------------------------------------------------


def dump(parser: Lark, grammar_sha256: str, grammar: str = "") -> str:
    """The tables of ``parser`` (built from the grammar ``grammar``, whose digest is
    ``grammar_sha256``) as JSON."""
    return json.dumps(document(parser, grammar_sha256, grammar=grammar), ensure_ascii=False, separators=(",", ":"))


def document(parser: Lark, grammar_sha256: str, *, grammar: str = "", precompile: bool = True) -> dict[str, Any]:
    """The tables of ``parser`` as the document :func:`dump` writes (``precompile=False``: without
    the scanners' compiled code, for a parser just built from the grammar at run time).

    It carries the grammar's text as well as its digest: :func:`read` compares the text itself,
    which spares the parser's first use ``hashlib`` (4-10 ms to import here, for OpenSSL)."""
    import lark
    from lark.grammar import Terminal
    from lark.parsers.lalr_analysis import Shift

    terminals = [
        [t.name, t.pattern.type, t.pattern.value, sorted(t.pattern.flags), t.pattern.raw, t.priority]
        + ([getattr(t.pattern, "_width")] if t.pattern.type == "re" else [])  # noqa: B009 - private
        for t in parser.terminals
    ]
    index = {id(rule): i for i, rule in enumerate(parser.rules)}
    rules = []
    for rule in parser.rules:
        flags = rule.options
        rules.append(
            [
                rule.origin.name,
                [[s.name, 1, s.filter_out] if isinstance(s, Terminal) else [s.name, 0, False] for s in rule.expansion],
                rule.order,
                rule.alias,
                [
                    flags.keep_all_tokens,
                    flags.expand1,
                    flags.priority,
                    flags.template_source,
                    list(flags.empty_indices),
                ],
            ]
        )
    table = parser.parser.parser._parse_table
    count = len(table.states)
    if list(table.states) != list(range(count)):  # pragma: no cover - Lark numbers its states so
        raise ValueError("the parse table's states are not numbered 0..n-1")
    tokens: dict[str, int] = {}
    sizes: list[int] = []
    cells: list[int] = []
    for state in range(count):
        actions = table.states[state]
        sizes.append(len(actions))
        for token, (action, arg) in actions.items():
            cells.append(tokens.setdefault(token, len(tokens)))
            cells.append(arg if action is Shift else count + index[id(arg)])
    lexer_conf = parser.lexer_conf
    options = {k: v for k, v in parser.options.serialize().items() if k != "transformer"}
    document: dict[str, Any] = {
        "format": FORMAT,
        "lark": lark.__version__,
        "grammar_sha256": grammar_sha256,
        "grammar": grammar,
        "options": options,
        "terminals": terminals,
        "ignore": list(lexer_conf.ignore),
        "g_regex_flags": lexer_conf.g_regex_flags,
        "use_bytes": lexer_conf.use_bytes,
        "lexer_type": lexer_conf.lexer_type,
        "rules": rules,
        "start": list(parser.parser.parser_conf.start),
        "parser_type": parser.parser.parser_conf.parser_type,
        "tokens": list(tokens),
        # Each state's actions, state after state: token, action, token, action … (see above),
        # as little-endian unsigned 16-bit integers in base64: JSON integers took 10 ms to read.
        "state_sizes": sizes,
        "states": _pack(cells),
        "start_states": dict(table.start_states),
        "end_states": dict(table.end_states),
        # What the parser's own scanner (parser/lalr.py) reads: each terminal's regular expression
        # as Lark's lexer writes it, and each state's terminals in the order Lark's lexer tries them.
        "regexps": [t.pattern.to_regexp() for t in parser.terminals],
    }
    document.update(_lexers(parser, count))
    document["regex"] = _precompile(document) if precompile else {"python": None, "patterns": []}
    return document


def _lexers(parser: Lark, count: int) -> dict[str, Any]:
    """Each state's lexer as the list of its terminals' names, in the order Lark's contextual lexer
    tries them (one list per distinct set, as Lark makes one lexer per distinct set).

    Lark's lexer drops a string terminal that a regular expression terminal of the same priority
    matches whole, and lets that expression's match become the string's terminal afterwards (its
    ``_create_unless``).  The same pairs are found here once for the whole grammar; a lexer where one
    applies is listed in ``lark_lexers`` and lexed by Lark itself (no such lexer in today's grammar).
    """
    terminals = list(parser.terminals)
    flags = parser.lexer_conf.g_regex_flags
    strings = [t for t in terminals if t.pattern.type == "str"]
    pairs: dict[str, set[str]] = {}  # regular expression terminal -> the string terminals it takes
    embedded: dict[str, set[str]] = {}
    for retok in terminals:
        if retok.pattern.type != "re":
            continue
        compiled = re.compile(retok.pattern.to_regexp(), flags)
        for strtok in strings:
            if strtok.priority != retok.priority:
                continue
            found = compiled.match(strtok.pattern.value)
            if found is not None and found.group(0) == strtok.pattern.value:
                pairs.setdefault(retok.name, set()).add(strtok.name)
                if set(strtok.pattern.flags) <= set(retok.pattern.flags):
                    embedded.setdefault(retok.name, set()).add(strtok.name)
    lexer: Any = parser.parser.lexer
    lists: dict[tuple[str, ...], int] = {}
    special: set[int] = set()

    def add(names: list[str]) -> int:
        present = set(names)
        dropped: set[str] = set()
        unless = False
        for retok in present & pairs.keys():
            if pairs[retok] & present:
                unless = True
                dropped |= embedded.get(retok, set()) & present
        index = lists.setdefault(tuple(n for n in names if n not in dropped), len(lists))
        if unless:
            special.add(index)
        return index

    of_state = [add([t.name for t in lexer.lexers[state].terminals]) for state in range(count)]
    root = add([t.name for t in lexer.root_lexer.terminals])  # for the error of a character no state takes
    return {
        "lexers": [list(names) for names in lists],
        "state_lexers": of_state,
        "root_lexer": root,
        "lark_lexers": sorted(special),
    }


class _Recorder:
    """Stands in for ``re`` while the scanners are built, to learn which expressions they compile."""

    error = re.error

    def __init__(self) -> None:
        self.seen: dict[tuple[str, int], None] = {}

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        self.seen[pattern, flags] = None
        return re.compile(pattern, flags)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self.compile(pattern, flags).match(string)


def _precompile(document: dict[str, Any]) -> dict[str, Any]:
    """Every regular expression the contextual lexer compiles, as Python's ``re`` compiles it.

    Empty when this Python's ``re`` internals are not the ones known here (the scanners are then
    compiled at run time, as before; tests/test_parser_tables.py notices)."""
    import base64

    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - a Python whose re is laid out otherwise
        return {"python": None, "patterns": []}
    recorder = _Recorder()
    parser = _assemble(document, None, recorder)
    lexer = parser.parser.lexer
    for state in parser.parser.parser._parse_table.states:
        lexer.lexers[state].scanner  # noqa: B018 - builds it, through the recorder
    lexer.root_lexer.scanner  # noqa: B018
    for regexp, simple in zip(document["regexps"], _simple_words(document), strict=True):
        if simple is None:  # what the parser's own scanner compiles, terminal by terminal
            recorder.compile(regexp, document["g_regex_flags"])
    patterns = []
    for pattern, flags in recorder.seen:
        try:
            parsed = _parser.parse(pattern, flags)
            code = _compiler._code(parsed, flags)
        except (AttributeError, TypeError):  # pragma: no cover - as above
            return {"python": None, "patterns": []}
        indexgroup = [None] * parsed.state.groups
        for name, i in parsed.state.groupdict.items():
            indexgroup[i] = name
        raw = _code_array(code)
        if sys.byteorder == "big":  # pragma: no cover - stored little-endian
            raw.byteswap()
        text = base64.b64encode(raw.tobytes()).decode("ascii")
        patterns.append([pattern, flags, flags | parsed.state.flags, parsed.state.groups - 1, indexgroup, text])
    return {"python": python_key(), "patterns": patterns}


def _pack(numbers: list[int]) -> str:
    import base64
    from array import array

    if numbers and not 0 <= min(numbers) <= max(numbers) < 1 << 16:  # pragma: no cover - a grammar 100× larger
        raise ValueError("the parse table does not fit 16-bit integers")
    packed = array("H", numbers)
    if sys.byteorder == "big":  # pragma: no cover
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unpack(text: str) -> list[int]:
    numbers: list[int] = _unpack_array(text).tolist()
    return numbers


def _unpack_array(text: str) -> Any:
    """The packed integers as an ``array`` (indexing one gives an ``int``; no list of 50,000 made)."""
    import base64
    from array import array

    packed = array("H")
    packed.frombytes(base64.b64decode(text))
    if sys.byteorder == "big":  # pragma: no cover
        packed.byteswap()
    return packed


def _code_array(code: list[int] | None = None) -> Any:
    from array import array

    typecode = next(t for t in "IL" if array(t).itemsize == _sre.CODESIZE)
    return array(typecode, code or [])


# --- reading (at run time) --------------------------------------------------------------------------


class _Precompiled:
    """Stands in for ``re`` in the lexer: expressions the build precompiled skip the ``re`` compiler.

    Any other expression (and every one under another Python) is compiled by ``re`` as usual.
    """

    error = re.error

    def __init__(self, section: dict[str, Any] | None) -> None:
        self._code: dict[tuple[str, int], list[Any]] = {}
        if section is not None and section.get("python") == python_key():
            self._code = {(entry[0], entry[1]): entry for entry in section["patterns"]}
        self._compiled: dict[tuple[str, int], re.Pattern[str]] = {}

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        key = (pattern, flags)
        compiled = self._compiled.get(key)
        if compiled is None:
            entry = self._code.get(key)
            compiled = re.compile(pattern, flags) if entry is None else _from_code(entry)
            self._compiled[key] = compiled
        return compiled

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self.compile(pattern, flags).match(string)


def _from_code(entry: list[Any]) -> re.Pattern[str]:
    import base64

    pattern, _flags, flags, groups, indexgroup, text = entry
    code = _code_array()
    code.frombytes(base64.b64decode(text))
    if sys.byteorder == "big":  # pragma: no cover - stored little-endian
        code.byteswap()
    groupindex = {name: i for i, name in enumerate(indexgroup) if name is not None}
    compiled: re.Pattern[str] = _sre.compile(pattern, flags, code.tolist(), groups, groupindex, tuple(indexgroup))
    return compiled


def load(text: str, grammar_sha256: str, transformer: Any = None) -> Lark | None:
    """The parser from tables written by :func:`dump`, or ``None`` when they are of another layout,
    another Lark version or another grammar."""
    return load_document(json.loads(text), grammar_sha256, transformer)


def load_document(document: Any, grammar_sha256: str, transformer: Any = None) -> Lark | None:
    """:func:`load` of the document already read from JSON."""
    import lark

    if not _current(document, grammar_sha256) or document.get("lark") != lark.__version__:
        return None
    return _assemble(document, transformer, _Precompiled(document.get("regex")))


def _current(document: Any, grammar_sha256: str) -> bool:
    return (
        isinstance(document, dict)
        and document.get("format") == FORMAT
        and document.get("grammar_sha256") == grammar_sha256
    )


def read(text: str, grammar: str) -> Tables | None:
    """The tables written by :func:`dump` for the parser's own loop, or ``None`` when they are of
    another layout, were built from another grammar than the text ``grammar``, or by another Lark
    version.  Imports no Lark (see :func:`same_lark`) and no ``hashlib``."""
    document = json.loads(text)
    if (
        not isinstance(document, dict)
        or document.get("format") != FORMAT
        or not grammar
        or document.get("grammar") != grammar
        or not same_lark(document.get("lark"))
    ):
        return None
    return Tables(document)


def same_lark(version: object) -> bool:
    """Whether the installed Lark is ``version``, without importing it when it is not imported yet.

    The tables are Lark's analysis of the grammar, and Lark's objects are made from them when an
    error must be reported in Lark's terms, so they must come from the installed Lark.  An imported
    Lark is asked (``lark.__version__``); otherwise the installer's record beside the package
    (``lark-<version>.dist-info``, or ``.egg-info``) answers, found on ``sys.path`` without
    importing anything.  Only when there is no such record is Lark imported to ask it.
    """
    import os

    if not isinstance(version, str):
        return False
    module = sys.modules.get("lark")
    if module is None:
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec("lark")
        if spec is not None and spec.origin is not None:
            site = os.path.dirname(os.path.dirname(spec.origin))
            if any(os.path.isdir(os.path.join(site, f"lark-{version}{s}")) for s in (".dist-info", ".egg-info")):
                return True
        import lark as module
    return bool(getattr(module, "__version__", None) == version)


def _simple_words(document: dict[str, Any]) -> list[str | None]:
    """Each terminal's word where the scanner compares it as a plain string, else ``None``."""
    plain = not document["g_regex_flags"]
    return [
        value if kind == "str" and not flags and plain else None
        for _name, kind, value, flags, *_rest in document["terminals"]
    ]


class _Pattern:
    """A terminal's pattern, as much of Lark's ``Pattern`` as the scanner reads."""

    __slots__ = ("_regexp", "flags", "type", "value")

    def __init__(self, kind: str, value: str, flags: list[str], regexp: str) -> None:
        self.type = kind
        self.value = value
        self.flags = frozenset(flags)
        self._regexp = regexp

    def to_regexp(self) -> str:
        """The terminal's regular expression, as Lark's lexer writes it."""
        return self._regexp


class Terminal:
    """A terminal: its name and :class:`_Pattern` (the shape of Lark's ``TerminalDef`` the scanner reads)."""

    __slots__ = ("name", "pattern")

    def __init__(self, name: str, pattern: _Pattern) -> None:
        self.name = name
        self.pattern = pattern


class Tables:
    """The parser's tables as plain Python data, for the parser's own LALR loop (:mod:`.lalr`).

    Each state's actions are read from the packed integers when first asked for (:meth:`row`);
    each state's lexer is the list of its terminals in Lark's order (:meth:`lexer`).  No Lark
    object is made, and Lark is not imported.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        sizes = document["state_sizes"]
        self.count: int = len(sizes)
        cells = _unpack_array(document["states"])
        offsets = [0, *accumulate(2 * size for size in sizes)]
        if offsets[-1] != len(cells):
            raise ValueError("corrupt parse table")
        self._cells = cells
        self._offsets = offsets
        self._tokens: list[str] = document["tokens"]
        self.terminals: dict[str, Terminal] = {
            name: Terminal(name, _Pattern(kind, value, flags, regexp))
            for (name, kind, value, flags, *_rest), regexp in zip(
                document["terminals"], document["regexps"], strict=True
            )
        }
        #: Lark's rules as :func:`dump` writes them: origin, expansion, order, alias, options.
        self.rules: list[Any] = document["rules"]
        (start,) = document["start"]
        self.start_state: int = document["start_states"][start]
        self.end_state: int = document["end_states"][start]
        self.ignore = frozenset(document["ignore"])
        self.g_regex_flags: int = document["g_regex_flags"]
        self.maybe_placeholders = bool(document["options"].get("maybe_placeholders"))
        self._lexers: list[list[str]] = document["lexers"]
        self._state_lexers: list[int] = document["state_lexers"]
        self._root_lexer: int = document["root_lexer"]
        self._made: dict[int, list[Terminal]] = {}
        #: Lexers that Lark runs itself (see :func:`_lexers`).
        self.lark_lexers = frozenset(document["lark_lexers"])
        #: Compiles the scanner's expressions from the build's precompiled code where it can.
        self.regex = _Precompiled(document.get("regex"))
        self.document = document

    def row(self, state: int) -> dict[str, int]:
        """``state``'s actions in Lark's order: terminal or rule name -> an action below
        :attr:`count` shifts to that state, one above reduces by rule ``action - count``."""
        cells, tokens = self._cells, self._tokens
        return {tokens[cells[i]]: cells[i + 1] for i in range(self._offsets[state], self._offsets[state + 1], 2)}

    def lexer(self, state: int | None) -> tuple[int, list[Terminal]]:
        """The lexer of ``state``: its number (states that accept the same terminals share one)
        and its terminals, in the order Lark's lexer tries them; for ``None``, the root lexer of
        every terminal (Lark's contextual lexer tries it on a character the state's lexer refuses)."""
        index = self._root_lexer if state is None else self._state_lexers[state]
        terminals = self._made.get(index)
        if terminals is None:
            terminals = self._made[index] = [self.terminals[name] for name in self._lexers[index]]
        return index, terminals


def _assemble(document: dict[str, Any], transformer: Any, regex: Any) -> Lark:
    """What ``Lark.load`` does, from the compact tables (same objects, same attributes)."""
    from lark import Lark
    from lark.common import LexerConf, ParserConf
    from lark.grammar import NonTerminal, Rule, RuleOptions, Terminal
    from lark.lark import LarkOptions
    from lark.lexer import PatternRE, PatternStr, TerminalDef
    from lark.parser_frontends import ParsingFrontend, _validate_frontend_args
    from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
    from lark.parsers.lalr_parser import LALR_Parser, _Parser

    terminals = []
    for name, kind, value, flags, raw, priority, *width in document["terminals"]:
        pattern: PatternStr | PatternRE
        if kind == "str":
            pattern = PatternStr(value, flags, raw)
        else:
            pattern = PatternRE(value, flags, raw)
            pattern._width = width[0]
        terminals.append(TerminalDef(name, pattern, priority))
    symbols: dict[tuple[str, int, bool], Terminal | NonTerminal] = {}

    def symbol(name: str, terminal: int, filter_out: bool) -> Terminal | NonTerminal:
        key = (name, terminal, filter_out)
        found = symbols.get(key)
        if found is None:
            found = symbols[key] = Terminal(name, filter_out) if terminal else NonTerminal(name)
        return found

    rules = [
        Rule(
            NonTerminal(origin),
            [symbol(*s) for s in expansion],
            order,
            alias,
            RuleOptions(keep_all_tokens, expand1, priority, template_source, tuple(empty)),
        )
        for origin, expansion, order, alias, (keep_all_tokens, expand1, priority, template_source, empty) in document[
            "rules"
        ]
    ]

    inst = Lark.__new__(Lark)
    options = dict(document["options"])
    options["transformer"] = transformer
    inst.options = LarkOptions(options)
    inst.rules = rules
    inst.source_path = "<deserialized>"
    _validate_frontend_args(inst.options.parser, inst.options.lexer)
    lexer_conf = LexerConf(
        terminals,
        regex,
        document["ignore"],
        inst.options.postlex,
        inst.options.lexer_callbacks or {},
        inst.options.g_regex_flags,
        skip_validation=True,
        use_bytes=inst.options.use_bytes,
    )
    lexer_conf.lexer_type = document["lexer_type"]
    inst.lexer_conf = lexer_conf
    inst.terminals = terminals
    inst._prepare_callbacks()
    inst._terminals_dict = {t.name: t for t in terminals}

    sizes = document["state_sizes"]
    count = len(sizes)
    actions = [(Shift, state) for state in range(count)] + [(Reduce, rule) for rule in rules]
    token_of = document["tokens"].__getitem__
    action_of = actions.__getitem__
    cells = _unpack(document["states"])
    states = {}
    start = 0
    for state, size in enumerate(sizes):
        end = start + 2 * size
        tokens, targets = cells[start:end:2], cells[start + 1 : end : 2]
        states[state] = dict(zip(map(token_of, tokens), map(action_of, targets), strict=True))
        start = end
    if start != len(cells):
        raise ValueError("corrupt parse table")
    table = IntParseTable(states, document["start_states"], document["end_states"])  # type: ignore[no-untyped-call]
    parser_conf = ParserConf(rules, inst._callbacks, document["start"])
    parser_conf.parser_type = document["parser_type"]
    lalr = LALR_Parser.__new__(LALR_Parser)
    lalr._parse_table = table  # type: ignore[assignment]
    lalr.parser = _Parser(table, inst._callbacks, inst.options.debug)
    if inst.options.postlex is not None or lexer_conf.lexer_type != "contextual":  # pragma: no cover
        inst.parser = ParsingFrontend(lexer_conf, parser_conf, inst.options, parser=lalr)
        return inst
    # ParsingFrontend(lexer_conf, parser_conf, options, parser=lalr), with a contextual lexer that
    # makes each state's lexer when the parser first reaches that state (Lark makes all 75 up front).
    frontend = ParsingFrontend.__new__(ParsingFrontend)
    frontend.parser_conf = parser_conf
    frontend.lexer_conf = lexer_conf
    frontend.options = inst.options
    frontend.parser = lalr
    frontend.skip_lexer = False
    frontend.lexer = _contextual_lexer(lexer_conf, states)
    inst.parser = frontend
    return inst


class _Lexers(dict):  # type: ignore[type-arg]
    """The contextual lexer's lexer for each parser state, made on first use."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, state: int) -> Any:
        lexer = self[state] = self._make(state)
        return lexer


def _contextual_lexer(conf: Any, states: dict[int, dict[str, Any]]) -> Any:
    """Lark's ``ContextualLexer(conf, {state: accepted terminals})``, its per-state lexers made lazily.

    As Lark does: one lexer per distinct set of accepted terminals (plus the ignored ones), and a
    root lexer over every terminal for the error of a character no state accepts.  ``conf`` comes
    from tables, so it skips validation (``skip_validation``), as Lark's loaded parsers do.
    """
    from copy import copy
    from functools import cached_property

    from lark.lexer import BasicLexer, ContextualLexer

    terminals = list(conf.terminals)
    by_name = conf.terminals_by_name
    shared = copy(conf)
    shared.terminals = terminals
    made: dict[frozenset[str], Any] = {}

    def make(state: int) -> Any:
        key = frozenset(states[state])
        lexer = made.get(key)
        if lexer is None:
            accepts = set(key) | set(conf.ignore)
            state_conf = copy(shared)
            state_conf.terminals = [by_name[n] for n in accepts if n in by_name]
            lexer = made[key] = BasicLexer(state_conf)
        return lexer

    class Contextual(ContextualLexer):
        @cached_property
        def root_lexer(self) -> Any:  # type: ignore[override]
            """Only for the error of a character no state accepts."""
            return BasicLexer(shared)

    contextual = Contextual.__new__(Contextual)
    contextual.lexers = _Lexers(make)
    return contextual
