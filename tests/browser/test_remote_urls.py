"""The URL table checked against Chromium itself: its URL parser, and what a page really fetches."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
from playwright.sync_api import Browser, Route
from unit.url_spellings import LENIENT, LOCAL, REMOTE, SAME_HOST_ANYWAY

from gongshi.content.markup import MarkdownRenderer
from gongshi.content.url_safety import is_local

from .conftest import serve

pytestmark = pytest.mark.browser

HOST = "https://site.example/meetings/2025-06-20-parking/"
RESOLVE = "([u, base]) => { try { return new URL(u, base).host } catch (e) { return null } }"


def test_chromium_resolves_every_spelling_as_the_table_says(browser: Browser) -> None:
    page = browser.new_page()
    verdicts = {
        url: page.evaluate(RESOLVE, [url, HOST]) == "site.example" for url in REMOTE + LOCAL
    }
    page.close()

    assert [u for u in LOCAL if not verdicts[u]] == []
    assert {u for u in REMOTE if verdicts[u]} == SAME_HOST_ANYWAY | LENIENT
    assert all(is_local(url) == (url in LOCAL) for url in verdicts)


def _bodies(n: int, url: str) -> list[str]:
    """The spelling as raw HTML, as entities, as a Markdown image and as a reference; each
    with its own file name, as Chromium fetches one URL only once per page."""
    url = url.replace("a.png", f"{n}.png")
    entities = "".join(f"&#{ord(c)};" for c in url.replace(".png", "e.png"))
    return [
        f'<img src="{html.escape(url.replace(".png", "h.png"))}" alt="现场">',
        f'<img src="{entities}" alt="现场">',
        f"![现场]({url.replace('.png', 'm.png')})",
        f"![现场][r{n}]\n\n[r{n}]: {url.replace('.png', 'r.png')}",
    ]


def _fetches_from_elsewhere(browser: Browser, root: Path, body: str) -> list[str]:
    (root / "index.html").write_text(
        f'<!doctype html><meta charset="utf-8"><title>t</title>{body}', encoding="utf-8"
    )
    elsewhere: list[str] = []

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # recorded, never sent
            elsewhere.append(route.request.url)
            route.abort()

    for site in serve(root):
        page = browser.new_page()
        page.route("**/*", route)
        page.goto(site + "/")
        page.wait_for_load_state("networkidle")
        page.close()
    return elsewhere


def test_a_published_body_fetches_nothing_from_another_host(
    browser: Browser, tmp_path: Path
) -> None:
    renderer = MarkdownRenderer()
    bodies = [body for n, url in enumerate(REMOTE) for body in _bodies(n, url)]
    unsanitized = "\n\n".join(markdown.markdown(body, extensions=["extra"]) for body in bodies)
    published = "\n\n".join(renderer.render(body).html for body in bodies)

    assert len(_fetches_from_elsewhere(browser, tmp_path, unsanitized)) >= 60  # the test bites
    assert _fetches_from_elsewhere(browser, tmp_path, published) == []
