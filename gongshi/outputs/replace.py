"""Putting a file of the output in place by replacing what is at its name, never writing into it.

The staging folder a cached build writes into is the tree the build before it replaced
(:mod:`gongshi.publish.spare`): a file it did not change there is a hard link to the served
output's own. Writing into such a file would change the served site before the swap, and the
file the cache's records describe. So every writer of Gongshi's puts its files here: a new file
is created exclusively (a file at that name is unlinked first, never opened), and a file taken
over from the previous output is linked, or left as it is when it is that file already. Pelican's
and Pagefind's writers, which write into files, get folders of their own that the spare never
has (:func:`gongshi.publish.spare.take`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


Target = str | os.PathLike[str]


def write_bytes(target: Target, data: bytes) -> None:
    """``target`` as a new file holding ``data`` (its folder made if missing)."""
    with os.fdopen(_created(target), "wb") as file:
        file.write(data)


def write_text(target: Target, text: str) -> None:
    """``target`` as a new file holding ``text`` in UTF-8."""
    write_bytes(target, text.encode("utf-8"))


def write_parts(target: Target, parts: Iterable[str]) -> None:
    """``target`` as a new file holding ``parts`` one after another in UTF-8, never joined into
    one string nor encoded whole (the deploy manifest is 40 MB at 50,000 items: joined, then
    encoded, it was the peak of the build's memory)."""
    with open(_created(target), "w", encoding="utf-8", newline="") as file:
        file.writelines(parts)


def link(source: Target, target: Target, known: os.stat_result | None = None) -> os.stat_result:
    """``target`` as a hard link to ``source`` (a copy where links cannot be made); left as it
    is if it is ``source``'s file already (the spare's page that did not change). ``known``:
    ``source``'s ``lstat``, if taken already. What is at ``target`` then, as ``lstat`` gives
    it (for a link, but its count of links: ``source``'s)."""
    try:
        try:
            there = os.lstat(target)
        except FileNotFoundError:
            _link(source, target)
            return known or os.lstat(source)
        source_info = known or os.lstat(source)
        if os.path.samestat(source_info, there):
            return there
        os.unlink(target)
        _link(source, target)
        return source_info
    except OSError:  # a file system without hard links, or across two of them
        _fresh(target)
        shutil.copyfile(source, target)
        return os.lstat(target)


def _link(source: Target, target: Target) -> None:
    """Linked first, its folder made only if missing: most are there already (making each
    first, 15,000 at 10,000 items, cost more than the links)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not os.path.lexists(source):
            raise
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)


def _created(target: Target) -> int:
    try:
        return os.open(target, _CREATE, 0o666)
    except FileExistsError:
        os.unlink(target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    return os.open(target, _CREATE, 0o666)


def _fresh(target: Target) -> None:
    """Nothing at ``target``, and its folder there."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
