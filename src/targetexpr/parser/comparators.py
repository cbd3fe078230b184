"""How comparator words combine (``data/comparators.tsv``), shared by the grammar's transformer and
the parser's fast path.  Imports no lark."""

from __future__ import annotations

from ..i18n import say
from ..nodes import Direction, Op

__all__ = ["OPS", "ComparatorConflict", "combine"]

OPS = {"ge": Op.GE, "gt": Op.GT, "le": Op.LE, "lt": Op.LT, "eq": Op.EQ, "approx": Op.APPROX}


class ComparatorConflict(Exception):  # noqa: N818 - internal, never raised to users
    """Internal: a prefix and a suffix that contradict each other (``≥95%以下``)."""


def combine(prefix: str | None, suffix: str | None, prefix_word: str = "", suffix_word: str = "") -> Op:
    """The comparator of "prefix X suffix", given the table's op names of the two words.

    ``reach`` (达到) and ``control`` (控制在) take the suffix's comparator; two real comparators must
    agree in direction, and the one written first decides whether the bound counts.
    """
    if suffix is None:
        assert prefix is not None
        return {"reach": Op.GE, "control": Op.LE}.get(prefix) or OPS[prefix]
    suffix_op = OPS[suffix]
    if prefix is None:
        return suffix_op
    if prefix == "reach":
        if suffix_op.direction is Direction.LOWER:
            raise ComparatorConflict(
                say("{prefix} … {suffix} contradict each other", prefix=prefix_word, suffix=suffix_word)
            )
        return suffix_op
    if prefix == "control":
        if suffix_op.direction is Direction.HIGHER:
            raise ComparatorConflict(
                say("{prefix} … {suffix} contradict each other", prefix=prefix_word, suffix=suffix_word)
            )
        return suffix_op
    prefix_op = OPS[prefix]
    if prefix_op.direction != suffix_op.direction or prefix_op is Op.EQ:
        raise ComparatorConflict(
            say("the comparators {prefix} and {suffix} contradict each other", prefix=prefix_word, suffix=suffix_word)
        )
    return prefix_op
