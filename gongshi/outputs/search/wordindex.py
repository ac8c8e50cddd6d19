"""The word index of the merged bundle: every shard's index chunks read, their words merged, and
cut into the chunks the search page downloads.

**Merged.** Each shard's chunks are read in word order and merged (``heapq.merge``); the pages of
a word are put in the merged order (``merge.py``: by URL) and their numbers delta-encoded again,
their positions copied as bytes. A page's entry is read with one regular expression for its
number and count of positions and one for the positions (Pagefind 1.5's shape; metadata
positions and other diacritics of a word are rare and read in full).

**Cut.** The search page downloads the meta file and, for each word of a query, the one chunk
whose first and last words enclose it (``pagefind_web``: ``from <= term <= to``). Chinese is
indexed one character per word (``indexing.py``), so a chunk is cut before every word whose
first character is a new Chinese character: a character loads its own postings and the words
that begin with it, not its neighbours' (电 came with 用 and 由 in Pagefind's chunks, 15 % of
that chunk). Other words (numbers, ids, Latin) are cut where their first two characters change:
协商结果42 loaded the 1,111 words from 40 to 5 (19 KB) for its 42, now the words beginning with
42 (2 KB). And, as Pagefind does, a chunk ends once its pages and positions reach
:data:`CHUNK_SIZE`. A term of two or more characters still finds every word that begins with it;
a term of one digit or letter finds only itself, no longer 30, 300 … as extensions of 3 (loose
matches that were nonsense and cost the most: ``docs/architecture.md``, Search, Cost).

**On every core.** A chunk always begins at a new Chinese character, so the words are split
there into one range per worker (balanced by the shards' chunk sizes, or by an edit's own work:
:func:`_splits`); each worker merges, cuts
and compresses (libdeflate, :data:`CHUNK_LEVEL`) its range, and the parent names and writes the
chunks in order: the same bytes as one process.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import gzip
import hashlib
import heapq
import itertools
import os
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ... import workers
from . import wordsplice
from .bundle import MAGIC, _decode, _encode, gzip_bytes
from .bundle import _head as _encoded_head
from .postings import head, page_entry, skip, word_at

CHUNK_SIZE = 20_000  # Pagefind's default index chunk size: positions plus one per page
ALIASES = 4  # keys noted of one group's chunks (:meth:`Words.merged`)
CHUNK_LEVEL = 10  # libdeflate: the strongest level before its slowest (11, 12 gain < 1 %)
_HAN_CHARACTER = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@dataclass
class Shard:
    """One shard's bundle as the words need it."""

    folder: Path
    chunks: list[list[str]]  # its meta file's [[first word, last word, chunk name], …]
    places: list[int]  # the merged page number of each of its pages (-1: left out)
    fields: list[int]  # the merged number of each of its metadata fields
    # each group's (:func:`group_of`) words as this shard's chunks hold them (:func:`scan`);
    # None until known
    groups: dict[str, Group] | None = None
    left: int = 0  # its pages left out (``merge``), a bit each by the page's number in the shard
    # its places with each page left out at the place its URL has in the merge (-1: none):
    # what its groups without a page left out are merged with, as when it was not left out
    restored: list[int] | None = None


# a group's words in one shard: the SHA-256 of their entries' bytes; where they lie — (the
# chunk's number in the shard's list, where the first entry begins, where the last one ends) —
# so that a merge that needs them reads no other word; and the pages they are on, a bit each
Group = tuple[bytes, tuple[tuple[int, int, int], ...], int]
# a word of a shard: the word, its pages as :func:`_pages` gives them, their weight, its variants
# or None, its entry's bytes, where it lies (chunk number, start, end), the pages it is on (bits)
Found = tuple[str, list[tuple[int, bytes]], int, Any, bytes, tuple[int, int, int], int]


def _words(shard: Shard, low: str, high: str | None) -> Iterator[Found]:
    """Each word of a shard from ``low`` up to ``high`` (excluded; None: to the end), in order."""
    for number, data, count, first in _chunks(shard, low, high):
        at = first
        for _ in range(count):
            word, text_end = word_at(data, at)
            if word < low or (high is not None and word >= high):
                at = skip(data, skip(data, text_end))
                continue
            found = _found(shard, word, data, number, at, text_end)
            at = found[5][2]
            yield found


def _found(shard: Shard, word: str, data: bytes, number: int, at: int, text_end: int) -> Found:
    """The word whose entry begins at ``at`` of the chunk ``number`` (its text ends at
    ``text_end``), read."""
    pages, weight, end, on = _pages(shard, data, text_end)
    variants = None
    if data[end] != 0x80:  # other diacritics of the word: rare, read in full
        variants, _ = _decode(data, end)
        for _, postings in variants:
            page = 0
            for delta, _, _ in postings:
                page += delta
                on |= 1 << page
    end = skip(data, end)
    return word, pages, weight, variants, data[at:end], (number, at, end), on


class _Reader:
    """A shard's words of given groups, read where its :attr:`Shard.groups` says they lie (the
    chunk last decompressed kept: groups are asked for in order)."""

    def __init__(self, shard: Shard) -> None:
        self.shard = shard
        self._last: tuple[int, bytes] | None = None

    def _data(self, number: int) -> bytes:
        if self._last is None or self._last[0] != number:
            self._last = (number, _chunk_data(self.shard, number))
        return self._last[1]

    def words(self, groups: list[str], shard: Shard | None = None) -> Iterator[Found]:
        """The words of ``groups``, read as ``shard`` (the same files) places them if given."""
        part = shard or self.shard
        known = part.groups or {}
        for group in groups:
            for number, start, end in known[group][1] if group in known else ():
                data, at = self._data(number), start
                while at < end:
                    word, text_end = word_at(data, at)
                    found = _found(part, word, data, number, at, text_end)
                    at = found[5][2]
                    yield found


def _chunk_data(shard: Shard, number: int) -> bytes:
    name = shard.chunks[number][2]
    data = gzip.decompress((shard.folder / "index" / f"{name}.pf_index").read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"index chunk {name} is not a Pagefind data file")
    return data


def _chunks(shard: Shard, low: str, high: str | None) -> Iterator[tuple[int, bytes, int, int]]:
    """The shard's chunks that hold its words from ``low`` up to ``high``: (the chunk's number,
    its bytes, its count of words, where the first begins)."""
    starts = [first for first, _, _ in shard.chunks]
    # a chunk's words lie from its first word (a prefix Pagefind shortened) to the next one's
    begin = max(bisect.bisect_right(starts, low) - 1, 0)
    end = len(starts) if high is None else bisect.bisect_left(starts, high)
    for number in range(begin, end):
        data = _chunk_data(shard, number)
        major, count, at = head(data, len(MAGIC))
        if major != 4 or count != 1:
            raise ValueError("an index chunk is not the array Pagefind writes")
        major, words, at = head(data, at)
        if major != 4:
            raise ValueError("an index chunk's words are not the array Pagefind writes")
        yield number, data, words, at


class _Grouping:
    """Each group's words in one shard as they are met: digested, and where they lie."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.where: list[tuple[int, int, int]] = []
        self.on = 0

    def add(self, raw: bytes, where: tuple[int, int, int], on: int) -> None:
        self.digest.update(raw)
        self.on |= on
        if self.where and self.where[-1][0] == where[0] and self.where[-1][2] == where[1]:
            self.where[-1] = (where[0], self.where[-1][1], where[2])
        else:
            self.where.append(where)

    def group(self) -> Group:
        return self.digest.digest(), tuple(self.where), self.on


def scan(shard: Shard) -> dict[str, Group]:
    """Each group's words (:func:`group_of`) in ``shard``, as the merge notes them
    (:func:`_merged_words`): what tells a merge which groups it can take from the one before."""
    found: dict[str, _Grouping] = {}
    for number, data, count, first in _chunks(shard, "", None):
        at = first
        for _ in range(count):
            word, text_end = word_at(data, at)
            *_, raw, where, on = _found(shard, word, data, number, at, text_end)
            found.setdefault(group_of(word), _Grouping()).add(raw, where, on)
            at = where[2]
    return {group: grouping.group() for group, grouping in found.items()}


def _pages(part: Shard, data: bytes, at: int) -> tuple[list[tuple[int, bytes]], int, int, int]:
    """A word's pages in one shard: (merged page number, the entry after its number) each, its
    weight in Pagefind's chunk size, where the pages end, and the pages (a bit each by their
    number in the shard, those left out too)."""
    major, count, at = head(data, at)
    if major != 4:
        raise ValueError("a word's pages are not an array")
    renumber = part.fields != list(range(len(part.fields)))
    places = part.places
    found = []
    weight = 0
    page = 0
    on = 0
    for _ in range(count):
        delta, rest_at, meta_at, positions = page_entry(data, at)
        if data[meta_at] == 0x80:  # no metadata positions, nearly always
            at = meta_at + 1
            rest = data[rest_at:at]
            meta_weight = 0
        else:
            meta_locs, at = _decode(data, meta_at)
            meta_weight = len(meta_locs)
            if renumber:
                meta_locs = _renumbered(meta_locs, part.fields)
            rest = data[rest_at:meta_at] + _encode(meta_locs)
        page += delta
        on |= 1 << page
        place = places[page]
        if place < 0:  # a page left out of this shard's bundle (``merge``: indexed again)
            continue
        weight += positions + 1 + meta_weight
        found.append((place, rest))
    return found, weight, at, on


def _renumbered(meta_locs: list[int], fields: list[int]) -> list[int]:
    """Metadata positions with their field marks (``-1 - field``) in the merged numbering."""
    return [-1 - fields[-1 - value] if value < 0 else value for value in meta_locs]


def _encoded_pages(pages: list[tuple[int, bytes]]) -> bytes:
    """A word's pages, sorted, their numbers delta-encoded as Pagefind writes them."""
    pages.sort(key=lambda page: page[0])
    return _encoded_head(4, len(pages)) + wordsplice.encoded(pages)[0]


def _variants(found: list[tuple[Shard, Any]]) -> bytes:
    """The merged ``additional_variants`` (other diacritics of the word), by form (Pagefind lists
    them in the order it met them; the search reads them in any order)."""
    forms: dict[str, list[tuple[int, bytes]]] = {}
    for part, variants in found:
        for form, pages in variants:
            page = 0
            for delta, locs, meta_locs in pages:
                page += delta
                if part.places[page] < 0:  # left out
                    continue
                rest = _encode(locs) + _encode(_renumbered(meta_locs, part.fields))
                forms.setdefault(form, []).append((part.places[page], rest))
    order = sorted(forms)
    return _encoded_head(4, len(order)) + b"".join(
        _encoded_head(4, 2) + _encode(form) + _encoded_pages(forms[form]) for form in order
    )


Digested = dict[tuple[int, str], _Grouping]  # (shard's number, group) → its words met so far


def _merged_words(
    shards: list[Shard], streams: list[Iterator[Found]], digested: Digested
) -> Iterator[wordsplice.Word]:
    """Every word of every shard's stream once, in order: (word, its entry as Pagefind writes
    it, its weight in Pagefind's chunk size, its record for a splice); each shard's words noted by group into
    ``digested``, as :func:`scan` notes them."""
    numbered = [zip(itertools.repeat(n), stream) for n, stream in enumerate(streams)]
    merged = heapq.merge(*numbered, key=lambda found: found[1][0])
    for word, group in itertools.groupby(merged, key=lambda found: found[1][0]):
        pages: list[tuple[int, bytes]] = []
        weight = 0
        variants = []
        words_group = group_of(word)
        for number, (_, found, found_weight, found_variants, raw, where, on) in group:
            pages += found
            weight += found_weight
            if found_variants is not None:
                variants.append((shards[number], found_variants))
            grouping = digested.get((number, words_group))
            if grouping is None:
                grouping = digested[number, words_group] = _Grouping()
            grouping.add(raw, where, on)
        if not pages and not variants:  # on pages left out only
            continue
        entry = _encoded_head(4, 3) + _encode(word)
        if variants:
            yield word, entry + _encoded_pages(pages) + _variants(variants), weight, None
            continue
        pages.sort(key=lambda page: page[0])
        written, marks = wordsplice.encoded(pages)
        entry += _encoded_head(4, len(pages)) + written + b"\x80"  # no other diacritics
        yield word, entry, weight, (weight, len(written), marks)


def group_of(word: str) -> str:
    """The words a chunk is never cut across nor shares with others (:func:`_cut_before`): those
    that begin with the same Chinese character, or else with the same two characters."""
    return word[0] if _HAN_CHARACTER.match(word) else word[:2]


def _cut_before(previous: str, word: str) -> bool:
    """Whether a chunk ends between two neighbouring words: at a new Chinese character, or where
    the first two characters of other words change (42 | 420 | 4200 stay together)."""
    return group_of(word) != group_of(previous)


# first word, last word, content's SHA-256, the file's bytes — or the path of the bundle before's
# file that holds them (:func:`_from_before`), to be linked rather than read and written again
Chunk = tuple[str, str, bytes, bytes | Path]
ChunkRef = tuple[str, str, bytes]  # a chunk without its bytes: first word, last word, SHA-256
# a chunk file as the merge that wrote it left it: its name, device, inode, size, modification
ChunkFile = tuple[str, int, int, int, int]


class Lent(NamedTuple):
    """The bundle before, which lends its chunks: its index folder (made by the same code), the
    language, and the chunk files the merge that made it wrote, by their content's SHA-256, as
    it left them (:attr:`Words.files`)."""

    folder: Path
    language: str
    files: Mapping[bytes, ChunkFile] = {}


Before = Lent | None
Records = tuple[wordsplice.Record | None, ...]  # a chunk's words' records, in order
# where a merged page comes from: its bundle's meta file's SHA-256, its number there
Source = tuple[bytes, int]
SPLICE_AT_MOST = 256  # pages changed since the merge before, at most, for its groups to be spliced


@dataclass(frozen=True)
class Merged:
    """A merge of one language, as the next one splices its groups (``wordsplice.py``): its
    pages and metadata fields (:func:`numbering`), where each page came from, each group's
    chunks."""

    numbering: bytes
    sources: tuple[Source, ...]
    chunks: Mapping[str, tuple[ChunkRef, ...]] = field(default_factory=dict)
    # the records of each chunk's words, by the chunk's SHA-256 (``wordsplice.Record``)
    records: Mapping[bytes, Records] = field(default_factory=dict)


def numbering(urls: Sequence[str], fields: Sequence[str]) -> bytes:
    """The merged pages' URLs in their order and the metadata fields, digested."""
    return hashlib.sha256(repr((list(urls), list(fields))).encode()).digest()


@dataclass
class Words:
    """What lets a merge take whole groups of words (:func:`group_of`) from the bundle before.

    A group's chunks are a function of what each shard holding the group holds of it (its
    entries' bytes, :func:`scan`) and of where that shard's pages and fields go in the merged
    numbering: :func:`_group_key` digests exactly that. A merge notes each group's chunks under
    its key (``now``); the next one takes a group whose key it finds in ``before`` from the
    bundle it replaces — each chunk checked to hold that content — without reading a word of
    it. An edit changes the groups of the edited pages' words in their shard; the rest is taken."""

    before: Mapping[bytes, list[ChunkRef]] = field(default_factory=dict)
    # each shard's groups (:func:`scan`), by its folder and the language
    groups: dict[tuple[Path, str], dict[str, Group]] = field(default_factory=dict)
    now: dict[bytes, list[ChunkRef]] = field(default_factory=dict)
    # each shard's pages in its own order, (URL, Pagefind's hash of its fragment) each, by its
    # folder and the language: a shard's bundle does not change, so its 1,000 fragments need
    # not be read again every merge (``merge._fragments``)
    pages: dict[tuple[Path, str], list[tuple[str, str]]] = field(default_factory=dict)
    # the groups on pages left out whose chunks are those of merging with none left out, by
    # language and group: the key of that merge (:class:`Taken`)
    unleft: dict[tuple[str, str], bytes] = field(default_factory=dict)
    # the merge before, by language (kept with the cache), and this one's
    last: Mapping[str, Merged] = field(default_factory=dict)
    made: dict[str, Merged] = field(default_factory=dict)
    # the pages whose entries may differ from the merge before's, by language: only where the
    # rest are the same pages from the same bundles (:meth:`numbered`)
    changed: dict[str, frozenset[int]] = field(default_factory=dict)
    # the chunk files the merge before wrote, by their content's SHA-256, as it left them in its
    # bundle (:data:`ChunkFile`: a chunk whose file is still so is linked, :func:`_from_before`),
    # and those this merge wrote
    files: Mapping[bytes, ChunkFile] = field(default_factory=dict)
    written: dict[bytes, ChunkFile] = field(default_factory=dict)

    def numbered(self, language: str, digest: bytes, sources: Sequence[Source]) -> None:
        """This merge's pages (:func:`numbering`) and where each comes from: noted, and which
        pages changed since the merge before, if its groups can be spliced."""
        self.made[language] = Merged(digest, tuple(sources))
        last = self.last.get(language)
        self.changed.pop(language, None)
        if last is None or last.numbering != digest or len(last.sources) != len(sources):
            return
        changed = frozenset(
            page
            for page, (was, now) in enumerate(zip(last.sources, sources, strict=True))
            if was != now
        )
        if len(changed) <= SPLICE_AT_MOST:
            self.changed[language] = changed

    def taken(self, shards: list[Shard], language: str) -> Taken:
        """The groups whose chunks ``before`` has; each shard's groups known after it (a shard
        not seen before is scanned, as it only can be when something is taken)."""
        for shard in shards:
            shard.groups = (
                shard.groups
                if shard.groups is not None
                else self.groups.get((shard.folder, language))
            )
        if not self.before:
            return Taken()
        for shard in shards:
            if shard.groups is None:
                shard.groups = scan(shard)
        placed = _placed(shards)
        taken = Taken(before=self.before, placed=placed)
        last = self.last.get(language)
        if last is not None:
            taken.records = last.records
        if language in self.changed and last is not None:
            taken.changed = self.changed[language]
            taken.last = last.chunks
        for group in sorted({g for shard in shards for g in shard.groups or ()}):
            refs = self.before.get(_group_key(group, shards, placed))
            if refs is not None:
                taken.refs[group] = refs
            elif any(
                (shard.groups or {})[group][2] & shard.left
                for shard in shards
                if group in (shard.groups or {})
            ):
                taken.unsure.add(group)
        return taken

    def merged(
        self,
        shards: list[Shard],
        language: str,
        chunks: list[Chunk],
        digested: dict[tuple[int, str], Group],
        records: Mapping[bytes, Records] | None = None,
    ) -> None:
        """Note what this merge made: every shard's groups, each group's chunks by its key
        (and by :attr:`unleft`'s), and the keys ``before`` had of chunks it still has — a key
        gives the same chunks in any build, so they stay true as long as the chunks are here
        (up to :data:`ALIASES` each: the key of an unedited shard stays found while its pages
        are edited one after another)."""
        for number, shard in enumerate(shards):
            if shard.groups is None:  # every group of it was merged: all are in ``digested``
                shard.groups = {g: d for (n, g), d in digested.items() if n == number}
            self.groups[shard.folder, language] = shard.groups
        placed = _placed(shards)
        by_group: dict[str, list[ChunkRef]] = {}
        for first, last, digest, _ in chunks:
            by_group.setdefault(group_of(first), []).append((first, last, digest))
        aliases: dict[tuple[ChunkRef, ...], list[bytes]] = {}
        for key, refs in self.before.items():
            aliases.setdefault(tuple(refs), []).append(key)
        if language in self.made:
            found = records or {}
            self.made[language] = dataclasses.replace(
                self.made[language],
                chunks={g: tuple(refs) for g, refs in by_group.items()},
                records={digest: found[digest] for *_, digest, _ in chunks if digest in found},
            )
        for group, refs in by_group.items():
            keys = [_group_key(group, shards, placed)]
            if (language, group) in self.unleft:
                keys.append(self.unleft[language, group])
            keys += aliases.get(tuple(refs), [])
            for key in list(dict.fromkeys(keys))[:ALIASES]:
                self.now[key] = refs


@dataclass
class Taken:
    """What a merge takes from the bundle before (:meth:`Words.taken`): the groups whose key it
    has, and those on pages left out whose key it has not — which :meth:`_Unleft.key` may
    find by the key of merging them with none left out (the first edit of a page leaves it out
    of its shard, yet most groups of its words are as they were), in the worker merging them."""

    refs: dict[str, list[ChunkRef]] = field(default_factory=dict)
    unsure: set[str] = field(default_factory=set)
    before: Mapping[bytes, list[ChunkRef]] = field(default_factory=dict)
    placed: list[bytes] = field(default_factory=list)
    # the pages changed since the merge before, and its groups' chunks: the groups to splice
    # (``wordsplice.py``); None: none
    changed: frozenset[int] | None = None
    last: Mapping[str, tuple[ChunkRef, ...]] = field(default_factory=dict)
    records: Mapping[bytes, Records] = field(default_factory=dict)  # the chunks' words', before


def _placed(shards: list[Shard]) -> list[bytes]:
    """Where each shard's pages and fields go in the merged numbering, digested."""
    return [
        hashlib.sha256(
            repr((s.places if s.restored is None else s.restored, s.fields)).encode()
        ).digest()
        for s in shards
    ]


def _group_key(
    group: str, shards: list[Shard], placed: list[bytes], *, unleft: frozenset[int] | None = None
) -> bytes:
    """All that ``group``'s chunks are made from (:class:`Words`); with ``unleft``, of merging
    with no page left out and without the shards of those numbers (:meth:`_Unleft.key`)."""
    digest = hashlib.sha256(f"{CHUNK_SIZE}\0{group}\0".encode())
    for number, (shard, where) in enumerate(zip(shards, placed, strict=True)):
        found = (shard.groups or {}).get(group)
        if found is None or (unleft is not None and number in unleft):
            continue
        digest.update(found[0] + where)
        left_out = found[2] & shard.left
        if left_out and unleft is None:  # its pages left out: merged without them
            digest.update(b"left out %d;" % left_out)
    return digest.digest()


class _Unleft:
    """Whether a group on pages left out is merged as with none left out (:meth:`key`)."""

    def __init__(self, shards: list[Shard], placed: list[bytes]) -> None:
        self.shards, self.placed = shards, placed
        self.readers = [_Reader(shard) for shard in shards]
        # the pages left out of each shard, by their number in it
        self.left = [
            [p for p, at in enumerate(s.places) if at < 0] if s.left else [] for s in shards
        ]
        # where each merged page is: (its shard's number, its number in that shard)
        self.holders = {
            place: (number, page)
            for number, shard in enumerate(shards)
            for page, place in enumerate(shard.places)
            if place >= 0
        }

    def key(self, group: str) -> bytes | None:
        """The key of ``group`` as merged with no page left out (:func:`_group_key`), when that
        merge gives its chunks: every page left out that is on it is on it, with the very same
        entries, in the shards holding the pages indexed again (whose pages on it are all such
        pages; they are then not merged for it); else None. Reads the group's words in the
        shards that left pages out, and in those."""
        before: list[tuple[str, int, bytes]] = []
        again: dict[int, list[int]] = {}  # the pages left out on it, by the shard now holding them
        for number, shard in enumerate(self.shards):
            found = (shard.groups or {}).get(group)
            if found is None or shard.restored is None:
                continue
            wanted = {shard.restored[page] for page in self.left[number] if found[2] >> page & 1}
            if not wanted:
                continue
            if not wanted <= self.holders.keys():  # a page gone
                return None
            for place in wanted:
                holder, page = self.holders[place]
                again.setdefault(holder, []).append(page)
            whole = dataclasses.replace(shard, places=shard.restored, left=0, restored=None)
            if not self._entries(number, group, before, whole, wanted):
                return None
        now: list[tuple[str, int, bytes]] = []
        for number, held in again.items():
            shard = self.shards[number]
            on = (
                (shard.groups or {})[group][2] & ~shard.left if group in (shard.groups or {}) else 0
            )
            # on it now, and holding no other page of it
            if not all(on >> page & 1 for page in held) or on.bit_count() != len(held):
                return None
            if not self._entries(number, group, now, shard, None):
                return None
        if sorted(before) != sorted(now):
            return None
        return _group_key(group, self.shards, self.placed, unleft=frozenset(again))

    def _entries(
        self,
        number: int,
        group: str,
        into: list[tuple[str, int, bytes]],
        shard: Shard,
        places: set[int] | None,
    ) -> bool:
        """Add the entries (word, merged place, entry) of ``group`` in the shard ``number`` read
        as ``shard`` places its pages (those at ``places`` only, if given) to ``into``; False
        if a word has other diacritics (read in full, merged: rare)."""
        for word, pages, _, variants, *_ in self.readers[number].words([group], shard):
            if variants is not None:
                return False
            into += [(word, at, rest) for at, rest in pages if places is None or at in places]
        return True


def _from_before(digest: bytes, before: Before) -> bytes | Path | None:
    """The file of the chunk whose content's SHA-256 is ``digest`` in the bundle ``before``: its
    path when it is as the merge that wrote it left it (:func:`_written_as`: the same inode,
    size and modification time, so the same bytes, as a page is taken over), else its bytes if
    it is named as :func:`write_chunks` names it and holds exactly that content once
    decompressed; or None. Reading, decompressing and hashing some 400 chunks (10 MB) to be
    written again was most of an edit's merge at 10,000 items; the path is linked instead."""
    if before is None:
        return None
    noted = before.files.get(digest)
    if noted is not None:
        path = before.folder / noted[0]
        with contextlib.suppress(OSError):
            if _written_as(path) == noted:
                return path
    found = _before_chunk(digest, before)
    return found[0] if found is not None else None


def _written_as(path: Path) -> ChunkFile:
    found = os.lstat(path)
    return (path.name, found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def _before_chunk(digest: bytes, before: Before) -> tuple[bytes, bytes] | None:
    """The file of the chunk whose content's SHA-256 is ``digest`` in the bundle ``before``,
    named as :func:`write_chunks` names it, and its content — checked to be that content."""
    if before is None:
        return None
    try:
        found = (before.folder / f"{before.language}_{digest.hex()[:7]}.pf_index").read_bytes()
        content = gzip.decompress(found)
        if hashlib.sha256(content).digest() == digest:
            return found, content
    except (OSError, EOFError, zlib.error):
        pass  # not there, or not a chunk
    return None


class _Splicer:
    """The groups of the merge before with the entries of the pages changed since replaced
    (``wordsplice.py``): its chunks read from the bundle ``before``, the new entries from the
    shards that hold those pages now."""

    def __init__(self, shards: list[Shard], readers: list[_Reader], taken: Taken) -> None:
        self.shards, self.readers = shards, readers
        self.changed = taken.changed or frozenset()
        self.last, self.records = taken.last, taken.records
        self.holders = [
            number
            for number, shard in enumerate(shards)
            if not self.changed.isdisjoint(shard.places)
        ]

    def words(self, group: str, before: Before) -> list[wordsplice.Word] | None:
        """The words of ``group`` spliced, or None where they cannot be: a chunk of it missing
        from ``before``, a word with other diacritics."""
        chunks: list[tuple[bytes, Records | None]] = []
        for *_, digest in self.last.get(group, ()):
            found = _before_chunk(digest, before)
            if found is None:
                return None
            chunks.append((found[1], self.records.get(digest)))
        new: dict[str, list[wordsplice.Posting]] = {}
        for number in self.holders:
            if group not in (self.shards[number].groups or {}):
                continue
            for word, pages, _, variants, *_ in self.readers[number].words([group]):
                if variants is not None:
                    return None
                mine = [(place, rest) for place, rest in pages if place in self.changed]
                if mine:
                    new.setdefault(word, []).extend(mine)
        for postings in new.values():
            postings.sort(key=lambda posting: posting[0])
        try:
            return wordsplice.spliced(chunks, new, self.changed)
        except wordsplice.Unspliced:
            return None


def _compressed(data: bytes, digest: bytes, before: Before) -> bytes | Path:
    """``data`` (whose SHA-256 is ``digest``) compressed: the file of the same chunk in the
    bundle ``before`` when it has one (:func:`_from_before`), else compressed here. ``before``
    was made by the same code and packages (``indexing.Shards.compressed_before``), so its bytes
    are what compressing ``data`` again gives; compressing is 2.5 s of CPU at 10,000 items,
    reading a chunk back a tenth of that, and an edit changes few chunks."""
    found = _from_before(digest, before)
    return found if found is not None else gzip_bytes(data, CHUNK_LEVEL)


# the chunks, the groups noted, the groups found by the key of merging with none left out, the
# records of the chunks' words
Cut = tuple[list[Chunk], dict[tuple[int, str], Group], dict[str, bytes], dict[bytes, Records]]


def _cut(
    shards: list[Shard],
    low: str,
    high: str | None,
    before: Before = None,
    taken: Taken | None = None,
) -> Cut:
    """The merged words from ``low`` up to ``high``, cut into chunks and compressed; with
    ``taken`` (every shard's groups then known), those groups from the bundle ``before`` and
    the words of the others only read (a group whose chunk ``before`` lacks is merged). Every
    group begins a chunk, so the chunks are those of merging every word."""
    digested: Digested = {}
    unleft: dict[str, bytes] = {}  # the groups found by the key of merging with none left out
    records: dict[bytes, Records] = {}
    if taken is None or not (taken.refs or taken.unsure or taken.changed is not None):
        streams = [_words(shard, low, high) for shard in shards]
        chunks = _cut_words(_merged_words(shards, streams, digested), before, records)
    else:
        readers = [_Reader(shard) for shard in shards]
        chunks = []
        run: list[str] = []  # groups to merge, in order
        unsure: _Unleft | None = None
        splicer = _Splicer(shards, readers, taken) if taken.changed is not None else None

        def merge_run() -> None:
            streams = [reader.words(run) for reader in readers]
            chunks.extend(_cut_words(_merged_words(shards, streams, digested), before, records))
            run.clear()

        inside = {
            g for s in shards for g in s.groups or () if g >= low and (high is None or g < high)
        }
        for group in sorted(inside):
            refs = taken.refs.get(group, [])
            if group in taken.unsure and splicer is None:  # a splice reads less
                unsure = unsure or _Unleft(shards, taken.placed)
                key = unsure.key(group)
                if key is not None:
                    unleft[group] = key
                    refs = taken.before.get(key, [])
            found = [(*ref, _from_before(ref[2], before)) for ref in refs]
            if not found or any(data is None for *_, data in found):
                words = splicer.words(group, before) if splicer is not None else None
                if words is None:
                    run.append(group)
                    continue
                merge_run()
                chunks += _cut_words(iter(words), before, records)
                continue
            merge_run()
            chunks += [(first, last, digest, data) for first, last, digest, data in found if data]
            records.update((d, taken.records[d]) for *_, d, _ in found if d in taken.records)
        merge_run()
    groups = {key: grouping.group() for key, grouping in digested.items()}
    return chunks, groups, unleft, records


def _cut_words(
    merged: Iterator[wordsplice.Word], before: Before, records: dict[bytes, Records]
) -> list[Chunk]:
    """Merged words cut into chunks by the rule (:func:`_cut_before`, :data:`CHUNK_SIZE`); the
    records of each chunk's words put in ``records``."""
    chunks: list[Chunk] = []
    words: list[tuple[str, bytes, wordsplice.Record | None]] = []
    size = 0

    def close() -> None:
        data = MAGIC + _encoded_head(4, 1) + _encoded_head(4, len(words))
        data += b"".join(entry for _, entry, _ in words)
        digest = hashlib.sha256(data).digest()
        chunks.append((words[0][0], words[-1][0], digest, _compressed(data, digest, before)))
        records[digest] = tuple(record for *_, record in words)
        words.clear()

    for word, entry, weight, record in merged:
        if words and (size >= CHUNK_SIZE or _cut_before(words[-1][0], word)):
            close()
            size = 0
        words.append((word, entry, record))
        size += weight
    if words:
        close()
    return chunks


# a group an edit's merge takes from the bundle before weighs as much as merging and compressing
# this many bytes of entries (reading its chunk back: about 20 µs, libdeflate's level 10 at
# some 6 MB/s) — what :func:`_splits` balances the workers by
TAKEN_WEIGHT = 128


def _splits(shards: list[Shard], count: int, taken: Taken | None = None) -> list[str]:
    """Up to ``count - 1`` Chinese characters that split the words into ranges of about equal
    work: a chunk always begins at each. A merge that takes groups from the bundle before (an
    edit's, ``taken``) weighs each group by what its worker does with it — the bytes of its
    entries where it is merged (or spliced) and compressed, :data:`TAKEN_WEIGHT` where it is
    taken: by the sizes of the shards' chunk files, the work of an edit (the groups of one
    page's words) fell unevenly, one worker's range taking up to 1.5 times the other's; any
    other merge, by those sizes."""
    weights: dict[str, int] = {}
    if taken is not None and (taken.refs or taken.unsure or taken.changed is not None):
        for shard in shards:
            for group, (_, where, _) in (shard.groups or {}).items():
                work = (
                    TAKEN_WEIGHT
                    if group in taken.refs
                    else sum(end - start for _, start, end in where)
                )
                weights[group] = weights.get(group, 0) + work
    else:
        for shard in shards:
            for first, _, name in shard.chunks:
                if _HAN_CHARACTER.match(first):
                    size = (shard.folder / "index" / f"{name}.pf_index").stat().st_size
                    weights[first[0]] = weights.get(first[0], 0) + size
    total = sum(weights.values())
    splits: list[str] = []
    running = 0
    for key in sorted(weights):
        if (
            len(splits) < count - 1
            and running >= total * (len(splits) + 1) / count
            and _HAN_CHARACTER.match(key)
        ):
            splits.append(key[0])
        running += weights[key]
    return splits


def write_chunks(
    shards: list[Shard],
    bundle: Path,
    language: str,
    before: Path | None = None,
    meanwhile: Sequence[Callable[[], None]] = (),
    words: Words | None = None,
) -> list[list[str]]:
    """Every word of the shards merged, cut and written to ``bundle/index``, on every core when
    there are many pages (the parent runs ``meanwhile`` while the workers merge); the meta
    file's chunk list
    ``[[first word, last word, name], …]``. A chunk is named by a hash of its content, seven
    hex digits (more on a clash). ``before``: the index folder of a bundle made by the same
    code, whose chunks are taken rather than compressed again (:func:`_compressed`), and with
    ``words``, whose groups of words are taken whole where nothing they are made of changed
    (:class:`Words`, which then notes this merge's)."""
    lend: Before = (
        Lent(before, language, words.files if words is not None else {})
        if before is not None
        else None
    )
    taken = words.taken(shards, language) if words is not None and lend is not None else None
    count = workers.jobs()
    pages = sum(len(shard.places) for shard in shards)
    splits = _splits(shards, count, taken) if count > 1 and pages >= workers.SERIAL_BELOW else []
    bounds = list(zip(["", *splits], [*splits, None], strict=True))
    if len(bounds) == 1:
        cuts = [_cut(shards, "", None, lend, taken)]
        for step in meanwhile:
            step()
    else:
        shares = workers.mapped(functools.partial(_share, shards, bounds, lend, taken), meanwhile)
        cuts = [([], {}, {}, {}) for _ in bounds]
        for worker, cut in enumerate(shares):
            for number, found in zip(range(worker, len(bounds), len(shares)), cut, strict=True):
                cuts[number] = found
    chunks = [chunk for found, *_ in cuts for chunk in found]
    if words is not None:
        for _, _, unleft, _ in cuts:
            words.unleft.update(((language, group), key) for group, key in unleft.items())
        digested = {k: d for _, found, _, _ in cuts for k, d in found.items()}
        records = {k: r for *_, found in cuts for k, r in found.items()}
        words.merged(shards, language, chunks, digested, records)
    listed = []
    named: dict[str, bytes] = {}
    for first, last, digest, data in chunks:
        full = digest.hex()
        name = f"{language}_{full[:7]}"
        while name in named and named[name] != digest:
            name = f"{language}_{full[: len(name) - len(language)]}"
        named[name] = digest
        target = bundle / "index" / f"{name}.pf_index"
        _write_chunk(target, data)
        if words is not None:
            words.written[digest] = _written_as(target)
        listed.append([first, last, name])
    return listed


def _write_chunk(target: Path, data: bytes | Path) -> None:
    """A chunk file: its bytes written, or the bundle before's file of them linked (read and
    written where it has another name, or the file system makes no links)."""
    if isinstance(data, Path):
        if data.name == target.name:
            try:
                os.link(data, target)
                return
            except OSError:
                pass
        data = data.read_bytes()
    target.write_bytes(data)


def _share(
    shards: list[Shard],
    bounds: list[tuple[str, str | None]],
    before: Before,
    taken: Taken | None,
    worker: int,
    count: int,
) -> list[Cut]:
    return [_cut(shards, low, high, before, taken) for low, high in bounds[worker::count]]
