"""Markdown bodies to safe HTML: rendered by python-markdown, then sanitized by nh3.

Raw HTML an editor writes is allowed through only as far as the allowlist goes: no scripts, no
event attributes, no ``javascript:`` links, and no image from another host (a page loads
nothing from elsewhere; that case is reported to the editor rather than dropped unseen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3

TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "wbr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height", "title"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "ol": {"start", "reversed"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="[^"]*[^"\s][^"]*"')
SRC = re.compile(r'\bsrc="([^"]*)"')
HREFLESS_REL = re.compile(r'<a rel="noopener noreferrer">')
HEADING = re.compile(r"<(/?)h([1-5])\b")


@dataclass
class Rendered:
    html: str
    remote_images: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)  # their src


class MarkdownRenderer:
    """One renderer per build: python-markdown instances are reusable after ``reset()``."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")

    def render(self, text: str) -> Rendered:
        html = self._md.reset().convert(text)
        if "<h1" in html:  # the page's title is its only h1: demote the body's headings
            html = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
        remote: list[str] = []

        def keep(tag: str, attribute: str, value: str) -> str | None:
            if tag == "img" and attribute == "src" and REMOTE.match(value):
                remote.append(value)
                return None
            return value

        clean = nh3.clean(
            html,
            tags=TAGS,
            clean_content_tags={"script", "style"},
            attributes=ATTRIBUTES,
            attribute_filter=keep,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
        # a link whose unsafe href was removed is plain text, not a link with a dangling rel
        clean = HREFLESS_REL.sub("<a>", clean)
        missing_alt = [
            src.group(1) if (src := SRC.search(tag)) else ""
            for tag in IMG.findall(clean)
            if not ALT.search(tag)
        ]
        return Rendered(clean, remote, missing_alt)
