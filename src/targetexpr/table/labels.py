"""What a row's labels say: its 一级指标, whether it is a 总分 row, and the direction its name cues
(``data/direction_cues.tsv``, read by :mod:`targetexpr.evaluator.cues`); amounts and points read from cells."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from .. import datafiles as _data
from ..errors import TargetValueError, brief
from ..evaluator.dispatch import _points
from ..i18n import N_, gettext, say
from ..nodes import Quantity, Value
from ..parser.api import parse
from ..parser.normalize import normalize
from .rows import Row, _blank

# --- labels and cues ----------------------------------------------------------------------------


@functools.cache
def _levels() -> tuple[tuple[str, str], ...]:
    rows = _data.table_rows("levels.tsv", 2)
    return tuple((r[0], r[1]) for r in rows)


#: Labels longer than this are not cached, and only their start is looked at: a 一级指标 name, a
#: total label or a direction cue is far shorter, and a cache of 100,000-character keys is gigabytes.
_MAX_KEY = 256


def canonical_level1(label: str) -> str:
    """``"产出指标(50分)"``, ``"项目绩效/产出指标40分"``, ``"產出指標"`` → ``"产出指标"``; unknown labels as written.

    >>> canonical_level1("产出指标(50分)"), canonical_level1("預算執行率"), canonical_level1("其他")
    ('产出指标', '预算执行率', '其他')
    """
    if not isinstance(label, str):
        raise TargetValueError(say("a 一级指标 label must be text, not {type}", type=type(label).__name__))
    if len(label) > _MAX_KEY:
        head = label[:_MAX_KEY]
        found = _canonical_level1(head)
        return found if found != head.strip() else label.strip()
    return _canonical_level1(label)


@functools.lru_cache(maxsize=1024)
def _canonical_level1(label: str) -> str:
    text = normalize(label)
    for contains, canonical in _levels():
        if contains in text:
            return canonical
    return label.strip()


@functools.cache
def _total_labels() -> frozenset[str]:
    return frozenset(normalize(r[0]) for r in _data.table_rows("totals.tsv", 1))


_NOTE = re.compile(r"[(（\[【].*?[)）\]】]")


def is_total(row: Row) -> bool:
    """The table's 总分/合计 row: no target, and its first label is a total label."""
    if row.target is not None and str(row.target).strip():
        return False
    first = next((label for label in (row.level1, row.level2, row.indicator) if label.strip()), "")
    if len(first) > _MAX_KEY:
        return False  # total labels are short
    return bool(first) and _NOTE.sub("", normalize(first)).rstrip(":：") in _total_labels()


# --- numbers ------------------------------------------------------------------------------------


def _decimal_or_none(value: object, what: str) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, str):
        return _points_text(value) if len(value) <= _MAX_KEY else _points_text.__wrapped__(value)
    return _points(value)


@functools.lru_cache(maxsize=1024)
def _points_text(value: str) -> Decimal | None:
    text = value.strip().replace(",", "")
    if not text:
        return None
    if text.endswith("%"):
        text = text[:-1]  # a 权重 column written "20%" (l.162) carries 20 points
    return _points(text)


#: The amounts :func:`_amount` reads, as messages (``what`` is also the error's field).
_AMOUNTS = (N_("budget"), N_("the budget (预算数)"), N_("the amount spent (执行数)"), N_("the execution rate"))


def _amount(value: object, what: str) -> Quantity:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Quantity(_points(value) or Decimal(0))
    if isinstance(value, str):
        node = parse(value)
        if isinstance(node, Value):
            return node.quantity
    raise TargetValueError(
        say("{what} must be an amount (400万元, 329.77), not {value}", what=gettext(what), value=brief(value)),
        field=what,
    )
