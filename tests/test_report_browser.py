"""The HTML report in a real browser (headless Chromium, driven by docs/screenshot.py): on a phone
(390 px) and on a desktop (1280 px) the page never scrolls sideways, and it renders CJK text.

Skipped, with the reason, where Chromium is not installed (``apt-get install chromium
fonts-noto-cjk``; .ci/run installs both when it runs as root with apt-get).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from support import TESTS
from targetexpr import cli

ROOT = TESTS.parent


def _screenshot() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot", ROOT / "docs" / "screenshot.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


screenshot = _screenshot()
BROWSER = screenshot.find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium on PATH: apt-get install chromium fonts-noto-cjk (see README)"
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's report in Chinese and in English, and a wide one: long names, many rows."""
    folder = tmp_path_factory.mktemp("reports")
    made = {}
    for lang in ("zh", "en"):
        made[lang] = folder / f"report-{lang}.html"
        example = str(ROOT / "examples" / "自评表.xlsx")
        assert cli.main(["--lang", lang, "score", example, "--html", str(made[lang]), "--quiet"]) == 0
    wide = folder / "wide.csv"
    name = "省级财政专项资金支持县域医疗卫生服务能力提升及基层医疗机构标准化建设项目" * 2
    rows = [f"项目名称,{name}", "一级指标,二级指标,三级指标,指标值,实际完成值,分值,得分,偏差原因分析及改进措施"]
    for i in range(12):
        rows.append(
            f"产出指标,数量指标,{name[:40]}{i},≥{100 + i}人次,{90 + i}人次,5,4,"
            + "因疫情影响部分培训活动延期举办导致完成数量未达到年度目标" * 3
        )
    wide.write_text("\n".join(rows) + "\n", encoding="utf-8")
    made["wide"] = folder / "wide.html"
    assert cli.main(["--lang", "zh", "score", str(wide), "--html", str(made["wide"]), "--quiet"]) == 0
    return made


@needs_browser
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("which", ["zh", "en", "wide"])
def test_the_report_never_scrolls_sideways(reports: dict[str, Path], width: int, which: str) -> None:
    shown = screenshot.render(reports[which], width, browser=BROWSER)
    assert shown["client_width"] == width  # laid out at the device's width
    assert shown["scroll_width"] <= width, f"{which} report at {width} px is {shown['scroll_width']} px wide"
    assert shown["png"].startswith(b"\x89PNG")
    assert shown["height"] > 600


@needs_browser
def test_the_screenshots_in_the_docs_are_of_this_report() -> None:
    for width in screenshot.WIDTHS:
        image = ROOT / "docs" / "images" / f"report-{width}.png"
        data = image.read_bytes()
        assert data.startswith(b"\x89PNG")
        assert int.from_bytes(data[16:20], "big") == width  # regenerate: python docs/screenshot.py
