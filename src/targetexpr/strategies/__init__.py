"""Hypothesis strategies for targetexpr ASTs (install with ``pip install 'targetexpr[hypothesis]'``).

>>> from hypothesis import given
>>> from targetexpr.strategies import targets
>>> @given(targets())
... def test_renders(t):
...     assert str(t)

Every generated target satisfies ``parse(str(t)) == t`` and ``from_dict(to_dict(t)) == t``.  Values
are realistic: percentages between 0 and 100 (sometimes above, as actuals can be), counts as
integers, valid calendar dates, units from the unit table in the dimension they belong to.
Strategies shrink towards small, plain targets (``0``, ``≥0%``).

This module imports hypothesis; the rest of the library never does.
"""

from __future__ import annotations

from .actuals import actuals_for, baselines_for
from .ast import KINDS, dates, quantities, targets, units
from .texts import chinese_numeral, grammar_texts, target_text_pairs, target_texts

__all__ = [
    "KINDS",
    "actuals_for",
    "baselines_for",
    "chinese_numeral",
    "dates",
    "grammar_texts",
    "quantities",
    "target_text_pairs",
    "target_texts",
    "targets",
    "units",
]
