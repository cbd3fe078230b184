"""The file readers (targetexpr.cli.formats): the same table in every format gives the same grid."""

from __future__ import annotations

import datetime
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from fixtures import make_tables
from fixtures.make_tables import SHEETS, expected
from targetexpr.cli import formats as _formats
from targetexpr.cli import sheets
from targetexpr.cli.formats import read_table_file
from targetexpr.cli.sheets import RawRow, cell_text, segment
from targetexpr.errors import TableError

FORMATS = [".xlsx", ".xls", ".ods", ".docx", ".pdf"]
SHEET_NAMES = {
    ".xlsx": ["自评表", "两行表头", "填报说明"],
    ".xls": ["自评表", "两行表头", "填报说明"],
    ".ods": ["自评表", "两行表头", "填报说明"],
    ".docx": ["表1", "表2", "表3"],
    ".pdf": ["第1页", "第2页", "第3页"],
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_tables.write_all(tmp_path_factory.mktemp("tables"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _texts(row: RawRow) -> list[str]:
    percent = row.percent or (False,) * len(row.cells)
    return [_norm(cell_text(v, p)) for v, p in zip(row.cells, percent, strict=True)]


def _by_sheet(rows: list[RawRow]) -> dict[str, list[RawRow]]:
    out: dict[str, list[RawRow]] = {}
    for row in rows:
        out.setdefault(row.sheet, []).append(row)
    return out


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_gives_the_same_grid(files: dict[str, Path], suffix: str) -> None:
    sheets = _by_sheet(list(read_table_file(files[suffix])))
    assert list(sheets) == SHEET_NAMES[suffix]
    for rows, spec in zip(sheets.values(), SHEETS, strict=True):
        # python-calamine gives no number formats for .xls: a percent cell reads as its number.
        texts, flags = expected(spec, percent=suffix != ".xls")
        want = [[_norm(t) for t in row] for row in texts]
        got = [_texts(row) for row in rows]
        assert got == want, spec.name
        assert [list(row.merged) for row in rows] == flags, spec.name


def test_grid_is_not_trivially_equal(files: dict[str, Path]) -> None:
    """The comparison above sees merged cells: the title fills the whole first row, the 绩效指标 label
    every indicator row, 一级指标 its group."""
    rows = list(read_table_file(files[".xlsx"], sheet="自评表"))
    assert _texts(rows[0]) == ["项目支出绩效自评表"] * 10
    assert rows[0].merged == (False,) + (True,) * 9
    header = next(i for i, r in enumerate(rows) if r.cells[1] == "一级指标")
    assert [r.cells[0] for r in rows[header : header + 7]] == ["绩效指标"] * 7
    assert [r.cells[1] for r in rows[header + 1 : header + 5]] == ["产出指标"] * 4
    assert rows[header].cells[8] == rows[header].cells[9] == "偏差原因分析及改进措施"
    assert rows[header].merged[8:] == (False, True)


def test_row_numbers(files: dict[str, Path]) -> None:
    xlsx = list(read_table_file(files[".xlsx"]))
    assert [r.number for r in xlsx if r.sheet == "两行表头"] == list(range(1, 21))
    pdf = list(read_table_file(files[".pdf"]))
    assert [r.number for r in pdf] == list(range(1, len(pdf) + 1))  # across the document


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_percent_and_dates(files: dict[str, Path], suffix: str) -> None:
    rows = list(read_table_file(files[suffix], sheet="自评表"))
    by_name = {r.cells[3]: r for r in rows if len(r.cells) > 3}
    satisfaction = by_name["群众满意度"]
    assert satisfaction.cells[5] == Decimal("0.93")
    assert satisfaction.percent[5] is True
    assert satisfaction.percent[4] is False
    assert cell_text(satisfaction.cells[5], satisfaction.percent[5]) == "93%"
    assert by_name["完工时间"].cells[5] == datetime.date(2022, 11, 30)
    assert type(by_name["完工时间"].cells[5]) is datetime.date
    assert by_name["道路硬化里程"].cells[5] == Decimal("15.5")
    assert type(by_name["整治村庄数量"].cells[5]) is int


def test_xls_dates(files: dict[str, Path]) -> None:
    rows = list(read_table_file(files[".xls"], sheet="自评表"))
    assert datetime.date(2022, 11, 30) in [c for r in rows for c in r.cells]


def test_numbers_are_never_floats(files: dict[str, Path]) -> None:
    for suffix in (".xlsx", ".xls", ".ods"):
        for row in read_table_file(files[suffix]):
            assert not any(isinstance(c, float) for c in row.cells), (suffix, row)


def test_segment_finds_the_table_in_every_format(files: dict[str, Path]) -> None:
    for suffix in FORMATS:
        items = list(segment(read_table_file(files[suffix])))
        headers = [i for i in items if i.kind == "header" and not i.continued]
        assert len(headers) >= 2, suffix
        first = headers[0]
        assert first.block.budget == "400", suffix
        data = [i for i in items if i.kind == "data" and i.table == first.table]
        # The merged 一级/二级 cells reach every row they cover (which column 三级指标 maps to is
        # segment's business: the leading 绩效指标 column is read as it stands).
        assert [d.fields.get("level1") for d in data][:4] == ["产出指标"] * 4, suffix
        assert [d.fields.get("level2") for d in data][:2] == ["数量指标"] * 2, suffix


def _stale(source: Path, target: Path, ref: str = "A1:E4") -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
                assert count == 1
            zout.writestr(info, data)
    return target


def test_stale_dimension_is_read_in_full(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 11):
        ws.append([f"r{r}c{c}" for c in range(1, 9)])
    wb.save(tmp_path / "full.xlsx")
    path = _stale(tmp_path / "full.xlsx", tmp_path / "stale.xlsx")
    # openpyxl's read-only mode trusts the stale dimension: the file does lie.
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert len(list(sheet.iter_rows())) == 4
    rows = list(read_table_file(path))
    assert len(rows) == 10
    assert all(len(r.cells) == 8 for r in rows)
    assert rows[-1].cells[-1] == "r10c8"


def test_data_away_from_a1(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["C3"] = "x"
    wb.active["D5"] = 1
    wb.save(tmp_path / "offset.xlsx")
    rows = list(read_table_file(tmp_path / "offset.xlsx"))
    filled = [(r.number, r.cells) for r in rows if any(r.cells)]
    assert filled == [(3, (None, None, "x", None)), (5, (None, None, None, 1))]


def test_custom_percent_format_and_merge_past_the_data(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "执行率", 0.955
    ws["B1"].number_format = "0.0%"
    ws["C1"] = 0.5
    ws["C1"].number_format = '0.00"%"'  # a quoted % is text, not a percent format
    ws["A2"] = "说明"
    ws.merge_cells("A2:E3")
    wb.save(tmp_path / "p.xlsx")
    rows = list(read_table_file(tmp_path / "p.xlsx"))
    assert rows[0].percent[:3] == (False, True, False)
    assert cell_text(rows[0].cells[1], rows[0].percent[1]) == "95.5%"
    assert len(rows) == 3
    assert rows[2].cells == ("说明",) * 5
    assert rows[2].merged == (True,) * 5


def test_sheet_choice(files: dict[str, Path]) -> None:
    assert {r.sheet for r in read_table_file(files[".docx"], sheet="表3")} == {"表3"}
    assert {r.sheet for r in read_table_file(files[".pdf"], sheet="第2页")} == {"第2页"}
    with pytest.raises(TableError, match="no sheet '无'"):
        list(read_table_file(files[".xlsx"], sheet="无"))


def test_text_only_pdf(tmp_path: Path) -> None:
    path = make_tables.write_text_pdf(
        tmp_path / "text.pdf",
        ["三级指标|年度指标值|实际完成值", "群众满意度|≥90%|93%", "填报说明：本表由单位填写"],
    )
    rows = list(read_table_file(path))
    assert [r.cells for r in rows] == [
        ("三级指标", "年度指标值", "实际完成值"),
        ("群众满意度", "≥90%", "93%"),
        ("填报说明：本表由单位填写",),
    ]
    assert [r.sheet for r in rows] == ["第1页"] * 3


def test_csv_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("三级指标,指标值\n满意度,≥90%\n", encoding="gb18030")
    assert [r.cells for r in sheets.read_rows(path)] == [("三级指标", "指标值"), ("满意度", "≥90%")]


# --- errors ---------------------------------------------------------------------------------------


def _message(call: object) -> str:
    with pytest.raises(TableError) as info:
        list(call())  # type: ignore[operator]
    message = str(info.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


@pytest.mark.parametrize("suffix", FORMATS)
def test_corrupt_file(tmp_path: Path, files: dict[str, Path], suffix: str) -> None:
    path = tmp_path / f"corrupt{suffix}"
    path.write_bytes(files[suffix].read_bytes()[:300])
    _message(lambda: read_table_file(path))


@pytest.mark.parametrize("suffix", FORMATS)
def test_not_that_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"text{suffix}"
    path.write_text("三级指标,指标值\n", encoding="utf-8")
    assert "not" in _message(lambda: read_table_file(path))


def test_wrong_extension(tmp_path: Path, files: dict[str, Path]) -> None:
    path = tmp_path / "table.numbers"
    path.write_bytes(b"x")
    assert ".numbers" in _message(lambda: read_table_file(path))
    xls = tmp_path / "really-xlsx.xls"
    xls.write_bytes(files[".xlsx"].read_bytes())
    assert "rename it to .xlsx" in _message(lambda: read_table_file(xls))
    docx = tmp_path / "really-xlsx.docx"
    docx.write_bytes(files[".xlsx"].read_bytes())
    _message(lambda: read_table_file(docx))
    assert "no such file" in _message(lambda: read_table_file(tmp_path / "missing.xlsx"))


def test_encrypted_office_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"  # Office saves an encrypted workbook as an OLE compound file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "encrypted" in _message(lambda: read_table_file(path))


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".ods"])
def test_zip_bomb(tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    monkeypatch.setattr(_formats, "MAX_UNCOMPRESSED", 8 * 1024 * 1024)
    path = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(files[suffix]) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        with zout.open("padding.xml", "w") as member:
            for _ in range(9):
                member.write(b"\0" * 1024 * 1024)
    assert path.stat().st_size < 200_000  # highly compressed
    message = _message(lambda: read_table_file(path))
    assert "8,388,608 bytes" in message


def test_real_limit_is_stated() -> None:
    assert _formats.MAX_UNCOMPRESSED == 512 * 1024 * 1024
    assert _formats.MAX_CELL_BYTES == 1_000_000


@pytest.mark.parametrize("suffix", [".ods", ".docx"])
def test_huge_cell(tmp_path: Path, suffix: str) -> None:
    big = "很" * 400_000  # 1.2 MB in UTF-8
    spec = make_tables.Sheet("大", [["三级指标", big]])
    path = make_tables.WRITERS[suffix](tmp_path / f"big{suffix}", [spec])
    assert "1,000,000 bytes" in _message(lambda: read_table_file(path))


def test_xlsx_cell_stops_at_excels_limit(tmp_path: Path) -> None:
    """python-calamine cuts an .xlsx cell at Excel's 32,767 characters: no cell nears the limit."""
    spec = make_tables.Sheet("大", [["三级指标", "很" * 400_000]])
    path = make_tables.write_xlsx(tmp_path / "big.xlsx", [spec])
    (row,) = read_table_file(path)
    assert isinstance(row.cells[1], str)
    assert len(row.cells[1]) == 32_767


def test_large_pdf_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Path]) -> None:
    monkeypatch.setattr(_formats, "MAX_FILE_BYTES", 1000)
    assert "1,000 bytes" in _message(lambda: read_table_file(files[".pdf"]))


def test_missing_extra(monkeypatch: pytest.MonkeyPatch, files: dict[str, Path]) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "python_calamine", None)
    monkeypatch.setitem(sys.modules, "docx", None)
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    for suffix in FORMATS:
        assert "pip install 'targetexpr[cli]'" in _message(lambda s=suffix: read_table_file(files[s]))
