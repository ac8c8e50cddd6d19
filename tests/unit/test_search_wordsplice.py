"""outputs/search/wordsplice: a group's chunks with the entries of some pages replaced are the
words merging every page's entries again gives — checked against that plain merge for words,
pages and positions of any shape, cut into chunks anywhere."""

from __future__ import annotations

import gzip
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.outputs.search import wordsplice
from gongshi.outputs.search.bundle import _encode, pack
from gongshi.outputs.search.bundle import _head as encoded_head
from gongshi.outputs.search.wordindex import _encoded_pages

# word → {page: (positions, metadata positions)}
Entries = dict[str, dict[int, tuple[list[int], list[int]]]]

PAGES = 40
WORDS = st.text(alphabet="会的电梯42aé", min_size=1, max_size=3)
# positions past 23 take a longer array head; past 255 a longer integer; negative: a field mark
LOCS = st.lists(st.integers(0, 70_000), max_size=30)
META = st.lists(st.integers(-4, 40), max_size=2)
POSTING = st.tuples(LOCS, META)


def entries(max_pages: int = PAGES) -> st.SearchStrategy[Entries]:
    pages = st.dictionaries(st.integers(0, max_pages - 1), POSTING, min_size=1, max_size=12)
    return st.dictionaries(WORDS, pages, max_size=12)


def chunks(words: Entries, cuts: list[int]) -> list[bytes]:
    """``words`` as the merge writes a group's chunks (decompressed), cut after the words
    numbered in ``cuts``."""
    ordered = sorted(words)
    bounds = sorted({0, *(c % len(ordered) for c in cuts if c % len(ordered)), len(ordered)})
    found = []
    for start, end in itertools.pairwise(bounds):
        data = []
        for word in ordered[start:end]:
            last, packed = 0, []
            for page, (locs, meta_locs) in sorted(words[word].items()):
                packed.append([page - last, locs, meta_locs])
                last = page
            data.append([word, packed, []])
        found.append(gzip.decompress(pack([data])[0]))
    return found


def rest(posting: tuple[list[int], list[int]]) -> bytes:
    return _encode(posting[0]) + _encode(posting[1])


def merged(words: Entries) -> list[wordsplice.Word]:
    """Every word with a page, as ``wordindex._merged_words`` writes it, and its weight."""
    found = []
    for word in sorted(words):
        pages = [(page, rest(posting)) for page, posting in words[word].items()]
        if not pages:
            continue
        weight = sum(1 + len(locs) + len(meta) for locs, meta in words[word].values())
        entry = encoded_head(4, 3) + _encode(word) + _encoded_pages(pages) + b"\x80"
        found.append((word, entry, weight))
    return found


@settings(max_examples=300, deadline=None)
@given(
    before=entries(),
    changed=st.sets(st.integers(0, PAGES - 1), max_size=6),
    now=entries(),
    cuts=st.lists(st.integers(0, 20), max_size=4),
)
def test_a_group_spliced_is_the_group_merged_again(
    before: Entries, changed: set[int], now: Entries, cuts: list[int]
) -> None:
    """The words before less the changed pages' entries, and those pages' entries now: the same
    entries, bytes and weights as merging all pages again — the other pages' entries copied,
    the one after each change renumbered, a word gone when no page is left to it."""
    new = {
        word: sorted((page, rest(posting)) for page, posting in pages.items() if page in changed)
        for word, pages in now.items()
    }
    new = {word: postings for word, postings in new.items() if postings}
    expected: Entries = {}
    for word, pages in before.items():
        expected[word] = {page: p for page, p in pages.items() if page not in changed}
    for word, pages in now.items():
        for page, posting in pages.items():
            if page in changed:
                expected.setdefault(word, {})[page] = posting
    old = chunks(before, cuts) if before else []
    assert wordsplice.spliced(old, new, frozenset(changed)) == merged(expected)


def test_nothing_changed_gives_the_entries_as_they_were() -> None:
    before: Entries = {
        "会": {p: ([p, p + 30], []) for p in range(0, 300, 3)},
        "电梯": {4: ([1], [-1])},
    }
    old = chunks(before, [1])
    assert wordsplice.spliced(old, {}, frozenset({1, 2})) == merged(before)  # on no word


def test_a_word_with_other_diacritics_is_not_spliced() -> None:
    """``additional_variants`` (résumé, resume) are merged as before: not spliced."""
    data, _ = pack([[["resume", [[0, [1], []]], [["résumé", [[0, [2], []]]]]]]])
    with pytest.raises(wordsplice.Unspliced):
        wordsplice.spliced([gzip.decompress(data)], {}, frozenset({0}))
