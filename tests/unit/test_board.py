"""The board's figures (gongshi/site/board.py) on indexes made in memory: percentiles, months in
the site's zone, an empty window, what counts as a month's meeting, and two properties."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.content.loader import Loaded
from gongshi.content.models import Item, Meeting, Outcome, Project
from gongshi.content.places import Place, Places
from gongshi.site.board import Ledger, Rules, board, median, percentile, window
from gongshi.site.index import SiteIndex

from .conftest import SETTINGS

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 15, 10, 0, tzinfo=TZ)
RECORD = "<p>议程</p><h2>会议记录</h2><p>形成共识。</p>"
PLACES = Places(
    [
        Place("huaxiang", "花乡街道", "subdistrict", "丰台区", None, ("guobei", "guoyuan")),
        Place("guobei", "郭北社区", "community", "丰台区", "huaxiang", ()),
        Place("guoyuan", "郭园社区", "community", "丰台区", "huaxiang", ()),
        Place("beigong", "北宫镇", "town", "丰台区", None, ("zhangguozhuang",)),
        Place("zhangguozhuang", "张郭庄村", "village", "丰台区", "beigong", ()),
    ]
)
COMMUNITIES = ("guobei", "guoyuan", "zhangguozhuang")


def meeting(
    item_id: str,
    start: datetime,
    places: Sequence[str] = ("guobei",),
    *,
    notice: date | None = None,
    status: str = "held",
    body_html: str = RECORD,
) -> Meeting:
    return Meeting(
        id=item_id, file=f"content/meetings/{item_id}.md", lines={}, body="", body_html=body_html,
        title=item_id, date=notice or (start.date() - timedelta(days=7)), places=tuple(places),
        start=start, location="议事厅", convener="居委会", topics=("议题",), status=status,
    )  # fmt: skip


def outcome(item_id: str, meetings: Sequence[str] = (), **fields: object) -> Outcome:
    values: dict[str, object] = {
        "id": item_id, "file": f"content/outcomes/{item_id}.md", "lines": {}, "body": "",
        "body_html": "", "title": item_id, "date": date(2025, 1, 5), "places": ("guobei",),
        "meetings": tuple(meetings), "decision": "共识", "route": "whistle", "status": "open",
    }  # fmt: skip
    return Outcome(**{**values, **fields})  # type: ignore[arg-type]


def index_of(items: Sequence[Item], now: datetime = NOW) -> SiteIndex:
    ids: dict[str, frozenset[str]] = {}
    for item in items:
        ids[item.type] = ids.get(item.type, frozenset()) | {item.id}
    loaded = Loaded(PLACES, tuple(items), ids, (), ())
    return SiteIndex(loaded, dataclasses.replace(SETTINGS, now=now))


DEFAULT_RULES = Rules()


def ledger(items: Sequence[Item], now: datetime = NOW, rules: Rules = DEFAULT_RULES) -> Ledger:
    return Ledger(index_of(items, now), rules)


# -- median and 90th percentile ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "middle", "p90"),
    [
        ([], None, None),
        ([7], 7.0, 7),
        ([3, 1], 2.0, 3),  # the mean of the two middle values; rank ⌈1.8⌉ = 2
        ([0, 50, 57], 50.0, 57),  # rank ⌈2.7⌉ = 3
        (list(range(1, 11)), 5.5, 9),  # rank ⌈9⌉ = 9, not 10: 0.9 × 10 is exactly 9
        (list(range(1, 21)), 10.5, 18),
        ([4, 4, 4, 4], 4.0, 4),
    ],
)
def test_median_and_nearest_rank_percentile(
    values: list[int], middle: float | None, p90: int | None
) -> None:
    assert median(values) == middle
    assert percentile(values, 0.9) == p90


# -- months in the site's zone ---------------------------------------------------------------------
def test_the_window_ends_with_the_month_of_now_in_the_sites_zone() -> None:
    # 2025-01-01 00:30 in Shanghai is still 2024-12-31 in UTC: the month is January
    now = datetime(2024, 12, 31, 16, 30, tzinfo=ZoneInfo("UTC"))
    months = window(now, TZ, 3)
    assert [m.key for m in months] == ["2024-11", "2024-12", "2025-01"]
    assert [m.current for m in months] == [False, False, True]
    assert months[0].label == "2024年11月"


def test_a_meeting_counts_in_the_month_of_its_start_in_the_sites_zone() -> None:
    items = [
        meeting("new-year", datetime(2025, 1, 1, 0, 30, tzinfo=TZ)),  # 2024-12-31 in UTC
        meeting("eve", datetime(2024, 12, 31, 23, 59, tzinfo=TZ)),  # before the window
    ]
    found = board(ledger(items, rules=Rules(months=6)))
    row = found.meetings.rows[0]
    assert found.first.key == "2025-01"
    assert row.cells[0].held == 1 and row.cells[0].met is True
    assert [f.meeting.id for f in found.meetings.held] == ["new-year"]


# -- what counts ----------------------------------------------------------------------------------
def test_only_held_meetings_count_and_a_joint_one_counts_for_each_community() -> None:
    may = datetime(2025, 5, 20, 14, 0, tzinfo=TZ)
    items = [
        meeting("held-joint", may, ("guobei", "guoyuan")),
        meeting("cancelled", may + timedelta(days=1), ("zhangguozhuang",), status="cancelled"),
        meeting("unrecorded", may + timedelta(days=2), ("zhangguozhuang",), status="scheduled"),
        meeting("town-only", may + timedelta(days=3), ("beigong",)),
    ]
    found = board(ledger(items))
    may_cells = {r.place.id: r.cells[-2] for r in found.meetings.rows}
    assert {pid: c.held for pid, c in may_cells.items()} == {
        "guobei": 1, "guoyuan": 1, "zhangguozhuang": 0,
    }  # fmt: skip
    assert len(found.meetings.held) == 2  # the town's own meeting counts in the total
    assert [f.meeting.id for f in found.meetings.not_updated] == ["unrecorded"]  # listed apart
    assert found.trend[-2].held == 2 and found.trend[-2].communities_met == 2
    town = board(ledger(items), PLACES["beigong"])
    assert [r.place.id for r in town.meetings.rows] == ["zhangguozhuang"]
    assert [f.meeting.id for f in town.meetings.held] == ["town-only"]


def test_the_month_in_progress_is_never_missed_and_never_judged() -> None:
    found = board(ledger([]))
    row = found.meetings.rows[0]
    assert row.cells[-1].met is None and row.cells[-2].met is False
    assert found.meetings.judged == len(COMMUNITIES) * 11
    assert all(len(months) == 11 for _, months in found.meetings.missed)


def test_a_notice_below_the_rule_is_late_and_a_body_without_record_is_counted() -> None:
    start = datetime(2025, 5, 20, 9, 0, tzinfo=TZ)
    items = [
        meeting("short", start, notice=date(2025, 5, 18)),  # 2 days
        meeting("enough", start + timedelta(days=1), notice=date(2025, 5, 18)),  # 3 days
        meeting("bare", start + timedelta(days=2), body_html="<p>会议已召开。</p>"),
    ]
    found = board(ledger(items))
    assert [f.meeting.id for f in found.meetings.late] == ["short"]
    assert [f.lead_days for f in found.meetings.held] == [2, 3, 7]
    assert [f.meeting.id for f in found.meetings.without_record] == ["bare"]
    stricter = board(ledger(items, rules=Rules(notice_days=8)))  # the rule is a setting
    assert len(stricter.meetings.late) == 3
    assert found.meetings.rows[0].cells[-2].shortest_lead == 2


def test_an_empty_window_has_zeros_and_no_rates() -> None:
    found = board(ledger([]))
    assert found.meetings.held == () and found.meetings.met == 0
    assert found.outcomes.agreed == 0 and found.outcomes.rate is None
    assert found.outcomes.median_days is None and found.outcomes.p90_days is None
    assert found.projects.total == 0 and found.projects.budget_total == 0
    assert [t.held for t in found.trend] == [0] * 12


def test_on_time_late_and_overdue_outcomes() -> None:
    jan = meeting("jan", datetime(2025, 1, 10, 14, 0, tzinfo=TZ))
    items: list[Item] = [
        jan,
        outcome("on-time", ["jan"], deadline=date(2025, 2, 1), status="done",
                done_date=date(2025, 2, 1)),  # on the deadline day: on time
        outcome("late", ["jan"], deadline=date(2025, 2, 1), status="done",
                done_date=date(2025, 2, 2)),
        outcome("open", ["jan"], deadline=date(2025, 6, 14), lead="区住建委"),  # 1 day overdue
        outcome("not-yet", ["jan"], deadline=date(2025, 6, 15)),  # today: not yet due
        outcome("closed", ["jan"], deadline=date(2025, 3, 1), status="closed", reason="无法实施"),
        outcome("older", ["jan"], deadline=date(2024, 3, 1), status="done",
                done_date=date(2024, 3, 9)),  # deadline and done before the window
    ]  # fmt: skip
    followed = board(ledger(items)).outcomes
    assert (followed.on_time, followed.late, followed.late_done, followed.closed) == (1, 2, 1, 1)
    assert followed.rate == pytest.approx(1 / 3)
    assert followed.days_to_done == (22, 23)  # 2025-01-10 → 02-01 and → 02-02
    assert [(o.item.id, o.days) for o in followed.overdue] == [("open", 1)]


def test_the_project_pool_counts_budgets_and_past_due() -> None:
    def project(item_id: str, **fields: object) -> Project:
        values: dict[str, object] = {
            "id": item_id, "file": "x", "lines": {}, "body": "", "body_html": "",
            "title": item_id, "date": date(2025, 1, 5), "places": ("guobei",),
        }  # fmt: skip
        return Project(**{**values, **fields})  # type: ignore[arg-type]

    items = [
        project("a", status="in_progress", progress=40, budget=120000, categories=("safety",)),
        project("b", status="approved", progress=60, due=date(2025, 6, 1), budget=3500.5),
        project("c", status="proposed", categories=("safety", "elderly")),
        project("d", status="completed", progress=100, due=date(2025, 1, 1), budget=1),
    ]
    pool = board(ledger(items)).projects
    assert [p.id for p in pool.active] == ["b", "a"]  # most progress first
    assert pool.budget_total == 123501.5 and pool.without_budget == 1
    assert dict(pool.by_status)["proposed"] == 1 and dict(pool.by_category)["safety"] == 2
    assert [(o.item.id, o.days) for o in pool.past_due] == [("b", 14)]  # completed is not


# -- properties -------------------------------------------------------------------------------------
DAYS = st.integers(min_value=-500, max_value=30)  # around "now", some before the window
MEETINGS = st.lists(
    st.tuples(
        DAYS,
        st.integers(0, 23),
        st.sets(st.sampled_from((*COMMUNITIES, "beigong")), min_size=1, max_size=3),
        st.sampled_from(("held", "held", "cancelled", "scheduled", "postponed")),
    ),
    max_size=25,
)


def _meetings(drawn: list[tuple[int, int, set[str], str]]) -> list[Meeting]:
    found = []
    for n, (days, hour, places, status) in enumerate(drawn):
        start = (NOW + timedelta(days=days)).replace(hour=hour, minute=0)
        if status == "postponed":
            start = NOW + timedelta(days=abs(days) + 1)  # a postponed meeting is ahead
        found.append(meeting(f"m{n}", start, sorted(places), status=status))
    return found


@settings(max_examples=60, deadline=None)
@given(MEETINGS, st.integers(1, 24))
def test_the_grid_sums_to_the_held_meetings_of_the_window(
    drawn: list[tuple[int, int, set[str], str]], months: int
) -> None:
    items = _meetings(drawn)
    found = board(ledger(items, rules=Rules(months=months)))
    first = date(found.first.year, found.first.month, 1)
    in_window = [
        m for m in items
        if m.status == "held" and first <= m.start.astimezone(TZ).date() <= NOW.date()
    ]  # fmt: skip
    grid = sum(c.held for r in found.meetings.rows for c in r.cells)
    assert grid == sum(len(set(m.places) & set(COMMUNITIES)) for m in in_window)
    assert sum(t.held for t in found.trend) == len(found.meetings.held) == len(in_window)
    assert found.meetings.judged == len(COMMUNITIES) * (months - 1)
    assert 0 <= found.meetings.met <= found.meetings.judged


OUTCOMES = st.lists(
    st.tuples(
        st.integers(-400, 20),  # deadline, days from now
        st.sampled_from(("open", "in_progress", "done", "closed")),
        st.integers(-60, 60),  # done_date, days from the deadline
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(OUTCOMES)
def test_the_on_time_rate_is_a_share(drawn: list[tuple[int, str, int]]) -> None:
    jan = meeting("jan", datetime(2024, 6, 1, 9, 0, tzinfo=TZ))
    items: list[Item] = [jan]
    for n, (due, status, done) in enumerate(drawn):
        deadline = NOW.date() + timedelta(days=due)
        extra: dict[str, object] = {"reason": "说明"} if status == "closed" else {}
        if status == "done":
            extra["done_date"] = max(deadline + timedelta(days=done), date(2024, 6, 1))
        items.append(outcome(f"o{n}", ["jan"], deadline=deadline, status=status, **extra))
    found = board(ledger(items))
    followed = found.outcomes
    first = date(found.first.year, found.first.month, 1)
    done_in_window = [
        i for i in items[1:]
        if isinstance(i, Outcome) and i.status == "done" and i.done_date
        and first <= i.done_date <= NOW.date()
    ]  # fmt: skip
    assert sum(t.done for t in found.trend) == len(done_in_window)
    assert sum(t.agreed for t in found.trend) == 0  # their meeting is before the window
    if followed.rate is None:
        assert followed.on_time + followed.late == 0
    else:
        assert 0 <= followed.rate <= 1
        assert followed.rate == followed.on_time / (followed.on_time + followed.late)
    if followed.days_to_done:
        assert followed.median_days is not None and followed.p90_days is not None
        assert min(followed.days_to_done) <= followed.median_days <= followed.p90_days
        assert followed.p90_days <= max(followed.days_to_done)
