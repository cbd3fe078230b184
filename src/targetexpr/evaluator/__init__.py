"""Judging a year-end actual (实际完成值) against its target, exactly, with a reason.

One module per stage: :mod:`.actuals` reads the actual; :mod:`.quantities`, :mod:`.dates`,
:mod:`.relative` and :mod:`.qualitative` judge one kind of target each; :mod:`.dispatch` holds
:func:`evaluate`, which picks the stage by the target's kind, handles compound targets and memoises;
:mod:`.result` holds :class:`Evaluation`; :mod:`.options` holds :class:`EvalOptions`, the settings of an
evaluation.  Score arithmetic is in :mod:`targetexpr.scoring`.
"""

from __future__ import annotations

from .actuals import Observed, read_actual
from .dispatch import evaluate
from .options import EvalOptions
from .result import Evaluation

__all__ = ["EvalOptions", "Evaluation", "Observed", "evaluate", "read_actual"]
