"""The HTML pages: every page of the plan (``Build.pages``), rendered with the theme.

Each template gets what every template may use (see ``Build.render``), the page itself (``page``:
its URL, feed, calendar, navigation entry) and what the plan gave that page.
"""

from __future__ import annotations

from pathlib import Path

from ..site.build import Build


def write(build: Build, output: Path) -> None:
    for page in build.pages:
        html = build.render(page.template, page=page, **page.context)
        path = output / page.save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
