"""The Build: everything a writer needs, made once per build and handed to every writer.

Each output family is a function ``write(build, output)`` (pages, sitemap, feeds, calendars,
open data, search); none reads files, knows Pelican or re-derives what the Build already holds.
The Pelican glue (:mod:`gongshi.plugin`) makes the Build in the context phase with
:func:`make_build` and calls the writers in the output phase.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment

from ..outputs.templating import make_filters, make_globals
from ..settings import GongshiSettings
from .index import SiteIndex
from .plan import Page, plan
from .subscriptions import Subscriptions


@dataclass(frozen=True)
class Build:
    settings: GongshiSettings
    index: SiteIndex
    subscriptions: Subscriptions  # every feed and calendar
    pages: tuple[Page, ...]  # every HTML page (:func:`gongshi.site.plan.plan`)
    templates: Environment  # the theme's, with Gongshi's filters and globals
    theme: tuple[str, ...] = ()  # the names of the theme's own templates

    @property
    def now(self) -> datetime:
        """The build's "now": what is upcoming, overdue, generated when."""
        return self.settings.now

    @property
    def site_url(self) -> str:
        return self.settings.site_url

    def absolute(self, path: str) -> str:
        """A path of :mod:`gongshi.site.urls` as an absolute URL."""
        return self.site_url + path

    def sources(self) -> dict[str, Any]:
        """What a template reads that a page's record notes (``outputs/reuse.Recorder``), by the
        names :meth:`render` gives them: the index, the subscriptions, the settings."""
        return {"index": self.index, "subscriptions": self.subscriptions, "site": self.settings}

    def render(
        self, template: str, *, sources: Mapping[str, Any] | None = None, **context: Any
    ) -> str:
        """A theme template, given what every template may use and ``context``; ``sources``
        stand in for the index and the subscriptions (``outputs/reuse.Recorder``)."""
        common = {"codes": self.settings.codes, **self.sources(), **(sources or {})}
        return self.templates.get_template(template).render(**common, **context)


def make_build(
    settings: GongshiSettings,
    index: SiteIndex,
    templates: Environment,
    theme: Collection[str] | None = None,
) -> Build:
    """The Build of a finished index; ``templates`` gets Gongshi's filters and globals.

    ``theme`` names the theme's own templates (the glue lists them, leaving out the templates
    Pelican falls back to); by default, whatever ``templates`` can list.
    """
    templates.filters.update(make_filters(settings))
    templates.globals.update(make_globals())
    if theme is None:
        theme = templates.list_templates() if templates.loader is not None else ()
    subscriptions = Subscriptions(index, settings)
    pages = plan(index, settings, subscriptions, theme)
    return Build(settings, index, subscriptions, pages, templates, tuple(theme))
