"""Gongshi's Pelican generators: one builds the index, one per output family writes from it.

Pelican calls ``generate_context`` on every generator in order, then ``generate_output``; the
index generator comes first, so the writers find the finished index in the shared context.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from . import pages, sitemap
from .index import SiteIndex
from .models import ITEM_TYPES
from .settings import GongshiSettings, from_pelican
from .site import load_site
from .subscriptions import Subscriptions
from .templating import make_filters

CONTEXT_KEY = "gongshi"


class IndexGenerator(Generator):  # type: ignore[misc]
    """Reads, validates and links the typed content folders: the only reader of them."""

    def generate_context(self) -> None:
        settings = from_pelican(self.settings)
        index = load_site(Path(self.path), settings)
        subscriptions = Subscriptions(index, settings)
        self.context[CONTEXT_KEY] = {
            "settings": settings,
            "index": index,
            "subscriptions": subscriptions,
        }


class _Writer(Generator):  # type: ignore[misc]
    def _build(self) -> tuple[GongshiSettings, SiteIndex]:
        build = self.context[CONTEXT_KEY]
        return build["settings"], build["index"]

    @property
    def subscriptions(self) -> Subscriptions:
        subscriptions: Subscriptions = self.context[CONTEXT_KEY]["subscriptions"]
        return subscriptions

    def template_env(self) -> Any:
        """The theme's Jinja environment with Gongshi's filters (strict, autoescaping)."""
        settings, _ = self._build()
        self.env.filters.update(make_filters(settings))
        self.env.globals["item_types"] = ITEM_TYPES
        return self.env


class PagesGenerator(_Writer):
    """Every HTML page of :func:`gongshi.pages.plan`."""

    def generate_output(self, writer: Any) -> None:
        settings, index = self._build()
        self.template_env()
        common = {
            "site": settings,
            "index": index,
            "codes": settings.codes,
            "subscriptions": self.subscriptions,
        }
        for page in pages.plan(index, settings):
            template = self.get_template(page.template.removesuffix(".html"))
            writer.write_file(
                page.save_as, template, self.context, page_url=page.url, **common, **page.context
            )


class SitemapGenerator(_Writer):
    """``/sitemap.xml`` and ``/robots.txt``."""

    def generate_output(self, writer: Any) -> None:
        settings, index = self._build()
        sitemap.write(Path(self.output_path), pages.plan(index, settings), settings)
