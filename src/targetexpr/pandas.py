"""The pandas accessor ``Series.te``: importing this module registers it (the ``[pandas]`` extra).

>>> import pandas as pd
>>> import targetexpr.pandas  # registers .te
>>> s = pd.Series(["≥95%", None, "≤400 万元"], index=["a", "b", "c"])
>>> s.te.parse()[["kind", "op", "value"]]
         kind    op value
a  comparison    ge    95
b                <NA>  None
c  comparison    le   400
>>> s.te.evaluate(pd.Series(["96%", "1", "380万元"], index=["a", "b", "c"]), points=10)["met"].tolist()
[True, <NA>, True]

Registration follows pandas' convention (:func:`pandas.api.extensions.register_series_accessor`);
the results are DataFrames indexed like the Series, with the columns of
:func:`targetexpr.batch.parse_many` and :func:`targetexpr.batch.evaluate_many`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .batch import evaluate_many, parse_many

__all__ = ["TargetAccessor"]


def _aligned(values: object, index: Any) -> object:
    """A Series aligned on ``index`` (pandas' rule: by label, not by position); anything else as is."""
    if isinstance(values, pd.Series):
        return values.reindex(index)
    return values


@pd.api.extensions.register_series_accessor("te")
class TargetAccessor:
    """``series.te``: parse and evaluate a column of target values (指标值)."""

    def __init__(self, pandas_obj: pd.Series) -> None:
        self._obj = pandas_obj

    def parse(self, **options: Any) -> pd.DataFrame:
        """:func:`~targetexpr.batch.parse_many` on this column, as a DataFrame with the same index.

        ``indicator=`` may be a Series (aligned by index) or a sequence.
        """
        if "indicator" in options:
            options["indicator"] = _aligned(options["indicator"], self._obj.index)
        frame = parse_many(self._obj, as_="pandas", **options)
        frame.index = self._obj.index
        return frame

    def evaluate(
        self, actuals: object, *, points: object = None, baselines: object = None, **options: Any
    ) -> pd.DataFrame:
        """:func:`~targetexpr.batch.evaluate_many` of ``actuals`` against this column of targets.

        Series arguments (``actuals``, ``points``, ``baselines``, ``indicator``, ``directions``)
        are aligned on this Series' index, as pandas aligns; the result has the same index.
        """
        index = self._obj.index
        for name in ("indicator", "directions"):
            if name in options:
                options[name] = _aligned(options[name], index)
        frame = evaluate_many(
            self._obj,
            _aligned(actuals, index),
            points=_aligned(points, index),
            baselines=_aligned(baselines, index),
            as_="pandas",
            **options,
        )
        frame.index = index
        return frame

    def canonical(self) -> pd.Series:
        """The canonical text of each target (``<NA>`` for missing and unreadable cells)."""
        return pd.Series(self.parse()["canonical"], index=self._obj.index, name=self._obj.name)
