"""The folders of previews that were killed: found and removed by the next ``gongshi serve``.

A preview lives in a temporary folder (``gongshi-serve-…``, in /dev/shm when there is room:
memory), removed when serve stops. A serve that is killed (SIGKILL, its terminal closed, the
machine's out-of-memory killer) leaves it behind: at 10,000 items 400 MB of memory, until the
machine restarts. So each serve marks its folder with its process (:func:`mark`: the process id
and when that process started, which tells it from a later process given the same id), and a
serve starting removes the folders whose process is gone (:func:`remove_left`). Only folders of
ours are touched: a folder, not a link, owned by this user, named as serve names them, holding a
mark serve wrote, whose process is gone (another user's process, which cannot be asked more,
counts as running).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from ..publish.guards import runs

PREFIX = "gongshi-serve-"
MARK = "gongshi-serve.json"


def started(pid: int) -> str | None:
    """When process ``pid`` started (its start time in clock ticks since boot, from
    ``/proc``), or None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rpartition(")")[2].split()
    except OSError:
        return None
    return fields[19] if len(fields) > 19 else None  # the 22nd field, after "pid (name)"


def mark(folder: Path) -> None:
    """Mark ``folder`` as this process's preview."""
    (folder / MARK).write_text(
        json.dumps({"pid": os.getpid(), "started": started(os.getpid())}), encoding="utf-8"
    )


def _gone(pid: int, when: str | None) -> bool:
    """Whether process ``pid``, which started at ``when``, is no longer running."""
    if not runs(pid):
        return True
    now = started(pid)
    return when is not None and now is not None and now != when  # the id, given again


def _left(folder: str) -> bool:
    """Whether ``folder`` is the preview of a serve that is gone."""
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        with open(os.path.join(folder, MARK), encoding="utf-8") as handle:
            found = json.load(handle)
        pid, when = found["pid"], found["started"]
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not a marked folder of ours
    return isinstance(pid, int) and pid > 0 and _gone(pid, when if isinstance(when, str) else None)


def remove_left(*places: str | None) -> list[str]:
    """Remove the previews left in ``places`` (temporary folders; None: the system's) by
    serves that are gone; the folders removed."""
    removed = []
    for place in dict.fromkeys(p if p is not None else tempfile.gettempdir() for p in places):
        with contextlib.suppress(OSError), os.scandir(place) as entries:
            for entry in entries:
                if entry.name.startswith(PREFIX) and _left(entry.path):
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed.append(entry.path)
    return sorted(removed)
