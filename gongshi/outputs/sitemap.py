"""``/sitemap.xml`` (every public page of the plan, absolute URLs) and ``/robots.txt``."""

from __future__ import annotations

import functools
from pathlib import Path
from xml.sax.saxutils import escape

from ..site import urls
from ..site.build import Build
from .reuse import KeyedFiles, key_of
from .templating import iso


def render(build: Build) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for page in build.pages:
        if not page.in_sitemap:
            continue
        lastmod = f"<lastmod>{iso(page.lastmod)}</lastmod>" if page.lastmod else ""
        lines.append(f"  <url><loc>{escape(build.absolute(page.url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write(build: Build, output: Path, files: KeyedFiles | None = None) -> None:
    """Both files, through ``files`` (each taken over when it says what it said)."""
    files = files if files is not None else KeyedFiles(output, None)
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {build.absolute(urls.SITEMAP)}\n"
    for path, text in ((urls.SITEMAP, render(build)), (urls.ROBOTS, robots)):
        data = text.encode("utf-8")
        files.write(urls.save_as(path), key_of(data), functools.partial(bytes, data))
