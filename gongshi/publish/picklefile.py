"""A mapping kept in one file of the cache, written and read a slice at a time.

The file is the SHA-256 of the rest, then a stream of pickles: a header (the layout, and what the
mapping was made under, such as the settings' digest), then the mapping's entries in slices of
:data:`SLICE`. A pickler remembers every object it has written so far (its memo, a table as long
as the objects), and a whole mapping of 50,000 items pickled at once held some 250 MiB of it, with
the pickle's bytes twice over; slice by slice, neither the pickler nor the unpickler ever holds
more than one slice's, and nothing is held whole but the mapping itself.

Only Gongshi reads what Gongshi wrote here: the digest is checked before anything is unpickled,
and a file that does not read back exactly (damaged, cut short, an earlier layout) is refused.

**Changes beside the whole.** A build that changes a few entries of a large mapping (a body edit:
a few of 31,000 page records, 30 MB) need not write it all again: :func:`write` given what
:func:`read_layers` read writes only the entries that are not the very objects read (and the
keys gone) to ``<file>.changes``, named by the digest of the whole file they change. They are
changes to the whole, not to the previous changes, so each build replaces that file, and once
they reach a quarter of the entries the whole is written again and the changes file removed.
Changes of another file (left by a build stopped between the two) are never applied.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import itertools
import os
import pickle
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

LAYOUT = "gongshi-picklefile-2"  # an earlier layout (one pickle of the whole) is refused
DIGEST = 32  # bytes of the SHA-256 at the start
SLICE = 1000  # entries per pickle
CHANGES = "{}.changes"  # beside the whole file: its entries changed since (module text)


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


class _Gone:
    """A key of the whole that the mapping no longer has (pickled by name: one object)."""

    def __reduce__(self) -> str:
        return "GONE"


GONE = _Gone()


@dataclass(frozen=True)
class Layers:
    """What :func:`read_layers` read: the header, the entries (the whole's with the changes
    applied), the digest of the whole file, its keys, and the keys the changes gave or removed."""

    header: dict[str, Any]
    entries: dict[str, Any]
    digest: bytes
    whole: frozenset[str]
    changed: frozenset[str]


def _changes_of(path: Path) -> Path:
    return path.with_name(CHANGES.format(path.name))


def _changes(entries: Mapping[str, Any], read: Layers) -> dict[str, Any] | None:
    """What ``entries`` change of the whole ``read`` came from, or None if it is too much."""
    kept, at_most = read.entries, len(entries) // 4
    changes: dict[str, Any] = {}
    for key, value in entries.items():
        if key in read.changed or key not in read.whole or kept.get(key) is not value:
            changes[key] = value
            if len(changes) > at_most:
                return None
    changes.update((key, GONE) for key in read.whole if key not in entries)
    return changes if len(changes) <= at_most else None


class Memory:
    """What a long-lived process (``gongshi serve``) wrote, so that reading it back, while the
    files are as it left them, is no unpickling: the entries it wrote, by the path and the stat
    (inode, size, modification time) of the whole and of its changes. For mappings whose values
    are immutable (a later build shares them; a page record, a file read), as their keeper says."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[tuple[object, object], Layers]] = {}

    def layers(self, path: Path) -> Layers | None:
        found = self._kept.get(path)
        if found is None or found[0] != _stats(path):
            return None
        layers = found[1]  # the dict given anew: a reader's change is its own
        return dataclasses.replace(layers, entries=dict(layers.entries))

    def wrote(self, path: Path, layers: Layers) -> None:
        self._kept[path] = (_stats(path), layers)

    def forget(self, path: Path) -> None:
        self._kept.pop(path, None)


def _stats(path: Path) -> tuple[object, object]:
    def stat(of: Path) -> object:
        try:
            info = os.stat(of)
        except FileNotFoundError:
            return None
        return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)

    return stat(path), stat(_changes_of(path))


def write(
    path: Path,
    header: Mapping[str, Any],
    entries: Mapping[str, Any],
    over: Layers | None = None,
    memory: Memory | None = None,
) -> None:
    """Keep ``header`` and ``entries`` at ``path``, replacing it in one step (a temporary file
    beside it, renamed; removed on any failure). OSError if it cannot be written. ``over``: what
    was read from ``path``; if few entries changed since (and the header did not), only they are
    written, beside it (the module's text). ``memory``: remembers what was written."""
    if memory is not None:
        memory.forget(path)  # until written whole
    pending = prepare(path, header, entries, over)
    pending.install()
    if memory is not None:
        if pending.changes is not None and over is not None:
            layers = Layers(over.header, dict(entries), over.digest, over.whole, pending.changes)
        else:
            layers = Layers(
                dict(header), dict(entries), pending.digest, frozenset(entries), frozenset()
            )
        memory.wrote(path, layers)


@dataclass(frozen=True)
class Pending:
    """What :func:`prepare` wrote and :meth:`install` puts in place: the whole file, or the
    changes beside it (``changes``: their keys), in a temporary file of its own until then."""

    path: Path
    temporary: Path
    digest: bytes  # of the whole, or of the changes
    changes: frozenset[str] | None

    def install(self) -> None:
        """Put it in place (one rename; the changes of an earlier whole removed after it).
        OSError if it cannot be."""
        try:
            if self.changes is not None:
                os.replace(self.temporary, _changes_of(self.path))
            else:
                os.replace(self.temporary, self.path)
                _changes_of(self.path).unlink(missing_ok=True)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Never put in place (the build that wrote it failed): removed."""
        self.temporary.unlink(missing_ok=True)


def prepare(
    path: Path,
    header: Mapping[str, Any],
    entries: Mapping[str, Any],
    over: Layers | None = None,
) -> Pending:
    """:func:`write`'s file, written but not yet in place — a build keeps its page records
    before its search runs, and then holds them no more (at 50,000 items, 0.6 GiB of the
    build's memory), and puts them in place only once its site is. OSError if it cannot be
    written (nothing is left)."""
    changes = _changes(entries, over) if over is not None and over.header == header else None
    written: Mapping[str, Any]
    if over is not None and changes is not None:
        target, header = _changes_of(path), {"changes of": over.digest.hex()}
        written = changes
    else:
        target, written = path, entries
    temporary = temporary_of(target)
    digest = _write(temporary, header, written)
    return Pending(path, temporary, digest, frozenset(changes) if changes is not None else None)


def temporary_of(path: Path) -> Path:
    """Where ``path`` is written before it is put in place: beside it, named by this process."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write(temporary: Path, header: Mapping[str, Any], entries: Mapping[str, Any]) -> bytes:
    """Write the file ``temporary`` (removed on any failure); its digest."""
    try:
        with temporary.open("wb") as file:
            file.write(bytes(DIGEST))  # the digest's place, filled in once it is known
            hashing = _Hashing(file)
            count = (len(entries) + SLICE - 1) // SLICE
            pickle.dump((LAYOUT, dict(header), count), hashing, pickle.HIGHEST_PROTOCOL)
            for chunk in _slices(entries):
                pickle.dump(chunk, hashing, pickle.HIGHEST_PROTOCOL)  # a new memo each
            file.seek(0)
            digest = hashing.digest.digest()
            file.write(digest)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return digest


def read(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and entries :func:`write` kept at ``path``. :class:`Refused` if they are not
    as it wrote them; OSError if the file cannot be read."""
    read = read_layers(path)
    return read.header, read.entries


def read_layers(path: Path, memory: Memory | None = None) -> Layers:
    """What :func:`read` reads, and what :func:`write` needs to write only what changed (from
    ``memory``, if it wrote the files as they are)."""
    if memory is not None and (remembered := memory.layers(path)) is not None:
        return remembered
    header, entries, digest = _read(path)
    whole = frozenset(entries)
    try:
        changes_header, changes, _ = _read(_changes_of(path))
    except FileNotFoundError:
        return Layers(header, entries, digest, whole, frozenset())
    if changes_header.get("changes of") != digest.hex():  # of another whole: never applied
        return Layers(header, entries, digest, whole, frozenset())
    for key, value in changes.items():
        if value is GONE:
            entries.pop(key, None)
        else:
            entries[key] = value
    return Layers(header, entries, digest, whole, frozenset(changes))


def _read(path: Path) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    with path.open("rb") as file:
        recorded = file.read(DIGEST)
        if hashlib.file_digest(file, "sha256").digest() != recorded:
            raise Refused("内容与记录的 SHA-256 不符")
        file.seek(DIGEST)
        try:
            return (*_unpickled(file), recorded)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError) as exc:
            raise Refused(f"{type(exc).__name__}: {exc}") from exc


def _unpickled(file: BinaryIO) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and entries, unpickled with the cyclic garbage collector paused: unpickling
    makes no garbage, and a collection every few hundred objects made (each older generation
    visited in turn) took half the time of reading 30 MB of page records. What it made is then
    moved to the oldest generation untraversed (:func:`_aged`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _entries(file)
    finally:
        _aged()
        if enabled:
            gc.enable()


def _aged() -> None:
    """Every object the collector tracks moved to its oldest generation, none of them visited
    (``gc.freeze`` moves them all aside, ``gc.unfreeze`` puts them in the oldest generation):
    what was just unpickled lives as long as the build, and the first young collection after
    it visited each of the 1.5 million objects of 30 MB of page records, 0.3 s of a body edit.
    Cycles among them are still collected, with the oldest generation's."""
    gc.freeze()
    gc.unfreeze()


def _entries(file: BinaryIO) -> tuple[dict[str, Any], dict[str, Any]]:
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
