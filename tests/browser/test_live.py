"""Time-dependent facts stay right after the build (issue 10): the complete test site is built at
2025-06-15 10:00; a reader's clock set later (Playwright's clock) sees live.js correct the
labels and the list placement and say so; without JavaScript the built state and its date stand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, run_cli
from playwright.sync_api import Browser, Page, expect

from .conftest import PHONE, serve
from .gates import axe_violations, layout_problems

pytestmark = pytest.mark.browser

AFTER = "2025-07-20T10:00:00+08:00"  # past the meetings of 06-20, 06-22, 06-25 and 07-15's deadline
PARKING = "/meetings/2025-06-20-yuquan-parking/"
GAS = "/outcomes/2025-05-28-elevator-gas-whistle/"  # deadline 2025-07-15, in progress
NOISE = "/outcomes/2025-05-20-noise-whistle/"  # deadline 2025-06-10: 5 days overdue when built


def _open(browser: Browser, url: str, clock: str | None, *, js: bool = True) -> Page:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=js)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if clock:
        page.clock.set_fixed_time(clock)
    page.goto(url)
    page.wait_for_load_state("load")
    assert errors == []
    return page


def _cards(page: Page, heading_id: str) -> list[str]:
    section = page.locator(f"section:has(#{heading_id})")
    return [h.split("/")[-2] for h in section.locator(".card-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )]  # fmt: skip


def test_a_meeting_past_its_start_moves_to_the_past_and_says_so(
    browser: Browser, complete_url: str, artifacts: Path
) -> None:
    page = _open(browser, complete_url + "/meetings/", AFTER)
    assert _cards(page, "upcoming-title") == []
    expect(page.locator("section:has(#upcoming-title) .empty")).to_have_text(
        "近期没有已公示的议事会。", use_inner_text=True
    )
    past = _cards(page, "past-title")
    assert past[:3] == [
        "2025-06-25-lingshan-road", "2025-06-08-lingyin-garbage", "2025-06-20-yuquan-parking"
    ]  # fmt: skip
    for card in page.locator("section:has(#past-title) .card-status").all()[:3]:
        expect(card).to_have_text("会期已过，记录待更新", use_inner_text=True)
    expect(page.locator("#live-note")).to_be_visible()
    expect(page.locator("#live-note")).to_contain_text(
        "本页状态已按您设备上的当前时间更新", use_inner_text=True
    )
    page.screenshot(path=str(artifacts / "live-meetings-phone.png"), full_page=True)
    assert axe_violations(page) == [] and layout_problems(page) == []  # the changed page too
    page.context.close()


def test_the_meeting_page_and_its_application_box_follow_the_clock(
    browser: Browser, complete_url: str, artifacts: Path
) -> None:
    page = _open(browser, complete_url + PARKING, AFTER)
    expect(page.locator(".item-status")).to_have_text("会期已过，记录待更新", use_inner_text=True)
    # once the meeting has begun, the application box and 加入日历 go, as a build then would
    expect(page.locator(".attend")).to_be_hidden()
    expect(page.get_by_role("link", name="加入日历")).to_be_hidden()
    page.screenshot(path=str(artifacts / "live-meeting-phone.png"), full_page=True)
    assert axe_violations(page) == [] and layout_problems(page) == []
    page.context.close()
    # between the application deadline (06-18) and the start: the box says applications closed
    page = _open(browser, complete_url + PARKING, "2025-06-19T09:00:00+08:00")
    expect(page.locator(".attend .alert")).to_have_text("申请已截止", use_inner_text=True)
    expect(page.locator(".attend").get_by_text("到社区党群服务中心一楼窗口登记")).to_be_hidden()
    expect(page.get_by_role("link", name="加入日历")).to_be_visible()
    page.context.close()
    # between the application deadline (06-18) and the start: still upcoming, applications closed
    page = _open(browser, complete_url + "/meetings/", "2025-06-19T09:00:00+08:00")
    card = page.locator("li:has(a[href='/meetings/2025-06-20-yuquan-parking/'])")
    expect(card.locator(".card-status")).to_have_text("待召开", use_inner_text=True)
    expect(card).to_contain_text("申请已截止", use_inner_text=True)
    assert _cards(page, "upcoming-title")[0] == "2025-06-20-yuquan-parking"
    expect(page.locator("#live-note")).to_be_visible()
    page.context.close()


def test_an_outcome_past_its_deadline_is_overdue_with_its_days(
    browser: Browser, complete_url: str, artifacts: Path
) -> None:
    page = _open(browser, complete_url + GAS, AFTER)
    expect(page.locator(".item-status")).to_have_text("办理中 已逾期 5 天", use_inner_text=True)
    expect(page.locator(".alert")).to_contain_text(
        "已逾期 5 天：办理时限为 2025年7月15日", use_inner_text=True
    )
    page.screenshot(path=str(artifacts / "live-outcome-phone.png"), full_page=True)
    assert axe_violations(page) == [] and layout_problems(page) == []
    page.context.close()
    page = _open(browser, complete_url + NOISE, AFTER)  # overdue when built: the days go on
    expect(page.locator(".item-status")).to_have_text("办理中 已逾期 40 天", use_inner_text=True)
    page.context.close()
    page = _open(browser, complete_url + "/places/yuquan/", AFTER)
    row = page.locator("li.row:has(a[href='/outcomes/2025-05-28-elevator-gas-whistle/'])")
    expect(row.locator(".badge-outcome-overdue")).to_have_text("已逾期 5 天", use_inner_text=True)
    assert "2025-06-20-yuquan-parking" in _cards(page, "past-title")
    assert _cards(page, "next-title") == []
    page.screenshot(path=str(artifacts / "live-place-phone.png"), full_page=True)
    page.context.close()


def test_nothing_changed_nothing_said(browser: Browser, complete_url: str) -> None:
    page = _open(browser, complete_url + "/meetings/", "2025-06-15T12:00:00+08:00")
    expect(page.locator("#live-note")).to_be_hidden()
    assert _cards(page, "upcoming-title")[0] == "2025-06-20-yuquan-parking"
    page.context.close()


def test_without_javascript_the_built_state_and_its_date_stand(
    browser: Browser, complete_url: str
) -> None:
    page = _open(browser, complete_url + "/meetings/", AFTER, js=False)
    assert _cards(page, "upcoming-title")[:1] == ["2025-06-20-yuquan-parking"]
    expect(page.locator("#live-note")).to_be_hidden()
    expect(page.locator(".generated")).to_have_text(
        "会议、办理等状态按本站更新时间计算", use_inner_text=True
    )
    page.locator(".generated a").click()  # the footer's link: when the states were computed
    expect(page.locator("#updated")).to_contain_text("本站最近一次生成于 2025年6月15日 10:00")
    page.context.close()
    page = _open(browser, complete_url + PARKING, AFTER, js=False)
    expect(page.locator(".item-status")).to_have_text("待召开", use_inner_text=True)
    expect(page.locator(".attend .alert")).to_be_hidden()
    page.context.close()
    page = _open(browser, complete_url + GAS, AFTER, js=False)
    expect(page.locator(".item-status")).to_have_text("办理中", use_inner_text=True)
    page.context.close()


@pytest.fixture(scope="module")
def short_lists_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The complete site with one item per list section, so the home page links to "全部 N 场
    即将召开" and place pages say "共 N 场，此处显示最近 M 场"."""
    root = tmp_path_factory.mktemp("short")
    settings = root / "pelicanconf.py"
    conf = (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
    conf = conf.replace('THEME = "../../../themes/gongshi"', f'THEME = "{ROOT}/themes/gongshi"')
    settings.write_text(conf + "GONGSHI_HOME_ITEMS = 1\nGONGSHI_PAGE_SIZE = 1\n", encoding="utf-8")
    code, _, err = run_cli(
        "--settings", str(settings), "build", "--content", str(COMPLETE / "content"),
        "--output", str(root / "out"), "--now", COMPLETE_NOW,
    )  # fmt: skip
    assert code == 0, err
    yield from serve(root / "out")


def test_counts_follow_the_meetings_that_moved(browser: Browser, short_lists_url: str) -> None:
    page = _open(browser, short_lists_url + "/", "2025-06-21T09:00:00+08:00")  # parking is past
    expect(page.locator("[data-live-count=upcoming]")).to_have_text("2")  # built: 3
    # the one card shown has moved out; more are to come, so no "none to come" is said
    expect(page.locator("section:has(#upcoming-title) .empty")).to_have_count(0)
    assert _cards(page, "upcoming-title") == []
    page.context.close()
    page = _open(browser, short_lists_url + "/", None, js=False)
    expect(page.locator("[data-live-count=upcoming]")).to_have_text("3")
    page.context.close()
    # built: 共 2 场，此处显示最近 1 场; the road meeting of 06-25 joins them
    page = _open(browser, short_lists_url + "/places/shuangpu/", "2025-06-26T09:00:00+08:00")
    more = page.locator("section:has(#past-title) .more")
    expect(more).to_contain_text("共 3 场，此处显示最近 2 场", use_inner_text=True)
    page.context.close()
