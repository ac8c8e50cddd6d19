"""outputs/search/merge: the bundle of any partition of the pages into shards, each indexed by a
real Pagefind run, is the same bytes, and holds what one Pagefind run over all of them holds.

The pages are small HTML files made here: Chinese text (one character per word, as the build
indexes it), Latin words with and without diacritics (Pagefind's ``additional_variants``),
filters, and metadata fields that only some pages have (so shards have different metadata
fields, and the words' metadata positions must be renumbered).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import words_merged
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gongshi import workers
from gongshi.errors import BuildError
from gongshi.outputs.search import indexing, wordindex
from gongshi.outputs.search.bundle import MAGIC, make_deterministic, read
from gongshi.outputs.search.compact import compact
from gongshi.outputs.search.merge import merge, pagefind_hash

TEXTS = [
    "楼道扶手补装修缮 café 协商 2024-04-16",
    "电动自行车充电 cafe 停车 naïve",
    "加装电梯 协商结果42 résumé",
    "垃圾分类 resume 物业 電梯",
    "游泳池 噪音 Zürich zurich",
    "议事协商 吹哨报到 民心项目",
]


def page(number: int) -> str:
    text = TEXTS[number % len(TEXTS)] + f" 第{number}号"
    meta = f'<span data-pagefind-meta="负责人:张 {number}"></span>' if number % 3 == 0 else ""
    extra = '<span data-pagefind-meta="地点:北宫 东区"></span>' if number % 4 == 1 else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><title>页面</title></head><body>'
        f'<main data-pagefind-body><h1 data-pagefind-meta="title">事项 {number}</h1>{meta}{extra}'
        f'<p data-pagefind-filter="类型">{("会议", "结果", "项目")[number % 3]}</p>'
        f"<p>{text}</p></main></body></html>"
    )


PAGES = 13


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("merge-site")
    for number in range(PAGES):
        path = root / "items" / f"p{number:02d}" / "index.html"
        path.parent.mkdir(parents=True)
        path.write_text(indexing.for_indexing(page(number)), encoding="utf-8")
    return root


def pagefind(site: Path, pages: list[int], into: Path) -> Path:
    copy = into / "copy"
    for number in pages:
        name = f"items/p{number:02d}/index.html"
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / name, copy / name)
    indexing.index(copy, into / "bundle")
    return into / "bundle"


@pytest.fixture(scope="module")
def whole(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pagefind(site, list(range(PAGES)), tmp_path_factory.mktemp("whole"))


@pytest.fixture(scope="module")
def merged_whole(whole: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "bundle"
    merge([whole], out)
    return out


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def meaning(root: Path) -> dict[str, Any]:
    """What a bundle says, pages named by URL and metadata fields by name: independent of the
    order of the pages and of the names of files."""
    entry = json.loads((root / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, info),) = entry["languages"].items()
    meta = read(root / f"pagefind.{info['hash']}.pf_meta")
    fields = meta[5]
    urls, fragments = [], {}
    for name, word_count in meta[1]:
        content = gzip.decompress((root / "fragment" / f"{name}.pf_fragment").read_bytes())
        url = json.loads(content[len(MAGIC) :])["url"]
        urls.append(url)
        fragments[url] = (content, word_count)

    def pages(packed: list[Any]) -> dict[str, Any]:
        found, number = {}, 0
        for delta, locs, meta_locs in packed:
            number += delta
            named = [f"<{fields[-1 - v]}>" if v < 0 else v for v in meta_locs]
            found[urls[number]] = (locs, named)
        return found

    words = {}
    for _, _, chunk in meta[2]:
        for word, packed, variants in read(root / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (pages(packed), {form: pages(p) for form, p in variants})
    filters = {}
    for name, file_hash in meta[3]:
        _, values = read(root / "filter" / f"{file_hash}.pf_filter")
        filters[name] = {value: sorted(urls[p] for p in found) for value, found in values}
    return {
        "language": language,
        "count": info["page_count"],
        "fragments": fragments,
        "words": words,
        "filters": filters,
        "fields": sorted(fields),
    }


def test_merging_one_bundle_keeps_what_it_says(whole: Path, merged_whole: Path) -> None:
    said = meaning(whole)
    assert said == meaning(merged_whole)
    assert any(variants for _, variants in said["words"].values())  # café, naïve … were there
    assert any(
        named for found, _ in said["words"].values() for _, named in found.values()
    )  # and words of metadata fields
    assert said["count"] == PAGES


def test_pages_are_in_url_order_and_files_named_by_their_content(merged_whole: Path) -> None:
    entry = json.loads((merged_whole / "pagefind-entry.json").read_text(encoding="utf-8"))
    info = entry["languages"]["zh-cn"]
    meta = read(merged_whole / f"pagefind.{info['hash']}.pf_meta")
    urls = []
    for name, _ in meta[1]:
        content = gzip.decompress((merged_whole / "fragment" / f"{name}.pf_fragment").read_bytes())
        urls.append(json.loads(content[len(MAGIC) :])["url"])
        assert name == "zh-cn_" + pagefind_hash(content[len(MAGIC) :])[:7]
    assert urls == sorted(urls)
    for _, _, chunk in meta[2]:
        data = gzip.decompress((merged_whole / "index" / f"{chunk}.pf_index").read_bytes())
        assert chunk == "zh-cn_" + hashlib.sha256(data).hexdigest()[:7]


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.integers(0, 3), min_size=PAGES, max_size=PAGES))
def test_any_partition_into_shards_gives_the_same_bundle(
    site: Path,
    merged_whole: Path,
    tmp_path_factory: pytest.TempPathFactory,
    shard_of: list[int],
) -> None:
    work = tmp_path_factory.mktemp("partition")
    shards = [
        [number for number in range(PAGES) if shard_of[number] == shard]
        for shard in sorted(set(shard_of))
    ]
    bundles = [pagefind(site, shard, work / str(n)) for n, shard in enumerate(shards)]
    merge(bundles, work / "merged")
    assert files(work / "merged") == files(merged_whole)


def edited(number: int) -> str:
    """Another version of page ``number``: other words, no metadata but its title, another
    filter value."""
    return (
        '<!doctype html><html lang="zh-CN"><head><title>页面</title></head><body>'
        f'<main data-pagefind-body><h1 data-pagefind-meta="title">改过的事项 {number}</h1>'
        f'<p data-pagefind-filter="类型">改动</p><p>{TEXTS[(number + 1) % len(TEXTS)]} 补记'
        f"{number}</p></main></body></html>"
    )


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sets(st.integers(0, PAGES - 1), min_size=1, max_size=6),
    st.sets(st.integers(0, PAGES - 1), max_size=2),
)
@example({1, 5, 9}, set())  # every page with the field 地点 changed: the field goes
@example({2, 8}, {5, 11})  # every page of the filter value 项目 changed or gone: the value goes
def test_a_bundle_less_pages_indexed_again_merges_into_the_bundle_of_the_pages(
    site: Path,
    whole: Path,
    tmp_path_factory: pytest.TempPathFactory,
    changed: set[int],
    removed: set[int],
) -> None:
    """A shard's kept bundle less the pages that changed or went (``leave_out``), merged with
    a bundle of the changed pages alone, gives what a bundle of the pages as they are now gives
    — their words, filters and metadata fields (a field only the old versions had goes)."""
    work = tmp_path_factory.mktemp("left-out")
    changed -= removed
    now = work / "site"
    shutil.copytree(site, now)
    for number in changed:
        path = now / "items" / f"p{number:02d}" / "index.html"
        path.write_text(indexing.for_indexing(edited(number)), encoding="utf-8")
    remaining = [number for number in range(PAGES) if number not in removed]
    merge([pagefind(now, remaining, work / "all")], work / "expected")
    bundles = [whole]
    if changed:
        bundles.append(pagefind(now, sorted(changed), work / "again"))
    left_out = {f"/items/p{number:02d}/" for number in changed | removed}
    merge(bundles, work / "merged", leave_out={whole: left_out})
    assert files(work / "merged") == files(work / "expected")


def test_a_finished_merge_is_what_make_deterministic_and_compact_make_of_a_merge(
    site: Path, whole: Path, tmp_path: Path
) -> None:
    """A build's bundle is merged ``finished``: filters, fragments and the meta file written
    at once as the two passes over a merged bundle would leave them, byte for byte — with
    several shards, pages left out and pages indexed again alone."""
    now = tmp_path / "site"
    shutil.copytree(site, now)
    for number in (2, 7):
        path = now / "items" / f"p{number:02d}" / "index.html"
        path.write_text(indexing.for_indexing(edited(number)), encoding="utf-8")
    shards = [whole, pagefind(now, [2, 7], tmp_path / "again")]  # whole less the two edited
    left_out = {whole: {"/items/p02/", "/items/p07/"}}
    for out, finished in ((tmp_path / "two-passes", False), (tmp_path / "finished", True)):
        merge(shards, out, leave_out=left_out, finished=finished)
    make_deterministic(tmp_path / "two-passes")
    compact(tmp_path / "two-passes")
    assert files(tmp_path / "finished") == files(tmp_path / "two-passes")
    assert meaning(tmp_path / "finished") == meaning(
        pagefind(now, list(range(PAGES)), tmp_path / "all")
    )


def test_leaving_out_a_page_a_bundle_does_not_have_is_an_error(whole: Path, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="leave out"):
        merge([whole], tmp_path / "merged", leave_out={whole: {"/items/p99/"}})


def test_shards_split_by_a_hash_of_the_path() -> None:
    pages = [f"meetings/m{n:04d}/index.html" for n in range(990)]
    shards = indexing.shards(pages, 100)
    assert len(shards) == 10
    assert sorted(p for shard in shards for p in shard) == pages
    assert max(len(shard) for shard in shards) < 130
    grown = indexing.shards([*pages[:500], "meetings/new/index.html", *pages[500:]], 100)
    assert len(grown) == len(shards)
    moved = [a != b for a, b in zip(shards, grown, strict=True)]
    assert moved.count(True) == 1  # a page added changes its own shard only
    assert indexing.shards(pages[:100], 100) == [pages[:100]]


def test_a_bundle_that_is_not_pagefinds_is_a_build_error(whole: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(whole, broken)
    chunk = next((broken / "index").iterdir())
    chunk.write_bytes(gzip.compress(MAGIC + b"\x81\x81\xa1"))
    with pytest.raises(BuildError, match="无法合并"):
        merge([broken], tmp_path / "out")


def test_shards_are_indexed_at_most_so_many_at_once_and_a_failure_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    running, most, done = [0], [0], []
    lock = threading.Lock()

    def index(copy: Path, bundle: Path, stopper: indexing.Runs | None = None) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
            done.append(copy.name)
        if copy.name == "3":
            raise BuildError("Pagefind 建立搜索索引失败：测试")

    monkeypatch.setattr(indexing, "index", index)
    runs = [(tmp_path / str(n), tmp_path / f"b{n}") for n in range(3)]
    indexing._run_pagefind(runs, 2)
    assert sorted(done) == ["0", "1", "2"] and most[0] == 2
    with pytest.raises(BuildError, match="测试"):
        indexing._run_pagefind([*runs, (tmp_path / "3", tmp_path / "b3")], 2)


def appended(number: int, words: str) -> str:
    """Page ``number`` with ``words`` added after its text: its other words where they were."""
    return page(number).replace("</p></main>", f"</p><p>{words}</p></main>")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_edit_of_a_page_merges_only_the_groups_of_the_words_it_changed(
    site: Path, whole: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """A page edited for the first time is left out of its shard's bundle and indexed alone:
    its words' groups have a new key, yet those it holds as it held them give the chunks they
    gave (``wordindex._Unleft``), and are taken from the bundle before — also at a later
    edit of another page of the shard (the key noted before is carried). Only the groups of the
    words added are merged, and the bundle is the pages' own — also when two workers merge a
    range of words each (the groups they found so come back to be noted)."""
    monkeypatch.setenv("GONGSHI_JOBS", jobs)
    if jobs != "1":
        monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
        monkeypatch.setattr(wordindex, "_splits", lambda shards, count, taken=None: ["电"])
    merging = words_merged(monkeypatch)
    diacritics = {
        wordindex.group_of(word)
        for word, (_, variants) in meaning(whole)["words"].items()
        if variants
    }
    words = wordindex.Words()
    merge([whole], tmp_path / "0", words=words)
    now = tmp_path / "site"
    shutil.copytree(site, now)
    before = tmp_path / "0"
    # the first edit of page 5, another, then the first of page 8 (in the same shard)
    steps = [{5: "新增"}, {5: "新增补"}, {5: "新增补", 8: "新增"}]
    for step, edits in enumerate(steps, start=1):
        for number, words_added in edits.items():
            path = now / "items" / f"p{number:02d}" / "index.html"
            path.write_text(indexing.for_indexing(appended(number, words_added)), "utf-8")
        again = pagefind(now, sorted(edits), tmp_path / f"again{step}")
        words = wordindex.Words(words.now, words.groups, pages=words.pages)
        merging.clear()
        left_out = {whole: {f"/items/p{number:02d}/" for number in edits}}
        merge([whole, again], tmp_path / str(step), before, words, left_out)
        read = list(merging)  # not the expected bundle's
        merge([pagefind(now, list(range(PAGES)), tmp_path / f"all{step}")], tmp_path / f"e{step}")
        assert files(tmp_path / str(step)) == files(tmp_path / f"e{step}")
        if step != 2:  # a first edit: groups found by the key of merging with none left out
            assert words.unleft
        if jobs == "1":  # seen in this process
            # a word with other diacritics (résumé, resume) is merged whenever its page is
            added = {"新", "增", "补"} | diacritics
            assert read and {wordindex.group_of(word) for word in read} <= added
        before = tmp_path / str(step)


def test_pagefind_runs_as_its_own_binary(tmp_path: Path) -> None:
    """The pinned package's binary is run itself, not through ``python -m`` (an interpreter
    started only to exec it: 40 ms of each run), and it is the one that indexes."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(page(1), encoding="utf-8")
    command = indexing.command(tmp_path / "site", tmp_path / "bundle")
    binary = Path(command[0])
    assert binary.is_absolute() and os.access(binary, os.X_OK)
    assert binary.name.startswith("pagefind") and binary != Path(sys.executable)
    indexing.index(tmp_path / "site", tmp_path / "bundle")
    assert (tmp_path / "bundle" / "pagefind-entry.json").is_file()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_chunks_the_merge_before_left_as_they_were_are_linked_not_read_again(
    site: Path, whole: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """A merge notes each chunk file it wrote as it left it (``Words.written``: name, inode,
    size, modification time); the next merge links every chunk of the same content whose file
    is still so, instead of reading, checking and writing it again — and reads the others: a
    file replaced (another inode) or written into (other bytes, another time) is not linked,
    and the bundle is the clean merge's either way."""
    monkeypatch.setenv("GONGSHI_JOBS", jobs)
    if jobs != "1":
        monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
        monkeypatch.setattr(wordindex, "_splits", lambda shards, count, taken=None: ["电"])
    words = wordindex.Words()
    merge([whole], tmp_path / "0", words=words)
    index = tmp_path / "0" / "index"
    assert {name for name, *_ in words.written.values()} == {p.name for p in index.iterdir()}
    chunks = sorted(index.iterdir())
    replaced, written_into = chunks[0], chunks[-1]
    data = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(data)  # the same bytes in another file
    written_into.write_bytes(gzip.compress(MAGIC + b"other"))
    os.utime(written_into, ns=(1_000_000_000, 1_000_000_000))
    inodes = {p.name: p.stat().st_ino for p in index.iterdir()}

    now = tmp_path / "site"
    shutil.copytree(site, now)
    (now / "items" / "p05" / "index.html").write_text(
        indexing.for_indexing(appended(5, "新增")), "utf-8"
    )
    again = pagefind(now, [5], tmp_path / "again")
    words = wordindex.Words(words.now, words.groups, pages=words.pages, files=words.written)
    merge([whole, again], tmp_path / "1", tmp_path / "0", words, {whole: {"/items/p05/"}})
    merge([pagefind(now, list(range(PAGES)), tmp_path / "all")], tmp_path / "e")
    assert files(tmp_path / "1") == files(tmp_path / "e")

    found = {p.name: p.stat().st_ino for p in (tmp_path / "1" / "index").iterdir()}
    linked = {name for name, inode in found.items() if inodes.get(name) == inode}
    same = set(found) & set(inodes)
    assert linked == same - {replaced.name, written_into.name}
    assert len(linked) >= len(found) // 2  # an appended line changes a few groups
