"""Running a build: Pelican into a staging folder, then swapping it in for the output.

Nothing is written before the settings and the output folder have been checked
(:mod:`gongshi.publish.guards`). A failed or interrupted build (bad content, a theme error, any warning
from Pelican, Ctrl+C, SIGTERM) removes its staging folder and leaves the previous output exactly
as it was; once the new site is in place (:mod:`gongshi.publish.swap`) the build has succeeded, and a
problem removing the old tree is only a warning.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import logging
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from pelican import Pelican
from pelican.settings import get_settings_from_file, read_settings

from .. import workers
from ..errors import BuildError, ConfigError, GongshiError, Problem, Terminated
from ..runkeys import (
    CACHE_KEY,
    FINISH_LATER_KEY,
    MADE_KEY,
    MEMORY_KEY,
    NEXT_CHANGE_KEY,
    SEARCH_LATER_KEY,
    WARNINGS_KEY,
)
from ..settings import DEFAULTS, check_types, from_pelican
from ..site import urls
from . import manifest, spare
from .assets import missing_theme_files
from .cache import (
    Cache,
    Recorded,
    inputs_key,
    output_digest,
    pages_env,
    reading_env,
    unsteady_settings,
)
from .guards import (
    MARKER,
    check_output,
    is_marked,
    make_staging,
    os_problem,
    protected,
    sibling,
    stale_folders,
)
from .manifest import MANIFEST
from .spare import Spare, fresh_folders
from .swap import NOT_ATOMIC, signals_blocked, swap_in


@dataclass(frozen=True)
class BuildResult:
    pages: int  # HTML files written
    files: int  # every file written
    seconds: float
    warnings: tuple[str, ...] = ()  # the site is in place, but something needs a look
    # when a page would next say something else, and why (SiteIndex.next_change): rebuild then
    next_change: tuple[datetime, str] | None = None
    content_warnings: tuple[Problem, ...] = ()  # the content's warnings (fatal only if strict)
    unchanged: bool = False  # nothing it reads changed: the output in place was left as it is


class _Collector(logging.Handler):
    """Keeps Pelican's warnings and errors: in a Gongshi build every one of them is fatal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _settings_file_error(settings_file: Path, exc: BaseException) -> ConfigError:
    """What went wrong running the settings file, at its line (the innermost frame in it)."""
    here = settings_file.resolve()
    line = None
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve() == here:
        line = exc.lineno
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if Path(frame.f_code.co_filename).resolve() == here:
            line = lineno
    where = f"第 {line} 行" if line else ""
    text = exc.msg if isinstance(exc, SyntaxError) else exc
    return ConfigError(
        f"设置文件 {settings_file} {where}出错：{type(exc).__name__}: {_one_line(text)}"
    )


@contextlib.contextmanager
def _no_bytecode() -> Iterator[None]:
    """The settings file is imported without its bytecode written: a build writes into its
    output only, never a ``__pycache__`` beside the editor's settings file."""
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        yield
    finally:
        sys.dont_write_bytecode = before


def load_settings(settings_file: Path, overrides: dict[str, Any]) -> dict[str, Any]:
    """Pelican's settings from ``settings_file`` with ``overrides``, every Gongshi key checked."""
    if not settings_file.is_file():
        raise ConfigError(
            f"找不到设置文件 {settings_file}（请在项目根目录运行，或用 --settings 指定）"
        )
    try:
        with _no_bytecode():
            raw = get_settings_from_file(str(settings_file))
    except (Exception, SystemExit) as exc:  # the file is Python: anything can go wrong in it
        raise _settings_file_error(settings_file, exc) from exc
    check_types(raw)
    # Pelican wants its own TIMEZONE; Gongshi's is the one that counts, so both agree.
    zone = raw.get("TIMEZONE") or raw.get("GONGSHI_TIMEZONE") or DEFAULTS["GONGSHI_TIMEZONE"]
    try:
        with _no_bytecode():
            settings: dict[str, Any] = read_settings(
                str(settings_file), override={"TIMEZONE": zone, **overrides}
            )
    except (Exception, SystemExit) as exc:
        if str(exc).startswith("Could not find the theme"):
            raise ConfigError(
                f"设置文件 {settings_file} 中的 THEME = {raw.get('THEME')!r}：找不到这个主题文件夹"
                "（相对路径从设置文件所在的文件夹算起）"
            ) from exc
        raise ConfigError(
            f"设置文件 {settings_file} 有误：{type(exc).__name__}: {_one_line(exc)}"
        ) from exc
    synonyms = settings.get("GONGSHI_SEARCH_SYNONYMS")
    if synonyms:  # a path relative to the settings file, as Pelican's own paths are
        settings["GONGSHI_SEARCH_SYNONYMS"] = str(settings_file.resolve().parent / synonyms)
    from_pelican(settings)  # every GONGSHI_* value and SITEURL, before anything is written
    return settings


def _run_pelican(settings: dict[str, Any]) -> None:
    with _as_pelicans():
        Pelican(settings).run()


@contextlib.contextmanager
def _as_pelicans() -> Iterator[None]:
    """Within, as in Pelican's run (and the search the run leaves, :func:`_listed_with_search`):
    its log collected and any problem it logs a build error, a write error said as one, any
    other failure of a theme or of Pelican a build error."""
    collector = _Collector()
    logger = logging.getLogger("pelican")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's own summary counts articles
            yield
    except GongshiError:
        raise
    except OSError as exc:  # the disk is full, the folder became read-only …
        raise os_problem(exc, "写入输出") from exc
    except Exception as exc:  # a theme or Pelican failure: report it as a build error
        raise BuildError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    if collector.records:
        messages = "\n".join(f"  {r.levelname}: {r.getMessage()}" for r in collector.records)
        raise BuildError(f"Pelican 报告了问题，构建中止：\n{messages}")


def _missing_theme_files(
    site: Path, settings: dict[str, Any], previous: Path, found: manifest.Listing
) -> list[str]:
    static_dir = str(settings.get("THEME_STATIC_DIR") or "theme")
    return missing_theme_files(site, static_dir, previous if previous.is_dir() else None, found)


def _check_theme_files(missing: list[str], settings: dict[str, Any]) -> None:
    if missing:
        raise BuildError(
            f"页面引用的主题文件不存在：{'、'.join(missing)}"
            f"（请检查主题 {settings['THEME']} 的 static 文件夹）"
        )


def _prepare(final: Path, settings: dict[str, Any], settings_file: Path) -> Path:
    """Check the output folder, clear what killed builds left, and name the staging folder."""
    check_output(final, protected(Path(settings["PATH"]), Path(settings["THEME"]), settings_file))
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_problem(exc, "创建输出目录") from exc
    for stale in stale_folders(final):
        shutil.rmtree(stale, ignore_errors=True)
    return sibling(final, "building")


def _install(staging: Path, final: Path) -> tuple[list[str], Path | None]:
    """Swap the finished site in; from then on the build has succeeded, whatever else happens.
    Its warnings, and where the old tree now is (to be removed: :func:`_remove_meanwhile`).

    Signals stay blocked until the result of the swap is recorded, so a stop request that
    arrives meanwhile is seen here, after the fact, and not reported as a failed build.
    """
    warnings: list[str] = []
    placed: tuple[Path | None, bool] | None = None
    try:
        with signals_blocked():
            placed = swap_in(staging, final, sibling(final, "old"))
    except OSError as exc:
        raise os_problem(exc, "替换输出目录") from exc
    except (KeyboardInterrupt, Terminated):
        if placed is None:
            raise
        warnings.append("新网站已就位时收到了中断信号；构建已完成")
    assert placed is not None
    old, atomic = placed
    if not atomic:
        warnings.append(NOT_ATOMIC)
    return warnings, old


def _removed(trees: list[Path]) -> list[str]:
    """Remove ``trees``; a warning for each that could not be (the next build removes it)."""
    warnings = []
    for tree in trees:
        try:
            shutil.rmtree(tree)
        except OSError as exc:
            warnings.append(_not_removed(tree, _one_line(exc)))
    return warnings


def _not_removed(tree: Path, reason: str) -> str:
    return f"新网站已就位，但删除旧输出 {tree} 时{reason}；下次构建会再删除它"


def _remove_meanwhile(trees: list[Path]) -> Callable[[], list[str]]:
    """Start removing ``trees`` (the tree the new site replaced, when it is not kept as the
    next build's spare) in a thread (the cache keeps what the build made meanwhile: 31,000 files
    take seconds to remove); what is returned waits for it and gives its warnings. What is left
    of them, the next build removes."""
    warnings: list[str] = []
    if not trees:
        return lambda: warnings

    def remove() -> None:
        warnings.extend(_removed(trees))

    thread = threading.Thread(target=remove, name="gongshi-remove-old", daemon=True)
    thread.start()

    def wait() -> list[str]:
        try:
            thread.join()
        except (KeyboardInterrupt, Terminated):
            warnings.extend(_not_removed(tree, "被中断") for tree in trees)
        return warnings

    return wait


def _remove_aside(store: Cache | None) -> Callable[[], list[str]]:
    """Start removing what the spare taken had that others write into (Pagefind's bundle,
    Pelican's copies: 10,400 files at 10,000 items) in a forked process, while the build reads
    the content on one core — removed at the end, in a thread, it held up every body edit by
    0.2 s. What is returned waits for it and gives its warnings. In a process running other
    threads (``gongshi serve``'s server and indexer) it is removed when waited for: a fork
    there copies locks those threads may hold."""
    if store is None or store.aside is None:
        return list
    removal = functools.partial(_removed, [store.aside])
    if _threads_beside():
        return removal  # removed here, when waited for
    return workers.started(removal)


def _threads_beside() -> bool:
    """Whether other threads run in this process (``gongshi serve``'s server and indexer): then
    the build forks nothing of its own — a fork copies locks those threads may hold."""
    return threading.active_count() > 1


def _take_spare(store: Cache, final: Path, staging: Path, settings: dict[str, Any]) -> Spare | None:
    """The tree the last cached build replaced, as the staging folder (:mod:`spare`); None
    (the staging folder is then made empty) if there is none or it cannot be taken."""
    fresh = fresh_folders(settings)
    if fresh is None:
        return None
    aside, apart = sibling(final, "old"), sibling(final, "old")
    try:
        return store.take_spare(final, staging, fresh, aside, apart)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        store.warnings.append(f"无法沿用上次替换下的网站目录（{_one_line(exc)}），本次从空目录构建")
        return None
    finally:  # what the spare had that others write into: removed meanwhile, or by a later build
        store.aside = aside if aside.exists() else None
        store.apart = apart if apart.exists() else None  # removed once the search is done


def _staging(
    store: Cache | None, final: Path, staging: Path, settings: dict[str, Any]
) -> Spare | None:
    """Make the staging folder: the spare renamed, if a cached build has one to take (then it is
    returned), else a new empty folder."""
    taken = _take_spare(store, final, staging, settings) if store is not None else None
    if taken is None:
        make_staging(staging)
    return taken


def _seed_of(store: Cache | None, final: Path, settings: dict[str, Any]) -> Path | None:
    """Where this build makes the next one's spare (:func:`spare.seed`), when it will replace no
    tree of ours that could be kept as one (the output absent, or an empty folder); else None."""
    if store is None or not store.usable or fresh_folders(settings) is None or is_marked(final):
        return None
    return sibling(final, "old")  # a stale tree of the output if the build is killed


def _abandon(
    staging: Path, store: Cache | None, aside: Callable[[], list[str]], seed: Path | None
) -> None:
    """A failed build: remove its staging folder, the spare it was making (``seed``), and what a
    spare it took had aside (``aside`` waits for its removal to end, if it was begun)."""
    with signals_blocked():  # a second Ctrl+C must not leave half a staging folder
        shutil.rmtree(staging, ignore_errors=True)
        if seed is not None:
            shutil.rmtree(seed, ignore_errors=True)
        with contextlib.suppress(Exception):
            aside()
        if store is not None:
            store.discard()
            for folder in (store.aside, store.apart):
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)


def _keep_spare(
    store: Cache | None, final: Path, old: Path | None, seeded: Path | None = None
) -> list[Path]:
    """Keep ``old`` — or the tree ``seeded`` if the build made one (:func:`_seed_of`; ``old`` is
    then an empty folder, or None) — as ``final``'s next spare; the trees to remove (what is not
    kept, a spare it displaced, and what is left of the fragments set apart from the spare this
    build took: :func:`spare.take`)."""
    trees = [store.apart] if store is not None and store.apart is not None else []
    if seeded is not None:
        trees += [old] if old is not None else []
        old = seeded
    if old is None:
        return trees
    if store is None or not store.usable:
        return [*trees, old]
    try:
        displaced = store.keep_spare(old, final, sibling(final, "old"))
    except OSError as exc:
        store.warnings.append(f"无法保留替换下的网站目录供下次构建沿用（{_one_line(exc)}）")
        return [*trees, old]
    return [*trees, displaced] if displaced is not None else trees


def _compile_with(settings: dict[str, Any], store: Cache) -> None:
    """The templates' bytecode from ``store`` (unless the caller gave Jinja a bytecode cache of
    its own): set after the keys are taken, which it is not part of."""
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if store.usable and jinja.get("bytecode_cache") is None:
        settings["JINJA_ENVIRONMENT"] = {**jinja, "bytecode_cache": store.templates()}


def _listing(
    staging: Path, taken: Spare | None, settings: dict[str, Any], leave_out: Collection[str] = ()
) -> tuple[manifest.Listing, list[str]]:
    """Every entry of the staging folder but its folders (and those in ``leave_out``), and its
    folders: what the spare had that this build did not make pruned."""
    folders: list[str] = []
    entries = manifest.listing(staging, folders, leave_out)
    if taken is not None:
        entries = taken.prune(entries, settings[MADE_KEY] | {MARKER, MANIFEST})
        folders = taken.empty_folders(entries, folders)
    return entries, folders


class _Listed(NamedTuple):
    entries: manifest.Listing  # every entry of the staging folder but its folders
    folders: list[str]  # its folders
    missing: list[str]  # the theme URLs its pages use that name no file of it
    # why the spare could not be made (:func:`spare.seed`), if it was to be and could not
    unseeded: str | None = None


def _listed_and_checked(
    staging: Path,
    final: Path,
    taken: Spare | None,
    settings: dict[str, Any],
    leave_out: Collection[str] = (),
    seed: Path | None = None,
) -> _Listed:
    """:func:`_listing`, the theme URLs its pages use that name no file of it, and, if ``seed``
    names it, the next build's spare made of what it lists."""
    entries, folders = _listing(staging, taken, settings, leave_out)
    missing = _missing_theme_files(staging, settings, final, entries)
    if seed is None:
        return _Listed(entries, folders, missing)
    try:
        spare.seed(seed, entries, folders, fresh_folders(settings) or ())
    except OSError as exc:
        return _Listed(entries, folders, missing, _one_line(exc))
    return _Listed(entries, folders, missing)


def _listed_with_search(
    staging: Path, final: Path, taken: Spare | None, settings: dict[str, Any], seed: Path | None
) -> _Listed:
    """:func:`_listed_and_checked`, taken in another process while this one indexes the pages
    (the search the run left, :data:`SEARCH_LATER_KEY`; Pagefind and the merge wait on other
    processes for most of their second): all but the search bundle, which the search writes
    meanwhile and is listed once it is done (the listing, 0.4 s of a body edit at 10,000
    items, the theme files' check, 0.08 s, and the spare a first build makes, 0.5 s, now
    beside the search)."""
    bundle = urls.SEARCH_BUNDLE.strip("/")
    search = settings.get(SEARCH_LATER_KEY)
    if search is None or _threads_beside():  # nothing to list beside, or no fork here
        if search is not None:
            with _as_pelicans():
                search()
        return _listed_and_checked(staging, final, taken, settings, (), seed)
    listing = workers.started(
        functools.partial(_listed_and_checked, staging, final, taken, settings, {bundle}, seed)
    )
    try:
        with _as_pelicans():
            search()
    except BaseException:
        with contextlib.suppress(Exception):
            listing()  # not left working in the staging folder being removed
        raise
    entries, folders, missing, unseeded = listing()
    if (staging / bundle).is_dir():
        inside: list[str] = []
        found = manifest.listing(staging / bundle, inside, prefix=f"{bundle}/")
        if isinstance(store := settings.get(CACHE_KEY), Cache):
            store.search_listed(found, inside, f"{bundle}/")
        folders += [bundle, *inside]
        entries += found
    return _Listed(entries, folders, missing, unseeded)


def _written(
    staging: Path,
    final: Path,
    taken: Spare | None,
    settings: dict[str, Any],
    store: Cache | None,
    seed: Path | None,
) -> tuple[int, int, str, Path | None]:
    """What the build wrote into ``staging`` listed, checked and its manifest written: its
    pages, its files, its digest for the cache's record (none without a cache), and the spare
    it made if it was to make one (``seed``)."""
    entries, folders, missing, unseeded = _listed_with_search(staging, final, taken, settings, seed)
    _check_theme_files(missing, settings)
    if unseeded is not None and store is not None:
        store.warnings.append(f"无法为下次构建准备网站目录的副本（{unseeded}），下次构建会慢一些")
    listed = _manifest(staging, final, entries, store)
    digest = _digest(staging, entries, folders) if store is not None else ""
    files = len(listed) + sum((staging / name).is_file() for name in (MARKER, MANIFEST))
    pages = sum(1 for path in listed if path.endswith(".html"))
    return pages, files, digest, seed if unseeded is None else None


def _digest(staging: Path, entries: manifest.Listing, folders: list[str]) -> str:
    """The output's digest for the cache's record (``cache.output_digest``): the listing, with
    the manifest written since."""
    path = os.path.join(staging, MANIFEST)
    found = [entry for entry in entries if entry[0] != MANIFEST]
    return output_digest([*found, (MANIFEST, path, manifest.Stat.of(os.lstat(path)))], folders)


def _manifest(
    staging: Path, final: Path, entries: manifest.Listing, store: Cache | None
) -> list[str]:
    """Write the file hashes a deploy compares (publish/deploy.py): every file but the
    bookkeeping; what the cache kept of the files it listed before spares hashing them."""
    listed, hashed = manifest.write(
        staging, final, entries, store.hashed() if store is not None else None
    )
    if store is not None and store.usable:
        store.hashed_now = hashed
    return listed


def _finish(
    store: Cache | None,
    key: str,
    final: Path,
    recorded: Recorded,
    digest: str,
    waits: list[Callable[[], list[str]]],
) -> list[str]:
    """The new site is in place: only now is anything kept beside it. The warnings of what is
    left: the removals ``waits`` waits for, the cache's."""
    if store is not None:
        store.keep(final)
        store.record(key, final, recorded, digest)
    warnings = [warning for wait in waits for warning in wait()]
    return warnings + (store.warnings if store is not None else [])


def _now_or_later(settings: dict[str, Any], finish: Callable[[], list[str]]) -> list[str]:
    """``finish()``'s warnings; or, when the caller shows the new site first (``gongshi serve``:
    :data:`FINISH_LATER_KEY`), nothing yet — it is left to the caller."""
    later = settings.get(FINISH_LATER_KEY)
    if isinstance(later, list):
        later.append(finish)
        return []
    return finish()


# the cyclic garbage collector's thresholds while a build runs: the objects of a build live until
# its end and its garbage is freed by reference counting, so the default (a collection every 700
# new objects, the older generations every 10) collected 60 times the middle generation and 3
# times all of a 10,000-item build's objects in a body edit: 1.2 s of its 9 (0.5 s now)
COLLECT_AFTER = (50_000, 20, 10)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*COLLECT_AFTER)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_fewer_collections()
def build(  # noqa: PLR0913 (the command's options, and a caller's extra settings)
    settings_file: Path,
    *,
    content: Path | None = None,
    output: Path | None = None,
    now: str | None = None,
    site_url: str | None = None,
    strict: bool = False,
    cache: bool = False,
    extra: Mapping[str, Any] | None = None,
) -> BuildResult:
    """Build the site into ``output`` (staging folder, then swap). With ``cache``, a folder
    beside the output (:mod:`gongshi.publish.cache`) lets an unchanged build leave the output as it
    is and an unchanged search index be reused; the output is the same either way. ``extra``
    settings hold for this run only (``gongshi serve`` passes its template cache and defers
    search, :mod:`gongshi.serve.preview`)."""
    started = time.perf_counter()
    overrides: dict[str, Any] = dict(extra or {})
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if now is not None:
        overrides["GONGSHI_NOW"] = now
    if site_url is not None:
        overrides["SITEURL"] = site_url
    if strict:
        overrides["GONGSHI_STRICT"] = True
    settings = load_settings(settings_file, overrides)
    final = (output or Path(settings["OUTPUT_PATH"])).resolve()
    staging = _prepare(final, settings, settings_file)
    store, key = None, ""
    if cache:
        settings["GONGSHI_NOW"] = from_pelican(settings).now  # the key and the build agree on it
        store = Cache.beside(final)
        store.memory = settings.get(MEMORY_KEY)
        if store.usable and (unsteady := unsteady_settings(settings)):
            store.warnings.append(unsteady)
        key = inputs_key(settings, store.code, store.files()) if store.usable else ""
        found = store.unchanged(key, final)
        if found is not None:
            return BuildResult(
                found.pages,
                found.files,
                time.perf_counter() - started,
                tuple(store.warnings),
                found.next_change,
                found.content_warnings,
                unchanged=True,
            )
        store.env = reading_env(settings, store.code)
        store.pages_env = pages_env(settings, store.code, store.files())
        store.output = final
        settings[CACHE_KEY] = store
        _compile_with(settings, store)
    aside: Callable[[], list[str]] = list
    seed = _seed_of(store, final, settings)
    try:  # from the moment the staging folder exists, any way out removes it
        taken = _staging(store, final, staging, settings)
        aside = _remove_aside(store)
        settings["OUTPUT_PATH"] = str(staging)
        settings.setdefault(SEARCH_LATER_KEY, None)  # the search is left to _written
        _run_pelican(settings)
        pages, files, digest, seeded = _written(staging, final, taken, settings, store, seed)
        warnings, old = _install(staging, final)
    except BaseException:
        _abandon(staging, store, aside, seed)
        raise
    next_change = settings.get(NEXT_CHANGE_KEY)
    content_warnings = tuple(settings.get(WARNINGS_KEY, ()))
    removed = _remove_meanwhile(_keep_spare(store, final, old, seeded))
    recorded = Recorded(pages, files, next_change, content_warnings)
    finish = functools.partial(_finish, store, key, final, recorded, digest, [aside, removed])
    warnings += _now_or_later(settings, finish)
    return BuildResult(
        pages,
        files,
        time.perf_counter() - started,
        tuple(warnings),
        next_change,
        content_warnings,
    )
