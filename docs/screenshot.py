"""Regenerate docs/images/report.png: the HTML report of examples/自评表.xlsx, as a browser shows it.

Needs the [cli] extra and headless Chromium (Debian: ``apt-get install chromium fonts-noto-cjk``).
Run from anywhere: ``python docs/screenshot.py``.  Not part of CI (no browser there).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from targetexpr import cli

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "report.png"


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        print("no Chromium found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        code = cli.main(["score", str(ROOT / "examples" / "自评表.xlsx"), "--html", str(report), "--quiet"])
        if code != 0:
            return code
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                f"--user-data-dir={tmp}/profile",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--window-size=1120,1240",
                f"--screenshot={OUT}",
                report.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
