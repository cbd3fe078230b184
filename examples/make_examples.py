"""Write the example tables of examples/ (run from the repository root; needs the [cli] extra).

* ``绩效目标表.xlsx`` / ``绩效目标表.csv``: the five projects of the user's real 2022 target table
  (天津市人民政府政务服务办公室, tests/data/seed_targets.tsv), one after another in one sheet, each
  with its 项目名称 and 预算数 rows, merged 一级/二级 cells, and the values as the PDF text layer gave
  them (``≥40 ↑``, ``2022年12月 月 31 日前``, a blank cell, ``>70% ≥70%``).  For ``targetexpr check``.
* ``自评表.xlsx`` / ``自评表.csv``: a self-evaluation table in the national template (2022): the
  funding block (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分), the indicator rows with their
  actuals, points and published scores, merged cells and a 总分 row.  Its indicators and figures
  follow a real published table (tests/data/real_targets.tsv, the 基本公共卫生服务 rows), trimmed to
  100 points.  For ``targetexpr score``.

The CSV files are what Excel's "save as CSV UTF-8" writes: merged cells become blank cells.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "tests" / "data" / "seed_targets.tsv"
FIXED_TIME = datetime.datetime(2023, 3, 1, 9, 0, 0)

BUDGETS = {
    "信息系统运维": ("2022 年度信息系统运维项目", "400.00"),
    "运行保障": ("2022 年度运行保障项目", "856.80"),
    "营商环境建设": ("2022 年度营商环境建设项目", "70.00"),
    "政府采购代理服务": ("2022 年度政府采购招投标及协议供货(含电商平台)代理服务项目", "680.00"),
    "政务服务改革": ("2022 年度政务服务改革项目", "403.20"),
}

SELF_EVALUATION: list[list[object]] = [
    # 一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施
    ["产出指标", "数量指标", "居民健康档案建档人数", "≥38508人", "37442人", 5, 5, "部分居民外出务工"],
    ["", "", "发放健康教育资料种类", "不少于12 种", "14种", 5, 5, ""],
    ["", "", "老年人健康体检人数", "5662人", "4044人", 5, 3.6, "老年人外出,体检人数未达标"],
    ["", "", "严重精神障碍患者管理人数", "≥212人", "209人", 5, 4.9, ""],
    ["", "质量指标", "适龄儿童疫苗接种率", "≥95%", "97.30%", 5, 5, ""],
    ["", "", "高血压患者规范管理率", "≥60%", "63.5%", 5, 5, ""],
    ["", "时效指标", "资金拨付及时率", "100%", "100%", 5, 5, ""],
    ["", "", "项目完成时间", "2022年12月31日前", "2022年12月20日", 5, 5, ""],
    ["", "成本指标", "人均基本公共卫生服务补助标准", "≥84元", "84元", 5, 5, ""],
    ["", "", "项目总成本", "≤210万元", "201.2302万元", 5, 5, ""],
    ["效益指标", "社会效益指标", "传染病疫情报告及时率", "≥95%", "100%", 10, 10, ""],
    ["", "", "居民健康素养水平", "有所提高", "有所提高", 10, 10, ""],
    ["", "可持续影响指标", "基层医疗卫生服务能力", "持续提升", "基本达成", 10, 8, "设备更新滞后"],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "88%", 10, 9, "宣传不足"],
]
SELF_EVALUATION_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def _seed_rows() -> dict[str, list[list[str]]]:
    projects: dict[str, list[list[str]]] = {}
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "project\t")) or not line.strip():
            continue
        project, level1, level2, indicator, target = line.split("\t")[:5]
        projects.setdefault(project, []).append([level1, level2, indicator, indicator, target])
    return projects


def target_table() -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """The rows of the target table and the ranges to merge (first row, first col, last row, last col)."""
    rows: list[list[object]] = [
        ["天津市人民政府政务服务办公室 项目支出绩效目标表(2022年)", "", "", "", ""],
        ["319101 天津市人民政府政务服务办公室", "", "", "", "单位:万元"],
    ]
    merges = [(1, 1, 1, 5)]
    for project, indicators in _seed_rows().items():
        name, budget = BUDGETS[project]
        rows.append(["项目名称", name, "", "", ""])
        rows.append(["预算规模及资金用途", "预算数", budget, "其中:财政资金", budget])
        rows.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"])
        merges += _merged_labels(indicators, len(rows) + 1)
        rows += _blank_repeats(indicators)
    return rows, merges


def _blank_repeats(rows: list[list[object]]) -> list[list[object]]:
    """What a merged 一级/二级 cell reads as: the value in the first row, blank below it."""
    out: list[list[object]] = []
    previous: list[object] = ["", ""]
    for row in rows:
        shown = list(row)
        for col in (0, 1):
            if row[col] == previous[col] and (col == 0 or row[0] == previous[0]):
                shown[col] = ""
        previous = row[:2]
        out.append(shown)
    return out


def _merged_labels(rows: list[list[object]], first_row: int) -> list[tuple[int, int, int, int]]:
    merges = []
    for col in (0, 1):
        start = 0
        for i in range(1, len(rows) + 1):
            ended = i == len(rows) or rows[i][col] != rows[start][col] or (col == 1 and rows[i][0] != rows[start][0])
            if ended:
                if i - start > 1:
                    merges.append((first_row + start, col + 1, first_row + i - 1, col + 1))
                start = i
    return merges


def self_evaluation_table() -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    full = []
    level1 = level2 = ""
    for row in SELF_EVALUATION:
        level1 = str(row[0]) or level1
        level2 = str(row[1]) or (level2 if not row[0] else "")
        full.append([level1, level2, *row[2:]])
    rows: list[list[object]] = [
        ["2022年度项目支出绩效自评表", "", "", "", "", "", "", ""],
        ["项目名称", "基本公共卫生服务项目", "", "", "", "", "", ""],
        ["主管部门", "县卫生健康委员会", "", "", "实施单位", "城关镇卫生院", "", ""],
        ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "", 207.4538, 207.4538, 201.2302, 10, 0.97, 9.7],
        ["年度总体目标", "为辖区居民提供基本公共卫生服务", "", "", "", "", "", ""],
        SELF_EVALUATION_HEADER,
    ]
    merges = [(1, 1, 1, 8), (4, 1, 4, 2), (5, 1, 5, 2)]
    merges += _merged_labels(full, len(rows) + 1)
    rows += [list(r) for r in SELF_EVALUATION]
    rows.append(["总分", "", "", "", "", 100, 95.2, ""])
    return rows, merges


def write_xlsx(path: Path, title: str, rows: list[list[object]], merges: list[tuple[int, int, int, int]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    for r1, c1, r2, c2 in merges:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        sheet.cell(r1, c1).alignment = Alignment(vertical="center", wrap_text=True)
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == 0.97:
                cell.number_format = "0%"  # the 执行率 cell, as Excel shows it
    sheet["A1"].font = Font(bold=True, size=14)
    for column, width in zip("ABCDEFGH", (14, 16, 30, 18, 16, 8, 8, 24), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.creator = "targetexpr examples"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(path)


def write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        for row in rows:
            writer.writerow(["97%" if v == 0.97 else v for v in row])


def main() -> None:
    rows, merges = target_table()
    write_xlsx(HERE / "绩效目标表.xlsx", "绩效目标表", rows, merges)
    write_csv(HERE / "绩效目标表.csv", rows)
    rows, merges = self_evaluation_table()
    write_xlsx(HERE / "自评表.xlsx", "自评表", rows, merges)
    write_csv(HERE / "自评表.csv", rows)
    print("written:", ", ".join(p.name for p in sorted(HERE.glob("*.xlsx")) + sorted(HERE.glob("*.csv"))))


if __name__ == "__main__":
    main()
