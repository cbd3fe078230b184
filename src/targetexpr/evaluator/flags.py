"""What each flag of an :class:`~targetexpr.Evaluation` means, as a sentence for the reader.

Flags are short machine-readable ids (``on_deadline_day``); people never see them: the command
line, the report and the added columns show :func:`describe_flag` in the chosen language.
"""

from __future__ import annotations

from ..i18n import N_, gettext

__all__ = ["FLAG_SENTENCES", "describe_flag"]

#: Every flag the evaluator and the table scorer raise, with its sentence (an English message id,
#: translated by the catalogs; tests check that every flag raised in the code is listed here).
FLAG_SENTENCES: dict[str, str] = {
    "on_deadline_day": N_("the actual falls on the deadline day itself, which counts as on time"),
}


def describe_flag(flag: str, lang: str | None = None) -> str:
    """The sentence that explains ``flag``, in ``lang`` or the language in effect.

    An id not in :data:`FLAG_SENTENCES` is a bug of targetexpr (a test lists them all); it is shown
    as the id itself rather than hidden.
    """
    sentence = FLAG_SENTENCES.get(flag)
    return gettext(sentence, lang) if sentence is not None else flag
