"""Tables (#13), the items left open: a 总分 formula Excel never calculated, the 资金情况 block with
预算数 over 年初|全年|执行数, PDF rows split over two lines, and TableError.path on every file error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures import make_tables
from targetexpr.cli import main
from targetexpr.errors import TableError


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _total_row(sheet: make_tables.Sheet) -> tuple[int, int]:
    """The 总分 row and its 得分 column (the fixture puts 100 | 99 there)."""
    row = len(sheet.rows) - 1
    return row, sheet.rows[row].index(99)


# --- a: a 总分 formula without a cached value --------------------------------------------------


def test_an_uncalculated_total_formula_is_said_so_not_read_as_no_total(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = make_tables.self_evaluation()
    row, column = _total_row(sheet)
    first = row - len(make_tables.INDICATORS) + 1
    letter = chr(ord("A") + column)
    sheet.rows[row][column] = f"=SUM({letter}{first}:{letter}{row})"  # openpyxl stores no cached value
    path = make_tables.write_xlsx(tmp_path / "formula.xlsx", [sheet])
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    note = table["published_total_note"]
    assert f"=SUM({letter}{first}:{letter}{row})" in note
    assert "never calculated" in note
    assert note in table["warnings"]
    # printed, and written into the output row and the summary sheet
    out_path = tmp_path / "scored.csv"
    code, out, _ = run(capsys, "score", str(path), "-o", str(out_path))
    assert "never calculated" in out
    written = out_path.read_text(encoding="utf-8-sig")
    assert "never calculated" in written


def test_a_calculated_total_has_no_formula_note(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = make_tables.write_xlsx(tmp_path / "plain.xlsx", [make_tables.self_evaluation()])
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    assert "published_total_note" not in table
    assert not any("never calculated" in w for w in table["warnings"])


def test_uncached_formulas_are_found_in_the_sheet_xml(tmp_path: Path) -> None:
    import openpyxl

    from targetexpr.cli.formulas import uncached_formulas

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    ws["A1"], ws["A2"], ws["A3"], ws["B3"] = 1, 2, "=SUM(A1:A2)", "=A1<A2"
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert uncached_formulas(path) == {"表": {(2, 0): "=SUM(A1:A2)", (2, 1): "=A1<A2"}}


# --- d: TableError.path ------------------------------------------------------------------------


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> TableError:
    from targetexpr import cli

    args = cli.build_parser().parse_args(list(argv))
    command = {"check": cli._check_command, "score": cli._score_command}[args.command]
    with pytest.raises(TableError) as caught:
        command(args)
    capsys.readouterr()
    return caught.value


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("missing.xlsx", None),
        ("bad.xlsx", b"not a zip"),
        ("bad.pdf", b"not a pdf"),
        ("bad.docx", b"PK\x03\x04broken"),
        ("table.doc", b"whatever"),
        ("empty.csv", b"a,b\n1,2\n"),
        ("gbk.csv", "指标值\n".encode("gb18030") + b"\xff\xfe\xfa"),
    ],
)
def test_every_file_error_names_its_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    args = ["check", str(path)] + (["--encoding", "utf-8"] if name == "gbk.csv" else [])
    error = _error(capsys, *args)
    assert error.path == str(path), error.message


def test_output_errors_name_the_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = make_tables.write_xlsx(tmp_path / "t.xlsx", [make_tables.self_evaluation()])
    for output in (tmp_path / "no-such-folder" / "out.csv", tmp_path / "out.txt", source):
        error = _error(capsys, "score", str(source), "-o", str(output))
        assert error.path == str(output), error.message


def test_a_missing_sheet_names_the_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = make_tables.write_xlsx(tmp_path / "t.xlsx", [make_tables.self_evaluation()])
    error = _error(capsys, "check", str(source), "--sheet", "没有")
    assert error.path == str(source)


# --- b: 预算数 over 年初 | 全年 | 执行数 -------------------------------------------------------------


def _essentials(table: dict[str, object]) -> tuple[object, ...]:
    subtotals = [(s["level1"], s["score"], s["points"]) for s in table["subtotals"]]  # type: ignore[attr-defined]
    return table["total"], table["total_points"], table["grade"], subtotals


def _scored(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    tables: list[dict[str, object]] = json.loads(out)["tables"]
    return tables


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".docx", ".pdf"])
def test_a_two_row_funding_header_scores_as_the_one_row_block(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    one_row = make_tables.self_evaluation()
    two_rows = make_tables.two_row_funding(one_row)
    write = make_tables.WRITERS[suffix]
    (plain,) = _scored(capsys, write(tmp_path / f"one{suffix}", [one_row]))
    (table,) = _scored(capsys, write(tmp_path / f"two{suffix}", [two_rows]))
    assert _essentials(table) == _essentials(plain)
    budget = [s for s in table["subtotals"] if s["level1"] == "预算执行率"]  # type: ignore[attr-defined]
    assert budget == [{"level1": "预算执行率", "points": "10", "score": "9.50", "published_score": "9.5", "rows": 1}]


def test_a_two_row_funding_header_without_merges(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """As a CSV export gives it: the parent label once, blanks beside it, 分值/执行率/得分 in the first row."""
    import csv

    rows = [
        ["项目名称", "城乡社区环境整治"],
        ["资金情况(万元)", "预算数", "", "", "分值", "执行率", "得分"],
        ["", "年初", "全年", "执行数", "", "", ""],
        ["年度资金总额", "400", "400", "300", "10", "75%", "7.5"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "整治村庄数量", "≥20个", "22个", "90", "90"],
    ]
    path = tmp_path / "funding.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (table,) = _scored(capsys, path)
    budget = [s for s in table["subtotals"] if s["level1"] == "预算执行率"]  # type: ignore[attr-defined]
    assert [(s["points"], s["score"]) for s in budget] == [("10", "7.50")]  # 300 / 400 × 10
    assert table["total"] == "97.50"


def test_join_funding_header_leaves_other_rows_alone() -> None:
    from targetexpr.cli.funding import join_funding_header

    rows = [["项目名称", "预算数", "400"], ["资金用途", "年初", "运维"]]  # one child only: not a block
    assert join_funding_header(rows) == rows
    block = [["", "预算数", "预算数", "预算数", "分值"], ["", "年初", "全年", "执行数", "分值"]]
    joined = join_funding_header(block)
    assert joined == [["", "", "", "", ""], ["", "年初预算数", "全年预算数", "全年执行数", "分值"]]
    assert block[0][1] == "预算数"  # the input is not modified


# --- c: rows split over two lines ----------------------------------------------------------------

SEED = Path(__file__).parent / "data" / "seed_000_81dbeea5216f0dac.txt"
SPLIT_LINES = [
    "项目名称|农村公路建设",
    "一级指标|二级指标|三级指标|指标值|实际完成值|分值|得分",
    "产出指标|数量指标|新建农村公路|≥15公里|15.5公里|50|50",
    "||里程||||",
    "产出指标|质量指标|验收合格率|100%|100%|30|30",
    "效益指标|社会效益|群众出行|持续改善|明显改善|20|20",
    "||便利程度||||",
]


def _check_rows(capsys: pytest.CaptureFixture[str], path: Path) -> dict[str, object]:
    _, out, _ = run(capsys, "check", str(path), "--json", "--all", "--no-review")
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_a_name_wrapped_onto_its_own_line_is_joined_and_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    if kind == "text":
        path = tmp_path / "split.txt"
        path.write_text("\n".join(line.replace("|", "\t") for line in SPLIT_LINES), encoding="utf-8")
    else:
        path = make_tables.write_text_pdf(tmp_path / "split.pdf", SPLIT_LINES)
    data = _check_rows(capsys, path)
    assert data["rows"] == 3  # three indicators, not five
    problems = {p["indicator"]: p for p in data["problems"]}  # type: ignore[attr-defined]
    assert set(problems) == {"新建农村公路里程", "群众出行便利程度"}  # joined, and listed as repairs
    for problem in problems.values():
        (flag,) = problem["flags"]
        assert flag.startswith("repaired a row split over several lines")
    # nothing lost: every line is in the output, in order
    out_path = tmp_path / "checked.csv"
    run(capsys, "check", str(path), "-o", str(out_path), "--no-review")
    written = out_path.read_text(encoding="utf-8-sig").splitlines()
    assert sum("里程" in line for line in written) == 2  # the joined row's name, and its own line
    assert len(written) == len(SPLIT_LINES)


def test_a_table_row_split_by_a_page_break_in_a_ruled_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sheet = make_tables.self_evaluation()
    first = next(i for i, row in enumerate(sheet.rows) if row[3] == "整治村庄数量")
    rows = [list(r) for r in sheet.rows]
    piece = [None] * len(rows[first])
    rows[first][3], piece[3] = "整治村庄", "数量"  # the name's second line, as a row of its own
    rows.insert(first + 1, piece)
    merges = [(r1 + (r1 > first), c1, r2 + (r2 >= first), c2) for r1, c1, r2, c2 in sheet.merges]
    path = make_tables.write_pdf(tmp_path / "split.pdf", [make_tables.Sheet("自评表", rows, merges)])
    (table,) = _scored(capsys, path)
    (plain,) = _scored(capsys, make_tables.write_pdf(tmp_path / "plain.pdf", [sheet]))
    assert _essentials(table) == _essentials(plain)
    data = _check_rows(capsys, path)
    assert data["rows"] == len(make_tables.INDICATORS)
    joined = [p for p in data["problems"] if p["indicator"] == "整治村庄数量"]  # type: ignore[attr-defined]
    assert joined
    assert "repaired a row split" in joined[0]["flags"][0]


def test_the_seed_split_name_is_joined_into_its_row(capsys: pytest.CaptureFixture[str]) -> None:
    data = _check_rows(capsys, SEED)
    (row,) = [p for p in data["problems"] if p["where"].endswith("row 73")]  # type: ignore[attr-defined]
    assert row["indicator"] == "助力营商环境持续健康发展"  # as its 绩效指标描述 cell spells it
    assert "row 72" in row["flags"][0]
    assert "row 74" in row["flags"][0]
    assert not [p for p in data["problems"] if p["where"].endswith(("row 72", "row 74"))]  # type: ignore[attr-defined]


def test_a_row_without_a_value_is_not_joined(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A whole row whose value is missing (its 二级 a whole label) stays a row, reported as missing."""
    lines = [*SPLIT_LINES[:3], "|质量指标|验收合格率||||"]
    path = tmp_path / "missing.txt"
    path.write_text("\n".join(line.replace("|", "\t") for line in lines), encoding="utf-8")
    data = _check_rows(capsys, path)
    assert data["rows"] == 2
    assert any("missing value" in f for p in data["problems"] for f in p["flags"])  # type: ignore[attr-defined]


def test_a_csv_export_is_never_joined(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A CSV is most often a workbook's export: its merged cells are blank, so a row without a value
    is a row of its own there."""
    path = tmp_path / "export.csv"
    path.write_text("\n".join(line.replace("|", ",") for line in SPLIT_LINES), encoding="utf-8")
    data = _check_rows(capsys, path)
    assert data["rows"] == 5
