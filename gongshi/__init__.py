"""Gongshi (公示): a static-site generator for community deliberation transparency portals.

The package's folders are the pipeline's stages, in order:

- :mod:`gongshi.content` — phase one: read and check what editors write. ``frontmatter`` (with
  ``yamlnodes``) composes the YAML, ``fields`` and ``models`` type it, ``loader`` reads every
  folder (``walk``) into items, collecting every problem (``characters``, ``markup`` with
  ``url_safety``, ``privacy`` …); ``places`` and ``codes`` are the registries it checks against.
- :mod:`gongshi.site` — phase two, the published site made once: ``load`` resolves references into
  the ``index``; ``build.make_build`` makes the frozen ``Build`` (settings, index, the
  ``subscriptions`` catalogue, the page ``plan``, templates); every path comes from ``urls``.
- :mod:`gongshi.outputs` — one writer per output family, each ``write(build, output)``:
  ``pages``, ``sitemap``, ``feeds``, ``calendars``, ``opendata``, ``search`` (last).
- :mod:`gongshi.plugin` — the only Pelican glue: Pelican's phases → Build → writers.
- :mod:`gongshi.publish` — running a build: ``guards`` (what may be replaced), ``run`` (settings,
  staging, Pelican), ``assets`` (theme files), ``swap`` (the atomic exchange into place).
- :mod:`gongshi.cli` — ``gongshi build`` and ``gongshi check``; :mod:`gongshi.settings` declares
  every ``GONGSHI_*`` setting once.
"""


def register() -> None:
    """Pelican's entry point (``PLUGINS = ["gongshi"]``): the glue is imported only when a run
    of Pelican loads it, so a command that needs none of it starts faster."""
    from .plugin import register as connect  # noqa: PLC0415 (that is the point)

    connect()


__all__ = ["register"]
