"""``targetexpr parse`` and ``targetexpr evaluate``: one target, one actual."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    pass


# --- parse and evaluate -------------------------------------------------------------------------


def _parse_command(args: argparse.Namespace) -> int:
    from ..nodes import to_dict
    from ..parser.api import analyze

    analysis = analyze(args.text, year=args.year, repair=not args.no_repair, default_unit=args.default_unit)
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
    verdict = {True: "met (达成)", False: "not met (未达成)", None: "no verdict (无法判定)"}[result.met]
    if result.band is not None and result.band.value == "partial":
        verdict = "partly met (部分达成)"
    print(f"target:     {result.target}")
    print(f"actual:     {result.actual}")
    print(f"verdict:    {verdict}")
    if result.completion is not None:
        print(f"completion: {result.completion * 100:.2f}%")
    if result.score is not None:
        print(f"score:      {result.score} of {result.points} (rules: {result.rules})")
    print(f"reason:     {result.reason}")
    for flag in result.flags:
        print(f"flag:       {flag}")
    return 0
