"""Hostile tables for the command line, built on demand (tests/test_cli_hostile.py, bench/hostile.py).

Each function writes one file and returns its path: a stale ``<dimension ref>``, a decompression
bomb, malformed sheet XML, control characters, formula-looking text, ragged rows, a workbook whose
second sheet has no header.  Nothing here is committed as a binary file.
"""

from __future__ import annotations

import csv
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "备注"]
#: A table worth 100 points, all met: 100 of 100, grade 优.
ROWS = [
    ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 20, 20, "甲"],
    ["产出指标", "数量指标", "发放册数", "≥500册", "520册", 20, 20, "乙"],
    ["产出指标", "质量指标", "合格率", "≥95%", "98%", 10, 10, "丙"],
    ["产出指标", "时效指标", "及时率", "≥95%", "100%", 10, 10, "丁"],
    ["效益指标", "社会效益", "受益人数", "≥1000人", "1200人", 10, 10, "戊"],
    ["效益指标", "社会效益", "覆盖率", "≥90%", "95%", 10, 10, "己"],
    ["满意度指标", "服务对象满意度", "满意度", "≥90%", "96%", 10, 10, "庚"],
    ["成本指标", "经济成本", "成本", "≤50万元", "45万元", 10, 10, "辛"],
]
#: Rows that would be worth 30 more points if scored into the table.
STRAY = [
    ["产出指标", "数量指标", "另一个指标", "≥10个", "5个", 20, 10, ""],
    ["效益指标", "社会效益", "另一个满意度", "≥90%", "50%", 10, 0, ""],
]


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([["" if c is None else c for c in row] for row in rows])
    return path


def rewrite_zip(path: Path, change: Callable[[str, bytes], bytes], out: Path | None = None, level: int = 6) -> Path:
    """Rewrite the members of a zip (an .xlsx) through ``change(name, data)``, deflated at ``level``."""
    out = out or path
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info.filename, change(info.filename, data), zipfile.ZIP_DEFLATED, compresslevel=level)
    return out


def table(path: Path) -> Path:
    """The plain table, as .xlsx or .csv by ``path``'s suffix."""
    rows = [HEADER, *ROWS]
    return write_csv(path, rows) if path.suffix == ".csv" else write_xlsx(path, [("自评表", rows)])


def stale_dimension(path: Path) -> Path:
    """A 9-row, 8-column table whose sheet says ``<dimension ref="A1:E4"/>``."""
    write_xlsx(path, [("自评表", [HEADER, *ROWS])])

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E4"', data)
            assert n == 1
        return data

    return rewrite_zip(path, change)


def two_sheets(path: Path) -> Path:
    """The table on its sheet, and a second sheet of rows without a header."""
    return write_xlsx(path, [("自评表", [HEADER, *ROWS]), ("附表", STRAY)])


def big_cell(path: Path, size: int, where: str = "note", *, compressible: bool = True, level: int = 6) -> Path:
    """The table with one cell of ``size`` characters: in the 备注 column (``note``), as a target
    (``target``), as an indicator (``indicator``), or in a title row above the header (``title``).
    A ``compressible`` cell repeats one word (a bomb: 100 MB fit in 0.3 MB); otherwise it is drawn
    from 3,000 characters and compresses as little as real text."""
    marker = "BIGCELLMARKER"
    rows = [list(r) for r in ROWS]
    head: list[list[object]] = []
    if where == "title":
        head = [[marker]]
    else:
        column = {"note": 7, "target": 3, "indicator": 2}[where]
        rows[0][column] = marker
    write_xlsx(path, [("自评表", [*head, HEADER, *rows])])
    if compressible:
        filler = ("指标 " * (size // 3 + 1))[:size].encode("utf-8")
    else:
        pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
        filler = "".join(random.Random(0).choices(pool, k=size)).encode("utf-8")

    def change(name: str, data: bytes) -> bytes:
        return data.replace(marker.encode(), filler) if marker.encode() in data else data

    return rewrite_zip(path, change, level=level)


def malformed_xml(path: Path) -> Path:
    """The table with its sheet XML cut in the middle of a row."""
    write_xlsx(path, [("自评表", [HEADER, *ROWS])])

    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return data[: data.index(b'<row r="5"') + 40]
        return data

    return rewrite_zip(path, change)


FORMULA_TEXTS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def formula_text(path: Path) -> Path:
    """The table with formula-looking text in its 备注 cells and a target 等于95%; as .xlsx the
    cells are strings, and one real formula (a sum of the 分值) sits below the table."""
    rows = [list(r) for r in ROWS]
    for row, text in zip(rows, FORMULA_TEXTS, strict=False):
        row[7] = text
    rows[2][3] = "等于95%"
    rows[2][4] = "95%"
    if path.suffix == ".csv":
        return write_csv(path, [HEADER, *rows])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    for row in [HEADER, *rows]:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        for cell in cells:
            cell.data_type = "s"  # text that looks like a formula
    sheet.append(["说明", None, None, None, None, f"=SUM(F2:F{len(rows) + 1})"])
    workbook.save(path)
    return path


def ragged(path: Path) -> Path:
    """A CSV whose data rows are longer than its header (two unnamed cells past 备注)."""
    rows: list[list[object]] = [HEADER]
    rows += [[*r, "多余1", "多余2"] for r in ROWS]
    return write_csv(path, rows)


def control_characters(path: Path) -> Path:
    """A CSV with control characters (BEL, ESC, NUL-less: CSV cannot hold NUL) in its cells."""
    rows = [list(r) for r in ROWS]
    rows[0][7] = "备注\x07响铃"
    rows[1][2] = "发放\x1b[31m册数"
    return write_csv(path, [HEADER, *rows])


def large_csv(path: Path, rows: int) -> Path:
    """A table of ``rows`` rows (for timing, memory and kills during writes)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(rows):
            row = ROWS[i % len(ROWS)]
            writer.writerow([row[0], row[1], f"{row[2]}{i}", *row[3:]])
    return path


def large_xlsx(path: Path, rows: int) -> Path:
    """A table of ``rows`` rows as .xlsx (written in write-only mode)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("自评表")
    sheet.append(HEADER)
    for i in range(rows):
        row = ROWS[i % len(ROWS)]
        sheet.append([row[0], row[1], f"{row[2]}{i}", *row[3:]])
    workbook.save(path)
    return path
