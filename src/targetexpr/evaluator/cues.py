"""Direction from the indicator's name (``data/direction_cues.tsv``): the most specific cue wins.

A cue settles a bare value (no comparator) when no direction is given; a comparator always wins
over it.  Among the cues a name contains, the longest wins (``投诉率`` over ``率``,
``保障时间`` over ``时间``); at equal length a 三级指标 cue wins over a 二级指标 cue, then the
first in the file.  Every cue carries the reason it points where it does, in English and Chinese
(``reason``, ``reason_zh``): the reason a result carries is in the language in effect.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from .. import datafiles as _data
from ..i18n import current_language, say
from ..nodes import Direction, Unit
from ..parser.normalize import normalize
from ..units import dimension

__all__ = ["Cue", "chosen_cue", "cues", "matching_cues", "name_cue"]


class Cue(NamedTuple):
    """One row of ``data/direction_cues.tsv``."""

    field: str  # "indicator" (三级指标) or "level2" (二级指标)
    contains: str
    dimension: str  # money, percent, time, count or any
    direction: Direction
    example: str  # an indicator name (or 二级指标 for level2 cues) and a target this cue decides
    reason: str
    reason_zh: str = ""

    def reason_in(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (or the language in effect): ``reason_zh`` or ``reason``."""
        return self.reason_zh if current_language(lang) == "zh" and self.reason_zh else self.reason


@functools.cache
def cues() -> tuple[Cue, ...]:
    """The cue table, in file order."""
    return tuple(
        Cue(r[0], r[1], r[2], Direction(r[3]), r[4], r[5] if len(r) > 5 else "", r[6] if len(r) > 6 else "")
        for r in _data.table_rows("direction_cues.tsv", 5)
    )


def _kind(unit: Unit | None) -> str:
    dim = dimension(unit).base
    return "count" if dim.startswith("count:") else dim


#: Cue words are short: a label is looked at by its first characters, so the memo keys stay small
#: (a 100,000-character label must not be held in the cache, #14).
MAX_LABEL = 256


def name_cue(level2: str, indicator: str, unit: Unit | None) -> Cue | None:
    """The cue that decides the direction of a bare value named ``indicator`` under ``level2``."""
    return _name_cue((level2 or "")[:MAX_LABEL], (indicator or "")[:MAX_LABEL], unit)


@functools.lru_cache(maxsize=8192)
def _name_cue(level2: str, indicator: str, unit: Unit | None) -> Cue | None:
    return chosen_cue(matching_cues(level2, indicator), unit)


@functools.lru_cache(maxsize=8192)
def matching_cues(level2: str, indicator: str) -> tuple[int, ...]:
    """The positions (in :func:`cues`) of the cues whose word the names contain, in file order.

    This is all two names can change about an evaluation: names with the same matching cues
    lead to the same verdict, so the evaluate memo keys on this instead of the names, which are
    nearly unique per row.  Callers bound the names (:data:`MAX_LABEL`).
    """
    texts = {"level2": normalize(level2 or ""), "indicator": normalize(indicator or "")}
    return tuple(position for position, cue in enumerate(cues()) if cue.contains in texts[cue.field])


def chosen_cue(matching: tuple[int, ...], unit: Unit | None) -> Cue | None:
    """Among the ``matching`` cues (:func:`matching_cues`), the one that decides a value in ``unit``:
    the longest word, then a 三级指标 cue over a 二级指标 cue, then the first in the file."""
    if not matching:
        return None
    kind = _kind(unit)
    table = cues()
    best: tuple[int, int, int] | None = None
    chosen = None
    for position in matching:
        cue = table[position]
        if cue.dimension in ("any", kind):
            rank = (len(cue.contains), cue.field == "indicator", -position)
            if best is None or rank > best:
                best, chosen = rank, cue
    return chosen


def describe(cue: Cue) -> str:
    """The sentence a result carries when ``cue`` decided its direction, in the language in effect.

    >>> from targetexpr import language
    >>> cue = name_cue("", "群众投诉次数", None)
    >>> with language("zh"):
    ...     print(describe(cue))
    三级指标名称含'投诉',按反向指标评价:投诉越少越好
    """
    where = "二级指标" if cue.field == "level2" else "三级指标"
    word = repr(cue.contains)
    if cue.direction is Direction.HIGHER:
        return say(
            "direction 正向 (higher is better) inferred from the {where} word {word}: {reason}",
            where=where,
            word=word,
            reason=cue.reason_in(),
        )
    return say(
        "direction 反向 (lower is better) inferred from the {where} word {word}: {reason}",
        where=where,
        word=word,
        reason=cue.reason_in(),
    )
