"""RSS 2.0 and Atom feeds, written by feedgen: one pair per entry of the subscription catalogue.

An entry's id is its page's absolute URL — built from the site, the type and the id, so it never
changes when a title or a date does. Its HTML content is rendered once per item by the theme's
``feed_entry.html`` and shared by every feed that carries the item.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from feedgen.feed import FeedGenerator

from .generators import _Writer
from .index import SiteIndex
from .models import Item, Meeting
from .settings import GongshiSettings
from .subscriptions import Feed, Subscriptions, as_datetime

TITLE_MARK = {"postponed": "已延期", "cancelled": "已取消"}


def entry_title(item: Item) -> str:
    """A meeting's title says so when it was postponed or cancelled."""
    if isinstance(item, Meeting) and item.status in TITLE_MARK:
        return f"【{TITLE_MARK[item.status]}】{item.title}"
    return item.title


class _Entries:
    """What every feed needs of an item, computed once per build."""

    def __init__(
        self,
        settings: GongshiSettings,
        index: SiteIndex,
        subscriptions: Subscriptions,
        template: Any,
    ) -> None:
        self.settings = settings
        self.index = index
        self.subscriptions = subscriptions
        self.template = template
        self._content: dict[tuple[str, str], str] = {}

    def content(self, item: Item) -> str:
        if item.key not in self._content:
            self._content[item.key] = self.template.render(
                item=item, index=self.index, site=self.settings, codes=self.settings.codes
            )
        return self._content[item.key]

    def add(self, fg: FeedGenerator, item: Item) -> None:
        url = self.settings.site_url + item.url
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(entry_title(item))
        entry.link(href=url, rel="alternate")
        entry.published(as_datetime(item.date, self.settings))
        entry.updated(self.subscriptions.changed(item))
        entry.author(name=self.settings.publisher or self.settings.site_name)
        for tag in item.tags:
            entry.category(term=tag)
        for place_id in item.places:
            place = self.index.places[place_id]
            entry.category(
                term=place.name, scheme=self.settings.site_url + "/places/", label=place.name
            )
        entry.category(
            term=self.settings.codes.label("item_type", item.type),
            scheme=self.settings.site_url + "/",
        )
        entry.summary(item.summary or item.title)
        entry.content(self.content(item), type="html")


def build_feed(feed: Feed, entries: _Entries) -> FeedGenerator:
    settings = entries.settings
    fg = FeedGenerator()
    fg.id(settings.site_url + feed.atom)
    fg.title(f"{feed.title} - {settings.site_name}")
    fg.subtitle(
        f"{settings.site_name}：{feed.title}的议事协商公示（最近 {settings.feed_limit} 条）"
    )
    fg.author(name=settings.publisher or settings.site_name)
    fg.language("zh-CN")
    fg.generator("Gongshi")
    fg.link(href=settings.site_url + feed.atom, rel="self", type="application/atom+xml")
    fg.link(href=settings.site_url + feed.page, rel="alternate", type="text/html")
    newest: datetime = max(
        (entries.subscriptions.changed(i) for i in feed.items), default=settings.now
    )
    fg.updated(newest)
    fg.lastBuildDate(settings.now)
    for item in feed.items:
        entries.add(fg, item)
    return fg


def write_feed(output: Path, feed: Feed, entries: _Entries) -> None:
    fg = build_feed(feed, entries)
    atom, rss = output / feed.atom.lstrip("/"), output / feed.rss.lstrip("/")
    atom.parent.mkdir(parents=True, exist_ok=True)
    atom.write_bytes(fg.atom_str(pretty=True))
    # the RSS channel's <link> is the last link added: the HTML page, with self first (TOOLS.md)
    fg.link(
        href=entries.settings.site_url + feed.rss,
        rel="self",
        type="application/rss+xml",
        replace=True,
    )
    fg.link(href=entries.settings.site_url + feed.page, rel="alternate", type="text/html")
    rss.write_bytes(fg.rss_str(pretty=True))


class FeedsGenerator(_Writer):
    """``/feeds/all``, ``/feeds/<type>`` and ``/feeds/places/<id>``, each as Atom and RSS."""

    def generate_output(self, writer: Any) -> None:
        settings, index = self._build()
        template = self.template_env().get_template("feed_entry.html")
        entries = _Entries(settings, index, self.subscriptions, template)
        for feed in self.subscriptions.feeds():
            write_feed(Path(self.output_path), feed, entries)
