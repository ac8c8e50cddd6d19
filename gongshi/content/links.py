"""The links a body makes (``<a href>``, ``<img src>``), with the line each is written on.

Read in phase one from the sanitized HTML (what the page will have), checked in phase two
against every path the site publishes (:mod:`gongshi.site.body_links`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .markup import source_lines

LINKING = {"a": "href", "img": "src"}


@dataclass(frozen=True)
class BodyLink:
    """One address written in a body: the file, the line, the address as written."""

    file: str
    line: int
    url: str
    page: str  # the URL of the item's own page, which a relative address is resolved against
    from_draft: bool


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = LINKING.get(tag)
        self.found.extend(value for name, value in attrs if name == wanted and value)


def body_links(
    html: str, body: str, body_line: int, file: str, page: str, *, draft: bool
) -> list[BodyLink]:
    """Every link and image address of a rendered body, each on the body line it came from."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    lines = source_lines(body, collector.found)
    return [
        BodyLink(file, body_line + line, url, page, draft)
        for url, line in zip(collector.found, lines, strict=True)
    ]
