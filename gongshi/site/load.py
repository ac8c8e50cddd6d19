"""Loading a whole site: read (phase one), resolve (phase two), index — or fail with every problem."""

from __future__ import annotations

from pathlib import Path

from ..content.loader import load_content
from ..errors import ContentError
from ..settings import GongshiSettings
from .index import SiteIndex, resolve


def load_site(content: Path, settings: GongshiSettings) -> SiteIndex:
    loaded = load_content(content, settings.codes, settings.timezone)
    problems = [*loaded.problems, *resolve(loaded)]
    if problems:
        raise ContentError(problems)
    return SiteIndex(loaded, settings)
