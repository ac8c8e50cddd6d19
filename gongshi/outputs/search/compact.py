"""Fewer bytes per query: Pagefind's meta file and index chunks rewritten smaller.

The search page downloads Pagefind's meta file on every query and one index chunk per distinct
character of it (Chinese is indexed one character per word, ``indexing.py`` says why). At
10,000 items (``scripts/bench.py``) two things in them cost bytes that no result needs:

- **Fragment names.** The meta file lists every page by the name of its fragment file, a hash
  of its content (``zh-cn_95fb113``): seven random hex digits per page that gzip cannot shrink,
  half of the meta file's 64 KB. Fragments are renamed here in buckets of :data:`BUCKET`
  neighbours in that list: a bucket's name is a hash of its fragments' Pagefind names (so of
  their content), a fragment's is the bucket's and its place in it (``3fa1c0e00``, ``3fa1c0e01``
  …, ``3fa1c0e1f``, then the next bucket's). Gzip shrinks a run of names with one prefix to a few
  bytes each: the meta file drops to about 36 KB. A fragment whose page changed gets a new name,
  so a cached copy is never taken for it; so do the others of its bucket, and no more — an edit
  to one page renames 32 fragments, not 10,000 (a deploy uploads what changed: ``manifest.py``).
  A fragment's name is only ever used to fetch it (``pagefind.js``:
  ``fragment/<name>.pf_fragment``); the index and the filters refer to pages by their position.
- **Chunk boundaries.** Pagefind fills an index chunk with neighbouring words until it is large
  enough, so the chunk a character is in often holds a few other characters too (电 comes with
  用 and 由, 15 % of that chunk). A query term loads exactly the one chunk whose first and last
  words enclose it (``pagefind_web``: ``from <= term <= to``), so each chunk is cut before every
  word that is a single Chinese character: a character then loads its own postings and the
  words that begin with it (all in one chunk as before, so no match is lost). Other words
  (numbers, ids, Latin) are cut where their first two characters change: 协商结果42 loaded the
  1,111 words from 40 to 5 (19 KB) for its 42, now the words beginning with 42 (2 KB). A term of
  two or more characters still finds every word that begins with it; a term of one digit or
  letter finds only itself, no longer 30, 300 … as extensions of 3 (loose matches that were
  nonsense and cost the most: ``docs/architecture.md``, Search, Cost).

Each chunk is read with a scanner that knows the shape Pagefind 1.5 gives a word
(``[word, [[page, [positions…], []], …], …]``) and skips the positions of a page in one regular
expression; anything of another shape goes through the general CBOR walk. Chunks are then
compressed again by libdeflate (``bundle.gzip_bytes``) on every core: 7 % fewer bytes per query.

Both rewrites are deterministic: the same bundle in gives the same bundle out.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..parallel import jobs
from .bundle import MAGIC, gzip_bytes, rewrite_metas
from .bundle import _head as _encode_head

# positions in a pf_meta file: [[fragment, words], …] and [[first word, last word, chunk], …]
META_PAGES, META_CHUNKS = 1, 2
BUCKET = 32  # fragments named together (a power of 16 times 2: two hex digits for the place)
CHUNK_LEVEL = 10  # libdeflate: the strongest level before its slowest (11, 12 gain < 1 %)
_HAN_CHARACTER = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# one CBOR integer (major type 0 or 1), as Pagefind writes them: shortest form
_INTEGER = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\s\S]|[\x19\x39][\s\S]{2}|[\x1a\x3a][\s\S]{4}|[\x1b\x3b][\s\S]{8})"
# a page of a word up to its positions: [page, [ … with the count of positions
_PAGE = re.compile(rb"\x83" + _INTEGER + rb"(?:([\x80-\x97])|\x98([\s\S])|\x99([\s\S]{2}))")


@functools.lru_cache(maxsize=4096)
def _integers(count: int) -> re.Pattern[bytes]:
    return re.compile(_INTEGER + b"{%d}" % count)


def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """The CBOR item at ``at``: its major type, its count or value, where its content starts."""
    major, info = data[at] >> 5, data[at] & 31
    if info < 24:
        return major, info, at + 1
    if info > 27:
        raise ValueError(f"CBOR item {data[at]:#x} not expected in a Pagefind index chunk")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _skip(data: bytes, at: int) -> int:
    """Where the CBOR item at ``at`` ends (integers, text and arrays, as Pagefind writes)."""
    pending = 1
    while pending:
        major, value, at = _head(data, at)
        pending -= 1
        if major == 3:
            at += value
        elif major == 4:
            if value and data[at] >> 5 < 2 and (run := _integers(value).match(data, at)):
                at = run.end()  # an array of integers (positions), skipped at once
            else:
                pending += value
        elif major > 1:
            raise ValueError(f"CBOR major type {major} not expected in a Pagefind index chunk")
    return at


def _skip_pages(data: bytes, at: int, count: int) -> int | None:
    """Where ``count`` pages ``[page, [positions…], []]`` from ``at`` end; None if one is not
    of that shape."""
    for _ in range(count):
        page = _PAGE.match(data, at)
        if page is None:
            return None
        short, one, two = page.groups()
        positions = short[0] - 0x80 if short else one[0] if one else int.from_bytes(two, "big")
        at = page.end()
        if positions:
            run = _integers(positions).match(data, at)
            if run is None:
                return None
            at = run.end()
        if data[at] != 0x80:  # no positions in the page's metadata
            return None
        at += 1
    return at


def _word(data: bytes, at: int) -> tuple[str, int]:
    """The word of the entry at ``at``, and where the entry ends."""
    major, items, start = _head(data, at)
    if major != 4 or items < 2:
        raise ValueError("an index chunk's word is not the array Pagefind writes")
    major, length, word_at = _head(data, start)
    if major != 3:
        raise ValueError("an index chunk's word does not begin with its text")
    word = data[word_at : word_at + length].decode("utf-8")
    major, pages, pages_at = _head(data, word_at + length)
    end = _skip_pages(data, pages_at, pages) if major == 4 else None
    if end is None:  # not the shape of Pagefind 1.5's pages: the general walk
        end = _skip(data, word_at + length)
    for _ in range(items - 2):
        end = _skip(data, end)
    return word, end


def _split(data: bytes) -> list[tuple[str, str, bytes]]:
    """An index chunk (``pagefind_dcd`` + CBOR ``[[[word, …], …], …]``, its words sorted) cut
    before each word that is a single Chinese character: (first word, last word, chunk) each."""
    major, count, at = _head(data, len(MAGIC))
    if major != 4 or count < 1:
        raise ValueError("an index chunk is not the array Pagefind writes")
    major, words, at = _head(data, at)
    if major != 4:
        raise ValueError("an index chunk's words are not the array Pagefind writes")
    parts: list[list[tuple[str, int, int]]] = []
    for _ in range(words):
        word, end = _word(data, at)
        if not parts or _cut_before(parts[-1][-1][0], word):
            parts.append([])
        parts[-1].append((word, at, end))
        at = end
    if not parts:
        raise ValueError("an index chunk has no words")
    rest = data[at:]  # the chunk's other items, copied to every part
    return [
        (
            part[0][0],
            part[-1][0],
            MAGIC + _array(count) + _array(len(part)) + data[part[0][1] : part[-1][2]] + rest,
        )
        for part in parts
    ]


def _cut_before(previous: str, word: str) -> bool:
    """Whether a chunk may end between two neighbouring words: before a single Chinese character,
    or where the first two characters of other words change (42 | 420 | 4200 stay together)."""
    if _HAN_CHARACTER.match(word):
        return len(word) == 1
    return word[:2] != previous[:2]


def _array(length: int) -> bytes:
    return _encode_head(4, length)


def _cut(path: Path, language: str, first: str, last: str) -> list[tuple[str, str, str, bytes]]:
    """The chunk at ``path`` cut as :func:`_split` says and compressed again: (first word, last
    word, name, file bytes) each. A chunk with nothing to cut keeps its name (Pagefind's hash of
    the same content)."""
    data = gzip.decompress(path.read_bytes())
    if first[:2] == last[:2] or (first == last[:1] and _HAN_CHARACTER.match(first)):
        parts = [(first, last, data)]  # one prefix, or one character and the words after it
    else:
        parts = _split(data)
    if len(parts) == 1:
        return [(first, last, path.stem, gzip_bytes(data, CHUNK_LEVEL))]
    return [
        (part_first, part_last, f"{language}_{hashlib.sha256(part).hexdigest()[:7]}",
         gzip_bytes(part, CHUNK_LEVEL))
        for part_first, part_last, part in parts
    ]  # fmt: skip


def _rechunk(bundle: Path, language: str, chunks: list[list[str]]) -> list[list[str]]:
    index = bundle / "index"
    with ThreadPoolExecutor(max_workers=jobs()) as pool:  # libdeflate works without the GIL
        cut = list(
            pool.map(
                lambda chunk: _cut(index / f"{chunk[2]}.pf_index", language, chunk[0], chunk[1]),
                chunks,
            )
        )
    out: list[list[str]] = []
    for (_, _, old), parts in zip(chunks, cut, strict=True):
        if parts[0][2] != old:
            (index / f"{old}.pf_index").unlink()
        for first, last, name, data in parts:
            (index / f"{name}.pf_index").write_bytes(data)
            out.append([first, last, name])
    return out


def _bucket_names(pages: list[list[Any]]) -> list[str]:
    """A name for each bucket of :data:`BUCKET` fragments: a hash of their Pagefind names, seven
    hex digits, unique in the bundle (another hash on the rare clash)."""
    names: list[str] = []
    taken: set[str] = set()
    for start in range(0, len(pages), BUCKET):
        members = "\n".join(str(name) for name, _ in pages[start : start + BUCKET])
        attempt = 0
        while True:
            salt = f"\n{attempt}" if attempt else ""
            name = hashlib.sha256(f"{members}{salt}".encode()).hexdigest()[:7]
            if name not in taken:
                break
            attempt += 1
        taken.add(name)
        names.append(name)
    return names


def _rename_fragments(bundle: Path, pages: list[list[Any]]) -> list[list[Any]]:
    fragment = bundle / "fragment"
    buckets = _bucket_names(pages)
    renamed = []
    for position, (name, words) in enumerate(pages):
        bucket, place = divmod(position, BUCKET)
        new_name = f"{buckets[bucket]}{place:02x}"
        (fragment / f"{name}.pf_fragment").rename(fragment / f"{new_name}.pf_fragment")
        renamed.append([new_name, words])
    return renamed


def compact(bundle: Path) -> None:
    """Rewrite the meta file, fragment names and index chunks of ``bundle`` smaller (after
    ``bundle.make_deterministic``), or raise :class:`BuildError`."""

    def smaller(language: str, meta: Any) -> None:
        meta[META_PAGES] = _rename_fragments(bundle, meta[META_PAGES])
        meta[META_CHUNKS] = _rechunk(bundle, language, meta[META_CHUNKS])

    rewrite_metas(bundle, smaller, "无法压缩 Pagefind 的索引文件")
