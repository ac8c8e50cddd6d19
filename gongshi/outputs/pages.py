"""The HTML pages: every page of the plan (``Build.pages``), rendered with the theme.

Each template gets what every template may use (see ``Build.render``), the page itself (``page``:
its URL, feed, calendar, navigation entry) and what the plan gave that page.
"""

from __future__ import annotations

from pathlib import Path

from ..site.build import Build
from .parallel import write_page


def write(build: Build, output: Path) -> None:
    """Every page, in this process (a build renders them on every core: ``parallel.render``)."""
    for page in build.pages:
        write_page(build, output, page)
