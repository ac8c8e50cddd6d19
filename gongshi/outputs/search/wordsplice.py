"""A group of words spliced: its chunks in the bundle before, with the entries of the pages that
changed replaced — the words merging every shard's words of the group again would give.

An edit moves the positions of the words after it on its page, so most groups of its words
change (``wordindex.group_of``: the words that begin with one Chinese character). Merging such
a group again reads the words of it in every shard and puts each of their pages in order: a
character on every page, 的 or 会, is 10,000 entries at 10,000 items, and an edit near the top
of a page merged most of the index again (1.1 million entries, 2 s). Yet the merge before
wrote that group's chunks from the same pages, all but the changed ones: here its words are
read from those chunks — one stream, already in order —, the entries of the changed pages
dropped and their new entries put in at their places, the runs of entries between copied as
bytes (an entry's page number is written as the difference from the one before it: only the
entry after a change is written again).

``wordindex.py`` decides when it holds (``Words.numbered``): the pages are the merge before's,
in the same order and with the same metadata fields, and every page but the changed ones comes
from the same bundle (by its meta file's content) at the same number there, so its entries are
the same bytes. A word with other diacritics (résumé, resume; rare) is merged as before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from .bundle import MAGIC, _decode, _encode
from .bundle import _head as encoded_head
from .postings import POSTING, RUNS, head, integers, skip, unsigned, word_at

Posting = tuple[int, bytes]  # a page of a word: its merged number, its entry after the number
Word = tuple[str, bytes, int]  # a word's entry as Pagefind writes it, and its weight


class Unspliced(Exception):
    """A word of the group has other diacritics: the group is merged instead."""


def spliced(
    chunks: Sequence[bytes], new: Mapping[str, list[Posting]], changed: Collection[int]
) -> list[Word]:
    """The words of a group: those of its ``chunks`` (decompressed, in order) with no entry for a
    page in ``changed`` but those of ``new`` (each word's, by page), in word order; a word left
    with no page is gone. Raises :class:`Unspliced` for a word with other diacritics."""
    added = sorted(new)
    words: list[Word] = []
    at_added = 0
    for data, at, count in _chunks(chunks):
        for _ in range(count):
            word, text_end = word_at(data, at)
            while at_added < len(added) and added[at_added] < word:
                words += _fresh(added[at_added], new[added[at_added]])
                at_added += 1
            mine: list[Posting] = []
            if at_added < len(added) and added[at_added] == word:
                mine = new[word]
                at_added += 1
            found, end = _word(word, data, at, text_end, mine, changed)
            words += found
            at = end  # noqa: PLW2901 (the next word)
    for word in added[at_added:]:
        words += _fresh(word, new[word])
    return words


def _chunks(chunks: Sequence[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """Each chunk: its bytes, where its first word's entry begins, its count of words."""
    for data in chunks:
        if not data.startswith(MAGIC):
            raise ValueError("an index chunk is not a Pagefind data file")
        major, count, at = head(data, len(MAGIC))
        major_words, words, at = head(data, at)
        if major != 4 or count != 1 or major_words != 4:
            raise ValueError("an index chunk is not the array Pagefind writes")
        yield data, at, words


def _fresh(word: str, postings: list[Posting]) -> list[Word]:
    """A word the group did not hold: its entry, as the merge writes it."""
    pages = [encoded_head(4, len(postings))]
    last = 0
    for page, rest in postings:
        pages.append(b"\x83" + unsigned(page - last) + rest)
        last = page
    weight = sum(weight_of(rest) for _, rest in postings)
    return [(word, encoded_head(4, 3) + _encode(word) + b"".join(pages) + b"\x80", weight)]


def weight_of(rest: bytes) -> int:
    """What a page's entry after its number (positions, metadata positions) weighs in Pagefind's
    chunk size: one, and one per position of either kind."""
    major, positions, _ = head(rest, 0)
    major_meta, meta, _ = head(rest, skip(rest, 0))
    if major != 4 or major_meta != 4:
        raise ValueError("a page's positions are not arrays")
    return 1 + positions + meta


def _posting(data: bytes, at: int) -> tuple[int, int, int, int]:
    """The page entry ``[page, positions, metadata positions]`` at ``at``: the difference of its
    page number from the one before, where its positions begin, where it ends, its weight."""
    posting = POSTING.match(data, at)
    if posting is None:
        raise ValueError("a word's page is not [page, positions, metadata positions]")
    raw, short, one, two = posting.groups()
    positions = short[0] - 0x80 if short else one[0] if one else int.from_bytes(two, "big")
    meta_at = posting.end()
    if positions:
        run = (RUNS.get(positions) or integers(positions)).match(data, meta_at)
        if run is None:
            raise ValueError("a page's positions are not integers")
        meta_at = run.end()
    if data[meta_at] == 0x80:  # no metadata positions, nearly always
        end, meta = meta_at + 1, 0
    else:
        meta_locs, end = _decode(data, meta_at)
        meta = len(meta_locs)
    delta = raw[0] if len(raw) == 1 else int.from_bytes(raw[1:], "big")
    return delta, posting.end(1), end, positions + 1 + meta


class _Pages:
    """A word's pages written again: the runs of entries kept one after another copied as bytes
    (each number is written as the difference from the page before it, which is the same), the
    entry after a change written."""

    def __init__(self, data: bytes, at: int) -> None:
        self.data = data
        self.out: list[bytes] = []
        self.copy_from: int | None = at  # where the entries being copied begin
        self.written = 0  # the last page written
        self.kept = self.weight = 0

    def cut(self, at: int) -> None:
        """The entries copied end at ``at``."""
        if self.copy_from is not None:
            self.out.append(self.data[self.copy_from : at])
            self.copy_from = None

    def write(self, page: int, rest: bytes, weight: int) -> None:
        self.out.append(b"\x83" + unsigned(page - self.written) + rest)
        self.written = page
        self.kept += 1
        self.weight += weight

    def keep(self, page: int, at: int, span: tuple[int, int, int]) -> None:
        """The entry of ``page`` from ``at``: copied when the entry before it was (its number
        is written from the same page as before), else written."""
        rest_at, end, weight = span
        if self.copy_from is None:
            self.write(page, self.data[rest_at:end], weight)
            self.copy_from = end
        else:
            self.written = page
            self.kept += 1
            self.weight += weight


def _word(
    word: str, data: bytes, start: int, text_end: int, mine: list[Posting], changed: Collection[int]
) -> tuple[list[Word], int]:
    """The entry at ``start`` of ``data`` without the pages in ``changed`` and with ``mine``
    (the bytes as they are when neither touched it; none if it is left with no page), and where
    the next entry begins."""
    major, count, at = head(data, text_end)
    if major != 4:
        raise ValueError("a word's pages are not an array")
    pages = _Pages(data, at)
    page = at_mine = 0
    touched = False
    for _ in range(count):
        delta, rest_at, end, weight = _posting(data, at)
        page += delta
        while at_mine < len(mine) and mine[at_mine][0] <= page:
            pages.cut(at)
            pages.write(*mine[at_mine], weight_of(mine[at_mine][1]))
            at_mine, touched = at_mine + 1, True
        if page in changed:
            pages.cut(at)
            touched = True
        else:
            pages.keep(page, at, (rest_at, end, weight))
        at = end
    pages.cut(at)
    for new_page, rest in mine[at_mine:]:
        pages.write(new_page, rest, weight_of(rest))
        touched = True
    if data[at] != 0x80:
        raise Unspliced(word)
    if not touched:
        return [(word, data[start : at + 1], pages.weight)], at + 1
    if not pages.kept:
        return [], at + 1
    text = data[start + 1 : text_end]  # the word's text item, after the entry's array head
    entry = b"\x83" + text + encoded_head(4, pages.kept) + b"".join(pages.out) + b"\x80"
    return [(word, entry, pages.weight)], at + 1
