"""A mapping kept in one file of the cache, written and read a slice at a time.

The file is the SHA-256 of the rest, then a stream of pickles: a header (the layout, and what the
mapping was made under, such as the settings' digest), then the mapping's entries in slices of
:data:`SLICE`. A pickler remembers every object it has written so far (its memo, a table as long
as the objects), and a whole mapping of 50,000 items pickled at once held some 250 MiB of it, with
the pickle's bytes twice over; slice by slice, neither the pickler nor the unpickler ever holds
more than one slice's, and nothing is held whole but the mapping itself.

Only Gongshi reads what Gongshi wrote here: the digest is checked before anything is unpickled,
and a file that does not read back exactly (damaged, cut short, an earlier layout) is refused.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

LAYOUT = "gongshi-picklefile-2"  # an earlier layout (one pickle of the whole) is refused
DIGEST = 32  # bytes of the SHA-256 at the start
SLICE = 1000  # entries per pickle


class Refused(ValueError):
    """The file is not one this module wrote, or not as it wrote it."""


class Outdated(Refused):
    """The file is whole, but of an earlier layout (an earlier Gongshi wrote it): not damage,
    only not reusable, as anything an earlier version kept."""


class _Hashing:
    """A binary file that digests what is written to it."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.file.write(data)


def _slices(entries: Mapping[str, Any]) -> Iterator[list[tuple[str, Any]]]:
    items = iter(entries.items())
    while chunk := list(itertools.islice(items, SLICE)):
        yield chunk


def write(path: Path, header: Mapping[str, Any], entries: Mapping[str, Any]) -> None:
    """Keep ``header`` and ``entries`` at ``path``, replacing it in one step (a temporary file
    beside it, renamed; removed on any failure). OSError if it cannot be written."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as file:
            file.write(bytes(DIGEST))  # the digest's place, filled in once it is known
            hashing = _Hashing(file)
            count = (len(entries) + SLICE - 1) // SLICE
            pickle.dump((LAYOUT, dict(header), count), hashing, pickle.HIGHEST_PROTOCOL)
            for chunk in _slices(entries):
                pickle.dump(chunk, hashing, pickle.HIGHEST_PROTOCOL)  # a new memo each
            file.seek(0)
            file.write(hashing.digest.digest())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and entries :func:`write` kept at ``path``. :class:`Refused` if they are not
    as it wrote them; OSError if the file cannot be read."""
    with path.open("rb") as file:
        recorded = file.read(DIGEST)
        if hashlib.file_digest(file, "sha256").digest() != recorded:
            raise Refused("内容与记录的 SHA-256 不符")
        file.seek(DIGEST)
        try:
            return _unpickled(file)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
            raise Refused(f"{type(exc).__name__}: {exc}") from exc


def _unpickled(file: BinaryIO) -> tuple[dict[str, Any], dict[str, Any]]:
    start = pickle.load(file)  # our own file: its digest is the one we wrote
    if not (isinstance(start, tuple) and len(start) == 3 and start[0] == LAYOUT):
        raise Outdated("旧版本 Gongshi 的缓存格式")
    _, header, count = start
    entries: dict[str, Any] = {}
    for _ in range(count):
        entries.update(pickle.load(file))
    if file.read(1):
        raise Refused("文件末尾有多余的内容")
    return header, entries
