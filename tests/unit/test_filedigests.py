"""The digests of files a build reads (``publish/filedigests.py``): a kept digest is used only
for the very file it was taken of, unchanged since, and old enough not to be racy."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from gongshi.publish.filedigests import RACY, FileDigests

PLANTED = b"\0" * 32  # a digest no file has: used only if the kept one is taken as it is


def kept(path: Path, taken: int | None = None) -> dict[str, tuple]:
    info = os.stat(path)
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return {str(path): (key, PLANTED, taken if taken is not None else time.time_ns())}


def sha(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def aged(path: Path) -> int:
    """A moment long enough after the file's last change for its digest to be used."""
    info = os.stat(path)
    return max(info.st_mtime_ns, info.st_ctime_ns) + RACY


def test_a_kept_digest_of_the_same_file_is_used_and_kept_again(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("甲", encoding="utf-8")
    files = FileDigests(kept(path, aged(path)))
    assert files.of(str(path)) == PLANTED  # not read again
    assert files.now[str(path)][1] == PLANTED


def test_a_digest_taken_just_after_the_file_changed_is_not_used(tmp_path: Path) -> None:
    """Racy: on a clock coarser than the edits, a file changed in the same tick as it was
    digested could keep its times."""
    path = tmp_path / "a.md"
    path.write_text("甲", encoding="utf-8")
    files = FileDigests(kept(path, aged(path) - 1))
    assert files.of(str(path)) == sha(path)


def test_a_file_changed_since_is_read_again_whatever_times_it_was_given(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("甲乙", encoding="utf-8")
    before = os.stat(path)
    old = kept(path, aged(path))
    path.write_text("丙丁", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # its old times given back
    assert FileDigests(old).of(str(path)) == sha(path)  # the change time tells
    replaced = tmp_path / "b.md"
    replaced.write_text("甲乙", encoding="utf-8")
    os.replace(replaced, path)  # another file at the name: another inode
    assert FileDigests(old).of(str(path)) == sha(path)


def test_without_a_kept_digest_the_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("甲", encoding="utf-8")
    files = FileDigests()
    assert files.of(str(path)) == sha(path)
    assert files.now[str(path)][1] == sha(path)
