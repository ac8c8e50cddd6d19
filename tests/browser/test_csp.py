"""The shipped nginx configuration's security headers break nothing a page does.

docs/deploy/nginx.conf sends a Content-Security-Policy that allows only what the pages use (the
theme's and Pagefind's scripts, Pagefind's WebAssembly, style attributes). Served through a real
nginx with that file, every kind of page of the bundled portal loads in Chromium without a
single policy violation, and search — the one feature that runs the most script — finds results.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_server import nginx_serving
from playwright.sync_api import Browser, Page, expect

from .conftest import PHONE, TEMPLATES

pytestmark = [pytest.mark.browser, pytest.mark.nginx]

WATCH = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
}"""


@pytest.fixture(scope="module")
def nginx_url(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with nginx_serving(bundled_site, tmp_path_factory.mktemp("nginx-csp")) as port:
        yield f"http://127.0.0.1:{port}"


def _open(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport=PHONE)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script(f"({WATCH})()")
    page.goto(url)
    return page, console


@pytest.mark.parametrize("path", list(TEMPLATES.values()), ids=list(TEMPLATES))
def test_no_page_breaks_the_policy(browser: Browser, nginx_url: str, path: str) -> None:
    page, console = _open(browser, nginx_url + path)
    try:
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == []
        assert console == []
    finally:
        page.close()


def test_search_runs_under_the_policy(browser: Browser, nginx_url: str) -> None:
    page, console = _open(browser, nginx_url + "/search/?q=供暖")
    try:
        expect(page.locator(".search-result").first).to_be_visible(timeout=15000)
        assert page.evaluate("window.__violations") == []
        assert console == []
    finally:
        page.close()
