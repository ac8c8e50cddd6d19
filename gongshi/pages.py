"""The HTML pages of the site: what each page is, where it is written, what it is given.

:func:`plan` is the one list of pages: the page writer renders it and the sitemap lists it,
so the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .index import SiteIndex
from .models import ITEM_TYPES
from .places import Place
from .schemas import catalogue
from .settings import GongshiSettings


@dataclass(frozen=True)
class Pager:
    """One page of a long list: its items, its number, and the URLs of its neighbours."""

    items: Sequence[Any]
    number: int
    count: int
    base: str  # the list's first page, e.g. /outcomes/
    total: int

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def previous(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(items: Sequence[Any], base: str, size: int) -> Iterator[Pager]:
    count = max(1, math.ceil(len(items) / size))
    for number in range(1, count + 1):
        yield Pager(items[(number - 1) * size : number * size], number, count, base, len(items))


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    lastmod: Any = None  # a date or datetime for the sitemap

    @property
    def save_as(self) -> str:
        return (
            self.url.lstrip("/") + "index.html" if self.url.endswith("/") else self.url.lstrip("/")
        )


def _list_pages(index: SiteIndex, size: int) -> Iterator[Page]:
    meetings = index.items("meeting")
    upcoming, cancelled = index.upcoming(meetings), index.cancelled_ahead(meetings)
    for pager in paginate(index.past(meetings), "/meetings/", size):
        first = pager.number == 1
        context = {
            "pager": pager,
            "upcoming": upcoming if first else (),
            "cancelled": cancelled if first else (),
        }
        yield Page(pager.url(pager.number), "meetings.html", context)
    for pager in paginate(index.items("outcome"), "/outcomes/", size):
        yield Page(pager.url(pager.number), "outcomes.html", {"pager": pager})
    summary = index.project_summary()
    for pager in paginate(index.items("project"), "/projects/", size):
        yield Page(pager.url(pager.number), "projects.html", {"pager": pager, "summary": summary})
    for pager in paginate(index.items("case"), "/cases/", size):
        yield Page(pager.url(pager.number), "cases.html", {"pager": pager})


def _item_pages(index: SiteIndex) -> Iterator[Page]:
    for cls in ITEM_TYPES:
        for item in index.items(cls.type):
            lastmod = item.updated or item.date
            yield Page(item.url, f"{cls.type}.html", {"item": item}, lastmod=lastmod)
            if cls.type == "meeting":  # and its printable A4 public notice (公示)
                yield Page(f"{item.url}notice/", "notice.html", {"item": item}, lastmod=lastmod)


def _place_page(index: SiteIndex, place: Place, size: int) -> Page:
    meetings = index.in_place(place.id, "meeting")
    context = {
        "place": place,
        "upcoming": index.upcoming(meetings),
        "past": index.past(meetings)[:size],
        "past_total": len(index.past(meetings)),
        "outcomes": index.in_place(place.id, "outcome"),
        "projects": index.in_place(place.id, "project"),
        "cases": index.in_place(place.id, "case"),
        "limit": size,
    }
    return Page(place.url, "place.html", context)


def plan(index: SiteIndex, settings: GongshiSettings) -> Iterator[Page]:
    """Every HTML page of the site, in a stable order."""
    yield Page("/", "home.html", {"home_items": settings.home_items})
    yield from _list_pages(index, settings.page_size)
    yield from _item_pages(index)
    yield Page("/places/", "places.html")
    for place in index.places:
        yield _place_page(index, place, settings.page_size)
    yield Page("/subscribe/", "subscribe.html")
    yield Page("/data/", "data.html", {"data_files": catalogue(settings)})
    yield Page("/search/", "search.html")
    yield Page("/about/", "about.html")
    yield Page("/404.html", "404.html", in_sitemap=False)
