"""Noticing a save: the files under the watched folders, polled.

A snapshot is every file's modification time and size. Polling, not inotify: it needs no
dependency, follows an editor that saves by writing a new file and renaming it over the old one,
watches a single file (the settings file) as well as a folder, and works where inotify does not
(a Windows folder seen from WSL, a network share). A stat of every file of the bundled portal takes
about a millisecond, of a 1,000-item site a few.

A change is reported once the files have been still for :data:`SETTLE` seconds (an editor that
writes in several steps, a ``git checkout`` of many files), but never later than :data:`LONGEST`
after it was first seen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]

INTERVAL = 0.05  # seconds between two looks
SETTLE = 0.05  # how long the files must stay unchanged before a rebuild
LONGEST = 1.0  # a change is reported by then even if files keep changing
# editors' swap, backup and lock files: saving one is not saving the site
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part")
_IGNORED_PREFIXES = (".#", ".~lock.")


def _ignored(name: str) -> bool:
    return name.endswith(_IGNORED_SUFFIXES) or name.startswith(_IGNORED_PREFIXES)


def _walk(folder: str, into: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone, or not a folder: its absence is what the snapshot records
        return
    for entry in entries:
        if _ignored(entry.name) or entry.name in {".git", "__pycache__"}:
            continue
        try:
            if entry.is_dir():
                _walk(entry.path, into)
            else:
                info = entry.stat()
                into[entry.path] = (info.st_mtime_ns, info.st_size)
        except OSError:  # removed while we looked
            continue


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every file under ``paths`` (folders, walked; or files) with its mtime and size."""
    found: Snapshot = {}
    for path in paths:
        if path.is_dir():
            _walk(str(path), found)
        else:
            try:
                info = path.stat()
            except OSError:
                continue
            found[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The files added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def wait_for_change(
    paths: Callable[[], Iterable[Path]], since: Snapshot, timeout: float | None = None
) -> list[str] | None:
    """Block until the files differ from ``since`` and have settled, then say which changed;
    None if nothing did within ``timeout`` seconds. ``paths`` is asked again each time (a
    settings change may move the content)."""
    give_up = None if timeout is None else time.monotonic() + timeout
    while True:
        time.sleep(INTERVAL)
        current = snapshot(paths())
        if current != since:
            break
        if give_up is not None and time.monotonic() >= give_up:
            return None
    first_seen = time.monotonic()
    while time.monotonic() - first_seen < LONGEST:
        time.sleep(SETTLE)
        latest = snapshot(paths())
        if latest == current:
            break
        current = latest
    return changed(since, current)
