"""What each flag of an :class:`~targetexpr.Evaluation` means, as a sentence for the reader.

Flags are short machine-readable ids (``on_deadline_day``), stable for programs; people never see
them: the command line, the report and the added columns show :func:`describe_flag` in the chosen
language.  The list covers every flag the evaluator, the table scorer and the column API raise
(``tests/test_i18n_eval.py`` reads the ids from the source and fails when one is missing here).
"""

from __future__ import annotations

from ..i18n import N_, gettext

__all__ = ["FLAG_SENTENCES", "describe_flag"]

#: Every flag the evaluator, the table scorer and the column API raise, with its sentence (an
#: English message id, translated by the catalogs).
FLAG_SENTENCES: dict[str, str] = {
    # the evaluator: reading the actual
    "missing_actual": N_("no actual value (实际完成值) is given: no verdict"),
    "actual_unit_from_target": N_("the actual has no unit: it is read in the target's unit"),
    "target_unit_from_actual": N_("the target has no unit: it is read in the actual's unit"),
    "actual_per_year": N_("the actual names no period: it counts the evaluated year, as the target's 每年 does"),
    "baseline_unit_from_actual": N_("the baseline has no unit: it is read in the actual's unit"),
    "actual_is_claim": N_("the actual repeats a comparator (≥95%): it is judged as the number itself"),
    "actual_year_assumed": N_("the actual date has no year: the budget year is assumed"),
    "same_unnamed_year": N_(
        "neither the target date nor the actual names a year, and no budget year was given: "
        "both are read in the same year"
    ),
    "actual_states_change": N_("the actual states the change itself (增长6%): it is compared with the target's change"),
    "stated_in_full": N_(
        "against a target of 100%, the actual says in words whether the work is done (完成, 基本完成, 未完成)"
    ),
    "heuristic_match": N_("the actual was read from a word at its start or end: check that it answers the target"),
    "one_actual_for_both_bounds": N_("one actual is judged against both bounds of a two-sided target"),
    "repaired_target": N_("the target cell held extraction noise, repaired before reading it"),
    "repaired_actual": N_("the actual held extraction noise, repaired before reading it"),
    # the evaluator: the direction
    "assumed_higher": N_(
        "the target has no comparator and no direction was given: it is read as 正向 (at least the target)"
    ),
    "direction_conflict": N_("the direction given contradicts the target's comparator: the comparator wins"),
    "zero_means_none": N_("a target of 0 means none at all: only 0 meets it"),
    # the evaluator: the verdict
    "at_bound": N_("the actual equals the target's bound exactly, which meets it"),
    "strict_bound": N_("the actual equals a bound the target excludes (超过/不满 exclude the number itself)"),
    "on_deadline_day": N_("the actual falls on the deadline day itself, which counts as on time"),
    "equal_exceeded": N_(
        "an = target is exceeded: the national system scores it as 正向 (full points), "
        "whether it is met follows the rule set"
    ),
    "weaker_degree": N_("the actual claims a weaker effect than the target asks (持续改善 against 明显改善)"),
    # the evaluator: scoring and review
    "no_proportional_rule": N_("no proportional scoring rule applies to these values: the row scores 0"),
    "over_completion": N_(
        "the actual exceeds the target by the rule set's threshold (1.2 × by default): "
        "marked for a reviewer, the score is not changed"
    ),
    "manual_scoring": N_("the rule set marks this row for manual scoring: the formula score is a proposal"),
    "deviation": N_(
        "the actual deviates from the target (missed, or far exceeded): the self-evaluation table asks for "
        "the reason of the deviation (偏差原因分析)"
    ),
    # the table scorer
    "deviation_reason_missing": N_("the row deviates from its target and its 偏差原因 cell is empty"),
    # the column API (targetexpr.batch)
    "missing": N_("the target cell is empty"),
    "missing_target": N_("no target value (指标值): no verdict"),
    "number_cell": N_("the target cell holds a number, not text: it is read as that number"),
    "direction_from_indicator": N_("the direction of a bare value comes from a word of the indicator's name"),
    "factor_not_decimal": N_("the unit's factor to its base unit is not a finite decimal: no factor is given"),
    "fraction_for_percentage": N_(
        "a bare number between 0 and 1 under a percentage target: no verdict, it may be a fraction or a percentage"
    ),
    "fraction_read_as_percentage": N_(
        "a bare number between 0 and 1 under a percentage target is read as a fraction (0.93 → 93%)"
    ),
}


def describe_flag(flag: str, lang: str | None = None) -> str:
    """The sentence that explains ``flag``, in ``lang`` or the language in effect.

    >>> describe_flag("at_bound", "zh")
    '实际完成值恰好等于指标值的界限,视为达成'

    An id not in :data:`FLAG_SENTENCES` is a bug of targetexpr (a test lists them all); it is shown
    as the id itself rather than hidden.
    """
    sentence = FLAG_SENTENCES.get(flag)
    return gettext(sentence, lang) if sentence is not None else flag
