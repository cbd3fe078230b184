"""Layouts (#13): the national template, two-row headers, merged cells, skipped sheets and the seed's
broken PDF text read the same way by ``check`` and ``score``, in every format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fixtures import make_tables
from fixtures.make_tables import INDICATORS, Pct
from targetexpr.cli import main
from targetexpr.cli.layout import match_header
from targetexpr.cli.sheets import cell_text

SEED = Path(__file__).parent / "data" / "seed_000_81dbeea5216f0dac.txt"
FORMATS = [".xlsx", ".ods", ".docx", ".pdf"]  # .xls: no number formats (a bare fraction, flagged below)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("layouts")
    paths = make_tables.write_all(directory)
    paths[".csv"] = plain_csv(directory / "plain.csv")
    return paths


def plain_csv(path: Path) -> Path:
    """The same indicator table as a plain CSV: the funding row, one header row, no merged cells."""

    def text(value: object) -> str:
        return cell_text(value.value, True) if isinstance(value, Pct) else cell_text(value)

    rows = [
        ["项目名称", "城乡社区环境整治"],
        ["项目资金", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "400", "400", "380", "10", "95%", "9.5"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        *[[l1, l2, name, text(t), text(a), text(p), text(s), r] for l1, l2, name, t, a, p, s, r in INDICATORS],
        ["总分", "", "", "", "", "100", "99"],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def scored(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0
    tables: list[dict[str, object]] = json.loads(out)["tables"]
    return tables


def essentials(table: dict[str, object]) -> tuple[object, ...]:
    subtotals = [(s["level1"], s["score"], s["points"]) for s in table["subtotals"]]  # type: ignore[attr-defined]
    return table["total"], table["total_points"], table["grade"], table["counts"], subtotals


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_layout_and_format_scores_as_the_plain_csv(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], suffix: str
) -> None:
    (plain,) = scored(capsys, files[".csv"])
    tables = scored(capsys, files[suffix])
    assert len(tables) == 2  # the one-row and the two-row header; 填报说明 is skipped
    for table in tables:
        assert essentials(table) == essentials(plain)
        assert table["project"] == "城乡社区环境整治"
        assert table["department"] == "某市住房和城乡建设局"
        assert table["implementer"] == "某市市政工程管理处"
        assert table["year"] == 2022
    assert essentials(plain)[0] == "99.50"
    assert plain["grade"] == "优"


@pytest.mark.parametrize("suffix", [*FORMATS, ".xls"])
def test_check_reads_every_indicator_and_lists_the_skipped_sheet(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], suffix: str
) -> None:
    code, out, _ = run(capsys, "check", str(files[suffix]), "--json")
    data = json.loads(out)
    assert data["tables"] == 2
    assert data["rows"] == 2 * len(INDICATORS)
    assert len(data["skipped_sheets"]) == 1  # 填报说明 (表3, 第3页)
    assert [t["header_rows"] for t in data["layouts"]] == [1, 2]
    names = {p["indicator"] for p in data["problems"]}
    assert "绩效指标" not in names
    assert "" not in names
    if suffix == ".xls":  # 0.93 without its % format: flagged, loudly
        assert any("bare fraction" in f for p in data["problems"] for f in p["flags"])
        assert code == 1  # flagged rows fail check by default
    code, out, _ = run(capsys, "check", str(files[suffix]))
    assert "skipped (no table; copied as they are)" in out


def test_the_seed_text_has_five_tables_with_their_projects(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(SEED), "--json", "--all")
    data = json.loads(out)
    assert code == 1  # seven rows to review (≥40 ↑ repaired, 及时 for a 时效指标, a split row joined)
    assert (data["errors"], data["flagged"]) == (0, 7)
    assert data["tables"] == 5
    assert data["rows"] == 43  # the two lines of a split name are joined into their row (#13)
    assert [t["project"] for t in data["layouts"]] == [
        "2022 年度信息系统运维项目",
        "2022 年度运行保障项目",
        "2022 年度营商环境建设项目",
        "2022 年度政府采购招投标及协议供货(含电商平台)代理服务项目",
        "2022 年度政务服务改革项目",
    ]
    assert all(t["year"] == 2022 and t["department"] == "天津市人民政府政务服务办公室" for t in data["layouts"])
    guesses = " ".join(g for t in data["layouts"] for g in t["guessed"])
    assert "'指核 | 示 值' (columns 6–7) read as 指标值: near spelling" in guesses
    code, out, _ = run(capsys, "check", str(SEED), "--all")
    for line in ("[专线租赁数] '2条' → 2条", "[申请人满意度] '≥95%' → ≥95%", "[企业群众办 事满意度] '≥90%' → ≥90%"):
        assert line in out
    assert out.count("✓ ") + out.count("! ") + out.count("✗ ") >= 43


def test_broken_headers_are_matched_on_joined_cells_not_on_the_seed_strings() -> None:
    header = match_header(["一级指标", "二级指标", "三级指标", "绩效", "指标描述", "指 标", "值"])
    assert header is not None
    assert header.columns["target"] == 5
    assert header.spans["target"] == 6
    assert header.columns["description"] == 3
    assert match_header(["指核", "示 值"]) is None  # a near spelling alone never makes a header


def test_two_row_header_joins_each_unit_to_its_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "", "实际完成值", "", "分值"],
        ["", "", "", "目标值", "单位", "完成值", "单位", ""],
        ["产出指标", "数量指标", "受益人数", "2.5", "万人", "24600", "人", "10"],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (table,) = scored(capsys, path)
    assert table["counts"]["rows"] == 1  # type: ignore[index]
    assert table["counts"]["not_met"] == 1  # type: ignore[index]  # 24600人 of 2.5万人 is 98.4%, not a million percent
    _code, out, _ = run(capsys, "check", str(path), "--all")
    assert "'2.5万人' → 2.5万人" in out
    assert out.splitlines()[-1].startswith("1 target rows in 1 table(s)")


def test_column_override_wins_over_the_spanning_label(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    rows = [
        ["绩效指标", "一级", "二级", "名称", "三级指标", "年度指标值"],
        ["绩效指标", "产出指标", "数量指标", "培训次数", "备注", "≥50次"],
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    code, out, _ = run(capsys, "check", str(path), "--all", "--column", "indicator=名称", "--no-review")
    assert code == 0
    assert "[培训次数] '≥50次'" in out


def test_check_and_score_agree_on_merged_cells(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    # 二级指标 merged over two rows: both rows of 数量指标 are read as 数量指标 in check.
    code, out, _ = run(
        capsys, "check", str(files[".xlsx"]), "--json", "--no-review"
    )  # the review: no 成本指标 (an error)
    data = json.loads(out)
    assert data["errors"] == 0
    assert code == 0
    code, out, _ = run(capsys, "score", str(files[".xlsx"]), "--json")
    assert json.loads(out)["skipped_sheets"] == ["填报说明"]


def test_unknown_layout_says_what_was_expected_and_found(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text("一级指标,二级指标,三级指标,说明\n产出指标,数量指标,培训次数,无\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code != 0
    assert "no table found" in err
    assert "row 1" in err
    assert "三级指标 → indicator" in err


def test_an_unreadable_target_makes_check_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("三级指标,指标值\n满意度,>70% ≥70%\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "1 unreadable" in out
