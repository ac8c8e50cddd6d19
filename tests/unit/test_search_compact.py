"""outputs/search/compact: fragments renamed by position, index chunks cut before each Chinese
character and where other words' first two characters change; the same bundle in, the same out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gongshi.errors import BuildError
from gongshi.outputs.search.bundle import pack, read
from gongshi.outputs.search.compact import compact


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


def test_fragments_are_renamed_by_position_with_a_prefix_from_all_names(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    compact(bundle)
    pages = _meta(bundle)[1]
    names = [name for name, _ in pages]
    prefix = names[0][:6]
    assert names == [f"{prefix}0", f"{prefix}1", f"{prefix}2"]
    assert [words for _, words in pages] == [10, 20, 30]
    for n, name in enumerate(names):  # the same fragment, under its new name
        assert (bundle / "fragment" / f"{name}.pf_fragment").read_bytes() == f"page {n}".encode()
    assert len(list((bundle / "fragment").iterdir())) == 3
    assert len(list(bundle.glob("*.pf_meta"))) == 1
    other = _bundle(tmp_path / "other")  # another page's content: every name changes
    (other / "fragment" / "zh-cn_10862d6.pf_fragment").rename(
        other / "fragment" / "zh-cn_10862d7.pf_fragment"
    )
    meta = _meta(other)
    meta[1][2][0] = "zh-cn_10862d7"
    _write(other / "pagefind.zh-cn_0123456789abc.pf_meta", meta)
    compact(other)
    assert not {name for name, _ in _meta(other)[1]} & set(names)


def test_chunks_are_cut_before_characters_and_where_prefixes_change(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    compact(bundle)
    chunks = _meta(bundle)[2]
    assert [[first, last] for first, last, _ in chunks] == [
        ["4", "4"],
        ["40", "40"],
        ["42", "420"],
        ["5", "5"],
        ["员", "员工"],
        ["哨", "哨"],
        ["商", "商"],
        ["电", "电梯"],
    ]
    words = {w[0]: w for w in WORDS_A + WORDS_B + WORDS_C}
    for first, last, name in chunks:  # each holds its words, postings as Pagefind wrote them
        content = read(bundle / "index" / f"{name}.pf_index")
        assert content == [[w for key, w in words.items() if first <= key <= last]]
    assert chunks[-1][2] == "zh-cn_c"  # a chunk with nothing to cut is left as it is
    kept = {name for _, _, name in chunks}
    assert {p.stem for p in (bundle / "index").iterdir()} == kept


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
