"""What ``targetexpr check`` adds to the review of each table: last year's table (``--previous``),
read with the same reader and matched to this year's tables by project, and the proposed review
grade (``--review-grade``)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..i18n import say

__all__ = ["Previous", "grade_table", "print_grade"]

#: A project's name without its year, so that 2023's project finds 2022's (``2022 年度运行保障项目``).
_YEAR = re.compile(r"(?:19|20)[0-9]{2}\s*年?度?")


def project_key(title: str) -> str:
    """A project's name as matched across years: normalised, without the year and spaces."""
    from ..parser.normalize import normalize

    return "".join(_YEAR.sub("", normalize(title or "")).split())


class Previous:
    """Last year's rows by project (``--previous``): each table of the file with its project name."""

    def __init__(self, path: str | Path, columns: Mapping[str, str] | None = None) -> None:
        from ..table import Row
        from .rows import _row
        from .sheets import read_rows, segment
        from .splitrows import SPLIT_SUFFIXES, join_split_rows

        self.path = Path(path)
        self.tables: list[tuple[str, list[Row]]] = []
        items = segment(read_rows(self.path), columns=dict(columns or {}))
        if self.path.suffix.lower() in SPLIT_SUFFIXES:
            items = join_split_rows(items)
        for item in items:
            if item.kind == "header" and not item.continued:
                self.tables.append((item.block.title, []))
            elif item.kind == "data" and self.tables:
                self.tables[-1][1].append(_row(item))
        if not self.tables:
            from ..errors import TableError

            raise TableError(
                say("{path}: no table found in last year's file (--previous)", path=str(self.path)),
                path=str(self.path),
            )

    def for_project(self, title: str) -> list[Any] | None:
        """Last year's rows of the project ``title`` (matched without its year); the only table of a
        one-table file when no name matches; ``None`` when there is nothing to compare."""
        key = project_key(title)
        found = [rows for name, rows in self.tables if key and project_key(name) == key]
        if len(found) == 1:
            return found[0]
        if len(self.tables) == 1 and not found:
            return self.tables[0][1]
        return None


def load_previous(args: argparse.Namespace) -> Previous | None:
    """Last year's table of ``--previous``, read (``None`` without the option)."""
    path = getattr(args, "previous", None)
    return Previous(path, dict(getattr(args, "column", None) or [])) if path else None


def grade_table(args: argparse.Namespace) -> Mapping[str, Any] | None:
    """The review rule set's ``[grade]`` table when ``--review-grade`` asks for a grade."""
    from ..errors import RuleSetError
    from ..table.review import load_review_grade

    if not getattr(args, "review_grade", False) or args.no_review:
        return None
    grade = load_review_grade(args.review_rules)
    if grade is None:
        raise RuleSetError(
            say(
                "review rule set {name} has no [grade] table: --review-grade cannot propose a grade",
                name=args.review_rules,
            )
        )
    return grade


def print_grade(result: Any) -> None:
    """The proposed review grade of one reviewed table, said to be the project's own proposal."""
    grade = result.grade
    if grade is None:
        return
    print(
        "  "
        + say(
            "review grade (proposal, not official): {grade} ({errors} error(s), {warnings} warning(s)): {means}",
            grade=grade.grade,
            errors=grade.errors,
            warnings=grade.warnings,
            means=grade.means,
        )
    )
    print("    " + grade.note)
    if grade.quote:
        print(f"    「{grade.quote}」 ({grade.source})")
