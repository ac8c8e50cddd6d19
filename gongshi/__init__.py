"""Gongshi (公示): a static-site generator for community deliberation transparency portals.

The pipeline, in module order: ``frontmatter`` → ``fields``/``models`` → ``loader`` (phase one)
→ ``index`` (phase two) → one writer per output family (``pages``, ``sitemap``), run as Pelican
generators (``generators``), wired by ``plugin``, driven by ``build`` and ``cli``.
"""

from .plugin import register

__all__ = ["register"]
