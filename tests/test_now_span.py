"""Anywhere in the steady span of "now" (``SiteIndex.steady_until``), every answer of the index
and of the subscriptions, and every page of the plan, is the one it gives at its start.

``outputs/changes.py`` lets a build whose "now" moved within the kept build's span, and in
which only bodies changed, take over every page that does not show "now" itself — sound only
while no answer depends on "now" but through a comparison that the span's end is the first to
flip. Each method (``test_body_reads.CALLS``, which every method must be in) is asked here of
two indexes of the complete test site, at the span's start and later in it, and must answer
alike; the plan's pages must have the same digests (what a kept record compares). A method or
a page whose answer moves with "now" another way fails here: its instants belong in the span.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_body_reads import BUILD, CALLS, SUBSCRIPTIONS, _in, _plain

from gongshi.content.loader import Loaded
from gongshi.outputs.reuse import Digests, Opaque
from gongshi.site.index import SiteIndex
from gongshi.site.plan import plan
from gongshi.site.subscriptions import Subscriptions

ITEMS = tuple(BUILD.index.all_items())
IDS = {t: frozenset(i.id for i in ITEMS if i.type == t) for t in {i.type for i in ITEMS}}
LOADED = Loaded(BUILD.index.places, ITEMS, IDS, (), ())
NOW = BUILD.index.now
STEP = timedelta(microseconds=1)


def _at(now: datetime) -> tuple[SiteIndex, Subscriptions]:
    found = dataclasses.replace(BUILD.settings, now=now)
    index = SiteIndex(LOADED, found, BUILD.index.warnings)
    return index, Subscriptions(index, found)


def _pages(index: SiteIndex, subscriptions: Subscriptions) -> list[bytes | None]:
    digests = Digests()
    found: list[bytes | None] = []
    for page in plan(index, dataclasses.replace(BUILD.settings, now=index.now), subscriptions):
        try:
            found.append(digests.of(page))
        except Opaque:  # rendered every build: nothing to compare
            found.append(None)
    return found


def _same_later_in_span(start: datetime, fraction: float) -> datetime:
    """Check that everything at ``start`` is the same ``fraction`` of its span later; the
    span's end."""
    first, first_subscriptions = _at(start)
    until = first.steady_until()
    assert until >= start
    if until == start:  # a meeting starts at this very moment: the span is empty
        return until
    later = min(start + (until - start) * fraction, until - STEP)
    second, second_subscriptions = _at(later)
    assert second.steady_until() == until
    for method, calls in CALLS.items():
        for args in calls():
            answer = getattr(first, method)(*_in(first, args))
            again = getattr(second, method)(*_in(second, args))
            assert _plain(answer) == _plain(again), (method, args, start, later)
    for method, calls in SUBSCRIPTIONS.items():
        for args in calls():
            answer = getattr(first_subscriptions, method)(*_in(first, args))
            again = getattr(second_subscriptions, method)(*_in(second, args))
            assert _plain(answer) == _plain(again), (method, args, start, later)
    assert _pages(first, first_subscriptions) == _pages(second, second_subscriptions)
    return until


def _edges() -> list[datetime]:
    """Moments at and around the instants the site's states change at, and midnights."""
    index, _ = _at(NOW - timedelta(days=120))
    found = [NOW]
    for instant, _ in index.changes_ahead():
        found += [instant - timedelta(minutes=1), instant, instant + STEP]
    midnight = index.end_of_day(NOW.astimezone(index.tz).date())
    return [*found, midnight - STEP, midnight]


@pytest.mark.parametrize("start", _edges(), ids=lambda t: t.isoformat())
def test_everything_is_the_same_up_to_the_end_of_the_span(start: datetime) -> None:
    _same_later_in_span(start, 1.0)  # the last moment of the span


def test_the_span_of_the_sites_now_is_not_empty_and_ends_by_midnight() -> None:
    index, _ = _at(NOW)
    until = _same_later_in_span(NOW, 0.5)
    assert NOW < until <= index.end_of_day(NOW.astimezone(index.tz).date())


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=-120 * 24 * 60, max_value=120 * 24 * 60),
    st.floats(min_value=0, max_value=1),
)
def test_everything_is_the_same_anywhere_in_the_span(minutes: int, fraction: float) -> None:
    _same_later_in_span(NOW + timedelta(minutes=minutes), fraction)
