"""outputs/search/compact: fragments renamed by bucket and place; the same bundle in, the same
out."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gongshi.errors import BuildError
from gongshi.outputs.search.bundle import pack, read
from gongshi.outputs.search.compact import _bucket_names, compact


def _posting(page: int, *positions: int) -> list[Any]:
    return [page, [-25, *positions], []]  # -25: Pagefind's weight mark before the positions


WORDS_A = [  # numbers: cut where the first two characters change
    ["4", [_posting(0, 3)]],
    ["40", [_posting(1, 5)]],
    ["42", [_posting(0, 7), _posting(2, 1)]],
    ["420", [_posting(1, 9)]],
    ["5", [_posting(2, 4)]],
]
WORDS_B = [  # Chinese: cut before every single character, words beginning with it stay
    ["员", [_posting(0, 1, 300)]],
    ["员工", [_posting(1, 2)]],
    ["哨", [_posting(2, 8)]],
    ["商", [_posting(0, 2), _posting(1, 3, 4), _posting(2, 5)]],
]
WORDS_C = [["电", [_posting(0, 6)]], ["电梯", [_posting(1, 6)]]]  # nothing to cut


def _write(path: Path, value: Any) -> str:
    data, _ = pack(value)
    path.write_bytes(data)
    return path.stem


def _bundle(root: Path) -> Path:
    bundle = root / "pagefind"
    for folder in ("index", "fragment", "filter"):
        (bundle / folder).mkdir(parents=True)
    pages = []
    for n, name in enumerate(["zh-cn_95fb113", "zh-cn_2af71e3", "zh-cn_10862d6"]):
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(f"page {n}".encode())
        pages.append([name, 10 * (n + 1)])
    chunks = []
    for words, name in (
        (WORDS_A, "zh-cn_aaaaaaa"),
        (WORDS_B, "zh-cn_bbbbbbb"),
        (WORDS_C, "zh-cn_c"),
    ):
        _write(bundle / "index" / f"{name}.pf_index", [words])
        chunks.append([words[0][0], words[-1][0], name])
    meta = ["1.5.2", pages, chunks, [], [], ["title"]]
    _write(bundle / "pagefind.zh-cn_0123456789abc.pf_meta", meta)
    entry = {"version": "1.5.2", "languages": {"zh-cn": {"hash": "zh-cn_0123456789abc"}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    return bundle


def _meta(bundle: Path) -> Any:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return read(bundle / f"pagefind.{entry['languages']['zh-cn']['hash']}.pf_meta")


def _fragments(bundle: Path, count: int) -> None:
    """Give ``bundle`` ``count`` pages, fragment ``n`` holding ``page n``, named as Pagefind
    names them (a hash of the content)."""
    for old in (bundle / "fragment").iterdir():
        old.unlink()
    pages = []
    for n in range(count):
        content = f"page {n}".encode()
        name = f"zh-cn_{hashlib.sha256(content).hexdigest()[:7]}"
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(content)
        pages.append([name, n + 1])
    meta = _meta(bundle)
    meta[1] = pages
    _write(bundle / "pagefind.zh-cn_0123456789abc.pf_meta", meta)


def _edit_page(bundle: Path, n: int) -> None:
    """Page ``n`` has new content: a new fragment under a new Pagefind name."""
    meta = _meta(bundle)
    old = meta[1][n][0]
    (bundle / "fragment" / f"{old}.pf_fragment").unlink()
    content = f"page {n}, edited".encode()
    name = f"zh-cn_{hashlib.sha256(content).hexdigest()[:7]}"
    (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(content)
    meta[1][n][0] = name
    _write(bundle / "pagefind.zh-cn_0123456789abc.pf_meta", meta)


def test_fragments_are_renamed_by_bucket_and_place(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    _fragments(bundle, 70)  # buckets of 32, 32 and 6
    compact(bundle)
    pages = _meta(bundle)[1]
    names = [name for name, _ in pages]
    assert [words for _, words in pages] == list(range(1, 71))
    buckets = [names[0][:7], names[32][:7], names[64][:7]]
    assert len(set(buckets)) == 3
    assert names == [f"{buckets[n // 32]}{n % 32:02x}" for n in range(70)]
    for n, name in enumerate(names):  # the same fragment, under its new name
        assert (bundle / "fragment" / f"{name}.pf_fragment").read_bytes() == f"page {n}".encode()
    assert len(list((bundle / "fragment").iterdir())) == 70
    assert len(list(bundle.glob("*.pf_meta"))) == 1


def test_an_edited_page_renames_its_bucket_and_nothing_else(tmp_path: Path) -> None:
    before, after = _bundle(tmp_path / "before"), _bundle(tmp_path / "after")
    _fragments(before, 70)
    _fragments(after, 70)
    _edit_page(after, 40)
    compact(before)
    compact(after)
    old = [name for name, _ in _meta(before)[1]]
    new = [name for name, _ in _meta(after)[1]]
    changed = [n for n in range(70) if old[n] != new[n]]
    assert changed == list(range(32, 64))  # the edited page's bucket: a cached copy is not reused
    assert not set(new[32:64]) & set(old)
    files = {p.name: p.read_bytes() for p in (after / "fragment").iterdir()}
    for n in range(70):  # a name kept holds the same bytes as before
        if n not in changed:
            assert files[f"{new[n]}.pf_fragment"] == f"page {n}".encode()


def test_bucket_names_never_clash(tmp_path: Path) -> None:
    pages = [[f"zh-cn_{n % 3}", 1] for n in range(32 * 4)]  # buckets that hash alike
    names = _bucket_names(pages)
    assert len(names) == 4
    assert len(set(names)) == 4
    assert all(len(name) == 7 for name in names)


def test_the_same_bundle_gives_the_same_bytes(tmp_path: Path) -> None:
    one, two = _bundle(tmp_path / "one"), _bundle(tmp_path / "two")
    compact(one)
    compact(two)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for path in files:
        assert (one / path).read_bytes() == (two / path).read_bytes()


def test_a_layout_it_does_not_know_is_a_build_error(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    shutil.rmtree(bundle / "fragment")
    with pytest.raises(BuildError, match="无法压缩 Pagefind 的索引文件"):
        compact(bundle)
