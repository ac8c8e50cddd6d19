"""Theme files the pages use must be in the built site.

Pelican copies ``themes/<theme>/static/`` to ``/theme/`` without knowing what the templates link
to, so a stylesheet deleted or renamed in the theme used to give a site whose every page was
unstyled, and a build that succeeded. After Pelican has written the staging folder, every
``href``/``src`` below the theme's URL is looked up in it; one missing file fails the build.

The pages are scanned, not the templates: a template can build a URL, and only the rendered page
says what a browser will fetch. One byte search per page (the distinct URLs are few) keeps it
cheap at 10,000 pages; a page that is the very file of the previous output (taken over by a
``--cache`` build, a hard link) is not read again: the build that wrote it checked it, with the
same theme (a change of the theme makes every page new).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .manifest import Listing

_ATTRIBUTE = rb'(?:href|src)\s*=\s*["\']?(%s[^"\'\s>?#]*)'


def theme_urls(
    site: Path, static_dir: str, previous: Path | None = None, found: Listing | None = None
) -> set[str]:
    """Every distinct theme URL (``/theme/…``) an HTML page of ``site`` links to or loads, but
    those of the pages that are the very files of ``previous`` (the output being replaced);
    ``found``: the site's :func:`~gongshi.publish.manifest.listing`, if taken already."""
    prefix = ("/" + static_dir.strip("/") + "/").encode("utf-8")
    pattern = re.compile(_ATTRIBUTE % re.escape(prefix))
    urls: set[str] = set()
    pages = _html_files(site) if found is None else _html_listed(found)
    for page, inode in pages:
        if previous is not None and _inode(os.path.join(previous, page)) == inode:
            continue  # the very file the previous build wrote (a sibling folder: one file system)
        with open(os.path.join(site, page), "rb") as file:
            data = file.read()
        if prefix in data:
            urls.update(m.decode("utf-8", "replace") for m in pattern.findall(data))
    return urls


def _html_files(site: Path) -> Iterator[tuple[str, int]]:
    """(path below ``site``, inode) of every ``.html`` file: ``scandir`` gives the inode of an
    entry without a ``stat`` of its own (15,000 pages at 10,000 items)."""
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(os.path.join(site, folder)) as entries:
            for entry in entries:
                path = os.path.join(folder, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif entry.name.endswith(".html") and entry.is_file():
                    yield path, entry.inode()


def _html_listed(found: Listing) -> Iterator[tuple[str, int]]:
    for relative, _, info in found:
        if relative.endswith(".html") and stat.S_ISREG(info.st_mode):
            yield relative, info.st_ino


def _inode(path: str) -> int | None:
    try:
        return os.lstat(path).st_ino
    except OSError:  # not in the previous output
        return None


def missing_theme_files(
    site: Path, static_dir: str, previous: Path | None = None, found: Listing | None = None
) -> list[str]:
    """The theme URLs the pages use that name no file of ``site``, sorted (the pages taken over
    from ``previous`` left out: :func:`theme_urls`)."""
    root = site.resolve()
    missing = []
    for url in theme_urls(site, static_dir, previous, found):
        target = (root / unquote(url).lstrip("/")).resolve()
        if not (target.is_relative_to(root) and target.is_file()):
            missing.append(url)
    return sorted(missing)
