"""The SHA-256 of the files a build reads, taken again only for a file that is not as it was.

A cached build digests every file it reads twice before reading any: the content, the theme and
the code for the key of the whole build (``cache.inputs_key``), each content file again for the
key of what reading it gives (``loader._keys``) — 10,000 files read and hashed twice, 0.5 s of a
body edit. The cache keeps each file's digest with what ``stat`` said of it then (device, inode,
size, modification and change times, in nanoseconds) and when it was taken; a later build uses
the kept digest of a file whose ``stat`` says the same.

The change time cannot be set by any tool (touching a file, copying it with its times, checking it
out of git: each sets it to now), so a file written since has another. One case is left, which
git calls "racy": a file written in the same tick of a coarse clock as it was digested (some file
systems keep times to the second) could change and keep every time. So, as git does, a digest
is only used for a file whose modification and change times are :data:`RACY` older than the
moment it was taken; a file written just before it is digested again next time, and then kept.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping

RACY = 3_000_000_000  # ns: a digest is used only for a file older than this when it was taken

# a file's stat (device, inode, size, modification and change times in ns), its SHA-256, and
# when that was taken (ns since the epoch)
Kept = tuple[tuple[int, int, int, int, int], bytes, int]


class FileDigests:
    """Digests of files by path (``kept``: what an earlier build took); :attr:`now` holds what
    this build used, to keep for the next."""

    def __init__(self, kept: Mapping[str, Kept] | None = None) -> None:
        self._kept = kept or {}
        self.now: dict[str, Kept] = {}

    def of(self, path: str) -> bytes:
        """The SHA-256 of the file at ``path`` (links followed, as reading it does)."""
        info = os.stat(path)
        key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        found = self.now.get(path)  # taken in this build: a file changed meanwhile is this
        if found is not None and found[0] == key:  # build's to see or not, as with any tool
            return found[1]
        found = self._kept.get(path)
        if (
            found is None
            or found[0] != key
            or found[2] - max(info.st_mtime_ns, info.st_ctime_ns) < RACY
        ):
            taken = time.time_ns()
            with open(path, "rb") as handle:
                found = (key, hashlib.file_digest(handle, "sha256").digest(), taken)
        self.now[path] = found
        return found[1]
