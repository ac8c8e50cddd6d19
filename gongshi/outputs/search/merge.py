"""One search bundle from several Pagefind runs: what one run over all their pages would hold.

Pagefind holds every page's words in memory until it writes the index: 1.4 GiB at 10,000 items,
6.2 GiB at 50,000. So the searchable pages are indexed in shards (``indexing.shards``), one
Pagefind run each, and the shards' bundles are merged here into one bundle holding what one run
over all the pages would, with the pages in one order — sorted by URL:

- **Pages.** Pagefind numbers pages in the order its directory walk met them, the order of the
  file system's directory hash (ext4 seeds it per file system): the same pages could be numbered
  differently on another machine. Here every page gets its place in URL order, whatever shard
  and place it had, so the bundle depends on the pages alone — not on the machine, and not on
  how they were sharded (tested: any partition of the pages gives the same bytes).
- **Words.** Merged, renumbered and cut into small chunks on every core: ``wordindex.py``.
- **Filters, metadata fields, fragments.** Filter values' pages are renumbered and united; the
  metadata field names united (sorted, as Pagefind sorts them) and the field numbers in the
  words' metadata positions renumbered to them; fragments are copied as they are, each named
  from its own content as Pagefind names it.

``make_deterministic`` and ``compact`` then work on the result as on any Pagefind bundle (the
filters and the meta file are written here with a fast compression: both rewrite them) — or,
``finished``, the merge writes what they would make of it at once: each filter under the name
``make_deterministic`` gives it, each fragment linked under the name ``compact`` gives it, the
meta file written once (a build's search bundle: at 10,000 items the two passes read and wrote
the meta file twice more and renamed 10,000 fragments, 0.6 s). The
page sort orders of ``data-pagefind-sort`` cannot be merged (the bundle keeps the order, not
the values) and the theme has none: a shard with one is an error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import BuildError
from .. import replace
from .bundle import MAGIC, _encode, gzip_bytes, pack, read
from .compact import bucket_names
from .wordindex import Shard, Source, Words, numbering, write_chunks

FAST = 1  # gzip level of the files bundle.make_deterministic writes again
_META, _INDEX, _FILTER = "pf_meta", "index", "filter"
FRAGMENTS = "fragment"  # the folder of a file per page (taken back whole: take_fragments)
_ENTRY = "pagefind-entry.json"
_URL = re.compile(rb'\{"url":"((?:[^"\\]|\\.)*)"')


def pagefind_hash(data: bytes) -> str:
    """Pagefind's ``full_hash``: SHA-1, each byte in hex without its leading zero."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


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
    """One shard's bundle: its meta file, what the words need of it, and the URLs of its pages
    to leave out (indexed again in another bundle: ``indexing.index_shards``)."""

    meta: list[Any]
    shard: Shard
    left_out: frozenset[str] = frozenset()
    digest: bytes = b""  # its meta file's SHA-256: what its bundle holds (``wordindex.Source``)


def _fragment(path: Path) -> bytes:
    """A fragment file's content (Pagefind's JSON of the page)."""
    content = gzip.decompress(path.read_bytes())
    if not content.startswith(MAGIC):
        raise ValueError(f"fragment {path.name} is not a Pagefind data file")
    return content[len(MAGIC) :]


def _url(content: bytes) -> str:
    found = _URL.match(content)
    if found is None:
        raise ValueError("a fragment does not begin with its page's URL")
    url: str = json.loads(b'"' + found[1] + b'"')
    return url


# --- pages, fragments, filters ---------------------------------------------------------------


def _fragments(
    parts: list[_Part], language: str, words: Words | None
) -> tuple[list[tuple[Path, str, int]], list[str]]:
    """Every page in URL order, its merged number set in its shard's ``places``: (its fragment
    file, the name Pagefind gives its content, its word count); and their URLs. A shard's pages
    are read from its fragments, or taken from what ``words`` noted of the same bundle."""
    pages = []
    notes = []
    for number, part in enumerate(parts):
        noted = words.pages.get((part.shard.folder, language)) if words is not None else None
        if noted is None or len(noted) != len(part.meta[1]):
            noted = []
            for name, _ in part.meta[1]:
                content = _fragment(part.shard.folder / FRAGMENTS / f"{name}.pf_fragment")
                noted.append((_url(content), pagefind_hash(content)))
            if words is not None:
                words.pages[part.shard.folder, language] = noted
        notes.append(noted)
        for place, ((name, word_count), (url, full)) in enumerate(
            zip(part.meta[1], noted, strict=True)
        ):
            if url in part.left_out:
                part.shard.places[place] = -1
                continue
            path = part.shard.folder / FRAGMENTS / f"{name}.pf_fragment"
            pages.append((url, number, place, path, full, word_count))
        if len(part.left_out) != part.shard.places.count(-1):
            raise ValueError("a page to leave out of a shard is not in it")
    pages.sort(key=lambda page: page[0])
    urls = [page[0] for page in pages]
    if len(set(urls)) != len(urls):
        raise ValueError("a page is in two shards")
    taken: dict[str, str] = {}
    listed = []
    for merged, (_, number, place, path, full, word_count) in enumerate(pages):
        parts[number].shard.places[place] = merged
        listed.append((path, _short_name(language, full, taken), word_count))
    merged_at = {url: merged for merged, url in enumerate(urls)}
    for part, noted in zip(parts, notes, strict=True):
        if part.left_out:  # where its pages left out would be: see ``wordindex.Shard.restored``
            shard = part.shard
            shard.left = sum(1 << place for place, at in enumerate(shard.places) if at < 0)
            shard.restored = [
                at if at >= 0 else merged_at.get(noted[place][0], -1)
                for place, at in enumerate(shard.places)
            ]
    return listed, urls


def _sources(parts: list[_Part], count: int) -> list[Source]:
    """Where each merged page comes from: its bundle (by its meta file's content), its number
    there."""
    sources: list[Source] = [(b"", -1)] * count
    for part in parts:
        for place, at in enumerate(part.shard.places):
            if at >= 0:
                sources[at] = (part.digest, place)
    return sources


def _fields(parts: list[_Part]) -> list[str]:
    """The metadata fields of the pages merged, sorted (as Pagefind sorts them): every shard's,
    but of a shard with pages left out, only those its other pages have (read from their
    fragments when no shard without pages left out has the field)."""
    whole = {field for part in parts if not part.left_out for field in part.meta[5]}
    fields = set(whole)
    for part in parts:
        unsure = set(part.meta[5]) - whole if part.left_out else set()
        if unsure:  # only a field a page left out had may have gone with it
            gone = set().union(*(_meta(part, place) for place in _placed_at(part, left_out=True)))
            fields |= unsure - gone
            unsure &= gone
        for place in _placed_at(part, left_out=False):
            if not unsure:
                break
            had = unsure & _meta(part, place)
            fields |= had
            unsure -= had
    return sorted(fields)


def _placed_at(part: _Part, *, left_out: bool) -> list[int]:
    """The numbers in its shard of the pages left out, or of the others."""
    return [place for place, at in enumerate(part.shard.places) if (at < 0) == left_out]


def _meta(part: _Part, place: int) -> set[str]:
    """The metadata fields of a shard's page, from its fragment."""
    name = part.meta[1][place][0]
    content = _fragment(part.shard.folder / FRAGMENTS / f"{name}.pf_fragment")
    return set(json.loads(content).get("meta", {}))


def _link_fragments(
    pages: list[tuple[Path, str, int]], bundle: Path, linked: set[str], taken: bool
) -> None:
    """The fragment files linked into ``bundle`` under their names (:func:`replace.link`:
    copies where the file system refuses links), each name added to ``linked``. In a folder
    ``taken`` back (:func:`take_fragments`) a name is mostly there: left as it is if it is
    that fragment's file (:func:`_inodes`), else replaced."""
    folder = f"{bundle}/{FRAGMENTS}"
    there = _inodes([Path(folder)]) if taken else {}
    sources = _inodes(sorted({path.parent for path, _, _ in pages})) if taken else {}
    for path, name, _ in pages:
        file = f"{name}.pf_fragment"
        linked.add(file)
        if taken:
            inode = there.get(f"{folder}/{file}")
            if inode is None or inode != sources.get(str(path)):
                replace.link(path, f"{folder}/{file}")
            continue
        try:  # a new folder: linked at once (else as replace.link does: a copy where links fail)
            os.link(path, f"{folder}/{file}")
        except OSError:
            replace.link(path, f"{folder}/{file}")


def _inodes(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """The device and inode of every file in ``folders``, by its path, from their listings
    (``readdir`` gives the inode: 10,000 fragments were two ``lstat`` each, 0.1-0.25 s of an
    edit's merge at 10,000 items); a folder that cannot be listed gives nothing."""
    found: dict[str, tuple[int, int]] = {}
    for folder in folders:
        try:
            device = os.lstat(folder).st_dev
            with os.scandir(folder) as entries:
                for entry in entries:
                    found[entry.path] = (device, entry.inode())
        except OSError:
            continue
    return found


def take_fragments(out: Path, fragments: Path | None) -> bool:
    """Make ``out``'s fragment folder: ``fragments`` (the folder of an earlier bundle of the same
    pages but a few, set apart for this: :mod:`gongshi.publish.spare`) moved there, if given and
    it can be — linking 10,000 fragments again took 0.28 s of a body edit at 10,000 items, and
    removing them as many unlinks more —, else a new folder; whether it was taken."""
    if fragments is not None:
        try:
            fragments.rename(out / FRAGMENTS)
            return True
        except OSError:  # gone, or on another file system: made anew
            pass
    (out / FRAGMENTS).mkdir()
    return False


def _unlinked_but(folder: Path, linked: set[str]) -> None:
    """Remove from a fragment folder taken back every file this merge did not link there: the
    fragments of pages changed or gone since."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in linked:
                os.unlink(entry.path)


def _compacted(pages: list[tuple[Path, str, int]]) -> list[tuple[Path, str, int]]:
    """``pages`` under the names ``compact`` gives their fragments."""
    names = bucket_names([name for _, name, _ in pages])
    return [(path, names[n], words) for n, (path, _, words) in enumerate(pages)]


def _write_filters(
    parts: list[_Part], bundle: Path, language: str, finished: bool
) -> list[list[str]]:
    """Each filter's values with their pages renumbered and united; the meta file's list."""
    values: dict[str, dict[str, set[int]]] = {}
    for part in parts:
        for name, file_hash in part.meta[3]:
            filter_name, filter_values = read(
                part.shard.folder / _FILTER / f"{file_hash}.pf_filter"
            )
            if filter_name != name:
                raise ValueError(f"filter file {file_hash} is not the filter {name}")
            merged = values.setdefault(name, {})
            for value, pages in filter_values:
                places = (part.shard.places[page] for page in pages)
                merged.setdefault(value, set()).update(p for p in places if p >= 0)
    for merged in values.values():  # a value of pages left out only is no value
        for value in [v for v, pages in merged.items() if not pages]:
            del merged[value]
    values = {name: merged for name, merged in values.items() if merged}
    listed = []
    taken: dict[str, str] = {}
    for name in sorted(values):
        value = [name, [[v, sorted(p)] for v, p in sorted(values[name].items())]]
        if finished:  # as ``bundle.make_deterministic`` writes it
            packed, digest = pack(value)
            file_hash = f"{language}_{digest[:7]}"
        else:
            data = _encode(value)
            file_hash = _short_name(language, pagefind_hash(data), taken)
            packed = gzip_bytes(MAGIC + data, FAST)
        (bundle / _FILTER / f"{file_hash}.pf_filter").write_bytes(packed)
        listed.append([name, file_hash])
    return listed


# --- the bundle ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Merge:
    """What :func:`merge` was given, and each bundle's ``pagefind-entry.json``."""

    bundles: list[Path]
    entries: list[Any]
    out: Path
    before: Path | None
    words: Words | None
    leave_out: Mapping[Path, Collection[str]]
    finished: bool
    linked: set[str]  # the fragment files linked so far, of every language
    taken: bool  # the fragment folder is an earlier bundle's (take_fragments)


def _language(given: _Merge, language: str) -> dict[str, Any]:
    """Merge one language of the shards into ``out``; its entry in ``pagefind-entry.json``."""
    bundles, entries, out, before, words = (
        given.bundles, given.entries, given.out, given.before, given.words
    )  # fmt: skip
    parts = []
    for folder, entry in zip(bundles, entries, strict=True):
        info = entry["languages"].get(language)
        if info is None:
            continue
        path = folder / f"pagefind.{info['hash']}.{_META}"
        meta = read(path)
        if meta[4]:
            raise ValueError("页面有 data-pagefind-sort 排序，分片索引无法合并排序")
        shard = Shard(folder, meta[2], [0] * len(meta[1]), [])
        meta_digest = hashlib.sha256(path.read_bytes()).digest()
        parts.append(_Part(meta, shard, frozenset(given.leave_out.get(folder, ())), meta_digest))
    version = parts[0].meta[0]
    if any(part.meta[0] != version for part in parts):
        raise ValueError("shards were indexed by different Pagefind versions")
    pages, urls = _fragments(parts, language, words)
    if given.finished:
        pages = _compacted(pages)
    fields = _fields(parts)
    for part in parts:
        part.shard.fields = [fields.index(f) if f in fields else -1 for f in part.meta[5]]
    if words is not None:
        words.numbered(language, numbering(urls, fields), _sources(parts, len(pages)))
    filters: list[list[str]] = []
    chunks = write_chunks(  # while the words are merged, the parent does the rest
        [part.shard for part in parts],
        out,
        language,
        before / _INDEX if before is not None else None,
        meanwhile=[
            lambda: _link_fragments(pages, out, given.linked, given.taken),
            lambda: filters.extend(_write_filters(parts, out, language, given.finished)),
        ],
        words=words,
    )
    meta = [version, [[name, words] for _, name, words in pages], chunks, filters, [], fields]
    if given.finished:  # as ``bundle.rewrite_metas`` writes it
        packed, digest = pack(meta)
        name = f"{language}_{digest[:13]}"
    else:
        data = _encode(meta)
        name = f"{language}_{pagefind_hash(data)[: len(language) + 8]}"
        packed = gzip_bytes(MAGIC + data, FAST)
    (out / f"pagefind.{name}.{_META}").write_bytes(packed)
    info = dict(next(e["languages"][language] for e in entries if language in e["languages"]))
    info.update(hash=name, page_count=len(pages))
    return info


def merge(  # noqa: PLR0913 (the shards, where, and what three kinds of earlier bundle lend)
    bundles: list[Path],
    out: Path,
    before: Path | None = None,
    words: Words | None = None,
    leave_out: Mapping[Path, Collection[str]] | None = None,
    *,
    finished: bool = False,
    fragments: Path | None = None,
) -> None:
    """Write to ``out`` (a new folder) the bundle of all pages of the Pagefind ``bundles``, in
    URL order (see the module's text), or raise :class:`BuildError`; ``before``, a bundle made
    by the same code, lends the index chunks it has, and with ``words`` whole groups of words
    (``wordindex.write_chunks``). ``leave_out``: the URLs of pages of a bundle (by its folder)
    not to merge — a shard's kept bundle less the pages indexed again in another bundle;
    ``finished``: written as ``make_deterministic`` and ``compact`` would leave it;
    ``fragments``: an earlier bundle's fragment folder to take as this one's, only what differs
    changed in it (:func:`take_fragments`)."""
    try:
        entries = [json.loads((b / _ENTRY).read_text(encoding="utf-8")) for b in bundles]
        if len({json.dumps(e["include_characters"]) for e in entries}) != 1:
            raise ValueError("shards were indexed with different settings")
        for folder in (out / _INDEX, out / _FILTER):
            folder.mkdir(parents=True)
        taken = take_fragments(out, fragments)
        linked: set[str] = set()
        for bundle in bundles:  # Pagefind's scripts, styles and WebAssembly: the same in each
            for path in sorted(bundle.iterdir()):
                if path.is_file() and path.name != _ENTRY and not path.name.endswith(_META):
                    if not (out / path.name).exists():
                        shutil.copyfile(path, out / path.name)
        languages = sorted({language for e in entries for language in e["languages"]})
        entry = dict(entries[0])
        entry["languages"] = {
            language: _language(
                _Merge(
                    bundles, entries, out, before, words, leave_out or {}, finished, linked, taken
                ),
                language,
            )
            for language in languages
        }
        if taken:
            _unlinked_but(out / FRAGMENTS, linked)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BuildError(f"无法合并分片的搜索索引（Pagefind 版本不符？）：{exc}") from exc
    (out / _ENTRY).write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
