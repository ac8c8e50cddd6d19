"""Loading a whole site: read (phase one), resolve (phase two), index — or fail with every problem."""

from __future__ import annotations

from pathlib import Path

from ..content.loader import Memo, load_content
from ..errors import ContentError
from ..settings import GongshiSettings
from . import body_links, plausible
from .index import SiteIndex, resolve


def load_site(content: Path, settings: GongshiSettings, memo: Memo | None = None) -> SiteIndex:
    """The index, with the warnings found on the way (``SiteIndex.warnings``); every problem
    at once as :class:`ContentError` if there is an error — or any warning, when strict.
    ``memo``: what earlier builds read (``publish/cache.py``)."""
    loaded = load_content(content, settings.codes, settings.timezone, memo)
    problems = [
        *loaded.problems,
        *resolve(loaded),
        *plausible.problems(loaded, settings.now),
        *body_links.problems(loaded, settings, content),
    ]
    if any(p.is_error for p in problems) or (settings.strict and problems):
        raise ContentError(problems)
    return SiteIndex(loaded, settings, warnings=problems)
