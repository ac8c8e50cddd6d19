"""QR codes for the printable notices (公示): inline SVG made with segno, the same bytes every build.

A resident scans the code on the notice board to open the meeting's page, so it encodes the
page's absolute URL. The SVG is inline (no extra file, nothing to fetch), sized by CSS through
its ``viewBox``, and carries ``role="img"`` and an accessible name.
"""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape


@functools.lru_cache(maxsize=4096)  # the same page's code every build (gongshi serve rebuilds)
def qr_svg(data: str, label: str) -> Markup:
    """An inline ``<svg class="qr">`` QR code of ``data`` whose accessible name is ``label``.

    Error correction M (a notice may get scuffed), four-module quiet zone, dark on white so it
    scans when printed without backgrounds. segno chooses version and mask deterministically.
    """
    code = segno.make(data, error="m", micro=False, boost_error=False)
    svg = code.svg_inline(
        border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None
    )
    attributes = f' role="img" aria-label="{escape(label)}" shape-rendering="crispEdges"'
    return Markup(svg.replace("<svg", "<svg" + attributes, 1))
