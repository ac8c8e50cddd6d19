"""Quality gates over every page of the bundled portal, of the complete test site and of the
newtype site (a type of its own, shown by the generic templates ``item.html``/``items.html``).

WCAG 2.2 AA (axe-core), valid HTML (Nu Html Checker), no broken links (a crawl over HTTP), no
request to another host, phone and desktop layout, print, status in words, full content without
JavaScript, and the weight budget. Each gate is proven to fail in ``test_gates_catch.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BOARD_NOW, BUNDLED_NOW, COMPLETE_NOW, NEWTYPE_NOW
from playwright.sync_api import Browser

from .conftest import DESKTOP, TEMPLATES, reader_clock
from .gates import PAGE_BUDGET, broken_links, html_pages, keyboard_problems, page_weight, vnu_errors
from .reports import PageReport, survey

pytestmark = pytest.mark.browser

SITES = ["bundled", "complete", "newtype", "board"]  # board: the ledger board's known answers
MIN_PAGES = {"bundled": 30, "complete": 30, "newtype": 20, "board": 30}  # newtype is small
# each site is read at the moment it was built (Asia/Shanghai), so live.js changes nothing
BUILT = {
    name: reader_clock(now)
    for name, now in {
        "bundled": BUNDLED_NOW,
        "complete": COMPLETE_NOW,
        "newtype": NEWTYPE_NOW,
        "board": BOARD_NOW,
    }.items()
}


@pytest.fixture(scope="session")
def site_paths(
    bundled_site: Path, complete_site: Path, newtype_site: Path, board_site: Path
) -> dict[str, Path]:
    return {
        "bundled": bundled_site,
        "complete": complete_site,
        "newtype": newtype_site,
        "board": board_site,
    }


@pytest.fixture(scope="session")
def site_urls(
    bundled_url: str, complete_url: str, newtype_url: str, board_url: str
) -> dict[str, str]:
    return {
        "bundled": bundled_url,
        "complete": complete_url,
        "newtype": newtype_url,
        "board": board_url,
    }


@pytest.fixture(scope="session")
def reports(
    browser: Browser, site_paths: dict[str, Path], site_urls: dict[str, str]
) -> dict[str, dict[str, PageReport]]:
    return {
        name: survey(browser, site_urls[name], site_paths[name], clock=BUILT[name])
        for name in SITES
    }


def failures(reports: dict[str, PageReport], attribute: str) -> dict[str, list[str]]:
    return {url: getattr(r, attribute) for url, r in reports.items() if getattr(r, attribute)}


@pytest.mark.parametrize("site", SITES)
def test_every_page_was_surveyed(reports, site_paths, site: str) -> None:
    assert sorted(reports[site]) == sorted(html_pages(site_paths[site]))
    assert len(reports[site]) > MIN_PAGES[site]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(
    "gate",
    [
        "axe",
        "layout_phone",
        "layout_desktop",
        "foreign_requests",
        "status_without_words",
        "printed_navigation",
        "axe_large",
        "layout_phone_large",
        "large_print",
    ],
)
def test_gate_holds_on_every_page(reports, site: str, gate: str) -> None:
    assert failures(reports[site], gate) == {}


# The search page alone may differ: with JavaScript it shows Pagefind's search, without it a
# message and links to the lists (DESIGN.md: "reads fully without JavaScript (search aside)").
MAY_NEED_JAVASCRIPT = {"/search/"}


@pytest.mark.parametrize("site", SITES)
def test_every_page_reads_fully_without_javascript(reports, site: str) -> None:
    different = [
        url
        for url, r in reports[site].items()
        if (r.text_with_js != r.text_without_js and url not in MAY_NEED_JAVASCRIPT)
        or not r.text_without_js
    ]
    assert different == []


@pytest.mark.parametrize("site", SITES)
def test_html_is_valid(site_paths, site: str) -> None:
    assert vnu_errors(sorted(site_paths[site].rglob("*.html"))) == []


@pytest.mark.parametrize("site", SITES)
def test_no_broken_links(site_paths, site_urls, site: str) -> None:
    start = ["/", "/404.html", *html_pages(site_paths[site])]
    assert broken_links(site_urls[site], start) == []


@pytest.mark.parametrize("site", SITES)
def test_every_page_is_within_the_weight_budget(site_paths, site: str) -> None:
    weights = {url: page_weight(site_paths[site], url) for url in html_pages(site_paths[site])}
    assert {url: w for url, w in weights.items() if w >= PAGE_BUDGET} == {}
    heaviest = max(weights, key=weights.__getitem__)
    print(f"heaviest page of {site}: {heaviest} {weights[heaviest]} bytes")


@pytest.mark.parametrize("url", list(TEMPLATES.values()), ids=list(TEMPLATES))
def test_keyboard_reaches_every_control_with_visible_focus(
    browser: Browser, bundled_url: str, url: str
) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(bundled_url + url)
    assert keyboard_problems(page) == []
    page.close()
