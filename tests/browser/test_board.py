"""The public ledger board in Chromium: its charts legible on a phone, in print and in 长辈模式."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# The smallest a chart's text may render, in CSS px: the theme's smallest text is 0.75rem.
SMALLEST_TEXT = 12
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const sizes = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height);
  const box = svg.getBoundingClientRect();
  return {id: svg.id, right: box.right, width: box.width, shown: box.height > 0,
          smallest: Math.min(...sizes)};
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/board/", "/places/qiaoxi/"])
def test_charts_fit_and_their_text_is_legible(
    browser: Browser, board_url: str, path: str, viewport: dict[str, int]
) -> None:
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(board_url + path)
    charts = page.evaluate(CHART_TEXT)
    assert len(charts) == 3
    for chart in charts:
        assert chart["shown"] and chart["right"] <= viewport["width"], chart
        assert chart["smallest"] >= SMALLEST_TEXT, chart
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.context.close()


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
def test_the_board_prints_its_charts_and_tables(
    browser: Browser, board_url: str, large: bool
) -> None:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(board_url + "/board/" + ("#large" if large else ""))
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart, table.board-table')]
              .map(e => e.getBoundingClientRect().height > 0)"""
    )
    assert shown and all(shown)
    assert page.locator("nav[aria-label='主导航']").is_hidden()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.context.close()
