"""Reading a target cell: text in, AST out, or a clear error.

The stages, one module each, in the order a cell meets them:

1. :mod:`.normalize` — NFKC, whitespace, aliases (``data/aliases.tsv``); positions kept;
2. :mod:`.classify` — qualitative words (``data/qualitative.tsv``), sentences, free text;
3. :mod:`.fast` — the common ``comparator? number unit?`` cells and usual deadlines, no grammar;
4. :mod:`.grammar` + :mod:`.lark_errors` — the Lark LALR parser on ``grammar/targetexpr.lark``,
   its errors translated to :class:`~targetexpr.TargetSyntaxError`;
5. :mod:`.transform` — the Lark tree to frozen nodes (:mod:`targetexpr.nodes`);
6. :mod:`.read` — one cell: the stages above, compound cells, noise hints, free text;
7. :mod:`.repair` — known extraction noise, repaired only on request and reported;
8. :mod:`.api` — :func:`parse` and :func:`analyze`, their options and memo.
"""

from __future__ import annotations

from .api import MAX_LENGTH, Analysis, analyze, parse, parse_unit
from .normalize import normalize
from .repair import Repair

__all__ = ["MAX_LENGTH", "Analysis", "Repair", "analyze", "normalize", "parse", "parse_unit"]
