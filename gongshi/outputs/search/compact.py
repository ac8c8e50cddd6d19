"""Fewer bytes per query: Pagefind's fragments renamed so that its meta file shrinks.

The search page downloads Pagefind's meta file on every query (and one index chunk per distinct
character of it, cut small by ``wordindex.py``). The meta file lists every page by the name of
its fragment file, a hash of its content (``zh-cn_95fb113``): seven random hex digits per page
that gzip cannot shrink, half of the meta file's 64 KB at 10,000 items (``scripts/bench.py``).
Fragments are renamed here in buckets of :data:`BUCKET` neighbours in that list: a bucket's name
is a hash of its fragments' Pagefind names (so of their content), a fragment's is the bucket's
and its place in it (``3fa1c0e00``, ``3fa1c0e01`` …, ``3fa1c0e1f``, then the next bucket's).
Gzip shrinks a run of names with one prefix to a few bytes each: the meta file drops to about
36 KB. A fragment whose page changed gets a new name, so a cached copy is never taken for it; so
do the others of its bucket, and no more — an edit to one page renames 32 fragments, not 10,000
(a deploy uploads what changed: ``manifest.py``). A fragment's name is only ever used to fetch
it (``pagefind.js``: ``fragment/<name>.pf_fragment``); the index and the filters refer to pages
by their position.

The same bundle in gives the same bundle out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .bundle import rewrite_metas

META_PAGES = 1  # position of the [[fragment, words], …] list in a pf_meta file
BUCKET = 32  # fragments named together (a power of 16 times 2: two hex digits for the place)


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


def bucket_names(names: list[str]) -> list[str]:
    """The name of each fragment of the meta file's list, by its Pagefind name (``names``, in
    the list's order): its bucket's name and its place in the bucket."""
    buckets = _bucket_names([[name, 0] for name in names])
    return [f"{buckets[n // BUCKET]}{n % BUCKET:02x}" for n in range(len(names))]


def _rename_fragments(bundle: Path, pages: list[list[Any]]) -> list[list[Any]]:
    fragment = bundle / "fragment"
    names = bucket_names([str(name) for name, _ in pages])
    renamed = []
    for (name, words), new_name in zip(pages, names, strict=True):
        (fragment / f"{name}.pf_fragment").rename(fragment / f"{new_name}.pf_fragment")
        renamed.append([new_name, words])
    return renamed


def compact(bundle: Path) -> None:
    """Rename the fragments of ``bundle`` by bucket and rewrite its meta file (after
    ``bundle.make_deterministic``), or raise :class:`BuildError`."""

    def smaller(language: str, meta: Any) -> None:
        meta[META_PAGES] = _rename_fragments(bundle, meta[META_PAGES])

    rewrite_metas(bundle, smaller, "无法压缩 Pagefind 的索引文件")
