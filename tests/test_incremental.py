"""Builds with the cache (``.gongshi-cache/`` beside the output) give exactly a clean build's output.

The property test applies random sequences of edits — add, change, rename, delete, draft toggle,
place moves, theme change, settings change, time moving, nothing — to a copy of the complete test
site and, after every step, compares the cached build of one output folder with a clean build
(without ``--cache``) of the same content and "now": the same exit code, and on success the same tree,
``pagefind/`` included (indexed in shards of 12 pages, so that an edit reuses some kept shards). CI runs a few examples with a fixed seed; to search longer::

    GONGSHI_INCREMENTAL_EXAMPLES=50 GONGSHI_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_incremental.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    COMPLETE,
    COMPLETE_NOW,
    ROOT,
    calls,
    inodes,
    run_cli,
    spliced_groups,
    tree,
    words_merged,
)
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from jinja2 import Environment

from gongshi.content.models import bodies
from gongshi.outputs import calendars, changes, feeds, reuse
from gongshi.outputs.opendata import board as board_files
from gongshi.outputs.opendata import writer
from gongshi.outputs.search import bundle as search_bundle
from gongshi.outputs.search import indexing, merge, wordindex
from gongshi.publish import cache
from gongshi.site import plan
from gongshi.site.plan import Page

EXAMPLES = int(os.environ.get("GONGSHI_INCREMENTAL_EXAMPLES", "4"))
RANDOM = os.environ.get("GONGSHI_FUZZ_RANDOM") == "1"
PLACES = ("yuquan", "lingfeng", "tongjianhu", "lingshan", "lingyin", "shuangpu")


@dataclass
class Site:
    """A copy of the complete test site with its own theme and settings file, and one output
    folder that every cached build replaces."""

    root: Path
    now: str = COMPLETE_NOW

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def settings(self) -> Path:
        return self.root / "pelicanconf.py"

    @property
    def output(self) -> Path:
        return self.root / "out" / "output"

    def build(self, output: Path | None = None, *extra: str) -> tuple[int, str, str]:
        return run_cli(
            "--settings", str(self.settings), "build", "--content", str(self.content),
            "--output", str(output or self.output), "--now", self.now, *extra,
        )  # fmt: skip

    def cached_build(self) -> tuple[int, str, str]:
        return self.build(None, "--cache")

    def clean_build(self, output: Path) -> tuple[int, str, str]:
        return self.build(output)


def make_site(root: Path) -> Site:
    shutil.copytree(COMPLETE / "content", root / "content")
    shutil.copytree(ROOT / "themes" / "gongshi", root / "theme")
    text = (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
    text = re.sub(r"^THEME = .*$", 'THEME = "theme"', text, flags=re.M)
    (root / "pelicanconf.py").write_text(text, encoding="utf-8")
    return Site(root)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site")


def items(site: Site) -> list[Path]:
    return sorted(site.content.glob("*/*.md"))


# --- the edits -----------------------------------------------------------------------------


def change_body(site: Site, n: int) -> None:
    path = items(site)[n % len(items(site))]
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n补充说明 {n}：会后已张贴公示。\n", "utf-8"
    )


def retitle(site: Site, n: int) -> None:
    """A field other pages show of the item (lists, its meeting's outcomes, place pages)."""
    path = items(site)[n % len(items(site))]
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: ", f"title: 改{n}", 1), "utf-8"
    )


def rename_place(site: Site, n: int) -> None:
    """A place's name, shown on every page of its items (places.yaml, not an item)."""
    path = site.content / "places.yaml"
    name = ("玉泉社区", "铜鉴湖社区", "灵隐街道")[n % 3]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"name: {name}", f"name: {name}{n % 7}", 1), "utf-8")


def add(site: Site, n: int) -> None:
    source = items(site)[n % len(items(site))]
    copy = source.with_name(f"{source.stem[:10]}-added-{n}.md")
    copy.write_text(
        source.read_text(encoding="utf-8").replace("title: ", "title: 新增", 1), "utf-8"
    )


def rename(site: Site, n: int) -> None:
    path = items(site)[n % len(items(site))]
    path.rename(path.with_name(f"{path.stem}-r{n}.md"))


def delete(site: Site, n: int) -> None:
    items(site)[n % len(items(site))].unlink()


def toggle_draft(site: Site, n: int) -> None:
    path = items(site)[n % len(items(site))]
    text = path.read_text(encoding="utf-8")
    if "\ndraft: true\n" in text:
        text = text.replace("\ndraft: true\n", "\n", 1)
    else:
        text = text.replace("---\n", "---\ndraft: true\n", 1)
    path.write_text(text, encoding="utf-8")


def move_place(site: Site, n: int) -> None:
    path = items(site)[n % len(items(site))]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^places: .*$", f"places: {PLACES[n % len(PLACES)]}", text, count=1, flags=re.M), "utf-8")  # fmt: skip


def change_theme(site: Site, n: int) -> None:
    templates = sorted((site.root / "theme" / "templates").glob("*.html"))
    path = templates[n % len(templates)]
    path.write_text(path.read_text(encoding="utf-8") + f"\n{{# edit {n} #}}<!-- {n} -->\n", "utf-8")


def change_settings(site: Site, n: int) -> None:
    text = site.settings.read_text(encoding="utf-8")
    size = (2, 3, 4, 30)[n % 4]
    site.settings.write_text(re.sub(r"^GONGSHI_PAGE_SIZE = .*$", f"GONGSHI_PAGE_SIZE = {size}", text, flags=re.M), "utf-8")  # fmt: skip


def move_time(site: Site, n: int) -> None:
    later = datetime.strptime(site.now, "%Y-%m-%d %H:%M") + timedelta(hours=(1, 20, 24 * 9)[n % 3])
    site.now = later.strftime("%Y-%m-%d %H:%M")


def nine_days_on(site: Site, n: int) -> None:
    move_time(site, 2)


def nothing(site: Site, n: int) -> None:
    pass


def unrecord(site: Site, n: int) -> None:
    """A body edit that changes what the ledger board counts: a held meeting without (or with
    again) its 会议记录 section."""
    held = [p for p in items(site) if "status: held" in p.read_text(encoding="utf-8")]
    path = held[n % len(held)]
    text = path.read_text(encoding="utf-8")
    swapped = (
        text.replace("## 会议记录", "## 会后说明", 1)
        if "## 会议记录" in text
        else text.replace("## 会后说明", "## 会议记录", 1)
    )
    path.write_text(swapped, "utf-8")


EDITS = (
    change_body, add, rename, delete, toggle_draft, move_place, change_theme, change_settings,
    move_time, nothing, retitle, rename_place, unrecord,
)  # fmt: skip


# --- the property ---------------------------------------------------------------------------


def same_as_clean(site: Site, step: int) -> None:
    before = tree(site.output) if site.output.exists() else None
    code, _, err = site.cached_build()
    clean = site.root / f"clean-{step}" / "output"
    clean_code, _, clean_err = site.clean_build(clean)
    assert code == clean_code, (err, clean_err)
    if code == 0:
        assert tree(site.output) == tree(clean), f"step {step}: cached build differs from clean"
    else:  # a failed build leaves the previous output as it was
        assert (tree(site.output) if site.output.exists() else None) == before
    shutil.rmtree(clean.parent)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@seed(20250615)
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 1000)), min_size=1, max_size=4))
def test_every_step_of_cached_builds_equals_a_clean_build(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[object, int]],
) -> None:
    monkeypatch.setenv("GONGSHI_SEARCH_SHARD", "12")  # search in shards, some kept, some made
    site = make_site(tmp_path_factory.mktemp("incremental") / "site")
    assert site.cached_build()[0] == 0
    for number, (edit, n) in enumerate(steps):
        edit(site, n)  # type: ignore[operator]
        same_as_clean(site, number)


# --- what the cache reuses, and what it refuses -------------------------------------------------


def test_nothing_changed_leaves_the_output_in_place(site: Site) -> None:
    assert site.cached_build()[0] == 0
    folder = site.output.stat().st_ino
    code, out, _ = site.cached_build()
    assert code == 0
    assert "保持原样" in out
    assert site.output.stat().st_ino == folder  # not swapped: the very folder that was there


def test_a_touched_output_is_rebuilt(site: Site, tmp_path: Path) -> None:
    assert site.cached_build()[0] == 0
    page = site.output / "index.html"
    page.write_text("被人改过", encoding="utf-8")
    code, out, _ = site.cached_build()
    assert code == 0 and "保持原样" not in out
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_corrupt_record_is_ignored_with_a_warning(site: Site, tmp_path: Path) -> None:
    assert site.cached_build()[0] == 0
    record = site.output.parent / cache.FOLDER / cache.RECORD.format("output")
    record.write_text("{not json", encoding="utf-8")
    change_body(site, 1)
    code, out, err = site.cached_build()
    assert code == 0 and "保持原样" not in out
    assert "缓存" in err and "已忽略" in err
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_record_of_other_inputs_is_never_used(site: Site) -> None:
    assert site.cached_build()[0] == 0
    record = site.output.parent / cache.FOLDER / cache.RECORD.format("output")
    data = json.loads(record.read_text(encoding="utf-8"))
    change_body(site, 2)
    data["manifest"] = cache._stat_manifest(site.output)  # as if the output were untouched
    record.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = site.cached_build()
    assert code == 0 and "保持原样" not in out  # the key, not the manifest, says it changed


def test_a_cache_folder_that_is_not_ours_is_left_alone(site: Site, tmp_path: Path) -> None:
    theirs = site.output.parent / cache.FOLDER
    theirs.mkdir(parents=True)
    (theirs / "notes.txt").write_text("别人的文件", encoding="utf-8")
    code, _, err = site.cached_build()
    assert code == 0
    assert "不是 Gongshi 的缓存目录" in err
    assert sorted(p.name for p in theirs.iterdir()) == ["notes.txt"]
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_deleting_the_cache_is_safe(site: Site, tmp_path: Path) -> None:
    assert site.cached_build()[0] == 0
    shutil.rmtree(site.output.parent / cache.FOLDER)
    move_time(site, 0)
    assert site.cached_build()[0] == 0
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def search_record(site: Site) -> dict[str, str]:
    folder = site.output.parent / cache.FOLDER
    record = json.loads((folder / cache.SEARCH.format(site.output.name)).read_text("utf-8"))
    return {"recorded": record["manifest"], "in place": cache._stat_manifest(bundle_of(site))}


def bundle_of(site: Site) -> Path:
    return site.output / "pagefind"


def test_search_is_reused_when_no_searchable_page_changed(
    site: Site, tmp_path: Path, pagefind_runs: list[list[str]]
) -> None:
    """The bundle in place is linked again; what the cache records of it (its files' stat
    digest, from the build's own listing of it: ``Cache.search_listed``) is the bundle's."""
    assert site.cached_build()[0] == 0
    record = search_record(site)
    assert record["recorded"] == record["in place"]
    change_settings(site, 0)  # page size: list pages change, item pages do not
    assert site.cached_build()[0] == 0
    assert len(pagefind_runs) == 1
    record = search_record(site)
    assert record["recorded"] == record["in place"]
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")
    change_body(site, 3)  # an item page changes: search is indexed again
    assert site.cached_build()[0] == 0
    assert len(pagefind_runs) == 3


def searchable(output: Path) -> list[str]:
    return sorted(
        str(p.relative_to(output))
        for kind in ("cases", "meetings", "outcomes", "projects")
        for p in (output / kind).glob("*/index.html")
    )


def page_of(path: Path) -> str:
    """The page of an item's file."""
    return f"{path.parent.name}/{path.stem}/index.html"


def shard_of(page: str, shards: list[list[str]]) -> list[str]:
    return next(shard for shard in shards if page in shard)


def test_an_edit_indexes_its_page_again_alone_and_many_edits_their_whole_shard(
    site: Site, tmp_path: Path, pagefind_runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page edited is indexed again on its own, merged with its shard's kept bundle less its
    old version, and that bundle of it alone is kept too: an edit of another shard's page next
    indexes that page alone. When more than a tenth of a shard changed, the whole shard is
    indexed again (and kept). Each time the output is a clean build's."""
    monkeypatch.setenv("GONGSHI_SEARCH_SHARD", "8")
    assert site.cached_build()[0] == 0
    shards = indexing.shards(searchable(site.output), 8)
    assert len(shards) >= 3
    assert len(pagefind_runs) == len(shards)
    before = {page: (site.output / page).read_bytes() for page in searchable(site.output)}
    del pagefind_runs[:]
    change_body(site, 5)
    assert site.cached_build()[0] == 0
    changed = [p for p in searchable(site.output) if (site.output / p).read_bytes() != before[p]]
    assert len(changed) == 1
    assert pagefind_runs == [changed]  # the changed page alone
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")
    kept = sorted(p.name for p in (site.output.parent / cache.FOLDER / cache.SHARDS).iterdir())
    # each shard's bundle and its manifest, and those of the page indexed alone; no other
    assert len(kept) == 2 * len(shards) + 2
    # a page of another shard edited next: indexed alone, the first page's bundle kept
    elsewhere = set(searchable(site.output)) - set(shard_of(changed[0], shards))
    other = next(n for n, path in enumerate(items(site)) if page_of(path) in elsewhere)
    before = {page: (site.output / page).read_bytes() for page in searchable(site.output)}
    del pagefind_runs[:]
    change_body(site, other)
    assert site.cached_build()[0] == 0
    now = [p for p in searchable(site.output) if (site.output / p).read_bytes() != before[p]]
    assert pagefind_runs == [now] and now != changed
    assert site.clean_build(tmp_path / "clean1")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean1")
    del pagefind_runs[:]
    shard = max(shards, key=len)
    for path in items(site):  # two pages of one shard: more than a tenth of it
        if page_of(path) in shard[:2]:
            path.write_text(path.read_text(encoding="utf-8") + "\n又补一句。\n", "utf-8")
    assert site.cached_build()[0] == 0
    assert pagefind_runs == [shard]
    assert site.clean_build(tmp_path / "clean2")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean2")


@pytest.mark.parametrize("where", ["end", "top"])
def test_an_edit_merges_no_word_again_and_splices_the_groups_it_changed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The words of the groups (``wordindex.group_of``) an edit left as they were in every
    shard are taken from the bundle in place, chunk by chunk, without reading them again, and
    the pages of the kept bundles without reading their fragments; those it changed — its new
    words', and at the top of a body every group on the page, whose positions all moved — are
    spliced into the chunks before (``wordsplice.py``): no shard's words merged again. The
    bundle is still a clean build's."""
    monkeypatch.setenv("GONGSHI_SEARCH_SHARD", "8")
    fragments = calls(monkeypatch, merge, "_fragment")
    read = words_merged(monkeypatch)
    spliced = spliced_groups(monkeypatch)
    assert site.cached_build()[0] == 0
    assert len(fragments) == len(searchable(site.output)) > 16
    assert read and not spliced  # a first merge: every word
    read.clear()
    fragments.clear()
    moved: set[str] = set()
    if where == "end":
        change_body(site, 5)  # a line more at the end of a body: its words only
    else:
        path = items(site)[5]
        text = path.read_text(encoding="utf-8")
        body = text.index("---", 3) + 3
        moved = set(re.findall(f"[{indexing.HAN}]", text[body:]))  # every word of the body
        assert moved
        path.write_text(text[:body] + "\n会前补充：已张贴公示。\n" + text[body:], "utf-8")
    assert site.cached_build()[0] == 0
    assert read == []
    # the page indexed again alone; at most its old version besides (a field it may have taken)
    assert 1 <= len(fragments) <= 2
    assert {"补", "充"} <= set(spliced)
    assert moved <= set(spliced)  # at the top: every word of the body moved
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def _chunks(site: Site) -> dict[str, str]:
    """The search bundle's index chunks: each one's first word, by its name."""
    (meta,) = bundle_of(site).glob("*.pf_meta")
    return {name: first for first, _, name in search_bundle.read(meta)[2]}


@pytest.mark.parametrize("number", [5, 11, 17])
def test_a_line_added_to_a_body_changes_the_chunks_of_its_words_only(
    site: Site, tmp_path: Path, number: int
) -> None:
    """The words after a body on its page (related items, 发布于 and the date, 标签, the search
    data) are indexed before it (``indexing.bodies_last``): a line added at the end of a body
    moves none of them, and only the index chunks of the words it adds change — before, those
    of every word after the body too, on every page the largest chunks. The bundle is still a
    clean build's."""
    assert site.cached_build()[0] == 0
    before = _chunks(site)
    change_body(site, number)  # 补充说明 <number>：会后已张贴公示。
    assert site.cached_build()[0] == 0
    added = {
        wordindex.group_of(w)
        for w in re.findall(f"[{indexing.HAN}]|\\d+", "补充说明：会后已张贴公示")
    }
    added |= {wordindex.group_of(str(number))}
    changed = {first for name, first in _chunks(site).items() if name not in before}
    assert changed and {wordindex.group_of(first) for first in changed} <= added
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_search_reads_again_only_the_pages_not_taken_over(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A searchable page taken over from the output is the file the last build digested: its
    text is not read again to key the search index; a page rendered again is."""
    read: list[str] = []
    page_text = cache.page_text

    def counted(path: Path) -> bytes:
        read.append(path.relative_to(path.parents[2]).as_posix())
        return page_text(path)

    monkeypatch.setattr(cache, "page_text", counted)
    assert site.cached_build()[0] == 0
    everything = len(read)
    read.clear()
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    assert site.cached_build()[0] == 0
    assert "meetings/2025-05-20-tongjianhu-noise/index.html" in read
    assert "meetings/2025-06-10-lingshan-water/index.html" not in read
    assert 0 < len(read) < everything / 2
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_day_that_only_moves_counts_of_days_reuses_the_search_index(
    site: Site, tmp_path: Path, pagefind_runs: list[list[str]]
) -> None:
    """The day counts (已逾期 N 天) are not indexed: a day later item pages differ, Pagefind does
    not run, and the output is still a clean build's."""
    assert site.cached_build()[0] == 0
    before = {p: p.read_bytes() for p in site.output.rglob("*.html")}
    site.now = "2025-06-16 10:00"  # no state moves before 06-19; two outcomes' counts do
    assert site.cached_build()[0] == 0
    moved = [p for p, data in before.items() if p.read_bytes() != data]
    assert site.output / "outcomes" / "2025-05-20-noise-whistle" / "index.html" in moved
    assert len(pagefind_runs) == 1
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_without_ignored_drops_only_the_spans_pagefind_ignores() -> None:
    days = '已逾期<span data-pagefind-ignore> <span data-live-days="2025-06-11T00:00+08:00">5</span> 天</span>：'
    assert indexing.without_ignored(f"<p>{days}办理时限</p>") == "<p>已逾期：办理时限</p>"
    kept = [
        "<span data-pagefind-ignore><span><b>5</b></span></span>",  # deeper: kept (index again)
        "<div data-pagefind-ignore>5</div>",  # not the inline shape: kept
        "<span data-pagefind-ignored>5</span>",
    ]
    for html in kept:
        assert indexing.without_ignored(html) == html


def _damage(folder: Path) -> None:
    damaged = next(p for p in sorted(folder.rglob("*")) if p.is_file())
    os.unlink(damaged)  # not in place: the output's hard link keeps the published bytes
    damaged.write_bytes(b"damaged")


def test_a_damaged_search_bundle_is_made_again(
    site: Site, tmp_path: Path, pagefind_runs: list[list[str]]
) -> None:
    """The output's bundle, or a kept shard, changed after the build that made it: neither is
    used again (the bundle is merged again from the kept shards; a shard is indexed again)."""
    assert site.cached_build()[0] == 0
    kept = site.output.parent / cache.FOLDER
    assert (kept / cache.SEARCH.format(site.output.name)).is_file()
    assert not (kept / cache.LEGACY_SEARCH).exists()  # the bundle is in the output only
    _damage(site.output / "pagefind")
    change_settings(site, 1)  # list pages change, no searchable page does: same key
    code, _, err = site.cached_build()
    assert code == 0
    assert "已忽略" in err
    assert len(pagefind_runs) == 1  # merged again from the shard kept intact
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")
    (kept / cache.SEARCH.format(site.output.name)).unlink()  # the bundle must be merged again
    del pagefind_runs[:]
    _damage(next(p for p in (kept / cache.SHARDS).iterdir() if p.is_dir()))
    change_settings(site, 2)
    code, _, err = site.cached_build()
    assert code == 0
    assert "已忽略" in err
    assert len(pagefind_runs) == 1  # the damaged shard indexed again
    assert site.clean_build(tmp_path / "clean2")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean2")


# --- pages taken over from the previous build (outputs/reuse.py) --------------------------------


def test_calendars_are_made_again_only_where_an_event_changed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body edit leaves every calendar file as it was (the body is in no event): all taken
    over, and only the edited meeting digested again less its body (the others' are kept by
    their whole digest); a retitled meeting's own event.ics and the calendars holding it are
    made again, the other places' are taken over."""
    assert site.cached_build()[0] == 0
    first = inodes(site.output, "*.ics")
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    digested: list[str] = []
    without = reuse.Digests.without

    def noting(self: reuse.Digests, value: Any, leave_out: Any) -> bytes:
        digested.append(value.id)
        return without(self, value, leave_out)

    monkeypatch.setattr(reuse.Digests, "without", noting)
    assert site.cached_build()[0] == 0
    assert digested == ["2025-05-20-tongjianhu-noise"]
    second = inodes(site.output, "*.ics")
    assert second == first
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), "utf-8"
    )
    assert site.cached_build()[0] == 0
    third = inodes(site.output, "*.ics")
    made = {path for path in third if third[path] != second.get(path)}
    assert "meetings/2025-05-20-tongjianhu-noise/event.ics" in made
    assert "calendar/meetings.ics" in made  # every meeting's
    assert "meetings/2025-06-10-lingshan-water/event.ics" not in made
    assert any("lingshan" in path for path in third if path not in made)  # another place's
    assert len(made) < len(third) / 2
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def _feeds(output: Path) -> dict[Path, tuple[int, bytes]]:
    return {
        p: (p.stat().st_ino, p.read_bytes())
        for p in output.rglob("*.xml")
        if p.name != "sitemap.xml"
    }


def test_feeds_are_made_again_exactly_where_an_entry_changed(site: Site, tmp_path: Path) -> None:
    """A feed is taken over while its entries' keys hold: a body edit remakes the feeds that
    carry the meeting; a later "now" remakes those whose entries' states moved (a meeting past,
    an outcome overdue); every feed made again says something else, and the rest are the files
    in place."""
    assert site.cached_build()[0] == 0
    first = _feeds(site.output)
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    for later in (site.now, "2025-06-24 10:00"):
        site.now = later
        assert site.cached_build()[0] == 0
        second = _feeds(site.output)
        made = {p for p in second if first.get(p, (0,))[0] != second[p][0]}
        changed = {p for p in second if first.get(p, (0, b""))[1] != second[p][1]}
        assert made == changed, (later, sorted(str(p.name) for p in made - changed))
        assert made and len(made) < len(second) / 2
        first = second
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


# the pages rendered every build, which no record can hold: the open-data catalogue's pages hold
# functions (their values' makers), the ledger board states the build's "now" (Board.now)
EVERY_BUILD = {
    "board/index.html",
    "data/index.html",
    "data/meetings/index.html",
    "data/outcomes/index.html",
    "data/projects/index.html",
}


def test_a_body_edit_renders_the_pages_that_show_the_body_and_takes_over_the_rest(
    site: Site, tmp_path: Path
) -> None:
    """A page is made again for a body edit only if it read that body (``models/bodies.py``):
    the meeting's page; not its list, nor the outcome page that names it, which show its
    title, date and place only — the same file, as a clean build's."""
    assert site.cached_build()[0] == 0
    before = inodes(site.output)
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    assert site.cached_build()[0] == 0
    after = inodes(site.output)
    taken = {page for page in after if before.get(page) == after[page]}
    rendered = set(after) - taken
    assert "meetings/2025-05-20-tongjianhu-noise/index.html" in rendered  # shows the body
    shown = {p for p in rendered if "会后补记一句" in (site.output / p).read_text("utf-8")}
    assert rendered - shown == EVERY_BUILD  # and the pages no record can hold
    assert "meetings/index.html" in taken  # its list
    assert "outcomes/2025-05-20-noise-onsite/index.html" in taken  # shows its meeting's title
    assert "meetings/2025-06-10-lingshan-water/index.html" in taken
    assert "about/index.html" in taken
    assert len(rendered) < 10 < len(taken)
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


FILTER = """
class LastLine:
    def __repr__(self):
        return "LastLine()"

    def __call__(self, meeting):
        return meeting.body.strip().splitlines()[-1]


JINJA_FILTERS = {"last_line": LastLine()}
"""


def test_a_body_read_by_a_filter_in_python_is_noted(site: Site, tmp_path: Path) -> None:
    """A body read outside the template — by a filter of the settings' ``JINJA_FILTERS``, in
    Python — is noted as one read by the template is: the list showing each meeting's last
    line shows the edit, as a clean build does."""
    with site.settings.open("a", encoding="utf-8") as settings:  # its repr names no address,
        settings.write(FILTER)  # so the settings' digest is the same every build
    template = site.root / "theme" / "templates" / "meetings.html"
    text = template.read_text(encoding="utf-8")
    shown = '{% for m in pager.items %}<p class="last">{{ m | last_line }}</p>{% endfor %}'
    template.write_text(text.replace("{% endblock %}", shown + "{% endblock %}"), "utf-8")
    assert site.cached_build()[0] == 0
    listed = site.output / "meetings" / "index.html"
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    other = site.output / "meetings" / "2025-06-10-lingshan-water" / "index.html"
    for n in range(2):
        before = other.stat().st_ino
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n会后补记第 {n} 句。\n", "utf-8")
        assert site.cached_build()[0] == 0
        assert f"会后补记第 {n} 句。" in listed.read_text(encoding="utf-8")
        assert other.stat().st_ino == before  # pages are taken over: the settings are the same
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def _imports_icalendar(site: Site) -> bool:
    """A cached build in a process of its own: whether icalendar was imported."""
    argv = [
        "--settings", str(site.settings), "build", "--content", str(site.content),
        "--output", str(site.output), "--now", site.now, "--cache",
    ]  # fmt: skip
    script = (
        "import sys; from gongshi.cli import main; code = main(sys.argv[1:]); "
        "print('icalendar' in sys.modules); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1] == "True"


def test_a_build_that_takes_every_calendar_over_never_imports_icalendar(site: Site) -> None:
    """A body edit (no event shows a body) and a build with nothing changed make no calendar:
    icalendar, a tenth of a second to import, is not imported; a title edit makes its
    meeting's calendars, and imports it."""
    assert site.cached_build()[0] == 0
    meeting = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    assert not _imports_icalendar(site)
    assert not _imports_icalendar(site)  # nothing changed
    retitle_file = meeting.read_text(encoding="utf-8").replace("title: ", "title: 改", 1)
    meeting.write_text(retitle_file, "utf-8")
    assert _imports_icalendar(site)


@pytest.mark.parametrize(
    "setting",
    [
        "JINJA_FILTERS = {'last_line': lambda meeting: meeting.body.strip().splitlines()[-1]}",
        "class Marker:\n    pass\n\n\nJINJA_GLOBALS = {'marks': [Marker()]}",
    ],
    ids=["a function", "an object deep in a value"],
)
def test_a_setting_that_differs_every_run_is_named_not_left_a_silent_full_build(
    site: Site, setting: str
) -> None:
    """A setting whose ``repr`` holds a memory address (a function, an object without a
    ``__repr__``, at any depth) makes every cache key new: nothing is ever reused. The build
    still succeeds, and it says which setting, and why every build is a full one."""
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write("\n" + setting + "\n")
    name = setting.rsplit("\n", 1)[-1].split(" =", 1)[0]
    for _ in range(2):
        code, out, err = site.cached_build()
        assert code == 0, err
        assert "保持原样" not in out  # the same content, yet a full build
        assert f"警告：设置 {name} 的值含内存地址" in err
        assert "每次都是完整构建" in err


def test_settings_the_same_every_run_give_no_such_warning(site: Site) -> None:
    with site.settings.open("a", encoding="utf-8") as settings:
        settings.write(FILTER)
    site.cached_build()
    code, out, err = site.cached_build()
    assert code == 0
    assert "保持原样" in out
    assert "内存地址" not in err


@pytest.mark.parametrize("later", ["2025-06-15 11:00", "2025-06-16 10:00", "2025-06-24 10:00"])
def test_when_only_now_moves_exactly_the_pages_that_say_something_else_are_rendered(
    site: Site, tmp_path: Path, later: str
) -> None:
    """The daily rebuild: "now" is a read a page records (site.now, the index's states of it),
    not part of every page's env, so a page where nothing moved is taken over (same file) and
    every page rendered again differs from what it was (an hour: the dates of generation; a day:
    day counts too; nine days: meetings become past, outcomes overdue)."""
    assert site.cached_build()[0] == 0
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in site.output.rglob("*.html")}
    site.now = later
    assert site.cached_build()[0] == 0
    after = {p: (p.stat().st_ino, p.read_bytes()) for p in site.output.rglob("*.html")}
    rendered = {p for p in after if before.get(p, (0,))[0] != after[p][0]}
    changed = {p for p in after if before.get(p, (0, b""))[1] != after[p][1]}
    assert site.output / "about" / "index.html" in changed  # it says when the site was built
    assert rendered == changed
    assert len(rendered) < len(after) / 2
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_page_changed_in_the_output_is_rendered_again_not_taken_over(
    site: Site, tmp_path: Path
) -> None:
    assert site.cached_build()[0] == 0
    about = site.output / "about" / "index.html"
    about.write_text("改过的页面", encoding="utf-8")  # by hand, or by a tool, after the build
    change_body(site, 2)  # the output is not left in place as a whole
    assert site.cached_build()[0] == 0
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_template_reading_a_feeds_items_makes_its_pages_render_every_build(
    site: Site, tmp_path: Path
) -> None:
    """The digest of a page leaves a feed's items out (pages link to feeds); a theme that shows
    them anyway gets those pages rendered every build, never a stale list."""
    about = site.root / "theme" / "templates" / "about.html"
    text = about.read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in text
    about.write_text(
        text.replace(marker, marker + "{% for i in page.feed.items %}<p>{{ i.title }}</p>{% endfor %}", 1),
        "utf-8",
    )  # fmt: skip
    assert site.cached_build()[0] == 0
    before = inodes(site.output)["about/index.html"]
    retitle(site, 4)
    assert site.cached_build()[0] == 0
    assert inodes(site.output)["about/index.html"] != before
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_open_data_makes_again_only_the_items_and_rows_that_say_something_else(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body edit makes the edited meeting's item of ``meetings.json`` and its row of
    ``meetings.csv`` again, and those of the items that show it (its outcomes link it by
    title), not the others; the files that say nothing else (the body is in no column, a link
    shows a title) are taken over — by their items' digests, the texts kept of their items not
    even decompressed; the file made again takes its other items' bytes from the file before.
    A later "now" makes again the items and rows whose state moved. Every
    step's files are a clean build's."""
    made: list[tuple[str, str]] = []
    decompressed = calls(monkeypatch, reuse, "_decompressed")
    item_text, row_text = writer._item_text, writer._row_text

    def item(kind: Any, subject: Any, build: Any) -> str:
        made.append(("json", getattr(subject, "id", "")))
        return item_text(kind, subject, build)

    def row(entries: Any, subject: Any, build: Any) -> str:
        made.append(("csv", getattr(subject, "id", "")))
        return row_text(entries, subject, build)

    monkeypatch.setattr(writer, "_item_text", item)
    monkeypatch.setattr(writer, "_row_text", row)
    assert site.cached_build()[0] == 0
    every = len(made)
    first = inodes(site.output / "data", "*.*")
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    made.clear()
    assert site.cached_build()[0] == 0
    # meetings.json, the one file made again, takes its other items from the file before
    # (outputs/splice.py): not one kept text decompressed
    assert decompressed == []
    meeting = "2025-05-20-tongjianhu-noise"
    assert ("json", meeting) in made
    assert ("csv", meeting) in made
    assert len(made) < every / 4  # the meeting, its outcomes and case (56 in all)
    second = inodes(site.output / "data", "*.*")
    assert second["meetings.json"] != first["meetings.json"]
    assert second["cases.json"] == first["cases.json"]  # no case shows a meeting's body
    assert second["meetings.csv"] == first["meetings.csv"]
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")
    made.clear()
    site.now = "2025-06-24 10:00"  # meetings past, outcomes overdue
    assert site.cached_build()[0] == 0
    assert ("csv", meeting) not in made  # a meeting already past
    assert 0 < len(made) < every
    assert site.clean_build(tmp_path / "clean-later")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean-later")


@pytest.mark.parametrize("damage", ["rewritten", "removed", "no spans"])
def test_a_data_file_made_again_without_its_file_before_makes_its_items_from_their_texts(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """The file before is where a data file made again takes its unchanged items from
    (``outputs/splice.py``) only while it is the file its spans were noted for: written again
    (another inode, the same bytes), gone, or its spans' record lost, the items come from their
    kept texts — and the files are a clean build's either way."""
    decompressed = calls(monkeypatch, reuse, "_decompressed")
    assert site.cached_build()[0] == 0
    data = site.output / "data" / "meetings.json"
    if damage == "rewritten":
        text = data.read_bytes()
        data.unlink()
        data.write_bytes(text)
    elif damage == "removed":
        data.unlink()
    else:
        monkeypatch.setattr(reuse.KeyedFiles, "_pieces", lambda self, path, name: None)
    edited = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    assert site.cached_build()[0] == 0
    meetings = json.loads(data.read_text(encoding="utf-8"))
    assert 0 < len(decompressed) < len(meetings["items"])
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_the_board_files_are_taken_over_unmade_while_only_bodies_changed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board's data files (``opendata/board.py``) are made of what the index is made of less
    the bodies, and of "now" in its span: a body edit takes each over without making any, an
    hour later (within the span) makes board.json again — it states when it was generated —
    and takes the CSV files and the schema over; a retitle makes them all. A clean build's
    bytes each time."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    made = calls(monkeypatch, board_files, "board_data")
    tables = calls(monkeypatch, board_files, "csv_bytes")
    assert site.cached_build()[0] == 0
    assert made and tables

    def files() -> dict[str, int]:
        return {
            p.relative_to(site.output).as_posix(): p.stat().st_ino
            for p in (site.output / "data").rglob("*.*")
            if "board" in p.name and p.parent.name != "board"
        }

    before = files()
    assert "data/board.json" in before and len(before) == 2 + len(board_files.TABLES)
    hour_on = (datetime.strptime(site.now, "%Y-%m-%d %H:%M") + timedelta(hours=1)).strftime(
        "%Y-%m-%d %H:%M"
    )
    for step, edit in enumerate(("body", "an hour on", "title")):
        if edit == "body":
            change_body(site, 3)
        elif edit == "an hour on":
            change_body(site, 3)
            site.now = hour_on
        else:
            retitle(site, 3)
        del made[:], tables[:]
        assert site.cached_build()[0] == 0
        after = files()
        again = {path for path in after if after[path] != before[path]}
        if edit == "body":
            assert (made, tables, again) == ([], [], set())
        elif edit == "an hour on":
            assert len(made) == 1 and again == {"data/board.json"}
        else:  # a field: everything asked again, the files made to compare
            assert made and tables
        before = after
        assert site.clean_build(tmp_path / f"clean{step}")[0] == 0
        assert tree(site.output) == tree(tmp_path / f"clean{step}")


def test_a_rebuild_compiles_only_the_templates_that_changed(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's templates are compiled by the first build and kept in the cache as bytecode:
    the next build compiles none; after a template is edited, the build compiles it (the kept
    bytecode is of another source) and its pages show the edit, as a clean build's do."""
    compiled: list[str | None] = []
    compile_ = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None, *rest: Any) -> Any:
        compiled.append(name)
        return compile_(self, source, name, *rest)

    monkeypatch.setattr(Environment, "compile", counting)
    assert site.cached_build()[0] == 0
    assert "meeting.html" in compiled and "base.html" in compiled
    compiled.clear()
    change_body(site, 1)
    assert site.cached_build()[0] == 0
    assert compiled == []
    about = site.root / "theme" / "templates" / "about.html"
    marker = "{% block content %}"
    about.write_text(
        about.read_text(encoding="utf-8").replace(marker, marker + "<p>模板改过</p>", 1), "utf-8"
    )
    assert site.cached_build()[0] == 0
    assert "about.html" in compiled
    assert "模板改过" in (site.output / "about" / "index.html").read_text(encoding="utf-8")
    compiled.clear()
    change_body(site, 2)
    assert site.cached_build()[0] == 0
    assert compiled == []
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_body_edit_keeps_only_the_records_that_changed(site: Site, tmp_path: Path) -> None:
    """The page records and what each content file gave are large (30 MB each at 10,000 items)
    and an edit changes few of them: the rebuild writes those beside the whole files, which it
    leaves as they were; the next build reads both, and its output is a clean build's."""
    assert site.cached_build()[0] == 0
    change_body(site, 1)
    assert site.cached_build()[0] == 0  # the first rebuild writes the page records whole
    kept = site.root / "out" / cache.FOLDER
    wholes = {name: (kept / name).read_bytes() for name in (cache.PAGES, cache.READING)}
    change_body(site, 3)
    assert site.cached_build()[0] == 0
    for name, data in wholes.items():
        assert (kept / name).read_bytes() == data
        assert (kept / f"{name}.changes").is_file()
    change_body(site, 5)
    assert site.cached_build()[0] == 0
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_read_the_pages_and_writers_make_is_asked_again_once_per_process(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the index says of an item is read by its page, its feed entry, its item and row of
    the open data, its calendar event: a rebuild (on one process) asks each read again once,
    for all of them (``KeyedFiles.digests``), and its output is a clean build's."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    asked = calls(monkeypatch, reuse, "_again")
    assert site.cached_build()[0] == 0
    retitle(site, 1)  # a field, not the body: every read is asked again
    asked.clear()
    assert site.cached_build()[0] == 0
    hashable = [read for read in asked if _hashable(read)]
    assert len(hashable) > len(asked) / 2
    assert len(hashable) == len(set(hashable))
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_a_body_edit_asks_no_read_again(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only bodies changed (``outputs/changes.py``): a record none of whose items changed holds
    without a read asked again nor its page digested, and one that read or holds an edited item
    is made again (a theme showing an outcome's meetings' bodies, and a list of cases showing
    theirs with no read about them: the outcome page and the list show the edit); the
    output is a clean build's each time. A field changed, or a body that gives a held meeting
    its record or takes it away (the ledger board counts it), and everything is asked again."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    asked = calls(monkeypatch, reuse, "_again")
    template = site.root / "theme" / "templates" / "outcome.html"  # shows its meetings' bodies
    shown = '{% for n in index.resolved(o, "meetings") %}{{ n.body_html | safe }}{% endfor %}'
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% if o.body_html %}", shown + "{% if o.body_html %}", 1))
    (site.root / "theme" / "templates" / "cases.html").write_text(  # the bodies of its cases,
        '{% extends "base.html" %}{% block content %}'  # and no read of the index about them
        "{% for c in pager.items %}{{ c.body_html | safe }}{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    assert site.cached_build()[0] == 0
    meeting = site.content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    outcome = site.output / "outcomes" / "2025-05-20-noise-onsite" / "index.html"

    def add_line(site: Site, n: int) -> None:
        meeting.write_text(meeting.read_text(encoding="utf-8") + f"\n会后补记 {n}。\n", "utf-8")

    events = calls(monkeypatch, calendars, "event_key")  # no event shows a body
    carried: list[str] = []  # the feeds whose kept keys hold: none of their items changed
    carry = feeds._Entries.carry
    monkeypatch.setattr(
        feeds._Entries, "carry", lambda self, feed: carried.append(feed.atom) or carry(self, feed)
    )
    pages: list[str] = []  # the pages whose Page was digested
    digest = reuse.Digests.of
    monkeypatch.setattr(
        reuse.Digests,
        "of",
        lambda self, value: (
            (isinstance(value, Page) and pages.append(value.url)) or digest(self, value)
        ),
    )
    edits = (change_body, add_line, change_body, unrecord, unrecord, add_line, retitle)
    for step, edit in enumerate(edits):
        board, page = (p.read_bytes() for p in (site.output / "board" / "index.html", outcome))
        edit(site, step)
        del asked[:], events[:], carried[:], pages[:]
        assert site.cached_build()[0] == 0
        slow = edit in (retitle, unrecord)  # a field; a body and what the board counts of it
        assert bool(asked) == bool(events) == slow, edit.__name__
        # the pages none of whose items changed are taken over without their digests taken
        every = len(inodes(site.output))  # the pages of the plan
        assert len(pages) == every if slow else 0 < len(pages) < every / 2
        if edit is change_body and step == 0:  # a case: its list page holds it, reads nothing
            assert "补充说明 0" in (site.output / "cases" / "index.html").read_text("utf-8")
        if edit is add_line:
            atoms = {
                "/" + p.relative_to(site.output).as_posix()
                for p in (site.output / "feeds").rglob("*.atom.xml")
            }
            holding = {a for a in atoms if meeting.stem in (site.output / a[1:]).read_text("utf-8")}
            assert holding and set(carried) == atoms - holding
        if edit is unrecord:
            assert (site.output / "board" / "index.html").read_bytes() != board
        if edit is add_line:
            assert f"会后补记 {step}" in outcome.read_text(encoding="utf-8") != page.decode()
        assert site.clean_build(tmp_path / f"clean{step}")[0] == 0
        assert tree(site.output) == tree(tmp_path / f"clean{step}")


def test_a_body_edit_works_out_no_place_page_it_takes_over(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A place's page (its board, its meetings, its other items) and the overdue pages have
    their context made when first read (``site/deferred.py``): a body edit takes them over
    without making it; a retitle, after which every page is digested, makes each once. The
    output is a clean build's each time."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    places = calls(monkeypatch, plan._Planner, "place_context")
    overdue = calls(monkeypatch, plan._Planner, "overdue_context")
    assert site.cached_build()[0] == 0
    count = len(places)
    assert count == len(list((site.output / "places").glob("*/index.html"))) > 3
    assert len(overdue) == count + 1  # each place's and the site's
    for step, edit in enumerate((change_body, retitle)):
        edit(site, step)
        del places[:], overdue[:]
        assert site.cached_build()[0] == 0
        if edit is change_body:
            assert places == overdue == []
        else:
            assert (len(places), len(overdue)) == (count, count + 1)
        assert site.clean_build(tmp_path / f"clean{step}")[0] == 0
        assert tree(site.output) == tree(tmp_path / f"clean{step}")


def test_only_items_bodies_changed_is_seen_exactly(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``changes.changed_items`` gives the items whose bodies alone changed (and "now" itself if it
    moved within its steady span), and None as soon as anything else the index is made of
    changed: a field, an item added or gone, a place, "now" past its span."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")
    found: list[Any] = []
    real = changes.changed_items
    monkeypatch.setattr(
        changes, "changed_items", lambda *args: found.append(real(*args)) or found[-1]
    )
    assert site.cached_build()[0] == 0
    assert found == [None]  # nothing kept
    edited = items(site)[3]
    key = (edited.parent.name.rstrip("s"), edited.stem)
    for edit, expected in (
        (change_body, frozenset({key})),
        (nothing, None),  # the output is left in place: no build
        (retitle, None),
        (change_body, frozenset({key})),
        (unrecord, None),  # the board counts a held meeting's record
        (move_time, frozenset({bodies.NOW})),  # an hour on, no state moved: "now" itself only
        (nine_days_on, None),  # past midnight, and states: days overdue, meetings held
        (add, None),
        (rename_place, None),
        (delete, None),
    ):
        edit(site, 3)
        del found[:]
        assert site.cached_build()[0] == 0
        assert found == ([] if edit is nothing else [expected]), edit.__name__


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
