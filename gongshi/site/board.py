"""The public ledger board (公开台账 · 挂图推进): is the process kept, and followed through?

Every figure of the board is computed here, once, from the :class:`SiteIndex`, the build's "now"
and the board's rules (:class:`Rules`, from the ``GONGSHI_BOARD_*`` settings). The pages, the SVG
charts, ``/data/board.json`` and the board's CSV files only show what :func:`board` returns. No
I/O: the functions are pure, so the unit tests can give them any index and any "now".

The definitions (the page and docs/editor-guide.md say the same in Chinese):

* **Window.** The ``months`` calendar months up to and including the month of "now", in the site's
  zone. The current month is *in progress*: it is shown, but a community that has not met the
  minimum yet is not counted as having missed it until the month is over.
* **A month's meetings.** Meetings with status ``held`` whose ``start`` falls in that month (in
  the site's zone), counted for every community the meeting names (a joint meeting counts for
  each). Cancelled, postponed, scheduled and 会期已过-but-not-updated meetings do not count.
  A meeting placed only at a 街道/镇 counts in the totals, not for any community's row.
* **Minimum met.** A community held at least ``monthly_minimum`` meetings that month.
* **Notice lead.** Whole days from the meeting's notice ``date`` to the day of its ``start``; a
  held meeting whose lead is below ``notice_days`` is a *late notice*.
* **Record.** A held meeting has its record when its body has a ``## 会议记录`` section.
* **Outcomes agreed in the window.** Outcomes whose meeting (the earliest they name; without one,
  the outcome's own ``date``) falls in the window: counted by route and by status.
* **On time.** Outcomes with a ``deadline`` that has passed by "now" and falls in the window:
  *on time* if 已办结 with ``done_date`` on or before the deadline; *late* if 已办结 after it or
  still open (待办理/办理中); 已关闭 ones are counted apart, not in the rate. Rate = on time /
  (on time + late); ``None`` when there is none.
* **Days to 已办结.** For outcomes with ``done_date`` in the window: days from their meeting (as
  above) to ``done_date``. Median (the middle value, or the mean of the two middle ones) and the
  90th percentile by the nearest-rank method (the ⌈0.9·n⌉-th smallest value).
* **Overdue.** Every outcome and project overdue now (:meth:`SiteIndex.is_overdue`), whatever the
  window: the board's follow-through list, most days overdue first.
* **Project pool.** Every project of the scope (the pool is a standing ledger, not windowed):
  counts by status and by category, the progress of each active project (已立项, 实施中), budget
  totals, projects past due.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from statistics import median as _median

from ..content.models import Meeting, Outcome, Project
from ..content.places import Place
from .index import SiteIndex

ACTIVE_PROJECT = ("approved", "in_progress")
OPEN_OUTCOME = ("open", "in_progress")


@dataclass(frozen=True)
class Rules:
    """What the board holds the process to (the ``GONGSHI_BOARD_*`` settings)."""

    monthly_minimum: int = 1  # meetings a community holds each month
    notice_days: int = 3  # days a meeting's notice comes before its start, at least
    months: int = 12  # the window: this many calendar months up to "now"


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    current: bool  # the month of "now": still in progress

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def short(self) -> str:
        """For a chart's axis and a grid's head: 11月, and the year at January (2026年1月)."""
        return f"{self.month}月"

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)


def window(now: datetime, tz: tzinfo, months: int) -> tuple[Month, ...]:
    """The ``months`` calendar months up to and including the month of ``now`` in ``tz``."""
    local = now.astimezone(tz)
    found = []
    year, month = local.year, local.month
    for n in range(months):
        found.append(Month(year, month, current=n == 0))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(reversed(found))


def median(values: Sequence[int]) -> float | None:
    """The middle value (the mean of the two middle ones); ``None`` for no values."""
    return float(_median(values)) if values else None


def percentile(values: Sequence[int], share: float) -> int | None:
    """Nearest-rank percentile: the ⌈share·n⌉-th smallest value; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(round(share * len(ordered), 9)))
    return ordered[rank - 1]


# -- facts of one item, worked out once per build ----------------------------------------------
@dataclass(frozen=True)
class MeetingFact:
    meeting: Meeting
    day: date  # of its start, in the site's zone
    lead_days: int  # notice date → start day
    late: bool  # lead below the rule's notice_days
    has_record: bool


@dataclass(frozen=True)
class OutcomeFact:
    outcome: Outcome
    agreed: date  # its (earliest) meeting's day, else its own date
    days_to_done: int | None  # agreed → done_date, for 已办结


class Ledger:
    """The per-item facts the board needs, computed once per build, for every scope."""

    def __init__(self, index: SiteIndex, rules: Rules) -> None:
        self.index, self.rules = index, rules
        self.tz = index.tz
        self.now = index.now
        self.today = index.now.astimezone(index.tz).date()
        self.months = window(index.now, index.tz, rules.months)
        first = self.months[0]
        self.first_day = date(first.year, first.month, 1)
        self.meetings: dict[str, MeetingFact] = {}
        self.not_updated: dict[str, MeetingFact] = {}  # past, never marked held (or cancelled)
        for m in index.items("meeting"):
            if isinstance(m, Meeting) and m.status == "held":
                self.meetings[m.id] = self._meeting(m)
            elif isinstance(m, Meeting) and index.meeting_state(m) == "unrecorded":
                self.not_updated[m.id] = self._meeting(m)
        self.outcomes = {
            o.id: self._outcome(o) for o in index.items("outcome") if isinstance(o, Outcome)
        }

    def local_day(self, value: date | datetime) -> date:
        return self.index.as_datetime(value).date()

    def in_window(self, day: date) -> bool:
        return self.first_day <= day <= self.today

    def _meeting(self, m: Meeting) -> MeetingFact:
        day = self.local_day(m.start)
        lead = (day - self.local_day(m.date)).days
        record, _ = self.index.meeting_record(m)
        return MeetingFact(m, day, lead, lead < self.rules.notice_days, bool(record))

    def _outcome(self, o: Outcome) -> OutcomeFact:
        meetings = self.index.resolved(o, "meetings")
        days = [self.local_day(m.start) for m in meetings if isinstance(m, Meeting)]
        agreed = min(days) if days else self.local_day(o.date)
        done = (o.done_date - agreed).days if o.status == "done" and o.done_date else None
        return OutcomeFact(o, agreed, done)


# -- the board of a scope ------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """One community in one month."""

    held: int
    met: bool | None  # None: the month is in progress and the minimum is not met yet
    late_notices: int
    without_record: int
    shortest_lead: int | None  # days; None without a held meeting


@dataclass(frozen=True)
class CommunityRow:
    place: Place
    cells: tuple[Cell, ...]  # one per month of the window

    def missed(self, months: Sequence[Month]) -> tuple[Month, ...]:
        return tuple(m for m, c in zip(months, self.cells, strict=True) if c.met is False)


@dataclass(frozen=True)
class JurisdictionRow:
    """A 街道/镇 per month: how many of its communities met the minimum, of how many."""

    place: Place
    met: tuple[int, ...]
    held: tuple[int, ...]
    communities: int


@dataclass(frozen=True)
class MeetingsKept:
    rows: tuple[CommunityRow, ...]
    jurisdictions: tuple[JurisdictionRow, ...]
    held: tuple[MeetingFact, ...]  # in the window, in the scope, by start
    late: tuple[MeetingFact, ...]
    without_record: tuple[MeetingFact, ...]
    missed: tuple[tuple[Place, tuple[Month, ...]], ...]  # communities that missed a month
    not_updated: tuple[MeetingFact, ...]  # past their start, still not marked held: not counted
    judged: int  # community-months that are over (the current month is not one)
    met: int  # of those, how many met the minimum


@dataclass(frozen=True)
class Overdue:
    item: Outcome | Project
    days: int


@dataclass(frozen=True)
class OutcomesFollowed:
    agreed: int  # outcomes agreed in the window
    by_route: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    on_time: int
    late: int  # closed after the deadline, or still open past it
    late_done: int  # of ``late``: 已办结 after the deadline
    closed: int  # 已关闭 with a deadline in the window: not in the rate
    rate: float | None  # on_time / (on_time + late)
    days_to_done: tuple[int, ...]
    median_days: float | None
    p90_days: int | None
    overdue: tuple[Overdue, ...]


@dataclass(frozen=True)
class ProjectPool:
    total: int
    by_status: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]
    active: tuple[Project, ...]  # 已立项 and 实施中, most progress first
    budget_total: float
    budget_by_status: tuple[tuple[str, float], ...]
    without_budget: int
    past_due: tuple[Overdue, ...]


@dataclass(frozen=True)
class TrendMonth:
    month: Month
    held: int
    communities_met: int
    late_notices: int
    agreed: int
    done: int


@dataclass(frozen=True)
class Board:
    place: Place | None  # None: the whole portal
    rules: Rules
    # the build's "now", which the board of the whole portal states; left out of what a page is
    # made from (outputs/reuse.py), so a place's board section, which does not state it, is taken
    # over on a day that moved none of its figures (the window and every count are fields)
    now: datetime = field(metadata={"digest": False})
    months: tuple[Month, ...]
    communities: int
    meetings: MeetingsKept
    outcomes: OutcomesFollowed
    projects: ProjectPool
    trend: tuple[TrendMonth, ...]

    @property
    def first(self) -> Month:
        return self.months[0]

    @property
    def last(self) -> Month:
        return self.months[-1]


def _communities(index: SiteIndex, place: Place | None) -> tuple[Place, ...]:
    if place is None:
        return tuple(p for p in index.places if p.parent is not None)
    if place.parent is not None:
        return (place,)
    return tuple(index.places[c] for c in place.children)


def _cell(facts: Sequence[MeetingFact], month: Month, minimum: int) -> Cell:
    held = len(facts)
    met: bool | None = held >= minimum
    if not met and month.current:
        met = None
    leads = [f.lead_days for f in facts]
    return Cell(
        held,
        met,
        sum(f.late for f in facts),
        sum(not f.has_record for f in facts),
        min(leads) if leads else None,
    )


def _meetings_kept(
    ledger: Ledger, index: SiteIndex, place: Place | None, communities: Sequence[Place]
) -> MeetingsKept:
    months = ledger.months
    scope = index.in_place(place.id, "meeting") if place else index.items("meeting")
    held = tuple(
        sorted(
            (
                ledger.meetings[m.id]
                for m in scope
                if m.id in ledger.meetings and ledger.in_window(ledger.meetings[m.id].day)
            ),
            key=lambda f: (f.meeting.start, f.meeting.id),
        )
    )
    by_cell: dict[tuple[str, str], list[MeetingFact]] = {}
    for fact in held:
        for pid in dict.fromkeys(fact.meeting.places):
            key = (pid, f"{fact.day.year:04d}-{fact.day.month:02d}")
            by_cell.setdefault(key, []).append(fact)
    minimum = ledger.rules.monthly_minimum
    rows = tuple(
        CommunityRow(c, tuple(_cell(by_cell.get((c.id, m.key), []), m, minimum) for m in months))
        for c in communities
    )
    jurisdictions = []
    for j in index.places.jurisdictions if place is None else ():
        mine = [r for r in rows if r.place.parent == j.id]
        covered = index.places.covered(j.id)
        facts = [f for f in held if covered.intersection(f.meeting.places)]
        jurisdictions.append(
            JurisdictionRow(
                j,
                tuple(sum(r.cells[n].met is True for r in mine) for n in range(len(months))),
                tuple(sum(m.contains(f.day) for f in facts) for m in months),
                len(mine),
            )
        )
    over = [n for n, m in enumerate(months) if not m.current]  # the months that are over
    cells = [r.cells[n] for r in rows for n in over]
    return MeetingsKept(
        rows,
        tuple(jurisdictions),
        held,
        tuple(f for f in held if f.late),
        tuple(f for f in held if not f.has_record),
        tuple((r.place, r.missed(months)) for r in rows if r.missed(months)),
        tuple(
            sorted(
                (
                    ledger.not_updated[m.id]
                    for m in scope
                    if m.id in ledger.not_updated and ledger.in_window(ledger.not_updated[m.id].day)
                ),
                key=lambda f: (f.meeting.start, f.meeting.id),
            )
        ),
        len(cells),
        sum(c.met is True for c in cells),
    )


def _counts(codes: Iterable[str], found: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Every code of a list in its order, with its count (zeros too: a table shows them)."""
    return tuple((code, found[code]) for code in codes)


def _outcomes(ledger: Ledger, index: SiteIndex, place: Place | None) -> OutcomesFollowed:
    scope = [o for o in (index.in_place(place.id, "outcome") if place else index.items("outcome"))]
    facts = [ledger.outcomes[o.id] for o in scope]
    agreed = [f for f in facts if ledger.in_window(f.agreed)]
    codes = index.codes
    on_time = late = late_done = closed = 0
    for f in facts:
        o = f.outcome
        if o.deadline is None or not ledger.in_window(o.deadline) or o.deadline >= ledger.today:
            continue  # no deadline, outside the window, or not yet passed
        if o.status == "done" and o.done_date is not None:
            if o.done_date <= o.deadline:
                on_time += 1
            else:
                late += 1
                late_done += 1
        elif o.status in OPEN_OUTCOME:
            late += 1
        else:
            closed += 1
    done_days = tuple(
        sorted(
            f.days_to_done
            for f in facts
            if f.days_to_done is not None
            and f.outcome.done_date is not None
            and ledger.in_window(f.outcome.done_date)
        )
    )
    overdue = tuple(
        Overdue(o, index.days_overdue(o)) for o in index.overdue(scope) if isinstance(o, Outcome)
    )
    return OutcomesFollowed(
        agreed=len(agreed),
        by_route=_counts(codes["outcome_route"].codes(), Counter(f.outcome.route for f in agreed)),
        by_status=_counts(
            codes["outcome_status"].codes(), Counter(f.outcome.status for f in agreed)
        ),
        on_time=on_time,
        late=late,
        late_done=late_done,
        closed=closed,
        rate=on_time / (on_time + late) if on_time + late else None,
        days_to_done=done_days,
        median_days=median(done_days),
        p90_days=percentile(done_days, 0.9),
        overdue=overdue,
    )


def _projects(index: SiteIndex, place: Place | None) -> ProjectPool:
    scope = [
        p
        for p in (index.in_place(place.id, "project") if place else index.items("project"))
        if isinstance(p, Project)
    ]
    codes = index.codes
    statuses = codes["project_status"].codes()
    budgets = {s: 0.0 for s in statuses}
    for p in scope:
        budgets[p.status] = budgets.get(p.status, 0.0) + float(p.budget or 0)
    active = sorted(
        (p for p in scope if p.status in ACTIVE_PROJECT),
        key=lambda p: (-(p.progress or 0), p.title, p.id),
    )
    return ProjectPool(
        total=len(scope),
        by_status=_counts(statuses, Counter(p.status for p in scope)),
        by_category=tuple(
            (c, n)
            for c, n in _counts(
                codes["project_category"].codes(), Counter(c for p in scope for c in p.categories)
            )
            if n
        ),
        active=tuple(active),
        budget_total=sum(budgets.values()),
        budget_by_status=tuple((s, budgets[s]) for s in statuses),
        without_budget=sum(p.budget is None for p in scope),
        past_due=tuple(
            Overdue(p, index.days_overdue(p))
            for p in index.overdue(scope)
            if isinstance(p, Project)
        ),
    )


def _trend(
    ledger: Ledger, meetings: MeetingsKept, outcomes_scope: Sequence[OutcomeFact]
) -> tuple[TrendMonth, ...]:
    # each fact counted in its month, in one pass over the scope's facts (not one a month)
    held: dict[tuple[int, int], list[MeetingFact]] = {}
    for fact in meetings.held:
        held.setdefault((fact.day.year, fact.day.month), []).append(fact)
    agreed: Counter[tuple[int, int]] = Counter()
    done: Counter[tuple[int, int]] = Counter()
    for o in outcomes_scope:
        if ledger.in_window(o.agreed):
            agreed[o.agreed.year, o.agreed.month] += 1
        finished = o.outcome.done_date
        if finished is not None and o.outcome.status == "done" and ledger.in_window(finished):
            done[finished.year, finished.month] += 1
    found = []
    for n, month in enumerate(ledger.months):
        key = (month.year, month.month)
        found.append(
            TrendMonth(
                month,
                held=len(held.get(key, ())),
                communities_met=sum(r.cells[n].met is True for r in meetings.rows),
                late_notices=sum(f.late for f in held.get(key, ())),
                agreed=agreed[key],
                done=done[key],
            )
        )
    return tuple(found)


def board(ledger: Ledger, place: Place | None = None) -> Board:
    """The board of the whole portal (``place`` None) or of a place (a 街道/镇's covers its
    communities)."""
    index = ledger.index
    communities = _communities(index, place)
    meetings = _meetings_kept(ledger, index, place, communities)
    outcome_items = index.in_place(place.id, "outcome") if place else index.items("outcome")
    outcome_facts = [ledger.outcomes[o.id] for o in outcome_items]
    return Board(
        place=place,
        rules=ledger.rules,
        now=ledger.now,
        months=ledger.months,
        communities=len(communities),
        meetings=meetings,
        outcomes=_outcomes(ledger, index, place),
        projects=_projects(index, place),
        trend=_trend(ledger, meetings, outcome_facts),
    )
