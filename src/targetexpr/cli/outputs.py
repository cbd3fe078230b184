"""Writers for the command line's output tables: .csv, .xlsx, .json; always atomic.

Each writer receives every input row, in order, with the values of the new columns, and writes
to a temporary file beside the output that replaces it only when everything was written: an
interrupted run leaves no half-written file.
"""

from __future__ import annotations

import abc
import csv
import datetime
import json
import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import TableError
from .sheets import RawRow

__all__ = ["Writer", "open_writer", "write_text_atomically"]


class Writer(abc.ABC):
    """Base writer: rows go in as they come; :meth:`close` publishes the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        directory = path.parent if str(path.parent) else Path(".")
        if not directory.is_dir():
            raise TableError(f"cannot write {path}: the folder {directory} does not exist")
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
        os.close(handle)
        self.temporary = Path(name)

    @abc.abstractmethod
    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        """One input row, unchanged, padded to ``width`` cells, then the new columns."""

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:  # noqa: B027 - an optional hook
        """The per-table summary (subtotals, total, grade); formats without a summary keep this no-op."""

    @abc.abstractmethod
    def _finish(self) -> None:
        """Write what the format keeps until the end into the temporary file."""

    def close(self) -> None:
        """Write everything out and move the file into place."""
        try:
            self._finish()
            _publish(self.temporary, self.path)
        finally:
            if self.temporary.exists():
                self.temporary.unlink()

    def abort(self) -> None:
        """Forget the output: nothing is left behind."""
        if self.temporary.exists():
            self.temporary.unlink()


def _cells(raw: RawRow, added: Sequence[object], width: int) -> list[object]:
    cells = list(raw.cells)
    if len(cells) < width:
        cells += [None] * (width - len(cells))
    return cells + list(added)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return str(value)


class CsvWriter(Writer):
    """UTF-8 with a BOM, so that Excel opens it with the right characters."""

    def __init__(self, path: Path, encoding: str = "utf-8-sig") -> None:
        super().__init__(path)
        self.handle: IO[str] = self.temporary.open("w", encoding=encoding, newline="")
        self.writer = csv.writer(self.handle)
        self.extra: list[list[str]] = []

    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        self.writer.writerow([_text(v) for v in _cells(raw, added, width)])

    def _finish(self) -> None:
        self.handle.close()

    def abort(self) -> None:
        self.handle.close()
        super().abort()


class XlsxWriter(Writer):
    """One sheet per input sheet, plus a 评分汇总 (summary) sheet; write-only, so memory stays flat."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        from .sheets import _openpyxl

        self.workbook = _openpyxl().Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}

    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        sheet = self.sheets.get(raw.sheet)
        if sheet is None:
            title = raw.sheet[:31] or "Sheet1"
            for bad in "[]:*?/\\":
                title = title.replace(bad, "_")
            sheet = self.sheets[raw.sheet] = self.workbook.create_sheet(title=title)
        sheet.append([_excel(v) for v in _cells(raw, added, width)])

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        sheet = self.workbook.create_sheet(title=_summary_title(self.workbook.sheetnames))
        for line in _summary_rows(tables):
            sheet.append(line)

    def _finish(self) -> None:
        self.workbook.save(self.temporary)


class XlsxCopyWriter(Writer):
    """An ``.xlsx`` table scored into an ``.xlsx``: a copy of the whole workbook (styles, merged
    cells, formulas, other sheets) with the result columns written to the right of each table,
    plus the 评分汇总 sheet.  The workbook is held in memory (Excel files are small; CSV streams)."""

    def __init__(self, path: Path, source: Path, headers: Sequence[str]) -> None:
        super().__init__(path)
        from .sheets import _openpyxl

        openpyxl = _openpyxl()
        self.headers = list(headers)
        try:
            self.workbook = openpyxl.load_workbook(source)
        except Exception as e:
            raise TableError(f"{source} is not a readable Excel workbook ({type(e).__name__}: {e})") from None
        self.bold = openpyxl.styles.Font(bold=True)

    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        if not added:
            return
        sheet = self.workbook[raw.sheet]
        header = list(added) == self.headers
        for offset, value in enumerate(added, 1):
            cell = sheet.cell(row=raw.number, column=width + offset, value=_excel(value))
            if header:
                cell.font = self.bold

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        sheet = self.workbook.create_sheet(title=_summary_title(self.workbook.sheetnames))
        for line in _summary_rows(tables):
            sheet.append(line)

    def _finish(self) -> None:
        self.workbook.save(self.temporary)


def _summary_title(existing: Sequence[str]) -> str:
    title, n = "评分汇总", 1
    while title in existing:
        n += 1
        title = f"评分汇总{n}"
    return title


def _summary_rows(tables: Sequence[dict[str, Any]]) -> list[list[object]]:
    """The 评分汇总 sheet: per table, the subtotals, the total, the grade and the notes."""
    rows: list[list[object]] = [["表", "标题", "一级指标", "分值", "公式得分", "填报得分"]]
    for table in tables:
        lead = [table["table"], table["title"]]
        for sub in table["subtotals"]:
            rows.append(
                [*lead, sub["level1"], _number(sub["points"]), _number(sub["score"]), _number(sub["published_score"])]
            )
        totals = [_number(table["total_points"]), _number(table["total"]), _number(table["published_total"])]
        rows.append([*lead, "合计", *totals])
        rows.append([*lead, "等级", None, table["grade"], None])
        rows.extend([*lead, "提示", None, warning, None] for warning in table["warnings"])
    return rows


def _number(value: object) -> object:
    if value is None:
        return None
    try:
        return float(Decimal(str(value)))  # Excel stores numbers as binary floats anyway
    except ArithmeticError:  # pragma: no cover - our own figures are numbers
        return str(value)


def _excel(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (str, int, float, datetime.date, datetime.datetime)) or value is None:
        return value
    return str(value)


class JsonWriter(Writer):
    """Every row with its cells and results, and the summaries, in one JSON document."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        super().__init__(path)
        self.headers = list(headers)
        self.rows: list[dict[str, Any]] = []
        self.tables: Sequence[dict[str, Any]] = ()

    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        self.rows.append(
            {
                "sheet": raw.sheet,
                "row": raw.number,
                "cells": [_text(v) if not isinstance(v, (int, float)) or isinstance(v, bool) else v for v in raw.cells],
                "results": dict(zip(self.headers, [None if v == "" else v for v in added], strict=False)),
            }
        )

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        self.tables = tables

    def _finish(self) -> None:
        with self.temporary.open("w", encoding="utf-8") as f:
            json.dump({"tables": list(self.tables), "rows": self.rows}, f, ensure_ascii=False, indent=1, default=str)


def open_writer(path: str | Path, headers: Sequence[str], source: str | Path | None = None) -> Writer:
    """A writer for ``path``, chosen by its extension (.xlsx, .csv, .json).  An Excel ``source``
    scored into ``.xlsx`` is copied whole (:class:`XlsxCopyWriter`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and source is not None and Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        return XlsxCopyWriter(path, Path(source), headers)
    if suffix == ".xlsx":
        return XlsxWriter(path)
    if suffix == ".csv":
        return CsvWriter(path)
    if suffix == ".json":
        return JsonWriter(path, headers)
    raise TableError(f"the output must be .xlsx, .csv or .json, not {suffix or 'a file without extension'}")


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file beside it."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise TableError(f"cannot write {path}: the folder {directory} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        _publish(Path(name), path)
    finally:
        if os.path.exists(name):
            os.unlink(name)


def _publish(temporary: Path, path: Path) -> None:
    """Move a finished temporary file into place, with the permissions a new file gets here
    (``mkstemp`` makes it private: 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    os.replace(temporary, path)
