"""How the built files are served: each file's Content-Type and Cache-Control.

The site is served by existing software, never by Gongshi: nginx with the shipped
``docs/deploy/nginx.conf``, or an S3-compatible object store behind a CDN (:mod:`.deploy`). Both
must say the same thing about a file, so the rules are written once here; the nginx file spells
them in its own syntax and ``tests/test_nginx.py`` checks that the two agree.

Types: every text format is UTF-8 and says so (a spreadsheet or a calendar app that guesses the
encoding shows Chinese as mojibake). Feeds are ``application/xml``: feed readers read any XML
type, and browsers show it rather than downloading it as they do ``application/rss+xml``.

Caching: nothing Gongshi writes is fingerprinted except Pagefind's index chunks, whose names
carry their hash (``fragment/``, ``index/``, ``filter/``, ``pagefind.*.pf_meta``): those are
immutable. Pages, feeds, calendars and data change at every rebuild and are revalidated after
five minutes (a conditional request, answered 304 while unchanged); the theme's files and
attachments keep their names across changes, so an hour.
"""

from __future__ import annotations

import posixpath
import re

UTF8 = "; charset=utf-8"
TYPES: dict[str, str] = {  # by the file name's last extension, lower case
    ".html": "text/html" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".ics": "text/calendar" + UTF8,
    ".csv": "text/csv" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/plain" + UTF8,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".zip": "application/zip",
    ".wasm": "application/wasm",
}
DEFAULT_TYPE = "application/octet-stream"  # Pagefind's own chunks (.pf_fragment, .pagefind …)

IMMUTABLE = "public, max-age=31536000, immutable"
ASSET = "public, max-age=3600"
REVALIDATE = "public, max-age=300, must-revalidate"
# Pagefind's chunks are named by their content: a changed index gets new names
_HASHED = re.compile(r"^pagefind/(?:(?:fragment|index|filter)/[^/]+|pagefind\.[^/]+\.pf_meta)$")
_ASSETS = ("theme/", "files/")


def content_type(path: str) -> str:
    """The Content-Type of a file of the output, by its path relative to the output."""
    return TYPES.get(posixpath.splitext(path)[1].lower(), DEFAULT_TYPE)


def cache_control(path: str) -> str:
    """The Cache-Control of a file of the output, by its path relative to the output."""
    if _HASHED.match(path):
        return IMMUTABLE
    if path.startswith(_ASSETS):
        return ASSET
    return REVALIDATE
