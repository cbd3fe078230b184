"""The ``targetexpr`` command line.

``targetexpr parse TEXT`` prints the canonical form and the JSON of the AST.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__

__all__ = ["main"]

EXAMPLES_PARSE = """examples:
  targetexpr parse "≤400 万元"
  targetexpr parse "年底前" --year 2022
  targetexpr parse "≥40 ↑" --repair
"""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="targetexpr",
        description="Read the target values (指标值) of Chinese budget performance tables.",
    )
    parser.add_argument("--version", action="version", version=f"targetexpr {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parse = commands.add_parser(
        "parse",
        help="parse one target value and print its canonical form and JSON",
        description="Parse one target value (指标值) and print its canonical form and the JSON of its AST.",
        epilog=EXAMPLES_PARSE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("text", help="the target value, e.g. '≥99.9%%'")
    parse.add_argument("--year", type=int, help="budget year, for dates that omit it (年底前)")
    parse.add_argument("--repair", action="store_true", help="repair known PDF extraction noise (≥40 ↑)")
    parse.add_argument("--json", action="store_true", help="print only the JSON")
    return parser


def _parse_command(args: argparse.Namespace) -> int:
    from .errors import TargetError
    from .parse import analyze
    from .render import to_dict

    try:
        analysis = analyze(args.text, year=args.year, repair=args.repair)
    except TargetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if analysis.target is None:
        print(f"error: {analysis.error}", file=sys.stderr)
        return 1
    as_json = json.dumps(to_dict(analysis.target), ensure_ascii=False)
    if args.json:
        print(as_json)
        return 0
    print(str(analysis.target))
    print(as_json)
    for repair in analysis.repairs:
        print(f"repaired: {repair.before!r} -> {repair.after!r} ({repair.message})", file=sys.stderr)
    for warning in analysis.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command == "parse":
        return _parse_command(args)
    parser.print_help()
    return 2
