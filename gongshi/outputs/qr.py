"""QR codes for the printable notices (公示): inline SVG made with segno, the same bytes every build.

A resident scans the code on the notice board to open the meeting's page, so it encodes the
page's absolute URL. The SVG is inline (no extra file, nothing to fetch), sized by CSS through
its ``viewBox``, and carries ``role="img"`` and an accessible name.

The mask is fixed (pattern 2). Left to choose, segno scores all eight masks by the standard's
penalty rules for every code: 3.6 of the 4.9 ms a code costs, a third of a whole build's time
at 10,000 items (5,000 notices). Any mask is a valid code that every reader decodes; the choice
only avoids patterns that might confuse a reader, and for the URLs of a portal segno picks
pattern 2 four times in five anyway. ``tests/test_notice.py`` decodes codes of every length a
page URL reaches with zxing, and the browser tests scan the printed and on-screen notice.
"""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape

MASK = 2  # the module docstring says why it is fixed


def qr_code(data: str) -> segno.QRCode:
    """The QR code of ``data`` as the notices carry it."""
    return segno.make(data, error="m", micro=False, boost_error=False, mask=MASK)


@functools.lru_cache(maxsize=4096)  # the same page's code every build (gongshi serve rebuilds)
def qr_svg(data: str, label: str) -> Markup:
    """An inline ``<svg class="qr">`` QR code of ``data`` whose accessible name is ``label``.

    Error correction M (a notice may get scuffed), four-module quiet zone, dark on white so it
    scans when printed without backgrounds. segno chooses the version deterministically.
    """
    svg = qr_code(data).svg_inline(
        border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None
    )
    attributes = f' role="img" aria-label="{escape(label)}" shape-rendering="crispEdges"'
    return Markup(svg.replace("<svg", "<svg" + attributes, 1))
