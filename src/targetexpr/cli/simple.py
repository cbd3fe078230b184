"""``targetexpr parse`` and ``targetexpr evaluate``: one target, one actual."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..i18n import say

# --- parse and evaluate -------------------------------------------------------------------------


def _parse_command(args: argparse.Namespace) -> int:
    from ..nodes import to_dict
    from ..parser.api import analyze

    analysis = analyze(args.text, year=args.year, repair=not args.no_repair, default_unit=args.default_unit)
    if analysis.target is None:
        print(say("error: {message}", message=analysis.error), file=sys.stderr)
        return 1
    as_json = json.dumps(to_dict(analysis.target), ensure_ascii=False)
    if args.json:
        print(as_json)
        return 0
    print(str(analysis.target))
    print(as_json)
    for repair in analysis.repairs:
        print(
            say(
                "repaired: {before!r} -> {after!r} ({message})",
                before=repair.before,
                after=repair.after,
                message=repair.message,
            ),
            file=sys.stderr,
        )
    for warning in analysis.warnings:
        print(say("warning: {message}", message=warning), file=sys.stderr)
    return 0


def _rules_argument(value: str) -> Any:
    return Path(value) if value.lower().endswith(".toml") else value


def _evaluate_command(args: argparse.Namespace) -> int:
    from ..evaluator import EvalOptions, evaluate

    options = EvalOptions(
        rules=_rules_argument(args.rules), year=args.year, direction=args.direction, tolerance=args.tolerance
    )
    result = evaluate(args.target, args.actual, options=options, points=args.points, baseline=args.baseline)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    from ..evaluator.flags import describe_flag
    from .args import band_name, rules_name

    verdict = band_name(result.band.value if result.band is not None else None)
    if result.band is None and result.met is not None:
        verdict = band_name("met" if result.met else "not_met")
    lines = [
        (say("target:"), str(result.target)),
        (say("actual:"), str(result.actual)),
        (say("verdict:"), verdict),
    ]
    if result.completion is not None:
        lines.append((say("completion:"), f"{result.completion * 100:.2f}%"))
    if result.score is not None:
        lines.append(
            (
                say("score:"),
                say(
                    "{score} of {points} (rules: {rules})",
                    score=result.score,
                    points=result.points,
                    rules=rules_name(result.rules),
                ),
            )
        )
    lines.append((say("reason:"), str(result.reason)))
    lines += [(say("flag:"), describe_flag(flag)) for flag in result.flags]
    width = max(_width(label) for label, _value in lines) + 1
    for label, value in lines:
        print(label + " " * (width - _width(label)) + value)
    return 0


def _width(text: str) -> int:
    """The columns a label takes in a terminal (a CJK character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
