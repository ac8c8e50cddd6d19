"""Whether a URL written on a page loads from this site, decided the way a browser decides.

A page must load nothing from another host. Checking a URL with a pattern of our own misses the
spellings a browser still reads as another host (``/\\evil.example``, ``/<tab>/evil.example``,
`` //evil.example``), so the verdict follows the WHATWG URL Standard's parser, which Chromium,
Firefox and Safari implement, for a URL resolved against a page of this site (an ``https:`` or
``http:`` page: a *special* scheme):

1. leading and trailing "C0 control or space" (U+0000–U+0020) is stripped;
2. every ASCII tab and newline (U+0009, U+000A, U+000D) is removed, wherever it is;
3. a scheme (``^[A-Za-z][A-Za-z0-9+.-]*:``) makes the URL absolute. Some of those still stay on
   this site (``https:x.png`` on an https page), but none needs to: any scheme is "not local";
4. otherwise the URL is relative, and under a special base a backslash is a slash: two of them at
   the start begin a host (``//evil.example``, ``\\\\evil.example``, ``/\\evil.example``);
   anything else is a path, query or fragment on this site's own host.

The value checked must be the one the browser will parse: for an HTML attribute, after entity
decoding (``&#92;`` is a backslash), which is what the sanitizer hands over.

Browsers are not the only readers: feed readers, mail clients and programs reading the open
data's ``body_html`` resolve the same URLs, and some are more lenient. So a URL is also read a
second, lenient way — every space, control and invisible character removed wherever it is
(``/<U+3000>/evil.example``, ``h<U+200B>ttps://…``) — and it is local only if both readings are.
A browser reads those few spellings as odd paths on this site; no editor needs them.
"""

from __future__ import annotations

import re
import unicodedata

_EDGE = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_HOST_START = re.compile(r"[/\\]{2}")
_CANDIDATE_SEPARATOR = re.compile(r"[\s,]+")


def normalize(url: str) -> str:
    """The URL as the parser reads it: steps 1 and 2 above."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_EDGE))


def _lenient(url: str) -> str:
    """The URL as a lenient reader might take it: no space, control or invisible character."""
    return "".join(
        c for c in url if not (c.isspace() or unicodedata.category(c) in {"Cc", "Cf", "Zs"})
    )


def is_local(url: str) -> bool:
    """True if a page of this site resolving ``url`` stays on this site's own host."""
    return not any(
        _SCHEME.match(value) or _HOST_START.match(value)
        for value in (normalize(url), _lenient(url))
    )


def is_remote(url: str) -> bool:
    return not is_local(url)


def shown(url: str) -> str:
    """The URL for a one-line message: a tab, newline or other control character made visible."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or c == "\x7f" else c for c in url)


# Attributes whose URL the browser fetches by itself, with no click: what "loads" means here.
# ``href`` loads on every element but a link (<link>, SVG <image>/<use>); ``ping`` is fetched
# when a link is followed, behind the reader's back.
_LOADING = frozenset({
    "src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc",
    "codebase", "archive", "manifest", "icon", "action", "formaction", "ping", "xlink:href",
})  # fmt: skip
_LINKS = frozenset({"a", "area"})
_LISTS = frozenset({"srcset", "imagesrcset", "ping", "archive"})  # several URLs in one value


def loads(tag: str, attribute: str) -> bool:
    """True if the browser fetches this attribute's URL when the page is shown."""
    return attribute in _LOADING or (attribute == "href" and tag not in _LINKS)


def urls_of(attribute: str, value: str) -> list[str]:
    """The URLs in an attribute's value: one, or for ``srcset``-like lists each candidate.

    A list is cut at every space and comma: more pieces than the browser makes, never fewer,
    so no URL inside it goes unchecked (a descriptor such as ``2x`` is a harmless local path).
    """
    if attribute in _LISTS:
        return [piece for piece in _CANDIDATE_SEPARATOR.split(value) if piece]
    return [value]


def scheme(url: str) -> str:
    """The scheme a browser reads in ``url``, lower-cased (``data``, ``https`` …); "" if none."""
    found = _SCHEME.match(normalize(url))
    return found.group(0)[:-1].lower() if found else ""
