"""The build cache: a folder beside the output that lets a build reuse what cannot have changed.

``.gongshi-cache/`` sits next to the output folder (``output/`` → ``.gongshi-cache/``), marked by
a ``CACHEDIR.TAG`` so backup tools skip it and so that a folder of that name that is not ours is
never touched. Everything in it is keyed by what it was made from, so deleting it is always
safe (the next build is a full one), and anything in it that does not read back exactly as
written — a corrupt file, an unknown format, a folder that is not ours — is ignored with a
warning, never used.

What is reused, each only when every input it is a function of is the same:

- **The whole build.** :func:`inputs_key` digests everything a build reads: every file of the
  content folder and the theme (and plugin folders), the resolved settings (with "now" fixed
  before the build starts), Gongshi's own source and the versions of the packages it runs. When
  the key equals the one recorded for the output now in place, and that output is exactly as the
  build left it (every file's size, modification time and inode), the output *is* what the build
  would write: nothing is rebuilt and the output is not touched.
- **The search bundle.** Pagefind's output is a function of the searchable pages it reads (and
  of Pagefind and Gongshi). :func:`search_key` digests those pages as written (less the inline
  elements Pagefind ignores, such as a day count that moves every day). When the output being
  replaced has the bundle of that key (``<output>.search.json`` records its key and every file's
  mode, size, modification time and inode, as for the output), that bundle is linked into the new
  build instead of being made again. Each page's text digest is kept by its
  file (inode, size, modification time): a page taken over from the previous output is the same
  file, so it is not read again.
- **The search shards.** When the searchable pages did change, the index is still made of
  shards (``indexing.shards``), one Pagefind run each: the bundle Pagefind made for a shard is
  kept under the same kind of key over the shard's pages, so an edit re-runs Pagefind over the
  edited page's shard only, and the shards are merged again (``search/merge.py``).
- **What each content file gave.** Reading a Markdown file (YAML, Markdown, the checks) is a
  function of the file, its type, the places' names, the settings and the code
  (``loader._keys``); what the files of the last build gave is kept in one file
  (``reading.pickle``, a :mod:`~gongshi.publish.picklefile`), so a build reads again only
  the files that changed.
- **What each page was made from** (``outputs/reuse.py``): its digest and what it read of the
  index (and "now", if it read it), kept in ``pages.pickle`` with :func:`pages_env` (settings,
  theme, code); a page
  whose reads all give the same again is linked from the output in place instead of rendered.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..content.loader import FileRead
from ..errors import Problem
from ..outputs import replace
from ..outputs.reuse import Digests, Kept, Known, PageRecord
from ..outputs.search import indexing
from ..outputs.search.merge import take_fragments
from ..outputs.search.wordindex import Words
from ..outputs.templatecode import TemplateCache
from ..runkeys import RUN_KEYS, SEARCH_KEY
from ..site import urls
from ..site.build import Build
from . import guards, manifest, picklefile, spare
from .filedigests import FileDigests
from .spare import SPARE, Spare

FOLDER = ".gongshi-cache"
TAG = "CACHEDIR.TAG"
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# Gongshi 构建缓存（可随时删除）/ Gongshi build cache, safe to delete.\n"
)
FORMAT = 4  # the layout of what is kept; a different one is ignored
RECORD = "{}.build.json"  # one record per output folder (named as the output)
# the search bundle in the output: the key it was made for and the stat of its files (one per
# output folder, named as the output); the bundle itself stays in the output, not in the cache
SEARCH = "{}.search.json"
LEGACY_SEARCH = "search"  # where earlier versions kept whole bundles: removed when found
SHARDS = "search-shards"  # Pagefind's bundle of each shard of the newest build that made one
READING = "reading.pickle"  # what each content file gave, in the newest build that read any
PAGES = "pages.pickle"  # what each page of the newest build was made from (outputs/reuse.py)
# what reading.pickle's entries are: each file's FileRead and its item's digest (reuse.Digests)
_READING_ENTRIES = "read+digest"
# each shard's bundle in the newest build that indexed one: its key and its pages' text digests,
# so that a shard of which few pages changed is indexed as that bundle less them and them alone
BASES = "search-bases.pickle"
AGAIN_AT_MOST = 10  # per cent of a shard's pages: indexed again alone, at most
WORDS = "search-words.pickle"  # the last merge's groups of words (search/wordindex.Words)
TEXTS = "search-texts.pickle"  # each searchable page's text digest, by its file (search_key)
FILES = "file-digests.pickle"  # each file read, as its digest was taken (publish/filedigests.py)
HASHES = "manifest-hashes.pickle"  # each file of the output as its manifest entry was made
TEMPLATES = "templates.pickle"  # the theme's compiled templates (outputs/templatecode.py)
# the kept mappings whose values are immutable (page records, file reads): a process that builds
# again may hold what it wrote of them (Cache.memory), as a later build only reads them
RESIDENT = frozenset({PAGES, READING})
# What a build runs besides its own source: a new version of any of them is a new key.
PACKAGES = (
    "pelican", "Jinja2", "Markdown", "PyYAML", "feedgen", "nh3", "icalendar", "segno",
    "pagefind", "pagefind_bin_extended", "deflate", "tzdata",
)  # fmt: skip
GONGSHI = Path(__file__).resolve().parent.parent
_CHUNK = 1 << 20
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # as object.__repr__ and functions' reprs show it


def _digest_file(path: Path | str, into: Any) -> None:
    with open(path, "rb") as handle:  # 10,000 files: pathlib's overhead shows
        while chunk := handle.read(_CHUNK):
            into.update(chunk)


def _tree(
    root: Path,
    into: Any,
    skip: frozenset[str] = frozenset(),
    files: FileDigests | None = None,
) -> None:
    """Every entry below ``root``, in a fixed order: names, kinds, file bytes (or, with
    ``files``, their digests), link targets (folders named in ``skip`` left out)."""
    into.update(f"\0root\0{root}\0".encode())
    if not root.exists():
        into.update(b"\0missing\0")
        return
    _tree_below(str(root), "", into, skip, files)


def _tree_below(
    folder: str, prefix: str, into: Any, skip: frozenset[str], files: FileDigests | None
) -> None:
    """A folder's entries sorted by name, then each subfolder in turn (as ``os.walk`` top-down):
    ``os.scandir`` knows each entry's kind without a ``stat`` of its own."""
    with os.scandir(folder) as listing:
        entries = sorted(
            (e for e in listing if not (e.name in skip and e.is_dir(follow_symlinks=False))),
            key=lambda e: e.name,
        )
    subfolders = []
    for entry in entries:
        relative = prefix + entry.name
        into.update(b"\0entry\0" + relative.encode("utf-8", "surrogateescape") + b"\0")
        if entry.is_symlink():
            into.update(b"link\0" + os.readlink(entry.path).encode("utf-8", "surrogateescape"))
        elif entry.is_file():
            into.update(b"file\0")
            if files is None:
                _digest_file(entry.path, into)
            else:
                into.update(b"sha256\0" + files.of(entry.path))
        elif entry.is_dir():
            subfolders.append(entry)
        else:
            into.update(b"other\0")
    for entry in subfolders:
        _tree_below(entry.path, f"{prefix}{entry.name}/", into, skip, files)


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}: absent")
    return f"python {sys.version}; " + "; ".join(found)


def code_key() -> str:
    """Gongshi's own source (every file of the package) and the versions it runs with."""
    digest = hashlib.sha256(f"format {FORMAT}; {_versions()}".encode())
    _tree(GONGSHI, digest, frozenset({"__pycache__"}))  # compiled copies of the same source
    return digest.hexdigest()


def _shown(settings: dict[str, Any], leave_out: tuple[str, ...]) -> dict[str, Any]:
    """The settings a key is made of: all but ``leave_out`` and the run's own keys."""
    shown = {k: v for k, v in settings.items() if k not in leave_out and k not in RUN_KEYS}
    if SEARCH_KEY in settings:  # search left to the caller: the output has no bundle
        shown[SEARCH_KEY] = True
    jinja = shown.get("JINJA_ENVIRONMENT")
    if isinstance(jinja, dict) and "bytecode_cache" in jinja:
        # where compiled templates are kept (``gongshi serve``'s, in memory): keyed by each
        # template's source, they compile the same theme alike
        shown["JINJA_ENVIRONMENT"] = {k: v for k, v in jinja.items() if k != "bytecode_cache"}
    return shown


def _settings(digest: Any, settings: dict[str, Any], leave_out: tuple[str, ...]) -> None:
    shown = _shown(settings, leave_out)
    digest.update(repr(sorted(shown.items(), key=lambda kv: kv[0])).encode("utf-8", "replace"))


def unsteady_settings(settings: dict[str, Any]) -> str | None:
    """A warning naming the settings whose ``repr`` holds a memory address (a function, an
    object with no ``__repr__`` of its own, anywhere in the value), if any: different in every
    run, they make every key new, so no build reuses anything. Said, not silently a full build
    each time."""
    shown = _shown(settings, ("OUTPUT_PATH",))
    names = sorted(name for name, value in shown.items() if _ADDRESS.search(repr(value)))
    if not names:
        return None
    return (
        f"设置 {'、'.join(names)} 的值含内存地址（如函数），每次运行都不同，缓存无法重用：每次都是完整构建。"
        "请改用 __repr__ 每次相同的可调用对象（见 docs/architecture.md 的 Incremental builds）"
    )


def _folders(
    digest: Any, settings: dict[str, Any], content: bool, files: FileDigests | None
) -> None:
    """The theme (with template overrides and plugin folders), after the content if asked."""
    folders = [settings["PATH"]] if content else []
    folders += [settings["THEME"], *settings.get("THEME_TEMPLATES_OVERRIDES", ())]
    folders += [p for p in settings.get("PLUGIN_PATHS", ()) if isinstance(p, str)]
    for folder in folders:
        _tree(Path(folder).expanduser().resolve(), digest, files=files)


def inputs_key(settings: dict[str, Any], code: str, files: FileDigests | None = None) -> str:
    """What a build reads: the settings (but where it writes), the content, the theme, the code.

    ``settings`` must already hold a fixed "now" (``GONGSHI_NOW``), so the key and the build
    agree on it. A setting whose ``repr`` holds an address makes every key new: never a wrong
    reuse, only none. ``files``: the digests of files as the cache kept them (``filedigests``)."""
    digest = hashlib.sha256(code.encode())
    _settings(digest, settings, ("OUTPUT_PATH",))
    _folders(digest, settings, True, files)
    return digest.hexdigest()


def reading_env(settings: dict[str, Any], code: str) -> str:
    """The settings and code a content file is read with (``loader.Memo.env``): the settings
    but where the build writes and its "now" (reading does not depend on them)."""
    digest = hashlib.sha256(f"reading; {code}".encode())
    _settings(digest, settings, ("OUTPUT_PATH", "GONGSHI_NOW"))
    return digest.hexdigest()


def pages_env(settings: dict[str, Any], code: str, files: FileDigests | None = None) -> str:
    """What every page is rendered with besides its own reads (``outputs/reuse.py``): the
    settings but where the build writes and "now", the theme and the code. "Now" is a read a
    page records (``reuse.SITE_READS``), like the states the index derives from it, so a day
    later only the pages where something moved are rendered again."""
    digest = hashlib.sha256(f"pages; {code}".encode())
    _settings(digest, settings, ("OUTPUT_PATH", "GONGSHI_NOW"))
    _folders(digest, settings, False, files)
    return digest.hexdigest()


def search_key(pages: Iterable[str], code: str, text: Callable[[str], bytes]) -> str:
    """The searchable pages (paths, and ``text(page)``: the digest of its text as written less
    what Pagefind ignores, :meth:`Cache.text`), with the code's key."""
    digest = hashlib.sha256(f"search; {code}".encode())
    for page in pages:
        digest.update(f"\0page\0{page}\0".encode())
        digest.update(text(page))
    return digest.hexdigest()


def page_text(path: Path) -> bytes:
    """The digest of a page's text less what Pagefind ignores (``indexing.without_ignored``)."""
    html = path.read_text(encoding="utf-8", errors="surrogateescape")
    return hashlib.sha256(
        indexing.without_ignored(html).encode("utf-8", "surrogateescape")
    ).digest()


def output_digest(found: manifest.Listing, folders: Iterable[str]) -> str:
    """A digest of a whole output as :func:`manifest.listing` lists it: every folder's path, and
    every other entry's path with what changes when anything writes to it (mode, size,
    modification time, inode), in path order. A build records it from the listing it took for
    the deploy manifest (with the manifest's own file); the next build, to leave an untouched
    output in place, lists the output again: 0.25 s at 36,000 entries, where walking it with a
    ``stat`` of each entry took 0.35 s at the end of every build too."""
    lines = [f"{path}/\0folder" for path in folders]
    lines += (
        f"{path}\0{st.st_mode} {st.st_size} {st.st_mtime_ns} {st.st_ino}" for path, _, st in found
    )
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _stat_manifest(root: Path) -> str:
    """:func:`output_digest` of the tree at ``root`` as it is now (the output, a kept search
    bundle or shard: a write, an addition, a removal or a rename below it changes it). A digest,
    not the entries: a record stays a few hundred bytes however large the tree."""
    folders: list[str] = []
    return output_digest(manifest.listing(root, folders), folders)


@dataclass(frozen=True)
class Recorded:
    """What a build recorded of itself, for the next build to return when nothing changed."""

    pages: int
    files: int
    next_change: tuple[datetime, str] | None
    content_warnings: tuple[Problem, ...]


def _write_json(path: Path, data: Any) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


@dataclass
class Cache:
    folder: Path
    code: str  # :func:`code_key`; empty when the cache is not used
    warnings: list[str] = field(default_factory=list)  # what was ignored, for the build to say

    @property
    def usable(self) -> bool:
        return bool(self.code)

    search_now: tuple[str, str] | None = None  # this build's search bundle: key, path in output
    _search_digest: str | None = None  # its :func:`_stat_manifest`, from the build's listing
    shards_used: set[str] = field(default_factory=set)  # keys of the shards this build merged
    pending_shards: dict[str, Path] = field(default_factory=dict)  # made this build: key → copy
    _pending_folder: tempfile.TemporaryDirectory[str] | None = None
    env: str = ""  # :func:`reading_env` of this build (loader.Memo)
    pages_env: str = ""  # :func:`pages_env` of this build
    output: Path | None = None  # the output this build replaces, whose pages it may take over
    _pages_now: dict[str, PageRecord] | None = None  # held until kept: ``gongshi serve``'s
    _pages_pending: picklefile.Pending | None = None  # written, put in place once the site is
    _same_code: bool = False  # the previous build's records are of this build's pages_env
    _read_before: dict[str, tuple[FileRead, bytes | None]] | None = None  # loaded when asked
    _known: dict[int, tuple[object, bytes]] = field(default_factory=dict)  # :meth:`known`
    _read_now: dict[str, FileRead] = field(default_factory=dict)
    _texts_before: dict[str, tuple[tuple[int, int, int], bytes]] | None = None
    _texts_now: dict[str, tuple[tuple[int, int, int], bytes]] = field(default_factory=dict)
    # each page's text digest as this build took it, by the folder it is in: the whole bundle's
    # key and its shard's key read it alike, the file unchanged meanwhile
    _texts_taken: dict[tuple[Path, str], bytes] = field(default_factory=dict)
    _shard_folders: dict[Path, str] = field(default_factory=dict)  # each shard's folder → key
    _shard_pages: dict[str, list[str]] = field(default_factory=dict)  # each shard's key → pages
    _bases_before: dict[str, tuple[int, str, dict[str, bytes]]] | None = None
    _bases_now: dict[str, tuple[int, str, dict[str, bytes]]] = field(default_factory=dict)
    _words: Words | None = None  # given to this build's merge (:meth:`words`)
    # what was read of each kept mapping, so that keeping it again writes only what changed
    _layers: dict[str, picklefile.Layers] = field(default_factory=dict)
    hashed_now: manifest.Hashed | None = None  # this build's (publish/manifest.py)
    _files: FileDigests | None = None  # :meth:`files`
    _templates: TemplateCache | None = None  # given to this build's templates (:meth:`templates`)
    # what the spare this build took had that others write into, moved beside the output
    aside: Path | None = None
    # the marked folder its search bundle's fragment folder was set apart in (spare.take)
    apart: Path | None = None
    _fragments: Path | None = None  # that fragment folder, until the search takes it
    # what this process wrote of the kept mappings whose values are immutable (RESIDENT), when
    # it lives on to build again (``gongshi serve``): read back without unpickling
    memory: picklefile.Memory | None = None

    @classmethod
    def beside(cls, output: Path) -> Cache:
        """The cache of ``output``; not :attr:`usable`, with a warning, when a folder of that name
        is there and is not ours. Nothing is created until a build has succeeded."""
        folder = output.parent / FOLDER
        try:
            if folder.is_symlink() or (folder.exists() and not (folder / TAG).is_file()):
                message = (
                    f"{folder} 不是 Gongshi 的缓存目录（没有 {TAG}），本次不用缓存，也不改动它"
                )
                return cls(folder, "", [message])
        except OSError as exc:
            return cls(folder, "", [f"无法使用缓存目录 {folder}（{exc}），本次不用缓存"])
        return cls(folder, code_key())

    def _make(self) -> None:
        if not self.folder.exists():
            self.folder.mkdir()
            (self.folder / TAG).write_text(TAG_TEXT, encoding="utf-8")

    def _ignore(self, what: str, exc: BaseException | str) -> None:
        self.warnings.append(f"缓存 {self.folder / what} 无法使用（{exc}），已忽略并重新生成")

    # --- the whole build ---------------------------------------------------------------------

    def unchanged(self, key: str, output: Path) -> Recorded | None:
        """The record of the output in place, if it was built from ``key`` and is untouched."""
        path = self.folder / RECORD.format(output.name)
        if not self.usable or not path.exists() or not output.is_dir():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["format"] != FORMAT:
                return None
            if data["key"] != key or data["output"] != str(output):
                return None
            if data["manifest"] != _stat_manifest(output):
                return None
            change = data["next_change"]
            return Recorded(
                int(data["pages"]),
                int(data["files"]),
                (datetime.fromisoformat(change[0]), str(change[1])) if change else None,
                tuple(Problem(**p) for p in data["content_warnings"]),
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            self._ignore(path.name, exc)
            return None

    def record(self, key: str, output: Path, facts: Recorded, digest: str) -> None:
        """Remember that ``output``, as it is now (``digest``: :func:`output_digest`), was built
        from ``key``."""
        if not self.usable:
            return
        change = facts.next_change
        data = {
            "format": FORMAT,
            "key": key,
            "output": str(output),
            "pages": facts.pages,
            "files": facts.files,
            "next_change": [change[0].isoformat(), change[1]] if change else None,
            "content_warnings": [vars(p) for p in facts.content_warnings],
            "manifest": digest,
        }
        path = self.folder / RECORD.format(output.name)
        try:
            self._make()
            _write_json(path, data)
        except OSError as exc:
            self.warnings.append(f"无法写入缓存 {path}（{exc}）；下次将完整构建")

    # --- the search bundle -------------------------------------------------------------------

    def search(self, key: str, output: Path, path: str, make: Callable[[], None]) -> None:
        """Put the search bundle of ``key`` at ``path`` in ``output``: linked from the output this
        build replaces when that output's bundle was made for ``key`` and is as it was published,
        else made by ``make()``."""
        bundle = output / path
        if not self.usable:
            make()
            return
        self.search_now = (key, path)
        if self.output is not None and self._published(key, self.output, path, bundle):
            return
        make()

    def _published(self, key: str, output: Path, path: str, bundle: Path) -> bool:
        """Link the bundle at ``path`` in ``output`` (the output being replaced) to ``bundle`` if
        it was made for ``key`` and every file is as recorded when it was published; whether it
        was."""
        record = self.folder / SEARCH.format(output.name)
        published = output / path
        if not record.is_file():
            return False
        try:
            found = json.loads(record.read_text(encoding="utf-8"))
            if found["key"] != key:
                return False
            if found["manifest"] != _stat_manifest(published):
                raise ValueError("文件与记录不符（被改动过）")
            fragments = self.fragments()
            if fragments is not None:  # taken back: linked again only where it differs
                bundle.mkdir(parents=True)
                take_fragments(bundle, fragments)
            link_tree(published, bundle)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self._ignore(record.name, exc)
            shutil.rmtree(bundle, ignore_errors=True)
            return False
        return True

    def keep(self, output: Path) -> None:
        """After the build is in place: keep what it read, and the search bundle and shards it
        made, for later builds."""
        if self._read_now and self._read_now.keys() != (self._read_before or {}).keys():
            self._keep_reading()
        self._keep_search(output)
        if self.shards_used:
            self._keep_shards()
        if self._pages_now is not None or self._pages_pending is not None:
            self._keep_pages()
        if self._words is not None and self._words.now:
            self._keep_words(self._words)
        if self._bases_now and self._bases_now != self._bases_before:
            self._keep_pickle(BASES, {"code": self.code}, self._bases_now)
        if self._texts_now and self._texts_now != self._texts_before:
            self._keep_pickle(TEXTS, {"code": self.code}, self._texts_now)
        if self.hashed_now is not None:
            self._keep_pickle(HASHES, {"code": self.code}, self.hashed_now)
        if self._files is not None and self._files.now:
            self._keep_pickle(FILES, {"code": self.code}, self._files.now)
        if self._templates is not None and self._templates.changed:
            self._keep_pickle(TEMPLATES, {"env": self.pages_env}, self._templates.entries())

    # --- the files a build reads (publish/filedigests.py) -------------------------------------

    def files(self) -> FileDigests | None:
        """The digests of the files this build reads, as the last build kept them."""
        if not self.usable:
            return None
        if self._files is None:
            self._files = FileDigests(self._of_this_code(FILES))
        return self._files

    def digest_of(self, path: Path) -> bytes:
        """A content file's SHA-256 (``loader.Memo``)."""
        files = self.files()
        if files is None:
            return hashlib.sha256(path.read_bytes()).digest()
        return files.of(str(path))

    # --- the files of the output as the deploy manifest lists them (publish/manifest.py) ------

    def hashed(self) -> manifest.Hashed:
        """Each file of the output this build replaces, as its manifest entry was made."""
        return self._of_this_code(HASHES) if self.usable else {}

    # --- the theme's compiled templates (outputs/templatecode.py) ------------------------------

    def templates(self) -> TemplateCache:
        """The bytecode of the templates as the last build compiled them with this build's
        settings, theme and code (:attr:`pages_env`), to compile only what changed; what this
        build compiles is kept with the rest."""
        if self._templates is None:
            found = self._load_pickle(TEMPLATES)
            same = found is not None and found[0].get("env") == self.pages_env
            self._templates = TemplateCache(found[1] if found is not None and same else None)
        return self._templates

    # --- what each content file gave (loader.Memo) ---------------------------------------------

    def get(self, key: str) -> FileRead | None:
        if self._read_before is None:
            self._read_before = self._load_reading()
        found = self._read_before.get(key)
        if found is None:
            return None
        read, digest = found
        if read.item is not None and digest is not None:
            self._known[id(read.item)] = (read.item, digest)
        return read

    def put(self, key: str, read: FileRead) -> None:
        self._read_now[key] = read

    def known(self) -> Known:
        """The digest (``reuse.Digests``) of each item read back from the cache in this build:
        the same value as when it was kept, so its digest is the same, and the pages, feeds and
        calendars need not take it again in every process (0.8 s at 10,000 items, each)."""
        return self._known

    def _load_reading(self) -> dict[str, tuple[FileRead, bytes | None]]:
        found = self._load_pickle(READING)
        if found is None or found[0].get("entries") != _READING_ENTRIES:
            return {}  # an earlier version's entries: read again, as after any upgrade
        return found[1]

    def _keep_reading(self) -> None:
        digests = Digests(self._known)
        before = self._read_before or {}
        entries = {}
        for key, read in self._read_now.items():
            kept = before.get(key)
            if kept is not None and kept[0] is read:  # the entry read back: kept as it was
                entries[key] = kept
            else:
                item = read.item
                entries[key] = (read, digests.object_digest(item) if item is not None else None)
        self._keep_pickle(READING, {"entries": _READING_ENTRIES}, entries)

    def _load_pickle(self, name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The header and entries :meth:`_keep_pickle` kept as ``name``, or None (with a
        warning if unreadable)."""
        path = self.folder / name
        if not self.usable or not path.is_file():
            return None
        try:
            read = picklefile.read_layers(path, self._memory_of(name))
        except picklefile.Outdated:  # an earlier version's: rebuilt, as its results would be
            return None
        except (OSError, picklefile.Refused) as exc:
            self._ignore(name, exc)
            return None
        self._layers[name] = read
        return read.header, read.entries

    def _memory_of(self, name: str) -> picklefile.Memory | None:
        return self.memory if name in RESIDENT else None

    def _of_this_code(self, name: str) -> dict[str, Any]:
        """The entries kept as ``name`` by a build of this code (its header's ``code``), or none."""
        found = self._load_pickle(name)
        return found[1] if found is not None and found[0].get("code") == self.code else {}

    def _keep_pickle(self, name: str, header: dict[str, Any], entries: Mapping[str, Any]) -> None:
        path = self.folder / name
        try:
            self._make()
            picklefile.write(path, header, entries, self._layers.get(name), self._memory_of(name))
        except OSError as exc:
            self.warnings.append(f"无法写入缓存 {path}（{exc}）")

    # --- the replaced tree, to be the next staging folder (publish/spare.py) -------------------

    def take_spare(
        self, output: Path, staging: Path, fresh: list[str], aside: Path, apart: Path
    ) -> Spare | None:
        """The spare of ``output`` as the staging folder (:func:`spare.take`), or None; its
        search bundle's fragment folder set apart in ``apart``, for :meth:`fragments`."""
        if not self.usable:
            return None
        taken = spare.take(self.folder / SPARE.format(output.name), staging, fresh, aside, apart)
        self._fragments = taken.fragments if taken is not None else None
        return taken

    def fragments(self) -> Path | None:
        """The fragment folder of the search bundle of the tree this build took as its staging
        folder (set apart: :func:`spare.take`), for the search to take as its own and change
        only what differs (``merge.take_fragments``); given once."""
        found, self._fragments = self._fragments, None
        return found

    def keep_spare(self, old: Path, output: Path, aside: Path) -> Path | None:
        """Keep ``old``, the tree ``output``'s new site replaced, as its spare
        (:func:`spare.keep`: what it displaced is returned, to be removed). OSError if not."""
        self._make()
        return spare.keep(old, self.folder / SPARE.format(output.name), aside)

    # --- what each page was made from (outputs/reuse.py) --------------------------------------

    def pages(self) -> Kept | None:
        """The previous build's page records, to take pages over from the output in place (none
        if it was built with other settings, theme, code or "now"); None: no cache to use."""
        if not self.usable or self.output is None:
            return None
        found = self._load_pickle(PAGES)
        same = found is not None and found[0].get("env") == self.pages_env
        self._same_code = same
        return Kept(found[1] if found is not None and same else {}, self.output, self.known())

    def index_after(self, previous: Path) -> None:
        """Index search alone, after ``previous``: an output of this cache indexed by this
        process before (``gongshi serve`` indexes each preview once it is in place), whose
        bundle lends its chunks and, if the pages are the same, is taken whole."""
        self.output = previous
        self._same_code = (previous / urls.SEARCH_BUNDLE.strip("/")).is_dir()

    def compressed_before(self) -> Path | None:
        """The search bundle in the output this build replaces, when the build that wrote it
        ran the same code and packages (its pages' records are of this build's env)."""
        if not self._same_code or self.output is None:
            return None
        return self.output / urls.SEARCH_BUNDLE.strip("/")

    def pages_made(self, records: dict[str, PageRecord]) -> None:
        """This build's page records: written now, before the search, and no longer held (at
        50,000 items they were 0.6 GiB of the build's peak memory), put in place with the rest
        once the site is (:meth:`keep`). A process that builds again (``gongshi serve``) holds
        them instead, for its next build to read without unpickling."""
        if self.memory is not None:
            self._pages_now = records
            return
        path = self.folder / PAGES
        try:
            self._make()
            _sweep(self.folder)
            over = self._layers.pop(PAGES, None)  # only to write what changed: done with here
            self._pages_pending = picklefile.prepare(path, {"env": self.pages_env}, records, over)
        except OSError as exc:
            self.warnings.append(f"无法写入缓存 {path}（{exc}）")

    def _keep_pages(self) -> None:
        pending, self._pages_pending = self._pages_pending, None
        if pending is None:
            self._keep_pickle(PAGES, {"env": self.pages_env}, self._pages_now or {})
            return
        try:
            pending.install()
        except OSError as exc:
            self.warnings.append(f"无法写入缓存 {pending.path}（{exc}）")

    def discard(self) -> None:
        """The build failed: what it wrote to keep and had not put in place yet is removed."""
        pending, self._pages_pending = self._pages_pending, None
        if pending is not None:
            pending.discard()
        self._drop_pending_shards()

    def _drop_pending_shards(self) -> None:
        """Remove the folder of the search shards this build made (kept or not by now)."""
        if self._pending_folder is not None:
            self._pending_folder.cleanup()
            self._pending_folder = None

    # --- the search shards (indexing.Shards) --------------------------------------------------

    def key(self, output: Path, pages: list[str]) -> str:
        key = search_key(pages, self.code, functools.partial(self.text, output))
        self._shard_pages[key] = pages
        return key

    def whole(self, number: int, count: int, key: str) -> None:
        self._bases_now[str(number)] = (count, key, self._texts_of(self._shard_pages[key]))

    def _texts_of(self, pages: list[str]) -> dict[str, bytes]:
        """Each page's text digest, as :meth:`key` read it this build."""
        return {page: self._texts_now[page][1] for page in pages}

    def based(self, number: int, count: int, pages: list[str]) -> indexing.Based | None:
        if self._bases_before is None:
            self._bases_before = self._of_this_code(BASES)
        base = self._bases_before.get(str(number))
        if base is None or base[0] != count:
            return None
        _, key, texts = base
        now = self._texts_of(pages)
        again = [page for page in pages if texts.get(page) != now[page]]
        if len(again) > max(1, len(pages) * AGAIN_AT_MOST // 100):
            return None
        folder = self.kept(key)
        if folder is None:
            return None
        self._bases_now[str(number)] = base  # still the shard's bundle, whole
        return folder, sorted(page for page in texts if now.get(page) != texts[page]), again

    def text(self, output: Path, page: str) -> bytes:
        """:func:`page_text` of ``output/page``: read once per build, and not at all when the
        file is the one a previous build digested (inode, size and modification time as then:
        a page taken over from the output in place)."""
        taken = self._texts_taken.get((output, page))
        if taken is not None:
            return taken
        path = output / page
        info = os.lstat(path)
        file = (info.st_ino, info.st_size, info.st_mtime_ns)
        known = self._texts_now.get(page)
        if known is None:
            if self._texts_before is None:
                self._texts_before = self._of_this_code(TEXTS)
            known = self._texts_before.get(page)
        if known is None or known[0] != file:
            known = (file, page_text(path))
        self._texts_now[page] = known
        self._texts_taken[output, page] = known[1]
        return known[1]

    def kept(self, key: str) -> Path | None:
        self.shards_used.add(key)
        kept = self.folder / SHARDS / key
        if not kept.is_dir():
            return None
        try:
            manifest = json.loads((kept.parent / f"{key}.json").read_text(encoding="utf-8"))
            if manifest != _stat_manifest(kept):
                raise ValueError("文件与记录不符（被改动过）")
        except (OSError, ValueError) as exc:
            self._ignore(f"{SHARDS}/{key}", exc)
            shutil.rmtree(kept, ignore_errors=True)
            return None
        self._shard_folders[kept] = key
        return kept

    def made(self, key: str, bundle: Path) -> None:
        if self._pending_folder is None:
            self._pending_folder = tempfile.TemporaryDirectory(prefix="gongshi-shards-")
        copy = Path(self._pending_folder.name) / key
        link_tree(bundle, copy)
        self.pending_shards[key] = copy
        self._shard_folders[bundle] = key

    def words(self) -> Words:
        """The last merge's groups of words (``wordindex.Words``): each group's chunks by its key,
        and the groups of each shard this build uses that a merge has seen (by the shard's key,
        so by what its bundle holds)."""
        found = self._of_this_code(WORDS) if self._same_code else {}
        chunks, shards = found.get("chunks", {}), found.get("shards", {})
        words = Words(chunks, last=found.get("merged", {}), files=found.get("files", {}))
        for folder, key in self._shard_folders.items():
            noted = shards.get(key, {})
            for language, groups in noted.get("groups", {}).items():
                words.groups[folder, language] = groups
            for language, pages in noted.get("pages", {}).items():
                words.pages[folder, language] = pages
        self._words = words
        return words

    def _keep_words(self, words: Words) -> None:
        shards: dict[str, dict[str, dict[str, Any]]] = {}
        for kind, found in (("groups", words.groups), ("pages", words.pages)):
            for (folder, language), noted in found.items():
                key = self._shard_folders.get(folder)
                if key is not None:
                    shards.setdefault(key, {}).setdefault(kind, {})[language] = noted
        kept = {
            "chunks": words.now,
            "shards": shards,
            "merged": words.made,
            "files": words.written,
        }
        self._keep_pickle(WORDS, {"code": self.code}, kept)

    def _keep_shards(self) -> None:
        """The shards this build made, kept; those it did not use, removed."""
        store = self.folder / SHARDS
        try:
            self._make()
            store.mkdir(exist_ok=True)
            for key, copy in sorted(self.pending_shards.items()):
                temporary = store / f".{key}.{os.getpid()}.tmp"
                shutil.rmtree(temporary, ignore_errors=True)
                link_tree(copy, temporary)
                _write_json(store / f"{key}.json", _stat_manifest(temporary))
                shutil.rmtree(store / key, ignore_errors=True)
                temporary.rename(store / key)
            for old in store.iterdir():
                if old.name.split(".")[0] not in self.shards_used:
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        old.unlink(missing_ok=True)
        except (OSError, ValueError) as exc:
            self.warnings.append(f"无法把搜索分片存入缓存 {store}（{exc}）")
        finally:
            self._drop_pending_shards()

    def search_listed(self, found: manifest.Listing, folders: list[str], prefix: str) -> None:
        """The build's listing of its search bundle (paths below the output, each beginning
        with ``prefix``), taken once the search was done: what :meth:`_keep_search` records is
        its digest, as listing the bundle again once in place would give it (nothing writes
        into the bundle after, and a rename of the tree above changes no entry's stat)."""
        self._search_digest = output_digest(
            [(path.removeprefix(prefix), full, info) for path, full, info in found],
            [folder.removeprefix(prefix) for folder in folders],
        )

    def _keep_search(self, output: Path) -> None:
        """Record which key the output's search bundle was made for and the stat of its files
        (a bundle of 10,000 items is 10,000 files: kept in the output, not linked into the
        cache and removed again every build that makes one)."""
        record = self.folder / SEARCH.format(output.name)
        legacy = self.folder / LEGACY_SEARCH
        try:
            if legacy.is_dir():
                shutil.rmtree(legacy)
            if self.search_now is None or not (output / self.search_now[1]).is_dir():
                record.unlink(missing_ok=True)
                return
            key, path = self.search_now
            self._make()
            digest = self._search_digest or _stat_manifest(output / path)
            _write_json(record, {"key": key, "manifest": digest})
        except (OSError, ValueError) as exc:
            self.warnings.append(f"无法记录搜索索引 {record}（{exc}）")


def search(build: Build, output: Path, cache: Cache, runs: indexing.Runs | None = None) -> None:
    """Search over the pages just written to ``output``, its bundle reused when they are the same
    as when a kept bundle was made (:func:`search_key`), else made by Pagefind and kept
    (``runs`` can stop its Pagefind)."""
    pages = indexing.searchable(build)
    if not pages or not cache.usable:
        indexing.write(build, output, runs=runs)
        return
    key = cache.key(output, pages)
    cache.search(
        key,
        output,
        urls.SEARCH_BUNDLE.strip("/"),
        lambda: indexing.write(build, output, cache, runs),
    )


def link_tree(source: Path, target: Path) -> None:
    """``target`` as a copy of ``source``: hard links where the file system allows, else copies
    (each folder that holds a file made once: a search bundle is 10,000 files in a few folders).
    A folder of ``source``'s that ``target`` has already (a search bundle's fragment folder taken
    back) is changed only where it differs: a file that is ``source``'s already left as it is,
    one ``source`` has not removed."""
    for folder, folders, names in os.walk(source):
        if not names:
            continue
        into = os.path.join(target, os.path.relpath(folder, source))
        there = set(os.listdir(into)) if os.path.isdir(into) else set()
        os.makedirs(into, exist_ok=True)
        for name in names:
            replace.link(Path(folder, name), Path(into, name))
        for name in there.difference(names, folders):
            os.unlink(os.path.join(into, name))


def _sweep(folder: Path) -> None:
    """Remove the temporary files (:func:`picklefile.temporary_of`) of builds no longer running
    from the cache ``folder``: a build killed after it wrote its page records (which it puts in
    place only once its site is) left them behind."""
    for temporary in folder.glob(".*.tmp"):
        pid = temporary.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not guards.runs(int(pid)):
            temporary.unlink(missing_ok=True)
