"""outputs/search/wordsplice: a group's chunks with the entries of some pages replaced are the
words merging every page's entries again gives — checked against that plain merge for words,
pages and positions of any shape, cut into chunks anywhere, with and without the records that
let a splice copy the pages far from a change unread, and spliced again from what a splice
wrote."""

from __future__ import annotations

import gzip
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.outputs.search import wordsplice
from gongshi.outputs.search.bundle import MAGIC, _encode, pack
from gongshi.outputs.search.bundle import _head as encoded_head

# word → {page: (positions, metadata positions)}
Entries = dict[str, dict[int, tuple[list[int], list[int]]]]
Chunk = tuple[bytes, tuple[wordsplice.Record | None, ...] | None]

PAGES = 40
WORDS = st.text(alphabet="会的电梯42aé", min_size=1, max_size=3)
# positions past 23 take a longer array head; past 255 a longer integer; negative: a field mark
LOCS = st.lists(st.integers(0, 70_000), max_size=30)
META = st.lists(st.integers(-4, 40), max_size=2)
POSTING = st.tuples(LOCS, META)
ENTRIES = st.dictionaries(
    WORDS,
    st.dictionaries(st.integers(0, PAGES - 1), POSTING, min_size=1, max_size=PAGES),
    max_size=8,
)
CHANGE = st.tuples(st.sets(st.integers(0, PAGES - 1), max_size=6), ENTRIES)


def rest(posting: tuple[list[int], list[int]]) -> bytes:
    return _encode(posting[0]) + _encode(posting[1])


def merged(words: Entries) -> list[wordsplice.Word]:
    """Every word with a page, as ``wordindex._merged_words`` writes it: entry, weight and
    record."""
    found = []
    for word in sorted(words):
        pages = [(page, rest(posting)) for page, posting in sorted(words[word].items())]
        if not pages:
            continue
        weight = sum(1 + len(locs) + len(meta) for locs, meta in words[word].values())
        written, marks = wordsplice.encoded(pages)
        entry = encoded_head(4, 3) + _encode(word) + encoded_head(4, len(pages)) + written
        found.append((word, entry + b"\x80", weight, (weight, len(written), marks)))
    return found


def chunks(words: list[wordsplice.Word], cuts: list[int], recorded: bool) -> list[Chunk]:
    """``words`` written as a group's chunks (decompressed), cut after the words numbered in
    ``cuts``; with their records or not."""
    bounds = sorted({0, *(c % len(words) for c in cuts if c % len(words)), len(words)})
    found = []
    for start, end in itertools.pairwise(bounds):
        part = words[start:end]
        data = MAGIC + encoded_head(4, 1) + encoded_head(4, len(part))
        data += b"".join(entry for _, entry, _, _ in part)
        found.append((data, tuple(record for *_, record in part) if recorded else None))
    return found


def applied(words: Entries, changed: set[int], now: Entries) -> Entries:
    """``words`` with the entries of the pages ``changed`` those of ``now``."""
    found = {
        word: {p: e for p, e in pages.items() if p not in changed} for word, pages in words.items()
    }
    for word, pages in now.items():
        for page, posting in pages.items():
            if page in changed:
                found.setdefault(word, {})[page] = posting
    return {word: pages for word, pages in found.items() if pages}


def spliced(old: list[Chunk], changed: set[int], now: Entries) -> list[wordsplice.Word]:
    new = {
        word: sorted((page, rest(posting)) for page, posting in pages.items() if page in changed)
        for word, pages in now.items()
    }
    new = {word: postings for word, postings in new.items() if postings}
    return wordsplice.spliced(old, new, frozenset(changed))


def assert_true_records(found: list[wordsplice.Word]) -> None:
    """Each mark of a record is where a page begins, after the page it says."""
    for _, entry, weight, record in found:
        assert record is not None and record[0] == weight
        _, size, marks = record
        written = entry[-1 - size : -1]  # the pages: before the empty list of other diacritics
        assert entry.endswith(b"\x80") and len(entry) > size + 1
        starts = {}
        at, page = 0, 0
        for delta, locs, meta in wordsplice_pages(written):
            starts[at] = page
            page += delta
            at += len(b"\x83" + encoded_head(0, delta) + _encode(locs) + _encode(meta))
        assert at == size
        for before, offset in zip(marks[0::2], marks[1::2], strict=True):
            assert starts.get(offset) == before


def wordsplice_pages(written: bytes) -> list[tuple[int, list[int], list[int]]]:
    """The pages (number's difference, positions, metadata positions) of written entries."""
    from gongshi.outputs.search.bundle import _decode  # noqa: PLC0415 (the reader of the test only)

    found, at = [], 0
    while at < len(written):
        (delta, locs, meta), at = _decode(written, at)
        found.append((delta, locs, meta))
    return found


@settings(max_examples=300, deadline=None)
@given(
    before=ENTRIES,
    first=CHANGE,
    second=CHANGE,
    cuts=st.lists(st.integers(0, 20), max_size=4),
    skip=st.integers(1, 6),
    recorded=st.booleans(),
)
def test_a_group_spliced_is_the_group_merged_again(
    before: Entries,
    first: tuple[set[int], Entries],
    second: tuple[set[int], Entries],
    cuts: list[int],
    skip: int,
    recorded: bool,
) -> None:
    """The words before less the changed pages' entries, and those pages' entries now: the same
    entries, bytes and weights as merging all pages again — the other pages' entries copied,
    the one after each change renumbered, a word gone when no page is left to it —, and true
    records; and spliced again from those, the same as merging after the second change."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wordsplice, "SKIP", skip)  # marks among few pages
        old = chunks(merged(before), cuts, recorded) if before else []
        once = applied(before, *first)
        found = spliced(old, *first)
        assert [word[:3] for word in found] == [word[:3] for word in merged(once)]
        assert_true_records(found)
        again = chunks(found, cuts, True) if found else []
        twice = spliced(again, *second)
        assert [word[:3] for word in twice] == [w[:3] for w in merged(applied(once, *second))]
        assert_true_records(twice)


def test_nothing_changed_gives_the_entries_as_they_were() -> None:
    before: Entries = {
        "会": {p: ([p, p + 30], []) for p in range(0, 300, 3)},
        "电梯": {4: ([1], [-1])},
    }
    for recorded in (True, False):
        old = chunks(merged(before), [1], recorded)
        assert spliced(old, {1, 2}, {}) == merged(before)  # pages on no word of it


def test_a_word_with_other_diacritics_is_not_spliced() -> None:
    """``additional_variants`` (résumé, resume) are merged as before: not spliced."""
    data, _ = pack([[["resume", [[0, [1], []]], [["résumé", [[0, [2], []]]]]]]])
    with pytest.raises(wordsplice.Unspliced):
        wordsplice.spliced([(gzip.decompress(data), None)], {}, frozenset({0}))
