"""One search bundle from several Pagefind runs, as Pagefind would write it for all their pages.

Pagefind holds every page's words in memory until it writes the index: 1.4 GiB at 10,000 items,
6.2 GiB at 50,000. So the searchable pages are indexed in shards (``indexing.shards``), one
Pagefind run each, and the shards' bundles are merged here into the bundle one run over all the
pages would have made, with the pages in one order — sorted by URL:

- **Pages.** Pagefind numbers pages in the order its directory walk met them, the order of the
  file system's directory hash (ext4 seeds it per file system): the same pages could be numbered
  differently on another machine. Here every page gets its place in URL order, whatever shard
  and place it had, so the bundle depends on the pages alone — not on the machine, and not on
  how they were sharded (tested: any partition of the pages gives the same bytes).
- **Words.** Each shard's index chunks are read in word order and merged (``heapq.merge``); the
  pages of a word are put in the new order and their numbers delta-encoded again, the positions
  copied as bytes. Chunks are cut where Pagefind cuts them (a chunk ends once its pages and
  positions reach :data:`CHUNK_SIZE`) and named as Pagefind names them (a SHA-1 of the chunk,
  written in Pagefind's hex, lengthened on a clash).
- **Filters, metadata fields, fragments.** Filter values' pages are renumbered and united; the
  metadata field names united (sorted, as Pagefind sorts them) and the field numbers in the
  words' metadata positions renumbered to them; fragments are copied as they are, each named
  from its own content as Pagefind names it.

``make_deterministic`` and ``compact`` then work on the result as on any Pagefind bundle. The
page sort orders of ``data-pagefind-sort`` cannot be merged (the bundle keeps the order, not
the values) and the theme has none: a shard with one is an error.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import BuildError
from .bundle import MAGIC, _decode, _encode, gzip_bytes, read
from .bundle import _head as _encoded_head
from .compact import _INTEGER, _head, _integers, _skip

CHUNK_SIZE = 20_000  # Pagefind's default index chunk size: positions plus one per page
FAST = 1  # gzip level of the chunks written here: compact.py compresses them again
_META, _INDEX, _FRAGMENT, _FILTER = "pf_meta", "index", "fragment", "filter"
_ENTRY = "pagefind-entry.json"
_URL = re.compile(rb'\{"url":"((?:[^"\\]|\\.)*)"')


def pagefind_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1, each byte in hex without its leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())  # Pagefind's hash


def _short_name(language: str, full: str, taken: dict[str, str]) -> str:
    """``language_`` and the first seven of ``full``, one more each time the name is taken by
    another content (Pagefind's way); the same content keeps the name it has."""
    name_length = len(language) + 8
    whole = f"{language}_{full}"
    name = whole[:name_length]
    while name in taken and taken[name] != full and len(name) < len(whole):
        name = whole[: len(name) + 1]
    taken[name] = full
    return name


@dataclass
class _Part:
    """One shard's bundle: its meta file and where its pages go in the merged order."""

    folder: Path
    meta: list[Any]
    places: list[int]  # the merged page number of each of its pages
    fields: list[int]  # the merged number of each of its metadata fields


def _fragment(folder: Path, name: str) -> tuple[bytes, bytes]:
    """A fragment file's bytes and its content (Pagefind's JSON of the page)."""
    data = (folder / _FRAGMENT / f"{name}.pf_fragment").read_bytes()
    content = gzip.decompress(data)
    if not content.startswith(MAGIC):
        raise ValueError(f"fragment {name} is not a Pagefind data file")
    return data, content[len(MAGIC) :]


def _url(content: bytes) -> str:
    found = _URL.match(content)
    if found is None:
        raise ValueError("a fragment does not begin with its page's URL")
    url: str = json.loads(b'"' + found[1] + b'"')
    return url


# --- the words -------------------------------------------------------------------------------


def _words(part: _Part) -> Iterator[tuple[str, list[tuple[int, bytes]], int, Any]]:
    """Each word of a shard's chunks in order: (word, its pages as :func:`_pages` gives them,
    their weight, its variants or None)."""
    for _, _, name in part.meta[2]:
        data = gzip.decompress((part.folder / _INDEX / f"{name}.pf_index").read_bytes())
        if not data.startswith(MAGIC):
            raise ValueError(f"index chunk {name} is not a Pagefind data file")
        major, count, at = _head(data, len(MAGIC))
        if major != 4 or count != 1:
            raise ValueError("an index chunk is not the array Pagefind writes")
        major, words, at = _head(data, at)
        if major != 4:
            raise ValueError("an index chunk's words are not the array Pagefind writes")
        for _ in range(words):
            major, items, start = _head(data, at)
            major_text, length, text_at = _head(data, start)
            if major != 4 or items != 3 or major_text != 3:
                raise ValueError("an index chunk's word is not [word, pages, variants]")
            word = data[text_at : text_at + length].decode("utf-8")
            pages, weight, at = _pages(part, data, text_at + length)
            variants = None
            if data[at] != 0x80:  # other diacritics of the word: rare, read in full
                variants, _ = _decode(data, at)
            at = _skip(data, at)
            yield word, pages, weight, variants


# a page of a word, ``[page, [positions…``: its number's bytes and the count of positions
_POSTING = re.compile(rb"\x83(" + _INTEGER + rb")(?:([\x80-\x97])|\x98([\s\S])|\x99([\s\S]{2}))")


def _number(raw: bytes) -> int:
    """A CBOR unsigned integer in its shortest form (a delta between page numbers)."""
    return raw[0] if len(raw) == 1 else int.from_bytes(raw[1:], "big")


def _pages(part: _Part, data: bytes, at: int) -> tuple[list[tuple[int, bytes]], int, int]:
    """A word's pages in one shard: (merged page number, the entry after its number) each, its
    weight in Pagefind's chunk size, and where the pages end."""
    major, count, at = _head(data, at)
    if major != 4:
        raise ValueError("a word's pages are not an array")
    renumber = part.fields != list(range(len(part.fields)))
    places = part.places
    found = []
    weight = 0
    page = 0
    for _ in range(count):
        posting = _POSTING.match(data, at)
        if posting is None:
            raise ValueError("a word's page is not [page, positions, metadata positions]")
        raw, short, one, two = posting.groups()
        positions = short[0] - 0x80 if short else one[0] if one else int.from_bytes(two, "big")
        meta_at = posting.end()
        if positions:
            run = _integers(positions).match(data, meta_at)
            if run is None:
                raise ValueError("a page's positions are not integers")
            meta_at = run.end()
        if data[meta_at] == 0x80:  # no metadata positions, nearly always
            at = meta_at + 1
            rest = data[posting.end(1) : at]
        else:
            meta_locs, at = _decode(data, meta_at)
            weight += len(meta_locs)
            if renumber:
                meta_locs = _renumbered(meta_locs, part.fields)
            rest = data[posting.end(1) : meta_at] + _encode(meta_locs)
        page += _number(raw)
        weight += positions + 1
        found.append((places[page], rest))
    return found, weight, at


def _renumbered(meta_locs: list[int], fields: list[int]) -> list[int]:
    """Metadata positions with their field marks (``-1 - field``) in the merged numbering."""
    return [-1 - fields[-1 - value] if value < 0 else value for value in meta_locs]


_UNSIGNED = [_encoded_head(0, value) for value in range(256)]


def _unsigned(value: int) -> bytes:
    return _UNSIGNED[value] if value < 256 else _encoded_head(0, value)


def _encoded_pages(pages: list[tuple[int, bytes]]) -> bytes:
    """A word's pages, sorted, their numbers delta-encoded as Pagefind writes them."""
    pages.sort(key=lambda page: page[0])
    out = [_encoded_head(4, len(pages))]
    last = 0
    for number, rest in pages:
        out.append(b"\x83" + _unsigned(number - last) + rest)
        last = number
    return b"".join(out)


def _variants(found: list[tuple[_Part, Any]]) -> bytes:
    """The merged ``additional_variants`` (other diacritics of the word), by form (Pagefind lists
    them in the order it met them; the search reads them in any order)."""
    forms: dict[str, list[tuple[int, bytes]]] = {}
    for part, variants in found:
        for form, pages in variants:
            page = 0
            for delta, locs, meta_locs in pages:
                page += delta
                rest = _encode(locs) + _encode(_renumbered(meta_locs, part.fields))
                forms.setdefault(form, []).append((part.places[page], rest))
    order = sorted(forms)
    return _encoded_head(4, len(order)) + b"".join(
        _encoded_head(4, 2) + _encode(form) + _encoded_pages(forms[form]) for form in order
    )


def _merged_words(parts: list[_Part]) -> Iterator[tuple[str, bytes, int]]:
    """Every word of every shard once, in order: (word, its entry as Pagefind writes it, its
    weight in Pagefind's chunk size)."""
    streams = [zip(itertools.repeat(part), _words(part)) for part in parts]
    merged = heapq.merge(*streams, key=lambda found: found[1][0])
    for word, group in itertools.groupby(merged, key=lambda found: found[1][0]):
        pages: list[tuple[int, bytes]] = []
        weight = 0
        variants = []
        for part, (_, found, found_weight, found_variants) in group:
            pages += found
            weight += found_weight
            if found_variants is not None:
                variants.append((part, found_variants))
        entry = _encoded_head(4, 3) + _encode(word) + _encoded_pages(pages) + _variants(variants)
        yield word, entry, weight


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's ``get_prefixes``: each word cut one character past what they share."""
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return a[: common + 1], b[: common + 1]


def _write_chunks(parts: list[_Part], bundle: Path, language: str) -> list[list[str]]:
    """The merged words written as Pagefind chunks them; the meta file's chunk list."""
    chunks: list[list[str]] = []
    taken: dict[str, str] = {}
    words: list[tuple[str, bytes]] = []

    def flush() -> None:
        data = _encoded_head(4, 1) + _encoded_head(4, len(words)) + b"".join(e for _, e in words)
        name = _short_name(language, pagefind_hash(data), taken)
        (bundle / _INDEX / f"{name}.pf_index").write_bytes(gzip_bytes(MAGIC + data, FAST))
        chunks.append([words[0][0], words[-1][0], name])
        words.clear()

    size = 0
    for word, entry, weight in _merged_words(parts):
        words.append((word, entry))
        size += weight
        if size >= CHUNK_SIZE:
            flush()
            size = 0
    if words:
        flush()
    for first, second in itertools.pairwise(chunks):
        to, after = _prefixes(first[1], second[0])
        if to >= first[0]:
            first[1] = to
        second[0] = after
    return chunks


# --- pages, fragments, filters ---------------------------------------------------------------


def _write_fragments(parts: list[_Part], bundle: Path, language: str) -> list[list[Any]]:
    """Every page in URL order: fragment copied under the name Pagefind gives its content, its
    merged number set in its shard's ``places``; the meta file's page list."""
    pages = []
    for number, part in enumerate(parts):
        for place, (name, word_count) in enumerate(part.meta[1]):
            data, content = _fragment(part.folder, name)
            pages.append((_url(content), number, place, word_count, data, content))
    pages.sort(key=lambda page: page[0])
    urls = [page[0] for page in pages]
    if len(set(urls)) != len(urls):
        raise ValueError("a page is in two shards")
    taken: dict[str, str] = {}
    listed = []
    for merged, (_, number, place, word_count, data, content) in enumerate(pages):
        parts[number].places[place] = merged
        name = _short_name(language, pagefind_hash(content), taken)
        (bundle / _FRAGMENT / f"{name}.pf_fragment").write_bytes(data)
        listed.append([name, word_count])
    return listed


def _write_filters(parts: list[_Part], bundle: Path, language: str) -> list[list[str]]:
    """Each filter's values with their pages renumbered and united; the meta file's list."""
    values: dict[str, dict[str, set[int]]] = {}
    for part in parts:
        for name, file_hash in part.meta[3]:
            filter_name, filter_values = read(part.folder / _FILTER / f"{file_hash}.pf_filter")
            if filter_name != name:
                raise ValueError(f"filter file {file_hash} is not the filter {name}")
            merged = values.setdefault(name, {})
            for value, pages in filter_values:
                merged.setdefault(value, set()).update(part.places[page] for page in pages)
    listed = []
    taken: dict[str, str] = {}
    for name in sorted(values):
        data = _encode([name, [[v, sorted(p)] for v, p in sorted(values[name].items())]])
        file_hash = _short_name(language, pagefind_hash(data), taken)
        (bundle / _FILTER / f"{file_hash}.pf_filter").write_bytes(gzip_bytes(MAGIC + data, FAST))
        listed.append([name, file_hash])
    return listed


# --- the bundle ------------------------------------------------------------------------------


def _language(bundles: list[Path], entries: list[Any], language: str, out: Path) -> dict[str, Any]:
    """Merge one language of the shards into ``out``; its entry in ``pagefind-entry.json``."""
    parts = []
    for folder, entry in zip(bundles, entries, strict=True):
        info = entry["languages"].get(language)
        if info is None:
            continue
        meta = read(folder / f"pagefind.{info['hash']}.{_META}")
        if meta[4]:
            raise ValueError("页面有 data-pagefind-sort 排序，分片索引无法合并排序")
        parts.append(_Part(folder, meta, [0] * len(meta[1]), []))
    version = parts[0].meta[0]
    if any(part.meta[0] != version for part in parts):
        raise ValueError("shards were indexed by different Pagefind versions")
    fields = sorted({field for part in parts for field in part.meta[5]})
    for part in parts:
        part.fields = [fields.index(field) for field in part.meta[5]]
    pages = _write_fragments(parts, out, language)
    meta = [
        version,
        pages,
        _write_chunks(parts, out, language),
        _write_filters(parts, out, language),
        [],
        fields,
    ]
    data = _encode(meta)
    name = f"{language}_{pagefind_hash(data)[: len(language) + 8]}"
    (out / f"pagefind.{name}.{_META}").write_bytes(gzip_bytes(MAGIC + data, FAST))
    info = dict(next(e["languages"][language] for e in entries if language in e["languages"]))
    info.update(hash=name, page_count=len(pages))
    return info


def merge(bundles: list[Path], out: Path) -> None:
    """Write to ``out`` (a new folder) the bundle of all pages of the Pagefind ``bundles``, in
    URL order (see the module's text), or raise :class:`BuildError`."""
    try:
        entries = [json.loads((b / _ENTRY).read_text(encoding="utf-8")) for b in bundles]
        if len({json.dumps(e["include_characters"]) for e in entries}) != 1:
            raise ValueError("shards were indexed with different settings")
        for folder in (out / _INDEX, out / _FRAGMENT, out / _FILTER):
            folder.mkdir(parents=True)
        for bundle in bundles:  # Pagefind's scripts, styles and WebAssembly: the same in each
            for path in sorted(bundle.iterdir()):
                if path.is_file() and path.name != _ENTRY and not path.name.endswith(_META):
                    if not (out / path.name).exists():
                        shutil.copyfile(path, out / path.name)
        languages = sorted({language for e in entries for language in e["languages"]})
        entry = dict(entries[0])
        entry["languages"] = {
            language: _language(bundles, entries, language, out) for language in languages
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BuildError(f"无法合并分片的搜索索引（Pagefind 版本不符？）：{exc}") from exc
    (out / _ENTRY).write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
