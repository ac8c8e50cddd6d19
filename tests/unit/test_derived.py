"""Facts derived from an item, each worked out in one place (the index, a filter) and asked by
every writer and template: when it last changed, its announced title, its places with their
jurisdictions, a meeting's end as shown — and the words for them, from ``codes.yaml``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

from gongshi.content.codes import Codes
from gongshi.content.models import Meeting, Outcome, Project
from gongshi.outputs.calendars import event
from gongshi.outputs.templating import meeting_end
from gongshi.settings import from_pelican
from gongshi.site.build import make_build
from gongshi.site.load import load_site

from .conftest import SETTINGS, SiteFolder

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_announced_title_says_the_status_in_the_words_of_the_code_list(
    site: SiteFolder,
) -> None:
    site.meeting(status="postponed", changes="[{date: 2025-06-01, note: 因故延期}]")
    relabelled = from_pelican(
        {
            "SITEURL": "https://example.org",
            "GONGSHI_NOW": "2025-06-15 10:00",
            "GONGSHI_CODES": {"meeting_status": {"postponed": "改期"}},
        }
    )
    index = load_site(site.content, relabelled)
    (meeting,) = index.items("meeting")
    assert isinstance(meeting, Meeting)

    assert index.headline(meeting) == "【改期】郭北社区停车难议事协商会"
    vevent = event(meeting, make_build(relabelled, index, Environment()))
    assert str(vevent["SUMMARY"]) == "【改期】郭北社区停车难议事协商会"  # calendars ask it too


def test_a_held_meeting_and_other_types_keep_their_title(site: SiteFolder) -> None:
    site.meeting(status="held", start="2025-06-10 14:30", end="2025-06-10 16:00")
    site.outcome()
    index = site.load()

    assert [index.headline(i) for i in index.all_items()] == [i.title for i in index.all_items()]


def test_last_changed_is_the_latest_of_date_updated_and_change_notes(site: SiteFolder) -> None:
    site.project(updated="2025-05-01", changes="[{date: 2025-05-20 09:30, note: 调整工期}]")
    index = site.load()
    (project,) = index.items("project")

    assert index.changed(project) == datetime(2025, 5, 20, 9, 30, tzinfo=SHANGHAI)
    assert index.published(project) == datetime(2025, 4, 25, tzinfo=SHANGHAI)


def test_every_dated_change_moves_last_changed_and_counts_as_a_revision(site: SiteFolder) -> None:
    site.outcome(status="done", done_date="2025-06-14")
    site.project(
        status="completed", progress="100", start="2025-05-01", completed="2025-06-13",
        milestones="[{date: 2025-05-02, text: 开工}, {date: 2025-06-13, text: 竣工}]",
        updated="2025-06-13", changes="[{date: 2025-06-13, note: 竣工}]",
    )  # fmt: skip
    index = site.load()
    (outcome,), (project,) = index.items("outcome"), index.items("project")

    assert index.changed(outcome) == datetime(2025, 6, 14, tzinfo=SHANGHAI)  # done_date
    assert index.revision(outcome) == 1
    assert index.changed(project) == datetime(2025, 6, 13, tzinfo=SHANGHAI)
    # start, two milestones, completed, updated and one change note: each a record
    assert index.revision(project) == 6


def test_a_change_dated_after_now_counts_from_its_day_on(site: SiteFolder) -> None:
    # a planned start (开工日期) in the future is a plan, not yet a change ("now" is 2025-06-15)
    site.project(
        status="approved", start="2025-07-01", milestones="[{date: 2025-05-10, text: 立项}]"
    )
    index = site.load()
    (project,) = index.items("project")

    assert index.changed(project) == datetime(2025, 5, 10, tzinfo=SHANGHAI)
    assert index.revision(project) == 1


def test_the_models_name_their_change_dates() -> None:
    assert Meeting.change_dates == ("updated", "changes.date")
    assert Outcome.change_dates == ("updated", "changes.date", "done_date")
    assert Project.change_dates == (
        "updated", "changes.date", "start", "milestones.date", "completed"
    )  # fmt: skip


def test_places_with_jurisdictions_each_once_in_order(site: SiteFolder) -> None:
    site.case(places="[guobei, zhangguozhuang, guoyuan, huaxiang]")
    index = site.load()
    (case,) = index.items("case")

    assert [p.id for p in index.places_of(case)] == [
        "guobei", "zhangguozhuang", "guoyuan", "huaxiang"
    ]  # fmt: skip
    assert [p.id for p in index.places_with_jurisdictions(case)] == [
        "guobei", "huaxiang", "zhangguozhuang", "beigong", "guoyuan"
    ]  # fmt: skip


def test_a_meeting_end_shows_its_date_only_on_another_day(site: SiteFolder) -> None:
    site.meeting()
    site.meeting("2025-06-21-guobei-overnight", end="2025-06-21 09:00", start="2025-06-20 20:00")
    site.meeting("2025-06-22-guobei-open", end=None, start="2025-06-22 14:30")
    ends = {m.id: meeting_end(m, SHANGHAI) for m in site.load().items("meeting")}  # type: ignore[arg-type]

    assert ends == {
        "2025-06-20-guobei-parking": "16:00",
        "2025-06-21-guobei-overnight": "2025年6月21日 09:00",
        "2025-06-22-guobei-open": "",
    }


def test_a_type_has_a_short_name_and_a_measure_word() -> None:
    codes = Codes.load()

    assert codes.label("item_type", "meeting") == "议事协商会"
    assert codes.label("item_type", "meeting", "short") == "议事会"
    assert codes.label("item_type", "outcome", "counter") == "项"
    assert SETTINGS.codes.label("outcome_flag", "overdue") == "已逾期"


def test_applying_closes_when_the_deadline_day_is_over(site: SiteFolder) -> None:
    # SETTINGS' now is 2025-06-15 10:00: a deadline of that day is still open, the day before not
    site.meeting(attend="{how: 到居委会登记, deadline: 2025-06-15}")
    site.meeting("2025-06-20-guobei-late", attend="{how: 到居委会登记, deadline: 2025-06-14}")
    site.meeting("2025-06-20-guobei-free", attend="{how: 到场即可}")
    index = site.load()
    closed = {
        m.id: index.attend_closed(m) for m in index.items("meeting") if isinstance(m, Meeting)
    }
    assert closed == {
        "2025-06-20-guobei-parking": False,
        "2025-06-20-guobei-late": True,
        "2025-06-20-guobei-free": False,
    }


def test_the_record_is_split_from_the_rest_of_a_meeting_body(site: SiteFolder) -> None:
    site.meeting(body="## 背景资料\n\n缘由。\n\n## 会议记录\n\n商定了。\n\n## 附件\n\n清单。\n")
    site.meeting("2025-06-20-guobei-plain", body="只有背景。\n")
    index = site.load()
    by_id = {m.id: m for m in index.items("meeting") if isinstance(m, Meeting)}
    record, rest = index.meeting_record(by_id["2025-06-20-guobei-parking"])
    assert record == "<h2>会议记录</h2>\n<p>商定了。</p>"
    assert "<h2>背景资料</h2>" in rest and "<h2>附件</h2>" in rest and "商定了" not in rest
    assert index.meeting_record(by_id["2025-06-20-guobei-plain"]) == ("", "<p>只有背景。</p>")
