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
entry after a change is written again). Each word has a record (:data:`Record`) kept with its
chunk: with a mark every :data:`SKIP` pages, the splice walks only the blocks of pages a change
falls in (35,000 entries instead of 1.1 million) and copies the others unread.

``wordindex.py`` decides when it holds (``Words.numbered``): the pages are the merge before's,
in the same order and with the same metadata fields, and every page but the changed ones comes
from the same bundle (by its meta file's content) at the same number there, so its entries are
the same bytes. A word with other diacritics (résumé, resume; rare) is merged as before.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator, Mapping, Sequence

from .bundle import MAGIC, _decode, _encode
from .bundle import _head as encoded_head
from .postings import head, page_entry, skip, unsigned, word_at

Posting = tuple[int, bytes]  # a page of a word: its merged number, its entry after the number
SKIP = 64  # a word's pages between two of its marks (:data:`Record`), about

# a word's entry as the next splice reads it: its weight, the bytes of its pages (after their
# array's head), and a mark every :data:`SKIP` pages or so — the page before the mark's and
# where the mark's page begins among those bytes, flattened: the pages a change is not near
# are copied without being read
Record = tuple[int, int, tuple[int, ...]]
Word = tuple[str, bytes, int, Record | None]  # an entry as Pagefind writes it, its weight, record


class Unspliced(Exception):
    """A word of the group has other diacritics: the group is merged instead."""


def spliced(
    chunks: Sequence[tuple[bytes, Sequence[Record | None] | None]],
    new: Mapping[str, list[Posting]],
    changed: Collection[int],
) -> list[Word]:
    """The words of a group: those of its ``chunks`` (each decompressed, in order, with the
    records of its words if known) with no entry for a page in ``changed`` but those of ``new``
    (each word's, by page), in word order; a word left with no page is gone. Raises
    :class:`Unspliced` for a word with other diacritics."""
    added = sorted(new)
    words: list[Word] = []
    at_added = 0
    order = sorted(changed)
    for data, at, count, records in _chunks(chunks):
        for number in range(count):
            word, text_end = word_at(data, at)
            while at_added < len(added) and added[at_added] < word:
                words.append(_fresh(added[at_added], new[added[at_added]]))
                at_added += 1
            mine: list[Posting] = []
            if at_added < len(added) and added[at_added] == word:
                mine = new[word]
                at_added += 1
            record = records[number] if records is not None else None
            splice = _Splice(data, text_end, changed, record)
            found, end = splice.word(word, at, mine, order)
            words += found
            at = end  # noqa: PLW2901 (the next word)
    for word in added[at_added:]:
        words.append(_fresh(word, new[word]))
    return words


def _chunks(
    chunks: Sequence[tuple[bytes, Sequence[Record | None] | None]],
) -> Iterator[tuple[bytes, int, int, Sequence[Record | None] | None]]:
    """Each chunk: its bytes, where its first word's entry begins, its count of words, their
    records (None when unknown, or not one a word)."""
    for data, records in chunks:
        if not data.startswith(MAGIC):
            raise ValueError("an index chunk is not a Pagefind data file")
        major, count, at = head(data, len(MAGIC))
        major_words, words, at = head(data, at)
        if major != 4 or count != 1 or major_words != 4:
            raise ValueError("an index chunk is not the array Pagefind writes")
        yield data, at, words, records if records is not None and len(records) == words else None


def encoded(pages: Sequence[Posting]) -> tuple[bytes, tuple[int, ...]]:
    """A word's pages (sorted) as the merge writes them, after their array's head (each number
    the difference from the one before it); and their marks (:data:`Record`)."""
    out = []
    marks: list[int] = []
    last = size = 0
    for number, (page, rest) in enumerate(pages):
        posting = b"\x83" + unsigned(page - last) + rest
        if number and not number % SKIP:
            marks += (last, size)
        out.append(posting)
        size += len(posting)
        last = page
    return b"".join(out), tuple(marks)


def _fresh(word: str, postings: list[Posting]) -> Word:
    """A word the group did not hold: its entry, as the merge writes it."""
    pages, marks = encoded(postings)
    weight = sum(weight_of(rest) for _, rest in postings)
    entry = encoded_head(4, 3) + _encode(word) + encoded_head(4, len(postings)) + pages + b"\x80"
    return word, entry, weight, (weight, len(pages), marks)


def weight_of(rest: bytes) -> int:
    """What a page's entry after its number (positions, metadata positions) weighs in Pagefind's
    chunk size: one, and one per position of either kind."""
    major, positions, _ = head(rest, 0)
    major_meta, meta, _ = head(rest, skip(rest, 0))
    if major != 4 or major_meta != 4:
        raise ValueError("a page's positions are not arrays")
    return 1 + positions + meta


def _posting(data: bytes, at: int) -> tuple[int, int, int, int]:
    """The page entry at ``at``: the difference of its page number from the one before, where
    its positions begin, where it ends, its weight."""
    delta, rest_at, meta_at, positions = page_entry(data, at)
    if data[meta_at] == 0x80:  # no metadata positions, nearly always
        return delta, rest_at, meta_at + 1, positions + 1
    meta_locs, end = _decode(data, meta_at)
    return delta, rest_at, end, positions + 1 + len(meta_locs)


class _Splice:
    """One word's entry written again: its pages walked near the changes only (between the
    marks around them), the runs of pages kept copied as bytes — each number is written as the
    difference from the page before it, the same as before —, the page after a change written."""

    def __init__(
        self, data: bytes, text_end: int, changed: Collection[int], record: Record | None
    ) -> None:
        major, self.count, self.first = head(data, text_end)
        if major != 4:
            raise ValueError("a word's pages are not an array")
        self.data, self.text_end, self.changed, self.record = data, text_end, changed, record
        self.out: list[bytes] = []
        self.flushed = 0  # bytes in ``out``
        self.copy_from: int | None = self.first  # where the pages being copied begin
        self.written = 0  # the last page written
        self.gone = self.put = 0  # pages dropped, pages put in
        self.weight = 0  # the weight of those walked and kept, and of those put in
        self.walked = 0  # the weight of those walked, kept or not
        self.marks: list[int] = []
        self.since = 0  # pages written since the last mark

    def position(self, at: int) -> int:
        """Where the page at ``at`` goes among the pages written."""
        return self.flushed + (at - self.copy_from if self.copy_from is not None else 0)

    def cut(self, at: int) -> None:
        """The pages copied end at ``at``."""
        if self.copy_from is not None:
            self.out.append(self.data[self.copy_from : at])
            self.flushed += at - self.copy_from
            self.copy_from = None

    def mark(self, at: int) -> None:
        """Count the page at ``at`` (kept or put in), marked if :data:`SKIP` pages came since."""
        if self.since >= SKIP:
            self.marks += (self.written, self.position(at))
            self.since = 0
        self.since += 1

    def write(self, at: int, page: int, rest: bytes, weight: int) -> None:
        self.cut(at)
        self.mark(at)
        posting = b"\x83" + unsigned(page - self.written) + rest
        self.out.append(posting)
        self.flushed += len(posting)
        self.written = page
        self.weight += weight

    def keep(self, at: int, page: int, span: tuple[int, int, int]) -> None:
        """The page ``page`` at ``at``: copied when the page before it was, else written."""
        rest_at, end, weight = span
        if self.copy_from is None:
            self.write(at, page, self.data[rest_at:end], weight)
            self.copy_from = end
        else:
            self.mark(at)
            self.written = page
            self.weight += weight

    def word(
        self, word: str, start: int, mine: list[Posting], order: list[int]
    ) -> tuple[list[Word], int]:
        """The entry at ``start`` without the pages changed and with ``mine`` (the bytes as they
        are when neither touched it; none if it is left with no page), and where the next entry
        begins."""
        data, first = self.data, self.first
        end_at = first + self.record[1] if self.record else None
        marks = self._marks = self.record[2] if self.record else ()
        befores, offsets = marks[0::2], marks[1::2]
        # the blocks of pages between marks that a change is in: block i begins at mark i - 1
        near = sorted({bisect.bisect_left(befores, page) for page in order}) if marks else None
        block, at, page, at_mine, walked = 0, first, 0, 0, 0
        while True:
            if near is not None and self.copy_from is not None and at == self._start(block):
                target = self._next(near, block)
                if target > block and end_at is not None:  # copied up to a change, or the end
                    at, page = self._copied(block, target, end_at)
                    block = target
            if at == end_at or (end_at is None and walked == self.count):
                break
            delta, rest_at, end, weight = _posting(data, at)
            page += delta
            walked += 1
            self.walked += weight
            while at_mine < len(mine) and mine[at_mine][0] <= page:
                self.write(at, *mine[at_mine], weight_of(mine[at_mine][1]))
                self.put += 1
                at_mine += 1
            if page in self.changed:
                self.cut(at)
                self.gone += 1
            else:
                self.keep(at, page, (rest_at, end, weight))
            at = end
            if block < len(befores) and at == first + offsets[block]:
                block += 1
        self.cut(at)
        for new_page, rest in mine[at_mine:]:
            self.write(at, new_page, rest, weight_of(rest))
            self.put += 1
        if data[at] != 0x80:
            raise Unspliced(word)
        if not (self.gone or self.put):
            record = self.record or (self.weight, at - first, tuple(self.marks))
            return [(word, data[start : at + 1], record[0], record)], at + 1
        count = self.count - self.gone + self.put
        if not count:
            return [], at + 1
        weight = self.weight + (self.record[0] - self.walked if self.record else 0)
        text = data[start + 1 : self.text_end]  # the word's text, after the entry's array head
        entry = b"\x83" + text + encoded_head(4, count) + b"".join(self.out) + b"\x80"
        return [(word, entry, weight, (weight, self.flushed, tuple(self.marks)))], at + 1

    def _start(self, block: int) -> int:
        """Where the block of pages ``block`` begins (block ``i`` at mark ``i - 1``)."""
        return self.first if block == 0 else self.first + self._marks[2 * block - 1]

    @staticmethod
    def _next(near: list[int], block: int) -> int:
        """The first block from ``block`` on that a change is in; past the last if none."""
        after = bisect.bisect_left(near, block)
        return near[after] if after < len(near) else 1 << 62

    def _copied(self, block: int, target: int, end_at: int) -> tuple[int, int]:
        """The blocks from ``block`` up to ``target`` (or to the end) copied without reading
        them, their marks carried: where the pages go on, and the page before."""
        marks = self._marks
        last = len(marks) // 2  # blocks: ``last + 1``
        for mark in range(max(block, 1), min(target, last + 1)):
            self.marks += (marks[2 * mark - 2], self.position(self.first + marks[2 * mark - 1]))
        self.since = SKIP  # the next page kept is marked
        if target > last:
            return end_at, 0
        self.written = marks[2 * target - 2]
        return self.first + marks[2 * target - 1], self.written
