"""The language of the command line: ``--lang``, else ``TARGETEXPR_LANG``, else the process locale
when it names English or Chinese, else Chinese; and an argument parser whose own words (usage, the
section titles, its error messages) speak that language too.

>>> choose_language(["--lang", "en", "check", "x.csv"], {})
'en'
>>> choose_language(["check", "x.csv", "--lang=zh"], {"TARGETEXPR_LANG": "en"})
'zh'
>>> choose_language([], {"LANG": "en_US.UTF-8"}), choose_language([], {"LC_ALL": "C", "LANG": "en_US.UTF-8"})
('en', 'zh')
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from ..i18n import ENV, LANGUAGES, N_, Language, _language_of, say
from ..i18n import gettext as _

__all__ = ["Parser", "choose_language", "lang_option"]

#: The locale variables, in the order POSIX gives them precedence (the first one set decides).
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def _given(argv: Sequence[str]) -> str | None:
    """The value of the last ``--lang`` in ``argv`` (before a ``--``), or ``None``."""
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def choose_language(argv: Sequence[str], environ: Mapping[str, str]) -> Language:
    """The language a run speaks: ``--lang`` (before or after the command), else ``TARGETEXPR_LANG``,
    else the first locale variable that is set (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it names
    ``en`` or ``zh`` (``C`` and ``POSIX`` say nothing), else Chinese.  An unknown ``--lang`` value
    is left to the argument parser to refuse (in the language the rest would choose)."""
    given = _language_of(_given(argv))
    if given is not None:
        return given
    chosen = _language_of(environ.get(ENV))
    if chosen is not None:
        return chosen
    for name in _LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return _language_of(value) or LANGUAGES[0]
    return LANGUAGES[0]


def lang_option(value: str) -> Language:
    """The ``--lang`` argument: ``zh`` or ``en`` (``zh_CN``, ``en_US.UTF-8`` … accepted)."""
    found = _language_of(value)
    if found is None:
        raise argparse.ArgumentTypeError(
            say("{value!r} is not a language targetexpr speaks: use zh or en", value=value)
        )
    return found


# --- the argument parser's own words ------------------------------------------------------------

#: argparse's error messages (Python 3.11-3.13), read back from its English: (pattern, message id).
_ARGPARSE_ERRORS = (
    (
        re.compile(r"the following arguments are required: (?P<names>.+)"),
        N_("the following arguments are required: {names}"),
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), N_("unrecognized arguments: {names}")),
    (re.compile(r"argument (?P<name>[^:]+): (?P<inner>.+)", re.S), N_("argument {name}: {inner}")),
    (
        re.compile(r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"),
        N_("invalid choice: {value} (choose from {choices})"),
    ),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.+)"), N_("invalid {type} value: {value}")),
    (re.compile(r"expected one argument"), N_("expected one argument")),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
        N_("ambiguous option: {option} could match {matches}"),
    ),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), N_("one of the arguments {names} is required")),
    (re.compile(r"not allowed with argument (?P<name>.+)"), N_("not allowed with argument {name}")),
)


def translate_argparse(message: str) -> str:
    """An argparse error message in the language in effect (unknown messages are kept as they are)."""
    for pattern, template in _ARGPARSE_ERRORS:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        fields = dict(match.groupdict())
        if "inner" in fields:
            fields["inner"] = translate_argparse(fields["inner"])
        return say(template, **fields)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """The help layout, with ``usage:`` in the language in effect."""

    def add_usage(self, usage: str | None, actions: object, groups: object, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)  # type: ignore[arg-type]


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` that speaks the language in effect: its section titles,
    its ``--help`` line and its error messages are translated (the option names stay)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error (translated) to stderr; exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, say("{prog}: error: {message}", prog=self.prog, message=translate_argparse(message)) + "\n")
