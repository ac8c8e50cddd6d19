"""Phase two: resolve references and places, then hold the finished, read-only site index.

Every writer (pages, sitemap, feeds, calendars, open data, search) reads this one index through
the Build; none of them reads files or re-derives a fact the index already has.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from ..content.codes import Codes
from ..content.fields import Code, field_spec, front_matter_fields
from ..content.loader import Loaded, reference_fields
from ..content.models import BY_TYPE, ITEM_TYPES, Item, Meeting, Outcome, Project
from ..content.models.base import moment
from ..content.places import Place, Places
from ..errors import Problem
from ..settings import GongshiSettings
from ..suggest import did_you_mean

OPEN_OUTCOME = frozenset({"open", "in_progress"})


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def resolve(loaded: Loaded) -> list[Problem]:
    """Every broken reference: unknown places, missing items, published items pointing at drafts."""
    problems: list[Problem] = []
    drafts = {(i.type, i.id) for i in loaded.items if i.draft}
    place_ids = sorted(loaded.places.declared)
    for r in loaded.references:
        if r.target == "place":
            if r.ref not in place_ids:
                message = f"places.yaml 中没有地点 '{r.ref}'{did_you_mean(r.ref, place_ids)}"
                problems.append(Problem(r.file, r.line, r.field, message, "place.unknown"))
            continue
        known = loaded.ids.get(r.target, frozenset())
        folder = BY_TYPE[r.target].folder
        if r.ref not in known:
            message = (
                f"找不到 {folder} 中 id 为 '{r.ref}' 的内容{did_you_mean(r.ref, sorted(known))}"
            )
            problems.append(Problem(r.file, r.line, r.field, message, "ref.missing"))
        elif (r.target, r.ref) in drafts and not r.from_draft:
            message = f"引用的 '{r.ref}' 是草稿（draft: true），不会发布：请先发布它，或删去此引用"
            problems.append(Problem(r.file, r.line, r.field, message, "ref.draft"))
    return problems


def _in_list_order(cls: type[Item], items: Iterable[Item]) -> tuple[Item, ...]:
    """The items of ``cls`` in the order its model declares for its list."""

    def key(item: Item) -> tuple[Any, ...]:
        return tuple(getattr(item, name) for name in cls.list_key)

    return tuple(sorted(items, key=key, reverse=cls.newest_first))


def _code_list(cls: type[Item], name: str) -> str:
    """The code list a field of ``cls`` takes its codes from."""
    kind = next(field_spec(f).kind for f in front_matter_fields(cls) if f.name == name)
    if not isinstance(kind, Code):
        raise TypeError(f"{cls.type}.{name} is not a code field")
    return kind.list_name


def links_to(item_type: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Which types can name an item of ``item_type``, and through which fields, in display
    order: the reverse links the index fills, the open data declares and the pages show."""
    found = []
    for cls in ITEM_TYPES:
        names = tuple(name for name, target in reference_fields(cls) if target == item_type)
        if names:
            found.append((cls.type, names))
    return tuple(found)


# Where a meeting's body starts its record (the editor guide asks for ``## 会议记录``).
RECORD_HEADING = "<h2>会议记录</h2>"


def _meetings(items: Iterable[Item]) -> Iterator[Meeting]:
    return (m for m in items if isinstance(m, Meeting))


@dataclass(frozen=True)
class ProjectSummary:
    total: int
    by_status: tuple[tuple[str, int], ...]
    by_place: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]


class SiteIndex:
    """The published site, generic over the registered types: items by type, reverse links,
    items by place, the facts derived from an item, and what "now" makes of them."""

    def __init__(
        self, loaded: Loaded, settings: GongshiSettings, warnings: Iterable[Problem] = ()
    ) -> None:
        self.now = settings.now
        self.warnings: tuple[Problem, ...] = tuple(sorted(warnings))  # printed, not fatal
        self.codes: Codes = settings.codes
        self.tz: tzinfo = settings.timezone
        self.places: Places = loaded.places
        published = [i for i in loaded.items if not i.draft]
        self._by_key: dict[tuple[str, str], Item] = {i.key: i for i in published}
        self._items: dict[str, tuple[Item, ...]] = {
            cls.type: _in_list_order(cls, (i for i in published if i.type == cls.type))
            for cls in ITEM_TYPES
        }
        # reverse links, from every reference field of every type (places aside)
        self._reverse: dict[tuple[str, str], dict[str, list[Item]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for item in self.all_items():
            for name, target in reference_fields(type(item)):
                if target != "place":
                    for ref in _as_tuple(getattr(item, name)):
                        self._reverse[(target, ref)][item.type].append(item)
        self._history_of = {item.key: self._history(item) for item in self.all_items()}
        self._changed = {
            item.key: max((self.as_datetime(item.date), *self._history_of[item.key]))
            for item in self.all_items()
        }
        self._by_place: dict[str, list[Item]] = defaultdict(list)
        self._order = {item.key: n for n, item in enumerate(self.all_items())}
        for item in self.all_items():
            for place_id in item.places:
                self._by_place[place_id].append(item)

    # -- lookups ---------------------------------------------------------------------------
    def items(self, item_type: str) -> tuple[Item, ...]:
        """The published items of a type, in the order of its list (see ``Item.list_key``)."""
        return self._items[item_type]

    def all_items(self) -> Iterator[Item]:
        """Every published item: the types in display order, each in its list's order."""
        for items in self._items.values():
            yield from items

    def by_id(self, item_type: str, item_id: str) -> Item:
        return self._by_key[(item_type, item_id)]

    def resolved(self, item: Item, name: str) -> tuple[Item, ...]:
        """The items a reference field of ``item`` names, in the order written."""
        target = dict(reference_fields(type(item)))[name]
        return tuple(self._by_key[(target, ref)] for ref in _as_tuple(getattr(item, name)))

    def referrers(self, item: Item, referrer_type: str) -> tuple[Any, ...]:
        """Items of ``referrer_type`` that name ``item``: outcomes of a meeting, cases about it …"""
        found = self._reverse.get(item.key, {}).get(referrer_type, [])
        return tuple(sorted(found, key=lambda i: i.published_sort_key, reverse=True))

    def referrer_types(self, item_type: str) -> tuple[str, ...]:
        """The types whose items may name an item of ``item_type`` (see :func:`links_to`)."""
        return tuple(other for other, _ in links_to(item_type))

    def in_place(self, place_id: str, item_type: str | None = None) -> tuple[Item, ...]:
        """Items of a place, a jurisdiction's including its communities', each once, in the
        order of the type's list (meetings by start, the rest newest first)."""
        seen: dict[tuple[str, str], Item] = {}
        for pid in self.places.covered(place_id):
            for item in self._by_place.get(pid, []):
                if item_type is None or item.type == item_type:
                    seen.setdefault(item.key, item)
        return tuple(sorted(seen.values(), key=lambda i: self._order[i.key]))

    # -- facts derived from an item, each worked out here only -------------------------------
    def as_datetime(self, value: date | datetime) -> datetime:
        """A date or date-time as an aware date-time in the site's zone (a date: its midnight)."""
        day, time = moment(value)
        if time is not None:
            return time.astimezone(self.tz)
        return datetime(day.year, day.month, day.day, tzinfo=self.tz)

    def _history(self, item: Item) -> tuple[datetime, ...]:
        """The recorded changes of an item that have happened (dated at or before "now"), oldest
        first: every value of the dated fields its model names in ``change_dates``."""
        return tuple(sorted(m for m in self._dated(item) if m <= self.now))

    def _dated(self, item: Item) -> list[datetime]:
        """Every value of the dated fields ``item``'s model names in ``change_dates``."""
        found: list[datetime] = []
        for path in type(item).change_dates:
            name, _, inner = path.partition(".")
            value = getattr(item, name)
            values: tuple[Any, ...] = value if isinstance(value, tuple) else (value,)
            found += (
                self.as_datetime(getattr(v, inner) if inner else v) for v in values if v is not None
            )
        return found

    def changed(self, item: Item) -> datetime:
        """When an item last changed: the latest of its date and its recorded changes
        (``updated``, change notes, an outcome's ``done_date``, a project's milestones …)."""
        return self._changed[item.key]

    def revision(self, item: Item) -> int:
        """How many changes an item records (each change note, milestone, ``done_date`` …,
        ``updated`` once): a calendar event's SEQUENCE. It rises with every recorded change and
        never falls, as records are added, not removed."""
        return len(self._history_of[item.key])

    def published(self, item: Item) -> datetime:
        """When an item was published (its ``date``), as an aware date-time."""
        return self.as_datetime(item.date)

    def headline(self, item: Item) -> str:
        """The title as feeds and calendars show it: a postponed or cancelled meeting says so
        first (【已延期】…), in the label of its status code (``Item.announced``)."""
        status = getattr(item, "status", None)
        if status not in type(item).announced:
            return item.title
        return f"【{self.codes.label(_code_list(type(item), 'status'), status)}】{item.title}"

    def places_of(self, item: Item) -> tuple[Place, ...]:
        """The places an item belongs to, as its editor wrote them."""
        return tuple(self.places[pid] for pid in item.places)

    def places_with_jurisdictions(self, item: Item) -> tuple[Place, ...]:
        """An item's places and the jurisdictions of its communities, each once, in order: where
        the item is found (a community's item is on its jurisdiction's page and feed too)."""
        ids = (i for p in self.places_of(item) for i in (p.id, p.parent) if i is not None)
        return tuple(self.places[i] for i in dict.fromkeys(ids))

    def contact_place(self, item: Item) -> Place | None:
        """Where a resident asks about an item: the first of its places, then of their
        jurisdictions, that has public contact details (address, phone, hours)."""
        return next((p for p in self.places_with_jurisdictions(item) if p.contact.any), None)

    # -- what "now" makes of items ---------------------------------------------------------
    def meeting_state(self, meeting: Meeting) -> str:
        if meeting.status in ("cancelled", "held"):
            return meeting.status
        if meeting.start >= self.now:
            return "postponed" if meeting.status == "postponed" else "upcoming"
        return "unrecorded"

    def is_upcoming(self, meeting: Meeting) -> bool:
        return self.meeting_state(meeting) in ("upcoming", "postponed")

    def meeting_record(self, meeting: Meeting) -> tuple[str, str]:
        """A meeting's body as (its 会议记录 section, the rest): the record is the body's
        ``## 会议记录`` heading up to the next heading of that level; ("", body) without one."""
        body = meeting.body_html
        start = body.find(RECORD_HEADING)
        if start < 0:
            return "", body
        end = body.find("<h2", start + len(RECORD_HEADING))
        end = len(body) if end < 0 else end
        return body[start:end].strip(), (body[:start] + body[end:]).strip()

    def upcoming(self, meetings: Iterable[Item]) -> tuple[Meeting, ...]:
        """Meetings still to come, soonest first; a cancelled meeting never is one."""
        return tuple(
            sorted(
                (m for m in _meetings(meetings) if self.is_upcoming(m)),
                key=lambda m: (m.start, m.id),
            )
        )

    def cancelled_ahead(self, meetings: Iterable[Item]) -> tuple[Meeting, ...]:
        ahead = (m for m in _meetings(meetings) if m.status == "cancelled" and m.start >= self.now)
        return tuple(sorted(ahead, key=lambda m: (m.start, m.id)))

    def past(self, meetings: Iterable[Item]) -> tuple[Meeting, ...]:
        """Everything else, latest first."""
        rest = (
            m
            for m in _meetings(meetings)
            if not self.is_upcoming(m) and not (m.status == "cancelled" and m.start >= self.now)
        )
        return tuple(sorted(rest, key=lambda m: (m.start, m.id), reverse=True))

    def is_overdue(self, item: Item) -> bool:
        """An open outcome past its ``deadline`` (any route), or a project past its ``due`` and
        not completed: from the day after that date on, in the site's zone."""
        return self.days_overdue(item) > 0

    def days_overdue(self, item: Item) -> int:
        """How many days an item is overdue (0: it is not): 1 on the day after its date."""
        since = self.overdue_from(item)
        if since is None or self.now < since:
            return 0
        return (self.now.astimezone(self.tz).date() - since.date()).days + 1

    def overdue_from(self, item: Item) -> datetime | None:
        """The instant an item becomes overdue unless it is finished first: the end of the day
        of an open outcome's ``deadline`` or an unfinished project's ``due``; else ``None``."""
        if isinstance(item, Outcome) and item.status in OPEN_OUTCOME:
            return self.end_of_day(item.deadline) if item.deadline else None
        if isinstance(item, Project) and item.status != "completed":
            return self.end_of_day(item.due) if item.due else None
        return None

    def end_of_day(self, day: date) -> datetime:
        """The end of a day in the site's zone (the next midnight), when a date "has passed"."""
        return self.as_datetime(day + timedelta(days=1))

    def attend_closes(self, meeting: Meeting) -> datetime | None:
        """When applying to attend closes: the end of ``attend.deadline`` (``None`` without)."""
        if meeting.attend is None or meeting.attend.deadline is None:
            return None
        return self.end_of_day(meeting.attend.deadline)

    def attend_closed(self, meeting: Meeting) -> bool:
        """Whether the application deadline has passed (申请已截止)."""
        closes = self.attend_closes(meeting)
        return closes is not None and closes <= self.now

    def overdue(self, items: Iterable[Item]) -> tuple[Item, ...]:
        """The overdue ones of ``items``, most days overdue first (then in the given order)."""
        found = [i for i in items if self.is_overdue(i)]
        return tuple(sorted(found, key=lambda i: -self.days_overdue(i)))

    def changes_ahead(self) -> tuple[tuple[datetime, str], ...]:
        """Every future instant at which a time-dependent fact on the site changes, soonest
        first, each with what changes: a meeting starts (待召开 → 会期已过), an application
        deadline passes (申请已截止), an outcome or project becomes overdue (已逾期)."""
        ahead: list[tuple[datetime, str]] = []
        for m in _meetings(self.items("meeting")):
            if self.is_upcoming(m):
                ahead.append((m.start, f"「{m.title}」开始"))
                closes = self.attend_closes(m)
                if closes is not None:
                    ahead.append((closes, f"「{m.title}」申请截止"))
        for item in (*self.items("outcome"), *self.items("project")):
            since = self.overdue_from(item)
            if since is not None:
                ahead.append((since, f"「{item.title}」到期"))
                # from then on the days overdue change every midnight; the first is the change
        future = sorted((t, what) for t, what in ahead if t > self.now)
        return tuple(future)

    def steady_until(self) -> datetime:
        """The end of the span from "now" in which every answer of the index is the one it gives
        now (``outputs/changes.py``: a build whose "now" moved within it, and only bodies
        changed, takes over each page that does not show "now" itself): the first instant after
        now at which a comparison with now flips — a meeting's start (its state, and whether a
        cancelled one is ahead), an application deadline, the moment an item falls overdue, a
        dated change (``change_dates``: when an item last changed) — or the next midnight in
        the site's zone (days overdue, the ledger board's days and months), whichever is first.
        ``tests/test_now_span.py`` holds every method's answer, and every page of the plan, the
        same anywhere in the span."""
        local = self.now.astimezone(self.tz)
        midnight = self.as_datetime(local.date() + timedelta(days=1))
        starts: list[datetime] = []  # ``start >= now``: flips once now is past it
        passed: list[datetime] = [midnight]  # ``t <= now`` or ``now < t``: flips at it
        for item in self.all_items():
            if isinstance(item, Meeting):
                starts.append(item.start)
                passed.append(self.attend_closes(item) or midnight)
            passed.append(self.overdue_from(item) or midnight)
            passed += self._dated(item)
        return min(
            *(t for t in starts if t >= self.now), *(t for t in passed if t > self.now), midnight
        )

    def next_change(self) -> tuple[datetime, str] | None:
        """The earliest future instant at which a page would say something else, and why;
        ``None`` when nothing on the site depends on time any more."""
        ahead = self.changes_ahead()
        return ahead[0] if ahead else None

    # -- summaries -------------------------------------------------------------------------
    def project_summary(self) -> ProjectSummary:
        chosen = tuple(p for p in self.items("project") if isinstance(p, Project))
        statuses = Counter(p.status for p in chosen)
        places = Counter(pid for p in chosen for pid in p.places)
        categories = Counter(c for p in chosen for c in p.categories)
        order = self.codes["project_status"].codes()
        return ProjectSummary(
            total=len(chosen),
            by_status=tuple((s, statuses[s]) for s in order if statuses[s]),
            by_place=tuple((pid, places[pid]) for pid in self.places.ids() if places[pid]),
            by_category=tuple(
                (c, categories[c]) for c in self.codes["project_category"].codes() if categories[c]
            ),
        )

    def counts(self) -> Mapping[str, int]:
        """How many published items each type has, in display order."""
        return {item_type: len(items) for item_type, items in self._items.items()}
