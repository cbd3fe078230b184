"""The command line under attack and accident (issue #14): nothing lost, nothing injected, never a
traceback.

Every hostile file is generated here (tests/hostile_files.py).  Each test checks what the issue
asks: exit status 2 with one line saying what is wrong, the input unchanged (hashed before and
after), no result under a wrong header, no temporary file left, memory within the budget.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import hostile_files as hostile
from targetexpr import cli
from targetexpr.cli import outputs, sheets
from targetexpr.cli.args import columns

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(err: str) -> str:
    """The error output is exactly one ``error:`` line, with no traceback."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def summary(out: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith("total"))


def peak_rss_mb(*argv: str, timeout: float = 60) -> tuple[int, float, float, str]:
    """Run the command line in a fresh interpreter: (status, peak RSS in MB, seconds, stderr)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc")
    # VmHWM, not ru_maxrss: Linux carries the parent's high-water mark across fork and exec.
    code = (
        "import sys\n"
        "from targetexpr.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print('PEAK', hwm, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    seconds = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK"))
    err = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("PEAK"))
    return done.returncode, peak / 1024, seconds, err


# --- outputs never replace inputs ---------------------------------------------------------------


@pytest.mark.parametrize("option", ["-o", "--html"])
def test_no_output_may_be_the_input(capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str) -> None:
    source = hostile.table(tmp_path / "v.xlsx")
    before = digest(source)
    other = {"-o": ["--html", str(tmp_path / "r.html")], "--html": ["-o", str(tmp_path / "s.xlsx")]}[option]
    code, _, err = run(capsys, "score", str(source), *other, option, str(source))
    assert code == 2
    assert "would overwrite the input" in one_line_error(err)
    assert digest(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.xlsx"]  # nothing written at all


@pytest.mark.parametrize("link", ["symlink", "hardlink", "dotted"])
def test_no_output_may_be_the_input_through_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, link: str
) -> None:
    source = hostile.table(tmp_path / "v.xlsx")
    before = digest(source)
    alias = tmp_path / "alias.xlsx"
    if link == "symlink":
        alias.symlink_to(source)
    elif link == "hardlink":
        os.link(source, alias)
    else:
        (tmp_path / "sub").mkdir()
        alias = tmp_path / "sub" / ".." / "v.xlsx"
    for option, extra in (("-o", []), ("--html", ["-o", str(tmp_path / "s.xlsx")])):
        code, _, err = run(capsys, "score", str(source), *extra, option, str(alias))
        assert code == 2
        assert "would overwrite the input" in one_line_error(err)
        assert digest(source) == before
    assert not (tmp_path / "s.xlsx").exists()


def test_outputs_must_differ_and_spare_the_rule_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.table(tmp_path / "v.csv")
    same = tmp_path / "same.csv"
    code, _, err = run(capsys, "score", str(source), "-o", str(same), "--html", str(same))
    assert code == 2
    assert "name the same file" in one_line_error(err)
    rules = tmp_path / "rules.toml"
    rules.write_text('name = "mine"\nextends = "national"\n', encoding="utf-8")
    before = digest(rules)
    code, _, err = run(capsys, "score", str(source), "--rules", str(rules), "--html", str(rules))
    assert code == 2
    assert "would overwrite the rule set" in one_line_error(err)
    assert digest(rules) == before
    assert leftovers(tmp_path) == []


# --- nothing dropped, nothing misplaced ---------------------------------------------------------


def test_a_stale_dimension_drops_no_row_or_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.stale_dimension(tmp_path / "stale.xlsx")
    before = digest(source)
    stale = openpyxl.load_workbook(source, read_only=True)
    assert stale.active.max_row == 4  # openpyxl alone trusts the stale <dimension>
    stale.close()
    out = tmp_path / "scored.xlsx"
    code, stdout, _ = run(capsys, "score", str(source), "-o", str(out))
    assert code == 0
    assert "total 100.00 of 100" in summary(stdout)
    assert "8 rows: 8 met" in stdout
    scored = openpyxl.load_workbook(out)["自评表"]
    header = [c.value for c in scored[1]]
    assert header[:8] == hostile.HEADER  # 分值, 得分, 备注 kept where they were
    assert header[8:15] == list(columns(cli.SCORE_COLUMNS))  # the results to their right (English: TARGETEXPR_LANG)
    assert [c.value for c in scored[9]][:8] == hostile.ROWS[-1]
    assert scored.cell(9, 10).value == "met"
    assert digest(source) == before


def test_a_second_sheet_without_header_is_not_scored_into_the_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = hostile.two_sheets(tmp_path / "two.xlsx")
    out = tmp_path / "scored.xlsx"
    code, stdout, _ = run(capsys, "score", str(source), "-o", str(out), "--json")
    assert code == 0
    (table,) = json.loads(stdout)["tables"]
    assert (table["total"], table["total_points"], table["grade"]) == ("100.00", "100", "优")
    # The tool's own output, with its 评分汇总 sheet, scores the same.
    code, stdout, _ = run(capsys, "score", str(out), "--json")
    assert code == 0
    (again,) = json.loads(stdout)["tables"]
    assert (again["total"], again["total_points"], again["grade"]) == ("100.00", "100", "优")


def test_a_repeated_header_on_the_next_sheet_starts_a_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = [hostile.HEADER, *hostile.ROWS]
    source = hostile.write_xlsx(tmp_path / "two.xlsx", [("一", rows), ("二", rows)])
    code, stdout, _ = run(capsys, "score", str(source), "--json")
    assert code == 0
    assert [(t["sheet"], t["total"]) for t in json.loads(stdout)["tables"]] == [("一", "100.00"), ("二", "100.00")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_ragged_rows_put_no_result_under_another_header(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    source = hostile.ragged(tmp_path / "ragged.csv")
    before = digest(source)
    out = tmp_path / f"scored{suffix}"
    assert run(capsys, "score", str(source), "-o", str(out))[0] == 0
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
    else:
        table = [["" if v is None else str(v) for v in row] for row in openpyxl.load_workbook(out).active.values]
    header = table[0]
    assert header[:8] == hostile.HEADER
    assert header[8:10] == ["", ""]  # the unnamed cells keep their columns
    verdict = header.index("verdict")
    for row in table[1:9]:
        assert row[8:10] == ["多余1", "多余2"]
        assert row[verdict] == "met"
    assert digest(source) == before


# --- text stays text ----------------------------------------------------------------------------


def _formulas(path: Path) -> list[tuple[str, object]]:
    workbook = openpyxl.load_workbook(path)
    found = [
        (f"{sheet.title}!{cell.coordinate}", cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    workbook.close()
    return found


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_csv_to_xlsx_writes_no_formula(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.formula_text(tmp_path / "f.csv")
    for command, extra in (("score", []), ("check", ["--fail-on", "never"])):
        out = tmp_path / f"{command}.xlsx"
        assert run(capsys, command, str(source), "-o", str(out), *extra)[0] == 0
        assert _formulas(out) == []
        values = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
        assert all(text in values for text in hostile.FORMULA_TEXTS)
        assert "=95%" in values  # the canonical form of 等于95%, as text


def test_xlsx_to_csv_neutralises_formula_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.formula_text(tmp_path / "f.xlsx")
    out = tmp_path / "scored.csv"
    assert run(capsys, "score", str(source), "-o", str(out))[0] == 0
    cells = _csv_cells(out)
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not c[1:2].isdigit())]
    assert all("'" + text in cells for text in hostile.FORMULA_TEXTS)
    assert "'=95%" in cells


def test_xlsx_to_xlsx_keeps_real_formulas_and_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.formula_text(tmp_path / "f.xlsx")
    before = digest(source)
    assert _formulas(source) == [("自评表!F10", "=SUM(F2:F9)")]
    out = tmp_path / "scored.xlsx"
    assert run(capsys, "score", str(source), "-o", str(out))[0] == 0
    assert _formulas(out) == [("自评表!F10", "=SUM(F2:F9)")]  # the real formula stays, nothing else is one
    sheet = openpyxl.load_workbook(out)["自评表"]
    assert [sheet.cell(r, 8).value for r in range(2, 7)] == hostile.FORMULA_TEXTS
    assert sheet.cell(4, 9).value == "=95%"
    assert digest(source) == before


def test_csv_safe() -> None:
    assert outputs.csv_safe("=1+1") == "'=1+1"
    assert outputs.csv_safe("\tx") == "'\tx"
    assert outputs.csv_safe("\r=1") == "'\r=1"
    assert [outputs.csv_safe(t) for t in ("-5", "+3.5%", "-0.25", "1e3", "≥95%", "")] == [
        "-5",
        "+3.5%",
        "-0.25",
        "1e3",
        "≥95%",
        "",
    ]


def test_control_characters_are_escaped_in_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.control_characters(tmp_path / "c.csv")
    out = tmp_path / "scored.xlsx"
    code, _, err = run(capsys, "score", str(source), "-o", str(out))
    assert code == 0
    assert "Traceback" not in err
    assert "2 cell(s) held control characters" in err
    values = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert "备注\\x07响铃" in values
    assert "发放\\x1b[31m册数" in values
    assert leftovers(tmp_path) == []


# --- clear errors, no traceback, nothing left behind --------------------------------------------


@pytest.mark.parametrize("output", ["o.csv", "o.xlsx", "o.json"])
def test_malformed_sheet_xml(capsys: pytest.CaptureFixture[str], tmp_path: Path, output: str) -> None:
    source = hostile.malformed_xml(tmp_path / "m.xlsx")
    before = digest(source)
    for command in ("check", "score"):
        code, _, err = run(capsys, command, str(source), "-o", str(tmp_path / output))
        assert code == 2
        assert "is not readable after row" in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.xlsx"]
    assert digest(source) == before


@pytest.mark.parametrize("output", ["o.csv", "o.xlsx", "o.json"])
def test_an_unreadable_input_leaves_no_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, output: str) -> None:
    source = tmp_path / "broken.xlsx"
    source.write_bytes(b"not a zip at all")
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / output))
    assert code == 2
    one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xlsx"]


def _disk_full(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullFile:
    """A text file on a full disk: writes fail, and so does the flush at close."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("output", ["o.csv", "o.xlsx", "o.json"])
def test_a_full_disk(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    source = hostile.table(tmp_path / "t.csv")
    original = outputs.CsvWriter.__init__

    def full_csv(self: outputs.CsvWriter, path: Path, encoding: str = "utf-8-sig") -> None:
        original(self, path, encoding)
        self.handle.close()
        self.handle = _FullFile(self.temporary)  # type: ignore[assignment]
        self.writer = csv.writer(self.handle)

    monkeypatch.setattr(outputs.CsvWriter, "__init__", full_csv)
    monkeypatch.setattr(outputs.XlsxWriter, "_finish", _disk_full)
    monkeypatch.setattr(outputs.JsonWriter, "_finish", _disk_full)
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / output), "--html", str(tmp_path / "r.html"))
    assert code == 2
    assert "the disk is full" in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_a_full_tmpfs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A real full disk: a 64 KB tmpfs (root only; skipped elsewhere)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True, check=False
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        source = hostile.large_csv(tmp_path / "big.csv", 3000)
        for name in ("o.csv", "o.xlsx", "o.json"):
            code, _, err = run(capsys, "score", str(source), "-o", str(disk / name))
            assert code == 2
            assert "the disk is full" in one_line_error(err)
            assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_the_html_report_fails_after_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = hostile.table(tmp_path / "t.xlsx")
    monkeypatch.setattr(outputs.TextOutput, "_finish", _disk_full)
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / "o.xlsx"), "--html", str(tmp_path / "r.html"))
    assert code == 2
    assert "cannot write" in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # both files or neither


def test_the_second_rename_failing_says_what_was_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = hostile.table(tmp_path / "t.csv")
    real = os.replace

    def replace(a: Any, b: Any) -> None:
        if str(b).endswith(".html"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(a, b)

    monkeypatch.setattr(outputs.os, "replace", replace)
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / "o.csv"), "--html", str(tmp_path / "r.html"))
    assert code == 2
    assert "o.csv was written, the rest not" in one_line_error(err)
    assert leftovers(tmp_path) == []


def test_bad_output_paths(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = hostile.table(tmp_path / "t.csv")
    folder = tmp_path / "folder"
    folder.mkdir()
    cases = {
        str(folder): "it is a folder",
        str(tmp_path / "missing" / "o.csv"): "does not exist",
        str(tmp_path / "o.txt"): "must be .xlsx, .csv or .json",
    }
    for output, message in cases.items():
        for command in ("check", "score"):
            code, _, err = run(capsys, command, str(source), "-o", output)
            assert code == 2
            assert message in one_line_error(err)
    code, _, err = run(capsys, "score", str(source), "--html", str(folder))
    assert code == 2
    assert "it is a folder" in one_line_error(err)
    # A read-only folder (root may write anywhere, so the refusal is also simulated).
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    try:
        monkeypatch.setattr(os, "access", lambda *a, **k: False)
        code, _, err = run(capsys, "score", str(source), "-o", str(readonly / "o.csv"))
        assert code == 2
        assert "is not writable" in one_line_error(err)
        monkeypatch.undo()

        def denied(*args: Any, **kwargs: Any) -> int:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr(outputs.os, "open", denied)
        code, _, err = run(capsys, "score", str(source), "-o", str(readonly / "o.csv"))
        assert code == 2
        assert "Permission denied" in one_line_error(err)
    finally:
        readonly.chmod(0o755)
    assert list(readonly.iterdir()) == []
    assert list(folder.iterdir()) == []


def test_bad_encodings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.table(tmp_path / "t.csv")
    for encoding, message in (("rot13", "not a text encoding"), ("base64", "not a text encoding"), ("x-y", "unknown")):
        code, _, err = run(capsys, "score", str(source), "--encoding", encoding, "-o", str(tmp_path / "o.csv"))
        assert code == 2
        assert message in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_rules_from_devices_and_huge_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = hostile.table(tmp_path / "t.csv")
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as f:
        f.truncate(50 * 2**20)  # sparse: 50 MB of NUL bytes
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    for rules, message in ((zero, "not a regular file"), (fifo, "not a regular file"), (huge, "larger than 1 MB")):
        code, _, err = run(capsys, "score", str(source), "--rules", str(rules))
        assert code == 2
        assert message in one_line_error(err)
        code, _, err = run(capsys, "evaluate", "≥95%", "96%", "--points", "10", "--rules", str(rules))
        assert code == 1
        assert message in one_line_error(err)


def test_no_traceback_even_for_a_bug(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targetexpr.cli import rows

    source = hostile.table(tmp_path / "t.csv")

    def bug(*args: Any) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(rows, "_row", bug)
    monkeypatch.setattr("targetexpr.cli.score._row", bug)
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / "o.csv"))
    assert code == 70
    assert err.strip() == "internal error: RuntimeError: a bug over two lines; please report it"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


# --- resources ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "message"), [(6, "refused as a decompression bomb"), (1, "holds a cell of more")])
def test_a_decompression_bomb_is_refused_before_it_inflates(tmp_path: Path, level: int, message: str) -> None:
    # Compressed as Excel does, the 100 MB cell inflates 684 times; compressed less, 180 times,
    # under the ratio limit, and the scan for over-long text refuses it.
    source = hostile.big_cell(tmp_path / "bomb.xlsx", 100 * 2**20, level=level)
    assert source.stat().st_size < 2 * 2**20
    for command in ("check", "score"):
        code, peak, seconds, err = peak_rss_mb(command, str(source), "-o", str(tmp_path / "o.csv"))
        assert code == 2, err
        assert message in one_line_error(err)
        assert peak < 150, peak  # the budget: nothing inflated
        assert seconds < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.xlsx"]


def test_the_bomb_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    source = hostile.big_cell(tmp_path / "cell.xlsx", 2**20, compressible=False)
    sheets.check_xlsx_archive(source)  # 1 M characters of varied text: under the limits
    monkeypatch.setattr(sheets, "MAX_XLSX_UNCOMPRESSED", 2**20)
    with pytest.raises(sheets.TableError, match=r"inflates to \d MB, more than the 1 MB read here"):
        sheets.check_xlsx_archive(source)
    monkeypatch.undo()
    monkeypatch.setattr(sheets, "MAX_XLSX_RATIO", 1)
    monkeypatch.setattr(sheets, "RATIO_FROM", 2**20)
    with pytest.raises(sheets.TableError, match="decompression bomb"):
        sheets.check_xlsx_archive(source)
    monkeypatch.undo()
    monkeypatch.setattr(sheets, "MAX_XLSX_TEXT", 2**20)
    with pytest.raises(sheets.TableError, match="holds a cell of more than 1 MB"):
        sheets.check_xlsx_archive(source)
    monkeypatch.undo()
    strings = tmp_path / "strings.xlsx"
    with zipfile.ZipFile(strings, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "x" * 4096 + "</sst>")
    monkeypatch.setattr(sheets, "MAX_XLSX_SHARED_STRINGS", 1024)
    with pytest.raises(sheets.TableError, match="its text cells inflate"):
        sheets.check_xlsx_archive(strings)


@pytest.mark.parametrize("where", ["note", "target", "indicator", "title"])
def test_a_huge_cell_gets_a_bounded_look(tmp_path: Path, where: str) -> None:
    size = 2**20  # 1 M characters (3 MB of UTF-8): before #14, a MemoryError
    source = hostile.big_cell(tmp_path / "cell.xlsx", size, where, compressible=False)
    before = digest(source)
    code, peak, seconds, err = peak_rss_mb("score", str(source), "-o", str(tmp_path / "o.csv"), "--json")
    assert "Traceback" not in err
    assert code == 0, err
    assert peak < 200, peak  # the budget for a 1 M-character cell
    assert seconds < 15
    with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(_big_csv(f))
    header_row = 1 if where == "title" else 0
    errors = table[header_row].index("read error")  # English: TARGETEXPR_LANG
    if where == "target":
        assert "at most 256 characters" in table[header_row + 1][errors]
    else:
        assert table[header_row + 1][errors] == ""
    assert digest(source) == before


def _big_csv(f: Any) -> Iterator[list[str]]:
    limit = csv.field_size_limit()
    csv.field_size_limit(2**30)
    try:
        yield from csv.reader(f)
    finally:
        csv.field_size_limit(limit)


def test_label_caches_keep_short_keys() -> None:
    import tracemalloc

    from targetexpr import score_table

    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        for i in range(400):
            label = f"{i}" + "指标名称" * 25_000  # 100,000 characters
            score_table([{"level1": label, "level2": label, "indicator": label, "target": "≥1个", "actual": "2个"}])
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert grown < 20 * 2**20, grown  # 400 labels × 200 KB each would be 80 MB a cache


def test_the_xlsx_copy_is_refused_above_its_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = hostile.table(tmp_path / "t.xlsx")
    monkeypatch.setattr(outputs, "MAX_COPY_XML", 100)

    def unread(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the input was read before the refusal")

    monkeypatch.setattr(sheets, "read_rows", unread)  # refused before a 200,000-row file is read
    code, _, err = run(capsys, "score", str(source), "-o", str(tmp_path / "o.xlsx"))
    assert code == 2
    assert "write -o o.csv instead" in one_line_error(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


# --- kills during writes ------------------------------------------------------------------------


def _start(tmp_path: Path, rows: int) -> tuple[subprocess.Popen[str], Path]:
    source = hostile.large_csv(tmp_path / "big.csv", rows)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(
        [sys.executable, "-m", "targetexpr", "score", str(source), "-o", str(out / "o.csv"), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    while not leftovers(out):  # wait until the temporary file is being written
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return process, out


def test_sigterm_during_a_write_leaves_nothing(tmp_path: Path) -> None:
    process, out = _start(tmp_path, 60_000)
    (part,) = leftovers(out)
    assert part == f".o.csv.targetexpr-{process.pid}.part"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 143
    assert err.strip() == "terminated: no output file was written"
    assert list(out.iterdir()) == []


def test_sigkill_leaves_a_file_the_next_run_removes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    process, out = _start(tmp_path, 60_000)
    process.kill()
    process.communicate(timeout=30)
    (stale,) = leftovers(out)
    small = hostile.table(tmp_path / "small.csv")
    assert run(capsys, "score", str(small), "-o", str(out / "o.csv"))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["o.csv"]
    assert stale not in leftovers(out)


def test_a_temporary_file_of_a_live_process_is_kept(tmp_path: Path) -> None:
    live = tmp_path / f".o.csv.targetexpr-{os.getppid()}.part"
    live.write_text("")
    dead = tmp_path / ".o.csv.targetexpr-999999999.part"
    dead.write_text("")
    other = tmp_path / ".x.csv.targetexpr-999999999.part"
    other.write_text("")
    assert outputs.remove_stale(tmp_path / "o.csv") == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])
