"""Reading tables from every file format they come in, as a stream of :class:`~targetexpr.cli.sheets.RawRow`.

:func:`read_table_file` chooses a reader by the file's suffix:

================  ==========================================================================
``.xlsx .xlsm``   python-calamine for the values, merged ranges and dates (it reads the sheet's real
``.xlsb``         extent, not a stale ``<dimension>``); percent formats from the workbook's styles
                  and the cells' style indices (``.xlsx``/``.xlsm`` only)
``.xls``          python-calamine: values, dates, merged ranges (no number formats: a percent cell
                  reads as its number)
``.ods``          python-calamine for the values; merged ranges and percentages from ``content.xml``
``.docx``         python-docx: each table a sheet named ``表1``, ``表2`` …
``.pdf``          pdfplumber: the ruled tables of each page (sheet ``第1页`` …, rows numbered across the
                  document); a page without tables gives its lines of text, cut into cells at runs of
                  two or more spaces, a tab, or a wide gap
``.csv .tsv .txt``  :func:`targetexpr.cli.sheets.read_rows` as before
================  ==========================================================================

Every cell of a merged range holds the anchor's value, as the user sees it, and is flagged in
``RawRow.merged``.  Numbers are ``int`` when whole, else ``Decimal``; dates are ``datetime.date``
(``datetime.datetime`` when they have a time).  All failures are :class:`~targetexpr.errors.TableError`
with a one-line reason.  The readers need the ``[cli]`` extra.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import TableError
from ..i18n import say
from .rawrow import _EXTRA, MAX_CELL_BYTES, RawRow, _check_text

__all__ = [
    "MAX_CELL_BYTES",
    "MAX_FILE_BYTES",
    "MAX_UNCOMPRESSED",
    "SUFFIXES",
    "read_table_file",
]

#: A cell holding more text than this (UTF-8 bytes) is refused.
#: A zipped document (.xlsx, .ods, .docx …) whose members add up to more than this, uncompressed, is
#: refused (a zip bomb, or a sheet no table needs).
MAX_UNCOMPRESSED = 512 * 1024 * 1024
#: A file not zipped (.xls, .pdf) larger than this is refused.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Excel's own limits: a merged range is clipped to them.
_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Merge = tuple[int, int, int, int]  # 0-based, inclusive: first row, first column, last row, last column


# --- limits and errors --------------------------------------------------------------------------


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(8)
    except OSError as e:
        raise TableError(say("cannot read {path}: {what}", path=path, what=e.strerror or e)) from None


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableError(
            say(
                "{path}: {size:,} bytes is more than the {limit:,} bytes a table file may have",
                path=path,
                size=size,
                limit=MAX_FILE_BYTES,
            )
        )


def _check_zip(path: Path, kind: str) -> None:
    """A zipped document: it opens, and its members' uncompressed sizes stay within the limit."""
    head = _head(path)
    if head.startswith(_OLE_MAGIC):
        raise TableError(
            say(
                "{path} is encrypted (password-protected) or not a {kind} file: save it without a password",
                path=path,
                kind=kind,
            )
        )
    if not head.startswith(_ZIP_MAGIC):
        if kind[0] in "AEIOU":
            raise TableError(say("{path} is not an {kind} file (it is not a zip archive)", path=path, kind=kind))
        raise TableError(say("{path} is not a {kind} file (it is not a zip archive)", path=path, kind=kind))
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise TableError(
            say("{path} is a corrupt {kind} file ({detail})", path=path, kind=kind, detail=_one_line(e))
        ) from None
    if total > MAX_UNCOMPRESSED:
        raise TableError(
            say(
                "{path}: {total:,} bytes uncompressed is more than the {limit:,} bytes a table file may hold",
                path=path,
                total=total,
                limit=MAX_UNCOMPRESSED,
            )
        )


def _guarded(rows: Iterator[RawRow], path: Path, kind: str) -> Iterator[RawRow]:
    """The rows, with any error of a third-party reader turned into a one-line TableError."""
    try:
        yield from rows
    except TableError:
        raise
    except MemoryError:
        raise TableError(say("{path}: not enough memory to read this {kind} file", path=path, kind=kind)) from None
    except Exception as e:
        raise TableError(
            say(
                "{path} is not a readable {kind} file ({kind2}: {detail})",
                path=path,
                kind=kind,
                kind2=type(e).__name__,
                detail=_one_line(e),
            )
        ) from None


# --- cells --------------------------------------------------------------------------------------


def _value(value: object, where: str) -> object:
    """A cell as targetexpr keeps it: ``None`` for empty, whole numbers as ``int``, others as
    ``Decimal(str(x))``, a midnight datetime as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _check_text(value, where)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return Decimal(str(value))
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() and value.tzinfo is None else value
    return value


def _fill(
    sheet: str,
    rows: Iterable[Sequence[object]],
    merges: Sequence[Merge],
    percent: Container[tuple[int, int]] = frozenset(),
    *,
    left: int = 0,
    where: str = "",
) -> Iterator[RawRow]:
    """Rows of a grid (row 0 first), every cell of a merged range filled from its anchor and
    flagged; the grid is extended to the merged ranges that reach past the data."""
    merges = sorted(
        (r1, c1, min(r2, _MAX_ROWS - 1), min(c2, _MAX_COLUMNS - 1))
        for r1, c1, r2, c2 in merges
        if 0 <= r1 <= r2 and 0 <= c1 <= c2 and (r1, c1) != (r2, c2)
    )
    width = max((c2 + 1 for *_, c2 in merges), default=0)
    last = max((r2 for _, _, r2, _ in merges), default=-1)
    anchors: dict[tuple[int, int], tuple[object, bool]] = {}
    active: list[Merge] = []
    waiting = iter(merges)
    upcoming = next(waiting, None)
    number = -1

    def row_out(r: int, raw: Sequence[object]) -> RawRow:
        nonlocal upcoming, active
        cells = [None] * left + [_value(v, f"{where} row {r + 1}") for v in raw]
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        flags = [(r, c) in percent for c in range(len(cells))] if percent else [False] * len(cells)
        merged = [False] * len(cells)
        while upcoming is not None and upcoming[0] <= r:
            active.append(upcoming)
            upcoming = next(waiting, None)
        if active:
            active = [m for m in active if m[2] >= r]
            for r1, c1, _r2, c2 in active:
                if r == r1:
                    anchors[r1, c1] = (cells[c1], flags[c1])
                value, flag = anchors.get((r1, c1), (None, False))
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        cells[c], flags[c], merged[c] = value, flag, True
            for key in [k for k in anchors if not any(m[0] == k[0] and m[1] == k[1] for m in active)]:
                del anchors[key]
        return RawRow(sheet, r + 1, tuple(cells), tuple(flags), tuple(merged))

    for number, raw in enumerate(rows):
        yield row_out(number, raw)
    for r in range(number + 1, last + 1):  # rows that only merged ranges reach
        yield row_out(r, ())


# --- spreadsheets (python-calamine) ---------------------------------------------------------------


def _calamine() -> Any:
    try:
        import python_calamine
    except ImportError:
        raise TableError(
            say("reading .xls, .xlsx, .ods files needs python-calamine: {install}", install=_EXTRA)
        ) from None
    return python_calamine


def _workbook_rows(
    path: Path,
    sheet: str | None,
    kind: str,
    extras: Callable[[], dict[str, tuple[list[Merge], set[tuple[int, int]]]]] | None = None,
) -> Iterator[RawRow]:
    calamine = _calamine()
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise TableError(
            say("{path} is encrypted (password-protected): save it without a password", path=path)
        ) from None
    except Exception as e:
        raise TableError(
            say("{path} is not a readable {kind} file ({detail})", path=path, kind=kind, detail=_one_line(e))
        ) from None
    with workbook:
        names: list[str] = list(workbook.sheet_names)
        if sheet is not None and sheet not in names:
            raise TableError(
                say("{path} has no sheet {sheet!r}; it has {value}", path=path, sheet=sheet, value=", ".join(names))
            )
        found = extras() if extras else {}
        for name in [sheet] if sheet is not None else names:
            data = workbook.get_sheet_by_name(name)
            merges, percent = found.get(name, ([], set()))
            ranges = data.merged_cell_ranges
            if ranges:
                merges = merges + [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges]
            start = data.start
            yield from _fill(
                name,
                data.iter_rows() if start is not None else (),
                merges,
                percent,
                left=start[1] if start else 0,
                where=f"{path} sheet {name}",
            )


# .xlsx number formats: the built-in percent formats, and any custom format with a % outside quotes.
_BUILTIN_PERCENT = {9, 10}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_NS = re.compile(r"\{[^}]*\}")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')


def _local(tag: str) -> str:
    return _NS.sub("", tag)


def _xlsx_percent(path: Path) -> dict[str, tuple[list[Merge], set[tuple[int, int]]]]:
    """Per sheet name, the cells (row, column; 0-based) whose number format is a percentage.

    Styles are read from ``xl/styles.xml``; the sheet's XML is then scanned only for cells with one of
    those style indices (a workbook without percent formats costs one small file)."""
    from xml.etree import ElementTree

    out: dict[str, tuple[list[Merge], set[tuple[int, int]]]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/styles.xml" not in names or "xl/workbook.xml" not in names:
            return out
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        formats = {
            int(e.get("numFmtId", "-1")): e.get("formatCode", "") for e in styles.iter() if _local(e.tag) == "numFmt"
        }
        percent_ids = _BUILTIN_PERCENT | {i for i, code in formats.items() if "%" in _QUOTED.sub("", code)}
        xfs = next((e for e in styles if _local(e.tag) == "cellXfs"), None)
        if xfs is None:
            return out
        styled = [
            str(i)
            for i, xf in enumerate(xf for xf in xfs if _local(xf.tag) == "xf")
            if int(xf.get("numFmtId", "0")) in percent_ids
        ]
        if not styled:
            return out
        cell = re.compile(rb'<(?:\w+:)?c\s[^>]*?\bs="(?:' + "|".join(styled).encode() + rb')"[^>]*>')
        for name, member in _sheet_members(archive, names).items():
            out[name] = ([], _scan_cells(archive, member, cell))
    return out


def _sheet_members(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name → the zip member holding its XML, from the workbook and its relationships."""
    from xml.etree import ElementTree

    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
            target = rel.get("Target", "")
            rels[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    members: dict[str, str] = {}
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        member = rels.get(rid)
        if member in names:
            members[element.get("name", "")] = member
    return members


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


def xlsx_merges(path: Path) -> dict[str, list[Merge]]:
    """Per sheet name of an .xlsx file, its merged ranges (0-based, inclusive), scanned from each
    sheet's XML (openpyxl's read-only mode gives none)."""
    out: dict[str, list[Merge]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            return out
        for sheet_name, member in _sheet_members(archive, names).items():
            merges: list[Merge] = []
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    cut = text.rfind(b"<")
                    body, tail = text[:cut], text[cut:]
                    merges += [_merge(m) for m in _MERGE_REF.finditer(body)]
            merges += [_merge(m) for m in _MERGE_REF.finditer(tail)]
            out[sheet_name] = merges
    return out


def _merge(match: re.Match[bytes]) -> Merge:
    c1, r1, c2, r2 = match.groups()
    return int(r1) - 1, _column(c1), int(r2) - 1, _column(c2)


def fill_merged(rows: Iterable[RawRow], merges: Sequence[Merge]) -> Iterator[RawRow]:
    """Rows with every cell of a merged range filled from its anchor and flagged in ``merged``
    (rows numbered from 1, as a reader gives them)."""
    if not merges:
        yield from rows
        return
    merges = sorted(m for m in merges if m[0] <= m[2] and m[1] <= m[3] and m[2] - m[0] < _MAX_ROWS)
    anchors: dict[tuple[int, int], tuple[object, bool]] = {}
    for raw in rows:
        r = raw.number - 1
        active = [m for m in merges if m[0] <= r <= m[2]]
        if not active:
            yield raw
            continue
        width = max(len(raw.cells), max(m[3] for m in active) + 1)
        cells = list(raw.cells) + [None] * (width - len(raw.cells))
        flags = list(raw.percent) + [False] * (width - len(raw.percent))
        merged = list(raw.merged) + [False] * (width - len(raw.merged))
        for r1, c1, _r2, c2 in active:
            if r == r1:
                anchors[r1, c1] = (cells[c1], flags[c1])
            value, flag = anchors.get((r1, c1), (None, False))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    cells[c], flags[c], merged[c] = value, flag, True
        yield RawRow(raw.sheet, raw.number, tuple(cells), tuple(flags), tuple(merged))


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _scan_cells(archive: zipfile.ZipFile, member: str, pattern: re.Pattern[bytes]) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"<")
            body, tail = text[:cut], text[cut:]
            for match in pattern.finditer(body):
                ref = _CELL_REF.search(match.group())
                if ref:
                    cells.add((int(ref.group(2)) - 1, _column(ref.group(1))))
    for match in pattern.finditer(tail):
        ref = _CELL_REF.search(match.group())
        if ref:
            cells.add((int(ref.group(2)) - 1, _column(ref.group(1))))
    return cells


def _ods_extras(path: Path) -> dict[str, tuple[list[Merge], set[tuple[int, int]]]]:
    """Per table of an .ods file, its merged ranges and percentage cells, from ``content.xml``
    (python-calamine gives neither).  Skipped when the file has no span and no percentage."""
    from xml.etree import ElementTree

    out: dict[str, tuple[list[Merge], set[tuple[int, int]]]] = {}
    with zipfile.ZipFile(path) as archive:
        if "content.xml" not in archive.namelist():
            return out
        needles = (b"number-columns-spanned", b"number-rows-spanned", b'"percentage"')
        tail = b""
        with archive.open("content.xml") as stream:
            while chunk := stream.read(1 << 20):
                if any(n in tail + chunk for n in needles):
                    break
                tail = chunk[-64:]
            else:
                return out
        merges: list[Merge] = []
        percent: set[tuple[int, int]] = set()
        row = col = 0
        repeat_rows = 1
        depth = 0  # tables inside cells are not followed
        with archive.open("content.xml") as stream:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = _local(element.tag)
                attrs = {_local(k): v for k, v in element.attrib.items()}
                if tag == "table":
                    if event == "start":
                        depth += 1
                        if depth == 1:
                            merges, percent, row = [], set(), 0
                            out[attrs.get("name", "")] = (merges, percent)
                    else:
                        depth -= 1
                elif depth != 1:
                    pass
                elif tag == "table-row":
                    if event == "start":
                        col, repeat_rows = 0, int(attrs.get("number-rows-repeated", "1"))
                    else:
                        row += repeat_rows
                        element.clear()
                elif tag in ("table-cell", "covered-table-cell") and event == "start":
                    repeat = int(attrs.get("number-columns-repeated", "1"))
                    rows_span = int(attrs.get("number-rows-spanned", "1"))
                    cols_span = int(attrs.get("number-columns-spanned", "1"))
                    if tag == "table-cell" and (rows_span > 1 or cols_span > 1):
                        merges.append((row, col, row + rows_span - 1, col + cols_span - 1))
                    if attrs.get("value-type") == "percentage" and repeat * repeat_rows <= 16_384:
                        percent.update((row + i, col + j) for i in range(repeat_rows) for j in range(repeat))
                    col += repeat
    return out


# --- entry point --------------------------------------------------------------------------------


def _xlsx(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    _check_zip(path, "Excel workbook")
    extras = (lambda: _xlsx_percent(path)) if path.suffix.lower() != ".xlsb" else None
    return _guarded(_workbook_rows(path, sheet, "Excel workbook", extras), path, "Excel workbook")


def _xls(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    head = _head(path)
    if head.startswith(_ZIP_MAGIC):
        raise TableError(say("{path} is an .xlsx workbook saved as .xls: rename it to .xlsx", path=path))
    if not head.startswith(_OLE_MAGIC):
        raise TableError(say("{path} is not an Excel 97-2003 (.xls) workbook", path=path))
    _check_size(path)
    return _guarded(_workbook_rows(path, sheet, "Excel 97-2003 workbook"), path, "Excel 97-2003 workbook")


def _ods(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    _check_zip(path, "OpenDocument spreadsheet")
    return _guarded(
        _workbook_rows(path, sheet, "OpenDocument spreadsheet", lambda: _ods_extras(path)),
        path,
        "OpenDocument spreadsheet",
    )


def _docx(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    from .formats_docs import docx_rows

    _check_zip(path, "Word document")
    return _guarded(docx_rows(path, sheet, where=str(path)), path, "Word document")


def _pdf(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    from .formats_docs import pdf_rows

    if not _head(path).startswith(b"%PDF"):
        raise TableError(say("{path} is not a PDF file", path=path))
    _check_size(path)
    return _guarded(pdf_rows(path, sheet, where=str(path)), path, "PDF")


_READERS: dict[str, Callable[[Path, str | None, str | None], Iterator[RawRow]]] = {
    ".xlsx": _xlsx,
    ".xlsm": _xlsx,
    ".xlsb": _xlsx,
    ".xls": _xls,
    ".ods": _ods,
    ".docx": _docx,
    ".pdf": _pdf,
}
#: The suffixes :func:`read_table_file` reads.
SUFFIXES = tuple(_READERS)


def read_table_file(path: str | Path, *, sheet: str | None = None, encoding: str | None = None) -> Iterator[RawRow]:
    """Every row of a table file, streamed, read by its suffix (:data:`SUFFIXES`).

    ``sheet`` picks one sheet of a workbook (or one table, ``表2``, of a Word document, or one page,
    ``第2页``, of a PDF); ``encoding`` is for text files.  Raises :class:`~targetexpr.errors.TableError`
    for an unknown suffix, a missing extra, an unreadable, encrypted or oversized file; the checks that
    need no reading are done at once, the rest as the rows are read."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise TableError(
            say(
                "{path}: a table must be {value}, not {what}",
                path=path,
                value=", ".join(SUFFIXES),
                what=suffix or say("a file without extension"),
            )
        )
    if not path.is_file():
        raise TableError(say("cannot read {path}: no such file", path=path))
    return reader(path, sheet, encoding)
