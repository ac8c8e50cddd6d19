"""``/sitemap.xml`` (every public page, absolute URLs) and ``/robots.txt``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from .pages import Page
from .settings import GongshiSettings
from .templating import iso


def render(pages: Iterable[Page], settings: GongshiSettings) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for page in pages:
        if not page.in_sitemap:
            continue
        lastmod = f"<lastmod>{iso(page.lastmod)}</lastmod>" if page.lastmod else ""
        lines.append(f"  <url><loc>{escape(settings.site_url + page.url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write(output: Path, pages: Iterable[Page], settings: GongshiSettings) -> None:
    output.mkdir(parents=True, exist_ok=True)
    (output / "sitemap.xml").write_text(render(pages, settings), encoding="utf-8")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {settings.site_url}/sitemap.xml\n"
    (output / "robots.txt").write_text(robots, encoding="utf-8")
