"""The cache's pickled mappings (publish/picklefile.py): read back exactly as written, a slice
at a time, and refused whole when they are not as written."""

from __future__ import annotations

import gc
import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.publish import picklefile

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=3).map(tuple) | st.dictionaries(st.text(), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None)
@given(
    header=st.dictionaries(st.text(max_size=8), values, max_size=3),
    entries=st.dictionaries(st.text(), values, max_size=40),
    slice_=st.integers(1, 7),
)
def test_what_is_written_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    header: dict[str, Any],
    entries: dict[str, Any],
    slice_: int,
) -> None:
    path = tmp_path_factory.mktemp("kept") / "kept.pickle"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(picklefile, "SLICE", slice_)
        picklefile.write(path, header, entries)
    assert picklefile.read(path) == (header, entries)
    assert list(picklefile.read(path)[1]) == list(entries)  # in the same order
    assert [p.name for p in path.parent.iterdir()] == ["kept.pickle"]  # no temporary left


def test_no_pickler_holds_more_than_one_slice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory bound: each pickle (each pickler's memo) holds at most SLICE entries, and
    nothing pickles the whole mapping at once."""
    dumped: list[Any] = []
    real_dump = pickle.dump

    def dump(value: Any, file: Any, protocol: int | None = None) -> None:
        dumped.append(value)
        real_dump(value, file, protocol)

    monkeypatch.setattr(picklefile.pickle, "dump", dump)
    monkeypatch.setattr(picklefile.pickle, "dumps", None)  # not the whole at once either
    entries = {f"page/{n}.html": (n, b"x" * 20) for n in range(2 * picklefile.SLICE + 5)}
    picklefile.write(tmp_path / "kept.pickle", {"env": "e"}, entries)
    slices = dumped[1:]
    assert [len(s) for s in slices] == [picklefile.SLICE, picklefile.SLICE, 5]
    assert picklefile.read(tmp_path / "kept.pickle") == ({"env": "e"}, entries)


def _written(tmp_path: Path) -> Path:
    path = tmp_path / "kept.pickle"
    picklefile.write(path, {"env": "e"}, {f"k{n}": n for n in range(2500)})
    return path


@pytest.mark.parametrize("where", [0, 31, 32, 40, -1])
def test_a_damaged_byte_anywhere_is_refused(tmp_path: Path, where: int) -> None:
    path = _written(tmp_path)
    data = bytearray(path.read_bytes())
    data[where] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(picklefile.Refused, match="SHA-256"):
        picklefile.read(path)


def test_a_file_cut_short_is_refused(tmp_path: Path) -> None:
    path = _written(tmp_path)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(picklefile.Refused):
        picklefile.read(path)


def test_an_earlier_layout_with_a_good_digest_is_refused_not_misread(tmp_path: Path) -> None:
    """The layout before this one: the digest, then one pickle of the whole dictionary."""
    path = tmp_path / "pages.pickle"
    data = pickle.dumps({"env": "e", "records": {"a.html": 1}})
    path.write_bytes(hashlib.sha256(data).digest() + data)
    with pytest.raises(picklefile.Outdated, match="格式"):
        picklefile.read(path)


def test_extra_pickles_after_the_last_slice_are_refused(tmp_path: Path) -> None:
    path = _written(tmp_path)
    rest = path.read_bytes()[picklefile.DIGEST :] + pickle.dumps([("k", 1)])
    path.write_bytes(hashlib.sha256(rest).digest() + rest)
    with pytest.raises(picklefile.Refused, match="多余"):
        picklefile.read(path)


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = _written(tmp_path)
    before = path.read_bytes()
    entries: dict[str, Any] = {f"k{n}": n for n in range(1500)}
    entries["k1400"] = lambda: None  # cannot be pickled: fails in the second slice
    with pytest.raises((pickle.PicklingError, AttributeError)):
        picklefile.write(path, {"env": "e"}, entries)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kept.pickle"]


# --- changes beside the whole ------------------------------------------------------------------

edits = st.lists(
    st.tuples(st.sampled_from(["keep", "change", "remove", "add"]), st.integers(0, 60), values),
    max_size=30,
)

# a mapping as a first build keeps it, then each later build's edits
builds = given(
    start=st.dictionaries(st.text(max_size=4), values, max_size=40),
    steps=st.lists(edits, max_size=6),
)


def edited(read: dict[str, Any], step: list[tuple[str, int, Any]]) -> dict[str, Any]:
    """The entries read, with a build's edits: the very objects read, as a build keeps most."""
    entries = dict(read)
    for kind, n, value in step:
        keys = sorted(entries)
        if kind == "add" or not keys:
            entries[f"new{n}"] = value
        elif kind == "change":
            entries[keys[n % len(keys)]] = (value,)
        elif kind == "remove":
            del entries[keys[n % len(keys)]]
    return entries


@settings(max_examples=60, deadline=None)
@builds
def test_each_write_over_what_was_read_reads_back_as_written(
    tmp_path_factory: pytest.TempPathFactory,
    start: dict[str, Any],
    steps: list[list[tuple[str, int, Any]]],
) -> None:
    """Whatever changes between builds — entries changed, removed, added, few or many — what
    was written over what was read (the changes alone, or the whole again) reads back equal."""
    path = tmp_path_factory.mktemp("kept") / "kept.pickle"
    picklefile.write(path, {"env": "e"}, start)
    for step in steps:
        read = picklefile.read_layers(path)
        entries = edited(read.entries, step)
        picklefile.write(path, {"env": "e"}, entries, read)
        assert picklefile.read(path) == ({"env": "e"}, entries)


def test_a_few_changes_are_written_beside_the_whole_and_many_write_it_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kept.pickle"
    changes = tmp_path / "kept.pickle.changes"
    picklefile.write(path, {"env": "e"}, {f"k{n}": (n,) for n in range(100)})
    whole = path.read_bytes()
    read = picklefile.read_layers(path)
    entries = dict(read.entries)
    entries["k3"] = ("changed",)
    del entries["k4"]
    entries["k100"] = (100,)
    picklefile.write(path, {"env": "e"}, entries, read)
    assert path.read_bytes() == whole  # untouched: only the three changes are written
    assert len(picklefile.read(changes)[1]) == 3
    assert picklefile.read(path)[1] == entries
    read = picklefile.read_layers(path)  # changes to the whole, not to the last changes
    again = dict(read.entries)
    again["k5"] = ("changed",)
    picklefile.write(path, {"env": "e"}, again, read)
    assert path.read_bytes() == whole and len(picklefile.read(changes)[1]) == 4
    assert picklefile.read(path)[1] == again
    read = picklefile.read_layers(path)
    many = {key: ("new",) for key in read.entries}  # every entry a new object
    picklefile.write(path, {"env": "e"}, many, read)
    assert path.read_bytes() != whole and not changes.exists()
    assert picklefile.read(path)[1] == many
    read = picklefile.read_layers(path)
    picklefile.write(path, {"env": "other"}, dict(read.entries), read)  # another header
    assert not changes.exists() and picklefile.read(path)[0] == {"env": "other"}


@pytest.mark.parametrize("few", [True, False], ids=["changes", "whole"])
def test_what_is_prepared_is_in_place_only_once_installed(tmp_path: Path, few: bool) -> None:
    """:func:`picklefile.prepare` writes the file (the changes, or the whole) beside the kept
    one; until :meth:`~picklefile.Pending.install`, what is read is what was kept before, and a
    pending file discarded leaves nothing."""
    path = tmp_path / "kept.pickle"
    picklefile.write(path, {"env": "e"}, {f"k{n}": (n,) for n in range(100)})
    read = picklefile.read_layers(path)
    entries = dict(read.entries) if few else {key: ("new",) for key in read.entries}
    entries["k3"] = ("changed",)
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir())
    for keep in (False, True):
        pending = picklefile.prepare(path, {"env": "e"}, entries, read)
        assert picklefile.read(path)[1] == read.entries  # not yet in place
        assert len(list(tmp_path.iterdir())) == len(before) + 1
        if not keep:
            pending.discard()
            assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir()) == before
    pending.install()
    assert picklefile.read(path)[1] == entries
    assert (tmp_path / "kept.pickle.changes").exists() == few
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_changes_of_another_whole_are_never_applied(tmp_path: Path) -> None:
    """A build stopped after it wrote the whole again and before it removed the changes: the
    changes left name the whole they change, which is gone."""
    path = tmp_path / "kept.pickle"
    picklefile.write(path, {"env": "e"}, {f"k{n}": n for n in range(100)})
    read = picklefile.read_layers(path)
    picklefile.write(path, {"env": "e"}, {**read.entries, "k1": "changed"}, read)
    stale = (tmp_path / "kept.pickle.changes").read_bytes()
    picklefile.write(path, {"env": "e"}, {f"k{n}": -n for n in range(100)})
    (tmp_path / "kept.pickle.changes").write_bytes(stale)
    assert picklefile.read(path)[1] == {f"k{n}": -n for n in range(100)}


def test_damaged_changes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "kept.pickle"
    picklefile.write(path, {"env": "e"}, {f"k{n}": n for n in range(100)})
    read = picklefile.read_layers(path)
    picklefile.write(path, {"env": "e"}, {**read.entries, "k1": "changed"}, read)
    changes = tmp_path / "kept.pickle.changes"
    data = bytearray(changes.read_bytes())
    data[-2] ^= 0x01
    changes.write_bytes(bytes(data))
    with pytest.raises(picklefile.Refused, match="SHA-256"):
        picklefile.read(path)


@settings(max_examples=40, deadline=None)
@builds
def test_a_process_reads_back_what_it_wrote_as_the_file_gives_it_without_unpickling(
    tmp_path_factory: pytest.TempPathFactory,
    start: dict[str, Any],
    steps: list[list[tuple[str, int, Any]]],
) -> None:
    """``gongshi serve`` builds again and again: what its memory gives back is what reading the
    files gives (entries, the whole's digest and keys, the keys changed), with no unpickling."""
    path = tmp_path_factory.mktemp("kept") / "kept.pickle"
    memory = picklefile.Memory()
    picklefile.write(path, {"env": "e"}, start, memory=memory)
    real_read = picklefile._read
    for step in steps:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(picklefile, "_read", _refused)
            read = picklefile.read_layers(path, memory)
        assert read == picklefile.read_layers(path)  # as the files give it
        entries = edited(read.entries, step)
        picklefile.write(path, {"env": "e"}, entries, read, memory)
    assert picklefile._read is real_read


def _refused(path: Path) -> Any:
    raise AssertionError(f"{path} unpickled")


def test_a_file_another_process_wrote_is_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kept.pickle"
    memory = picklefile.Memory()
    picklefile.write(path, {"env": "e"}, {"a": (1,), "b": (2,)}, memory=memory)
    picklefile.write(path, {"env": "e"}, {"a": (1,), "b": (3,)})  # another build, same size
    assert picklefile.read_layers(path, memory).entries == {"a": (1,), "b": (3,)}
    picklefile.write(path, {"env": "e"}, {"a": (1,), "b": (4,)}, memory=memory)
    read = picklefile.read_layers(path, memory)
    assert read.entries == {"a": (1,), "b": (4,)}
    read.entries["c"] = (4,)  # a reader's change is its own
    assert "c" not in picklefile.read_layers(path, memory).entries


def test_what_is_read_back_is_in_the_oldest_generation_untraversed(tmp_path: Path) -> None:
    """The entries live as long as the build: read back, they are in the collector's oldest
    generation, so no young collection visits them (the first one after 30 MB of page records
    visited 1.5 million objects: 0.3 s of a body edit), and the collector is as it was."""
    path = tmp_path / "kept.pickle"
    picklefile.write(path, {}, {f"k{n}": [n, [str(n)]] for n in range(5000)})
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.set_threshold(10**6, 20, 10)  # no young collection meanwhile, as in a build
    try:
        _, entries = picklefile.read(path)
        young = {id(found) for generation in (0, 1) for found in gc.get_objects(generation)}
    finally:
        gc.set_threshold(*thresholds)
    assert not any(id(value) in young for value in entries.values())
    assert not any(id(value[1]) in young for value in entries.values())
    assert gc.isenabled() == enabled
    assert gc.get_freeze_count() == 0  # nothing left frozen: cycles among them are collected
