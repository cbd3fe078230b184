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
import functools
import io
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import attrs

from .. import datafiles as _data
from ..errors import TableError
from ..parser.normalize import normalize
from .formats import read_table_file
from .rawrow import RawRow

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

#: The fields a column can fill (see ``data/headers.tsv``).
FIELDS = (
    "level1",
    "level2",
    "indicator",
    "description",
    "target",
    "actual",
    "points",
    "published_score",
    "deviation_reason",
    "qualifier",
    "unit",
)

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
)
_TITLE = re.compile(r"绩效目标表|绩效自评表|自评表|目标表|项目支出绩效")
# Most specific first: the adjusted budget is what execution is measured against (DOMAIN.md §4).
_BUDGET_LABELS = ("调整后预算数", "全年预算数", "预算数", "年初预算数")
_SPENT_LABELS = ("全年执行数", "执行数", "实际支出", "实际执行数")
_MONEY_UNIT = re.compile(r"单位[:：]?\s*(万元|亿元|千元|元)|[(（](万元|亿元|千元|元)[)）]")
#: How many rows before a header are kept to describe its table (a file without any header
#: must not be held in memory).
MAX_PENDING = 200
#: How much of a cell is looked at to classify its row (header, title, funding label): every
#: header, label and title is far shorter, and a 100 MB cell must not be normalised whole.
LOOK = 300
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
class Block:
    """What the rows above a table say about it: its title (the project's name, else the
    heading), the document heading (``2022年度项目支出绩效自评表``), and its funding row (预算数, 执行数, and
    in the national self-evaluation template the row's 分值 and 得分).  ``funding_row`` is the
    number of the row that holds the amounts."""

    title: str = ""
    heading: str = ""
    budget: str | None = None
    spent: str | None = None
    money_unit: str | None = None
    points: str | None = None
    published: str | None = None
    funding_row: int | None = None


@attrs.frozen
class Item:
    """One input row, classified: ``"meta"`` (title, project rows), ``"header"``, or ``"data"``.

    A header that repeats the current table's header right after its rows (a page break in a
    converted PDF) is ``continued``: the table goes on.  For data rows, ``fields`` maps each field
    to the cell's text; ``table`` numbers the tables of
    the file from 1; ``columns`` is the header's field → column-index map.
    """

    kind: str
    raw: RawRow
    table: int = 0
    fields: Mapping[str, object] = attrs.field(factory=dict)
    columns: Mapping[str, int] = attrs.field(factory=dict)
    block: Block = Block()
    continued: bool = False


# --- cells --------------------------------------------------------------------------------------


def cell_text(value: object, percent: bool = False) -> str:
    """The text of a cell as a target or actual reads it (``10.0`` → ``10``, a percent-formatted
    ``0.95`` → ``95%``, a date → ``2022-06-15``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        try:
            number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:  # pragma: no cover - Decimal(str(float)) always reads
            return str(value)
        if not number.is_finite():
            return str(value)
        if percent:
            number *= 100
        text = format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if percent else "")
    return str(value).strip()


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


def detect_delimiter(first_line: str) -> str:
    """``,``, tab or ``;``: whichever the first line of the file holds most (``,`` on a tie).

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
        raise TableError(f"unknown encoding {name!r}: use utf-8, gb18030, gbk, utf-16 …") from None
    if not getattr(info, "_is_text_encoding", True):
        raise TableError(f"{name!r} is not a text encoding: use utf-8, gb18030, gbk, utf-16 …")


def _csv_rows(path: Path, encoding: str | None) -> Iterator[RawRow]:
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as e:
        raise TableError(f"cannot read {path}: {e.strerror}") from None
    with handle:
        sample = handle.read(65536)
        handle.seek(0)
        chosen = encoding or detect_encoding(sample)
        check_encoding(chosen)
        text = io.TextIOWrapper(handle, encoding=chosen, newline="")
        number = 0
        try:
            first = text.readline()
            delimiter = "\t" if path.suffix.lower() == ".tsv" else detect_delimiter(first)
            lines = itertools.chain([first], text)
            for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), 1):
                yield RawRow(path.name, number, tuple(cells))
        except UnicodeDecodeError:
            raise TableError(
                f"{path} is not {chosen} text (a byte after row {number} does not decode); "
                "pass --encoding (utf-8, gb18030, gbk, utf-16 …)"
            ) from None
        except csv.Error as e:
            raise TableError(f"{path}: not a readable CSV file after row {number} ({e})") from None


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise TableError("reading and writing .xlsx files needs openpyxl: pip install 'targetexpr[cli]'") from None
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
            f"{path} inflates to {total // mb} MB, more than the {MAX_XLSX_UNCOMPRESSED // mb} MB read here; "
            "split the workbook or save the table as .csv"
        )
    for member in members:
        name = member.filename.lower()
        if name.endswith("sharedstrings.xml") and member.file_size > MAX_XLSX_SHARED_STRINGS:
            raise TableError(
                f"{path}: its text cells inflate to {member.file_size // mb} MB, more than the "
                f"{MAX_XLSX_SHARED_STRINGS // mb} MB read here; save the table as .csv"
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and ratio > MAX_XLSX_RATIO:
            raise TableError(
                f"{path}: {member.filename} inflates {ratio:.0f} times (to {member.file_size // mb} MB), "
                f"more than the {MAX_XLSX_RATIO} times a real sheet does; refused as a decompression bomb"
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
            f"{path}: {too_long} holds a cell of more than {MAX_XLSX_TEXT // 2**20} MB "
            "(Excel's own cells hold at most 32,767 characters); refused"
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
        raise TableError(f"cannot read {path}: {e.strerror or e}") from None
    except Exception as e:
        raise TableError(f"{path} is not a readable Excel workbook ({type(e).__name__}: {e})") from None
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise TableError(f"{path} has no sheet {sheet!r}; it has {', '.join(names)}")
        for name in [sheet] if sheet is not None else names:
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
                        f"{path}: sheet {name!r} is not readable after row {number} ({type(e).__name__}: {e}); "
                        "open and save it again in Excel or WPS"
                    ) from None
                if row is None:
                    break
                # Row numbers from the cells themselves (read-only mode pads blank rows, but a
                # number from the file is what the user sees in Excel).
                number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
                cells = tuple(getattr(c, "value", None) for c in row)
                percent = tuple("%" in (getattr(c, "number_format", "") or "") for c in row)
                yield RawRow(name, number, cells, percent)
    finally:
        workbook.close()


def read_rows(path: str | Path, *, sheet: str | None = None, encoding: str | None = None) -> Iterator[RawRow]:
    """Every row of a table file, streamed: ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, and
    (with the ``[cli]`` extra) ``.xls``, ``.xlsb``, ``.ods``, Word ``.docx`` and ``.pdf`` tables."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_rows(path, encoding)
    if suffix in (".xls", ".xlsb", ".ods", ".docx", ".pdf"):
        return read_table_file(path, sheet=sheet, encoding=encoding)
    raise TableError(
        f"{path}: a table must be .xlsx, .xls, .ods, .docx, .pdf or .csv, not {suffix or 'a file without extension'}"
    )


# --- headers and tables -------------------------------------------------------------------------


@functools.cache
def _headers() -> dict[str, str]:
    return {normalize(row[0]): row[1] for row in _data._rows("headers.tsv", 2)}


@functools.cache
def _headers_longest_first() -> tuple[str, ...]:
    return tuple(sorted((h for h in _headers() if len(h) > 1), key=len, reverse=True))


_NOTE = re.compile(r"[(\[（【].*?[)\]）】]")
#: A header cell is short; longer cells (indicator names, sentences) are not looked up.
_MAX_HEADER = 30


def header_field(text: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field a header cell fills, or ``None``.

    >>> header_field("年初目标值(A)"), header_field("实际完成值（B）"), header_field("分值"), header_field("备注")
    ('target', 'actual', 'points', None)
    """
    if not text or len(text) > _MAX_HEADER:
        return None
    if overrides:
        normal = normalize(text)
        for field, header in overrides.items():
            if normalize(header) in (_NOTE.sub("", normal).rstrip(":：") or normal, normal):
                return field
    return _known_header(text)


@functools.lru_cache(maxsize=4096)
def _known_header(text: str) -> str | None:
    normal = normalize(text)
    clean = _NOTE.sub("", normal).rstrip(":：") or normal
    headers = _headers()
    if clean in headers:
        return headers[clean]
    return next((headers[h] for h in _headers_longest_first() if h in clean), None)


def _header_columns(texts: Sequence[str], overrides: Mapping[str, str] | None) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, text in enumerate(texts):
        field = header_field(text, overrides)
        if field is not None and field not in columns:
            columns[field] = index
    has_value = "target" in columns or "actual" in columns
    has_name = "indicator" in columns or "level1" in columns or "level2" in columns
    return columns if has_value and has_name and len(columns) >= 2 else None


def _is_meta(texts: Sequence[str]) -> bool:
    first = next((t for t in texts if t), "")
    if not first:
        return False
    normal = normalize(first[:LOOK])
    if normal.startswith(_META_LABELS):
        return True
    filled = [t for t in texts if t]
    return len(filled) <= 2 and bool(_TITLE.search(normal))


def _clean_label(text: str) -> str:
    return _NOTE.sub("", normalize(text[:LOOK])).rstrip(":：")


def _pick(found: Mapping[str, tuple[str, int]], labels: Sequence[str]) -> tuple[str, int] | None:
    return next((found[label] for label in labels if label in found), None)


def _read_block(rows: Sequence[RawRow]) -> Block:
    """The title and funding amounts of a table, from the rows above its header.

    Two layouts: a label with its amount to the right (``预算数 | 400.00``), or a row of labels
    with the amounts in the row below (``项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 得分`` then
    ``年度资金总额 | 400 | 400 | 380 | 10 | 9.5``)."""
    title: str | None = None
    heading: str | None = None
    unit: str | None = None
    found: dict[str, tuple[str, int]] = {}  # label -> (amount, row number)
    texts_rows = [[cell_text(c) for c in raw.cells] for raw in rows]
    for position, (raw, texts) in enumerate(zip(rows, texts_rows, strict=True)):
        normal = [_clean_label(t) for t in texts]
        match = _MONEY_UNIT.search("".join(normalize(t[:LOOK]) for t in texts))
        if match:
            unit = match.group(1) or match.group(2)
        below = texts_rows[position + 1] if position + 1 < len(texts_rows) else []
        labels_here = [i for i, cell in enumerate(normal) if cell in (*_BUDGET_LABELS, *_SPENT_LABELS)]
        vertical = len(labels_here) >= 2 and all(i < len(below) and below[i] for i in labels_here)
        for i, cell in enumerate(normal):
            if not cell:
                continue
            if heading is None and _TITLE.search(cell):
                heading = texts[i][:LOOK]
            if cell.startswith("项目名称"):
                name = next((t[:LOOK] for t in texts[i + 1 :] if t), None)
                if name:
                    title = name
                    found["项目名称"] = (name, raw.number)
            if cell not in (*_BUDGET_LABELS, *_SPENT_LABELS, "分值", "得分", "自评得分"):
                continue
            if vertical:
                value = below[i][:LOOK] if i < len(below) else ""
                number = rows[position + 1].number
            else:
                value = next((t[:LOOK] for t in texts[i + 1 :] if t), "")
                number = raw.number
            if value and cell not in found:
                found[cell] = (value, number)
    budget, spent = _pick(found, _BUDGET_LABELS), _pick(found, _SPENT_LABELS)
    # 分值 and 得分 belong to the funding row only when they sit in the row of the amounts.
    points = _pick(found, ("分值",))
    if points is None or spent is None or budget is None or points[1] != spent[1]:
        points = None
    published = _pick(found, ("得分", "自评得分")) if points is not None else None
    return Block(
        title=title or heading or "",
        heading=heading or "",
        budget=budget[0] if budget else None,
        spent=spent[0] if spent else None,
        money_unit=unit,
        points=points[0] if points else None,
        published=published[0] if published else None,
        funding_row=spent[1] if spent else None,
    )


def _fields(raw: RawRow, columns: Mapping[str, int]) -> dict[str, object]:
    out: dict[str, object] = {}
    for field, index in columns.items():
        value = raw.cells[index] if index < len(raw.cells) else None
        percent = raw.percent[index] if index < len(raw.percent) else False
        if field == "actual" and isinstance(value, (datetime.date, datetime.datetime)):
            out[field] = value  # a date cell stays a date
        else:
            out[field] = cell_text(value, percent)
    return out


def segment(rows: Iterator[RawRow], *, columns: Mapping[str, str] | None = None) -> Iterator[Item]:
    """Classify every row: the rows of each table (tables numbered from 1), their headers, and the
    rows around them.  ``columns`` overrides the header table: ``{"target": "年度指标值"}``.

    A header's :class:`Block` is read from the (at most :data:`MAX_PENDING`) rows since the
    previous table ended; rows are yielded as they come, so a meta row is yielded before the
    header whose block it describes."""
    table = 0
    mapping: dict[str, int] | None = None
    block = Block()
    data_rows = 0  # of the current table, since its header
    sheet = ""
    pending: collections.deque[RawRow] = collections.deque(maxlen=MAX_PENDING)
    for raw in rows:
        if raw.sheet != sheet:
            # A table never runs on into the next sheet: there, only a header starts one (a
            # header repeated at the top of the next sheet starts a new table).
            mapping = None
            sheet = raw.sheet
            pending.clear()
            data_rows = 0
        texts = [cell_text(c) for c in raw.cells]
        header = _header_columns(texts, columns)
        if header is not None:
            if header == mapping and data_rows and not pending:
                yield Item("header", raw, table, {}, mapping, block, continued=True)
                continue
            table += 1
            mapping = header
            block = _read_block(list(pending))
            pending.clear()
            data_rows = 0
            yield Item("header", raw, table, {}, mapping, block)
            continue
        meta = _is_meta(texts)
        if mapping is None or meta:
            if meta:
                mapping = None  # this table has ended: what follows describes the next one
            pending.append(raw)
            yield Item("meta", raw)
            continue
        data_rows += 1
        yield Item("data", raw, table, _fields(raw, mapping), mapping)


def find_tables(path: str | Path, **options: Any) -> list[tuple[int, Block, Mapping[str, int]]]:
    """The tables of a file: their numbers, blocks and column maps (for reports and tests)."""
    seen = []
    for item in segment(
        read_rows(path, **{k: v for k, v in options.items() if k in ("sheet", "encoding")}),
        columns=options.get("columns"),
    ):
        if item.kind == "header":
            seen.append((item.table, item.block, item.columns))
    return seen
