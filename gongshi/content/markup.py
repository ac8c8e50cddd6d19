"""Markdown bodies to safe HTML: rendered by python-markdown, then sanitized by nh3.

Raw HTML an editor writes is allowed through only as far as the allowlist goes: no scripts, no
event attributes, no ``javascript:`` links, and no image from another host (a page loads
nothing from elsewhere; that case is reported to the editor rather than dropped unseen).

Whether a URL is from another host is decided on the value nh3 hands to its attribute filter:
entities already decoded, exactly the value it then writes out and the browser parses again, so
the check and the browser read the same string (see :mod:`gongshi.content.url_safety`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape

import markdown
import nh3

from .url_safety import is_remote, loads, scheme, urls_of

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
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="[^"]*[^"\s][^"]*"')
SRC = re.compile(r'\bsrc="([^"]*)"')
HREFLESS_REL = re.compile(r'<a rel="noopener noreferrer">')
HEADING = re.compile(r"<(/?)h([1-5])\b")
# An image's src as written in raw HTML or by python-markdown, quoted or not.
RAW_IMG_SRC = re.compile(
    r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE
)


@dataclass
class Rendered:
    html: str
    remote_images: list[str] = field(default_factory=list)  # as the sanitizer read them
    remote_image_lines: list[int] = field(default_factory=list)  # in the text, counted from 0
    images_without_alt: list[str] = field(default_factory=list)  # their src
    # images whose address has a scheme nh3 drops unseen (data:, file:, ftp: …), with their lines
    dropped_images: list[str] = field(default_factory=list)
    dropped_image_lines: list[int] = field(default_factory=list)


class MarkdownRenderer:
    """One renderer per build: python-markdown instances are reusable after ``reset()``."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")

    def render(self, text: str) -> Rendered:
        html = self._md.reset().convert(text)
        if "<h1" in html:  # the page's title is its only h1: demote the body's headings
            html = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
        remote: list[str] = []
        sources = (
            unescape(next(g for g in m.groups() if g is not None))
            for m in RAW_IMG_SRC.finditer(html)
        )
        dropped = [src for src in sources if scheme(src) not in ("", *URL_SCHEMES)]

        def keep(tag: str, attribute: str, value: str) -> str | None:
            if loads(tag, attribute) and any(map(is_remote, urls_of(attribute, value))):
                if attribute in ATTRIBUTES.get(tag, ()):  # would have been published: say so
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
        return Rendered(
            clean,
            remote,
            source_lines(text, remote),
            missing_alt,
            dropped,
            source_lines(text, dropped),
        )


_ENTITY_OR_CHAR = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?|.", re.DOTALL)
_UNSEEN = frozenset(chr(c) for c in range(0x21)) | {"\\"}  # spacing, and Markdown's escapes


def _comparable(text: str, line: int, into: list[tuple[str, int]]) -> None:
    for token in _ENTITY_OR_CHAR.finditer(text):
        into.extend((char, line) for char in html.unescape(token[0]) if char not in _UNSEEN)


def source_lines(text: str, values: list[str]) -> list[int]:
    """For each value the sanitizer saw, the line of ``text`` (counted from 0) it was written on.

    The value is entity-decoded, Markdown-unescaped and may span lines, so it is looked for in
    the source read the same way: the source's entities decoded, and spaces, tabs, newlines and
    backslashes ignored on both sides. A value seen again is found at its next occurrence; one not found
    at all (written in a way this reading misses) is put on the body's first line.
    """
    if not values:
        return []
    chars: list[tuple[str, int]] = []
    for number, line in enumerate(text.split("\n")):
        _comparable(line, number, chars)
    source = "".join(char for char, _ in chars)
    seen: Counter[str] = Counter()
    lines = []
    for value in values:
        needle = "".join(char for char in value if char not in _UNSEEN)
        at = -1
        for _ in range(seen[needle] + 1):
            found = source.find(needle, at + 1) if needle else -1
            if found < 0:
                break
            at = found
        seen[needle] += 1
        lines.append(chars[at][1] if at >= 0 else 0)
    return lines
