"""The catalogue of what can be followed: every feed and calendar, its URL, title and items.

The feed and calendar writers, the page plan (which feed and calendar each page offers) and the
subscribe page all read this one catalogue; the paths come from :mod:`gongshi.site.urls`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ..content.models import ITEM_TYPES, Item, Meeting
from ..settings import GongshiSettings
from . import urls
from .index import SiteIndex


@dataclass(frozen=True)
class Feed:
    """One feed, as Atom and RSS: of everything, of one type (``item_type``), or of one place."""

    title: str
    page: str  # the HTML page the feed follows
    # newest first, already cut to the feed limit; a page links to the feed, so what it is made
    # from (outputs/reuse.py) leaves the items out
    items: tuple[Item, ...] = field(metadata={"digest": False})
    item_type: str | None = None
    place: str | None = None

    @property
    def everything(self) -> bool:
        return self.item_type is None and self.place is None

    @property
    def atom(self) -> str:
        return urls.feed("atom", item_type=self.item_type, place_id=self.place)

    @property
    def rss(self) -> str:
        return urls.feed("rss", item_type=self.item_type, place_id=self.place)


@dataclass(frozen=True)
class Calendar:
    """One iCalendar subscription: every meeting, or one place's (``place``)."""

    title: str
    page: str
    meetings: tuple[Meeting, ...] = field(metadata={"digest": False})  # as a feed's items
    place: str | None = None

    @property
    def path(self) -> str:
        return urls.calendar(self.place)


class Subscriptions:
    def __init__(self, index: SiteIndex, settings: GongshiSettings) -> None:
        self._index = index
        self._settings = settings

    def newest_first(self, items: tuple[Item, ...]) -> tuple[Item, ...]:
        """The most recently changed items first (``SiteIndex.changed``), cut to the limit."""
        changed = self._index.changed
        ordered = sorted(items, key=lambda i: (changed(i), i.type, i.id), reverse=True)
        return tuple(ordered[: self._settings.feed_limit])

    def feeds(self) -> tuple[Feed, ...]:
        """Everything, then each type, then each place."""
        return tuple(self._feeds.values())

    def feed(self, item_type: str | None = None, place: str | None = None) -> Feed:
        """The feed of one type, of one place, or (neither given) of everything."""
        return self._feeds[(item_type, place)]

    @cached_property
    def _feeds(self) -> dict[tuple[str | None, str | None], Feed]:
        return {(feed.item_type, feed.place): feed for feed in self._all_feeds()}

    def _all_feeds(self) -> Iterator[Feed]:
        index, codes = self._index, self._settings.codes
        yield Feed("全部内容", urls.HOME, self.newest_first(tuple(index.all_items())))
        for cls in ITEM_TYPES:
            title = codes.label("item_type", cls.type)
            items = self.newest_first(index.items(cls.type))
            yield Feed(title, urls.listing(cls.type), items, item_type=cls.type)
        for place in index.places:
            items = self.newest_first(index.in_place(place.id))
            yield Feed(place.name, urls.place(place), items, place=place.id)

    def calendars(self) -> tuple[Calendar, ...]:
        return tuple(self._calendars.values())

    def calendar(self, place: str | None = None) -> Calendar:
        """The calendar of one place's meetings, or (none given) of every meeting."""
        return self._calendars[place]

    @cached_property
    def _calendars(self) -> dict[str | None, Calendar]:
        return {calendar.place: calendar for calendar in self._all_calendars()}

    def _all_calendars(self) -> Iterator[Calendar]:
        index = self._index
        meetings = tuple(m for m in index.items("meeting") if isinstance(m, Meeting))
        title = "全部" + self._settings.codes.label("item_type", "meeting", "short")
        yield Calendar(title, urls.listing("meeting"), meetings)
        for place in index.places:
            here = tuple(m for m in index.in_place(place.id, "meeting") if isinstance(m, Meeting))
            yield Calendar(place.name, urls.place(place), here, place=place.id)
