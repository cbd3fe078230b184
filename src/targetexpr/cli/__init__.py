"""The ``targetexpr`` command line (also ``python -m targetexpr``).

::

    targetexpr parse "≥99.9%"                    canonical form and JSON of one target
    targetexpr evaluate "≤30 分钟" "0.4小时"       verdict, completion, reason (and score with --points)
    targetexpr check 绩效目标表.xlsx               lint the targets of a table; exit code 1 on problems
    targetexpr score 自评表.xlsx -o 评分.xlsx --html report.html
                                                  score a self-evaluation table
    targetexpr --lang en check 绩效目标表.xlsx     the same in English (Chinese is the default)

Reading and writing Excel files needs the ``[cli]`` extra (``pip install 'targetexpr[cli]'``);
CSV needs nothing.  The input file is never written; outputs are written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence

from ..i18n import language, say
from .args import CHECK_COLUMNS, SCORE_COLUMNS, build_parser
from .check import _check_command
from .lang import choose_language
from .score import _score_command
from .simple import _evaluate_command, _parse_command

__all__ = ["CHECK_COLUMNS", "SCORE_COLUMNS", "build_parser", "main"]


# --- entry point --------------------------------------------------------------------------------


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that every ``finally`` and ``except BaseException``
    on the way out runs (temporary files are removed)."""


@contextlib.contextmanager
def _quiet_cleanup() -> Iterator[None]:
    """Silence the garbage collector's reports on what a failed write abandoned (openpyxl's zip
    file and sheet writers on a full disk fail again when collected): the error was already said
    in one line, and a traceback must not follow it."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    def handler(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    The run speaks the language of ``--lang`` (before or after the command), else of
    ``TARGETEXPR_LANG``, else of the locale when it names English or Chinese, else Chinese; the
    library's messages follow it (:func:`targetexpr.language`).

    Errors are one line on stderr: ``error: …`` with status 2 (1 for ``parse`` and ``evaluate``);
    an interrupt or SIGTERM removes the temporary files and exits 130 or 143; anything unexpected
    is ``internal error: …`` with status 70, never a traceback."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    with language(choose_language(arguments, os.environ)):
        parser = build_parser()
        args = parser.parse_args(arguments)
        commands = {
            "parse": _parse_command,
            "evaluate": _evaluate_command,
            "check": _check_command,
            "score": _score_command,
        }
        command = commands.get(args.command)
        if command is None:
            parser.print_help()
            return 2
        with _quiet_cleanup():
            return _run(command, args)


def _run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from ..errors import TargetError

    failed = 2 if args.command in ("check", "score") else 1
    try:
        with _sigterm_raises():
            return command(args)
    except TargetError as e:
        print(say("error: {message}", message=e), file=sys.stderr)
        return failed
    except Terminated:
        print(say("terminated: no output file was written"), file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(say("interrupted: no output file was written"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - `targetexpr check … | head`
        sys.stderr.close()
        return 0
    except MemoryError:
        print(say("error: out of memory; for a very large table, save it as .csv and score that"), file=sys.stderr)
        return failed
    except OSError as e:
        where = f": {e.filename}" if e.filename else ""
        message = f"{e.strerror or e}{where}"
        print(say("error: {message}", message=message), file=sys.stderr)
        return failed
    except Exception as e:
        message = " ".join(str(e).split())[:200]
        print(
            say("internal error: {kind}: {message}; please report it", kind=type(e).__name__, message=message),
            file=sys.stderr,
        )
        return 70
