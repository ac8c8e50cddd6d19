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
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GongshiError
from .serving import cache_control, content_type, hidden

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


def scan(output: Path) -> dict[str, Entry]:
    """Every file of ``output`` but the bookkeeping, by its ``/``-separated relative path."""
    files: dict[str, Entry] = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if hidden(relative) or not path.is_file() or path.is_symlink():
            continue
        files[relative] = Entry(
            _sha256(path), path.stat().st_size, content_type(relative), cache_control(relative)
        )
    return files


def dumps(files: dict[str, Entry]) -> str:
    data = {
        "format": FORMAT,
        "files": {
            name: {"sha256": e.sha256, "size": e.size, "type": e.type, "cache": e.cache}
            for name, e in sorted(files.items())
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def write(output: Path) -> Path:
    """Write the manifest of ``output`` into it, and return its path."""
    target = output / MANIFEST
    target.write_text(dumps(scan(output)), encoding="utf-8")
    return target


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
