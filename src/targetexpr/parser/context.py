"""What the indicator's name (三级指标) says about a cell that leaves it out.

Real tables often write the unit or the comparator only in the name: ``补贴资金(万元)`` over the
cell ``150``, ``造林成活率(≥**%)`` over ``90``, ``排污沟(≥米)`` over ``50``.  The last bracket of the
name that reads as a comparator and/or a unit (template placeholders ``**``/``XX`` allowed) gives
them to a bare number; a magnitude without a unit (``150万``) under a money name (``data/name_units.tsv``)
is 万元; a bare number under a rate's name is a percentage.  What the cell itself says always wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from .. import datafiles as _data
from ..errors import TargetError, TargetSyntaxError
from ..i18n import say
from ..nodes import Comparison, Compound, Deadline, Op, Quantity, Range, Target, Unit, Value
from .normalize import normalize_with_map

__all__ = ["NameHint", "apply_name", "name_hint", "quantities_of", "require_units"]

_BRACKET = re.compile(r"[(（]([^()（）]{1,24})[)）]")
_PLACEHOLDER = re.compile(r"[*＊xX×]+")
_OP_PREFIX = re.compile(r"^(≥|≤|>=|<=|>|<|=|≧|≦|＞|＜|不低于|不少于|不高于|不超过|大于|小于|高于|低于)?(.*)$")


@attrs.frozen
class NameHint:
    """What a name adds: a comparator, a unit, and the dimension its words point to."""

    op: Op | None = None
    unit: Unit | None = None
    dimension: str | None = None


def _bracket_hint(name: str, parse: Callable[[str], Target]) -> tuple[Op | None, Unit | None]:
    for inner in reversed(_BRACKET.findall(name)):
        text = _PLACEHOLDER.sub("", inner).strip()
        if not text or any(c.isdigit() for c in text):
            continue
        m = _OP_PREFIX.match(text)
        assert m is not None
        # In a name, (月) and (年) are durations (任务完成时限(月)), never a month or a year.
        rest = {"月": "个月", "年": "年"}.get(m.group(2), m.group(2))
        try:
            node = parse(f"{m.group(1) or ''}1{rest}")
        except TargetError:
            continue
        if isinstance(node, Comparison | Value) and node.quantity.value == 1 and node.quantity.unit is not None:
            return (node.op if isinstance(node, Comparison) else None), node.quantity.unit
    return None, None


@functools.lru_cache(maxsize=4096)
def name_hint(name: str, parse: Callable[[str], Target]) -> NameHint:
    """The hint of one indicator name (memoised; names repeat across rows and years); ``parse``
    reads a bracket's comparator and unit."""
    op, unit = _bracket_hint(name, parse)
    word = None
    if unit is None:
        bare = _BRACKET.sub("", name).strip()
        word = next((w for w, _ in _name_words() if bare.endswith(w)), None)
        if word is not None:
            unit = Unit(dict(_name_words())[word])
    # The name's last word is the most specific cue: 劳务费发放人数 counts people, whatever its 费.
    dimension = None if word is not None else next((dim for cue, dim, _ in _data.name_units() if cue in name), None)
    return NameHint(op, unit, dimension)


@functools.cache
def _name_words() -> tuple[tuple[str, str], ...]:
    return tuple((r[0], r[1]) for r in _data.table_rows("name_hints.tsv", 2))


def _incomplete(q: Quantity) -> bool:
    """A unit of denominators only (``350万/月``, ``每亩200``): what is counted is not written."""
    return q.unit is not None and not q.unit.base and bool(q.unit.per)


def _fill(q: Quantity, hint: NameHint) -> Quantity:
    if q.unit is not None and _incomplete(q):
        # "350万/月" under 运行经费, "每亩200" under 补助标准(元/亩): the name says what is counted.
        if hint.unit is not None and hint.unit.base:
            return Quantity(q.value, Unit(hint.unit.base, q.unit.prefix or hint.unit.prefix, q.unit.per))
        if hint.dimension == "money":
            return Quantity(q.value, Unit("元", q.unit.prefix, q.unit.per))
        return q
    if q.unit is None:
        if hint.unit is not None:
            return Quantity(q.value, hint.unit)
        if hint.dimension == "percent":
            return Quantity(q.value, Unit("%"))
        return q
    if q.unit.base == "" and q.unit.prefix and hint.unit is not None and hint.unit.base and not hint.unit.prefix:
        return Quantity(q.value, Unit(hint.unit.base, q.unit.prefix, q.unit.per))  # 5万 under …发放人数: 5万人
    if q.unit.base == "" and q.unit.prefix and hint.dimension == "money":
        return Quantity(q.value, Unit("元", q.unit.prefix, q.unit.per))
    return q


_NAME_TAIL = re.compile(r"([0-9]+(?:\.[0-9]+)?)([^0-9()（）\s]{1,3})$")


def _repeated_unit(target: Target, name: str, parse: Callable[[str], Target]) -> Target:
    """A name that ends with the cell's own number and a unit (``变压器3台`` over the cell ``3``)
    repeats the target: the cell takes that unit."""
    if not isinstance(target, Value) or target.quantity.unit is not None:
        return target
    m = _NAME_TAIL.search(name.strip())
    if m is None or Decimal(m.group(1)) != target.quantity.value:
        return target
    try:
        node = parse(m.group(1) + m.group(2))
    except TargetError:
        return target
    if isinstance(node, Value) and node.quantity.unit is not None and node.quantity.unit.base:
        return attrs.evolve(target, quantity=node.quantity)
    return target


def apply_name(target: Target, name: str, parse: Callable[[str], Target]) -> Target:
    """``target`` with what ``name`` adds; unchanged where the cell says it itself."""
    target = _repeated_unit(target, name, parse)
    hint = name_hint(name, parse)
    if hint.op is None and hint.unit is None and hint.dimension is None:
        return target
    if isinstance(target, Value):
        quantity = _fill(target.quantity, hint)
        if hint.op is not None and target.quantity.unit is None:
            return Comparison(hint.op, quantity, span=target.span)
        return target if quantity is target.quantity else attrs.evolve(target, quantity=quantity)
    if isinstance(target, Comparison):
        quantity = _fill(target.quantity, hint)
        return target if quantity is target.quantity else attrs.evolve(target, quantity=quantity)
    if isinstance(target, Range) and (_incomplete(target.low) or _incomplete(target.high)):
        return attrs.evolve(target, low=_fill(target.low, hint), high=_fill(target.high, hint))
    if isinstance(target, Compound):
        return attrs.evolve(target, parts=tuple(apply_name(p, name, parse) for p in target.parts))
    if isinstance(target, Deadline) and hint.unit == Unit("个月"):
        return _months_named(target, parse)
    return target


#: A month written alone, with a comparator or none (``=10月``, ``≤24月``), in the normalised text.
_MONTH_ALONE = re.compile(r"([≥≤<>=]?)([0-9]{1,3})月")


def months_text(normalized: str, above: int = 0) -> str | None:
    """``≤24个月`` for the month alone ``≤24月`` (a normalised text), its number above ``above``; else
    ``None``."""
    m = _MONTH_ALONE.fullmatch(normalized)
    return m.group(1) + m.group(2) + "个月" if m is not None and int(m.group(2)) > above else None


def months_counted(written: str, parse: Callable[[str], Target]) -> Target | None:
    """``=10月`` read as a count of months (``=10个月``), or ``None`` when the cell is no month alone."""
    text = months_text(normalize_with_map(written).text)
    if text is None:
        return None
    try:
        return parse(text)
    except TargetError:
        return None


def counts_months(name: str, parse: Callable[[str], Target]) -> bool:
    """Whether ``name`` counts months (``发放月数``: ``data/name_hints.tsv``)."""
    return name_hint(name, parse).unit == Unit("个月")


def _months_named(target: Deadline, parse: Callable[[str], Target]) -> Target:
    """``=10月`` under a name that counts months (``发放月数``): 10个月, not October; any other
    deadline as it is."""
    node = None if target.recurring or target.date.year is not None else months_counted(target.written or "", parse)
    return target if node is None else attrs.evolve(node, span=target.span, written=target.written)


def quantities_of(target: Target) -> tuple[Quantity, ...]:
    """The quantities a target states (a range's two ends, a compound's parts' in order): what the
    checks after reading look at, gathered once for all of them (#11)."""
    if isinstance(target, Comparison | Value):
        return (target.quantity,)
    if isinstance(target, Range):
        return (target.low, target.high)
    if isinstance(target, Compound):
        return tuple(q for part in target.parts for q in quantities_of(part))
    return ()


def require_units(quantities: Sequence[Quantity], text: str) -> None:
    """Nothing, or an error where a unit is only its denominators (``350万/月`` with no indicator
    that says it is money): a reader that guessed 万元 or 元 could be wrong.  ``quantities`` are the
    target's (:func:`quantities_of`), ``text`` the cell as written."""
    for q in quantities:
        if _incomplete(q):
            assert q.unit is not None
            per = "/".join(q.unit.per)
            where = next((i for i, c in enumerate(text) if c in "/／每"), 0)
            reason = say(
                "{value}{prefix}/{per} does not say what is counted per {per}",
                value=format(q.value, "f"),
                prefix=q.unit.prefix,
                per=per,
            )
            hint = say(
                "Write the unit ({value}{prefix}元/{per}), or pass the indicator's name (indicator=…) "
                "when it says the unit: under a money indicator (补助资金, 运行经费) it is {prefix}元/{per}.",
                value=format(q.value, "f"),
                prefix=q.unit.prefix,
                per=per,
            )
            raise TargetSyntaxError.at(text, where, reason, hint=hint)
