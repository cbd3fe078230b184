"""Regenerate docs/images/report-1280.png and report-390.png: the HTML report of examples/自评表.xlsx,
as a desktop browser (1280 px wide) and a phone (390 px) show it.

Needs the [cli] extra, headless Chromium and a CJK font (Debian: ``apt-get install chromium
fonts-noto-cjk``).  Run from anywhere: ``python docs/screenshot.py`` (``--lang en`` for the English
report).  tests/test_report_browser.py uses :func:`render` to check that the page never scrolls
sideways.

Chromium is driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``: no port,
no extra package): the page is laid out at the given width as a device of that width would
(``Emulation.setDeviceMetricsOverride``; a plain ``--window-size`` cannot go below Chromium's
minimum window width of about 500 px), measured, and captured whole.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
WIDTHS = (1280, 390)
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_browser() -> str | None:
    """The Chromium (or Chrome) on PATH, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Pipe:
    """The DevTools protocol over the pipe Chromium reads on fd 3 and writes on fd 4."""

    def __init__(self, browser: str, profile: Path, timeout: float) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        self.timeout = timeout

        def descriptors() -> None:  # in the child: fd 3 reads our messages, fd 4 writes its answers
            reading, writing = os.dup(to_child), os.dup(from_child)  # above 4, whatever the pipes got
            os.dup2(reading, 3)  # inheritable, unlike the pipes themselves
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [browser, *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=descriptors,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: object) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._receive())

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)


def render(page: Path, width: int, *, browser: str | None = None, timeout: float = 60) -> dict[str, Any]:
    """Lay ``page`` out at ``width`` CSS pixels (a phone below 600 px: ``mobile`` emulation, so
    the viewport meta applies) and return its ``scroll_width``, ``client_width``, ``height`` and a
    full-page ``png`` (bytes)."""
    browser = browser or find_browser()
    if browser is None:
        raise FileNotFoundError("no Chromium on PATH: apt-get install chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as profile:
        pipe = _Pipe(browser, Path(profile), timeout)
        try:
            target = pipe.send("Target.createTarget", url="about:blank")["targetId"]
            session = pipe.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
            pipe.send("Emulation.setDeviceMetricsOverride", session, **metrics)
            pipe.send("Page.enable", session)
            pipe.send("Page.navigate", session, url=page.resolve().as_uri())
            pipe.wait_for("Page.loadEventFired")
            expression = (
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
                " document.documentElement.scrollHeight]"
            )
            found = pipe.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
            scroll_width, client_width, height = found["result"]["value"]
            pipe.send("Emulation.setDeviceMetricsOverride", session, **{**metrics, "height": int(height)})
            shot = pipe.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True)
        finally:
            pipe.close()
    return {
        "scroll_width": int(scroll_width),
        "client_width": int(client_width),
        "height": int(height),
        "png": base64.b64decode(shot["data"]),
    }


def main(argv: list[str] | None = None) -> int:
    from targetexpr import cli

    args = sys.argv[1:] if argv is None else argv
    lang = args[args.index("--lang") + 1] if "--lang" in args else "zh"
    if find_browser() is None:
        print("no Chromium found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        example = str(ROOT / "examples" / "自评表.xlsx")
        code = cli.main(["--lang", lang, "score", example, "--html", str(report), "--quiet"])
        if code != 0:
            return code
        for width in WIDTHS:
            shown = render(report, width)
            out = IMAGES / (f"report-{width}.png" if lang == "zh" else f"report-{width}-{lang}.png")
            out.write_bytes(shown["png"])
            print(f"written: {out} ({shown['scroll_width']} px wide for {width}, {shown['height']} px high)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
