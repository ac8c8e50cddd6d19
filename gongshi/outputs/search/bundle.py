"""Pagefind's filter files, rewritten in one order so that a build is byte-identical.

Pagefind 1.5 keeps filters in Rust hash maps, whose order is seeded at random in each run: the
values inside each ``filter/*.pf_filter`` file and the list of filters in ``pagefind.*.pf_meta``
come out in a different order every time. Files are named by a hash of their content, so the
names change too, and with them the meta file and ``pagefind-entry.json``. Everything else
Pagefind writes (index chunks, fragments, its scripts) is the same from run to run.

So after indexing, each filter file is read, its values sorted by text, and written back under a
name made from its new content; the meta file lists the filters by name and is renamed the same
way; the entry file points to it. Both kinds of file are gzip'd ``pagefind_dcd`` + CBOR made of
text, integers and arrays only, which is all the small codec below handles (it
writes exactly what Pagefind writes: definite lengths, shortest integers).

Every file rewritten here and in ``compact.py`` is compressed by :func:`gzip_bytes`: libdeflate
(the ``deflate`` package), whose strongest levels make files 7 % smaller than zlib's level 9 in
half its time (the index chunks at 10,000 items: 2.47 MB in 2.3 s against 2.66 MB in 5.2 s), and
release the GIL, so the chunks are compressed on every core. Its gzip header has no time or name:
the same bytes in give the same file.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import deflate

from ...errors import BuildError

MAGIC = b"pagefind_dcd"
SMALLEST = 12  # libdeflate's strongest level: for the files every query downloads (meta, filters)
META_FILTERS = 3  # position of the [[filter name, file hash], …] list in a pf_meta file


def _decode(data: bytes, at: int = 0) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    else:
        raise ValueError(f"CBOR item {data[at - 1]:#x} not expected in a Pagefind file")
    if major == 0:
        return value, at
    if major == 1:  # a negative integer: a weight mark in an index chunk's word positions
        return -1 - value, at
    if major == 3:
        return data[at : at + value].decode("utf-8"), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} not expected in a Pagefind file")


@functools.lru_cache(maxsize=1 << 16)  # lengths, counts, page numbers: the same ones again
def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    info, size = next((24 + i, 1 << i) for i in range(4) if value < 1 << (8 << i))
    return bytes([major << 5 | info]) + value.to_bytes(size, "big")


def _encode(value: Any) -> bytes:
    """``value`` (text, integers, arrays of them) as CBOR, as Pagefind writes it. Into one
    buffer, by the value's exact type first: a meta file lists every page, 10,000 pairs at
    10,000 items, encoded again in every build that changes one."""
    out = bytearray()
    _encode_into(value, out)
    return bytes(out)


def _encode_into(value: Any, out: bytearray) -> None:
    kind = type(value)
    if kind is list:
        out += _head(4, len(value))
        for item in value:
            _encode_into(item, out)
    elif kind is str:
        data = value.encode("utf-8")
        out += _head(3, len(data))
        out += data
    elif kind is int:
        out += _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, str):  # a subclass of text, of a list, of an integer: as its base
        _encode_into(str(value), out)
    elif isinstance(value, list):
        _encode_into(list(value), out)
    elif isinstance(value, int) and not isinstance(value, bool):
        _encode_into(int(value), out)
    else:
        raise ValueError(f"{kind.__name__} not expected in a Pagefind file")


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"{path.name} is not a Pagefind data file")
    value, end = _decode(data, len(MAGIC))
    if end != len(data):
        raise ValueError(f"{path.name} has data after its CBOR value")
    return value


def gzip_bytes(data: bytes, level: int = SMALLEST) -> bytes:
    """``data`` gzip'd as Pagefind's files are (any gzip reader reads it), deterministically."""
    return bytes(deflate.gzip_compress(data, level))


def pack(value: Any) -> tuple[bytes, str]:
    """The file bytes for ``value`` and the hash of its content, which names the file."""
    data = MAGIC + _encode(value)
    return gzip_bytes(data), hashlib.sha256(data).hexdigest()


def _sorted_filter(bundle: Path, language: str, file_hash: str) -> str:
    path = bundle / "filter" / f"{file_hash}.pf_filter"
    name, values = read(path)
    path.unlink()
    data, digest = pack([name, [[value, sorted(pages)] for value, pages in sorted(values)]])
    new_hash = f"{language}_{digest[:7]}"
    (bundle / "filter" / f"{new_hash}.pf_filter").write_bytes(data)
    return new_hash


def rewrite_metas(bundle: Path, rewrite: Callable[[str, Any], None], failure: str) -> None:
    """Each language's meta file of ``bundle`` read, changed in place by ``rewrite(language,
    meta)``, written back under a name made from its new content, and the entry file pointed to
    it; any error reading Pagefind's layout is a :class:`BuildError` that starts ``failure``."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = read(meta_path)
            meta_path.unlink()
            rewrite(language, meta)
            data, digest = pack(meta)
            info["hash"] = f"{language}_{digest[:13]}"
            (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BuildError(f"{failure}（Pagefind 版本不符？）：{exc}") from exc
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def make_deterministic(bundle: Path) -> None:
    """Rewrite the filter files, meta files and entry of ``bundle`` in a fixed order."""

    def sort_filters(language: str, meta: Any) -> None:
        meta[META_FILTERS] = [
            [name, _sorted_filter(bundle, language, file_hash)]
            for name, file_hash in sorted(meta[META_FILTERS])
        ]

    rewrite_metas(bundle, sort_filters, "无法整理 Pagefind 的索引文件")
