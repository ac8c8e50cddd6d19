"""Save-to-reloaded-page time of ``gongshi serve``, measured in Debian Chromium.

    .venv/bin/python scripts/bench_serve.py              # the bundled portal, 10 saves
    .venv/bin/python scripts/bench_serve.py --items 1000 # a generated 1,000-item site (bench.py)
    .venv/bin/python scripts/bench_serve.py --runs 20

Copies the site into a temporary folder, starts ``gongshi serve --port 0`` there, opens a meeting
page, then repeatedly (``--pause`` seconds apart, time in which ``serve`` also indexes search)
rewrites that meeting's title and waits until the open page (reloaded by
``serve`` itself, never by this script) shows the new title. Prints each time and the median,
from the moment the file was written to the moment the new title was in the page.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/browser/conftest.py imports tests/conftest.py
sys.path.insert(0, str(ROOT))

import bench  # noqa: E402  (the 1,000-item generator)

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BUNDLED_NOW = "2026-11-22 12:00"
BUNDLED_PAGE = (
    "content/meetings/2027-01-12-dahuichang-monthly.md",
    "/meetings/2027-01-12-dahuichang-monthly/",
)
GENERATED_PAGE = ("content/meetings/m0.md", "/meetings/m0/")


def make_project(folder: Path, items: int) -> tuple[Path, str, str]:
    """The site to serve in ``folder``; the file to edit, its page, and the "now" to use."""
    shutil.copytree(ROOT / "themes", folder / "themes")
    shutil.copy(ROOT / "pelicanconf.py", folder)
    if items:
        bench.generate(folder / "content", items)
        return folder / GENERATED_PAGE[0], GENERATED_PAGE[1], bench.NOW
    shutil.copytree(ROOT / "content", folder / "content")
    return folder / BUNDLED_PAGE[0], BUNDLED_PAGE[1], BUNDLED_NOW


def start(project: Path, now: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gongshi.cli", "serve", "--port", "0", "--now", now],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        if "预览地址：" in line:
            threading.Thread(
                target=lambda: [print("  serve:", x, end="") for x in process.stdout or ()],
                daemon=True,
            ).start()
            return process, line.split("预览地址：", 1)[1].split("/（", 1)[0]
        print("  serve:", line, end="")
    raise SystemExit("gongshi serve did not start")


class Events:
    """Listens to serve's event stream like an open page does: when each new build was announced."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.connection = socket.create_connection((host, int(port)))
        self.connection.sendall(b"GET /__gongshi__/events HTTP/1.0\r\n\r\n")
        self.times: list[float] = []
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        for line in self.connection.makefile("rb"):
            if line.startswith(b"data: "):
                self.times.append(time.perf_counter())

    def since(self, moment: float) -> float | None:
        later = [t for t in self.times if t >= moment]
        return later[0] - moment if later else None


def retitle(path: Path, title: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f"title: {title}"
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--items",
        type=int,
        default=0,
        help="a generated site of this many items (0: the bundled portal)",
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--pause",
        type=float,
        default=2.0,
        help="seconds between two saves (an editor reading the page)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp, sync_playwright() as p:
        source, url_path, now = make_project(Path(tmp), args.items)
        process, url = start(Path(tmp), now)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + url_path)
            events = Events(url)
            times, announced = [], []
            for run in range(args.runs):
                title = f"测速标题{run}号"
                time.sleep(args.pause)
                started = time.perf_counter()
                retitle(source, title)
                page.wait_for_function(
                    "t => document.querySelector('main h1')?.textContent === t",
                    arg=title,
                    timeout=60_000,
                    polling="raf",
                )
                times.append(time.perf_counter() - started)
                announced.append(events.since(started) or 0.0)
                print(
                    f"save {run + 1}: {times[-1]:.3f} s (new build announced after {announced[-1]:.3f} s)",
                    flush=True,
                )
        finally:
            browser.close()
            process.terminate()
            process.wait()
    site = f"{args.items} generated items" if args.items else "the bundled portal"
    print(f"{site}: save → reloaded page, median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} saves); "
          f"save → new build announced, median {statistics.median(announced):.3f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
