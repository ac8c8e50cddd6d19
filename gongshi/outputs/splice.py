"""A file made of many parts, written again from the file before wherever its parts are the same.

The open data's files are each a head, one part per item (an item of ``meetings.json``, a row of
its CSV file) and a tail, every part made apart and kept with its record
(:meth:`~gongshi.outputs.reuse.KeyedFiles.text`). When one meeting's minutes grow a line, the
file is new; it used to be made again from every part's kept text — 5,000 texts decompressed,
joined and encoded, the longest step of a body edit at 10,000 items (0.3 s). Each file now notes,
with its record, where each part's bytes lie in it (:func:`join`'s spans, by the part's digest);
the next build that writes the file takes each part it has the same of as those bytes of the file
before (:func:`pieces`), and makes the others' texts only. A part's digest is that of its text
(``reuse.key_of``), and the file before is the one the spans were noted for (its inode, size and
modification time), so the bytes are the same as making the whole again.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

SPAN = struct.Struct("<20sQQ")  # a part's digest (``reuse.key_of``), where it starts and ends

Part = tuple[bytes, Callable[[], str]]  # its digest, and its text when asked for (reuse.Text)


@dataclass(frozen=True)
class Layout:
    """What stands around and between the parts: the file is ``prefix``, the parts joined by
    ``separator``, ``suffix``."""

    prefix: bytes
    separator: bytes = b""
    suffix: bytes = b""


def join(
    layout: Layout, parts: Sequence[Part], before: Mapping[bytes, memoryview] | None = None
) -> tuple[bytes, bytes]:
    """The file's bytes (each part's text in UTF-8, or its bytes in ``before`` if it has its
    digest), and where each part lies in them (:data:`SPAN` each, in order)."""
    out = bytearray(layout.prefix)
    spans = bytearray()
    for number, (digest, text) in enumerate(parts):
        if number:
            out += layout.separator
        start = len(out)
        found = before.get(digest) if before is not None else None
        out += found if found is not None else text().encode("utf-8")
        spans += SPAN.pack(digest, start, len(out))
    out += layout.suffix
    return bytes(out), bytes(spans)


def pieces(data: bytes, spans: bytes) -> dict[bytes, memoryview]:
    """Each part of the file ``data`` by its digest, from the spans :func:`join` gave for it."""
    view = memoryview(data)
    return {digest: view[start:end] for digest, start, end in SPAN.iter_unpack(spans)}
