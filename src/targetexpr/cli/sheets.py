"""Reading target and self-evaluation tables as they come (CSV, Excel), for the command line.

A file is read as a stream of rows.  :func:`segment` finds the tables in it: a header row (一级指标,
三级指标, 指标值 … in any of their usual spellings, ``data/headers.tsv``) starts a table; the rows
above it (项目名称, 预算数 400.00, 单位:万元 …) describe it; a title or another project's rows end it.
Every input row is kept, in order, tagged with what it is, so that the output can carry every row
and column unchanged.

Excel needs the ``[cli]`` extra (openpyxl); CSV needs nothing.  CSV files may be UTF-8 (with or
without BOM) or GB18030/GBK, which Chinese government exports often use; the encoding is detected
unless given.
"""

from __future__ import annotations

import codecs
import collections
import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from ..errors import TableError
from ..i18n import say
from ..parser.normalize import normalize
from .formats import fill_merged, read_table_file, xlsx_merges
from .formulas import uncached_formulas, with_formulas
from .layout import _TITLE, FIELDS, LOOK, Block, Header, header_field, match_header, read_block, sub_header
from .located import located, rows_at
from .rawrow import RawRow, cell_text

__all__ = [
    "FIELDS",
    "Block",
    "Item",
    "RawRow",
    "cell_text",
    "detect_delimiter",
    "detect_encoding",
    "read_rows",
    "segment",
]

#: How many rows before a header are kept to describe its table (a file without any header
#: must not be held in memory).
MAX_PENDING = 200
#: Limits on an .xlsx file, checked in its zip directory before it is opened (the sizes the zip
#: declares bound what decompression produces: a member that inflates beyond them fails its CRC).
#: Peak memory stays under 1 GB at these limits (docs/reliability.md).
MAX_XLSX_UNCOMPRESSED = 512 * 2**20
#: openpyxl reads the shared strings whole, even in read-only mode.
MAX_XLSX_SHARED_STRINGS = 64 * 2**20
#: A member above 8 MB that inflates more than this many times is a decompression bomb: real
#: sheets compress 5 to 30 times.
MAX_XLSX_RATIO = 200
#: ... (the ratio is not checked below this size: small files compress as they like).
RATIO_FROM = 8 * 2**20
#: The longest run of XML text between two tags, in bytes: openpyxl holds one cell's text whole,
#: and Excel's own cells hold at most 32,767 characters (under 200 KB even escaped).
MAX_XLSX_TEXT = 4 * 2**20


@attrs.frozen
class Item:
    """One input row, classified: ``"meta"`` (title, project rows), ``"header"``, or ``"data"``.

    A header that repeats the current table's header right after its rows (a page break in a
    converted PDF, its columns possibly shifted), and the second or third row of a header, are
    ``continued``: the table goes on.  ``header`` is the table's :class:`~.layout.Header` so far.
    For data rows, ``fields`` maps each field to the cell's text; ``table`` numbers the tables of
    the file from 1; ``columns`` is the header's field → column-index map.
    """

    kind: str
    raw: RawRow
    table: int = 0
    fields: Mapping[str, object] = attrs.field(factory=dict)
    columns: Mapping[str, int] = attrs.field(factory=dict)
    block: Block = attrs.field(factory=Block)
    continued: bool = False
    header: Header | None = None


# --- cells --------------------------------------------------------------------------------------


# --- reading ------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: ``utf-8-sig`` or ``utf-16`` for a BOM,
    ``utf-8`` when the sample decodes as UTF-8, else ``gb18030`` (a superset of GBK and GB2312).

    >>> detect_encoding("指标值".encode("gb18030")), detect_encoding("指标值".encode("utf-8"))
    ('gb18030', 'utf-8')
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if e.start >= len(sample) - 3 and e.reason == "unexpected end of data":
            return "utf-8"
    return "gb18030"


#: How many lines of a CSV file are looked at to find its delimiter (a title line holds none).
_SNIFF_LINES = 20


def detect_delimiter(first_line: str) -> str:
    """``,``, tab or ``;``: whichever the first lines of the file hold most (``,`` on a tie).

    >>> detect_delimiter("一级指标\\t三级指标\\t指标值"), detect_delimiter("a;b,c;d")
    ('\\t', ';')
    """
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def check_encoding(name: str) -> None:
    """Raise :class:`TableError` unless ``name`` is a text encoding (``rot13`` and ``base64`` are
    codecs, but not between bytes and text)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise TableError(say("unknown encoding {name!r}: use utf-8, gb18030, gbk, utf-16 …", name=name)) from None
    if not getattr(info, "_is_text_encoding", True):
        raise TableError(say("{name!r} is not a text encoding: use utf-8, gb18030, gbk, utf-16 …", name=name))


def _csv_rows(path: Path, encoding: str | None) -> Iterator[RawRow]:
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as e:
        raise TableError(say("cannot read {path}: {reason}", path=path, reason=e.strerror)) from None
    with handle:
        sample = handle.read(65536)
        handle.seek(0)
        chosen = encoding or detect_encoding(sample)
        check_encoding(chosen)
        text = io.TextIOWrapper(handle, encoding=chosen, newline="")
        number = 0
        try:
            head = [line for line in (text.readline() for _ in range(_SNIFF_LINES)) if line]
            delimiter = "\t" if path.suffix.lower() == ".tsv" else detect_delimiter("".join(head))
            lines = itertools.chain(head, text)
            for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), 1):
                yield RawRow(path.name, number, tuple(cells))
        except UnicodeDecodeError:
            raise TableError(
                say(
                    "{path} is not {chosen} text (a byte after row {number} does not decode); pass "
                    "--encoding (utf-8, gb18030, gbk, utf-16 …)",
                    path=path,
                    chosen=chosen,
                    number=number,
                )
            ) from None
        except csv.Error as e:
            raise TableError(
                say("{path}: not a readable CSV file after row {number} ({e})", path=path, number=number, e=e)
            ) from None


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise TableError(say("reading and writing .xlsx files needs openpyxl: pip install 'targetexpr[cli]'")) from None
    return openpyxl


def check_xlsx_archive(path: Path) -> None:
    """Refuse an .xlsx file whose zip directory promises more than the limits
    (:data:`MAX_XLSX_UNCOMPRESSED`, :data:`MAX_XLSX_SHARED_STRINGS`, :data:`MAX_XLSX_RATIO`) before
    anything is inflated.  A file that is not a zip is left to openpyxl to report."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    mb = 2**20
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise TableError(
            say(
                "{path} inflates to {size} MB, more than the {limit} MB read here; split the "
                "workbook or save the table as .csv",
                path=path,
                size=total // mb,
                limit=MAX_XLSX_UNCOMPRESSED // mb,
            )
        )
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml") and member.file_size > MAX_XLSX_SHARED_STRINGS:
            raise TableError(
                say(
                    "{path}: its text cells inflate to {size} MB, more than the {limit} MB read "
                    "here; save the table as .csv",
                    path=path,
                    size=member.file_size // mb,
                    limit=MAX_XLSX_SHARED_STRINGS // mb,
                )
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_XLSX_RATIO:
            raise TableError(
                say(
                    "{path}: {filename} inflates {ratio:.0f} times (to {size} MB), more than the "
                    "{MAX_XLSX_RATIO} times a real sheet does; refused as a decompression bomb",
                    path=path,
                    filename=member.filename,
                    ratio=ratio,
                    size=member.file_size // mb,
                    MAX_XLSX_RATIO=MAX_XLSX_RATIO,
                )
            )
    _check_xml_text(path)


def _check_xml_text(path: Path) -> None:
    """Refuse an .xlsx whose sheets or strings hold a run of text longer than
    :data:`MAX_XLSX_TEXT` (one cell of 100 MB): a streaming scan, 1 MB at a time."""
    import zipfile

    too_long: str | None = None
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if member.file_size <= MAX_XLSX_TEXT or not member.filename.lower().endswith(".xml"):
                    continue
                if _longest_text_over(archive, member, MAX_XLSX_TEXT):
                    too_long = member.filename
                    break
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return  # openpyxl says what is wrong with it
    if too_long is not None:
        raise TableError(
            say(
                "{path}: {too_long} holds a cell of more than {size} MB (Excel's own cells hold "
                "at most 32,767 characters); refused",
                path=path,
                too_long=too_long,
                size=MAX_XLSX_TEXT // 2**20,
            )
        )


def _longest_text_over(archive: Any, member: Any, limit: int) -> bool:
    """Whether a zip member has more than ``limit`` bytes without a ``<`` (a tag)."""
    run = 0  # bytes since the last "<"
    with archive.open(member) as f:
        while chunk := f.read(2**20):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                inner = max(map(len, pieces[1:-1]), default=0)
                if run + len(pieces[0]) > limit or inner > limit:
                    return True
                run = len(pieces[-1])
            if run > limit:
                return True
    return False


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[RawRow]:
    openpyxl = _openpyxl()
    check_xlsx_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as e:
        raise TableError(say("cannot read {path}: {what}", path=path, what=e.strerror or e)) from None
    except Exception as e:
        raise TableError(
            say("{path} is not a readable Excel workbook ({kind}: {e})", path=path, kind=type(e).__name__, e=e)
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise TableError(
                say("{path} has no sheet {sheet!r}; it has {value}", path=path, sheet=sheet, value=", ".join(names))
            )
        try:
            merges = xlsx_merges(path)
        except (OSError, ValueError, zipfile.BadZipFile):  # openpyxl read it: the merges are a bonus
            merges = {}
        formulas = _formulas(path)
        for name in [sheet] if sheet is not None else names:
            rows = fill_merged(_xlsx_sheet_rows(path, workbook, name), merges.get(name, []))
            yield from with_formulas(rows, formulas.get(name, {}))
    finally:
        workbook.close()


def _formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The formula cells Excel never calculated (:mod:`.formulas`); none when the scan fails."""
    try:
        return uncached_formulas(path)
    except (OSError, ValueError, zipfile.BadZipFile):  # openpyxl read it: the formulas are a bonus
        return {}


def _xlsx_sheet_rows(path: Path, workbook: Any, name: str) -> Iterator[RawRow]:
    worksheet = workbook[name]
    if hasattr(worksheet, "reset_dimensions"):
        # Read-only mode trusts the sheet's <dimension ref>, which writers leave stale:
        # forget it and read every row and column there is.
        worksheet.reset_dimensions()
    number = 0
    rows = iter(worksheet.iter_rows())
    while True:
        try:
            row = next(rows, None)
        except Exception as e:  # malformed sheet XML: ParseError, bad values, …
            raise TableError(
                say(
                    "{path}: sheet {name!r} is not readable after row {number} ({kind}: {e}); open "
                    "and save it again in Excel or WPS",
                    path=path,
                    name=name,
                    number=number,
                    kind=type(e).__name__,
                    e=e,
                )
            ) from None
        if row is None:
            break
        # Row numbers from the cells themselves (read-only mode pads blank rows, but a
        # number from the file is what the user sees in Excel).
        number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
        cells = tuple(getattr(c, "value", None) for c in row)
        percent = tuple("%" in (getattr(c, "number_format", "") or "") for c in row)
        yield RawRow(name, number, cells, percent)


def read_rows(path: str | Path, *, sheet: str | None = None, encoding: str | None = None) -> Iterator[RawRow]:
    """Every row of a table file, streamed: ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, and
    (with the ``[cli]`` extra) ``.xls``, ``.xlsb``, ``.ods``, Word ``.docx`` and ``.pdf`` tables."""
    path = Path(path)
    with located(path):
        return rows_at(_read_rows(path, sheet, encoding), path)


def _read_rows(path: Path, sheet: str | None, encoding: str | None) -> Iterator[RawRow]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path, encoding)
    if suffix in (".xls", ".xlsb", ".ods", ".docx", ".pdf"):
        return read_table_file(path, sheet=sheet, encoding=encoding)
    raise TableError(
        say(
            "{path}: a table must be .xlsx, .xls, .ods, .docx, .pdf or .csv, not {what}",
            path=path,
            what=suffix or say("a file without extension"),
        )
    )


# --- tables -------------------------------------------------------------------------------------

#: A row that starts with one of these (after its first cell is normalised) describes a table.
_META_LABELS = (
    "项目名称",
    "预算规模",
    "预算数",
    "资金用途",
    "绩效目标",
    "年度目标",
    "总体目标",
    "年度总体目标",
    "主管部门",
    "实施单位",
    "项目负责人",
    "联系电话",
    "项目属性",
    "项目类型",
    "资金来源",
    "项目资金",
    "年度资金总额",
    "部门名称",
    "预算部门",
)
#: A row that starts with one of these is a note, never a row of the table above it.
_NOTE_LABELS = ("填报说明", "填表说明", "说明:", "注:", "备注:", "注1", "注：", "说明：", "备注：")
#: How many rows of a file without a table are looked at for the nearest header (the error says it).
_NEAREST_LOOK = 2000


@attrs.define
class Seen:
    """What :func:`segment` saw beside the tables: every sheet in order and those holding a table,
    the data rows it could not place (no cell under a known column), and, while no table has been
    found, the row nearest to a header (for the error)."""

    sheets: list[str] = attrs.field(factory=list)
    with_tables: set[str] = attrs.field(factory=set)
    unplaced: list[str] = attrs.field(factory=list)
    nearest: tuple[int, str, str] | None = None  # (fields found, where, what was found)
    looked: int = 0

    def skipped(self) -> list[str]:
        """The sheets without a table (填报说明, notes, covers): copied, not read."""
        return [s for s in self.sheets if s not in self.with_tables]

    def near(self, raw: RawRow, texts: Sequence[str]) -> None:
        if self.looked >= _NEAREST_LOOK:
            return
        self.looked += 1
        found = [(t[:30], f) for t in texts if t and len(t) <= 30 for f in [header_field(t)] if f is not None]
        fields = {f for _, f in found}
        if len(fields) >= 2 and (self.nearest is None or len(fields) > self.nearest[0]):
            what = ", ".join(f"{t} → {f}" for t, f in found)
            self.nearest = (len(fields), say("{sheet} row {number}", sheet=raw.sheet, number=raw.number), what)


def _is_meta(texts: Sequence[str]) -> bool:
    first = next((t for t in texts if t), "")
    if not first:
        return False
    normal = normalize(first[:LOOK]).replace(" ", "")
    if normal.startswith(_META_LABELS) or normal.startswith(_NOTE_LABELS):
        return True
    filled = [t for t in texts if t]
    return len(filled) <= 2 and bool(_TITLE.search(normal))


def _fields(raw: RawRow, columns: Mapping[str, int], spans: Mapping[str, int]) -> dict[str, object]:
    out: dict[str, object] = {}
    for field, index in columns.items():
        last = spans.get(field, index)
        # A header broken over two cells: the value is in either (the first filled one).
        for i in range(index, last + 1):
            value = raw.cells[i] if i < len(raw.cells) else None
            if value not in (None, "") or i == last:
                break
        percent = raw.percent[i] if i < len(raw.percent) else False
        if field == "actual" and isinstance(value, (datetime.date, datetime.datetime)):
            out[field] = value  # a date cell stays a date
        else:
            out[field] = cell_text(value, percent)
    return out


def _placed(raw: RawRow, columns: Mapping[str, int], spans: Mapping[str, int], fields: Mapping[str, object]) -> bool:
    """Whether a data row has a value in a known column, or nothing at all (merged copies aside)."""
    if any(v not in ("", None) for v in fields.values()):
        return True
    merged = raw.merged
    return all(
        c in (None, "") or (i < len(merged) and merged[i]) or (isinstance(c, str) and not c.strip())
        for i, c in enumerate(raw.cells)
    )


def _unspan_labels(raw: RawRow, columns: Mapping[str, int], fields: dict[str, object]) -> None:
    """A label merged across the name and the value columns (``总分`` over 一级指标 … 实际完成值) is a
    label, not a target or an actual: its copies in the value columns are dropped."""
    names = {str(fields.get(k) or "") for k in ("level1", "level2", "indicator")} - {""}
    for field in ("target", "actual"):
        index = columns.get(field)
        if index is None or index >= len(raw.merged) or not raw.merged[index]:
            continue
        if fields.get(field) in names:
            fields[field] = ""


class _Carry:
    """Blank or merged 一级/二级指标 cells take the value above, as ``score_rows`` does, so that
    ``check`` and ``score`` read merged cells the same way."""

    def __init__(self) -> None:
        self.level1 = self.level2 = ""

    def __call__(self, fields: dict[str, object]) -> None:
        from ..table import Row
        from ..table.labels import is_total

        text = {k: "" if fields.get(k) is None else str(fields.get(k)) for k in ("level1", "level2", "indicator")}
        content = any(str(fields.get(k) or "").strip() for k in ("indicator", "target", "actual"))
        if not content or is_total(Row(target=str(fields.get("target") or "") or None, **text)):
            return
        if "level1" in fields and not text["level1"].strip():
            fields["level1"] = text["level1"] = self.level1
        if "level2" in fields and not text["level2"].strip() and text["level1"] == self.level1:
            fields["level2"] = text["level2"] = self.level2
        self.level1, self.level2 = text["level1"], text["level2"]


def segment(
    rows: Iterator[RawRow], *, columns: Mapping[str, str] | None = None, seen: Seen | None = None
) -> Iterator[Item]:
    """Classify every row: the rows of each table (tables numbered from 1), their headers, and the
    rows around them.  ``columns`` overrides the header table: ``{"target": "年度指标值"}``; ``seen``
    collects the sheets without a table and the rows not placed.

    A header's :class:`Block` is read from the (at most :data:`MAX_PENDING`) rows since the
    previous table ended; rows are yielded as they come, so a meta row is yielded before the
    header whose block it describes."""
    seen = seen if seen is not None else Seen()
    table = 0
    header: Header | None = None
    block = Block()
    data_rows = 0  # of the current table, since its header
    below_header = False  # the previous row was a header row
    carry = _Carry()
    sheet: str | None = None
    pending: collections.deque[RawRow] = collections.deque(maxlen=MAX_PENDING)
    for raw in rows:
        if raw.sheet != sheet:
            # A table never runs on into the next sheet: there, only a header starts one (a
            # header repeated at the top of the next sheet starts a new table).
            header, sheet, data_rows, below_header = None, raw.sheet, 0, False
            pending.clear()
            seen.sheets.append(sheet)
        texts = [cell_text(c) for c in raw.cells]
        if header is not None and below_header:
            combined = sub_header(header, texts, raw.merged, columns)
            if combined is not None:
                header = combined
                yield Item("header", raw, table, {}, dict(header.columns), block, continued=True, header=header)
                continue
        found = match_header(texts, columns)
        if found is not None:
            below_header = True
            if header is not None and data_rows and not pending and set(found.columns) == set(header.columns):
                header = found  # the header again after a page break: the table goes on
                yield Item("header", raw, table, {}, dict(header.columns), block, continued=True, header=header)
                continue
            table += 1
            header = found
            block = read_block(list(pending))
            pending.clear()
            data_rows = 0
            carry = _Carry()
            seen.with_tables.add(sheet)
            yield Item("header", raw, table, {}, dict(header.columns), block, header=header)
            continue
        below_header = False
        meta = _is_meta(texts)
        if header is None or meta:
            if meta:
                header = None  # this table has ended: what follows describes the next one
            elif not table:
                seen.near(raw, texts)
            pending.append(raw)
            yield Item("meta", raw)
            continue
        data_rows += 1
        fields = _fields(raw, header.columns, header.spans)
        _unspan_labels(raw, header.columns, fields)
        if not _placed(raw, header.columns, header.spans, fields):
            seen.unplaced.append(say("{sheet} row {number}", sheet=raw.sheet, number=raw.number))
        carry(fields)
        yield Item("data", raw, table, fields, dict(header.columns), header=header)


def find_tables(path: str | Path, **options: Any) -> list[tuple[int, Block, Mapping[str, int]]]:
    """The tables of a file: their numbers, blocks and column maps (for reports and tests)."""
    seen = []
    for item in segment(
        read_rows(path, **{k: v for k, v in options.items() if k in ("sheet", "encoding")}),
        columns=options.get("columns"),
    ):
        if item.kind == "header" and not item.continued:
            seen.append((item.table, item.block, item.columns))
    return seen
