"""The command line speaks Chinese by default and English with --lang en (#16): its help, its lines,
the columns it adds, the HTML report; the language comes from --lang, TARGETEXPR_LANG or the locale.

The cells that echo the user's table are taken out of the text before it is scanned for English
words. ``check``'s printed lines and the Chinese report are scanned whole, the library's messages
(flags, parse errors, findings, reasons) included.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest

from support import TESTS
from targetexpr import cli
from targetexpr.cli.lang import choose_language

EXAMPLES = TESTS.parent / "examples"
LOCALE = TESTS.parent / "src" / "targetexpr" / "locale" / "zh" / "LC_MESSAGES"
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: What may stay in Latin letters in Chinese output: the program's name, file names and their
#: extensions, the documents the report points to, and "PDF" (a Chinese officer writes it so).
_ALLOWED = re.compile(r"targetexpr(?: [0-9][^ ]*)?|\S*\.(?:xlsx|csv|html|json|md)\b|docs/\S+|/\S+|\bPDF\b")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def english_words(text: str, echoed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The English words of ``text`` once the user's own cells (``echoed``) and the allowed names
    are taken out."""
    for cell in sorted(echoed, key=len, reverse=True):
        if cell:
            text = text.replace(cell, " ")
    return _ENGLISH.findall(_ALLOWED.sub(" ", text))


def table_cells(path: Path) -> set[str]:
    """Every cell of an example workbook, as text (what the output may echo)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = {str(v).strip() for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row if v}
    workbook.close()
    return cells | {c.replace(" ", "") for c in cells}


# --- choosing the language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, "zh"),
        (["--lang", "en", "check", "x.csv"], {}, "en"),
        (["check", "x.csv", "--lang", "en"], {}, "en"),
        (["check", "x.csv", "--lang=zh_CN"], {"TARGETEXPR_LANG": "en"}, "zh"),
        (["check", "--", "--lang", "en"], {}, "zh"),  # after --, a file name
        ([], {"TARGETEXPR_LANG": "en_US.UTF-8"}, "en"),
        ([], {"LANG": "en_GB.UTF-8"}, "en"),
        ([], {"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ([], {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "zh"),  # the first one set decides: C says nothing
        ([], {"LC_ALL": "POSIX"}, "zh"),
        ([], {"LANG": "fr_FR.UTF-8"}, "zh"),
        ([], {"TARGETEXPR_LANG": "klingon", "LANG": "en_US"}, "en"),
    ],
)
def test_the_language_of_a_run(argv: list[str], environ: dict[str, str], expected: str) -> None:
    assert choose_language(argv, environ) == expected


def test_the_locale_decides_without_lang_or_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run(capsys, "evaluate", "≥95%", "97%")[1].startswith("target:")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert run(capsys, "evaluate", "≥95%", "97%")[1].startswith("指标值:")


def test_an_unknown_language_is_refused_in_the_language_of_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--lang", "fr", "evaluate", "≥95%", "97%"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "'fr'" in err
    assert "is not a language targetexpr speaks" in err  # TARGETEXPR_LANG=en in the tests
    with pytest.raises(SystemExit):
        cli.main(["evaluate", "≥95%", "97%", "--lang", "fr", "--lang", "zh"])  # the last --lang counts
    assert "错误" in capsys.readouterr().err


@pytest.mark.parametrize("command", [None, "parse", "evaluate", "check", "score"])
def test_help_speaks_chinese_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str | None
) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG")
    monkeypatch.setenv("LC_ALL", "C")
    argv = [command] if command else []
    with pytest.raises(SystemExit):
        cli.main([*argv, "--help"])
    chinese = capsys.readouterr().out
    assert chinese.startswith("用法:")
    assert "选项:" in chinese
    assert "显示本帮助并退出" in chinese
    if command:
        assert "示例:" in chinese
    # Beside option names, metavars, example command lines and rule set names, no English word.
    prose = re.sub(
        r"(?m)^\s*targetexpr .*$|--?[a-z][a-z-]*|\b[A-Z][A-Z_=]+\b|'[^']*'|\{[^}]*\}|\[[^]]*\]", " ", chinese
    )
    prose = re.sub(
        r"\b(?:national|system|legacy|hubei|sichuan|flags|errors|never|zh|en|TOML|JSON|PDF|utf|gb18030|gbk|check)\b",
        " ",
        prose,
    )
    prose = re.sub(
        r"\b(?:level[12]|indicator|target|actual|points|published_score|deviation_reason|qualifier|unit)\b", " ", prose
    )
    prose = re.sub(r"(?m)^\s*(?:parse|evaluate|check|score|text|file|target|actual)\b", " ", prose)  # argument names
    prose = prose.split("\n\n", 1)[1]  # after the usage lines
    prose = re.sub(r"(?<![/\w])[a-z]+\.[a-z_]+\b(?!\.)", " ", prose)  # review rule ids (history.lower)
    assert english_words(prose) == []
    with pytest.raises(SystemExit):
        cli.main([*argv, "--help", "--lang", "en"])
    english = capsys.readouterr().out
    assert english.startswith("usage:")
    assert "show this help message and exit" in english
    assert not any(word in english for word in ("用法", "选项", "显示本帮助", "示例"))


def test_argument_errors_are_translated(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--lang", "zh", "check"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "用法:" in err
    assert "错误:缺少必需的参数:file" in err
    with pytest.raises(SystemExit):
        cli.main(["check", "x.csv", "--fail-on", "sometimes", "--lang", "zh"])
    err = capsys.readouterr().err
    assert "参数 --fail-on:无效的选项值:'sometimes'" in err
    with pytest.raises(SystemExit):
        cli.main(["check", "x.csv", "--fail-on", "sometimes"])
    assert "argument --fail-on: invalid choice: 'sometimes'" in capsys.readouterr().err


# --- check and score in Chinese ----------------------------------------------------------------


def _library_texts(out: str) -> list[str]:
    """The lines (or parts) of ``check``'s output that are the library's messages: a flag under a
    row (``  - …``), an error block under ``✗``, a finding's message after ``: ``, its change
    after the label, the rule's quote and source."""
    found = []
    in_error = False
    for line in out.splitlines():
        if line.startswith("✗"):
            in_error = True
            continue
        if line.startswith(("!", "表", "审核", "提示", "已跳过")) or not line.startswith(" "):
            in_error = False
        if in_error or line.startswith("  - ") or line.startswith("    「"):
            found.append(line)
        elif line.startswith("  ") and not line.startswith("   ") and ": " in line:
            found.append(line.split(": ", 1)[1])  # a finding's message (the library's)
        elif line.startswith("    修改建议:"):
            found.append(line.split(":", 1)[1])  # what to change (the rule's data)
    return found


def test_check_speaks_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG")
    out_file = tmp_path / "检查结果.csv"
    code, out, err = run(capsys, "check", str(EXAMPLES / "绩效目标表.xlsx"), "-o", str(out_file))
    assert code == 1
    assert "张表共" in out.splitlines()[-1]
    assert "表 1(绩效目标表 第5行):" in out
    assert _library_texts(out)  # the flags, errors and findings are there, and scanned too
    echoed = table_cells(EXAMPLES / "绩效目标表.xlsx")
    assert english_words(out + err, echoed) == []
    rows = list(csv_rows(out_file))
    header = next(r for r in rows if r and r[0] == "一级指标")
    assert header[5:] == ["规范指标值", "类型", "检查", "问题", "错误"]
    kinds = {r[6] for r in rows if len(r) > 7 and r[0] != "一级指标" and r[6]}
    statuses = {r[7] for r in rows if len(r) > 7 and r[0] != "一级指标" and r[7]}
    assert kinds <= {
        "比较",
        "单一数值",
        "区间",
        "期限",
        "期间",
        "相对变化",
        "定性表述",
        "被遮盖的数值",
        "复合指标值",
        "文字描述",
    }
    assert {"比较", "定性表述"} <= kinds
    assert statuses == {"通过", "需复核", "错误"}


def csv_rows(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _report_text(path: Path, echoed: set[str], library: bool = False) -> tuple[ET.Element, str]:
    """The report's text as a reader sees it (attributes a reader meets too), without the cells that
    echo the table and (unless ``library``) without the library's reasons and findings."""
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/1999/xhtml}"
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{ns}style",):
                parent.remove(child)
            elif library:
                continue
            elif child.tag == f"{ns}td" and child.get("class") == "why":
                parent.remove(child)  # the reasons: the library's words, and describe_flag's
    for finding in () if library else root.iter(f"{ns}li"):
        if finding.get("class") in ("error", "warning", "info"):
            for part in list(finding)[2:]:
                if part.tag in (f"{ns}blockquote",) or (part.tag == f"{ns}p" and part.get("class") != "meta"):
                    finding.remove(part)
    texts = list(root.itertext())
    texts += [el.get(name) or "" for el in root.iter() for name in ("aria-label", "data-label", "title")]
    return root, "\n".join(t for t in texts if t.strip() and t.strip() not in echoed)


def test_the_html_report_speaks_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TARGETEXPR_LANG")
    report = tmp_path / "report.html"
    code, out, err = run(
        capsys, "score", str(EXAMPLES / "自评表.xlsx"), "--html", str(report), "-o", str(tmp_path / "o.xlsx")
    )
    assert code == 0
    echoed = table_cells(EXAMPLES / "自评表.xlsx")
    assert english_words(out + err, echoed) == []
    html = report.read_text(encoding="utf-8")
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"' in html
    _root, text = _report_text(report, echoed, library=True)  # the reasons and flags too: all Chinese
    assert english_words(text, echoed) == []
    for words in (
        "绩效自评评分报告",
        "项目名称",
        "主管部门",
        "实施单位",
        "年度",
        "各指标完成情况",
        "需复核的行",
        "绩效目标审核意见",
    ):
        assert words in html, words
    assert "县卫生健康委员会" in html
    assert "城关镇卫生院" in html
    # Flags are sentences, never ids.
    assert not re.search(r"\bflag \w+|actual_states_change|deviation_reason_missing", html)
    # Print: A4, one project per page, no dark background.
    assert "@page{size:A4" in html
    assert "section.project~section.project{break-before:page" in html
    backgrounds = re.findall(r"background:(#[0-9a-f]{6})", html)
    assert backgrounds
    assert all(_light(c) for c in backgrounds if c not in _BAR_COLOURS)
    workbook = openpyxl.load_workbook(tmp_path / "o.xlsx")
    assert "评分汇总" in workbook.sheetnames
    header = next(r for r in workbook["自评表"].iter_rows(values_only=True) if r[0] == "一级指标")
    assert list(header[8:]) == list(cli.SCORE_COLUMNS)
    verdicts = {r[9] for r in workbook["自评表"].iter_rows(values_only=True) if r[0] != "一级指标" and r[9]}
    assert verdicts == {"达成", "部分达成", "未达成"}


_BAR_COLOURS = {"#2e7d32", "#f29900", "#c62828", "#9e9e9e", "#0969da"}  # the legend's swatches


def _light(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return (r + g + b) / 3 > 200


def test_the_report_has_a_review_section_per_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table without 效益 and 满意度 rows: the review's findings are listed with the rule, the
    quote and what to change."""
    path = tmp_path / "自评表.csv"
    path.write_text(
        "项目名称,培训项目\n主管部门,县教育局\n一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分\n"
        "产出指标,数量指标,培训人数,≥100人,120人,50,50\n产出指标,时效指标,完成时效,及时,及时,50,50\n",
        encoding="utf-8",
    )
    report = tmp_path / "r.html"
    assert run(capsys, "--lang", "zh", "score", str(path), "--html", str(report))[0] == 0
    root = ET.parse(report).getroot()
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    findings = root.findall(".//h:ol[@class='findings']/h:li", ns)
    assert len(findings) >= 3
    rules = [f.find("h:b", ns).text for f in findings]  # type: ignore[union-attr]
    assert "项目应有效益指标" in rules  # what the rule checks, in Chinese
    assert "项目应有满意度指标" in rules
    first = "".join(findings[0].itertext())
    assert "整个项目" in first
    assert "修改建议" in first
    assert "中发〔2018〕34号" in first
    assert root.find(".//h:blockquote", ns) is not None
    text = "".join(root.itertext())
    assert "项目名称" in text
    assert "培训项目" in text
    assert "县教育局" in text
    assert run(capsys, "score", str(path), "--html", str(report), "--no-review")[0] == 0
    assert ET.parse(report).getroot().find(".//h:ol[@class='findings']", ns) is None


# --- English -------------------------------------------------------------------------------------


def test_english_on_request_has_no_chinese_of_its_own(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    code, out, err = run(capsys, "score", str(EXAMPLES / "自评表.xlsx"), "--html", str(report), "--lang", "en")
    assert code == 0
    echoed = table_cells(EXAMPLES / "自评表.xlsx")
    echoed |= {"预算执行率"}  # the 一级指标 of the funding row, as the library names it
    stripped = out + err
    for cell in sorted(echoed, key=len, reverse=True):
        stripped = stripped.replace(cell, " ")
    # The grade is the rule set's own word (优); the rest of the summary is English.
    assert not _HAN.search(stripped.replace("优", "").replace("自评表", ""))
    html = report.read_text(encoding="utf-8")
    assert 'lang="en"' in html
    _root, text = _report_text(report, echoed)
    leftover = [t for t in text.splitlines() if _HAN.search(t) and not any(c in t for c in echoed)]
    leftover = [t for t in leftover if t not in ("优",) and "自评表" not in t]
    assert leftover == []
    code, out, _err = run(capsys, "--lang", "en", "check", str(EXAMPLES / "绩效目标表.xlsx"), "--json")
    data = json.loads(out)
    assert {"tables", "rows", "problems", "reviews"} <= set(data)  # stable English keys
