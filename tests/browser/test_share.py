"""The meeting page's notice text for WeChat and SMS, in Debian Chromium: the 复制通知文字 button
copies exactly the composed text (``outputs/sharetext.py``) and says 已复制; without JavaScript
the button is not shown and the text can still be selected; axe passes with the message shown.
The subscribe page's steps for phones in mainland China are checked here too. Screenshots at
360 px are kept in ``test-artifacts/share/``."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import complete_build
from playwright.sync_api import Browser, expect

from gongshi.content.models import Meeting
from gongshi.outputs.sharetext import share_text

from .conftest import PHONE
from .gates import ROOT, axe_violations, layout_problems

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "share"
PARKING = "2025-06-20-yuquan-parking"


def composed(meeting_id: str) -> str:
    build = complete_build()
    meeting = build.index.by_id("meeting", meeting_id)
    assert isinstance(meeting, Meeting)
    return share_text(meeting, build.index, build.settings)


@pytest.mark.parametrize("meeting_id", [PARKING, "2025-06-28-tongjianhu-greening"])
def test_the_copy_button_copies_the_notice_text(
    browser: Browser, complete_url: str, meeting_id: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=complete_url)
    page = context.new_page()
    page.goto(f"{complete_url}/meetings/{meeting_id}/")
    button = page.get_by_role("button", name="复制通知文字", exact=True)
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".share [role=status]")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == composed(meeting_id)
    assert axe_violations(page) == []
    assert layout_problems(page) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".share").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"share-{meeting_id}-360.png"))
    context.close()


def test_without_clipboard_access_the_text_is_selected_for_copying(
    browser: Browser, complete_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{complete_url}/meetings/{PARKING}/")
    page.get_by_role("button", name="复制通知文字").click()
    expect(page.locator(".share [role=status]")).not_to_be_empty()
    selected = page.evaluate(
        "() => { const t = document.getElementById('share-text');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); }"
    )
    assert selected == composed(PARKING)
    context.close()


def test_without_javascript_no_button_and_the_text_stays_selectable(
    browser: Browser, complete_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{complete_url}/meetings/{PARKING}/")
    expect(page.locator("button[data-copy]")).to_be_hidden()
    box = page.get_by_role("textbox", name="转发通知")
    expect(box).to_be_visible()
    expect(box).to_have_attribute("readonly", "")
    expect(box).to_have_value(composed(PARKING))
    box.select_text()
    assert page.evaluate("document.getElementById('share-text').selectionEnd") > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".share").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "share-no-js-360.png"))
    context.close()


def test_the_subscribe_page_gives_phone_steps_and_links_only_to_this_site(
    browser: Browser, bundled_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{bundled_url}/subscribe/")
    main = page.locator("main")
    for words in ["苹果手机（iPhone）", "添加已订阅的日历", "安卓手机", ".ics", "导入一次",
                  "复制通知文字", "RSS 阅读器"]:  # fmt: skip
        expect(main).to_contain_text(words)
    for name in ["Google", "Feedly", "Inoreader"]:
        expect(main).not_to_contain_text(name)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    here = urlsplit(bundled_url).netloc
    others = [
        h for h in hrefs
        if urlsplit(h).netloc not in (here, "gongshi.example.org") or
        urlsplit(h).scheme not in ("http", "https", "webcal")
    ]  # fmt: skip
    assert others == []
    assert any(h.startswith("webcal://gongshi.example.org/calendar/") for h in hrefs)
    assert axe_violations(page) == [] and layout_problems(page) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "subscribe-360.png"), full_page=True)
    context.close()
