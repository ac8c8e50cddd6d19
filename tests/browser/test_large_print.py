"""长辈模式 (large print) in Debian Chromium: one switch in every page's header, remembered across
pages with JavaScript, working on its page without; and a held meeting's page leading with its
outcomes. The gates themselves (axe, phone layout, text size, targets, 7:1 contrast) run over every
page in large print in ``test_gates.py``. Screenshots at 360 px in both modes are kept in
``test-artifacts/large-print/`` for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .conftest import PHONE
from .gates import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "large-print"
HELD = "/meetings/2024-04-16-guobei-noise-5/"  # held, with outcomes and a 会议记录


def base_size(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def switch(page: Page) -> str:
    """The label of the visible switch (长辈模式 or 标准模式)."""
    return str(page.locator(".mode a:visible").inner_text())


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def plain(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_the_choice_is_remembered_across_pages_and_undone(
    context: BrowserContext, bundled_url: str
) -> None:
    page = context.new_page()
    page.goto(bundled_url + "/")
    assert base_size(page) < 20 and switch(page) == "长辈模式"
    page.get_by_role("link", name="长辈模式").click()
    assert base_size(page) >= 20 and switch(page) == "标准模式"
    page.goto(bundled_url + "/meetings/")  # another page: the choice holds, from the first paint
    assert base_size(page) >= 20 and switch(page) == "标准模式"
    assert (
        float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"))
        > 30
    )
    page.get_by_role("link", name="标准模式").click()
    assert base_size(page) < 20 and switch(page) == "长辈模式"
    page.goto(bundled_url + "/projects/")
    assert base_size(page) < 20


def test_without_javascript_the_switch_works_on_its_page(plain: Page, bundled_url: str) -> None:
    plain.goto(bundled_url + HELD)
    assert base_size(plain) < 20
    plain.get_by_role("link", name="长辈模式").click()
    assert plain.url.endswith("#large")
    assert base_size(plain) >= 20 and switch(plain) == "标准模式"
    plain.get_by_role("link", name="标准模式").click()
    assert base_size(plain) < 20 and switch(plain) == "长辈模式"


def test_a_held_meeting_leads_with_its_outcomes(context: BrowserContext, bundled_url: str) -> None:
    page = context.new_page()
    page.goto(bundled_url + HELD)
    first = page.locator("#outcomes-title + ul .row").first.bounding_box()
    record = page.locator("h2", has_text="会议记录").bounding_box()
    facts = page.locator("dl.facts").bounding_box()
    assert first and record and facts
    assert first["y"] < record["y"] < facts["y"]
    # what was decided is what the page leads with: below the header, the title and the summary,
    # its heading is on the first screen of a 360×740 phone, the first decision right after it
    heading = page.locator("#outcomes-title").bounding_box()
    assert heading and heading["y"] + heading["height"] <= PHONE["height"], heading
    assert first["y"] < PHONE["height"] + 100, first
    assert page.locator(".attend").count() == 0


@pytest.mark.parametrize("url", ["/", HELD, "/projects/", "/subscribe/"])
def test_screenshots_in_both_modes(context: BrowserContext, bundled_url: str, url: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = url.strip("/").replace("/", "_") or "home"
    page = context.new_page()
    page.goto(bundled_url + url)
    page.screenshot(path=str(ARTIFACTS / f"{name}-standard.png"))
    page.get_by_role("link", name="长辈模式").click()
    page.screenshot(path=str(ARTIFACTS / f"{name}-large.png"))
    assert base_size(page) >= 20
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert Path(ARTIFACTS / f"{name}-large.png").stat().st_size > 0
