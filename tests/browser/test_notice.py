"""The printable notice (公示) in Debian Chromium: one A4 page, a QR code that scans, the 打印 button.

Every meeting's notice of both sites is printed with Chromium's own PDF printer and its pages are
counted with ``pdfinfo`` (poppler-utils). One notice is kept as a PDF, a 100 dpi PNG of the printed
page and a 360 px screenshot in ``test-artifacts/notice/``, for people to look at.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from test_notice import published_meetings, site_url

from .conftest import PHONE
from .gates import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "notice"
LONG_ID = "2024-02-27-zhangguozhuang-fushengyuan-parking"  # the bundled portal's longest id


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M)
    assert match, info.stdout
    return int(match.group(1))


def decode_qr(png: Path) -> list[str]:
    with Image.open(png) as image:
        return [barcode.text for barcode in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize(
    ("site", "base"), [("bundled", "bundled_url"), ("complete", "complete_url")]
)
def test_every_notice_prints_on_exactly_one_a4_page(
    request: pytest.FixtureRequest, phone: Page, tmp_path: Path, site: str, base: str
) -> None:
    url = request.getfixturevalue(base)
    pages = {}
    for mid in published_meetings(site):
        phone.goto(f"{url}/meetings/{mid}/notice/")
        pdf = tmp_path / f"{mid}.pdf"
        phone.pdf(path=str(pdf), format="A4", print_background=True)
        pages[mid] = pdf_pages(pdf)
    assert len(pages) >= 7
    assert {mid: n for mid, n in pages.items() if n != 1} == {}


def test_the_printed_notice_is_kept_and_its_qr_code_scans(
    phone: Page, bundled_url: str, artifacts: Path
) -> None:
    phone.goto(f"{bundled_url}/meetings/{LONG_ID}/notice/")
    phone.screenshot(path=str(artifacts / "notice-phone-360.png"), full_page=True)
    pdf = artifacts / "notice.pdf"
    phone.pdf(path=str(pdf), format="A4", print_background=True)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(artifacts / "notice-a4")],
        check=True,
    )
    printed = artifacts / "notice-a4.png"
    with Image.open(printed) as image:  # A4 at 100 dpi: 827 × 1169 pixels
        assert abs(image.width - 827) <= 2 and abs(image.height - 1169) <= 2
    assert decode_qr(printed) == [f"https://gongshi.example.org/meetings/{LONG_ID}/"]


@pytest.mark.parametrize(
    ("site", "base", "mid"),
    [
        ("bundled", "bundled_url", LONG_ID),
        ("bundled", "bundled_url", "2026-11-21-kangrun-xili-openair"),
        ("complete", "complete_url", "2025-06-20-yuquan-parking"),
        ("complete", "complete_url", "2025-06-28-tongjianhu-greening"),
    ],
)
def test_the_qr_code_on_screen_opens_the_meeting_page(
    request: pytest.FixtureRequest, phone: Page, tmp_path: Path, site: str, base: str, mid: str
) -> None:
    phone.goto(f"{request.getfixturevalue(base)}/meetings/{mid}/notice/")
    shot = tmp_path / "notice.png"
    phone.locator(".notice").screenshot(path=str(shot))
    assert decode_qr(shot) == [f"{site_url(site)}/meetings/{mid}/"]


def test_the_notice_lists_topics_in_agenda_order_and_the_deadline(
    phone: Page, bundled_url: str
) -> None:
    mid = "2027-01-12-dahuichang-monthly"
    phone.goto(f"{bundled_url}/meetings/{mid}/notice/")
    text = phone.locator(".notice").inner_text()
    topics = published_meetings("bundled")[mid]["topics"]
    positions = [text.index(topic) for topic in topics]
    assert positions == sorted(positions) and len(topics) == 3
    assert "申请截止：2027年1月8日" in text
    assert "2027年1月12日（星期二） 14:00–16:00" in text
    assert "公示日期：2026年11月20日" in text


def test_the_print_button_prints_and_without_javascript_the_hint_says_how(
    browser: Browser, phone: Page, bundled_url: str
) -> None:
    url = f"{bundled_url}/meetings/{LONG_ID}/notice/"
    phone.goto(url)
    phone.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button = phone.get_by_role("button", name="打印", exact=True)
    expect(button).to_be_visible()
    button.click()
    assert phone.evaluate("window.printed") == 1
    hint = "用浏览器的“打印”功能"
    expect(phone.locator(".notice-tools")).to_contain_text(hint)
    phone.emulate_media(media="print")
    for hidden in (".notice-tools", ".masthead", ".site-footer"):
        expect(phone.locator(hidden)).to_be_hidden()  # only the notice is printed
    phone.emulate_media(media="screen")
    plain = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = plain.new_page()
    page.goto(url)
    expect(page.locator("button[data-print]")).to_be_hidden()  # it could do nothing: not shown
    expect(page.locator(".notice-tools")).to_contain_text(hint)
    plain.close()


@pytest.mark.parametrize(
    ("base", "mid", "words"),
    [
        ("bundled_url", "2026-12-03-dahuichang-ev-charging", ["已取消", "本次会议取消"]),
        ("complete_url", "2025-06-28-tongjianhu-greening", ["已取消", "另行通知"]),
        ("bundled_url", "2026-11-21-kangrun-xili-openair", ["已延期", "改于 2027年3月20日（星期六） 14:30 召开", "因降雨延期"]),
        ("complete_url", "2025-06-08-lingyin-garbage", ["已延期", "改于 2025年6月22日（星期日） 14:00 召开", "平台维护"]),
    ],
)  # fmt: skip
def test_cancelled_and_postponed_notices_say_so_first(
    request: pytest.FixtureRequest, phone: Page, base: str, mid: str, words: list[str]
) -> None:
    phone.goto(f"{request.getfixturevalue(base)}/meetings/{mid}/notice/")
    alert = phone.locator(".notice-alert")
    expect(alert).to_be_visible()
    for word in words:
        expect(alert).to_contain_text(word)
    stamp = alert.locator(".notice-stamp")
    size = float(stamp.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 1.4 * float(
        phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    )
