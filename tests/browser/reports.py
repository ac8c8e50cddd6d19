"""One pass of the browser over every page of a built site, gathering what the gates need.

Each page is loaded four times: on a phone with JavaScript (layout, axe, requests, status
words, print, main text), on a phone without JavaScript (main text), on a desktop (layout), and
on a phone in 长辈模式 (axe, layout, large print: text size, targets, 7:1 contrast).
Tests then assert one gate at a time over all pages, so a failure lists every page it hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser

from .conftest import DESKTOP, PHONE
from .gates import (
    LARGE_PRINT_KEY,
    RequestLog,
    axe_violations,
    colour_only_status,
    html_pages,
    large_print_problems,
    layout_problems,
    main_text,
    print_problems,
)


@dataclass
class PageReport:
    url: str
    axe: list[str] = field(default_factory=list)
    layout_phone: list[str] = field(default_factory=list)
    layout_desktop: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    status_without_words: list[str] = field(default_factory=list)
    printed_navigation: list[str] = field(default_factory=list)
    axe_large: list[str] = field(default_factory=list)
    layout_phone_large: list[str] = field(default_factory=list)
    large_print: list[str] = field(default_factory=list)
    text_with_js: str = ""
    text_without_js: str = ""


def survey(
    browser: Browser, base: str, site: Path, urls: list[str] | None = None, clock: str | None = None
) -> dict[str, PageReport]:
    """``clock``: the readers' time (ISO 8601), the site's build "now" so that live.js finds
    nothing to correct and the pages are surveyed as built (tests/browser/test_live.py surveys
    them later)."""
    reports = {url: PageReport(url) for url in (urls or html_pages(site))}
    contexts = [
        browser.new_context(viewport=PHONE, locale="zh-CN"),
        browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False),
        browser.new_context(viewport=DESKTOP, locale="zh-CN"),
        browser.new_context(viewport=PHONE, locale="zh-CN"),
    ]
    # 长辈模式 as a resident who chose it on an earlier page: the choice is remembered
    contexts[3].add_init_script(f"localStorage.setItem('{LARGE_PRINT_KEY}', '1')")
    phone, plain, desktop, large = (context.new_page() for context in contexts)
    if clock:
        for page in (phone, plain, desktop, large):
            page.clock.set_fixed_time(clock)
    log = RequestLog(base)
    log.attach(phone)
    try:
        for url, report in reports.items():
            log.foreign = []
            phone.goto(base + url)
            report.layout_phone = layout_problems(phone)
            report.status_without_words = colour_only_status(phone)
            report.text_with_js = main_text(phone)
            report.printed_navigation = print_problems(phone)
            report.axe = axe_violations(phone)
            report.foreign_requests = log.foreign
            plain.goto(base + url)
            report.text_without_js = main_text(plain)
            desktop.goto(base + url)
            report.layout_desktop = layout_problems(desktop)
            large.goto(base + url)
            report.layout_phone_large = layout_problems(large)
            report.large_print = large_print_problems(large)
            report.axe_large = axe_violations(large)
    finally:
        for context in contexts:
            context.close()
    return reports
