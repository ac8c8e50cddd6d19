"""What a resident sees in a real browser (Debian Chromium), on a phone and on a desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, TEMPLATES

pytestmark = pytest.mark.browser


def _page(browser: Browser, viewport: dict[str, int], **options: object) -> Page:
    context = browser.new_context(viewport=viewport, locale="zh-CN", **options)  # type: ignore[arg-type]
    return context.new_page()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", list(TEMPLATES))
def test_no_horizontal_scrolling_and_a_screenshot(
    browser: Browser, bundled_url: str, artifacts: Path, name: str, viewport: dict[str, int]
) -> None:
    page = _page(browser, viewport)
    page.goto(bundled_url + TEMPLATES[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{name} scrolls sideways: {width}px"
    tag = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=str(artifacts / f"{name}-{tag}.png"), full_page=True)
    page.context.close()


def test_next_meeting_of_my_community_in_two_taps(browser: Browser, bundled_url: str) -> None:
    page = _page(browser, PHONE)
    page.goto(bundled_url + "/")
    page.get_by_role("link", name="大灰厂社区", exact=True).first.click()  # tap 1
    next_meetings = page.locator("section.next-meeting")
    first = next_meetings.locator(".card-title a").first
    expect(first).to_be_visible()
    title = first.inner_text()
    first.click()  # tap 2
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".facts-large")).to_contain_text("2027年1月12日")
    page.context.close()


def test_status_is_written_not_only_coloured(browser: Browser, bundled_url: str) -> None:
    page = _page(browser, PHONE)
    page.goto(bundled_url + "/meetings/")
    badges = page.locator(".badge")
    assert badges.count() > 0
    for text in badges.all_inner_texts():
        assert text.strip() in {"待召开", "已延期", "已召开", "已取消", "会期已过，记录待更新"}
    page.context.close()


def test_print_hides_navigation(browser: Browser, bundled_url: str) -> None:
    page = _page(browser, DESKTOP)
    page.goto(bundled_url + "/meetings/2027-01-12-dahuichang-monthly/")
    page.emulate_media(media="print")
    expect(page.locator("nav[aria-label='主导航']")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    page.context.close()


def test_pages_read_fully_without_javascript(browser: Browser, bundled_url: str) -> None:
    page = _page(browser, PHONE, java_script_enabled=False)
    page.goto(bundled_url + "/places/dahuichang/")
    expect(page.locator("section.next-meeting .card").first).to_be_visible()
    page.context.close()


def test_skip_link_is_first_and_visible_on_focus(browser: Browser, bundled_url: str) -> None:
    page = _page(browser, DESKTOP)
    page.goto(bundled_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.context.close()
