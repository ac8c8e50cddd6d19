"""The stat digest of a tree (``cache._stat_manifest``: ``cache.output_digest`` of its listing),
of the output and of a kept search bundle: the same for a tree nobody wrote to, and different
after any write, addition, removal or rename below it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from gongshi.publish.cache import _stat_manifest

DIGESTS = {"tree": _stat_manifest}


def _tree(root: Path) -> Path:
    (root / "meetings" / "a").mkdir(parents=True)
    (root / "meetings" / "a" / "index.html").write_text("<p>会议</p>", encoding="utf-8")
    (root / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    return root


def _rewrite_same_size(root: Path) -> None:
    page = root / "index.html"
    page.write_text("<p>改过</p>", encoding="utf-8")  # same length, new mtime and content
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 1_000_000))


def _replace_file(root: Path) -> None:
    page = root / "meetings" / "a" / "index.html"
    copy = page.with_name("new.html")
    copy.write_bytes(page.read_bytes())
    os.utime(copy, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns))
    copy.replace(page)  # same bytes and times, another inode


CHANGES: dict[str, Callable[[Path], object]] = {
    "rewritten": _rewrite_same_size,
    "grown": lambda root: (root / "index.html").write_text("<p>首页，多了</p>", encoding="utf-8"),
    "added": lambda root: (root / "meetings" / "b").mkdir(),
    "removed": lambda root: (root / "meetings" / "a" / "index.html").unlink(),
    "renamed": lambda root: (root / "meetings" / "a").rename(root / "meetings" / "c"),
    "replaced": _replace_file,
    "mode": lambda root: (root / "index.html").chmod(0o600),
}


@pytest.mark.parametrize("digest", list(DIGESTS))
def test_a_tree_nobody_wrote_to_keeps_its_digest(tmp_path: Path, digest: str) -> None:
    root = _tree(tmp_path)
    assert DIGESTS[digest](root) == DIGESTS[digest](root)
    assert len(DIGESTS[digest](root)) == 64


@pytest.mark.parametrize("digest", list(DIGESTS))
@pytest.mark.parametrize("change", list(CHANGES))
def test_any_write_below_changes_the_digest(tmp_path: Path, change: str, digest: str) -> None:
    root = _tree(tmp_path)
    (root / "index.html").chmod(0o644)
    before = DIGESTS[digest](root)
    CHANGES[change](root)
    assert DIGESTS[digest](root) != before
