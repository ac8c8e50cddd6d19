"""Full-text search: Pagefind's extended build indexes the item pages of a finished build.

Runs after every other writer (on Pelican's ``finalized`` signal), over the pages the plan marks
``searchable`` in the folder just written (the staging folder of ``gongshi build``): a failed
indexing fails the build and the previous output stays. Only the extended binary segments Chinese, so it is called by name, never a plain
``pagefind`` found on the PATH.

Chinese is indexed one character per word. Pagefind segments a page with jieba when it indexes
it, but a query with the browser's ``Intl.Segmenter`` (ICU), and the two disagree: jieba keeps
盲文 as one word, ICU splits the query into 盲 and 文, and as every query word must begin a word
of the page, 盲文 found nothing. So Pagefind reads a copy of each item page with a zero-width
space between adjacent Chinese characters (text only; the pages served are untouched), and the
search page splits queries the same way (``themes/gongshi/static/js/search.js``): any run of
characters that is in a page is found, as with Ctrl+F, and the ranking favours pages that use
the characters most. The excerpts keep their text (the zero-width spaces are removed for show).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from pagefind_bin_extended import get_executable

from ...errors import BuildError
from ...site import urls
from ...site.build import Build
from .. import parallel
from . import synonyms
from .merge import merge
from .wordindex import Words

SEPARATOR = "\u200b"  # zero-width space: a word boundary to Pagefind, invisible in excerpts
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")
# text between two tags with two Chinese characters side by side; attributes are never touched
_TEXT = re.compile(f">[^<]*[{HAN}]{{2}}[^<]*<")
# pages a Pagefind run indexes at most: it holds them all in memory (about 1.4 GiB for 10,000);
# an edit re-runs its shard, so smaller shards answer an edit sooner (1,000 against 2,000 at
# 10,000 items: the edit's search 5.3-5.6 s against 7.0-7.8 s, a cold build's the same within
# the machine's noise, Pagefind's peak 263 MiB against 322; docs/architecture.md)
SHARD_PAGES = 1000


def searchable(build: Build) -> list[str]:
    """The pages search covers (``Page.searchable``: one per published item, not lists, notices
    or place pages), as paths below the output folder, sorted."""
    return sorted(page.save_as for page in build.pages if page.searchable)


def for_indexing(html: str) -> str:
    """``html`` with every Chinese character of its text a word of its own, and the body of the
    page last (:func:`bodies_last`)."""
    return _TEXT.sub(lambda text: _HAN_RUN.sub(_spaced, text[0]), bodies_last(html))


# where the indexed copy moves a body from, and where it puts it (U+2063 INVISIBLE SEPARATOR):
# no word to Pagefind, kept in a fragment's text, where the search page puts each body back
# (``search.js``, ``pageText``)
BODY_MARK = "\u2063"
_INDEXED = re.compile(r"<article\b[^>]*\bdata-pagefind-body\b[^>]*>")
_BODY = re.compile(r'<section class="body[ "].*?</section>', re.S)  # a body has no section tag


def bodies_last(html: str) -> str:
    """``html`` with the body sections of its indexed article (the theme's ``section.body``)
    moved to the article's end, a :data:`BODY_MARK` where each was and before each. Pagefind
    numbers a page's words in order, and a chunk of the word index holds each page's positions
    of its words: a line added at the end of a body moved every word after it — 相关案例, 发布于,
    the date, 标签 … on every page, whose chunks are the largest — and an edit compressed 31
    chunks again where the words it added had 8. Now an edit of a body moves the words of the
    bodies after it only; the search page reads a fragment's text in the page's order again.
    A page without such an article or body section is left as it is; a mark in the page's
    own text is left out of the copy (invisible, and no word either way)."""
    found = _INDEXED.search(html)
    end = html.find("</article>", found.end()) if found is not None else -1
    if found is None or end < 0:
        return html
    inside = html[found.end() : end].replace(BODY_MARK, "")  # an editor's own: not a mark
    bodies = _BODY.findall(inside)
    if not bodies:
        return html
    rest = _BODY.sub(BODY_MARK, inside)
    moved = "".join(BODY_MARK + body for body in bodies)
    return f"{html[: found.end()]}{rest}{moved}{html[end:]}"


# an inline element Pagefind leaves out (data-pagefind-ignore) holding text and at most one level
# of inner spans: the theme's day counts (已逾期<span data-pagefind-ignore> <span>15</span> 天</span>)
_IGNORED_SPAN = re.compile(
    r"<span data-pagefind-ignore>(?:[^<]+|<span\b[^>]*>[^<]*</span>)*</span>"
)


def without_ignored(html: str) -> str:
    """``html`` without the inline elements Pagefind ignores (others are kept: this can only err
    towards indexing again). Two pages equal after it give Pagefind the same words: the search
    cache (``publish/cache.search_key``) keys on it, so a day count that moved re-runs nothing."""
    return _IGNORED_SPAN.sub("", html)


def _spaced(run: re.Match[str]) -> str:
    return SEPARATOR.join(run[0])


def shard_size() -> int:
    """:data:`SHARD_PAGES`, or ``GONGSHI_SEARCH_SHARD`` when set (the bundle is the same whatever
    the size: ``merge.py``; the tests shard small sites with it)."""
    wanted = os.environ.get("GONGSHI_SEARCH_SHARD", "")
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else SHARD_PAGES


def shards(pages: list[str], size: int) -> list[list[str]]:
    """``pages`` in shards of about ``size`` at most, each page's shard chosen by a hash of its
    path: adding, changing or removing a page changes its shard only (until the count of shards
    changes, every ``size`` pages)."""
    count = -(-len(pages) // size)
    if count <= 1:
        return [pages]
    found: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        found[int.from_bytes(hashlib.sha256(page.encode()).digest()[:8], "big") % count].append(
            page
        )
    return [shard for shard in found if shard]


def copy_pages(
    output: Path, copy: Path, pages: list[str], into: dict[str, str] | None = None
) -> None:
    """Write ``pages`` of ``output`` to ``copy`` (each at ``into[page]`` when given) as Pagefind
    reads them (:func:`for_indexing`), on every core when there are many (the copy costs a
    third of what Pagefind does)."""
    if len(pages) < parallel.SERIAL_BELOW or parallel.jobs() == 1:
        _copy(output, copy, pages, into)
    else:
        parallel.shared(lambda worker, workers: _copy(output, copy, pages[worker::workers], into))


def _copy(output: Path, copy: Path, pages: list[str], into: dict[str, str] | None) -> None:
    for page in pages:
        target = copy / (into[page] if into else page)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(for_indexing((output / page).read_text(encoding="utf-8")), "utf-8")


def command(site: Path, bundle: Path) -> list[str]:
    """Pagefind over ``site``, its bundle written to ``bundle``. OSError if it is not installed."""
    return [
        str(_pagefind()), "--site", str(site), "--output-path", str(bundle), "--quiet",
    ]  # fmt: skip


@functools.cache
def _pagefind() -> Path:
    """Pagefind's binary (of the pinned package), run itself: ``python -m pagefind_bin_extended``
    starts an interpreter only to exec it, 40 ms of each run (one per shard of a build, the
    one of an edit)."""
    return Path(get_executable()).absolute()


class Runs:
    """The Pagefind processes of one indexer, so that a stop can end them at once (``gongshi
    serve``'s Ctrl+C: its search thread must not outlive the folder it writes to, and waiting
    for Pagefind on a loaded machine took seconds). Once stopped, no run starts."""

    def __init__(self, niceness: int = 0) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self.stopped = False
        # added to each run's niceness: an indexer working behind an editor's rebuilds yields
        # the cores to them (``gongshi serve``'s first index of a large site takes both for 20 s)
        self.niceness = niceness

    def start(self, arguments: list[str]) -> subprocess.Popen[str]:
        with self._lock:
            if self.stopped:
                raise BuildError("搜索索引已停止（程序正在退出）")
            process = subprocess.Popen(
                arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                encoding="utf-8", errors="replace",
            )  # fmt: skip
            self._running.add(process)
            if self.niceness:
                with contextlib.suppress(OSError):  # it may have ended already
                    os.setpriority(os.PRIO_PROCESS, process.pid, self.niceness + _niceness())
            return process

    def done(self, process: subprocess.Popen[str]) -> None:
        with self._lock:
            self._running.discard(process)

    def stop(self) -> None:
        """End every run under way (its caller gets a :class:`BuildError`) and refuse new ones."""
        with self._lock:
            self.stopped = True
            for process in self._running:
                process.kill()


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)


def index(copy: Path, bundle: Path, runs: Runs | None = None) -> None:
    """Run Pagefind over the pages in ``copy``, its bundle written to ``bundle``, or raise
    :class:`BuildError`; ``runs`` can stop it meanwhile."""
    runs = runs or Runs()
    try:
        process = runs.start(command(copy, bundle.resolve()))
    except OSError as exc:
        raise BuildError(f"无法运行 Pagefind 建立搜索索引：{exc}") from exc
    try:
        out, err = process.communicate()
    except BaseException:  # Ctrl+C: Pagefind must not go on writing into a folder being removed
        process.kill()
        process.wait()
        raise
    finally:
        runs.done(process)
    if process.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        message = (err or out).strip() or f"退出码 {process.returncode}"
        raise BuildError(f"Pagefind 建立搜索索引失败：\n{message}")


Based = tuple[Path, list[str], list[str]]  # a kept bundle, its pages to leave out, pages to add


def page_url(page: str) -> str:
    """The URL Pagefind gives a page below the folder it indexes (its fragment's ``url``)."""
    return "/" + page.removesuffix("index.html")


class Shards(Protocol):
    """Where shards indexed by earlier builds are kept (``publish/cache.py``)."""

    def key(self, output: Path, pages: list[str]) -> str:
        """What a shard's bundle is a function of: its pages as written to ``output``."""

    def kept(self, key: str) -> Path | None:
        """The bundle of a shard of ``key`` kept by an earlier build, intact, or None."""

    def made(self, key: str, bundle: Path) -> None:
        """``bundle`` was made by Pagefind for a shard of ``key``: keep it if the build succeeds."""

    def whole(self, number: int, count: int, key: str) -> None:
        """The shard ``number`` of ``count`` is the bundle of ``key`` (kept or made), whole."""

    def based(self, number: int, count: int, pages: list[str]) -> Based | None:
        """For the shard ``number`` of ``count`` whose bundle is not kept, holding ``pages``: the
        bundle kept for that shard before (when it was also one of ``count``), the pages of it
        that changed or went, and the pages to index again (changed or new) — if they are few;
        else None."""

    def compressed_before(self) -> Path | None:
        """The search bundle of the output this build replaces, if the same code and packages
        made it: its index chunks' compressed bytes are what compressing the same chunk again
        would give (``wordindex.write_chunks``)."""

    def fragments(self) -> Path | None:
        """An earlier search bundle's fragment folder, for the merge to take as its own
        (``merge.take_fragments``), or None."""

    def words(self) -> Words:
        """What the last merge noted of its groups of words (``wordindex.Words``), to take
        those whose shards hold the same of them from :meth:`compressed_before`'s bundle; asked
        once the shards are known, kept with them if the build succeeds."""


def index_shards(
    output: Path, work: Path, pages: list[str], store: Shards | None, runs: Runs | None = None
) -> tuple[list[Path], dict[Path, list[str]]]:
    """Pagefind's bundle of each shard of ``pages`` (:func:`shards`): kept by ``store``, or made
    in ``work`` — the copies of all the shards' pages written on every core, then one Pagefind
    run per shard, as many at once as there are cores (each is bounded by its shard). A shard
    of which only a few pages changed since ``store`` kept its bundle (:meth:`Shards.based`)
    is that bundle less those pages and a bundle of them alone — itself kept, so that the next
    edit, of another shard's page, indexes that page alone (editing pages of five shards one
    after another ran Pagefind five times a build): with the bundles, the URLs of the pages each
    is to be merged without (``merge.merge``)."""
    found: list[Path | None] = []
    left_out: dict[Path, list[str]] = {}
    again_alone: list[Path] = []
    # the pages to index, their key, and whether they are a whole shard (else the pages of a
    # shard indexed again alone)
    missing: list[tuple[int, list[str], str, bool]] = []
    every = shards(pages, shard_size())
    for number, shard in enumerate(every):
        key = store.key(output, shard) if store is not None else ""
        kept = store.kept(key) if store is not None else None
        based = store.based(number, len(every), shard) if store and kept is None else None
        if based is not None and store is not None:
            kept, gone, again = based
            left_out[kept] = [page_url(page) for page in gone]
            again_key = store.key(output, again) if again else ""
            again_kept = store.kept(again_key) if again else None
            if again_kept is not None:
                again_alone.append(again_kept)
            elif again:
                missing.append((number, again, again_key, False))
        elif kept is not None and store is not None:
            store.whole(number, len(every), key)
        found.append(kept)
        if kept is None:
            missing.append((number, shard, key, True))
    copies = {page: f"{number}/{page}" for number, shard, *_ in missing for page in shard}
    copy_pages(output, work / "copy", sorted(copies), into=copies)

    made = [(work / "copy" / str(number), work / "bundle" / str(number)) for number, *_ in missing]
    _run_pagefind(made, parallel.jobs(), runs)
    for (number, _, made_key, whole), (_, bundle) in zip(missing, made, strict=True):
        if store is not None:
            store.made(made_key, bundle)
        if not whole:
            again_alone.append(bundle)
            continue
        found[number] = bundle
        if store is not None:
            store.whole(number, len(every), made_key)
    return [bundle for bundle in found if bundle is not None] + again_alone, left_out


def _run_pagefind(runs: list[tuple[Path, Path]], at_once: int, stopper: Runs | None = None) -> None:
    """:func:`index` over each (pages, bundle) of ``runs``, ``at_once`` at a time, or raise the
    first error. One run is made in the calling thread; more in daemon threads, so that a
    process stopped meanwhile (``gongshi serve``'s Ctrl+C) does not wait for them to end."""
    if len(runs) <= 1 or at_once <= 1:
        for copy, bundle in runs:
            index(copy, bundle, stopper)
        return
    pending = iter(runs)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        while not errors:
            with lock:
                run = next(pending, None)
            if run is None:
                return
            try:
                index(*run, stopper)
            except BaseException as exc:  # raised in the caller's thread below
                errors.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(at_once, len(runs)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def write(
    build: Build, output: Path, store: Shards | None = None, runs: Runs | None = None
) -> None:
    """Write the search bundle for the searchable pages already written to ``output``, or raise
    :class:`BuildError`: one Pagefind bundle per shard (from ``store`` when it kept one),
    merged (``merge.py``), made byte-identical and smaller; ``runs`` can stop its Pagefind."""
    bundle = output / urls.SEARCH_BUNDLE.strip("/")
    pages = searchable(build)
    if not pages:
        return  # nothing published yet: no index (Pagefind refuses to make an empty one)
    with tempfile.TemporaryDirectory(prefix="gongshi-search-") as work:
        before = store.compressed_before() if store is not None else None
        found, left_out = index_shards(output, Path(work), pages, store, runs)
        words = store.words() if store is not None else None
        # written as bundle.make_deterministic and compact.py (fewer bytes per query) make it
        fragments = store.fragments() if store is not None else None
        merge(found, bundle, before, words, left_out, finished=True, fragments=fragments)
    synonyms.write([list(group) for group in build.settings.search_synonyms], bundle)
