"""Writers for the command line's output tables: .csv, .xlsx, .json; always atomic.

Each writer receives every input row, in order, with the values of the new columns, and writes
to a temporary file beside the output, ``.{name}.targetexpr-{pid}.part``, that replaces it only
when everything was written: an interrupted run leaves no half-written file, a failed or
interrupted one removes its temporary file, and a run killed outright leaves one that the next
run writing the same output removes (its process is gone).  :func:`publish` moves several outputs
into place together, or none of them.

Text stays text: a CSV cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return) gets a leading ``'`` (OWASP's advice against CSV injection); an .xlsx string is written
as a string, never as a formula; control characters .xlsx cannot hold are written as ``\\x07``.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import datetime
import errno
import json
import os
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..errors import TableError
from ..i18n import N_, say
from ..i18n import gettext as _
from .sheets import RawRow

__all__ = ["Output", "TextOutput", "Writer", "csv_safe", "open_writer", "publish", "write_text_atomically"]

_PART = ".targetexpr-"


def _write_error(path: Path, error: OSError) -> TableError:
    """One line for an error while writing ``path``: what is wrong and what to do."""
    if error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        return TableError(
            say("cannot write {path}: the disk is full; free some space or write to another disk", path=path),
            path=str(path),
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return TableError(
            say("cannot write {path}: {reason}; choose another folder with -o", path=path, reason=error.strerror),
            path=str(path),
        )
    if error.errno == errno.EISDIR:
        return TableError(say("cannot write {path}: it is a folder; give a file name", path=path), path=str(path))
    return TableError(say("cannot write {path}: {what}", path=path, what=error.strerror or error), path=str(path))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_stale(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` left by runs that were killed (their process is gone)."""
    directory = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}{_PART}"
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".part")):
            continue
        pid = name[len(prefix) : -len(".part")].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _create_temporary(path: Path) -> Path:
    """A new, private (0600) temporary file beside ``path``, named after it and this process."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise TableError(
            say(
                "cannot write {path}: it is a folder; give a file name, e.g. {example}",
                path=path,
                example=path / "result.xlsx",
            ),
            path=str(path),
        )
    if not directory.is_dir():
        raise TableError(
            say("cannot write {path}: the folder {directory} does not exist", path=path, directory=directory),
            path=str(path),
        )
    remove_stale(path)
    for n in range(100):
        suffix = "" if n == 0 else f"-{n}"
        name = directory / f".{path.name}{_PART}{os.getpid()}{suffix}.part"
        try:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        except OSError as e:
            raise _write_error(path, e) from None
        return name
    raise TableError(  # pragma: no cover
        say("cannot write {path}: too many temporary files beside it", path=path), path=str(path)
    )


class Output(abc.ABC):
    """A file written through a temporary file beside it: :meth:`finish`, then :func:`publish`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary = _create_temporary(path)

    @abc.abstractmethod
    def _finish(self) -> None:
        """Write what the format keeps until the end into the temporary file."""

    def _release(self) -> None:  # noqa: B027 - an optional hook
        """Close what the writer holds open (errors ignored: the file is being abandoned)."""

    def finish(self) -> None:
        """Complete the temporary file (the output is not yet in place)."""
        try:
            self._finish()
        except OSError as e:
            raise _write_error(self.path, e) from None

    def close(self) -> None:
        """Write everything out and move the file into place."""
        publish([self])

    def abort(self) -> None:
        """Forget the output: nothing is left behind."""
        try:
            self._release()
        finally:
            self.temporary.unlink(missing_ok=True)


class Writer(Output):
    """Base writer: rows go in as they come; :meth:`close` publishes the file."""

    def row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        """One input row, unchanged, padded to ``width`` cells, then the new columns."""
        try:
            self._row(raw, added, width)
        except OSError as e:
            raise _write_error(self.path, e) from None

    @abc.abstractmethod
    def _row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        """Write one row (see :meth:`row`)."""

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        """The per-table summary (subtotals, total, grade); formats without a summary keep this no-op."""

    def notes(self) -> list[str]:
        """What the writer changed to write the table (control characters escaped …)."""
        return []


class TextOutput(Output):
    """A text file (the HTML report), written whole."""

    def __init__(self, path: Path, text: str) -> None:
        super().__init__(path)
        self.text = text

    def _finish(self) -> None:
        with self.temporary.open("w", encoding="utf-8") as f:
            f.write(self.text)


def publish(outputs: Sequence[Output]) -> None:
    """Finish every output, then move them all into place; if one cannot be finished, none is
    published and every temporary file is removed."""
    try:
        for output in outputs:
            output.finish()
        mask = os.umask(0)
        os.umask(mask)
        for output in outputs:
            # mkstemp-like files are private (0600): give the file the permissions a new file gets here
            os.chmod(output.temporary, 0o666 & ~mask)
        for done, output in enumerate(outputs):
            try:
                os.replace(output.temporary, output.path)
            except OSError as e:
                error = _write_error(output.path, e)
                if done:
                    written = ", ".join(str(o.path) for o in outputs[:done])
                    raise TableError(
                        say("{error}; {written} was written, the rest not", error=error, written=written),
                        path=str(output.path),
                    ) from None
                raise error from None
    finally:
        for output in outputs:
            output.abort()


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file beside it."""
    publish([TextOutput(path, text)])


def _cells(raw: RawRow, added: Sequence[object], width: int) -> list[object]:
    cells = list(raw.cells)
    if added and len(cells) > width and all(c is None or c == "" for c in cells[width:]):
        del cells[width:]  # blank cells past the table's width: the results go right after it
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?")


def csv_safe(text: str) -> str:
    r"""A CSV cell that a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``, tab
    or carriage return gets a leading ``'`` (plain numbers such as ``-5`` and ``+3.5%`` stay).

    >>> csv_safe("=1+1"), csv_safe("-5"), csv_safe("@SUM(A1)"), csv_safe("≥95%")
    ("'=1+1", '-5', "'@SUM(A1)", '≥95%')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter(Writer):
    """UTF-8 with a BOM, so that Excel opens it with the right characters."""

    def __init__(self, path: Path, encoding: str = "utf-8-sig") -> None:
        super().__init__(path)
        try:
            self.handle: IO[str] = self.temporary.open("w", encoding=encoding, newline="")
        except OSError as e:
            self.temporary.unlink(missing_ok=True)
            raise _write_error(path, e) from None
        except BaseException:  # an interrupt: the temporary file goes too
            self.temporary.unlink(missing_ok=True)
            raise
        self.writer = csv.writer(self.handle)

    def _row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        self.writer.writerow([csv_safe(_text(v)) for v in _cells(raw, added, width)])

    def _finish(self) -> None:
        self.handle.close()

    def _release(self) -> None:
        # The buffer may not flush (disk full): the file is being removed anyway.
        with contextlib.suppress(OSError):
            self.handle.close()


#: What .xlsx (XML 1.0) cannot hold: the C0 control characters other than tab, LF and CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _Cells:
    """Values for openpyxl: strings as strings (never formulas), control characters escaped."""

    def __init__(self) -> None:
        self.escaped = 0

    def text(self, value: str) -> str:
        if _ILLEGAL.search(value) is None:
            return value
        self.escaped += 1
        return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)

    def notes(self) -> list[str]:
        if not self.escaped:
            return []
        return [
            say(
                "{count} cell(s) held control characters that .xlsx cannot store; they are written as "
                "\\xNN (e.g. \\x07)",
                count=self.escaped,
            )
        ]


class XlsxWriter(Writer):
    """One sheet per input sheet, plus a 评分汇总 (summary) sheet; write-only, so memory stays flat."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        from .sheets import _openpyxl

        self.workbook = _openpyxl().Workbook(write_only=True)
        self.sheets: dict[str, Any] = {}
        self.cells = _Cells()

    def _value(self, sheet: Any, value: object) -> object:
        value = _excel(value)
        if isinstance(value, str):
            value = self.cells.text(value)
            if value.startswith("="):
                from openpyxl.cell import WriteOnlyCell

                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, not a formula
                return cell
        return value

    def _row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        sheet = self.sheets.get(raw.sheet)
        if sheet is None:
            title = self.cells.text(raw.sheet)[:31] or "Sheet1"
            for bad in "[]:*?/\\":
                title = title.replace(bad, "_")
            while title in self.workbook.sheetnames:
                title = title[:28] + f"_{len(self.sheets)}"
            sheet = self.sheets[raw.sheet] = self.workbook.create_sheet(title=title)
        sheet.append([self._value(sheet, v) for v in _cells(raw, added, width)])

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        sheet = self.workbook.create_sheet(title=_summary_title(self.workbook.sheetnames))
        for line in _summary_rows(tables):
            sheet.append([self._value(sheet, v) for v in line])

    def notes(self) -> list[str]:
        return self.cells.notes()

    def _finish(self) -> None:
        _save(self.workbook, self.temporary)


#: The largest workbook :class:`XlsxCopyWriter` copies: its sheets' XML, uncompressed.  openpyxl
#: holds a whole workbook in memory, about 40 times its XML (docs/reliability.md).
MAX_COPY_XML = 16 * 2**20


class XlsxCopyWriter(Writer):
    """An ``.xlsx`` table scored into an ``.xlsx``: a copy of the whole workbook (styles, merged
    cells, formulas, other sheets) with the result columns written to the right of each table,
    plus the 评分汇总 sheet.  The workbook is held in memory, so it is copied only up to
    :data:`MAX_COPY_XML` of sheet XML; larger tables are written as .csv (which streams)."""

    def __init__(self, path: Path, source: Path, headers: Sequence[str]) -> None:
        from .sheets import _openpyxl, check_xlsx_archive

        check_xlsx_archive(source)
        _check_copy_size(path, source)
        openpyxl = _openpyxl()
        self.headers = list(headers)
        self.cells = _Cells()
        try:
            self.workbook = openpyxl.load_workbook(source)
        except OSError as e:
            raise TableError(
                say("cannot read {source}: {what}", source=source, what=e.strerror or e), path=str(source)
            ) from None
        except Exception as e:
            raise TableError(
                say(
                    "{source} is not a readable Excel workbook ({kind}: {detail})",
                    source=source,
                    kind=type(e).__name__,
                    detail=e,
                ),
                path=str(source),
            ) from None
        self.bold = openpyxl.styles.Font(bold=True)
        super().__init__(path)  # the temporary file, once the source has been read

    def _set(self, sheet: Any, row: int, column: int, value: object) -> Any:
        value = _excel(value)
        if isinstance(value, str):
            value = self.cells.text(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, not a formula
        return cell

    def _row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
        if not added:
            return
        sheet = self.workbook[raw.sheet]
        header = list(added) == self.headers
        for offset, value in enumerate(added, 1):
            cell = self._set(sheet, raw.number, width + offset, value)
            if header:
                cell.font = self.bold

    def summary(self, tables: Sequence[dict[str, Any]]) -> None:
        sheet = self.workbook.create_sheet(title=_summary_title(self.workbook.sheetnames))
        for number, line in enumerate(_summary_rows(tables), 1):
            for column, value in enumerate(line, 1):
                if value is not None:
                    self._set(sheet, number, column, value)

    def notes(self) -> list[str]:
        return self.cells.notes()

    def _finish(self) -> None:
        _save(self.workbook, self.temporary)


def _save(workbook: Any, path: Path) -> None:
    """``workbook.save(path)``, but a failed save (disk full) closes its zip file at once: left to
    the garbage collector, its second failure would print a traceback."""
    import datetime as _dt
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()
    workbook.properties.modified = _dt.datetime.now(tz=_dt.UTC).replace(tzinfo=None)
    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(workbook, archive).save()
    except BaseException:
        handle, archive.fp = archive.fp, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
        raise


def _check_copy_size(path: Path, source: Path) -> None:
    size = _sheets_xml_size(source)
    if size > MAX_COPY_XML:
        mb = 2**20
        raise TableError(
            say(
                "{source} is too large to copy with its formatting ({size} MB of sheets; the "
                "limit is {limit} MB): write -o {name} instead, which streams",
                source=source,
                size=size // mb,
                limit=MAX_COPY_XML // mb,
                name=path.with_suffix(".csv").name,
            ),
            path=str(source),
        )


def precheck(path: str | Path, source: str | Path) -> None:
    """What :func:`open_writer` would refuse, said before the input is read: an unknown output
    format, or an .xlsx copy above :data:`MAX_COPY_XML`."""
    path, source = Path(path), Path(source)
    if path.suffix.lower() not in (".xlsx", ".csv", ".json"):
        raise TableError(
            say(
                "the output must be .xlsx, .csv or .json, not {what}",
                what=path.suffix or say("a file without extension"),
            ),
            path=str(path),
        )
    if path.suffix.lower() == ".xlsx" and source.suffix.lower() in (".xlsx", ".xlsm"):
        _check_copy_size(path, source)


def _sheets_xml_size(source: Path) -> int:
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            return sum(m.file_size for m in archive.infolist() if m.filename.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0  # openpyxl says what is wrong with it


def _summary_title(existing: Sequence[str]) -> str:
    base = _("score summary")
    title, n = base, 1
    while title in existing:
        n += 1
        title = f"{base}{n}"
    return title[:31]


def _summary_rows(tables: Sequence[dict[str, Any]]) -> list[list[object]]:
    """The 评分汇总 sheet: per table, the subtotals, the total, the grade and the notes."""
    heads = (
        N_("table"),
        N_("title"),
        N_("level-1 indicator"),
        N_("points"),
        N_("formula score"),
        N_("published score"),
    )
    rows: list[list[object]] = [[_(head) for head in heads]]
    for table in tables:
        lead = [table["table"], table["title"]]
        for sub in table["subtotals"]:
            rows.append(
                [*lead, sub["level1"], _number(sub["points"]), _number(sub["score"]), _number(sub["published_score"])]
            )
        totals = [_number(table["total_points"]), _number(table["total"]), _number(table["published_total"])]
        rows.append([*lead, _("total"), *totals])
        rows.append([*lead, _("grade"), None, table["grade"], None])
        rows.extend([*lead, _("note"), None, warning, None] for warning in table["warnings"])
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

    def _row(self, raw: RawRow, added: Sequence[object], width: int) -> None:
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


def open_writer(
    path: str | Path, headers: Sequence[str], source: str | Path | None = None, keys: Sequence[str] | None = None
) -> Writer:
    """A writer for ``path``, chosen by its extension (.xlsx, .csv, .json).  An Excel ``source``
    scored into ``.xlsx`` is copied whole (:class:`XlsxCopyWriter`).  ``headers`` are the added
    columns' names as the reader sees them; ``keys`` (default: ``headers``) name them in JSON, the
    same in every language."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and source is not None and Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        return XlsxCopyWriter(path, Path(source), headers)
    if suffix == ".xlsx":
        return XlsxWriter(path)
    if suffix == ".csv":
        return CsvWriter(path)
    if suffix == ".json":
        return JsonWriter(path, keys if keys is not None else headers)
    raise TableError(
        say("the output must be .xlsx, .csv or .json, not {what}", what=suffix or say("a file without extension")),
        path=str(path),
    )
