"""What changed since the kept build, when only items' bodies did: the records to look at.

A record holds when every read it made gives again what it gave (:func:`reuse.unchanged` asks
each of them of the new index: at 10,000 items some 80,000 reads in each process, a fifth of a
body edit). Most edits change an item's body and nothing else, and the index reads no item's
body but that of an item it is given (``SiteIndex.meeting_record(meeting)``): what it is made of
is every item *less its body*, the places, the warnings and "now". When all of that is as the
kept build had it, every read gives what it gave but for the bodies of the items it holds, and
the plan reads of a body only whether a meeting has its record (``## 会议记录``, which the
ledger board counts: that is in the state too), so each page holds what it held but those
bodies. "Now" need not be the same, only in the kept build's *steady span*
(``SiteIndex.steady_until``: up to the first instant at which a state, a count of days or a
date on the site could differ) — so ``gongshi serve`` and ``gongshi build --cache`` without
``--now``, whose "now" moves a few seconds between saves, keep to this path; a page that shows
"now" itself (``site.now``, the time of the build) notes :data:`bodies.NOW` as it would an item
whose body it read, and that key is among those changed whenever "now" moved. What a page (or
a part of a file) makes of them is what it read of them: each record notes the items whose
bodies it read while it was made (``PageRecord.touches``, noted by
:mod:`gongshi.content.models.bodies` wherever a body is read). A record none of whose items is
one whose body changed holds without a read asked again nor its page digested
(:func:`reuse.holds`): the list of 10,000 meetings shows none of their bodies, and is taken
over when a meeting's minutes grow a line.

Each item's digest less its body (:func:`less_body`, which a meeting's calendar event is made
of too: no event shows the body) is kept by its whole digest (``#item/<type>/<id>``: taken
again only for an item that changed), and the digest of everything the index is made of under
``#index``, and "now" with the end of its span under ``#now``. Anything else changed — an item
added, gone, published or hidden, a field, a place, a warning, "now" past its span — and every
read is asked again, as before.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..content.models import Item, Meeting, bodies
from ..site.index import SiteIndex
from .reuse import Digests, KeyedFiles, PageRecord

STATE = "#index"
SPAN = "#now"  # the kept build's "now" and its steady span (:func:`_span`)
ITEM = "#item/{}/{}"
# what the index reads of no item it is not given, and no calendar event shows: the body, and
# the lines its fields are on (read for the problems and warnings only, which the index holds)
BODY = bodies.FIELDS
NONE = (0, 0, 0)  # the file of a record that is not one


def less_body(item: Item, digests: Digests, files: KeyedFiles | None = None) -> bytes:
    """The digest of ``item`` less its :data:`BODY`, kept with ``files``' records by the item's
    whole digest (digesting 10,000 items' fields again was 0.6 s of a body edit)."""

    def make() -> bytes:
        return digests.without(item, BODY)

    if files is None:
        return make()
    return files.derived(ITEM.format(item.type, item.id), digests.object_digest(item), make)


def changed_items(index: SiteIndex, files: KeyedFiles) -> frozenset[tuple[str, str]] | None:
    """The keys of the items whose bodies alone changed since the kept build (whose records
    ``files`` holds), when nothing else the index is made of changed; else None. Notes in
    ``files`` what the next build compares."""
    digests: Digests = files.digests()
    kept = files.kept.records if files.kept is not None else {}
    state = hashlib.blake2b(digest_size=20)
    for part in (digests.of(index.places), digests.of(index.warnings)):
        state.update(part)
    changed = []
    for item in index.all_items():
        name = ITEM.format(item.type, item.id)
        before = kept.get(name)
        less = less_body(item, digests, files)
        if before is not None and before.page != files.records[name].page and before.gave == less:
            changed.append(item.key)  # its body alone changed
        state.update(name.encode("utf-8"))
        state.update(less)
        if isinstance(item, Meeting) and index.meeting_record(item)[0]:
            state.update(b"+record")  # what the plan reads of a body (the board counts it)
    key = state.digest()
    before, span = kept.get(STATE), kept.get(SPAN)
    files.records[STATE] = PageRecord(key, (), NONE, key)
    files.records[SPAN] = PageRecord(_span(index.now, index.steady_until()), (), NONE)
    if before is None or before.page != key or span is None or not _within(index.now, span.page):
        return None
    return frozenset(changed) | ({bodies.NOW} if span.page[:_STAMP] != _stamp(index.now) else set())


_STAMP = 8  # bytes of an instant: microseconds since the epoch, big-endian, signed


def _stamp(moment: datetime) -> bytes:
    return round(moment.timestamp() * 1_000_000).to_bytes(_STAMP, "big", signed=True)


def _span(now: datetime, until: datetime) -> bytes:
    """The kept build's "now" and the end of its steady span (``SiteIndex.steady_until``)."""
    return _stamp(now) + _stamp(until)


def _within(now: datetime, span: bytes) -> bool:
    """Whether ``now`` is in the kept build's span: from its "now" (not before) to the first
    instant at which an answer of its index could differ (not at it)."""
    since, until = (int.from_bytes(span[at : at + _STAMP], "big", signed=True) for at in (0, 8))
    return since <= int.from_bytes(_stamp(now), "big", signed=True) < until
