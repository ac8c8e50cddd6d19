"""The iCalendar files: what a resident's calendar app receives (complete site "now" is
2025-06-15 10:00 Asia/Shanghai, i.e. 02:00 UTC)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
from conftest import BUNDLED_NOW, COMPLETE, COMPLETE_NOW, ROOT, build_complete, complete_build
from icalendar import Timezone

from gongshi.content.models import Meeting
from gongshi.outputs import calendars
from gongshi.publish.run import load_settings
from gongshi.settings import from_pelican
from gongshi.site.load import load_site

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPLETE_URL = "https://yishi.xihu.example.cn"
COMPLETE_NAME = "西湖区社区议事协商公开栏"
PLACES = ["lingyin", "yuquan", "lingfeng", "shuangpu", "tongjianhu", "lingshan"]
POSTPONED = "2025-06-08-lingyin-garbage"
CANCELLED = "2025-06-28-tongjianhu-greening"
NO_END = "2025-06-25-lingshan-road"
PARKING = "2025-06-20-yuquan-parking"


def read(site: Path, url: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / url.lstrip("/")).read_bytes())


def events(site: Path, url: str) -> dict[str, icalendar.Event]:
    """The events of a calendar by meeting id (read back from each event's URL)."""
    found = {}
    for vevent in read(site, url).walk("VEVENT"):
        meeting_id = str(vevent["URL"]).rstrip("/").rsplit("/", 1)[1]
        found[meeting_id] = vevent
    return found


def event(site: Path, meeting_id: str) -> icalendar.Event:
    (only,) = events(site, f"/meetings/{meeting_id}/event.ics").values()
    return only


SITES = {"complete": (COMPLETE, COMPLETE_NOW), "bundled": (ROOT, BUNDLED_NOW)}


@pytest.fixture(params=sorted(SITES))
def built(request: pytest.FixtureRequest):
    """(built site, its index as the build saw it): the complete test site and the bundled one."""
    folder, now = SITES[request.param]
    settings = load_settings(folder / "pelicanconf.py", {"GONGSHI_NOW": now})
    index = load_site(Path(settings["PATH"]), from_pelican(settings))
    return request.getfixturevalue(f"{request.param}_site"), index


# -- every file ----------------------------------------------------------------------------------


def test_every_calendar_exists_and_parses_with_two_independent_libraries(built) -> None:
    site, index = built
    expected = {
        "calendar/meetings.ics",
        *(f"calendar/places/{p.id}.ics" for p in index.places),
        *(f"meetings/{m.id}/event.ics" for m in index.items("meeting")),
    }
    assert {str(p.relative_to(site)) for p in site.rglob("*.ics")} == expected
    for name in sorted(expected):
        data = (site / name).read_bytes()
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
        icalendar.Calendar.from_ical(data)
        parsed = ics.Calendar(data.decode("utf-8"))  # the independent parser
        assert len(parsed.events) == len(read(site, name).walk("VEVENT")), name


def test_every_calendar_declares_itself_and_its_time_zone(built) -> None:
    site, _ = built
    for path in sorted(site.rglob("*.ics")):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]).startswith("-//Gongshi//")
        assert str(cal["CALSCALE"]) == "GREGORIAN"
        assert str(cal["METHOD"]) == "PUBLISH"
        assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"], path
        for vevent in path.read_text(encoding="utf-8").split("BEGIN:VEVENT")[1:]:
            lines = vevent.split("END:VEVENT")[0].splitlines()
            assert [x[:27] for x in lines if x.startswith("DTSTART")] == [
                "DTSTART;TZID=Asia/Shanghai:"
            ], path
            assert [x[:25] for x in lines if x.startswith("DTEND")] == [
                "DTEND;TZID=Asia/Shanghai:"
            ], path


def test_calendar_names_say_the_site_and_what_they_hold(complete_site: Path) -> None:
    def name(url: str) -> str:
        return str(read(complete_site, url)["X-WR-CALNAME"])

    assert name("/calendar/meetings.ics") == f"{COMPLETE_NAME} · 全部议事会"
    assert name("/calendar/places/yuquan.ics") == f"{COMPLETE_NAME} · 玉泉社区"
    assert (
        name(f"/meetings/{PARKING}/event.ics") == f"{COMPLETE_NAME} · 玉泉社区停车难问题议事协商会"
    )


def test_every_event_matches_its_meeting(built) -> None:
    site, index = built
    host = str(read(site, "/calendar/meetings.ics").walk("VEVENT")[0]["UID"]).split("@")[1]
    everything = events(site, "/calendar/meetings.ics")
    assert list(everything) == [m.id for m in index.items("meeting")]  # by start, drafts absent
    for m in index.items("meeting"):
        for vevent in (everything[m.id], event(site, m.id)):
            assert str(vevent["UID"]) == f"meeting-{m.id}@{host}"
            assert vevent.decoded("DTSTART") == m.start
            assert vevent.decoded("DTSTART").tzinfo.key == "Asia/Shanghai"
            assert vevent.decoded("DTEND") == (m.end or m.start + timedelta(minutes=120))
            # each change note and ``updated`` count once (index.revision): never fewer than the notes
            assert vevent["SEQUENCE"] == len(m.changes) + (m.updated is not None)
            assert str(vevent["LOCATION"]) == m.location
            assert str(vevent["URL"]).endswith(m.url) and str(vevent["URL"]).startswith("https://")
            status = "CANCELLED" if m.status == "cancelled" else "CONFIRMED"
            assert str(vevent["STATUS"]) == status
            assert vevent.decoded("DTSTAMP") == index.changed(m).astimezone(UTC)
            assert vevent.decoded("DTSTAMP") == vevent.decoded("LAST-MODIFIED")
            assert vevent.decoded("DTSTAMP").utcoffset() == timedelta(0)
        assert everything[m.id].to_ical() == event(site, m.id).to_ical()


# -- the states of the complete site -------------------------------------------------------------


def test_dtstamp_is_the_last_change_not_the_builds_now(complete_site: Path) -> None:
    text = (complete_site / f"meetings/{PARKING}/event.ics").read_text(encoding="utf-8")
    stamp = next(line for line in text.splitlines() if line.startswith("DTSTAMP:"))
    assert stamp != "DTSTAMP:20250615T020000Z"  # the build's now (2025-06-15 10:00)
    assert stamp.replace("DTSTAMP", "LAST-MODIFIED") in text


def test_a_cancelled_meeting_is_cancelled_in_calendars(complete_site: Path) -> None:
    vevent = event(complete_site, CANCELLED)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]) == "【已取消】铜鉴湖社区公共绿地改造议事会"
    assert vevent["SEQUENCE"] == 2  # updated and one change note
    assert "本次会议取消" in str(vevent["DESCRIPTION"])
    assert str(events(complete_site, "/calendar/places/tongjianhu.ics")[CANCELLED]["STATUS"]) == (
        "CANCELLED"
    )


def test_a_postponed_meeting_is_confirmed_at_its_new_time(complete_site: Path) -> None:
    vevent = event(complete_site, POSTPONED)
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]) == "【已延期】灵隐街道垃圾分类投放点调整线上协商会"
    assert vevent.decoded("DTSTART") == datetime(2025, 6, 22, 14, 0, tzinfo=SHANGHAI)
    assert vevent.decoded("DTEND") == datetime(2025, 6, 22, 15, 30, tzinfo=SHANGHAI)
    assert vevent["SEQUENCE"] == 2  # updated and one change note: calendar apps take the update
    assert "原定6月8日14:00的会议延期至6月22日14:00" in str(vevent["DESCRIPTION"])
    # LAST-MODIFIED: the latest of date, updated (2025-06-06) and the change notes, in UTC
    assert vevent.decoded("LAST-MODIFIED") == datetime(2025, 6, 5, 16, 0, tzinfo=UTC)


def test_a_meeting_without_end_lasts_the_default_120_minutes(complete_site: Path) -> None:
    vevent = event(complete_site, NO_END)
    assert vevent.decoded("DTSTART") == datetime(2025, 6, 25, 9, 30, tzinfo=SHANGHAI)
    assert vevent.decoded("DTEND") == datetime(2025, 6, 25, 11, 30, tzinfo=SHANGHAI)
    assert vevent["SEQUENCE"] == 0
    assert "CATEGORIES" not in vevent  # no tags
    assert str(vevent["SUMMARY"]) == "灵山村村道拓宽议事会"


def test_the_description_carries_the_notice(complete_site: Path) -> None:
    vevent = event(complete_site, PARKING)
    text = str(vevent["DESCRIPTION"])
    assert "<" not in text  # plain text
    assert text.startswith("围绕老旧小区夜间停车难、消防通道被占等问题召开议事协商会")
    topics = ["1. 夜间停车位错峰共享方案", "2. 消防通道占用整治", "3. 非机动车停放区域划定"]
    assert "协商议题：\n" + "\n".join(topics) in text  # in agenda order
    assert "召集人：玉泉社区党委" in text and "主持人：玉泉社区党委书记" in text
    assert (
        "申请参加：到社区党群服务中心一楼窗口登记，或拨打12345留言说明（截止 2025年6月18日）"
        in text
    )
    assert text.endswith(f"详情：{COMPLETE_URL}/meetings/{PARKING}/")
    assert str(vevent["URL"]) == f"{COMPLETE_URL}/meetings/{PARKING}/"
    assert [str(c) for c in vevent["CATEGORIES"].cats] == ["停车", "公示", "消防通道"]
    assert str(vevent["LOCATION"]) == "玉泉社区党群服务中心二楼议事厅"


def test_a_jurisdictions_calendar_includes_its_communities_meetings(complete_site: Path) -> None:
    assert list(events(complete_site, "/calendar/places/lingyin.ics")) == [
        "2025-05-28-yuquan-elevator",
        PARKING,
        POSTPONED,  # placed on the jurisdiction itself; starts 2025-06-22
    ]
    assert list(events(complete_site, "/calendar/places/shuangpu.ics")) == [
        "2025-05-20-tongjianhu-noise",
        "2025-06-10-lingshan-water",
        NO_END,
        CANCELLED,
    ]


def test_a_communitys_calendar_holds_only_its_own_meetings(complete_site: Path) -> None:
    assert list(events(complete_site, "/calendar/places/yuquan.ics")) == [
        "2025-05-28-yuquan-elevator",
        PARKING,
    ]  # not the jurisdiction's own postponed meeting, nor other communities'
    assert list(events(complete_site, "/calendar/places/lingshan.ics")) == [
        "2025-06-10-lingshan-water",
        NO_END,
    ]
    assert events(complete_site, "/calendar/places/lingfeng.ics") == {}
    empty = read(complete_site, "/calendar/places/lingfeng.ics")
    assert empty.walk("VTIMEZONE")  # still one component, as RFC 5545 requires


def test_drafts_are_in_no_calendar(complete_site: Path) -> None:
    assert not (complete_site / "meetings/2025-06-30-lingshan-draft").exists()
    for path in complete_site.rglob("*.ics"):
        text = path.read_text(encoding="utf-8")
        assert "lingshan-draft" not in text and "草稿不应出现" not in text, path


# -- stable identities ---------------------------------------------------------------------------


def test_rebuilding_gives_identical_calendars(tmp_path: Path, complete_site: Path) -> None:
    again = tmp_path / "again"
    build_complete(again)
    for path in complete_site.rglob("*.ics"):
        assert (again / path.relative_to(complete_site)).read_bytes() == path.read_bytes()


def test_uid_survives_a_retitle_and_a_new_time(tmp_path: Path, complete_site: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    meeting = content / "meetings" / f"{PARKING}.md"
    text = meeting.read_text(encoding="utf-8")
    for old, new in [
        ("title: 玉泉社区停车难问题议事协商会", "title: 玉泉社区停车难问题议事协商会（改期）"),
        ("start: 2025-06-20 14:30", "start: 2025-06-27 09:00"),
        ("end: 2025-06-20 16:00", "end: 2025-06-27 11:00"),
        ("status: scheduled", "status: postponed\nchanges:\n  - {date: 2025-06-14, note: 改期}"),
    ]:
        assert old in text
        text = text.replace(old, new)
    meeting.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    assert build_complete(output, content=content) == 0

    before, after = event(complete_site, PARKING), event(output, PARKING)
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["SUMMARY"]) == "【已延期】玉泉社区停车难问题议事协商会（改期）"
    assert after.decoded("DTSTART") == datetime(2025, 6, 27, 9, 0, tzinfo=SHANGHAI)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)  # so calendar apps replace it
    assert after.decoded("LAST-MODIFIED") == datetime(2025, 6, 13, 16, 0, tzinfo=UTC)
    uids = {str(e["UID"]) for e in read(output, "/calendar/meetings.ics").walk("VEVENT")}
    assert uids == {
        str(e["UID"]) for e in read(complete_site, "/calendar/meetings.ics").walk("VEVENT")
    }


def test_uids_are_unique_and_name_the_sites_host(complete_site: Path) -> None:
    uids = [str(e["UID"]) for e in read(complete_site, "/calendar/meetings.ics").walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 7
    assert all(u.endswith("@yishi.xihu.example.cn") for u in uids)
    assert f"meeting-{PARKING}@yishi.xihu.example.cn" in uids


def test_each_place_calendar_holds_exactly_the_meetings_of_the_places_it_covers(built) -> None:
    site, index = built
    for place in index.places:
        covered = {place.id, *place.children}
        expected = [m.id for m in index.items("meeting") if covered & set(m.places)]
        assert list(events(site, f"/calendar/places/{place.id}.ics")) == expected, place.id


# -- the meeting page ----------------------------------------------------------------------------


@pytest.mark.parametrize("meeting", [PARKING, POSTPONED, NO_END])
def test_an_upcoming_meetings_page_offers_its_calendar_file(
    complete_site: Path, read_page, meeting: str
) -> None:
    html = read_page(complete_site, f"/meetings/{meeting}/")
    href = f"/meetings/{meeting}/event.ics"
    link = f'<a href="{href}" type="text/calendar">加入日历</a>'
    assert link in html and "下载后用手机日历打开" in html
    assert html.index("<dt>时间</dt>") < html.index(link) < html.index('id="topics-title"')
    assert (complete_site / href.lstrip("/")).is_file()


@pytest.mark.parametrize(
    "meeting", [CANCELLED, "2025-05-20-tongjianhu-noise", "2025-06-10-lingshan-water"]
)
def test_no_add_to_calendar_for_a_meeting_no_one_can_go_to(
    complete_site: Path, read_page, meeting: str
) -> None:
    assert "加入日历" not in read_page(complete_site, f"/meetings/{meeting}/")


def test_a_change_note_raises_sequence_and_last_modified(
    tmp_path: Path, complete_site: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    meeting = content / "meetings" / f"{POSTPONED}.md"
    text = meeting.read_text(encoding="utf-8")
    note = "  - {date: 2025-06-06, note: 因线上会议平台维护"
    assert note in text
    meeting.write_text(
        text.replace(note, "  - {date: 2025-06-14 09:00, note: 会议号已在街道公众号公布}\n" + note),
        encoding="utf-8",
    )
    assert build_complete(tmp_path / "out", content=content) == 0

    before, after = event(complete_site, POSTPONED), event(tmp_path / "out", POSTPONED)
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert before.decoded("LAST-MODIFIED") == datetime(2025, 6, 5, 16, 0, tzinfo=UTC)
    assert after.decoded("LAST-MODIFIED") == datetime(2025, 6, 14, 1, 0, tzinfo=UTC)
    assert after.decoded("DTSTAMP") == after.decoded("LAST-MODIFIED")  # a later stamp: it wins
    everything = events(tmp_path / "out", "/calendar/meetings.ics")[POSTPONED]
    assert everything["SEQUENCE"] == after["SEQUENCE"]


def test_spliced_calendars_are_the_bytes_icalendar_writes_whole() -> None:
    """Each VEVENT serialized once and spliced into its calendars gives, byte for byte, what
    icalendar writes for the whole calendar (long folded lines, escapes, Chinese included)."""
    build = complete_build()
    settings = build.settings
    zone = Timezone.from_tzid(settings.timezone.key)
    meetings = [m for m in build.index.items("meeting") if isinstance(m, Meeting)]
    events = [calendars.event(m, build) for m in meetings]
    assert len(events) > 5
    for chosen in (events, events[:1], []):
        whole = calendars.calendar("全部会议，含“引号”; 分号\\", chosen, settings, zone).to_ical()
        head = calendars.calendar("全部会议，含“引号”; 分号\\", [], settings, None)
        parts = [zone.to_ical(), *(e.to_ical() for e in chosen)]
        assert calendars.spliced(head, parts) == whole
    with pytest.raises(ValueError):
        calendars.spliced(calendars.calendar("x", [], settings, zone), [])
