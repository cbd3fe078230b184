"""Finds the grammar file, builds the Lark parser once per process, and names its terminals.

The grammar lives in the top-level ``grammar/`` directory of the source tree.  Wheels carry it as
``targetexpr/grammar/targetexpr.lark`` (hatchling ``force-include``); an editable install or a plain
checkout reads ``grammar/targetexpr.lark`` beside ``src/``.  :func:`grammar_source` says which copy
was used, so the packaging test can assert that a wheel uses its own.

The parser is LALR(1) with the contextual lexer, made lazily on first use under a lock.  A wheel
ships its LALR tables as ``targetexpr/grammar/targetexpr.tables.json``, built from the grammar at
build time by ``hatch_build.py`` in the compact layout of :mod:`.tables` (an editable install gets
them in ``src/targetexpr/grammar/``, ignored by git): loading them skips the grammar compiler (and
the ``interegular`` collision checks Lark runs on its own meta-grammar when that package is
installed).  They are used only if they were built from this very grammar by this Lark version;
otherwise (an edited grammar, another Lark, a bare checkout) the parser is built from the grammar.
Never Lark's ``cache=True``, which unpickles from a predictable temporary path.

``parse()`` runs :func:`get_driver`: the parser's own LALR loop over :func:`get_tables` (plain
data, :mod:`.tables`), which imports no Lark.  :func:`get_parser` (Lark's parser from the same
tables, or built from the grammar) is made only where Lark's own objects are needed: a text with a
line break, a lexer where Lark retypes a match, the tree parser of the rare builder error, tests.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import datafiles as _data
from ..errors import END_OF_INPUT
from ..i18n import N_

if TYPE_CHECKING:  # pragma: no cover
    from lark import Lark

    from .lalr import Driver
    from .tables import Tables

__all__ = [
    "GRAMMAR_NAME",
    "alphabet",
    "get_driver",
    "get_parser",
    "get_tables",
    "get_tree_parser",
    "grammar_source",
    "grammar_text",
    "human_name",
]

GRAMMAR_NAME = "targetexpr.lark"

_lock = threading.Lock()
_interegular_lock = threading.Lock()
_parser: Lark | None = None
_tree_parser: Lark | None = None
_driver: Driver | None = None
_tables: Tables | None = None
_tables_lock = threading.Lock()
_generated: tuple[str, str] | None = None  # (the grammar's digest, its tables)
_generated_lock = threading.Lock()


@cache
def _locate() -> tuple[str, str]:
    packaged = _data.package_bytes("grammar", GRAMMAR_NAME)
    if packaged is not None:
        return "package", packaged.decode("utf-8")
    # Editable install or checkout: src/targetexpr/_grammar.py -> <root>/grammar/targetexpr.lark.
    # This is the one place the package looks outside itself.
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_NAME
    if checkout.is_file():
        return "checkout", checkout.read_text(encoding="utf-8")
    raise RuntimeError(  # pragma: no cover - a broken installation
        f"targetexpr cannot find its grammar: neither the packaged {GRAMMAR_NAME} nor {checkout} exists"
    )


def grammar_source() -> str:
    """``"package"`` when the grammar came from inside the installed package, else ``"checkout"``."""
    return _locate()[0]


def grammar_text() -> str:
    """The text of ``targetexpr.lark``."""
    return _locate()[1]


#: How the parser is built (and how the shipped tables were built).
LARK_OPTIONS: dict[str, object] = {
    "parser": "lalr",
    "lexer": "contextual",
    "maybe_placeholders": True,
    "propagate_positions": False,
}
TABLES_NAME = "targetexpr.tables.json"
_source = ""


def build_parser(*, strict: bool = False, transformer: Any = None) -> Lark:
    """Build a new LALR parser from the grammar (tests use ``strict=True``).

    Without ``strict``, Lark's regex collision checks are skipped even when ``interegular`` is
    installed: they run on Lark's own meta-grammar too and triple the build time, and ``strict=True``
    (a test) runs them on ours.
    """
    from lark import Lark, lexer

    if strict:
        return Lark(grammar_text(), strict=True, transformer=transformer, **LARK_OPTIONS)
    with _interegular_lock:
        checks = lexer.has_interegular
        lexer.has_interegular = False
        try:
            return Lark(grammar_text(), transformer=transformer, **LARK_OPTIONS)
        finally:
            lexer.has_interegular = checks


@cache
def grammar_digest() -> str:
    """SHA-256 of the grammar text: shipped tables are used only for the grammar they were built from."""
    import hashlib

    return hashlib.sha256(grammar_text().encode("utf-8")).hexdigest()


def tables_json(parser: Lark) -> str:
    """The parser's LALR tables as JSON (what the wheel ships, built by ``hatch_build.py``).

    The layout is :mod:`.tables`' (compact, with the lexer's scanners precompiled)."""
    from . import tables

    return tables.dump(parser, grammar_digest(), grammar_text())


def load_tables(text: str, transformer: Any = None) -> Lark | None:
    """A parser from shipped tables, or ``None`` when they were built for another grammar or Lark
    (or in another layout).  JSON, not pickle: nothing in the file can run code."""
    from . import tables

    return tables.load(text, grammar_digest(), transformer)


def _shipped_tables() -> str | None:
    data = _data.package_bytes("grammar", TABLES_NAME)
    return data.decode("utf-8") if data is not None else None


def parser_source() -> str:
    """``"tables"`` when the parser was loaded from the wheel's prebuilt tables, ``"grammar"`` when
    it was built from the grammar at run time (a checkout or an editable install), ``""`` before."""
    return _source


def _generated_tables() -> str:
    """Tables built from the grammar at run time, once per process, where none were shipped for it
    (a checkout, an edited grammar): every parser of the process is made from them, so that their
    states are numbered alike.  Two builds of one grammar number them differently, and a syntax
    error's state stack from one parser means nothing in another's tables."""
    global _generated
    digest = grammar_digest()
    generated = _generated
    if generated is None or generated[0] != digest:
        with _generated_lock:
            if _generated is None or _generated[0] != digest:
                _generated = (digest, tables_json(build_parser()))
            generated = _generated
    return generated[1]


def _make(transformer: Any) -> tuple[Lark, str]:
    shipped = _shipped_tables()
    loaded = load_tables(shipped, transformer) if shipped is not None else None
    if loaded is not None:
        return loaded, "tables"
    built = load_tables(_generated_tables(), transformer)
    assert built is not None  # built for this grammar, by this Lark, in this layout
    return built, "grammar"


def get_parser() -> Lark:
    """The process-wide Lark parser: loaded from the shipped tables, else built, on first use.

    ``parse()`` does not run it (:func:`get_driver` does, on the same tables, without Lark); it is
    made when an error must be reported in Lark's terms, and by tests that compare the two.  It
    embeds the AST builder (``Lark(transformer=...)``, :class:`LarkBuilder`): its ``parse()``
    returns nodes, and no parse tree is built.
    """
    global _parser, _source
    parser = _parser
    if parser is None:
        with _lock:
            if _parser is None:
                from .transform import EmbeddedBuilder

                _parser, _source = _make(LarkBuilder(EmbeddedBuilder()))
            parser = _parser
    return parser


class LarkBuilder:
    """The AST builder as ``Lark(transformer=...)`` calls it: the builder's method for each rule,
    with Lark's tokens turned into the parser's own (:class:`~.tree_items.Token`) first, and a
    :class:`~.tree_items.Tree` for a rule without a method, so Lark's parser builds what
    :func:`get_driver` builds."""

    def __init__(self, builder: Any) -> None:
        self._builder = builder

    def __getattr__(self, name: str) -> Any:
        method = None if name.startswith("__") else self._builder.method(name)
        if method is None:
            raise AttributeError(name)

        def call(children: list[Any]) -> Any:
            return method(_ours(children))

        return call

    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        from .tree_items import Tree

        return Tree(str(data), _ours(children))


def _ours(children: list[Any]) -> list[Any]:
    from lark import Token as LarkToken

    from .tree_items import Token

    return [Token.of(c) if isinstance(c, LarkToken) else c for c in children]


def get_tables() -> Tables:
    """The parser's tables as plain data (:class:`~.tables.Tables`), on first use: the shipped ones
    when they were built from this grammar (its text, compared) by the installed Lark (checked
    without importing Lark, :func:`~.tables.same_lark`), else those of :func:`get_parser`."""
    global _tables, _source
    tables = _tables
    if tables is None:
        with _tables_lock:
            if _tables is None:
                from . import tables as _layout

                shipped = _shipped_tables()
                loaded = _layout.read(shipped, grammar_text()) if shipped is not None else None
                if loaded is None:
                    loaded = _layout.read(_generated_tables(), grammar_text())
                    assert loaded is not None  # built for this grammar, by this Lark
                    if not _source:
                        _source = "grammar"
                elif not _source:
                    _source = "tables"
                _tables = loaded
            tables = _tables
    return tables


def get_driver() -> Driver:
    """The LALR loop over :func:`get_tables` with each action resolved once (:class:`~.lalr.Driver`):
    what ``parse()`` runs, made on first use.  Imports no Lark."""
    global _driver
    driver = _driver
    if driver is None:
        tables = get_tables()
        with _lock:
            if _driver is None:
                from .lalr import Driver
                from .transform import EmbeddedBuilder

                _driver = Driver(tables, EmbeddedBuilder(), get_parser)
            driver = _driver
    return driver


def get_tree_parser() -> Lark:
    """A process-wide parser that returns parse trees (for the rare text whose AST builder fails, to
    find a syntax error that comes later in the text first), made on first use."""
    global _tree_parser
    parser = _tree_parser
    if parser is None:
        with _lock:
            if _tree_parser is None:
                _tree_parser = _make(None)[0]
            parser = _tree_parser
    return parser


# --- human names for terminals -----------------------------------------------------------------
# These are the stable names of TargetSyntaxError.expected (the same in every language); the message
# translates the descriptive ones through the catalog (N_), words of the cell stay themselves.

_NAMED = {
    "NUMBER": N_("a number"),
    "CN_NUMBER": N_("a number"),
    "PLAIN_NUMBER": N_("a number"),
    "PERCENT_OF": "百分之",
    "MASKED": N_("a number"),
    "GE": "≥",
    "GT": ">",
    "LE": "≤",
    "LT": "<",
    "EQ": "=",
    "APPROX": "≈",
    "NEI": "以上/以下",
    "OTHER_UNIT": N_("a unit"),
    "PER": "/",
    "TIMES": "·",
    "STAR": "·",
    "DASH": "-",
    "TILDE": "~",
    "ZHIJIAN": "之间",
    "LBRACK": "[",
    "RBRACK": "]",
    "LPAREN": "(",
    "RPAREN": ")",
    "COMMA": ",",
    "YEAR": N_("a year (2022年)"),
    "ISO_DATE": N_("a date"),
    "DOT_DATE": N_("a date"),
    "MONTH_DAY_END": N_("a date"),
    "DOUBLE_DASH": "-",
    "MONTH_SPAN": N_("a span of months (1-10月)"),
    "RATIO": N_("a ratio (1:1)"),
    "CHENG": N_("a unit"),
    "NEAR": "近",
    "DOT_MONTHS": N_("a period of months (2023.1-2023.12)"),
    "PERMILLE_OF": "千分之",
    "PER_TEN_THOUSAND_OF": "万分之",
    "SLASH_DATE": N_("a date"),
    "US_DATE": N_("a date"),
    "NIAN": "年",
    "YUE": "月",
    "RI": "日",
    "HAO": "号",
    "DI": "第",
    "JIDU": "季度",
    "WANCHENG": "完成",
    "REF_SUFFIX": "水平",
    "TONGBI": "同比",
    "HUANBI": "环比",
    "YOUSUO": "有所",
    "CHIPING": "持平",
    "$END": END_OF_INPUT,
}

_DATE_WORDS = frozenset(
    [
        *_data.before_words(),
        "底",
        "末",
        "以内",
        "之内",
        "上半年",
        "下半年",
        "年中",
        *_data.year_ends(),
        "不晚于",
        "不迟于",
        "截至",
        "截止",
        "截止到",
        "截至到",
    ]
)
_RANGE_WORDS = frozenset(["在", "介于", "至", "到"])
_INCLUSIVITY = frozenset(
    ["(不含当日)", "(不含当天)", "(不含)", "(不含本数)", "(含当日)", "(含当天)", "(含)", "(含本数)"]
)
_PREPOSITIONS = frozenset(["较", "比", "与", "相比", "相较"])


def _word_class(word: str) -> str:
    if word in _data.units():
        return N_("a unit")
    if word in _data.magnitudes():
        return "万/亿"
    info = _data.comparators().get(word)
    if info is not None:
        return "以上/以下" if info.position == "suffix" else N_("a comparator (≥, 不低于 …)")
    if word in _data.references():
        return "上年/预算"
    if word in _data.changes():
        return "增长/下降"
    if word in _DATE_WORDS:
        return "前/底"
    if word in _RANGE_WORDS:
        return word
    if word in _INCLUSIVITY:
        return "(含)/(不含)"
    if word in _PREPOSITIONS:
        return word
    return ""


def human_name(terminal: str) -> str:
    """A name for ``terminal`` that a budget officer understands ("a number", "a unit", "月" …).

    The name is stable (English for descriptions, the cell's own word otherwise): it is what
    :attr:`~targetexpr.TargetSyntaxError.expected` holds; messages translate it when they are built.
    """
    name = _NAMED.get(terminal)
    if name is not None:
        return name
    found = get_tables().terminals.get(terminal)
    if found is None:
        return terminal
    pattern = found.pattern
    if pattern.type == "str":
        word = str(pattern.value)
        return _word_class(word) or word
    return terminal


@cache
def alphabet() -> frozenset[str]:
    """Every non-ASCII character that some terminal of the grammar can match literally."""
    chars: set[str] = set()
    for terminal in get_tables().terminals.values():
        chars.update(c for c in str(terminal.pattern.value) if not c.isascii())
    return frozenset(chars)
