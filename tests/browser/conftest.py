"""Browser fixtures: a local HTTP server per built site and one Debian Chromium per session.

Chromium is Debian's (/usr/bin/chromium), driven by Python Playwright; no browser is ever
downloaded. Screenshots go to test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# One page per template of the bundled portal, at its fixed "now" (2026-11-22 12:00).
TEMPLATES = {
    "home": "/",
    "meetings": "/meetings/",
    "meeting": "/meetings/2027-01-12-dahuichang-monthly/",
    "outcomes": "/outcomes/",
    "outcome": "/outcomes/dahuichang-heating-whistle/",
    "projects": "/projects/",
    "project": "/projects/mingchunyuan-gas/",
    "cases": "/cases/",
    "case": "/cases/huaxiang-nuanxin-shangmen/",
    "places": "/places/",
    "place": "/places/dahuichang/",
    "about": "/about/",
    "404": "/404.html",
    "subscribe": "/subscribe/",
    "data": "/data/",
    "data_file": "/data/meetings/",  # one data file's fields and columns
    "notice": "/meetings/2027-01-12-dahuichang-monthly/notice/",
    "board": "/board/",
}

PHONE = {"width": 360, "height": 740}


def reader_clock(now: str) -> str:
    """A build's "now" ("2026-11-22 12:00", Asia/Shanghai) as a reader's clock for Playwright."""
    return now.replace(" ", "T") + ":00+08:00"


DESKTOP = {"width": 1280, "height": 800}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def bundled_url(bundled_site: Path) -> Iterator[str]:
    yield from serve(bundled_site)


@pytest.fixture(scope="session")
def complete_url(complete_site: Path) -> Iterator[str]:
    yield from serve(complete_site)


@pytest.fixture(scope="session")
def search_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/sites/search (made for measuring search), built once and served."""
    site = Path(__file__).resolve().parents[1] / "sites" / "search"
    output = tmp_path_factory.mktemp("search") / "output"
    now = (site / "NOW").read_text(encoding="utf-8").strip()
    code, _, err = run_cli(
        "--settings", str(site / "pelicanconf.py"), "build", "--content", str(site / "content"),
        "--output", str(output), "--now", now,
    )  # fmt: skip
    assert code == 0, err
    yield from serve(output)


@pytest.fixture(scope="session")
def newtype_url(newtype_site: Path) -> Iterator[str]:
    yield from serve(newtype_site)


@pytest.fixture(scope="session")
def board_url(board_site: Path) -> Iterator[str]:
    yield from serve(board_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian Chromium is missing: run `bash scripts/test.sh`, which installs it")
    tools = Path(__file__).resolve().parents[2] / "node_modules"
    if not (tools / "axe-core").is_dir() or not (tools / "vnu-jar").is_dir():
        pytest.fail("node_modules is missing the gate tools: run `bash scripts/test.sh` (npm ci)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
