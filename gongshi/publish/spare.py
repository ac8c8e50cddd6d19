"""The tree a cached build replaced, kept to be the next cached build's staging folder.

A build swaps a new tree in for the output (:mod:`gongshi.publish.swap`). Made from nothing, that
tree is 15,000 folders and 31,000 files at 10,000 items, nearly all hard links to the output's
files, and the tree it replaces is as many to remove: seconds of the file system's time for a
rebuild that changed one page. With the cache, the replaced tree is moved into the cache folder
instead (``<cache>/<output>.spare``), and the next build renames it to its staging folder and
changes only what differs:

- every file Gongshi writes is put in place by replacing what is at its name, never by writing
  into it (:mod:`gongshi.outputs.replace`): a file the spare shares with the served output (a hard
  link: a page neither build changed) is never opened for writing; a page taken over that is that
  file already stays as it is;
- the folders other programs write into — Pelican's copies of the theme's and the content's
  static files, and the search bundle — are moved out of the spare before the build (into a
  marked folder beside the output, removed meanwhile like the replaced tree), so that those
  programs start from empty folders as in a fresh staging folder; but the search bundle's
  folder of fragments (a file per page: 10,000 at 10,000 items) is set apart in a marked folder
  of its own, for the search merge to take back as its own and change only the fragments of
  pages that changed (``merge.take_fragments``) — what it does not take is removed at the end;
- once every writer is done, each file that this build did not make — every Gongshi writer notes
  every file it makes, writes or takes over (the pages of the plan, and the records of
  :class:`~gongshi.outputs.reuse.KeyedFiles`) — is removed (the page of an item deleted since,
  anything left in the spare), and every folder that then holds nothing (:meth:`Spare.prune`,
  :meth:`Spare.empty_folders`), in the listing the manifest takes anyway.

A build that replaces no tree of ours (the first one, or one after the output was deleted)
makes the spare instead: while its search runs, the process listing the output links its files
into a new tree (:func:`seed`), kept as the spare once the site is in place.

So the staging folder ends as a fresh one would, file for file, and the served output is never
touched. Anything unexpected — no spare, one that is not a marked folder, a setting that lets
Pelican write elsewhere — and the build starts from an empty staging folder as before. Deleting
the cache folder deletes the spare: always safe.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..outputs import replace
from ..outputs.search.merge import FRAGMENTS
from ..settings import PELICAN_OWNED
from ..site import urls
from .guards import MARKER, MARKER_TEXT, is_marked
from .manifest import MANIFEST, Listing

SPARE = "{}.spare"  # in the cache folder, one per output folder (named as the output)


@dataclass(frozen=True)
class Spare:
    """The spare, renamed to the staging folder, less its folders others write into."""

    staging: Path
    fresh: tuple[str, ...]  # those folders, below it ("/"-separated)
    fragments: Path | None = None  # the search bundle's fragment folder, set apart (take)

    def prune(self, found: Listing, made: Collection[str]) -> Listing:
        """Remove every file of ``found`` (the staging folder's :func:`manifest.listing`) that
        this build did not make — ``made``: every file its writers made, wrote or took over, and
        what is in the folders others write into — and every folder that leaves empty; what is
        left of ``found``."""
        left: Listing = []
        emptied: set[str] = set()
        for entry in found:
            path = entry[0]
            if path in made or any(path.startswith(folder + "/") for folder in self.fresh):
                left.append(entry)
                continue
            os.unlink(entry[1])
            emptied.add(str(PurePosixPath(path).parent))
        for folder in sorted(emptied, key=lambda f: f.count("/"), reverse=True):
            _remove_empty(self.staging, folder)
        return left

    def empty_folders(self, left: Listing, folders: Iterable[str]) -> list[str]:
        """Remove the folders of ``folders`` (every folder the listing met) that hold nothing of
        ``left`` (what :meth:`prune` left), deepest first — an empty folder the spare had, which
        no build makes —, but those others write into; the folders that are left."""
        holding = {""}
        for path, _, _ in left:
            folder = path.rpartition("/")[0]
            while folder not in holding:
                holding.add(folder)
                folder = folder.rpartition("/")[0]
        kept: list[str] = []
        for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
            if folder in holding or _inside(folder, self.fresh) or _under(folder, self.fresh):
                kept.append(folder)
                continue
            try:
                os.rmdir(os.path.join(self.staging, folder))
            except OSError:  # not empty after all (a folder below it kept): kept
                kept.append(folder)
        return kept


def _inside(path: str, fresh: Iterable[str]) -> bool:
    """Whether ``path`` is one of the folders others write into, or below one."""
    return any(path == f or path.startswith(f + "/") for f in fresh)


def _under(folder: str, fresh: Iterable[str]) -> bool:
    """Whether ``folder`` holds one of the folders others write into."""
    return any(f.startswith(folder + "/") for f in fresh)


def fresh_folders(settings: dict[str, Any]) -> list[str] | None:
    """The folders of the output that programs other than Gongshi write into: Pelican's copies
    of the theme's static files and of the content's static paths, and Pagefind's bundle; None
    if Pelican may put static files elsewhere (the spare is then not used). ``settings`` as
    read, before the build imposes Gongshi's own on Pelican's (:data:`PELICAN_OWNED`)."""
    settings = {**settings, **PELICAN_OWNED}
    if settings.get("STATIC_SAVE_AS", "{path}") != "{path}" or settings.get("EXTRA_PATH_METADATA"):
        return None
    names = [
        str(settings.get("THEME_STATIC_DIR") or "theme"),
        *map(str, settings.get("STATIC_PATHS") or ()),
        urls.SEARCH_BUNDLE.strip("/"),
    ]
    parts = [PurePosixPath(name).parts for name in names]
    if any(not p or ".." in p or p[0] == "/" for p in parts):
        return None
    return sorted({"/".join(p) for p in parts if p != (".",)})


def take(
    folder: Path, staging: Path, fresh: Iterable[str], aside: Path, apart: Path | None = None
) -> Spare | None:
    """The spare of ``folder`` (the cache's ``<output>.spare``) renamed to ``staging``, the
    folders ``fresh`` moved out of it into ``aside`` (a new marked folder, to be removed), and
    its marker written again; None if there is no spare to take (OSError if it cannot be).
    With ``apart`` (another new marked folder's name), the search bundle's fragment folder is
    moved there first, and named in what is returned."""
    if folder.is_symlink() or not folder.is_dir() or not is_marked(folder):
        return None
    folder.rename(staging)
    aside.mkdir()
    replace.write_text(aside / MARKER, MARKER_TEXT)
    fragments = _set_apart(staging / urls.SEARCH_BUNDLE.strip("/") / FRAGMENTS, apart)
    for number, name in enumerate(fresh):
        try:
            (staging / name).rename(aside / str(number))
        except FileNotFoundError:
            pass
    replace.write_text(staging / MARKER, MARKER_TEXT)
    return Spare(staging, tuple(fresh), fragments)


def seed(tree: Path, found: Listing, folders: Iterable[str], fresh: Collection[str]) -> None:
    """Make ``tree`` (a new name) the spare of a build that replaces no tree to keep as one —
    the output was absent or empty: its folders, and a hard link to each of its files, as
    ``found`` and ``folders`` list them (the staging folder's :func:`manifest.listing`, pruned),
    but the folders others write into (``fresh``, which :func:`take` moves out of a spare) and
    the bookkeeping; marked first, so that a killed build's is a stale tree of the output. Else
    the first build after it made its staging folder from nothing: 15,000 folders and 31,000
    links at 10,000 items, half a second of a body edit. OSError if it cannot be made (what was
    made is then removed)."""

    try:
        tree.mkdir()
        replace.write_text(tree / MARKER, MARKER_TEXT)
        for folder in sorted(folders):  # each after the folder holding it
            if not _inside(folder, fresh):
                os.mkdir(os.path.join(tree, folder))
        for relative, full, _ in found:
            if relative not in (MARKER, MANIFEST) and not _inside(relative, fresh):
                os.link(full, os.path.join(tree, relative), follow_symlinks=False)
    except BaseException:
        shutil.rmtree(tree, ignore_errors=True)
        raise


def _set_apart(folder: Path, apart: Path | None) -> Path | None:
    """``folder`` moved into ``apart`` (made, and marked: what is left of it is removed as the
    aside folder is); where it is then, or None if there is no such folder."""
    if apart is None or folder.is_symlink() or not folder.is_dir():
        return None
    apart.mkdir()
    replace.write_text(apart / MARKER, MARKER_TEXT)
    folder.rename(apart / FRAGMENTS)
    return apart / FRAGMENTS


def keep(old: Path, folder: Path, aside: Path) -> Path | None:
    """Move ``old`` (the tree the new output replaced) to ``folder`` as the next spare; a spare
    already there (one a build did not take) is moved to ``aside`` first, and returned, to be
    removed. OSError if it cannot be done, or if what is at ``folder`` is not a marked tree
    (then it is left alone)."""
    displaced = None
    if folder.is_symlink() or (folder.exists() and not is_marked(folder)):
        raise FileExistsError(f"{folder} 不是 Gongshi 留下的网站目录，不动它")
    if folder.exists():
        folder.rename(aside)
        displaced = aside
    old.rename(folder)
    return displaced


def _remove_empty(root: Path, folder: str) -> None:
    """``folder`` (below ``root``) and each folder above it, while empty."""
    while folder not in ("", "."):
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:  # not empty (or gone): so is every folder above it
            return
        folder = str(PurePosixPath(folder).parent)
