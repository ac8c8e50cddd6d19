"""Reading the content files on several processes, and again only where a file changed: the
same items, problems (in the same order), references and body links as one process reading
every file."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, run_cli, tree

from gongshi import workers
from gongshi.content.loader import FileRead, Loaded, load_content
from gongshi.content.models import Item
from gongshi.errors import display_path
from gongshi.outputs import reuse
from gongshi.outputs.reuse import Known
from gongshi.publish import filedigests, picklefile
from gongshi.publish.cache import Cache
from gongshi.publish.run import build
from gongshi.settings import from_pelican

SETTINGS = from_pelican({"SITEURL": "https://example.org", "GONGSHI_NOW": "2025-06-15 10:00"})
SITES = [COMPLETE, *sorted((ROOT / "tests" / "sites").glob("invalid_*")), ROOT]


def content_of(site: Path) -> Path:
    return site / "content"


def load(site: Path, memo: object = None) -> tuple[object, ...]:
    """What the loader gave (the places are read apart from the files, once)."""
    loaded: Loaded = load_content(content_of(site), SETTINGS.codes, SETTINGS.timezone, memo)  # type: ignore[arg-type]
    return (loaded.items, loaded.ids, loaded.references, loaded.problems, loaded.links)


class Memo:
    """The loader's memo as a dict, counting what it was asked."""

    env = "test"

    def __init__(self) -> None:
        self.kept: dict[str, FileRead] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> FileRead | None:
        found = self.kept.get(key)
        self.hits += found is not None
        self.misses += found is None
        return found

    def put(self, key: str, read: FileRead) -> None:
        self.kept[key] = pickle.loads(pickle.dumps(read))  # kept as the cache keeps it

    def digest_of(self, path: Path) -> bytes:
        return hashlib.sha256(path.read_bytes()).digest()


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are read on three workers, however few; each worker notes its process."""
    monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
    monkeypatch.setenv("GONGSHI_JOBS", "3")


@pytest.mark.parametrize("site", SITES, ids=lambda p: p.name)
def test_files_read_on_several_processes_give_what_one_process_gives(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)  # problems name files relative to here
    serial = load(site)
    monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
    monkeypatch.setenv("GONGSHI_JOBS", "3")
    pids: list[int] = []
    mapped = workers.mapped

    def noted(share):  # type: ignore[no-untyped-def]
        found = mapped(lambda worker, count: (os.getpid(), share(worker, count)))
        pids.extend(pid for pid, _ in found)
        return [reads for _, reads in found]

    monkeypatch.setattr(workers, "mapped", noted)
    assert load(site) == serial
    assert len(set(pids)) == 3 and os.getpid() not in pids


@pytest.mark.parametrize("site", [COMPLETE, ROOT / "tests" / "sites" / "invalid_fields"])
def test_a_file_read_before_is_not_read_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(content_of(site), tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    memo = Memo()
    first = load(tmp_path, memo)
    assert memo.hits == 0 and memo.misses == len(memo.kept) > 3
    memo.misses = 0
    assert load(tmp_path, memo) == first
    assert memo.misses == 0 and memo.hits == len(memo.kept)
    edited = sorted((tmp_path / "content" / "meetings").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    memo.hits = memo.misses = 0
    again = load(tmp_path, memo)
    assert memo.misses == 1
    assert again == load(tmp_path)
    changed = [i for i in again[0] if i.file == display_path(edited)]  # type: ignore[attr-defined]
    assert len(changed) <= 1
    if changed:
        assert "补充说明" in changed[0].body


def test_an_item_pickles_with_its_lines() -> None:
    (item, *_) = load(COMPLETE)[0]  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(item))
    assert back == item
    assert isinstance(back.lines, MappingProxyType)
    assert type(back) is type(item)


class _CachedSite:
    """The complete site's content copied, built once with --cache; then the reading cache is
    tampered with, a body edited and the site built again."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path
        shutil.copytree(COMPLETE / "content", tmp_path / "content")
        self.now = (COMPLETE / "NOW").read_text(encoding="utf-8").strip()
        self.output = tmp_path / "out" / "output"
        assert self.build(self.output, "--cache")[0] == 0
        self.kept = self.output.parent / ".gongshi-cache" / "reading.pickle"
        assert self.kept.is_file()

    def build(self, output: Path, *extra: str) -> tuple[int, str, str]:
        return run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build",
            "--content", str(self.root / "content"), "--output", str(output), "--now", self.now,
            *extra,
        )  # fmt: skip

    def edit_and_build(self) -> str:
        """Edit a body, build again with the cache; what the build said on stderr, once its
        output is checked against a clean build's."""
        edited = sorted((self.root / "content" / "meetings").glob("*.md"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
        code, _, err = self.build(self.output, "--cache")
        assert code == 0
        assert self.build(self.root / "clean")[0] == 0
        assert tree(self.output) == tree(self.root / "clean")
        return err


def test_a_damaged_reading_cache_is_ignored_with_a_warning(tmp_path: Path) -> None:
    site = _CachedSite(tmp_path)
    data = bytearray(site.kept.read_bytes())
    data[-10] ^= 0xFF
    site.kept.write_bytes(bytes(data))
    err = site.edit_and_build()
    assert "reading.pickle" in err and "已忽略" in err


def test_a_reading_cache_of_an_earlier_layout_is_read_again_without_a_warning(
    tmp_path: Path,
) -> None:
    """What an earlier Gongshi kept (one pickle of the whole) is not damage: the files are read
    again, as after any upgrade, and nothing is said about it."""
    site = _CachedSite(tmp_path)
    _, entries = picklefile.read(site.kept)
    earlier = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)  # the whole, at once
    site.kept.write_bytes(hashlib.sha256(earlier).digest() + earlier)
    err = site.edit_and_build()
    assert "reading.pickle" not in err and "已忽略" not in err
    assert len(picklefile.read(site.kept)[1]) == len(entries)  # kept again, in this layout


def test_items_read_back_from_the_cache_are_not_digested_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item the reading cache gives back is the value it kept, so its digest (what pages,
    feeds and calendars are keyed by) is kept with it: after a body edit only the edited item is
    digested again, and every digest given back is the one a fresh digest gives."""
    site = _CachedSite(tmp_path)
    edited = sorted((site.root / "content" / "meetings").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    digested: list[Item] = []
    attributes = reuse.Digests._attributes

    def counting(self: reuse.Digests, value: Any, names: Any, opening: str) -> bytes:
        if isinstance(value, Item) and opening == "(":  # an object's own digest, not a part
            digested.append(value)
        return attributes(self, value, names, opening)

    monkeypatch.setattr(reuse.Digests, "_attributes", counting)
    known: list[Known] = []
    pages = Cache.pages
    monkeypatch.setattr(Cache, "pages", lambda self: known.append(self.known()) or pages(self))
    settings = COMPLETE / "pelicanconf.py"
    build(settings, content=site.root / "content", output=site.output, now=site.now, cache=True)
    assert {item.file for item in digested} == {display_path(edited)}
    (given,) = known
    assert len(given) > 10
    for item, digest in given.values():
        assert isinstance(item, Item) and reuse.Digests().object_digest(item) == digest


def test_a_cached_build_reads_again_only_the_content_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The keys of the build and of each file's reading are made of file digests the cache
    kept (``publish/filedigests.py``): a rebuild reads to digest only the file edited since,
    once (here every digest counts as old enough: ``RACY`` 0)."""
    monkeypatch.setattr(filedigests, "RACY", 0)
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    build = (
        "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--content", str(content),
        "--output", str(tmp_path / "out" / "output"), "--now", COMPLETE_NOW, "--cache",
    )  # fmt: skip
    assert run_cli(*build)[0] == 0
    opened: list[str] = []

    def noting(path: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(filedigests, "open", noting, raising=False)
    edited = content / "meetings" / "2025-05-20-tongjianhu-noise.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n会后补记一句。\n", "utf-8")
    assert run_cli(*build)[0] == 0
    assert opened == [str(edited)]
