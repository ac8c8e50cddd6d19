"""RSS 2.0 and Atom feeds, written by feedgen: one pair per entry of the subscription catalogue.

An entry's id is its page's absolute URL — built from the site, the type and the id, so it never
changes when a title or a date does. Its HTML content is rendered once per item by the theme's
``feed_entry.html`` and shared by every feed that carries the item.

No date of a feed is the build's: a feed's ``updated`` and ``lastBuildDate`` are its newest
entry's last change (an empty feed's, the site's newest change), so a rebuild that changes
nothing a feed says leaves it byte for byte as it was — a daily rebuild rewrites only the feeds
that changed, and a reader polling with If-Modified-Since is answered "not modified". With the
build cache, a feed whose entries' keys are the last build's is taken over from the output in
place without being made (:class:`~gongshi.outputs.reuse.KeyedFiles`), and an entry's content is
rendered again only when its item or what its template read of the index (a meeting's state, an
outcome's overdue flag) changed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from ..content.models import Item, bodies
from ..site import urls
from ..site.build import Build
from ..site.subscriptions import Feed
from .reuse import KeyedFiles, key_of, watching


def _entry(item: Item) -> str:
    """The record of an item's feed entry (its content, a part: ``KeyedFiles.part``)."""
    return f"#feed-entry/{item.type}/{item.id}"


class _Entries:
    """What every feed needs of an item, computed once per build; with ``files`` keeping records,
    an entry's content is rendered only when the item, or something its template read of the
    index or of "now", changed (:meth:`KeyedFiles.part`)."""

    def __init__(self, build: Build, files: KeyedFiles) -> None:
        self.build, self.files = build, files
        self.digests = files.digests()
        self.sources = build.sources()
        self._content: dict[tuple[str, str], str] = {}
        self._keys: dict[tuple[str, str], bytes] = {}
        # an empty feed's date: the site's newest change (the build's "now" only on an empty site)
        self.site_changed: datetime = max(
            (build.index.changed(i) for i in build.index.all_items()), default=build.now
        )
        self.dated_now = not any(True for _ in build.index.all_items())  # an empty site's feeds
        if files.kept is not None:
            watching(build.templates)  # a template reading an undigested field: no record

    def _render(self, item: Item, sources: Mapping[str, Any] | None = None) -> str:
        return self.build.render("feed_entry.html", sources=sources, item=item)

    def content(self, item: Item) -> str:
        if item.key not in self._content:
            self._content[item.key] = self._render(item)
        return self._content[item.key]

    def touches(self, feed: Feed) -> frozenset[tuple[str, str]] | None:
        """The items whose bodies may show in ``feed``: its items, and those their entries
        read (``PageRecord.touches`` of each entry's kept part); None if one is not known."""
        kept = self.files.kept
        if kept is None:
            return None
        found: set[tuple[str, str]] = {bodies.NOW} if self.dated_now else set()
        for item in feed.items:
            record = kept.records.get(_entry(item))
            if record is None or record.touches is None:
                return None
            found.add(item.key)
            found.update(record.touches)
        return frozenset(found)

    def carry(self, feed: Feed) -> None:
        """Keep the kept part of each entry of ``feed``, which holds (none of its items
        changed: :meth:`touches`), with this build's records."""
        assert self.files.kept is not None
        for item in feed.items:
            name = _entry(item)
            self.files.records[name] = self.files.kept.records[name]

    def key(self, item: Item) -> bytes:
        """Everything :meth:`add` writes of ``item``: the item, what the index says of it, its
        content's digest (the settings it reads are in every kept file's env)."""
        if item.key not in self._keys:
            index, digests = self.build.index, self.digests
            content, made = self.files.part(
                _entry(item),
                digests.of(item),
                self.sources,
                functools.partial(self._render, item),
                digests,
            )
            if made is not None:
                self._content[item.key] = made
            self._keys[item.key] = key_of(
                digests.of(item),
                index.headline(item),
                index.published(item).isoformat(),
                index.changed(item).isoformat(),
                digests.of(tuple(index.places_of(item))),
                content,
            )
        return self._keys[item.key]

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


def write_feed(feed: Feed, entries: _Entries) -> None:
    """The feed's Atom and RSS files, each taken over (``entries.files``) when its title, its
    addresses, its date and its entries' keys are the previous build's."""
    build, files = entries.build, entries.files
    keys: list[bytes] = []

    def key() -> bytes:
        if not keys:
            newest = max((build.index.changed(i) for i in feed.items), default=entries.site_changed)
            keys.append(key_of(
                feed.title, feed.atom, feed.rss, feed.page, newest.isoformat(),
                *(entries.key(item) for item in feed.items),
            ))  # fmt: skip
        return keys[0]

    made: list[FeedGenerator] = []

    def generator() -> FeedGenerator:
        if not made:
            made.append(build_feed(feed, entries))
        return made[0]

    def atom() -> bytes:
        return bytes(generator().atom_str(pretty=True))

    def rss() -> bytes:
        fg = generator()  # the Atom file, if it was made, is written: its links are done with
        # the RSS channel's <link> is the last link added: the HTML page, with self first (TOOLS.md)
        fg.link(href=build.absolute(feed.rss), rel="self", type="application/rss+xml", replace=True)
        fg.link(href=build.absolute(feed.page), rel="alternate", type="text/html")
        return bytes(fg.rss_str(pretty=True))

    touches = entries.touches(feed)  # none of them changed: the kept keys hold, not computed
    files.write(urls.save_as(feed.atom), lambda: key_of(b"atom", key()), atom, touches)
    files.write(urls.save_as(feed.rss), lambda: key_of(b"rss", key()), rss, touches)
    if not keys and files.kept is not None:
        entries.carry(feed)


def write(build: Build, output: Path, files: KeyedFiles | None = None) -> None:
    """Every feed of the catalogue: everything, each type, each place; each as Atom and RSS;
    through ``files``, each taken over from the previous output when nothing it says changed."""
    entries = _Entries(build, files if files is not None else KeyedFiles(output, None))
    for feed in build.subscriptions.feeds():
        write_feed(feed, entries)
