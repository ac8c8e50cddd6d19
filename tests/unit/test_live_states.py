"""What "now" makes of items, worked out in the index only (issue 10): overdue outcomes of every
route and unfinished projects past their due date, with the days overdue; an application
deadline that has passed; and the next instant at which any of it changes (``gongshi build``
prints it). The site's "now" is 2025-06-15 10:00, Asia/Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongshi.cli import next_change_line
from gongshi.content.models import Meeting
from gongshi.settings import from_pelican
from gongshi.site.index import SiteIndex
from gongshi.site.load import load_site

from .conftest import SETTINGS, SiteFolder

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(now: str, site: SiteFolder) -> SiteIndex:
    return load_site(
        site.content, from_pelican({"SITEURL": "https://example.org", "GONGSHI_NOW": now})
    )


@pytest.mark.parametrize("route", ["onsite", "whistle", "referred", "pool", "declined"])
def test_an_open_outcome_of_any_route_is_overdue_from_the_day_after_its_deadline(
    site: SiteFolder, route: str
) -> None:
    site.outcome(
        route=route, deadline="2025-06-12", lead="街道城管科", project="guobei-elevator",
        reason="不在职责范围",
    )  # fmt: skip
    site.project()
    index = site.load()
    (outcome,) = index.items("outcome")

    assert index.is_overdue(outcome) and index.days_overdue(outcome) == 3  # 13th, 14th, 15th
    assert index.overdue_from(outcome) == datetime(2025, 6, 13, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("now", "days"), [("2025-06-12 23:59", 0), ("2025-06-13 00:00", 1)])
def test_the_deadline_day_itself_is_not_overdue(site: SiteFolder, now: str, days: int) -> None:
    site.outcome(deadline="2025-06-12")
    index = at(now, site)
    (outcome,) = index.items("outcome")
    assert index.days_overdue(outcome) == days


@pytest.mark.parametrize(
    ("status", "extra"),
    [("done", {"done_date": "2025-06-11"}), ("closed", {"reason": "无法协调"})],
)
def test_a_finished_outcome_is_never_overdue(
    site: SiteFolder, status: str, extra: dict[str, str]
) -> None:
    site.outcome(deadline="2025-06-01", status=status, **extra)
    index = site.load()
    (outcome,) = index.items("outcome")
    assert not index.is_overdue(outcome) and index.overdue_from(outcome) is None


def test_a_project_past_its_due_date_and_not_completed_is_overdue(site: SiteFolder) -> None:
    site.project(due="2025-06-01")
    site.project("done-on-time", due="2025-06-01", status="completed", progress="100",
                 completed="2025-06-10")  # fmt: skip
    site.project("later", due="2025-07-01")
    index = site.load()
    by_id = {p.id: p for p in index.items("project")}

    assert index.days_overdue(by_id["guobei-elevator"]) == 14
    assert not index.is_overdue(by_id["done-on-time"])
    assert not index.is_overdue(by_id["later"])
    assert [p.id for p in index.overdue(index.items("project"))] == ["guobei-elevator"]


def test_overdue_lists_the_longest_overdue_first(site: SiteFolder) -> None:
    site.outcome("a", deadline="2025-06-10")
    site.outcome("b", deadline="2025-06-01")
    site.outcome("c")
    index = site.load()
    assert [o.id for o in index.overdue(index.items("outcome"))] == ["b", "a"]


def test_an_application_deadline_closes_at_the_end_of_its_day(site: SiteFolder) -> None:
    site.meeting(attend="{how: 到居委会登记, deadline: 2025-06-15}")
    for now, closed in [("2025-06-15 10:00", False), ("2025-06-16 00:00", True)]:
        index = at(now, site)
        (meeting,) = index.items("meeting")
        assert isinstance(meeting, Meeting)
        assert index.attend_closed(meeting) is closed
        assert index.attend_closes(meeting) == datetime(2025, 6, 16, tzinfo=SHANGHAI)


def test_next_change_is_the_earliest_future_instant_of_any_fact(site: SiteFolder) -> None:
    site.meeting(attend="{how: 到居委会登记, deadline: 2025-06-18}")  # starts 06-20 14:30
    site.outcome(deadline="2025-06-16")  # overdue from 06-17 00:00
    site.outcome("old", deadline="2025-06-01")  # overdue already: no change ahead
    site.project(due="2025-06-30")  # overdue from 07-01 00:00
    index = site.load()

    assert [t for t, _ in index.changes_ahead()] == [
        datetime(2025, 6, 17, tzinfo=SHANGHAI),
        datetime(2025, 6, 19, tzinfo=SHANGHAI),
        datetime(2025, 6, 20, 14, 30, tzinfo=SHANGHAI),
        datetime(2025, 7, 1, tzinfo=SHANGHAI),
    ]
    assert next_change_line(index.next_change()) == (
        "下一次状态变化：2025年6月17日 00:00（「夜间施工限时作业」到期）；届时请重新生成"
    )
    later = at("2025-06-19 08:00", site)
    assert next_change_line(later.next_change()) == (
        "下一次状态变化：2025年6月20日 14:30（「郭北社区停车难议事协商会」开始）；届时请重新生成"
    )


def test_nothing_ahead_says_so(site: SiteFolder) -> None:
    site.meeting(status="held", start="2025-06-10 14:30", end="2025-06-10 16:00")
    site.outcome(deadline="2025-06-01")
    index = site.load()
    assert index.next_change() is None
    assert next_change_line(None) == "下一次状态变化：无（没有待召开的议事会或未到期的办理时限）"


def test_a_cancelled_meeting_changes_nothing(site: SiteFolder) -> None:
    site.meeting(status="cancelled", changes="[{date: 2025-06-12, note: 取消}]")
    assert site.load().next_change() is None


def test_the_labels_come_from_the_code_lists() -> None:
    assert SETTINGS.codes.label("meeting_flag", "attend_closed") == "申请已截止"
    assert SETTINGS.codes.label("outcome_flag", "overdue") == "已逾期"
