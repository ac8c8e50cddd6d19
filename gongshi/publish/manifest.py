"""The build's manifest: every file of the output with its hash, for a deploy that uploads only
what changed (:mod:`gongshi.publish.deploy`).

Each build writes ``.gongshi-manifest.json`` at the root of its output, beside the marker
``.gongshi-build``, after everything else and before the new output is swapped in. Like the
marker it is the build's own bookkeeping: it lists every file but the two of them, is never
served by the shipped nginx configuration (dot files are not), and is uploaded to an object store
last, so the copy in the bucket always describes what the bucket holds. It holds nothing that is
not public anyway (paths, sizes and hashes of public files), so a bucket that serves it leaks
nothing.

The same files give the same bytes: paths sorted, no times, JSON with sorted keys.

Hashing every file costs about as much as reading the whole output (a few seconds at 10,000
items). A build that takes unchanged files over from the previous output as hard links (an
incremental build) need not pay it: a file that is the very same inode as the previous output's
file of the same path has that file's bytes, so its hash is taken from the previous manifest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import GongshiError
from ..outputs import replace
from .serving import cache_control, content_type

MANIFEST = ".gongshi-manifest.json"
FORMAT = "gongshi-manifest/1"
_CHUNK = 1 << 20


class ManifestError(GongshiError):
    """A manifest that cannot be read: missing, not JSON, or not a Gongshi manifest."""

    exit_code = 2


@dataclass(frozen=True)
class Entry:
    """One file as it is to be stored: its bytes' hash and size, and the headers it is served
    with (a change of either means uploading it again)."""

    sha256: str
    size: int
    type: str
    cache: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _known(previous: Path | None) -> dict[str, Entry]:
    """The previous output's manifest, or nothing if it has none that can be read."""
    if previous is None:
        return {}
    try:
        return read(previous / MANIFEST)
    except ManifestError:
        return {}


class Stat(NamedTuple):
    """What a listing keeps of an entry's ``lstat``: what a write to it changes, and what names
    its file (device and inode; ``os.path.samestat`` takes it). The output is listed in another
    process while the search runs (``run._listed_with_search``): 31,000 of these are sent back
    and read in 0.11 s, where as many ``os.stat_result`` took 0.3 s, 0.14 s of it in the
    builder's process once its search was done."""

    st_mode: int
    st_ino: int
    st_dev: int
    st_size: int
    st_mtime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> Stat:
        return cls(info.st_mode, info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns)


Listing = list[tuple[str, str, Stat]]  # relative path ("/"), full path, lstat


def listing(
    root: Path,
    folders: list[str] | None = None,
    leave_out: Collection[str] = (),
    prefix: str = "",
) -> Listing:
    """Every entry below ``root`` that is not a folder (a link to one included), dot files too,
    with its ``lstat``, in no particular order: what a spare had is pruned from it
    (:meth:`gongshi.publish.spare.Spare.prune`) and what is left is :func:`scan`'s. Folders are
    read with ``os.scandir``, whose entries know their kind: 31,000 files in 0.25 s, where
    ``os.walk`` and a ``lstat`` of each took 0.6 s. ``folders``, if given, gets the relative
    path of every folder below ``root``; ``leave_out``: names in ``root`` not listed;
    ``prefix``: what each relative path begins with (``root``'s own below the output)."""
    found: Listing = []
    top = str(root)
    pending = [(top, prefix)]
    while pending:
        folder, prefix = pending.pop()
        left_out = leave_out if folder == top else ()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in left_out:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                    if folders is not None:
                        folders.append(prefix + entry.name)
                else:
                    found.append(
                        (
                            prefix + entry.name,
                            entry.path,
                            Stat.of(entry.stat(follow_symlinks=False)),
                        )
                    )
    return found


def _files(output: Path, found: Listing | None) -> Iterator[tuple[str, str, Stat]]:
    """Of :func:`listing`, every regular file but the dot files and what is in dot folders —
    the marker, the manifest, which the shipped nginx configuration does not serve either."""
    for relative, full, info in listing(output) if found is None else found:
        if stat.S_ISREG(info.st_mode) and not any(
            part.startswith(".") for part in relative.split("/")
        ):
            yield relative, full, info


def _same_file(info: Stat, other: str) -> bool:
    try:
        there = os.stat(other)
    except OSError:
        return False
    return (info.st_ino, info.st_dev) == (there.st_ino, there.st_dev)


# what a cached build keeps of each file it listed (``publish/cache.py``): its inode, size and
# modification time (ns) when it was hashed, and its entry's text in the manifest
Hashed = dict[str, tuple[tuple[int, int, int], str]]


def _scanned(
    output: Path, previous: Path | None, found: Listing | None, hashed: Hashed | None
) -> Iterator[tuple[str, Entry | None, tuple[int, int, int]]]:
    """Each file of ``output`` but the bookkeeping, sorted: its path, its entry (None: as
    ``hashed`` has it), its inode, size and modification time."""
    known: dict[str, Entry] | None = None
    hashed = hashed or {}
    for relative, full, info in sorted(_files(output, found)):
        file = (info.st_ino, info.st_size, info.st_mtime_ns)
        kept = hashed.get(relative)
        if kept is not None and kept[0] == file:  # the very file hashed, untouched since
            yield relative, None, file
            continue
        if known is None:  # a file linked from ``previous`` is one ``hashed`` has, if any
            known = _known(previous) if not hashed else {}
        old = known.get(relative)
        if old is not None and previous is not None and _same_file(info, f"{previous}/{relative}"):
            digest = old.sha256
        else:
            digest = _sha256(Path(full))
        entry = Entry(digest, info.st_size, content_type(relative), cache_control(relative))
        yield relative, entry, file


def scan(
    output: Path, previous: Path | None = None, found: Listing | None = None
) -> dict[str, Entry]:
    """Every file of ``output`` (``found``: its :func:`listing`, if taken already) but the
    bookkeeping, by its ``/``-separated relative path; the hashes of files hard-linked from
    ``previous`` (the output being replaced) are reused."""
    return {
        relative: entry
        for relative, entry, _ in _scanned(output, previous, found, None)
        if entry is not None
    }


def _text(name: str, e: Entry) -> str:
    """One entry of the manifest, as ``json.dumps`` writes it (see :func:`dumps`)."""
    text = functools.partial(json.dumps, ensure_ascii=False)
    return (
        f'  {text(name)}: {{\n   "cache": {text(e.cache)},\n   "sha256": {text(e.sha256)},\n'
        f'   "size": {e.size:d},\n   "type": {text(e.type)}\n  }}'
    )


def _document(texts: list[str]) -> Iterator[str]:
    """The manifest of the entries ``texts`` (:func:`_text`), piece by piece."""
    end = f',\n "format": {json.dumps(FORMAT)}\n}}\n'
    if not texts:
        yield f'{{\n "files": {{}}{end}'
        return
    yield '{\n "files": {\n'
    for number, text in enumerate(texts):
        if number:
            yield ",\n"
        yield text
    yield f"\n }}{end}"


def dumps(files: dict[str, Entry]) -> str:
    """The manifest as ``json.dumps(…, ensure_ascii=False, sort_keys=True, indent=1)`` writes it,
    line for line, with each string encoded by the C encoder: with ``indent`` the json module
    encodes in Python, half a second at 31,000 files."""
    return "".join(_document([_text(name, e) for name, e in sorted(files.items())]))


def write(
    output: Path,
    previous: Path | None = None,
    found: Listing | None = None,
    hashed: Hashed | None = None,
) -> tuple[list[str], Hashed]:
    """Write the manifest of ``output`` into it; the paths it lists, and what to keep of each
    file for the next build's ``hashed`` (a file whose inode, size and modification time are
    as kept is not read, nor its entry made again: a body edit at 10,000 items lists 31,000
    files and changes some 130). ``previous`` is the output it is to replace, whose manifest
    gives the hashes of files linked from it."""
    texts: list[str] = []
    now: Hashed = {}
    for relative, entry, file in _scanned(output, previous, found, hashed):
        if entry is None and hashed is not None:  # kept: the very object, as it was read
            now[relative] = hashed[relative]
        else:
            assert entry is not None
            now[relative] = (file, _text(relative, entry))
        texts.append(now[relative][1])
    replace.write_parts(output / MANIFEST, _document(texts))  # a spare's is the output's own
    return list(now), now


def _entry(name: str, value: Any, where: Path) -> Entry:
    try:
        return Entry(
            str(value["sha256"]), int(value["size"]), str(value["type"]), str(value["cache"])
        )
    except (TypeError, KeyError, ValueError) as exc:
        raise ManifestError(f"清单 {where} 中 {name!r} 一项不完整（{exc}）") from exc


def read(path: Path) -> dict[str, Entry]:
    """A manifest written by :func:`write` (this build's or an earlier one's)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(
            f"找不到清单文件 {path}（输出目录由 gongshi build 生成时才有 {MANIFEST}）"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"无法读取清单文件 {path}：{' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f'{path} 不是 Gongshi 的文件清单（应有 "format": "{FORMAT}"）')
    files = data.get("files")
    if not isinstance(files, dict):
        raise ManifestError(f"清单 {path} 缺少 files")
    return {str(name): _entry(str(name), value, path) for name, value in files.items()}
