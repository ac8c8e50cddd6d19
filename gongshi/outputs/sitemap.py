"""``/sitemap.xml`` (every public page of the plan, absolute URLs) and ``/robots.txt``."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ..site import urls
from ..site.build import Build
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


def write(build: Build, output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    (output / urls.save_as(urls.SITEMAP)).write_text(render(build), encoding="utf-8")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {build.absolute(urls.SITEMAP)}\n"
    (output / urls.save_as(urls.ROBOTS)).write_text(robots, encoding="utf-8")
