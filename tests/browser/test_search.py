"""Search in Debian Chromium: Chinese words found inside sentences, the right item first, what a
result shows, the filters, the header box on other pages, and the page without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE
from .gates import axe_violations, keyboard_problems, layout_problems

pytestmark = pytest.mark.browser

ITEM_URL = re.compile(r"^/(meetings|outcomes|projects|cases)/[a-z0-9-]+/$")
BOLLARDS = ["/projects/zhangguozhuang-fushengyuan-bollards/", "/outcomes/fushengyuan-bollards/"]
BRAILLE = [
    "/outcomes/guogongzhuang-zhongjie-braille/",
    "/meetings/2024-04-11-guogongzhuang-zhongjie-braille/",
]
GAS = [
    "/projects/mingchunyuan-gas/",
    "/meetings/2022-06-15-mingchunyuan-gas/",
    "/outcomes/mingchunyuan-gas-whistle/",
]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context.new_page()
    context.close()


LOADED = """() => document.querySelector('.pagefind-ui__message')
  && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')"""


def results(page: Page) -> list[str]:
    """The result links Pagefind's UI shows once a search has finished (first page of them)."""
    expect(page.locator(".pagefind-ui__message")).to_contain_text("结果")
    page.wait_for_function(LOADED)
    links = page.locator(".pagefind-ui__result-link")
    return [link.get_attribute("href") or "" for link in links.all()]


def total(page: Page) -> int:
    """How many results the message counts (all of them, not only those shown)."""
    message = page.locator(".pagefind-ui__message").inner_text()
    return int(re.findall(r"找到 (\d+) 个", message)[0])


def search(page: Page, base: str, term: str) -> list[str]:
    page.goto(f"{base}/search/?q={quote(term)}")
    return results(page)


@pytest.mark.parametrize(
    ("term", "first", "top"),
    [
        ("隔离墩", BOLLARDS[0], BOLLARDS),  # the project says most about the bollards
        ("盲文", BRAILLE[0], BRAILLE),  # the outcome: braille signs added to the lift
        ("燃气", GAS[0], GAS),  # the gas project, then its meeting and outcome
    ],
)
def test_a_chinese_word_inside_sentences_finds_its_item_first(
    phone: Page, bundled_url: str, term: str, first: str, top: list[str]
) -> None:
    found = search(phone, bundled_url, term)
    assert found[0] == first
    assert sorted(found[: len(top)]) == sorted(top)


def test_a_word_in_only_one_body_finds_exactly_that_item(
    phone: Page, complete_url: str, complete_site: Path
) -> None:
    # 呼声 is written once, in the body of this meeting: in no title, summary or other item
    holders = [p for p in complete_site.rglob("index.html") if "呼声" in p.read_text("utf-8")]
    meeting = "/meetings/2025-05-28-yuquan-elevator/"
    assert holders == [complete_site / meeting.strip("/") / "index.html"]
    assert search(phone, complete_url, "呼声") == [meeting]
    expect(phone.locator(".pagefind-ui__message")).to_have_text("找到 1 个 呼声 的相关结果")


def test_the_header_box_searches_from_any_page(phone: Page, bundled_url: str) -> None:
    phone.goto(bundled_url + "/meetings/")
    box = phone.get_by_role("search").get_by_label("搜索本站")
    box.fill("燃气")
    box.press("Enter")
    expect(phone).to_have_url(re.compile(r"/search/\?q=%E7%87%83%E6%B0%94$"))
    assert results(phone)[0] == GAS[0]
    expect(phone.locator(".pagefind-ui__search-input")).to_have_value("燃气")


def test_a_result_shows_its_type_place_and_date(phone: Page, bundled_url: str) -> None:
    search(phone, bundled_url, "盲文")
    first = phone.locator(".pagefind-ui__result").first
    expect(first.locator(".pagefind-ui__result-title")).to_have_text(
        "郭公庄中街社区电梯操作面板加装盲文标识"
    )
    expect(first.locator(".pagefind-ui__result-tag")).to_have_text(
        ["类型: 协商结果", "所属: 郭公庄中街社区", "日期: 2024年4月12日"]
    )
    excerpt = first.locator(".pagefind-ui__result-excerpt")
    expect(excerpt).to_contain_text("加装盲文标识")  # the separators of the index are not shown
    assert "\u200b" not in excerpt.inner_text()


ONLY_PROJECTS = """() => [...document.querySelectorAll('.pagefind-ui__result-link')]
  .every(a => a.getAttribute('href').startsWith('/projects/'))"""


def test_filters_for_type_place_and_status_narrow_the_results(
    phone: Page, bundled_url: str
) -> None:
    search(phone, bundled_url, "停车")
    before = total(phone)
    names = phone.locator(".pagefind-ui__filter-name")
    expect(names).to_have_text(["内容类型", "所属区域", "状态"])
    names.first.click()
    phone.locator("label", has_text=re.compile(r"^民心项目 \(\d+\)$")).click()
    phone.wait_for_function(ONLY_PROJECTS)
    found = results(phone)
    assert 0 < total(phone) < before and all(url.startswith("/projects/") for url in found)
    names.nth(1).click()  # a community's items are found under its jurisdiction too
    expect(phone.get_by_label(re.compile(r"^北宫镇 \(\d+\)$"))).to_be_visible()
    names.nth(2).click()
    expect(phone.get_by_label(re.compile(r"^已完成 \(\d+\)$"))).to_be_visible()
    assert axe_violations(phone) == []  # the filters open, the results shown


SEARCH_ALL = """
async (terms) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const urls = new Set();
  for (const term of terms) {
    const search = await pagefind.search(term);
    for (const result of search.results) urls.add((await result.data()).url);
  }
  return [...urls].sort();
}
"""


def test_only_item_pages_are_ever_found(phone: Page, bundled_url: str) -> None:
    phone.goto(bundled_url + "/search/")
    # words on every list, place and notice page, and in the header and footer of every page
    found = phone.evaluate(SEARCH_ALL, ["议 事", "社 区", "公 示", "订 阅", "首 页", "发 布"])
    assert len(found) > 30 and all(ITEM_URL.match(url) for url in found), found


def test_the_search_page_is_accessible_by_keyboard_and_fits_a_phone(
    browser: Browser, bundled_url: str, artifacts: Path
) -> None:
    for viewport, tag in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        search(page, bundled_url, "隔离墩")
        assert layout_problems(page) == []
        assert axe_violations(page) == []
        page.screenshot(path=str(artifacts / f"search-{tag}.png"), full_page=True)
        page.goto(bundled_url + "/search/")
        expect(page.locator(".pagefind-ui__search-input")).to_be_visible()
        assert keyboard_problems(page) == []
        context.close()


def test_without_javascript_the_search_page_says_so_and_links_to_the_lists(
    browser: Browser, bundled_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(bundled_url + "/search/?q=燃气")
    main = page.locator("main")
    expect(main).to_contain_text("搜索需要浏览器开启 JavaScript")
    hrefs = [a.get_attribute("href") for a in main.locator(".search-nojs a").all()]
    assert hrefs == ["/meetings/", "/outcomes/", "/projects/", "/cases/", "/places/"]
    context.close()


def test_with_javascript_the_no_script_message_is_hidden(phone: Page, bundled_url: str) -> None:
    phone.goto(bundled_url + "/search/")
    expect(phone.locator(".pagefind-ui__search-input")).to_be_visible()
    expect(phone.locator("#search-nojs")).to_be_hidden()
    expect(phone.locator(".pagefind-ui__search-input")).to_have_attribute("placeholder", "搜索")
