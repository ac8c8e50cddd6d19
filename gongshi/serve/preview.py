"""Rebuilding the preview: the same build as ``gongshi build``, kept fast by a long-lived process.

Each rebuild goes through :func:`gongshi.publish.run.build` into the preview folder, a folder in
the system's temporary directory that ``serve`` owns: the output guards, the marker, the staging
folder and the atomic swap all apply, and ``output/`` is never named, so a half-edited site is
never published. What makes a rebuild fast enough to follow a save (a full build of the bundled
portal in a fresh process takes about 1.5 s):

- Python, Pelican, Jinja, Markdown and the theme's modules are imported once, by this process;
- the theme's templates are compiled once: a Jinja bytecode cache kept in memory across builds
  (keyed by each template's source, so an edited template is compiled again);
- each rebuild is incremental, as ``gongshi build --cache``: the build cache sits beside the
  preview folder, so a save renders the pages that show what it changed and takes over the rest;
- the build's bookkeeping — keeping the cache, recording the output, waiting for the site it
  replaced to be removed — is left until the page has reloaded (:meth:`Preview.finish`);
- Pagefind indexes after the swap (:meth:`Preview.index_search`), in a thread of its own, instead
  of inside the build: the page reloads without waiting for it, a save never waits for it, and
  search catches up a moment later — over the edited page's shard alone, the indexer keeping
  shards of its own.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ContentError, GongshiError, Problem
from ..outputs import replace
from ..outputs.search import indexing as search
from ..outputs.templatecode import TemplateCache
from ..publish import cache, picklefile
from ..publish.cache import Cache
from ..publish.run import build, load_settings
from ..runkeys import FINISH_LATER_KEY, MEMORY_KEY, SEARCH_KEY
from ..site import urls
from ..site.build import Build

INDEXER = ".index"  # beside the preview: the search indexer's folders and build cache
INDEX_NICENESS = 10  # Pagefind's, under the rebuilds (each save's page waits for its rebuild)


@dataclass(frozen=True)
class Outcome:
    """One rebuild: the site is in place (``ok``), or what stopped it."""

    ok: bool
    seconds: float
    pages: int = 0
    problems: tuple[Problem, ...] = ()  # the content's errors, or its warnings when ok
    error: str = ""  # a settings, theme or build error (one Chinese message)
    # the build's own warnings (the cache, the old site's removal), as ``gongshi build`` says them
    warnings: tuple[str, ...] = ()


@dataclass
class Preview:
    settings_file: Path
    folder: Path  # the preview site; its parent is serve's own temporary folder
    now: str | None = None
    cache: TemplateCache = field(default_factory=TemplateCache)
    watched: list[Path] = field(default_factory=list)
    _unindexed: Build | None = None
    _last: Build | None = None  # the build of the site in place
    # each rebuild's number; a search index is put in place only if made for the current one
    _generation: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _indexing: threading.Lock = field(default_factory=threading.Lock)  # one indexer at a time
    # the page records and file reads each rebuild kept, for the next to read without unpickling
    _memory: picklefile.Memory = field(default_factory=picklefile.Memory)
    # ended by :meth:`stop`; run at a lower priority than the rebuilds the editor waits for
    _pagefind: search.Runs = field(default_factory=lambda: search.Runs(niceness=INDEX_NICENESS))
    # the last rebuild's bookkeeping, left until its page has reloaded (:meth:`finish`)
    _finishing: list[Callable[[], list[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # until settings load, the usual places: the settings file, content/ and the theme
        root = self.settings_file.resolve().parent
        self.watched = [self.settings_file.resolve(), root / "content", root / "themes"]

    def _defer_search(self, made: Build, staging: Path) -> None:
        self._unindexed = self._last = made

    def locate(self) -> dict[str, Any]:
        """Read the settings, and from them what to watch: the settings file, the content and
        the theme (raises :class:`GongshiError` for a bad settings file)."""
        settings = load_settings(self.settings_file, {})
        self.watched = [
            self.settings_file.resolve(),
            Path(settings["PATH"]).resolve(),
            Path(settings["THEME"]).resolve(),
        ]
        return settings

    def _extra(self) -> dict[str, Any]:
        settings = self.locate()
        jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
        return {
            "JINJA_ENVIRONMENT": {**jinja, "bytecode_cache": self.cache},
            SEARCH_KEY: self._defer_search,
            MEMORY_KEY: self._memory,
            FINISH_LATER_KEY: self._finishing,
        }

    def rebuild(self) -> Outcome:
        """Build the site into :attr:`folder`; never raises for anything an editor can cause."""
        carried = self.finish()  # if the caller did not
        started = time.perf_counter()
        self._stale()  # from now on, an index of the previous build is stale
        try:
            result = build(
                self.settings_file,
                output=self.folder,
                now=self.now,
                cache=True,
                extra=self._extra(),
            )
        except ContentError as error:
            return Outcome(False, time.perf_counter() - started, problems=tuple(error.problems))
        except GongshiError as error:
            return Outcome(False, time.perf_counter() - started, error=str(error))
        except Exception as exc:  # a bug of Gongshi's: the preview stays up, the page says so
            return Outcome(False, time.perf_counter() - started, error=_internal(exc))
        if result.unchanged:  # the site in place is the last one built: indexed, or to be
            self._index_again()
        warnings = carried + result.warnings
        return Outcome(
            True, result.seconds, result.pages, result.content_warnings, warnings=warnings
        )

    def finish(self) -> tuple[str, ...]:
        """The last rebuild's bookkeeping — keeping its cache, recording its output, waiting for
        the site it replaced to be removed —, left by :meth:`rebuild` until the page has reloaded
        (0.15-0.2 s of a save at 10,000 items): its warnings. The next rebuild runs it first
        if the caller did not."""
        pending, self._finishing[:] = list(self._finishing), []
        warnings: list[str] = []
        for step in pending:
            try:
                warnings += step()
            except Exception as exc:  # a bug of Gongshi's: the preview stays up, and says so
                warnings.append(_internal(exc))
        return tuple(warnings)

    def _index_again(self) -> None:
        """The site in place is :attr:`_last`'s: index it, unless its index is in place (an
        index made before this rebuild started was dropped)."""
        bundle = self.folder / urls.SEARCH_BUNDLE.strip("/")
        with self._lock:
            if not bundle.exists():
                self._unindexed = self._last

    def _stale(self) -> None:
        """No search index made before now is put in place, nor is the last build indexed."""
        with self._lock:
            self._generation += 1
            self._unindexed = None

    def stop(self) -> None:
        """The preview is closing: a search indexing under way ends now, and none is put in
        place (the folder it writes to is about to be removed); the last rebuild's removal of
        the site it replaced is waited for."""
        self._stale()
        self._pagefind.stop()
        self.finish()

    def index_search(self) -> str:
        """Index the last build for search; a message if Pagefind failed, else ''.

        Safe to run in a thread while the next rebuild runs (one indexing at a time): the
        searchable pages are linked into a folder of the indexer's own (a rebuild replaces the
        site's files, never writes into them), indexed there with a build cache of its own —
        an edit runs Pagefind over its page's shard alone, as ``gongshi build --cache`` does —
        and the bundle moves into the site only if no rebuild has started meanwhile (else it
        is dropped: that rebuild gets its own, from the same shards).
        """
        with self._lock:
            made, generation, self._unindexed = self._unindexed, self._generation, None
        if made is None:
            return ""
        with self._indexing:
            if not self._current(generation):
                return ""
            try:
                self._index(made, generation)
            except OSError:  # the site was replaced while we read it: a newer build is coming
                return ""
            except GongshiError as error:
                return str(error) if self._current(generation) else ""
        return ""

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation

    def _index(self, made: Build, generation: int) -> None:
        """Index into ``.index/site`` (the previous index's folder, whose bundle the cache lends
        chunks from), then link the bundle into the site if it is still ``generation``'s."""
        home = self.folder.parent / INDEXER
        indexed, scratch, placing = home / "site", home / "next", home / "placing"
        bundle = urls.SEARCH_BUNDLE.strip("/")
        for folder in (scratch, placing):
            shutil.rmtree(folder, ignore_errors=True)
        try:
            for page in search.searchable(made):
                replace.link(self.folder / page, scratch / page)
            store = Cache.beside(indexed)
            store.index_after(indexed)
            cache.search(made, scratch, store, self._pagefind)
            shutil.rmtree(indexed, ignore_errors=True)
            scratch.rename(indexed)
            store.keep(indexed)
            if (indexed / bundle).is_dir():
                cache.link_tree(indexed / bundle, placing / bundle)
            with self._lock:
                if generation == self._generation and (placing / bundle).is_dir():
                    (placing / bundle).rename(self.folder / bundle)
        finally:
            for folder in (scratch, placing):
                shutil.rmtree(folder, ignore_errors=True)


def _internal(exc: Exception) -> str:
    return f"内部错误：{type(exc).__name__}: {' '.join(str(exc).split())} 请报告此问题"
