"""The HTML pages of the site: what each page is, where it is written, what it is given.

:func:`plan` is the one list of pages, made once per build (``Build.pages``): the page writer
renders it, the sitemap lists it and search indexes the pages it marks ``searchable``, so the
three can never disagree. Each page also says which feed and calendar it offers and which entry
of the navigation it belongs to, so no template works that out from its URL.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..content.models import ITEM_TYPES
from ..content.places import Place
from ..outputs.opendata.board import TABLES, board_catalogue
from ..outputs.opendata.schemas import catalogue
from ..settings import GongshiSettings
from . import urls
from .board import Ledger, Rules, board
from .deferred import Deferred
from .index import SiteIndex
from .subscriptions import Calendar, Feed, Subscriptions

PLACES_SECTION = "places"  # the navigation entries besides the types'
SUBSCRIBE_SECTION = "subscribe"
BOARD_SECTION = "board"
# What shows a type the theme has no templates of its own for: every declared field, from its
# spec (``<type>.html`` and ``<folder>.html`` replace them when the theme has them).
GENERIC_ITEM = "item.html"
GENERIC_LIST = "items.html"


@dataclass(frozen=True)
class Pager:
    """One page of a long list: its items, its number, and the URLs of its neighbours."""

    items: Sequence[Any]
    number: int
    count: int
    item_type: str
    total: int

    def url(self, number: int) -> str:
        return urls.listing(self.item_type, number)

    @property
    def previous(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(items: Sequence[Any], item_type: str, size: int) -> Iterator[Pager]:
    count = max(1, math.ceil(len(items) / size))
    for number in range(1, count + 1):
        chunk = items[(number - 1) * size : number * size]
        yield Pager(chunk, number, count, item_type, len(items))


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    feed: Feed  # the feed it advertises (autodiscovery links)
    context: Mapping[str, Any] = field(default_factory=dict)
    calendar: Calendar | None = None  # the calendar it offers (a place's page)
    section: str | None = None  # its navigation entry: an item type, "places" or "subscribe"
    searchable: bool = False  # whether search indexes it: item pages only
    in_sitemap: bool = True
    lastmod: date | datetime | None = None  # for the sitemap

    @property
    def save_as(self) -> str:
        return urls.save_as(self.url)


class _Planner:
    def __init__(
        self,
        index: SiteIndex,
        settings: GongshiSettings,
        subscriptions: Subscriptions,
        theme: Collection[str],
    ) -> None:
        self.index = index
        self.settings = settings
        self.subscriptions = subscriptions
        self.theme = frozenset(theme)
        self.everything = subscriptions.feed()
        rules = Rules(
            settings.board_monthly_minimum, settings.board_notice_days, settings.board_months
        )
        self.ledger = Ledger(index, rules)  # the board's facts, once for every scope

    def template(self, own: str, generic: str) -> str:
        """The theme's own template for a type if it has one, else the generic one."""
        return own if own in self.theme else generic

    def page(self, url: str, template: str, **kwargs: Any) -> Page:
        return Page(url, template, kwargs.pop("feed", self.everything), **kwargs)

    def lists(self) -> Iterator[Page]:
        for cls in ITEM_TYPES:
            feed = self.subscriptions.feed(cls.type)
            listed, first, rest = self.list_content(cls.type)
            for pager in paginate(listed, cls.type, self.settings.page_size):
                context = {"pager": pager, **(first if pager.number == 1 else rest)}
                url = pager.url(pager.number)
                template = self.template(f"{cls.folder}.html", GENERIC_LIST)
                yield self.page(url, template, feed=feed, context=context, section=cls.type)

    def list_content(self, item_type: str) -> tuple[Sequence[Any], dict[str, Any], dict[str, Any]]:
        """What a type's list pages list, and what else its first and further pages show."""
        index = self.index
        items = index.items(item_type)
        if item_type == "meeting":  # upcoming and cancelled above the list, on its first page
            ahead = {"upcoming": index.upcoming(items), "cancelled": index.cancelled_ahead(items)}
            return index.past(items), ahead, {"upcoming": (), "cancelled": ()}
        if item_type == "project":
            summary = {"summary": index.project_summary()}
            return items, summary, summary
        return items, {}, {}

    def items(self) -> Iterator[Page]:
        for cls in ITEM_TYPES:
            template = self.template(f"{cls.type}.html", GENERIC_ITEM)
            for item in self.index.items(cls.type):
                lastmod = item.updated or item.date
                context = {"item": item}
                yield self.page(
                    urls.item(item),
                    template,
                    context=context,
                    section=cls.type,
                    searchable=True,
                    lastmod=lastmod,
                )
                if cls.type == "meeting":  # and its printable A4 public notice (公示)
                    yield self.page(
                        urls.notice(item),
                        "notice.html",
                        context=context,
                        section=cls.type,
                        lastmod=lastmod,
                    )

    def place(self, place: Place) -> Page:
        return self.page(
            urls.place(place),
            "place.html",
            feed=self.subscriptions.feed(place=place.id),
            calendar=self.subscriptions.calendar(place.id),
            context=Deferred(functools.partial(self.place_context, place)),
            section=PLACES_SECTION,
        )

    def place_context(self, place: Place) -> dict[str, Any]:
        index, size = self.index, self.settings.page_size
        meetings = index.in_place(place.id, "meeting")
        past = index.past(meetings)
        return {
            "place": place,
            "upcoming": index.upcoming(meetings),
            "past": past[:size],
            "past_total": len(past),
            "limit": size,
            "board": board(self.ledger, place),  # its public ledger board (公开台账)
            # every other type's items of the place, by type: outcomes, projects, cases …
            "others": {
                cls.type: index.in_place(place.id, cls.type)
                for cls in ITEM_TYPES
                if cls.type != "meeting"
            },
        }

    def overdue(self, place: Place | None = None) -> Page:
        """Only the overdue outcomes and projects (只看逾期), of the site or of a place; as of
        the build (live.js keeps their days right; what falls overdue later waits for it)."""
        feed = self.subscriptions.feed(place=place.id) if place else self.everything
        section = PLACES_SECTION if place else None
        context = Deferred(functools.partial(self.overdue_context, place))
        return self.page(
            urls.overdue(place), "overdue.html", feed=feed, context=context, section=section
        )

    def overdue_context(self, place: Place | None) -> dict[str, Any]:
        index = self.index
        found = {
            t: index.overdue(index.in_place(place.id, t) if place else index.items(t))
            for t in ("outcome", "project")
        }
        return {"place": place, "overdue": found}

    def all(self) -> Iterator[Page]:
        settings = self.settings
        yield self.page(urls.HOME, "home.html", context={"home_items": settings.home_items})
        yield from self.lists()
        yield from self.items()
        yield self.page(urls.PLACES, "places.html", section=PLACES_SECTION)
        yield self.overdue()
        yield self.page(
            urls.BOARD,
            "board.html",
            context={
                "board": board(self.ledger),
                "board_tables": [(t.name, t.title) for t in TABLES],
            },
            section=BOARD_SECTION,
        )
        for place in self.index.places:
            yield self.place(place)
            yield self.overdue(place)
        yield self.page(urls.SUBSCRIBE, "subscribe.html", section=SUBSCRIBE_SECTION)
        data_files = catalogue(settings)  # the overview, then each file's fields on its own page
        yield self.page(urls.DATA, "data.html", context={"data_files": data_files})
        for doc in data_files:
            yield self.page(doc.file.doc, "data_file.html", context={"doc": doc})
        board_file = {"board_file": board_catalogue(settings)}
        yield self.page(urls.BOARD_DATA, "board_data.html", context=board_file)
        yield self.page(urls.SEARCH, "search.html")
        yield self.page(urls.ABOUT, "about.html")
        yield self.page(urls.NOT_FOUND, "404.html", in_sitemap=False)


def plan(
    index: SiteIndex,
    settings: GongshiSettings,
    subscriptions: Subscriptions,
    theme: Collection[str] = (),
) -> tuple[Page, ...]:
    """Every HTML page of the site, in a stable order. ``theme`` names the templates the theme
    has: a type whose own are missing is shown by the generic ones."""
    return tuple(_Planner(index, settings, subscriptions, theme).all())
