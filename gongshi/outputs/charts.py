"""Static SVG bar charts for the public ledger board, made at build time and inlined in the page.

Why our own SVG and not a charting library (docs/architecture.md, "The board's charts"): the
charts are horizontal bars with their numbers written beside them, which is a few dozen lines;
the output must be byte-identical for the same content, carry its text as real ``<text>`` in the
page's own Chinese font stack (so 长辈模式 and print CSS apply and nothing is fetched), cost
nothing at 400 communities, and need no JavaScript. Each chart is ``role="img"`` named by its
``<title>``; its numbers are also in a table next to it and in a sentence (the templates').

Bars run left to right, one row each, so a 360 px phone shows them as legibly as a desktop: a
column chart of 12 months would squeeze its labels. A value never rests on colour: the number is
written at the end of each bar, and a bar marked ``partial`` (the month in progress) is hatched
and says so in its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 360  # viewBox units; the SVG is as wide as the column, so 1 unit ≈ 1 px on a phone
FONT = 15
LABEL_END = 112  # side labels end here (text-anchor end)
BAR_START = 118
BAR_SPACE = 170  # the longest bar; its value text follows it
ROW = 30
STACKED_ROW = 48
BAR = 16
TOP = 6
INK = "#1b1b1b"
FILL = "#1e6b34"  # the theme's --ok green: 7:1 on white is not needed for a filled shape
TRACK = "#d6d2cc"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is written after the bar: "2 场", "75%"
    partial: bool = False  # hatched: not final yet (the month in progress)


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def bars(
    chart_id: str,
    title: str,
    rows: Sequence[Bar],
    *,
    scale: float | None = None,
    stacked: bool = False,
    track: bool = False,
) -> Markup:
    """A horizontal bar chart: ``rows`` top to bottom, each bar ``value / scale`` of the space
    (``scale``: the largest value by default). ``stacked`` puts each label on a line of its own
    above its bar (long labels such as project titles); ``track`` draws the whole length behind
    each bar (a share of 100%)."""
    top = max([scale or 0, *(r.value for r in rows)]) or 1
    row_height = STACKED_ROW if stacked else ROW
    height = TOP * 2 + row_height * max(1, len(rows))
    start, space = (0, WIDTH - 70) if stacked else (BAR_START, BAR_SPACE)
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-t" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-size="{FONT}" fill="{INK}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<defs><pattern id="{chart_id}-h" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<rect width="3" height="6" fill="{FILL}"/></pattern></defs>',
    ]
    for n, row in enumerate(rows):
        y = TOP + n * row_height
        if stacked:
            parts.append(f'<text x="0" y="{y + FONT}">{escape(_short(row.label, 22))}</text>')
            bar_y = y + FONT + 6
        else:
            parts.append(
                f'<text x="{LABEL_END}" y="{y + FONT + 2}" text-anchor="end">'
                f"{escape(_short(row.label, 9))}</text>"
            )
            bar_y = y + (ROW - BAR) // 2
        length = round(space * max(0.0, row.value) / top, 1)
        if track:
            parts.append(
                f'<rect x="{start}" y="{bar_y}" width="{space}" height="{BAR}" fill="none" '
                f'stroke="{TRACK}"/>'
            )
        fill = f"url(#{chart_id}-h)" if row.partial else FILL
        if length > 0:
            parts.append(
                f'<rect x="{start}" y="{bar_y}" width="{length:g}" height="{BAR}" fill="{fill}" '
                f'stroke="{FILL}"/>'
            )
        end = start + (space if track else length) + 6
        parts.append(f'<text x="{end:g}" y="{bar_y + BAR - 2}">{escape(row.text)}</text>')
    if not stacked:  # the baseline the bars grow from (stacked labels start there instead)
        axis = f'<line x1="{start}" x2="{start}" y1="{TOP}" y2="{height - TOP}" stroke="{INK}"/>'
        parts.append(axis)
    parts.append("</svg>")
    return Markup("".join(parts))
