"""The catalogue of what can be followed: every feed and calendar, its URL, title and items.

The feed and calendar writers, the pages' autodiscovery links and the subscribe page all read
this one catalogue, so a URL is spelled in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from .index import SiteIndex
from .models import ITEM_TYPES, Item, Meeting
from .models.base import moment
from .settings import GongshiSettings


@dataclass(frozen=True)
class Feed:
    key: str  # "all", a type's folder ("meetings"), or "places/<id>"
    title: str
    page: str  # the HTML page the feed follows
    items: tuple[Item, ...]  # newest first, already cut to the feed limit

    @property
    def atom(self) -> str:
        return f"/feeds/{self.key}.atom.xml"

    @property
    def rss(self) -> str:
        return f"/feeds/{self.key}.rss.xml"


@dataclass(frozen=True)
class Calendar:
    path: str
    title: str
    page: str
    meetings: tuple[Meeting, ...]


def last_changed(item: Item, settings: GongshiSettings) -> datetime:
    """When an item last changed: the latest of its date, ``updated`` and change notes."""
    moments = [
        item.date,
        *([item.updated] if item.updated else []),
        *(c.date for c in item.changes),
    ]
    return max(as_datetime(m, settings) for m in moments)


def as_datetime(value: object, settings: GongshiSettings) -> datetime:
    """A date or date-time as an aware date-time in the site's zone (a date: its midnight)."""
    day, time = moment(value)  # type: ignore[arg-type]
    if time is not None:
        return time.astimezone(settings.timezone)
    return datetime(day.year, day.month, day.day, tzinfo=settings.timezone)


def event_url(meeting: Meeting) -> str:
    return f"{meeting.url}event.ics"


class Subscriptions:
    def __init__(self, index: SiteIndex, settings: GongshiSettings) -> None:
        self._index = index
        self._settings = settings
        self._changed = {i.key: last_changed(i, settings) for i in index.all_items()}

    def newest_first(self, items: tuple[Item, ...]) -> tuple[Item, ...]:
        ordered = sorted(items, key=lambda i: (self._changed[i.key], i.type, i.id), reverse=True)
        return tuple(ordered[: self._settings.feed_limit])

    def changed(self, item: Item) -> datetime:
        return self._changed[item.key]

    def feeds(self) -> tuple[Feed, ...]:
        return tuple(self._feeds.values())

    @cached_property
    def _feeds(self) -> dict[str, Feed]:
        return {feed.key: feed for feed in self._all_feeds()}

    def _all_feeds(self) -> Iterator[Feed]:
        index, codes = self._index, self._settings.codes
        yield Feed("all", "全部内容", "/", self.newest_first(tuple(index.all_items())))
        for cls in ITEM_TYPES:
            items = index.items(cls.type)
            yield Feed(
                cls.folder,
                codes.label("item_type", cls.type),
                f"/{cls.folder}/",
                self.newest_first(items),
            )
        for place in index.places:
            yield Feed(
                f"places/{place.id}",
                place.name,
                place.url,
                self.newest_first(index.in_place(place.id)),
            )

    def feed_for(self, page_url: str) -> Feed:
        """The feed a page advertises: its place's, its list's, or everything."""
        parts = page_url.strip("/").split("/")
        key = "all"
        if parts[0] == "places" and len(parts) > 1:
            key = f"places/{parts[1]}"
        elif parts[0] in {cls.folder for cls in ITEM_TYPES} and (
            len(parts) == 1 or parts[1] == "page"
        ):
            key = parts[0]
        return self._feeds[key]

    def calendars(self) -> tuple[Calendar, ...]:
        return tuple(self._calendars.values())

    @cached_property
    def _calendars(self) -> dict[str, Calendar]:
        return {calendar.path: calendar for calendar in self._all_calendars()}

    def _all_calendars(self) -> Iterator[Calendar]:
        index = self._index
        meetings = tuple(m for m in index.items("meeting") if isinstance(m, Meeting))
        yield Calendar("/calendar/meetings.ics", "全部议事会", "/meetings/", meetings)
        for place in index.places:
            meetings = tuple(
                m for m in index.in_place(place.id, "meeting") if isinstance(m, Meeting)
            )
            yield Calendar(f"/calendar/places/{place.id}.ics", place.name, place.url, meetings)

    def calendar_for(self, page_url: str) -> Calendar:
        parts = page_url.strip("/").split("/")
        path = (
            f"/calendar/places/{parts[1]}.ics"
            if parts[0] == "places" and len(parts) > 1
            else "/calendar/meetings.ics"
        )
        return self._calendars[path]
