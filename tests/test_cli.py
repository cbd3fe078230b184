"""The command line, run for real on small Excel and CSV tables.

The tables are built from the seed table (tests/data/seed_targets.tsv, the user's real 2022 target
table) and a self-evaluation table that follows a real published one, by examples/make_examples.py
(the script that also writes examples/): in UTF-8 with and without BOM, in GB18030, as .xlsx with
merged cells, with a blank value, PDF noise, a row that cannot be read and published scores that
differ from the formula.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest

import targetexpr
from support import TESTS
from targetexpr import cli
from targetexpr.cli import args as cli_args
from targetexpr.cli import rows as cli_rows

EXAMPLES = TESTS.parent / "examples"


def _load_examples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _load_examples()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; returns (exit status, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def read_xlsx(path: Path, sheet: str | None = None) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def untouched(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def self_evaluation(tmp_path: Path) -> dict[str, Path]:
    """The example self-evaluation table as .xlsx (merged cells), UTF-8-BOM CSV and GB18030 CSV."""
    rows, merges = make.self_evaluation_table()
    xlsx = tmp_path / "自评表.xlsx"
    make.write_xlsx(xlsx, "自评表", rows, merges)
    bom = tmp_path / "自评表.csv"
    make.write_csv(bom, rows)
    gb = write_csv(tmp_path / "自评表-gb.csv", read_csv(bom), "gb18030")
    return {"xlsx": xlsx, "csv": bom, "gb18030": gb}


@pytest.fixture
def target_table(tmp_path: Path) -> dict[str, Path]:
    """The seed table: five projects in one sheet, as .xlsx and as UTF-8 CSV without BOM."""
    rows, merges = make.target_table()
    xlsx = tmp_path / "绩效目标表.xlsx"
    make.write_xlsx(xlsx, "绩效目标表", rows, merges)
    plain = write_csv(tmp_path / "绩效目标表.csv", rows, "utf-8")
    return {"xlsx": xlsx, "csv": plain}


# --- the examples of the README -------------------------------------------------------------------


def test_the_committed_examples_are_what_the_generator_writes(tmp_path: Path) -> None:
    for name, build in (("自评表", make.self_evaluation_table), ("绩效目标表", make.target_table)):
        rows, merges = build()
        fresh = tmp_path / f"{name}.xlsx"
        make.write_xlsx(fresh, name, rows, merges)
        assert read_xlsx(EXAMPLES / f"{name}.xlsx") == read_xlsx(fresh)
        make.write_csv(tmp_path / f"{name}.csv", rows)
        assert (EXAMPLES / f"{name}.csv").read_bytes() == (tmp_path / f"{name}.csv").read_bytes()


def test_the_readme_command_runs_from_a_console_script(tmp_path: Path) -> None:
    # The installed entry point, in a fresh process, as the README runs it.
    script = Path(sys.executable).with_name("targetexpr")
    result = subprocess.run(
        [str(script), "score", str(EXAMPLES / "自评表.xlsx"), "-o", "自评表-评分.xlsx", "--html", "report.html"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "total 94.84 of 100, published 95.2; grade 优" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert (tmp_path / "自评表-评分.xlsx").is_file()
    assert (tmp_path / "report.html").is_file()


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "targetexpr", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"targetexpr {targetexpr.__version__}"


@pytest.mark.parametrize("command", ["parse", "evaluate", "check", "score"])
def test_every_command_has_help_with_examples(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert f"targetexpr {command} " in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2
    assert "COMMAND" in out


# --- parse and evaluate ---------------------------------------------------------------------------


def test_parse_prints_canonical_form_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "parse", "≥40 ↑")
    assert code == 0
    canonical, as_json = out.splitlines()
    assert canonical == "≥40个"
    data = json.loads(as_json)
    assert data["written"] == "≥40 ↑"  # the cell as written, noise and all (#16)
    assert targetexpr.from_dict(data) == targetexpr.parse("≥40个")
    assert "repaired" in err  # the repair is reported, never silent


def test_parse_error_has_position_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "parse", ">70% ≥70%")
    assert code == 1
    assert out == ""
    assert "column 6" in err
    assert "^" in err


def test_evaluate_prints_verdict_and_score(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evaluate", "≤30 分钟", "0.4小时")
    assert code == 0
    assert "verdict:    met" in out
    code, out, _ = run(capsys, "evaluate", "≥95%", "90%", "--points", "10", "--json")
    data = json.loads(out)
    assert (data["met"], data["score"], data["completion"]) == (False, "9.47", "0.947368")


# --- check ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_check_the_seed_table(capsys: pytest.CaptureFixture[str], target_table: dict[str, Path], kind: str) -> None:
    path = target_table[kind]
    before = untouched(path)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1  # one row cannot be read, ten are flagged
    assert out.splitlines()[-1] == "41 target rows in 5 table(s): 33 measurable, 1 unreadable, 10 to review"
    # The merged 二级指标 cell (时效指标) is carried down in check as in score: both 时效 rows are flagged.
    assert "[营商环境宣传完成时效] '及时' → 及时" in out
    assert "'>70% ≥70%'" in out
    assert "column 6" in out
    assert "[涉及第三方评估各区政府、各市级部门(单位)] '≥40 ↑' → ≥40个" in out
    assert "[采购资金节约率] (blank)" in out
    assert "missing value" in out
    assert "a 时效指标 whose value is not measurable (qualitative)" in out
    assert untouched(path) == before


def test_check_all_prints_every_row(capsys: pytest.CaptureFixture[str], target_table: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "check", str(target_table["csv"]), "--all")
    assert code == 1
    lines = [line for line in out.splitlines() if line[:1] in "✓!✗"]
    assert len(lines) == 41  # every target row, read or not
    assert "✓ 绩效目标表.csv row 7 [主题场景业务流程再造] '15 个' → 15个" in out


def test_check_exit_status_follows_fail_on(capsys: pytest.CaptureFixture[str], target_table: dict[str, Path]) -> None:
    path = str(target_table["csv"])
    assert run(capsys, "check", path, "--fail-on", "errors")[0] == 1
    assert run(capsys, "check", path, "--fail-on", "never")[0] == 0
    clean = write_csv(
        target_table["csv"].with_name("clean.csv"),
        [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训次数", "≥50 次"]],
        "utf-8",
    )
    assert run(capsys, "check", str(clean), "--no-review")[0] == 0
    assert run(capsys, "check", str(clean))[0] == 1  # the review: no 效益, 满意度 or 成本 indicator (errors)


def test_check_output_keeps_every_row_and_column(
    capsys: pytest.CaptureFixture[str], target_table: dict[str, Path], tmp_path: Path
) -> None:
    source = read_xlsx(target_table["xlsx"])
    out = tmp_path / "检查结果.xlsx"
    code, _, _ = run(capsys, "check", str(target_table["xlsx"]), "-o", str(out))
    assert code == 1
    result = read_xlsx(out, "绩效目标表")
    assert len(result) == len(source)
    for before, after in zip(source, result, strict=True):
        assert after[: len(before)] == before  # every input cell, unchanged, in order
    headers = [r for r in result if r[0] == "一级指标"]
    assert len(headers) == 5
    assert all(tuple(h[5:]) == cli_args.columns(cli.CHECK_COLUMNS) for h in headers)  # English: TARGETEXPR_LANG
    by_indicator = {r[2]: r for r in result if r[2] and r[0] != "一级指标"}
    assert by_indicator["涉及第三方评估各区政府、各市级部门(单位)"][5:8] == ["≥40个", "comparison", "to review"]
    assert by_indicator["采购资金节约率"][7] == "to review"
    assert by_indicator["服务对象满意度"][7] == "unreadable"
    assert "column 6" in by_indicator["服务对象满意度"][9]
    assert by_indicator["第三方资质达标率"][5:8] == ["100%", "single value", "passed"]


def test_check_json(capsys: pytest.CaptureFixture[str], target_table: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "check", str(target_table["csv"]), "--json")
    data = json.loads(out)
    assert code == 1
    assert (data["tables"], data["rows"], data["errors"], data["flagged"]) == (5, 41, 1, 10)
    assert {p["indicator"] for p in data["problems"] if p["error"]} == {"服务对象满意度"}


def test_check_flags_units_that_do_not_fit_the_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "质量指标", "验收合格率", "≥120%"],
            ["产出指标", "成本指标", "培训费用", "≤20次"],
            ["产出指标", "质量指标", "完成率", "≥105%"],
        ],
        "utf-8",
    )
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "120% is above 100%, which a 合格率 cannot be" in out
    assert "the unit 次 does not fit the indicator name (…费用: money)" in out
    assert "完成率] '≥105%'" not in out  # a completion rate may exceed 100%


# --- score ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv", "gb18030"])
def test_score_the_self_evaluation(
    capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path], kind: str
) -> None:
    code, out, _ = run(capsys, "score", str(self_evaluation[kind]), "--json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    assert table["title"] == "基本公共卫生服务项目"
    assert table["year"] == 2022
    assert [(s["level1"], s["points"], s["score"], s["published_score"]) for s in table["subtotals"]] == [
        ("预算执行率", "10", "9.70", "9.7"),  # the funding row above the table, scored
        ("产出指标", "50", "48.36", "48.5"),
        ("效益指标", "30", "27.00", "28"),
        ("满意度指标", "10", "9.78", "9"),
    ]
    assert (table["total"], table["total_points"], table["published_total"], table["grade"]) == (
        "94.84",
        "100",
        "95.2",
        "优",
    )
    assert table["counts"] == {
        "rows": 15,
        "met": 9,
        "partial": 1,
        "not_met": 4,
        "no_verdict": 0,
        "differs": 5,
        "errors": 0,
    }


def test_score_output_rows(
    capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path], tmp_path: Path
) -> None:
    source_path = self_evaluation["xlsx"]
    before = untouched(source_path)
    source = read_xlsx(source_path)
    out = tmp_path / "评分.xlsx"
    assert run(capsys, "score", str(source_path), "-o", str(out))[0] == 0
    result = read_xlsx(out, "自评表")
    assert len(result) == len(source)
    for a, b in zip(source, result, strict=True):
        assert b[: len(a)] == a
    header = next(r for r in result if r[0] == "一级指标")
    assert tuple(header[8:]) == cli_args.columns(cli.SCORE_COLUMNS)
    rows = {r[2]: dict(zip(cli.SCORE_COLUMNS, r[8:], strict=True)) for r in result if r[2]}
    first = rows["居民健康档案建档人数"]
    assert (first["规范指标值"], first["判定"], first["完成率"], first["公式得分"], first["填报得分不一致"]) == (
        "≥38508人",
        "not met",
        "97.23%",
        4.86,  # a number, which Excel can sum
        "yes",
    )
    assert rows["项目总成本"]["判定"] == "met"
    assert "反向" in rows["项目总成本"]["说明"]
    assert rows["基层医疗卫生服务能力"]["判定"] == "partly met"
    funding = next(r for r in result if r[0] == "年度资金总额")
    assert funding[11] == 9.7
    assert "97.00%" in funding[13]
    summary = read_xlsx(out, "score summary")
    assert [summary[5][2], *summary[5][3:6]] == ["total", 100, 94.84, 95.2]
    assert untouched(source_path) == before


def test_score_csv_and_json_outputs(
    capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path], tmp_path: Path
) -> None:
    source = read_csv(self_evaluation["gb18030"], "gb18030")
    assert run(capsys, "score", str(self_evaluation["gb18030"]), "-o", str(tmp_path / "o.csv"))[0] == 0
    result = read_csv(tmp_path / "o.csv")  # written as UTF-8 with BOM, which Excel opens
    assert [r[: len(s)] for r, s in zip(result, source, strict=True)] == source
    assert run(capsys, "score", str(self_evaluation["csv"]), "-o", str(tmp_path / "o.json"))[0] == 0
    data = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert [r["row"] for r in data["rows"]] == list(range(1, len(source) + 1))
    assert data["tables"][0]["total"] == "94.84"
    row8 = data["rows"][7]
    assert row8["cells"][2] == "居民健康档案建档人数"
    assert row8["results"]["公式得分"] == "4.86"


def test_a_row_that_cannot_be_read_gets_its_error_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "培训次数", "≥50 次", "52次", "40", "40"],
            ["", "质量指标", "满意度", ">70% ≥70%", "80%", "30", "30"],
            ["", "", "覆盖人数", "≥100人", "", "20", "0"],
            ["效益指标", "社会效益指标", "群众满意度", "≥90%", "95%", "10", "10"],
        ],
        "utf-8",
    )
    out = tmp_path / "o.csv"
    code, text, _ = run(capsys, "score", str(path), "-o", str(out))
    assert code == 0
    rows = read_csv(out)
    assert len(rows) == 5
    assert rows[1][10] == "40.00"
    assert rows[4][10] == "10.00"
    assert "column 6" in rows[2][13]  # the 错误 column
    assert rows[3][8] == "no verdict"
    assert "no actual" in rows[3][12]
    assert "total 50.00 of 100" in text


def test_two_tables_in_one_sheet_and_a_total_row_that_disagrees(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["项目名称", "2021年度甲项目"],
            header,
            ["产出指标", "数量指标", "培训次数", "≥50 次", "40次", "100", "90"],
            ["总分", "", "", "", "", "100", "85"],
            ["项目名称", "2022年度乙项目"],
            header,
            ["满意度指标", "满意度指标", "满意度", "≥90%", "95%", "100", "100"],
        ],
        "utf-8",
    )
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    first, second = json.loads(out)["tables"]
    assert (first["title"], first["year"], first["total"], first["published_total"]) == (
        "2021年度甲项目",
        2021,
        "80.00",
        "90",
    )
    assert any("states 85" in w for w in first["warnings"])
    assert (second["title"], second["year"], second["total"]) == ("2022年度乙项目", 2022, "100.00")


def test_tables_on_two_sheets(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "甲"
    second = workbook.create_sheet("乙")
    for sheet, actual in ((first, "60次"), (second, "30次")):
        sheet.append(["三级指标", "指标值", "实际完成值", "分值"])
        sheet.append(["培训次数", "≥60 次", actual, 100])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    tables = json.loads(out)["tables"]
    assert [(t["sheet"], t["total"]) for t in tables] == [("甲", "100.00"), ("乙", "50.00")]
    code, out, _ = run(capsys, "score", str(path), "--sheet", "乙", "--json")
    assert [t["sheet"] for t in json.loads(out)["tables"]] == ["乙"]


def test_merged_cells_inherit_and_excel_types_are_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际值", "权重"])
    sheet.append(["产出指标", "时效指标", "完成时间", "2022年12月31日前", datetime.datetime(2022, 12, 20), 30])
    sheet.append([None, None, "及时率", "≥95%", 0.973, 30])
    sheet.append(["满意度指标", "满意度指标", "满意度", "≥90%", 0.88, 40])
    sheet["E3"].number_format = "0.0%"
    sheet["E4"].number_format = "0%"
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    path = tmp_path / "m.xlsx"
    workbook.save(path)
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    assert [(s["level1"], s["score"]) for s in table["subtotals"]] == [("产出指标", "60.00"), ("满意度指标", "39.11")]


def test_split_comparator_and_unit_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Yunnan tables: 指标性质 | 指标值 | 度量单位 (l.2 of the corpus: ≧ / 735 / 人次).
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值"],
            ["产出指标", "数量指标", "学生受资助人数", "≧", "735", "人次", "700", "10"],
        ],
        "utf-8",
    )
    out = tmp_path / "o.csv"
    assert run(capsys, "score", str(path), "-o", str(out))[0] == 0
    row = read_csv(out)[1]
    assert row[8:12] == ["≥735人次", "not met", "95.24%", "9.52"]


def test_column_overrides(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["名称", "目标", "实际"], ["培训次数", "≥10次", "12次"]], "utf-8")
    code, _, err = run(capsys, "score", str(path))
    assert code == 2
    assert "no table found" in err
    assert "--column" in err
    code, out, _ = run(
        capsys,
        "score",
        str(path),
        "--column",
        "indicator=名称",
        "--column",
        "target=目标",
        "--column",
        "actual=实际",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["tables"][0]["counts"]["met"] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.xls", b"\xd0\xcf\x11\xe0", "not an Excel 97-2003 (.xls) workbook"),
        ("t.ods", b"x", "not an OpenDocument spreadsheet"),
        ("t.doc", b"x", "a table must be .xlsx, .xls, .ods, .docx, .pdf or .csv"),
        ("t.xlsx", b"not a zip file", "not a readable Excel workbook"),
        ("t.csv", "三级指标,指标值\n培训,≥5次\n".encode() + b"\xff\xfe\xff\n", "pass --encoding"),
    ],
)
def test_unreadable_files_are_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(capsys, "score", str(path), "-o", str(tmp_path / "o.xlsx"))
    assert code == 2
    assert message in err
    assert err.startswith("error: ")
    assert not (tmp_path / "o.xlsx").exists()


def test_missing_file_and_output_over_input(
    capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path]
) -> None:
    code, _, err = run(capsys, "check", "/nonexistent/t.csv")
    assert code == 2
    assert "no such file" in err
    path = self_evaluation["csv"]
    before = untouched(path)
    code, _, err = run(capsys, "score", str(path), "-o", str(path))
    assert code == 2
    assert "overwrite the input" in err
    assert untouched(path) == before


def test_an_interrupted_run_leaves_no_output(
    capsys: pytest.CaptureFixture[str],
    self_evaluation: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from targetexpr.cli import outputs as _outputs

    calls = 0
    original = _outputs.CsvWriter.row

    def interrupted(self: Any, *args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 10:
            raise KeyboardInterrupt
        original(self, *args)

    monkeypatch.setattr(_outputs.CsvWriter, "row", interrupted)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, _, err = run(capsys, "score", str(self_evaluation["csv"]), "-o", str(out_dir / "o.csv"))
    assert code == 130
    assert "interrupted" in err
    assert list(out_dir.iterdir()) == []  # neither the output nor its temporary file


def test_html_report(capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path], tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert run(capsys, "score", str(self_evaluation["xlsx"]), "--html", str(report))[0] == 0
    tree = ET.parse(report)  # well-formed XHTML
    ns = {"h": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/2000/svg"}
    text = "".join(tree.getroot().itertext())
    assert "94.84" in text
    assert "95.2" in text
    assert "优" in text
    assert "基本公共卫生服务项目" in text
    bars = tree.findall(".//s:rect", ns)
    assert len(bars) == 15  # one bar per scored row: 14 indicators and the funding row
    labels = [t.text for t in tree.findall(".//s:text", ns)]
    assert "居民健康档案建档人数" in labels
    assert "97.2%" in labels
    colours = {r.get("fill") for r in bars}
    assert {"#2e7d32", "#f29900", "#c62828"} <= colours
    review = tree.find(".//h:table[@class='rows']", ns)
    assert review is not None
    listed = [row.findall("h:td", ns)[1].text for row in review.findall("h:tr", ns)[1:]]
    assert listed == [
        "居民健康档案建档人数",
        "老年人健康体检人数",
        "严重精神障碍患者管理人数",
        "基层医疗卫生服务能力",
        "群众满意度",
    ]
    # Self-contained: no script, nothing loaded from elsewhere.
    assert "<script" not in report.read_text(encoding="utf-8")
    assert tree.findall(".//*[@src]") == []
    assert tree.findall(".//*[@href]") == []


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    items = iter(())
    assert cli_rows._progress(items=items, quiet=False, what="x") is items  # stderr is captured: no bar
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = cli_rows._progress(items=iter(()), quiet=False, what="x")
    assert "tqdm" in bar.gi_code.co_filename  # type: ignore[attr-defined]
    assert cli_rows._progress(items=items, quiet=True, what="x") is items


def test_large_csv_streams(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Rows are written as they are scored: the output has every row of a 20,000-row file, in order.
    rows = [["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值"]]
    rows += [["产出指标", "数量指标", f"指标{i}", f"≥{i % 90 + 1}个", f"{i % 97}个", "1"] for i in range(20_000)]
    path = write_csv(tmp_path / "big.csv", rows, "utf-8")
    out = tmp_path / "o.csv"
    assert run(capsys, "score", str(path), "-o", str(out), "--quiet")[0] == 0
    result = read_csv(out)
    assert len(result) == len(rows)
    assert [r[2] for r in result[1:]] == [r[2] for r in rows[1:]]


def test_environment_has_no_effect_on_output_encoding(self_evaluation: dict[str, Path], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gb18030", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "targetexpr", "score", str(self_evaluation["csv"]), "-o", str(tmp_path / "o.csv")],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert read_csv(tmp_path / "o.csv")[7][11] == "4.86"


def test_utf16_tab_separated_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
    path = tmp_path / "export.txt"
    path.write_text("三级指标\t指标值\t实际完成值\t分值\n培训次数\t≥5次\t6次\t100\n", encoding="utf-16")
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    assert json.loads(out)["tables"][0]["total"] == "100.00"


def test_a_header_repeated_after_a_page_break_continues_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"]
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["项目名称", "2022年度甲项目"],
            header,
            ["产出指标", "数量指标", "★培训人数", "", "", "40", "40"],
            ["", "", "其中:线上", "≥100人", "120人", "", ""],
            header,  # a PDF page break, converted to a second header row
            ["", "", "其中:线下", "≥50人", "25人", "", ""],
            ["满意度指标", "满意度指标", "满意度", "≥90%", "95%", "60", "60"],
        ],
        "utf-8",
    )
    out = tmp_path / "o.csv"
    code, text, _ = run(capsys, "score", str(path), "-o", str(out), "--json")
    assert code == 0
    (table,) = json.loads(text)["tables"]  # one table, not two
    assert [(s["level1"], s["score"]) for s in table["subtotals"]] == [("产出指标", "30.00"), ("满意度指标", "60.00")]
    rows = read_csv(out)
    assert [r[:7] for r in rows] == read_csv(path, "utf-8")  # every row, in order
    assert rows[4][7:] == list(cli_args.columns(cli.SCORE_COLUMNS))  # the repeated header gets the names again
    assert rows[2][10] == "30.00"  # the parent row, scored from its sub-rows on both pages
    assert rows[5][8] == "not met"


def test_an_excel_output_is_a_copy_of_the_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl.styles import Font, PatternFill

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "自评表"
    sheet.append(["2022年度项目支出绩效自评表"])
    sheet.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "备注"])
    sheet.append(["产出指标", "数量指标", "培训次数", "≥50次", "52次", 50, "=F3*2"])
    sheet.append([None, None, "培训人数", "≥100人", "90人", 50, None])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("A1:G1")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFDDEEFF")
    sheet.column_dimensions["C"].width = 30
    notes = workbook.create_sheet("填报说明")
    notes.append(["分值合计 100 分"])
    source = tmp_path / "in.xlsx"
    workbook.save(source)
    out = tmp_path / "out.xlsx"
    assert run(capsys, "score", str(source), "-o", str(out))[0] == 0
    result = openpyxl.load_workbook(out)
    scored = result["自评表"]
    assert result.sheetnames == ["自评表", "填报说明", "score summary"]
    assert sorted(str(r) for r in scored.merged_cells.ranges) == ["A1:G1", "A3:A4"]
    assert scored["G3"].value == "=F3*2"  # formulas stay formulas
    assert scored["A2"].font.bold
    assert scored["A2"].fill.fgColor.rgb == "FFDDEEFF"
    assert scored.column_dimensions["C"].width == 30
    assert [c.value for c in scored[2]][7:] == list(cli_args.columns(cli.SCORE_COLUMNS))
    assert scored["H2"].font.bold
    assert [scored.cell(3, 11).value, scored.cell(4, 11).value] == [50, 45]  # 公式得分, as numbers
    assert result["填报说明"]["A1"].value == "分值合计 100 分"


def test_outputs_get_the_usual_permissions(
    capsys: pytest.CaptureFixture[str], self_evaluation: dict[str, Path], tmp_path: Path
) -> None:
    # The temporary file behind an atomic write is private (0600); the published file is not.
    mask = os.umask(0o022)
    try:
        out, report = tmp_path / "o.xlsx", tmp_path / "r.html"
        assert run(capsys, "score", str(self_evaluation["xlsx"]), "-o", str(out), "--html", str(report))[0] == 0
        assert (out.stat().st_mode & 0o777, report.stat().st_mode & 0o777) == (0o644, 0o644)
    finally:
        os.umask(mask)


def test_traditional_script_headers(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [
            ["一級指標", "三級指標", "指標值", "實際完成值", "權重", "自評得分"],
            ["產出指標", "培訓人數", "≥100人", "120人", "100", "100"],
        ],
        "utf-8",
    )
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    (table,) = json.loads(out)["tables"]
    assert [(s["level1"], s["score"], s["published_score"]) for s in table["subtotals"]] == [
        ("产出指标", "100.00", "100")
    ]
