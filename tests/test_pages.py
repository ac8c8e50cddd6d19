"""What the pages of the complete test site tell a resident (its "now" is 2025-06-15 10:00)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import COMPLETE, build_complete

from gongshi.content.fields import ListOf, Ref, spec
from gongshi.content.models import ITEM_TYPES, Project


def section(html: str, heading_id: str) -> str:
    """The HTML of the section whose heading has ``id=heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


class _Shown(HTMLParser):
    """The text a reader sees without JavaScript: elements marked ``hidden`` (a state live.js
    shows from a later instant) left out."""

    VOID = frozenset({"br", "img", "input", "link", "meta", "hr", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # open elements inside a hidden one, itself included

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth or any(name == "hidden" for name, _ in attrs):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def text(html: str) -> str:
    shown = _Shown()
    shown.feed(html)
    return re.sub(r"\s+", " ", "".join(shown.parts))


@pytest.fixture
def page(complete_site: Path, read_page):
    return lambda url: read_page(complete_site, url)


def test_meetings_split_into_upcoming_and_past_by_now(page) -> None:
    html = page("/meetings/")
    upcoming, past = section(html, "upcoming-title"), section(html, "past-title")
    assert upcoming.index("2025-06-20-yuquan-parking") < upcoming.index(
        "2025-06-08-lingyin-garbage"
    )
    assert upcoming.index("2025-06-08-lingyin-garbage") < upcoming.index("2025-06-25-lingshan-road")
    for held in (
        "2025-05-20-tongjianhu-noise",
        "2025-05-28-yuquan-elevator",
        "2025-06-10-lingshan-water",
    ):
        assert held in past and held not in upcoming


def test_a_cancelled_meeting_is_never_upcoming(page) -> None:
    for url, upcoming_id in [
        ("/meetings/", "upcoming-title"),
        ("/", "upcoming-title"),
        ("/places/tongjianhu/", "next-title"),
    ]:
        assert "2025-06-28-tongjianhu-greening" not in section(page(url), upcoming_id), url
    assert "2025-06-28-tongjianhu-greening" in section(page("/meetings/"), "cancelled-title")
    assert "已取消" in text(page("/meetings/2025-06-28-tongjianhu-greening/"))


@pytest.mark.parametrize(
    ("meeting", "words"),
    [
        ("2025-06-20-yuquan-parking", "待召开"),
        ("2025-06-08-lingyin-garbage", "已延期"),
        ("2025-05-20-tongjianhu-noise", "已召开"),
        ("2025-06-28-tongjianhu-greening", "已取消"),
        ("2025-06-10-lingshan-water", "会期已过，记录待更新"),
    ],
)
def test_meeting_status_is_shown_in_words(page, meeting: str, words: str) -> None:
    status = re.search(r'<p class="item-status">(.*?)</p>', page(f"/meetings/{meeting}/"), re.S)
    assert status and text(status.group(1)).strip() == words


def test_a_postponed_meeting_shows_its_new_time_and_the_change_note(page) -> None:
    body = text(page("/meetings/2025-06-08-lingyin-garbage/"))
    assert "2025年6月22日（星期日） 14:00–15:30" in body
    assert "2025年6月6日：因线上会议平台维护，原定6月8日14:00的会议延期至6月22日14:00" in body


def test_an_overdue_outcome_is_marked_on_its_page_and_in_lists(page) -> None:
    overdue = page("/outcomes/2025-05-20-noise-whistle/")
    assert "已逾期" in text(re.search(r'<p class="item-status">(.*?)</p>', overdue, re.S).group(1))
    assert "办理时限为 2025年6月10日" in text(overdue)
    not_overdue = page("/outcomes/2025-05-28-elevator-gas-whistle/")
    assert "已逾期" not in text(not_overdue)
    listing = page("/outcomes/") + page("/outcomes/page/2/")
    row = listing[listing.index("/outcomes/2025-05-20-noise-whistle/") :].split("</li>")[0]
    assert "已逾期 5 天" in text(row)
    other = listing[listing.index("/outcomes/2025-05-28-elevator-gas-whistle/") :].split("</li>")[0]
    assert "已逾期" not in text(other)
    assert "已逾期" in page("/places/tongjianhu/")


def test_declined_and_closed_outcomes_show_their_reason(page) -> None:
    declined = text(page("/outcomes/2025-05-20-noise-declined/"))
    assert "不予采纳的理由" in declined and "全面停工将影响汛期安全" in declined
    closed = text(page("/outcomes/2025-05-20-noise-referred/"))
    assert "关闭的理由" in closed
    listing = text(page("/outcomes/") + page("/outcomes/page/2/"))
    assert "不予采纳的理由：该工程涉及片区防洪排涝" in listing


def test_projects_show_status_progress_in_text_and_the_pool_summary(page) -> None:
    projects = page("/projects/")
    summary = text(section(projects, "summary-title")).replace(" ", "")
    assert "共5个项目" in summary
    for label in ("已入池1", "已立项1", "实施中1", "已完成1", "暂缓1", "灵山村2", "老有所养2"):
        assert label in summary
    elevator = page("/projects/yuquan-elevator/")
    assert "进度 45%" in text(elevator) and 'style="width: 45%"' in elevator
    assert "72万元" in text(elevator)
    assert "暂缓理由" in text(page("/projects/lingyin-ebike-charging/"))
    assert "尚未开工" in text(page("/projects/lingshan-elderly-canteen/"))


def test_project_page_has_milestone_timeline(page) -> None:
    timeline = section(page("/projects/yuquan-elevator/"), "timeline-title")
    dates = re.findall(r'<time datetime="([\d-]+)">', timeline)
    assert dates == sorted(dates) and len(dates) >= 2


def test_links_go_both_ways_along_meeting_outcome_project_and_cases(page) -> None:
    meeting = section(page("/meetings/2025-05-28-yuquan-elevator/"), "outcomes-title")
    assert "/outcomes/2025-05-28-elevator-pool/" in meeting
    outcome = page("/outcomes/2025-05-28-elevator-pool/")
    assert "/meetings/2025-05-28-yuquan-elevator/" in section(outcome, "meetings-title")
    assert "/projects/yuquan-elevator/" in section(outcome, "project-title")
    project = section(page("/projects/yuquan-elevator/"), "from-title")
    assert "/outcomes/2025-05-28-elevator-pool/" in project
    assert "/outcomes/2025-04-18-elevator-hotline-pool/" in project  # fed by two outcomes
    case = page("/cases/yuquan-elevator-story/")
    assert "/projects/yuquan-elevator/" in case
    for url in ("/meetings/2025-05-28-yuquan-elevator/", "/projects/yuquan-elevator/"):
        assert "/cases/yuquan-elevator-story/" in section(page(url), "cases-title")


def test_a_jurisdiction_page_covers_its_communities_and_a_community_only_itself(page) -> None:
    town = page("/places/shuangpu/")
    assert "/meetings/2025-05-20-tongjianhu-noise/" in town  # 铜鉴湖社区 is in 双浦镇
    assert "/projects/lingshan-elderly-canteen/" in town  # so is 灵山村
    assert "/meetings/2025-05-28-yuquan-elevator/" not in town  # 玉泉社区 is not
    community = page("/places/lingshan/")
    assert "/projects/lingshan-elderly-canteen/" in community
    assert "/meetings/2025-05-20-tongjianhu-noise/" not in community
    assert "/projects/lingyin-ebike-charging/" not in page("/places/yuquan/")  # the 街道's own item


def test_empty_place_renders_friendly_empty_lists(page) -> None:
    body = text(page("/places/lingfeng/"))
    assert "近期没有已公示的议事会。" in body and "暂无协商结果。" in body


def test_list_pages_paginate(page, complete_site: Path) -> None:
    # GONGSHI_PAGE_SIZE is 4 in the test site: 8 outcomes make two pages
    first, second = page("/outcomes/"), page("/outcomes/page/2/")
    assert 'href="/outcomes/page/2/" rel="next"' in first
    assert 'href="/outcomes/" rel="prev"' in second
    assert (
        len(re.findall(r'class="row-title"', first))
        == 4
        == len(re.findall(r'class="row-title"', second))
    )
    assert not (complete_site / "outcomes" / "page" / "3").exists()


def test_change_notes_and_dates_are_shown_in_chinese(page) -> None:
    body = text(page("/outcomes/2025-05-20-noise-whistle/"))
    assert "变更记录" in body
    assert re.search(r"发布于 \d{4}年\d{1,2}月\d{1,2}日", body)


def test_every_page_is_chinese_first_with_skip_link_and_no_other_host(complete_site: Path) -> None:
    for path in complete_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        # the html element's id is the 长辈模式 switch's target without JavaScript (#large)
        assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN" id="large">'), path
        assert '<a class="skip" href="#main">跳到主要内容</a>' in html, path
        assert not re.search(r'<(?:script|img|iframe)[^>]+src="(?:https?:)?//', html), path
        assert not re.search(r'<link rel="(?:stylesheet|icon)"[^>]+href="(?:https?:)?//', html), (
            path
        )


def test_homophone_tags_stay_apart(page) -> None:
    assert "标签：停车、公示、消防通道" in text(page("/meetings/2025-06-20-yuquan-parking/"))
    assert "工事" in text(page("/meetings/2025-05-20-tongjianhu-noise/"))
    assert "工事" not in text(page("/meetings/2025-06-20-yuquan-parking/"))


@dataclass(frozen=True, kw_only=True)
class ProjectFromMeetings(Project):
    """A project naming the meetings it came from: a reference field no bundled type has."""

    meetings: tuple[str, ...] = spec(ListOf(Ref("meeting")), "来源议事会", default=())


def test_every_reference_field_is_linked_back_on_the_pages_and_in_the_open_data(
    tmp_path: Path, read_page
) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    project = content / "projects" / "yuquan-elevator.md"
    meeting = "2025-05-28-yuquan-elevator"
    text_ = project.read_text(encoding="utf-8")
    project.write_text(
        text_.replace("places: yuquan\n", f"places: yuquan\nmeetings: [{meeting}]\n")
    )

    with ITEM_TYPES.registered(ProjectFromMeetings):
        assert build_complete(tmp_path / "out", content=content) == 0

    html = read_page(tmp_path / "out", f"/meetings/{meeting}/")
    related = section(html, "projects-title")
    assert "相关民心项目" in related and 'href="/projects/yuquan-elevator/"' in related
    data = json.loads((tmp_path / "out" / "data" / "meetings.json").read_text(encoding="utf-8"))
    (entry,) = (i for i in data["items"] if i["id"] == meeting)
    assert [link["id"] for link in entry["extras"]["projects"]] == ["yuquan-elevator"]
    projects = json.loads((tmp_path / "out" / "data" / "projects.json").read_text("utf-8"))
    (elevator,) = (i for i in projects["items"] if i["id"] == "yuquan-elevator")
    assert [link["id"] for link in elevator["meetings"]] == [meeting]


def test_a_place_page_shows_its_public_contact_details(page) -> None:
    lingyin = section(page("/places/lingyin/"), "contact-title")
    for words in ["联系灵隐街道", "办公地址", "西湖区灵隐示例路 8 号（示例）", "服务电话", "0571-87001234",
                  "办公时间", "周一至周五 8:30–12:00、14:00–17:30"]:  # fmt: skip
        assert words in text(lingyin)
    yuquan = text(section(page("/places/yuquan/"), "contact-title"))
    assert "0571-87005678" in yuquan and "办公地址" not in yuquan  # only what was given
    assert 'id="contact-title"' not in page("/places/lingfeng/")  # nothing given: no section


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete site built on 2025-10-05: the elevator project (due 09-30, in progress) and
    the gas-pipe outcome (deadline 07-15, in progress) are overdue."""
    output = tmp_path_factory.mktemp("october") / "out"
    assert build_complete(output, now="2025-10-05 10:00") == 0
    return output


def _read(site: Path, url: str) -> str:
    return (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def test_a_project_past_its_due_date_is_overdue_with_its_days_everywhere(october: Path) -> None:
    words = "已逾期 5 天"  # due 09-30: overdue from 10-01, 5 days on 10-05
    page = text(_read(october, "/projects/yuquan-elevator/"))
    assert words in page and f"{words}：计划完成日期为 2025年9月30日，目前仍为“实施中”。" in page
    for url in ("/projects/", "/places/yuquan/", "/places/lingyin/", "/", "/overdue/"):
        html = _read(october, url)
        row = html[html.index("/projects/yuquan-elevator/") :].split("</li>")[0]
        assert words in text(row), url
    not_yet = _read(october, "/projects/lingshan-clinic-upgrade/")  # due 10-31
    assert "已逾期" not in text(not_yet) and 'data-live-from="2025-11-01T00:00+08:00"' in not_yet
    done = _read(october, "/projects/tongjianhu-pocket-park/")  # completed, due 05-31
    assert "已逾期" not in done


def test_only_overdue_pages_list_what_is_overdue_longest_first(october: Path) -> None:
    site = text(_read(october, "/overdue/"))
    assert "逾期的协商结果（2 项）" in site and "逾期的民心项目（1 个）" in site
    html = _read(october, "/overdue/")
    assert html.index("2025-05-20-noise-whistle") < html.index("2025-05-28-elevator-gas-whistle")
    assert "已逾期 82 天" in site  # gas pipes: deadline 07-15
    yuquan = _read(october, "/places/yuquan/overdue/")
    assert "yuquan-elevator" in yuquan and "2025-05-20-noise-whistle" not in yuquan
    assert "逾期的协商结果（1 项）" in text(yuquan)
    for key in ("outcomes", "projects"):
        assert f'href="/overdue/#{key}-title">只看逾期</a>' in _read(october, f"/{key}/")
        link = f'href="/places/yuquan/overdue/#{key}-title">只看逾期</a>'
        assert link in _read(october, "/places/yuquan/")


BUILT = ("2025年6月15日 10:00", "2025-06-15T10:00")  # the complete site's "now", as pages write it
CARRY_THE_BUILD_TIME = ("about/", "board/", "data/")  # the site's update time; data "as of" it


def test_only_the_about_page_and_the_ledger_say_when_the_site_was_built(
    page, complete_site: Path
) -> None:
    """A page says the build's time only where that time is what it reports: every other page
    changes only when what it says does, so a daily rebuild rewrites only those."""
    about = page("/about/")
    assert (
        '<section aria-labelledby="updated-title" id="updated">' in about
        and '<time datetime="2025-06-15T10:00+08:00" data-live-built '
        'data-tz="Asia/Shanghai">2025年6月15日 10:00</time>'
        in about
    )
    pages = sorted(complete_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        url = path.relative_to(complete_site).as_posix()
        html = path.read_text(encoding="utf-8")
        if not url.startswith(CARRY_THE_BUILD_TIME):
            assert not any(form in html for form in BUILT), url
        if url != "404.html" and html.startswith("<!DOCTYPE html>") and "<footer" in html:
            assert '<a href="/about/#updated">本站更新时间</a>' in html, url


def test_every_page_runs_live_states(page) -> None:
    for url in ("/", "/meetings/", "/outcomes/2025-05-20-noise-whistle/", "/overdue/"):
        assert '<script src="/theme/js/live.js" defer></script>' in page(url), url


def test_a_held_meeting_leads_with_its_outcomes_then_its_record(page) -> None:
    html = page("/meetings/2025-05-28-yuquan-elevator/")
    outcomes = html.index('id="outcomes-title"')
    record = html.index("<h2>会议记录</h2>")
    assert outcomes < record < html.index('<dl class="facts') < html.index('id="topics-title"')
    assert html.index('class="lead"') < outcomes  # after the title and summary, nothing first
    assert "申请参加" not in text(html) and 'data-live="attend"' not in html
    listed = section(html, "outcomes-title")
    assert "吹哨报到" in text(listed) and "纳入民心项目池" in text(listed)  # route labels
    assert "背景资料" in text(html[record:])  # the rest of the body still follows


@pytest.mark.parametrize(
    "meeting",
    ["2025-06-10-lingshan-water", "2025-06-28-tongjianhu-greening"],  # past unrecorded, cancelled
)
def test_no_application_box_once_a_meeting_is_past(page, meeting: str) -> None:
    assert 'data-live="attend"' not in page(f"/meetings/{meeting}/")


def test_an_upcoming_meeting_before_its_deadline_invites_applications(page) -> None:
    html = page("/meetings/2025-06-20-yuquan-parking/")
    box = html[html.index('data-live="attend"') : html.index("</section>", html.index("attend"))]
    assert 'data-deadline="2025-06-18"' in box and "申请参加" in text(box)
    assert "申请已截止" not in text(html)  # the label is there, hidden, for live.js to show
    assert html.index('data-live="attend"') < html.index('id="outcomes-title"')


def test_the_application_box_says_closed_after_its_deadline(tmp_path: Path, read_page) -> None:
    assert build_complete(tmp_path / "out", now="2025-06-19 09:00") == 0
    html = read_page(tmp_path / "out", "/meetings/2025-06-20-yuquan-parking/")
    start = html.index('data-live="attend"')
    box = text(html[start : html.index("</section>", start)])
    assert "申请已截止" in box and "2025年6月18日" in box and "窗口登记" not in box
