"""Fewer bytes per query: Pagefind's meta file and index chunks rewritten smaller.

The search page downloads Pagefind's meta file on every query and one index chunk per distinct
character of it (Chinese is indexed one character per word, ``indexing.py`` says why). At
10,000 items (``scripts/bench.py``) two things in them cost bytes that no result needs:

- **Fragment names.** The meta file lists every page by the name of its fragment file, a hash
  of its content (``zh-cn_95fb113``): seven random hex digits per page that gzip cannot shrink,
  half of the meta file's 64 KB. Fragments are renamed here to their position in that list, in
  hexadecimal, after a prefix of six hex digits made from all the old names, so that the names
  change whenever any page does and a cached fragment is never taken for a new one (``3fa1c00000``,
  ``3fa1c00001`` …): the meta file drops to about 36 KB. A fragment's name is only ever used to
  fetch it (``pagefind.js``: ``fragment/<name>.pf_fragment``); the index and the filters refer
  to pages by their position.
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

Both rewrites are deterministic: the same bundle in gives the same bundle out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from ...errors import BuildError
from .bundle import MAGIC, pack, read
from .bundle import _head as _encode_head

# positions in a pf_meta file: [[fragment, words], …] and [[first word, last word, chunk], …]
META_PAGES, META_CHUNKS = 1, 2
_HAN_CHARACTER = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


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
            pending += value
        elif major > 1:
            raise ValueError(f"CBOR major type {major} not expected in a Pagefind index chunk")
    return at


def _split(data: bytes) -> list[tuple[str, str, bytes]]:
    """An index chunk (``pagefind_dcd`` + CBOR ``[[[word, …], …], …]``, its words sorted) cut
    before each word that is a single Chinese character: (first word, last word, chunk) each."""
    major, count, at = _head(data, len(MAGIC))
    if major != 4 or count < 1:
        raise ValueError("an index chunk is not the array Pagefind writes")
    major, words, at = _head(data, at)
    if major != 4:
        raise ValueError("an index chunk's words are not the array Pagefind writes")
    entries: list[tuple[str, int, int]] = []
    for _ in range(words):
        major, length, word_at = _head(data, _head(data, at)[2])  # the entry's first item
        word = data[word_at : word_at + length].decode("utf-8")
        end = _skip(data, at)
        entries.append((word, at, end))
        at = end
    rest = data[at:]  # the chunk's other items, copied to every part
    parts: list[list[tuple[str, int, int]]] = []
    for entry in entries:
        if not parts or _cut_before(parts[-1][-1][0], entry[0]):
            parts.append([])
        parts[-1].append(entry)
    return [
        (
            part[0][0],
            part[-1][0],
            MAGIC
            + _array(count)
            + _array(len(part))
            + b"".join(data[start:end] for _, start, end in part)
            + rest,
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


def _rechunk(bundle: Path, language: str, chunks: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for first, last, chunk_hash in chunks:
        if first[:2] == last[:2] or (first == last[:1] and _HAN_CHARACTER.match(first)):
            # nothing to cut: one prefix, or one character and the words that begin with it
            out.append([first, last, chunk_hash])
            continue
        path = bundle / "index" / f"{chunk_hash}.pf_index"
        parts = _split(gzip.decompress(path.read_bytes()))
        if len(parts) == 1:
            out.append([first, last, chunk_hash])
            continue
        path.unlink()
        for part_first, part_last, data in parts:
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            (bundle / "index" / f"{new_hash}.pf_index").write_bytes(
                gzip.compress(data, compresslevel=9, mtime=0)
            )
            out.append([part_first, part_last, new_hash])
    return out


def _rename_fragments(bundle: Path, pages: list[list[Any]]) -> list[list[Any]]:
    prefix = hashlib.sha256("\n".join(name for name, _ in pages).encode()).hexdigest()[:6]
    width = len(f"{len(pages) - 1:x}")  # all of one length: the list compresses better
    renamed = []
    for position, (name, words) in enumerate(pages):
        new_name = f"{prefix}{position:0{width}x}"
        fragment = bundle / "fragment"
        (fragment / f"{name}.pf_fragment").rename(fragment / f"{new_name}.pf_fragment")
        renamed.append([new_name, words])
    return renamed


def compact(bundle: Path) -> None:
    """Rewrite the meta file, fragment names and index chunks of ``bundle`` smaller (after
    ``bundle.make_deterministic``), or raise :class:`BuildError`."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = read(meta_path)
            meta_path.unlink()
            meta[META_PAGES] = _rename_fragments(bundle, meta[META_PAGES])
            meta[META_CHUNKS] = _rechunk(bundle, language, meta[META_CHUNKS])
            data, digest = pack(meta)
            info["hash"] = f"{language}_{digest[:13]}"
            (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BuildError(f"无法压缩 Pagefind 的索引文件（Pagefind 版本不符？）：{exc}") from exc
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
