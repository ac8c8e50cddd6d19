"""Gongshi (公示): a static-site generator for community deliberation transparency portals.

The pipeline, in module order: ``frontmatter`` → ``fields``/``models`` → ``loader`` (phase one)
→ ``index`` (phase two) → ``buildvalue`` (the one ``Build``: index, ``subscriptions``,
``pageplan``, templates; paths from ``urltable``) → one writer per output family, each
``write(build, output)`` (``pages``, ``sitemap``, ``feeds``, ``calendars``, ``data``, ``search``),
adapted to Pelican's phases by ``generators``, wired by ``plugin``, driven by ``build`` and ``cli``.
"""

from .plugin import register

__all__ = ["register"]
