"""RSS 2.0 and Atom feeds, written by feedgen: one pair per entry of the subscription catalogue.

An entry's id is its page's absolute URL — built from the site, the type and the id, so it never
changes when a title or a date does. Its HTML content is rendered once per item by the theme's
``feed_entry.html`` and shared by every feed that carries the item.

No date of a feed is the build's: a feed's ``updated`` and ``lastBuildDate`` are its newest
entry's last change (an empty feed's, the site's newest change), so a rebuild that changes
nothing a feed says leaves it byte for byte as it was — a daily rebuild rewrites only the feeds
that changed, and a reader polling with If-Modified-Since is answered "not modified".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from ..content.models import Item
from ..site import urls
from ..site.build import Build
from ..site.subscriptions import Feed


class _Entries:
    """What every feed needs of an item, computed once per build."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self._content: dict[tuple[str, str], str] = {}
        # an empty feed's date: the site's newest change (the build's "now" only on an empty site)
        self.site_changed: datetime = max(
            (build.index.changed(i) for i in build.index.all_items()), default=build.now
        )

    def content(self, item: Item) -> str:
        if item.key not in self._content:
            self._content[item.key] = self.build.render("feed_entry.html", item=item)
        return self._content[item.key]

    def add(self, fg: FeedGenerator, item: Item) -> None:
        build = self.build
        settings, index = build.settings, build.index
        url = build.absolute(urls.item(item))
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(index.headline(item))
        entry.link(href=url, rel="alternate")
        entry.published(index.published(item))
        entry.updated(index.changed(item))
        entry.author(name=settings.publisher or settings.site_name)
        for tag in item.tags:
            entry.category(term=tag)
        for place in index.places_of(item):
            entry.category(term=place.name, scheme=build.absolute(urls.PLACES), label=place.name)
        entry.category(
            term=settings.codes.label("item_type", item.type),
            scheme=build.absolute(urls.HOME),
        )
        entry.summary(item.summary or item.title)
        entry.content(self.content(item), type="html")


def build_feed(feed: Feed, entries: _Entries) -> FeedGenerator:
    build = entries.build
    settings = build.settings
    fg = FeedGenerator()
    fg.id(build.absolute(feed.atom))
    fg.title(f"{feed.title} - {settings.site_name}")
    fg.subtitle(
        f"{settings.site_name}：{feed.title}的议事协商公示（最近 {settings.feed_limit} 条）"
    )
    fg.author(name=settings.publisher or settings.site_name)
    fg.language("zh-CN")
    fg.generator("Gongshi")
    fg.link(href=build.absolute(feed.atom), rel="self", type="application/atom+xml")
    fg.link(href=build.absolute(feed.page), rel="alternate", type="text/html")
    # the last time the feed's content changed (RSS 2.0 lastBuildDate), not the build's: a
    # rebuild that changes nothing in a feed leaves it byte for byte as it was
    newest: datetime = max(
        (build.index.changed(i) for i in feed.items), default=entries.site_changed
    )
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for item in feed.items:
        entries.add(fg, item)
    return fg


def write_feed(output: Path, feed: Feed, entries: _Entries) -> None:
    build = entries.build
    fg = build_feed(feed, entries)
    atom, rss = output / urls.save_as(feed.atom), output / urls.save_as(feed.rss)
    atom.parent.mkdir(parents=True, exist_ok=True)
    atom.write_bytes(fg.atom_str(pretty=True))
    # the RSS channel's <link> is the last link added: the HTML page, with self first (TOOLS.md)
    fg.link(href=build.absolute(feed.rss), rel="self", type="application/rss+xml", replace=True)
    fg.link(href=build.absolute(feed.page), rel="alternate", type="text/html")
    rss.write_bytes(fg.rss_str(pretty=True))


def write(build: Build, output: Path) -> None:
    """Every feed of the catalogue: everything, each type, each place; each as Atom and RSS."""
    entries = _Entries(build)
    for feed in build.subscriptions.feeds():
        write_feed(output, feed, entries)
