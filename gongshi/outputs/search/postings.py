"""Pagefind's index chunks read where they are, as bytes: the CBOR items its words and their pages
are written in (integers in their shortest form, text, arrays), what ``wordindex.py`` merges and
``wordsplice.py`` splices without decoding more than it needs."""

from __future__ import annotations

import re

from .bundle import _head as encoded_head

# one CBOR integer (major type 0 or 1), as Pagefind writes them: shortest form
INTEGER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\s\S]|[\x19\x39][\s\S]{2}|[\x1a\x3a][\s\S]{4}|[\x1b\x3b][\s\S]{8})"


RUNS: dict[int, re.Pattern[bytes]] = {}  # count → the pattern of that many integers


def integers(count: int) -> re.Pattern[bytes]:
    found = RUNS.get(count)
    if found is None:
        found = RUNS[count] = re.compile(INTEGER + b"{%d}" % count)
    return found


def head(data: bytes, at: int) -> tuple[int, int, int]:
    """The CBOR item at ``at``: its major type, its count or value, where its content starts."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError(f"CBOR item {data[at]:#x} not expected in a Pagefind index chunk")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def skip(data: bytes, at: int) -> int:
    """Where the CBOR item at ``at`` ends (integers, text and arrays, as Pagefind writes)."""
    pending = 1
    while pending:
        major, value, at = head(data, at)
        pending -= 1
        if major == 3:
            at += value
        elif major == 4:
            if value and data[at] >> 5 < 2 and (run := integers(value).match(data, at)):
                at = run.end()  # an array of integers (positions), skipped at once
            else:
                pending += value
        elif major > 1:
            raise ValueError(f"CBOR major type {major} not expected in a Pagefind index chunk")
    return at


def word_at(data: bytes, at: int) -> tuple[str, int]:
    """The word of the entry ``[word, pages, variants]`` at ``at``, and where its text ends."""
    major, items, start = head(data, at)
    major_text, length, text_at = head(data, start)
    if major != 4 or items != 3 or major_text != 3:
        raise ValueError("an index chunk's word is not [word, pages, variants]")
    return data[text_at : text_at + length].decode("utf-8"), text_at + length


# a page of a word, ``[page, [positions…``: its number's bytes and the count of positions
POSTING = re.compile(rb"\x83(" + INTEGER + rb")(?:([\x80-\x97])|\x98([\s\S])|\x99([\s\S]{2}))")

_UNSIGNED = [encoded_head(0, value) for value in range(256)]


def unsigned(value: int) -> bytes:
    return _UNSIGNED[value] if value < 256 else encoded_head(0, value)


def page_entry(data: bytes, at: int) -> tuple[int, int, int, int]:
    """The page entry ``[page, positions, metadata positions]`` of a word at ``at``: the
    difference of its page number from the one before, where its positions begin, where its
    metadata positions begin, and its count of positions."""
    posting = POSTING.match(data, at)
    if posting is None:
        raise ValueError("a word's page is not [page, positions, metadata positions]")
    raw, short, one, two = posting.groups()
    positions = short[0] - 0x80 if short else one[0] if one else int.from_bytes(two, "big")
    meta_at = posting.end()
    if positions:
        run = (RUNS.get(positions) or integers(positions)).match(data, meta_at)
        if run is None:
            raise ValueError("a page's positions are not integers")
        meta_at = run.end()
    delta = raw[0] if len(raw) == 1 else int.from_bytes(raw[1:], "big")
    return delta, posting.end(1), meta_at, positions
