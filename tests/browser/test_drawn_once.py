"""Every page is drawn once (one page per template of the bundled portal, in Debian Chromium):
with the reader's clock at the build's "now", the scripts that run after parsing (live.js,
copy.js, print.js, search.js …) change nothing in the document as it loads.

A change there is a style and layout pass after the first paint, on the phones residents read
with, and blocking time under Lighthouse's mobile CPU slowdown. A control that needs a script is
drawn with the page instead, under the ``js`` class mode.js sets in ``<head>`` before the first
paint. And live.js agreeing with the build at the build's own "now" is part of the same check.

The search page is not among the templates: answering the query, even an empty one, is its
script's work once Pagefind has loaded. Its form and its words for readers without JavaScript
are chosen by site.css before the first paint too (test_search.py checks both ways).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import BUNDLED_NOW, ROOT
from playwright.sync_api import Browser

from .conftest import TEMPLATES, reader_clock
from .gates import late_redraws

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_no_script_redraws_the_page_as_it_loads(
    browser: Browser, bundled_url: str, name: str
) -> None:
    assert late_redraws(browser, bundled_url + TEMPLATES[name], reader_clock(BUNDLED_NOW)) == []


def test_the_themes_images_draw_no_text() -> None:
    """The favicon is fetched after the first paint and drawn as its own SVG document; a
    ``<text>`` there (公 was one) makes the browser find a CJK font and lay it out, the largest
    task after the first paint on the meeting page. Shapes are drawn as paths instead."""
    images = sorted((ROOT / "themes").glob("*/static/**/*.svg"))
    assert images, "no SVG image found in the themes"
    texts = [
        f"{image.relative_to(ROOT)}: <{element.tag.rsplit('}', 1)[-1]}>"
        for image in images
        for element in ET.parse(image).iter()
        if element.tag.rsplit("}", 1)[-1] in ("text", "tspan", "textPath", "foreignObject")
    ]
    assert texts == []
