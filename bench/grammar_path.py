"""The grammar path against a toy LALR grammar, compounds against their parts, invalid against valid
texts (issue #11).  Imported by ``bench/run.py``; nothing here asserts a time.

* The toy: a Lark LALR grammar for ``comparator number unit`` alone, built here, with an embedded
  transformer to the very AST targetexpr gives (checked text by text: a text is kept only when the
  two ASTs are equal).  It is what any Lark-based parser of these cells costs at least.
* Compounds: each compound cell of the distinct targets against the sum of its parts, each part
  parsed alone (the original text of its span).
* Invalid texts: texts that raise ``TargetSyntaxError`` against valid texts of the same length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import targetexpr
from targetexpr import Comparison, Compound, Op, Quantity

_SHAPE = re.compile(r"^(≥|≤|>|<|=)([0-9]{1,15}(?:\.[0-9]{1,6})?)(\S*)$")


def toy_parser(units: Sequence[str]) -> Any:
    """``comparator number unit?`` as a Lark LALR grammar with an embedded transformer."""
    from lark import Lark, Transformer

    unit_of = {u: targetexpr.parse("1" + u).quantity.unit for u in units}  # type: ignore[union-attr]
    ops = {o.value: o for o in Op}

    class Toy(Transformer[Any, Any]):
        def start(self, children: list[Any]) -> Comparison:
            op, number, unit = children
            return Comparison(ops[str(op)], Quantity(Decimal(str(number)), unit_of[str(unit)] if unit else None))

    words = " | ".join(f'"{u}"' for u in sorted(units, key=len, reverse=True)) or '"个"'
    grammar = f"""
        start: COMP NUMBER [UNIT]
        COMP: "≥" | "≤" | ">" | "<" | "="
        NUMBER: /[0-9]{{1,15}}(\\.[0-9]{{1,6}})?/
        UNIT: {words}
    """
    return Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=True, transformer=Toy())


def toy_sample(distinct: Sequence[str], plain: Callable[[str], object]) -> tuple[Any, list[str]]:
    """The toy parser and the distinct targets it reads to the same AST as targetexpr."""
    candidates = [t for t in distinct if _SHAPE.match(t)]
    units = sorted({m.group(3) for t in candidates if (m := _SHAPE.match(t)) and m.group(3)})
    good_units = []
    for u in units:
        try:
            target = targetexpr.parse("1" + u)
        except targetexpr.TargetError:
            continue
        if isinstance(target, targetexpr.Value) and target.quantity.unit is not None:
            good_units.append(u)
    toy = toy_parser(good_units)
    sample = []
    for t in candidates:
        try:
            mine = toy.parse(t)
        except Exception:
            continue
        if mine == plain(t):
            sample.append(t)
    return toy, sample


def compounds(distinct: Sequence[str]) -> tuple[list[str], list[str]]:
    """Compound cells and, flattened, the original text of each of their parts: those of ``distinct``
    and two targets of it joined by ``,`` ``;`` or ``且`` (as cells write ranges and double goals)."""
    cells, parts = [], []
    quantities = [t for t in distinct if _SHAPE.match(t)]
    made = [a + ",;且"[i % 3] + b for i, (a, b) in enumerate(zip(quantities[::2], quantities[1::2], strict=False))]
    for t in [*distinct, *made[:1000]]:
        try:
            target = targetexpr.parse(t)
        except targetexpr.TargetError:
            continue
        if isinstance(target, Compound) and all(p.span is not None for p in target.parts):
            cells.append(t)
            parts.extend(t[p.span.start : p.span.end] for p in target.parts)  # type: ignore[union-attr]
    return cells, parts


def invalid_pairs(distinct: Sequence[str], extra: Sequence[str]) -> tuple[list[str], list[str]]:
    """Texts that raise ``TargetSyntaxError`` and, one for one, valid texts of the same length."""

    def fails(t: str) -> bool:
        try:
            targetexpr.parse(t)
        except targetexpr.TargetSyntaxError:
            return True
        except targetexpr.TargetError:
            return False
        return False

    valid_by_length: dict[int, list[str]] = {}
    for t in distinct:
        if not fails(t):
            valid_by_length.setdefault(len(t), []).append(t)
    # Typical mistakes, made from valid cells: a doubled %, a comparator at the end, a stray word.
    made = [t + "%" for t in distinct if t.endswith("%")][:300]
    made += ["≥" + t[1:] + "≥" for t in distinct if t[:1] in "≥≤"][:300]
    made += [t[:-1] + "後" for t in distinct if t.endswith("前")][:300]
    invalid, valid = [], []
    used: dict[int, int] = {}
    for t in [*extra, *made]:
        pool = valid_by_length.get(len(t))
        if not pool or not fails(t):
            continue
        i = used.get(len(t), 0)
        used[len(t)] = i + 1
        invalid.append(t)
        valid.append(pool[i % len(pool)])
    return invalid, valid
