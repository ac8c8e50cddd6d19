"""A cached build's staging folder is the tree the build before it replaced (the spare): the served
output is never written into, what the spare had that the build did not make is gone, and the
result is a clean build's, file for file (:mod:`gongshi.publish.spare`)."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot, tree
from test_incremental import Site, change_settings, make_site

from gongshi import plugin, workers
from gongshi.outputs import parallel, replace
from gongshi.publish import cache, manifest, run, spare
from gongshi.publish.cache import FOLDER
from gongshi.publish.guards import MARKER
from gongshi.publish.manifest import MANIFEST
from gongshi.runkeys import MADE_KEY


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path / "site")


def spare_of(site: Site) -> Path:
    return site.output.parent / FOLDER / spare.SPARE.format(site.output.name)


def edit(site: Site, name: str, old: str, new: str) -> None:
    path = site.content / "meetings" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")


MEETING = "2025-05-20-tongjianhu-noise.md"
OTHER = "2025-06-10-lingshan-water.md"  # of another place: its pages are not the first's
UNREFERENCED = "2025-06-28-tongjianhu-greening.md"  # no outcome or case names it


def beside(site: Site) -> list[str]:
    return sorted(p.name for p in site.output.parent.iterdir())


def test_the_served_output_is_never_written_into(site: Site, tmp_path: Path) -> None:
    """Build after build, the tree that was served is, once replaced, exactly what it served: no
    writer wrote into a file it shares with the spare (a page neither build changed)."""
    edits = [  # each meeting's pages are taken over in place by the build after its edit
        (MEETING, "title: ", "title: 改"),  # shown on other pages, feeds, calendars, open data
        (OTHER, "title: ", "title: 改"),
        (MEETING, "\n---\n", "\n---\n补记一句。\n"),  # the body
        (OTHER, "title: 改", "title: "),
        (MEETING, "title: 改", "title: "),
    ]
    assert site.cached_build()[0] == 0
    for number, (name, old, new) in enumerate(edits):
        served = tree(site.output)
        edit(site, name, old, new)
        assert site.cached_build()[0] == 0
        assert tree(spare_of(site)) == served, f"edit {number}: the served files changed"
        assert beside(site) == [FOLDER, "output"]  # no staging folder, nothing set aside
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")


def test_writing_into_a_shared_file_is_what_the_test_above_would_catch(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above fails when a writer writes into the file at its name: the second
    meeting's page, the same in the first two builds, is one file in both trees."""

    def into(target: str, html: str) -> None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(html, encoding="utf-8")

    assert site.cached_build()[0] == 0
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0  # the first build's tree is now the spare
    served = tree(site.output)
    monkeypatch.setattr(parallel, "_save", into)
    edit(site, OTHER, "title: ", "title: 改")
    assert site.cached_build()[0] == 0
    assert tree(spare_of(site)) != served


def test_what_the_spare_had_and_the_build_did_not_make_is_gone(site: Site, tmp_path: Path) -> None:
    """A deleted meeting's page and folder, a file someone left in the spare, a theme file
    changed there: none reaches the output, which is a clean build's."""
    assert site.cached_build()[0] == 0
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0
    kept = spare_of(site)
    (kept / "stray.html").write_text("<p>not ours to publish</p>", encoding="utf-8")
    (kept / "meetings" / "zz-stray").mkdir()
    (kept / "meetings" / "zz-stray" / "index.html").write_text("x", encoding="utf-8")
    (kept / "linked").symlink_to("meetings", target_is_directory=True)  # resolves anywhere
    (kept / "meetings" / "zz-empty" / "inner").mkdir(parents=True)  # empty: no build makes it
    style = next((kept / "theme").rglob("*.css"))
    style.unlink()  # a link to the served file: replaced, not written into
    style.write_text("body { color: red }", encoding="utf-8")
    (site.content / "meetings" / UNREFERENCED).unlink()
    assert site.cached_build()[0] == 0
    assert not (site.output / "meetings" / UNREFERENCED.removesuffix(".md")).exists()
    assert not (site.output / "stray.html").exists()
    assert not os.path.lexists(site.output / "linked")
    assert not (site.output / "meetings" / "zz-empty").exists()
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert snapshot(site.output) == snapshot(tmp_path / "clean")


def test_a_failed_build_leaves_the_output_and_nothing_beside_it(site: Site, tmp_path: Path) -> None:
    assert site.cached_build()[0] == 0
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0
    served = snapshot(site.output)
    edit(site, MEETING, "title: 改", "title: 改\ndate: not-a-date")
    assert site.cached_build()[0] != 0
    assert snapshot(site.output) == served
    assert beside(site) == [FOLDER, "output"]
    edit(site, MEETING, "title: 改\ndate: not-a-date", "title: 又改")
    assert site.cached_build()[0] == 0
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert snapshot(site.output) == snapshot(tmp_path / "clean")


def test_prune_removes_what_was_not_made_and_the_folders_left_empty(tmp_path: Path) -> None:
    root = tmp_path / "staging"
    paths = ("a/made.html", "a/gone.html", "b/c/gone.html", ".hidden", "pagefind/x.pf_index")
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path, encoding="utf-8")
    taken = spare.Spare(root, ("pagefind",))
    left = taken.prune(manifest.listing(root), {"a/made.html"})
    assert sorted(entry[0] for entry in left) == ["a/made.html", "pagefind/x.pf_index"]
    assert sorted(tree(root)) == ["a/made.html", "pagefind/x.pf_index"]
    assert not (root / "b").exists()


def test_every_file_gongshi_writes_is_noted_as_made(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What prune keeps is what the writers note (the plan's pages, every KeyedFiles record):
    a writer that wrote a file without noting it would lose that file in the next build with a
    spare. Every file of a build is noted, but what Pelican and Pagefind write."""
    made: list[set[str]] = []
    generate = plugin.GongshiGenerator.generate_output

    def noting(self: plugin.GongshiGenerator, writer: object) -> None:
        generate(self, writer)
        made.append(self.settings[MADE_KEY])

    monkeypatch.setattr(plugin.GongshiGenerator, "generate_output", noting)
    assert site.cached_build()[0] == 0
    fresh = spare.fresh_folders({"THEME_STATIC_DIR": "theme", "STATIC_PATHS": ["images"]})
    assert fresh == ["files", "pagefind", "theme"]  # Gongshi's STATIC_PATHS hold
    written = {
        path
        for path in tree(site.output)
        if not any(path.startswith(folder + "/") for folder in fresh)
    }
    assert written - made[0] == {MARKER, MANIFEST}
    assert any(path.endswith(".ics") for path in made[0] & written)
    assert any(path.endswith(".csv") for path in made[0] & written)


def test_replacing_never_writes_into_the_file_at_the_name(tmp_path: Path) -> None:
    served, staged = tmp_path / "served.html", tmp_path / "staged" / "page.html"
    served.write_text("served", encoding="utf-8")
    staged.parent.mkdir()
    os.link(served, staged)
    replace.write_text(staged, "new")
    assert served.read_text(encoding="utf-8") == "served"
    assert staged.read_text(encoding="utf-8") == "new"

    def same(info: os.stat_result, path: Path) -> bool:  # what a record notes of a file
        there = os.lstat(path)
        return (info.st_ino, info.st_size, info.st_mtime_ns) == (
            there.st_ino, there.st_size, there.st_mtime_ns
        )  # fmt: skip

    assert same(replace.link(served, staged), staged)  # a different file: replaced by the link
    assert os.path.samefile(served, staged)
    inode = staged.stat().st_ino
    assert same(replace.link(served, staged), staged)  # that file already: left as it is
    assert staged.stat().st_ino == inode
    fresh = tmp_path / "other" / "page.html"
    assert same(replace.link(served, fresh), fresh) and os.path.samefile(served, fresh)
    replace.write_bytes(tmp_path / "new" / "folder" / "x.json", b"{}")
    assert (tmp_path / "new" / "folder" / "x.json").read_bytes() == b"{}"


def test_a_folder_at_the_spares_name_that_is_not_ours_is_left_alone(site: Site) -> None:
    """Not taken, not displaced: the replaced tree is removed instead, with a warning."""
    assert site.cached_build()[0] == 0
    foreign = spare_of(site)
    shutil.rmtree(foreign)  # the spare the first build made
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    edit(site, MEETING, "title: ", "title: 改")
    code, _, err = site.cached_build()
    assert code == 0
    assert "不是 Gongshi 留下的网站目录" in err
    assert tree(foreign) == {"notes.txt": b"mine"}
    assert beside(site) == [FOLDER, "output"]
    shutil.rmtree(site.output)  # a build that replaces nothing: the spare it made is not kept
    code, _, err = site.cached_build()
    assert code == 0
    assert "不是 Gongshi 留下的网站目录" in err
    assert tree(foreign) == {"notes.txt": b"mine"}
    assert beside(site) == [FOLDER, "output"]


def test_what_the_spare_had_aside_is_removed_by_another_process_while_the_build_runs(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's bundle and Pelican's copies that a taken spare had (10,400 files at 10,000
    items) are removed in a forked process begun before Pelican runs, not after the new site
    is in place: gone by the end of the build, by a process other than the builder's — but the
    bundle's fragments, which the search takes back: what is left where they were set apart
    (their marked folder) is removed by the builder at the end, and holds nothing else then."""
    assert site.cached_build()[0] == 0
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0  # the first build's tree is now the spare
    removers: list[int] = []
    holding: list[list[str]] = []  # what each folder removed by the builder held then
    events: list[str] = []
    rmtree = run.shutil.rmtree

    def removing(path: Path, *args: object, **kwargs: object) -> None:
        if ".old-" in Path(path).name:
            removers.append(os.getpid())
            if os.getpid() == builder:
                holding.append(sorted(p.name for p in Path(path).iterdir()))
        rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    builder = os.getpid()
    pelican = run._run_pelican
    started = workers.started
    monkeypatch.setattr(run.threading, "active_count", lambda: 1)  # no thread of another test
    monkeypatch.setattr(run.shutil, "rmtree", removing)
    monkeypatch.setattr(run, "_run_pelican", lambda s: events.append("pelican") or pelican(s))
    monkeypatch.setattr(
        workers,
        "started",
        lambda w: events.append("removing" if w.func is run._removed else "other") or started(w),
    )
    edit(site, OTHER, "title: ", "title: 改")
    assert site.cached_build()[0] == 0
    assert events[:2] == ["removing", "pelican"]
    assert beside(site) == [FOLDER, "output"]  # nothing set aside is left
    assert removers.count(builder) == 1  # the rest not in this process: in the one started
    assert holding == [[MARKER]]  # the fragments set apart were taken back by the search


def test_the_search_takes_back_the_spares_fragment_folder(site: Site, tmp_path: Path) -> None:
    """The search bundle's fragment folder (a file per page) is the spare's, taken back and
    changed only where pages changed: the folder itself goes round with the two trees — and
    a page's fragment is there again only as its own, the rest of the files a clean build's.
    With nothing searchable changed (the bundle linked from the output it replaces) as well."""
    fragments = Path("pagefind", "fragment")
    assert site.cached_build()[0] == 0
    first = (site.output / fragments).stat().st_ino
    edit(site, MEETING, "\n---\n", "\n---\n补记一句。\n")
    assert site.cached_build()[0] == 0
    second = (site.output / fragments).stat().st_ino
    edit(site, OTHER, "\n---\n", "\n---\n又补一句。\n")  # a body: its fragment changes
    assert site.cached_build()[0] == 0
    assert (site.output / fragments).stat().st_ino == first  # taken back from the spare
    (site.content / "meetings" / UNREFERENCED).unlink()  # a page gone: its fragment too
    assert site.cached_build()[0] == 0
    assert (site.output / fragments).stat().st_ino == second
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean")
    change_settings(site, 0)  # page size: no searchable page changed, the bundle linked again
    assert site.cached_build()[0] == 0
    assert (site.output / fragments).stat().st_ino == first
    assert site.clean_build(tmp_path / "clean2")[0] == 0
    assert tree(site.output) == tree(tmp_path / "clean2")


def test_the_output_is_listed_by_another_process_while_this_one_indexes(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a build wrote is listed (and the spare pruned) in a forked process while this one
    runs the search, which writes its bundle meanwhile and lists it after: the manifest still
    lists every file of the output, as hashing the whole output does."""
    listed: list[str] = []
    real = manifest.listing

    def listing(root: Path, *args: Any, **kwargs: Any) -> manifest.Listing:
        listed.append(Path(root).name)  # in this process only: a fork's list is its own
        return real(root, *args, **kwargs)

    searched: list[int] = []
    index = plugin.index
    monkeypatch.setattr(run.threading, "active_count", lambda: 1)  # no thread of another test
    monkeypatch.setattr(manifest, "listing", listing)
    monkeypatch.setattr(plugin, "index", lambda *a: searched.append(os.getpid()) or index(*a))
    for step in range(2):  # a build from nothing, then one that takes a spare
        edit(site, MEETING, "title: ", f"title: 改{step}")
        del listed[:], searched[:]
        assert site.cached_build()[0] == 0
        assert searched == [os.getpid()]
        assert "pagefind" in listed  # the bundle, once written
        assert not any(name.startswith(f".{site.output.name}.") for name in listed)
        assert manifest.read(site.output / MANIFEST) == manifest.scan(site.output)


def test_with_other_threads_running_the_build_forks_nothing_of_its_own(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a process running other threads (``gongshi serve``'s server and indexer), what a spare
    had aside is removed, and the output listed, by the builder's process itself: a fork there
    copies locks the other threads may hold. The output is the same."""
    assert site.cached_build()[0] == 0
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0  # the first build's tree is now the spare
    forked: list[object] = []
    started = workers.started
    monkeypatch.setattr(workers, "started", lambda w: forked.append(w) or started(w))
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        edit(site, OTHER, "title: ", "title: 改")
        assert site.cached_build()[0] == 0
    finally:
        done.set()
        other.join()
    assert forked == []
    assert beside(site) == [FOLDER, "output"]  # nothing set aside is left
    assert manifest.read(site.output / MANIFEST) == manifest.scan(site.output)


def test_the_page_records_are_kept_before_the_search_and_held_no_more(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cached build writes its page records as soon as its pages are made and holds them no
    more while it indexes (at 50,000 items they were 0.6 GiB of its peak memory); they are put
    in place only once the site is: a build failing in its search leaves the kept ones as they
    were, and nothing written beside them."""
    assert site.cached_build()[0] == 0
    folder = site.output.parent / FOLDER
    records: list[weakref.ref[Any]] = []
    made = cache.Cache.pages_made

    def pages_made(self: cache.Cache, found: dict[str, Any]) -> None:
        records.extend(weakref.ref(record) for record in found.values())
        made(self, found)

    held: list[int] = []
    index = plugin.index

    def search(*args: Any) -> None:
        gc.collect()
        held.append(sum(ref() is not None for ref in records))
        index(*args)

    monkeypatch.setattr(cache.Cache, "pages_made", pages_made)
    monkeypatch.setattr(plugin, "index", search)
    edit(site, MEETING, "title: ", "title: 改")
    assert site.cached_build()[0] == 0
    assert records and held == [0]  # none of them alive while the search ran

    kept = {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith(cache.PAGES)}

    pending: list[bool] = []

    def fails(*args: Any) -> None:
        pending.append(any(p.name.endswith(".tmp") for p in folder.iterdir()))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plugin, "index", fails)
    edit(site, MEETING, "title: 改", "title: 又改")
    assert site.cached_build()[0] != 0
    assert pending == [True]  # written before the search, not yet in place
    assert {
        p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith(cache.PAGES)
    } == kept
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.setattr(plugin, "index", index)
    assert site.cached_build()[0] == 0
    assert site.clean_build(site.root / "clean")[0] == 0
    assert snapshot(site.output) == snapshot(site.root / "clean")


def test_what_a_killed_build_wrote_to_keep_is_swept(tmp_path: Path) -> None:
    """The records a build wrote but never put in place (it was killed before its site was) are
    removed by the next build; another running build's, and this one's, are left."""
    done = subprocess.Popen(["true"])
    done.wait()  # a process that ran and is gone
    names = [f".{cache.PAGES}.{pid}.tmp" for pid in (done.pid, os.getpid(), os.getppid())]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    cache._sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])


def test_the_theme_files_are_checked_by_the_process_listing_the_output(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that every theme file a page names is there runs in the forked process that
    lists the output while this one indexes (its pages are written by then); a missing file
    still fails the build, with the output left as it was."""
    checked: list[int] = []
    real = run.missing_theme_files

    def missing(*args: Any) -> list[str]:
        checked.append(os.getpid())  # noted in this process only: a fork's list is its own
        return real(*args)

    monkeypatch.setattr(run.threading, "active_count", lambda: 1)  # no thread of another test
    monkeypatch.setattr(run, "missing_theme_files", missing)
    assert site.cached_build()[0] == 0
    served = snapshot(site.output)
    (site.root / "theme" / "static" / "css" / "site.css").unlink()  # every page links to it
    code, _, err = site.cached_build()
    assert code == 3 and "页面引用的主题文件不存在：/theme/css/site.css" in err
    assert snapshot(site.output) == served
    assert checked == []
    monkeypatch.setattr(run.threading, "active_count", lambda: 2)  # a thread beside: no fork
    code, _, err = site.cached_build()
    assert code == 3 and "/theme/css/site.css" in err
    assert checked == [os.getpid()]


def _entries(root: Path) -> dict[str, int | str]:
    """Every entry below ``root``: files by inode, folders as such."""
    return {
        str(p.relative_to(root)): "folder" if p.is_dir() else p.stat().st_ino
        for p in root.rglob("*")
    }


@pytest.mark.parametrize("threads", [1, 2], ids=["forked", "threads beside"])
def test_a_first_build_makes_the_spare_the_next_one_takes(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """A cached build that replaces no tree (the first one: the output absent) makes the spare
    itself — every folder of its output, a hard link to every file, but the folders others
    write into and the bookkeeping — in the process listing the output while it indexes (or
    in its own, with threads beside); the next build takes it as its staging folder rather
    than making one from nothing, and its output is a clean build's."""
    made: list[int] = []
    seed = spare.seed
    monkeypatch.setattr(run.threading, "active_count", lambda: threads)
    monkeypatch.setattr(spare, "seed", lambda *a: made.append(os.getpid()) or seed(*a))
    assert site.cached_build()[0] == 0
    assert beside(site) == [FOLDER, "output"]
    assert made == ([] if threads == 1 else [os.getpid()])  # a fork's list is its own
    kept, output = spare_of(site), _entries(site.output)
    fresh = ("files/", "pagefind/", "theme/")
    expected = {
        path: entry
        for path, entry in output.items()
        if path not in (MARKER, MANIFEST, "files", "pagefind", "theme")
        and not path.startswith(fresh)
    }
    assert any(path.startswith("pagefind/") for path in output)
    assert _entries(kept) == {**expected, MARKER: (kept / MARKER).stat().st_ino}  # links
    assert (kept / MARKER).read_bytes() == (site.output / MARKER).read_bytes()
    taken = kept.stat().st_ino
    served = tree(site.output)
    edit(site, MEETING, "\n---\n", "\n---\n补记一句。\n")
    assert site.cached_build()[0] == 0
    assert site.output.stat().st_ino == taken  # the spare, renamed, became the output
    assert tree(spare_of(site)) == served  # the tree replaced, never written into
    assert beside(site) == [FOLDER, "output"]
    assert site.clean_build(tmp_path / "clean")[0] == 0
    assert snapshot(site.output) == snapshot(tmp_path / "clean")


def test_a_build_that_fails_after_making_the_spare_leaves_none(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare is made while the search runs: a search that fails leaves neither output nor
    spare nor anything beside them, and the next build makes it again."""
    monkeypatch.setattr(run.threading, "active_count", lambda: 1)  # no thread of another test
    index = plugin.index

    def fails(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plugin, "index", fails)
    assert site.cached_build()[0] != 0
    assert beside(site) == [FOLDER]
    assert not spare_of(site).exists()
    monkeypatch.setattr(plugin, "index", index)
    assert site.cached_build()[0] == 0
    assert spare.take(spare_of(site), site.root / "taken", [], site.root / "aside") is not None


def test_a_spare_that_cannot_be_made_is_a_warning_and_nothing_left(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run.threading, "active_count", lambda: 1)  # no thread of another test
    link = os.link
    linked: list[str] = []

    def full(source: str, target: str, **kwargs: Any) -> None:
        if len(linked) == 5:  # some made, then the disk is full
            raise OSError(28, "No space left on device")
        linked.append(target)
        link(source, target, **kwargs)

    monkeypatch.setattr(spare.os, "link", full)
    code, _, err = site.cached_build()
    assert code == 0 and "无法为下次构建准备网站目录的副本" in err
    assert beside(site) == [FOLDER, "output"]
    assert not spare_of(site).exists()
    assert not [p for p in (site.output.parent / FOLDER).iterdir() if p.name.startswith(".")]


def test_a_build_over_an_empty_folder_keeps_the_spare_it_made(site: Site) -> None:
    site.output.mkdir(parents=True)  # an empty output folder is replaced: it is no spare
    assert site.cached_build()[0] == 0
    assert (spare_of(site) / MARKER).is_file()
    assert beside(site) == [FOLDER, "output"]


def test_seed_links_what_is_listed_but_the_folders_others_write_into(tmp_path: Path) -> None:
    root, kept = tmp_path / "staging", tmp_path / "spare"
    paths = ("a/b/page.html", "a/c.json", "theme/x.css", "pagefind/i/y", MARKER, MANIFEST, "z")
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path, encoding="utf-8")
    (root / "a" / "empty").mkdir()
    folders: list[str] = []
    found = manifest.listing(root, folders)
    spare.seed(kept, found, folders, ["pagefind", "theme"])
    assert sorted(_entries(kept)) == [
        MARKER,
        "a",
        "a/b",
        "a/b/page.html",
        "a/c.json",
        "a/empty",
        "z",
    ]
    assert all(os.path.samefile(kept / p, root / p) for p in ("a/b/page.html", "a/c.json", "z"))
    assert not os.path.samefile(kept / MARKER, root / MARKER)
    with pytest.raises(FileExistsError):  # a name taken: nothing made is left
        spare.seed(tmp_path / "other", [*found, *(e for e in found if e[0] == "z")], folders, [])
    assert not (tmp_path / "other").exists()
