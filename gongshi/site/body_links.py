"""Links in bodies to pages and files of this site: each must lead somewhere that is published.

A body may link to an item (``/meetings/x/``, ``../outcomes/y/``, with or without the trailing
slash, with a ``#fragment``), to any other page of the URL table (:mod:`gongshi.site.urls`), to
the site's own absolute URL (``SITEURL`` + a path) and to files under ``content/files/``
(``/files/…``).  An address resolves as the browser resolves it on the item's own page.  One that
leads nowhere is an error ``[body.link]`` on the body line it is written on, with the closest
address that exists.  Links to other sites are not this check's business.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..content.links import BodyLink
from ..content.loader import FILES_FOLDER, Loaded
from ..content.models import ITEM_TYPES
from ..content.url_safety import is_local, shown
from ..errors import Problem
from ..settings import GongshiSettings
from . import urls

FILES = "/files/"  # where content/files/ is published (Pelican's STATIC_PATHS)
PREFIXES = (urls.THEME, urls.SEARCH_BUNDLE)  # folders of files written by the theme and search


def _published(loaded: Loaded, settings: GongshiSettings) -> set[str]:
    """Every path the site publishes, from the URL table: pages, feeds, calendars, data."""
    paths = {
        urls.HOME, urls.PLACES, urls.SUBSCRIBE, urls.DATA, urls.SEARCH, urls.ABOUT,
        urls.OVERDUE, urls.NOT_FOUND, urls.SITEMAP, urls.ROBOTS, urls.calendar(),
    }  # fmt: skip
    paths.update(urls.feed(fmt) for fmt in urls.FEED_FORMATS)
    for cls in ITEM_TYPES:
        published = [i for i in loaded.items if i.type == cls.type and not i.draft]
        pages = max(1, math.ceil(len(published) / settings.page_size))
        paths.update(urls.listing(cls.type, n) for n in range(1, pages + 1))
        paths.update(urls.feed(fmt, item_type=cls.type) for fmt in urls.FEED_FORMATS)
        paths.update((urls.data_json(cls.type), urls.data_schema(cls.type)))
        if cls.spreadsheet:
            paths.add(urls.data_csv(cls.type))
        for item in published:
            paths.add(urls.item(item))
            if cls.type == "meeting":
                paths.update((urls.notice(item), urls.event(item)))
    for place in loaded.places:
        paths.update((urls.place(place), urls.overdue(place), urls.calendar(place.id)))
        paths.update(urls.feed(fmt, place_id=place.id) for fmt in urls.FEED_FORMATS)
    return paths


def _files(content: Path) -> set[str]:
    folder = content / FILES_FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return set()
    return {
        FILES + path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    }


def _unchecked(loaded: Loaded) -> set[str]:
    """Item pages of files that have problems of their own: reported there, not here."""
    valid = {(i.type, i.id) for i in loaded.items}
    return {
        f"/{ITEM_TYPES[t].folder}/{item_id}/"  # Item.url of an item that could not be read
        for t, ids in loaded.ids.items()
        for item_id in ids
        if (t, item_id) not in valid
    }


def _drafts(loaded: Loaded) -> set[str]:
    return {urls.item(i) for i in loaded.items if i.draft}


def _path(link: BodyLink, site_url: str) -> str | None:
    """The site path an address leads to, or None when it leads off the site (or nowhere to
    check: a fragment of the same page, ``mailto:``)."""
    url = link.url.strip()
    site = urlsplit(site_url)
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc.lower() == site.netloc.lower():
        path = parts.path or "/"
        base = site.path.rstrip("/")
        if base and not (path == base or path.startswith(base + "/")):
            return None
        path = path[len(base) :] or "/"
    elif not is_local(url) or parts.scheme or url.startswith("#") or not (parts.path):
        return None
    else:
        path = urlsplit(urljoin(link.page, url)).path
    path = unquote(path)
    return path.removesuffix("index.html") if path.endswith("/index.html") else path


def _closest(path: str, known: Iterable[str]) -> str | None:
    """The published path closest to ``path``: one ending in the same id first, then by text."""
    pool = sorted(known)
    last = [segment for segment in path.split("/") if segment][-1:] or [""]
    same = [p for p in pool if p.rstrip("/").rsplit("/", 1)[-1] == last[0]]
    if same:
        return min(same, key=len)
    matches = difflib.get_close_matches(path, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def problems(loaded: Loaded, settings: GongshiSettings, content: Path) -> Iterator[Problem]:
    """A ``[body.link]`` error for every address in a published body that leads nowhere."""
    if not loaded.links:
        return
    pages = _published(loaded, settings)
    files = _files(content)
    skip = _unchecked(loaded)
    drafts = _drafts(loaded)
    for link in loaded.links:
        if link.from_draft:
            continue
        path = _path(link, settings.site_url)
        if path is None or path.startswith(PREFIXES) or path in skip:
            continue
        known = files if path.startswith(FILES) else pages
        if path in known or (not path.endswith("/") and path + "/" in known):
            continue
        if path in drafts or path + "/" in drafts:
            message = f"正文中的链接 '{shown(link.url)}' 指向草稿（draft: true），草稿不会发布：请先发布它，或删去这个链接"
            yield Problem(link.file, link.line, "正文", message, "body.link")
            continue
        if path.startswith(FILES):
            what = f"content/files/ 中没有文件 '{path.removeprefix(FILES)}'"
        else:
            what = "本站没有这个页面"
        best = _closest(path, known if path.startswith(FILES) else pages | files)
        hint = f"（是否应为 '{best}'？）" if best else ""
        message = f"正文中的链接 '{shown(link.url)}' 指向的地址不存在：{what}{hint}"
        yield Problem(link.file, link.line, "正文", message, "body.link")
