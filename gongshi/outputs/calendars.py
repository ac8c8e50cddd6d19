"""iCalendar (RFC 5545) files: all meetings, each place's meetings, and one file per meeting.

The catalogue (:mod:`gongshi.site.subscriptions`) says which calendars exist and what each holds; this
module only turns meetings into VEVENTs. Every value comes from the content (none from the
build's "now": DTSTAMP is the event's last change), so the same content gives byte-identical
files whenever it is built.

icalendar is imported where a file is made, not with the module: it takes a tenth of a second
(its time zone tables), and a build that takes every calendar over (a body edit, nothing
changed) never needs it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..content.models import Meeting
from ..settings import GongshiSettings
from ..site import urls
from ..site.build import Build
from .changes import less_body
from .reuse import Digests, KeyedFiles, key_of
from .templating import zh_date

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Timezone

PRODID = "-//Gongshi//Gongshi calendars//ZH"


def uid(meeting: Meeting, settings: GongshiSettings) -> str:
    """Stable for the meeting's whole life: its id (the file name) never changes, its title and
    time may."""
    return f"meeting-{meeting.id}@{urlsplit(settings.site_url).hostname}"


def description(meeting: Meeting, settings: GongshiSettings) -> str:
    """The notice as plain text: what a resident needs without opening the page."""
    tz = settings.timezone
    parts = [meeting.summary] if meeting.summary else []
    parts.append("\n".join(["协商议题：", *(f"{n}. {t}" for n, t in enumerate(meeting.topics, 1))]))
    people = [f"召集人：{meeting.convener}", *([f"主持人：{meeting.host}"] if meeting.host else [])]
    parts.append("\n".join(people))
    if meeting.attend:
        deadline = meeting.attend.deadline
        until = f"（截止 {zh_date(deadline)}）" if deadline else ""
        parts.append(f"申请参加：{meeting.attend.how}{until}")
    if meeting.changes:
        notes = (f"{zh_date(c.date, tz)}：{c.note}" for c in meeting.changes)
        parts.append("\n".join(["变更说明：", *notes]))
    parts.append(f"详情：{settings.site_url}{urls.item(meeting)}")
    return "\n\n".join(parts)


def _icalendar() -> ModuleType:
    """icalendar, imported the first time a file is made (see the module's docstring)."""
    import icalendar  # noqa: PLC0415 (a tenth of a second that a build making no file skips)

    return icalendar


def event(meeting: Meeting, build: Build) -> Event:
    settings = build.settings
    tz = settings.timezone
    start = meeting.start.astimezone(tz)
    end = (
        meeting.end.astimezone(tz)
        if meeting.end
        else start + timedelta(minutes=settings.default_duration)
    )
    vevent: Event = _icalendar().Event()
    vevent.add("uid", uid(meeting, settings))
    changed = build.index.changed(meeting).astimezone(UTC)
    # DTSTAMP: when this event's data was last made — its last change, as LAST-MODIFIED, not
    # the build's "now", so a rebuild that changes nothing of it leaves the file as it was
    vevent.add("dtstamp", changed)
    vevent.add("last-modified", changed)
    vevent.add("sequence", build.index.revision(meeting))
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", build.index.headline(meeting))
    vevent.add("location", meeting.location)
    vevent.add("description", description(meeting, settings))
    vevent.add("url", settings.site_url + urls.item(meeting))
    vevent.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    if meeting.tags:
        vevent.add("categories", list(meeting.tags))
    return vevent


def calendar(
    title: str, events: Iterable[Event], settings: GongshiSettings, vtimezone: Timezone | None
) -> Calendar:
    """One VCALENDAR. Every event is in the site's zone, so its one VTIMEZONE, built once per
    build (icalendar derives it by scanning the zone's offsets: tens of milliseconds), suffices;
    RFC 5545 also wants it when there are no events yet."""
    zone = settings.timezone.key
    cal: Calendar = _icalendar().Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{settings.site_name} · {title}")
    cal.add("x-wr-timezone", zone)
    if vtimezone is not None:  # None: the head that :func:`spliced` completes
        cal.add_component(vtimezone)
    for vevent in events:
        cal.add_component(vevent)
    return cal


END = b"END:VCALENDAR\r\n"
VEVENT = b"\r\nBEGIN:VEVENT\r\n"  # a line of its own: a folded line goes on with a space


def spliced(cal: Calendar, parts: Iterable[bytes]) -> bytes:
    """``cal`` (no components of its own) with ``parts``, each a component already serialized,
    as ``to_ical`` would write them inside it: icalendar writes a component as its lines, each
    folded on its own, its components' lines in turn, then its END line; so serializing each
    VEVENT (and the VTIMEZONE) once and splicing gives the same bytes as serializing every
    calendar whole (``tests/test_calendars.py`` holds them equal), in a quarter of the time."""
    head: bytes = cal.to_ical()
    if not head.endswith(END) or cal.subcomponents:
        raise ValueError("a calendar to splice into has no components and ends with its END")
    return head[: -len(END)] + b"".join(parts) + END


def event_key(
    meeting: Meeting, build: Build, digests: Digests, files: KeyedFiles | None = None
) -> bytes:
    """What :func:`event` reads: the meeting (every field but its body, which no event shows:
    :func:`changes.less_body`) and what the index says of it; the settings it reads are the same
    for every file of a build that takes files over (``publish/cache.pages_env``)."""
    index = build.index
    return key_of(
        less_body(meeting, digests, files),
        index.changed(meeting),
        index.revision(meeting),
        index.headline(meeting),
    )


def write(build: Build, output: Path, files: KeyedFiles | None = None) -> None:
    """Each meeting's own ``event.ics``, then every calendar of the catalogue; through ``files``,
    each taken over from the previous output when its title and its events' keys are the same.

    An event goes in up to 4 files (all, community, jurisdiction, its own): it is serialized
    once, and only if a file that holds it is made; if its own file was taken over, it is read
    back from there (the one VEVENT of that file), so a calendar made again because one of its
    events changed serializes that event only."""
    files = files if files is not None else KeyedFiles(output, None)
    settings = build.settings
    meetings = [m for m in build.index.items("meeting") if isinstance(m, Meeting)]
    digests = files.digests()
    keys: dict[str, bytes] = {}

    def key(m: Meeting) -> bytes:
        if m.id not in keys:
            keys[m.id] = event_key(m, build, digests, files)
        return keys[m.id]

    events: dict[str, bytes] = {}
    kept: set[str] = set()  # the meetings whose own file was taken over
    zone: list[bytes] = []

    def serialized(meetings: Iterable[Meeting]) -> list[bytes]:
        if not zone:
            zone.append(_icalendar().Timezone.from_tzid(settings.timezone.key).to_ical())
        for m in meetings:
            if m.id in events:
                continue
            if m.id in kept:
                own = (output / urls.save_as(urls.event(m))).read_bytes()
                events[m.id] = own[own.index(VEVENT) + 2 : -len(END)]
            else:
                events[m.id] = event(m, build).to_ical()
        return [zone[0], *(events[m.id] for m in meetings)]

    def made(title: str, meetings: list[Meeting]) -> Callable[[], bytes]:
        return lambda: spliced(calendar(title, [], settings, None), serialized(meetings))

    # no event shows a body (:func:`event_key`): while only bodies changed, every kept key holds
    shows_no_body: frozenset[tuple[str, str]] = frozenset()
    for m in meetings:
        path = urls.save_as(urls.event(m))
        own = functools.partial(lambda m: key_of(m.title, key(m)), m)
        if files.write(path, own, made(m.title, [m]), shows_no_body):
            kept.add(m.id)
    for cal in build.subscriptions.calendars():
        whole = functools.partial(lambda c: key_of(c.title, *(key(m) for m in c.meetings)), cal)
        files.write(
            urls.save_as(cal.path), whole, made(cal.title, list(cal.meetings)), shows_no_body
        )
