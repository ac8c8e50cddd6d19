"""outputs/search/wordindex: the shards' words merged, renumbered into the merged page order and
cut into chunks — checked against a plain reading of what the shards hold, for shards of any
shape, on one process and on several."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import words_merged
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongshi import workers
from gongshi.outputs.search import wordindex
from gongshi.outputs.search.bundle import pack, read
from gongshi.outputs.search.wordindex import CHUNK_SIZE, Shard, _cut_before, write_chunks

# a shard: word → [(its page, positions, metadata positions)], and how many pages it has
Postings = dict[str, list[tuple[int, list[int], list[int]]]]


def write_shard(folder: Path, postings: Postings, pages: int, cuts: list[int]) -> Shard:
    """``postings`` as Pagefind writes a shard's chunks (pages delta-encoded), cut after the
    words numbered in ``cuts``."""
    (folder / "index").mkdir(parents=True)
    words = sorted(postings)
    chunks = []
    bounds = sorted({0, *(c % len(words) for c in cuts if c % len(words)), len(words)})
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        entries = []
        for word in words[start:end]:
            last, packed = 0, []
            for page, locs, meta_locs in postings[word]:
                packed.append([page - last, locs, meta_locs])
                last = page
            entries.append([word, packed, []])
        data, _ = pack([entries])
        name = f"zh-cn_{number:07d}"
        (folder / "index" / f"{name}.pf_index").write_bytes(data)
        chunks.append([words[start], words[end - 1], name])
    return Shard(folder, chunks, list(range(pages)), [])


def expected(shards: list[tuple[Postings, list[int]]]) -> list[Any]:
    """Every word once, its pages from every shard in the merged numbering, sorted."""
    merged: dict[str, list[tuple[int, list[int], list[int]]]] = {}
    for postings, places in shards:
        for word, pages in postings.items():
            merged.setdefault(word, []).extend((places[p], locs, m) for p, locs, m in pages)
    return [[word, sorted(merged[word])] for word in sorted(merged)]


def decoded(bundle: Path, chunks: list[list[str]]) -> list[list[Any]]:
    """The words of each chunk written, page numbers made absolute."""
    found = []
    for first, last, name in chunks:
        (entries,) = read(bundle / "index" / f"{name}.pf_index")
        assert [entries[0][0], entries[-1][0]] == [first, last]
        words = []
        for word, packed, variants in entries:
            assert variants == []
            page, pages = 0, []
            for delta, locs, meta_locs in packed:
                page += delta
                pages.append((page, locs, meta_locs))
            words.append([word, pages])
        found.append(words)
    return found


WORDS = st.text(alphabet="员工哨商电梯42a0Zé", min_size=1, max_size=3)
LOCS = st.lists(st.integers(-30, 3000), max_size=30)
META = st.lists(st.integers(0, 40), max_size=2)


@st.composite
def shard_sets(draw: st.DrawFn) -> list[tuple[Postings, list[int], list[int]]]:
    """2–4 shards whose pages, together, are numbered 0 … n-1 in some order."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    order = draw(st.permutations(range(sum(sizes))))
    shards, at = [], 0
    for size in sizes:
        places = list(order[at : at + size])
        at += size
        words = draw(st.lists(WORDS, min_size=1, max_size=10, unique=True))
        postings = {
            word: sorted(
                (page, draw(LOCS), draw(META))
                for page in draw(st.lists(st.integers(0, size - 1), min_size=1, unique=True))
            )
            for word in words
        }
        cuts = draw(st.lists(st.integers(0, 20), max_size=3))
        shards.append((postings, places, cuts))
    return shards


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shard_sets(), st.sampled_from(["1", "2", "3"]))
def test_merged_words_hold_every_page_of_every_shard_cut_by_the_rule(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    shards: list[tuple[Postings, list[int], list[int]]],
    jobs: str,
) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", jobs)
    monkeypatch.setattr(workers, "SERIAL_BELOW", 0)  # forked however few the pages
    monkeypatch.setattr("gongshi.outputs.search.wordindex.CHUNK_SIZE", 60)  # the size rule too
    root = tmp_path_factory.mktemp("words")
    written = []
    for number, (postings, places, cuts) in enumerate(shards):
        shard = write_shard(root / str(number), postings, len(places), cuts)
        shard.places = places
        written.append(shard)
    (root / "out" / "index").mkdir(parents=True)
    chunks = decoded(root / "out", write_chunks(written, root / "out", "zh-cn"))
    assert [w for chunk in chunks for w in chunk] == expected([(p, q) for p, q, _ in shards])
    for chunk, after in itertools.pairwise(chunks):  # cut where the rule says, and only there
        weight = sum(len(locs) + len(meta) + 1 for _, pages in chunk for _, locs, meta in pages)
        assert weight >= 60 or _cut_before(chunk[-1][0], after[0][0])
    for chunk in chunks:
        weight = 0
        for (previous, pages), (word, _) in itertools.pairwise(chunk):
            weight += sum(len(locs) + len(meta) + 1 for _, locs, meta in pages)
            assert weight < 60 and not _cut_before(previous, word)


def test_chunks_end_at_each_chinese_character_and_where_prefixes_change(tmp_path: Path) -> None:
    words = ["4", "40", "42", "420", "5", "员", "员工", "哨", "商", "电", "电梯"]
    postings: Postings = {word: [(0, [-25, n], [])] for n, word in enumerate(words)}
    shard = write_shard(tmp_path / "shard", postings, 1, [3, 7])
    (tmp_path / "out" / "index").mkdir(parents=True)
    chunks = write_chunks([shard], tmp_path / "out", "zh-cn")
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
    assert len({name for _, _, name in chunks}) == len(chunks)
    assert CHUNK_SIZE == 20_000  # Pagefind's own


def test_the_words_split_into_one_range_per_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [chr(0x4E00 + n) for n in range(40)]
    postings: Postings = {word: [(0, [-25, 1], [])] for word in words}
    shard = write_shard(tmp_path / "shard", postings, 1, list(range(1, 40)))
    monkeypatch.setenv("GONGSHI_JOBS", "3")
    monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
    calls = []
    mapped = workers.mapped

    def counted(share, meanwhile=()):  # type: ignore[no-untyped-def]
        calls.append(share)
        return mapped(share, meanwhile)

    monkeypatch.setattr(workers, "mapped", counted)
    (tmp_path / "out" / "index").mkdir(parents=True)
    chunks = write_chunks([shard], tmp_path / "out", "zh-cn")
    assert len(calls) == 1
    assert [first for first, _, _ in chunks] == words


def test_a_chunk_of_the_bundle_before_is_taken_only_when_it_holds_the_same_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compressing is most of the cut's work: a chunk the previous bundle has (same name, same
    content once decompressed) is taken as it is; one whose file holds something else under
    that name, or is no gzip at all, is compressed again. The files are the same either way."""
    words = ["4", "42", "员", "员工", "商", "电", "电梯"]
    postings: Postings = {word: [(0, [-25, n], [])] for n, word in enumerate(words)}
    shard = write_shard(tmp_path / "shard", postings, 1, [2, 5])
    fresh = tmp_path / "fresh"
    (fresh / "index").mkdir(parents=True)
    listed = write_chunks([shard], fresh, "zh-cn")
    names = [name for _, _, name in listed]
    before = tmp_path / "before" / "index"
    before.mkdir(parents=True)
    for name in names:
        (before / f"{name}.pf_index").write_bytes(
            (fresh / "index" / f"{name}.pf_index").read_bytes()
        )
    (before / f"{names[0]}.pf_index").write_bytes(pack([[["x", [], []]]])[0])  # other words
    (before / f"{names[1]}.pf_index").write_bytes(b"not gzip")
    compressed = []
    real = wordindex.gzip_bytes

    def counted(data: bytes, level: int = 6) -> bytes:
        compressed.append(data)
        return real(data, level)

    monkeypatch.setattr(wordindex, "gzip_bytes", counted)
    again = tmp_path / "again"
    (again / "index").mkdir(parents=True)
    assert write_chunks([shard], again, "zh-cn", before) == listed
    assert len(compressed) == 2  # the two chunks the bundle before did not really hold
    for name in names:
        path = f"index/{name}.pf_index"
        assert (again / path).read_bytes() == (fresh / path).read_bytes()


ShardSet = list[tuple[Postings, list[int], list[int]]]


def shards_in(folder: Path, sets: ShardSet) -> list[Shard]:
    found = []
    for number, (postings, places, cuts) in enumerate(sets):
        shard = write_shard(folder / str(number), postings, len(places), cuts)
        shard.places = list(places)
        found.append(shard)
    return found


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


# two merges of drawn shards, the second taking from the first, on one process or two
MERGES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def merging(
    monkeypatch: pytest.MonkeyPatch, jobs: str, root: Path
) -> Callable[[str, list[Shard], Path | None, Any], list[Any]]:
    """Merges on ``jobs`` processes (whatever the size), chunks of 60, each into a folder of
    ``root``: what each gives is the chunk list and the files it writes."""
    monkeypatch.setattr(workers, "SERIAL_BELOW", 0)
    monkeypatch.setenv("GONGSHI_JOBS", jobs)
    monkeypatch.setattr("gongshi.outputs.search.wordindex.CHUNK_SIZE", 60)

    def merged(name: str, shards: list[Shard], before: Path | None, words: Any) -> list[Any]:
        (root / name / "index").mkdir(parents=True)
        listed = write_chunks(shards, root / name, "zh-cn", before, words=words)
        return [listed, files(root / name)]

    return merged


def changed_first(data: st.DataObject, shards: ShardSet) -> ShardSet:
    """``shards`` with the first one's words drawn again (or not), and a page of it trading
    places with one of the second (or not)."""
    changed = list(shards)
    postings, places, cuts = changed[0]
    if data.draw(st.booleans()):  # other words in the first shard, on its own pages
        drawn = data.draw(
            st.dictionaries(
                WORDS,
                st.lists(st.tuples(st.integers(0, len(places) - 1), LOCS, META), min_size=1),
                min_size=1,
                max_size=6,
            )
        )
        postings = {
            word: sorted({p: (p, locs, meta) for p, locs, meta in pages}.values())
            for word, pages in drawn.items()
        }
    if data.draw(st.booleans()):  # two shards trade places for their pages
        places, other = list(places), list(changed[1][1])
        places[0], other[0] = other[0], places[0]
        changed[1] = (changed[1][0], other, changed[1][2])
    changed[0] = (postings, places, cuts)
    return changed


def damaged(data: st.DataObject, before: Path) -> bool:
    """Whether a chunk of the bundle ``before`` was drawn to be lost or to hold other words."""
    victims = sorted(before.iterdir())
    if not victims or not data.draw(st.booleans()):
        return False
    victim = data.draw(st.sampled_from(victims))
    if data.draw(st.booleans()):
        victim.unlink()
    else:
        victim.write_bytes(pack([[["x", [], []]]])[0])
    return True


@MERGES
@given(shard_sets(), st.data(), st.sampled_from(["1", "2"]))
def test_a_merge_takes_the_groups_nothing_changed_and_gives_what_merging_every_word_gives(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    shards: ShardSet,
    data: st.DataObject,
    jobs: str,
) -> None:
    """After a merge noted its groups (``Words``), shards change (the first one's words, places
    traded between the first two, or nothing): the next merge reads the words of the groups
    those shards hold only, takes the rest from the bundle before, and writes what merging every
    word again writes — also when a chunk of the bundle before is missing or holds something
    else (its group is merged again)."""
    root = tmp_path_factory.mktemp("words")
    merged = merging(monkeypatch, jobs, root)

    first = wordindex.Words()
    merged("first", shards_in(root / "a", shards), None, first)
    changed = changed_first(data, shards)
    # the first two shards written anew (their groups not known: scanned); the others are the
    # first merge's own folders, whose groups it noted
    again = shards_in(root / "b", changed[:2])
    kept = {}
    for number, (postings, places, cuts) in enumerate(shards[2:], start=2):
        folder = root / "a" / str(number)
        again.append(write_shard(root / "unused" / str(number), postings, len(places), cuts))
        again[-1].folder, again[-1].places = folder, list(places)
        kept[folder, "zh-cn"] = first.groups[folder, "zh-cn"]
    lost = damaged(data, root / "first" / "index")
    read = words_merged(monkeypatch)
    taken = merged("taken", again, root / "first" / "index", wordindex.Words(first.now, kept))
    read = list(read)  # not the fresh merge's
    assert taken == merged("fresh", shards_in(root / "c", changed), None, None)
    if jobs == "1" and not lost:
        held = {wordindex.group_of(w) for p, _, _ in shards[:2] + changed[:2] for w in p}
        assert {wordindex.group_of(word) for word in read} <= held


@MERGES
@given(shard_sets(), st.data(), st.sampled_from(["1", "2"]))
def test_pages_left_out_and_indexed_alone_give_what_merging_every_word_gives(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    shards: ShardSet,
    data: st.DataObject,
    jobs: str,
) -> None:
    """Pages of the first shard are left out of it and indexed again in a bundle of their own,
    some holding their words as they did, some not: the merge takes from the bundle before the
    groups nothing they are made of changed — also those the pages left out hold as they did
    (``_Unleft``: by the key of merging with none left out) — reads only the others, and writes
    what merging every word again writes."""
    root = tmp_path_factory.mktemp("left")
    merged = merging(monkeypatch, jobs, root)

    first = wordindex.Words()
    merged("first", shards_in(root / "a", shards), None, first)
    postings, places, _ = shards[0]
    out = sorted(data.draw(st.sets(st.integers(0, len(places) - 1), min_size=1)))
    alone: Postings = {}  # the pages left out, numbered in their own bundle
    for word, pages in postings.items():
        for page, locs, meta in pages:
            if page in out and data.draw(st.booleans()):  # else: no longer on the word
                moved = data.draw(st.booleans())  # its positions other
                alone.setdefault(word, []).append((out.index(page), locs + [999] * moved, meta))
    for word in data.draw(st.lists(WORDS, max_size=2)):  # words they did not have
        if word not in alone:
            alone[word] = [(0, [1], [])]
    alone = alone or {"新": [(0, [1], [])]}

    def shard_set(folder: Path) -> list[Shard]:
        """The shards with the pages left out of the first, and their bundle, in ``folder``."""
        found = shards_in(folder, shards)
        found[0].places = [-1 if page in out else at for page, at in enumerate(places)]
        found[0].left = sum(1 << page for page in out)
        found[0].restored = list(places)
        found.append(write_shard(folder / "alone", alone, len(out), []))
        found[-1].places = [places[page] for page in out]
        return found

    again = shard_set(root / "unused")
    kept = {}
    for number, shard in enumerate(again[:-1]):
        shard.folder = root / "a" / str(number)
        kept[shard.folder, "zh-cn"] = first.groups[shard.folder, "zh-cn"]
    read = words_merged(monkeypatch)
    words = wordindex.Words(first.now, kept)
    taken = merged("taken", again, root / "first" / "index", words)
    read = list(read)  # not the fresh merge's
    assert taken == merged("fresh", shard_set(root / "c"), None, None)
    if jobs == "1":  # seen in this process
        before = {
            (w, places[p], tuple(locs))
            for w, ps in postings.items()
            for p, locs, _ in ps
            if p in out
        }
        now = {(w, places[out[p]], tuple(locs)) for w, ps in alone.items() for p, locs, _ in ps}
        changed = {wordindex.group_of(w) for w, *_ in before ^ now}
        assert {wordindex.group_of(word) for word in read} <= changed


def _shard(groups: dict[str, int]) -> wordindex.Shard:
    """A shard whose groups' entries are as many bytes as ``groups`` says (no chunk files)."""
    found = {g: (b"", ((0, 0, size),), 0) for g, size in groups.items()}
    return wordindex.Shard(Path("/nowhere"), [], [], [], groups=found)


def test_an_edits_merge_splits_the_words_by_the_work_of_the_groups_it_merges() -> None:
    """An edit merges (and compresses) the groups of its page's words and takes the others from
    the bundle before: the workers' ranges are cut so that each merges about as many bytes of
    entries, whatever the sizes of the groups taken."""
    characters = "一丁七万丈三上下不与丑专且世业东丝两严丧"
    shards = [_shard({c: 100_000 for c in characters}), _shard({"42": 5_000, "丁": 20_000})]
    merged = {"丁": 1, "万": 1, "东": 1, "两": 1}  # the page's words: the rest is taken
    refs = {g: [("", "", b"")] for c in characters if c not in merged for g in (c,)}
    taken = wordindex.Taken(refs=refs, changed=frozenset({3}))
    (split,) = wordindex._splits(shards, 2, taken)
    assert "万" < split <= "东"  # 丁 and 万 (120,000 + 100,000 bytes) | 东 and 两 (200,000)
    every = wordindex._splits(shards, 3, wordindex.Taken(refs={}, unsure={"一"}))
    assert len(every) == 2 and every == sorted(every)  # nothing taken: by every group's bytes
    assert wordindex._splits(shards, 2, None) == []  # a first merge: by the chunk files
