"""Reading spreadsheets: python-calamine beside openpyxl (and targetexpr's own reader), side by side.

    python bench/formats.py                  # 20,000 and 100,000 rows
    python bench/formats.py --rows 2000      # a quick run

Each reading runs in a fresh child process, so each peak RSS (VmHWM, Linux) is that reader's alone,
including the interpreter and the imports (the "baseline" line is a child that imports the readers and
reads nothing).  Every cell of every row is touched.  Numbers only: nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READERS = {
    "baseline": "pass",
    "openpyxl read-only": """
import openpyxl
wb = openpyxl.load_workbook(PATH, read_only=True, data_only=True)
for ws in wb.worksheets:
    ws.reset_dimensions()
    for row in ws.iter_rows():
        for c in row:
            (getattr(c, "value", None), getattr(c, "number_format", None))
wb.close()
""",
    "openpyxl full": """
import openpyxl
wb = openpyxl.load_workbook(PATH, data_only=True)
for ws in wb.worksheets:
    list(ws.merged_cells.ranges)
    for row in ws.iter_rows():
        for c in row:
            (c.value, c.number_format)
""",
    "calamine": """
import python_calamine
wb = python_calamine.CalamineWorkbook.from_path(PATH)
for name in wb.sheet_names:
    sheet = wb.get_sheet_by_name(name)
    sheet.merged_cell_ranges
    for row in sheet.iter_rows():
        for v in row:
            pass
wb.close()
""",
    "targetexpr.cli.formats": """
from targetexpr.cli.formats import read_table_file
for raw in read_table_file(PATH):
    pass
""",
}

# Peak RSS from /proc/self/status (VmHWM): ru_maxrss would keep the parent's peak across exec.
CHILD = """
import sys, time
PATH = sys.argv[1]
import openpyxl, python_calamine
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(elapsed, peak)
"""


def make_xlsx(path: Path, rows: int) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("表1")
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "日期"])
    for i in range(rows):
        rate = WriteOnlyCell(ws, value=0.93)
        rate.number_format = "0%"
        day = WriteOnlyCell(ws, value=datetime.date(2022, 1 + i % 12, 15))
        day.number_format = "yyyy-mm-dd"
        ws.append(["产出指标", "数量指标", f"指标{i}", "≥95%", rate, 10, 9.5, day])
    wb.save(path)


def make_xls(path: Path, rows: int) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    for c, text in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]):
        sheet.write(0, c, text)
    for i in range(1, rows + 1):
        for c, value in enumerate(["产出指标", "数量指标", f"指标{i}", "≥95%", 0.93, 10, 9.5]):
            sheet.write(i, c, value)
    book.save(str(path))


def make_ods(path: Path, rows: int) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="表1")
    for i in range(rows + 1):
        tr = TableRow()
        for value in ["产出指标", "数量指标", f"指标{i}", "≥95%", 0.93, 10, 9.5]:
            if isinstance(value, str):
                cell = TableCell(valuetype="string")
            else:
                cell = TableCell(valuetype="float", value=value)
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def measure(reader: str, path: Path) -> tuple[float, float]:
    script = CHILD.format(code=READERS[reader])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, env=env, check=True)
    seconds, kib = out.stdout.split()
    return float(seconds), int(kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    makers = {".xlsx": make_xlsx, ".xls": make_xls, ".ods": make_ods}
    print(f"{'file':<24} {'reader':<22} {'seconds':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            for suffix, make in makers.items():
                if suffix == ".xls" and rows > 65_000:
                    continue  # the format's limit is 65,536 rows
                path = Path(tmp) / f"bench{rows}{suffix}"
                make(path, rows)
                for reader in READERS:
                    if reader.startswith("openpyxl") and suffix != ".xlsx":
                        continue
                    seconds, mib = measure(reader, path)
                    print(f"{path.name:<24} {reader:<22} {seconds:8.2f} {mib:9.1f}", flush=True)


if __name__ == "__main__":
    main()
