"""The builder's rules for frequencies and rates written with 每 (``每月不少于2次``, ``每2小时1次``,
``每两个月一次``): the period after 每 becomes the quantity's first denominator.

A mixin of :class:`.transform.Builder`, which gives it :meth:`_atom` (the name of a unit atom).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ..nodes import Comparison, Quantity, Range, Unit, Value


class Frequencies:
    """The rules ``per_period`` and ``per_year`` of the grammar."""

    _atom: Callable[[Any], str]  # the name of a unit atom: the builder's own method

    def per_period(self, children: list[Any]) -> Comparison | Value | Range:
        """The unit after 每 becomes each quantity's first denominator ("每月不少于2次": ≥2次/个月)."""
        mei, atom, target = children
        per = self._atom(atom)
        del mei

        def per_unit(q: Quantity) -> Quantity:
            # "每亩200": no unit of its own, an incomplete unit the indicator's name may complete.
            unit = q.unit if q.unit is not None else Unit("")
            return Quantity(q.value, Unit(unit.base, unit.prefix, (per, *unit.per)))

        if isinstance(target, Range):
            return attrs.evolve(target, low=per_unit(target.low), high=per_unit(target.high))
        single: Comparison | Value = target
        return attrs.evolve(single, quantity=per_unit(single.quantity))

    def per_year(self, children: list[Any]) -> Comparison | Value | Range:
        """``每年2-3次``: 每年 is one token (see the grammar), the denominator 年."""
        return self.per_period([children[0], "年", children[1]])
