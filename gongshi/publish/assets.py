"""Theme files the pages use must be in the built site.

Pelican copies ``themes/<theme>/static/`` to ``/theme/`` without knowing what the templates link
to, so a stylesheet deleted or renamed in the theme used to give a site whose every page was
unstyled, and a build that succeeded. After Pelican has written the staging folder, every
``href``/``src`` below the theme's URL is looked up in it; one missing file fails the build.

The pages are scanned, not the templates: a template can build a URL, and only the rendered page
says what a browser will fetch. One byte search per page (the distinct URLs are few) keeps it
cheap at 10,000 pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

_ATTRIBUTE = rb'(?:href|src)\s*=\s*["\']?(%s[^"\'\s>?#]*)'


def theme_urls(site: Path, static_dir: str) -> set[str]:
    """Every distinct theme URL (``/theme/…``) an HTML page of ``site`` links to or loads."""
    prefix = ("/" + static_dir.strip("/") + "/").encode("utf-8")
    pattern = re.compile(_ATTRIBUTE % re.escape(prefix))
    urls: set[str] = set()
    for page in site.rglob("*.html"):
        data = page.read_bytes()
        if prefix in data:
            urls.update(m.decode("utf-8", "replace") for m in pattern.findall(data))
    return urls


def missing_theme_files(site: Path, static_dir: str) -> list[str]:
    """The theme URLs the pages use that name no file of ``site``, sorted."""
    root = site.resolve()
    missing = []
    for url in theme_urls(site, static_dir):
        target = (root / unquote(url).lstrip("/")).resolve()
        if not (target.is_relative_to(root) and target.is_file()):
            missing.append(url)
    return sorted(missing)
