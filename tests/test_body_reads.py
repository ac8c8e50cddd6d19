"""The index (and the subscriptions made of it) reads no item's body but that of an item it is
given; the plan reads of a body only whether a meeting has its record.

``outputs/changes.py`` lets a record hold without its reads asked again when only items' bodies
changed and none of its items did: sound only while no answer of the index depends on the body
of an item the answer neither was given nor gives. Each method is asked here of two indexes of
the complete test site, the second with the body of every item but those given replaced, and
must answer alike (items compared by key). A method added to the index must be added here.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from conftest import complete_build

from gongshi.content.loader import Loaded, reference_fields
from gongshi.content.models import ITEM_TYPES, Item, Meeting
from gongshi.outputs.changes import BODY
from gongshi.site.index import SiteIndex
from gongshi.site.plan import plan
from gongshi.site.subscriptions import Subscriptions

BUILD = complete_build()
ITEMS = tuple(BUILD.index.all_items())
TYPES = tuple(cls.type for cls in ITEM_TYPES)
PLACES = tuple(BUILD.index.places.ids())
MEETINGS = tuple(i for i in ITEMS if isinstance(i, Meeting))

Calls = Callable[[], Iterator[tuple[Any, ...]]]
# every public method of the index, with the arguments it is asked with
CALLS: dict[str, Calls] = {
    "items": lambda: ((t,) for t in TYPES),
    "all_items": lambda: iter([()]),
    "by_id": lambda: ((i.type, i.id) for i in ITEMS),
    "resolved": lambda: (
        (i, name) for i in ITEMS for name, target in reference_fields(type(i)) if target != "place"
    ),
    "referrers": lambda: ((i, t) for i in ITEMS for t in TYPES),
    "referrer_types": lambda: ((t,) for t in TYPES),
    "in_place": lambda: ((p, t) for p in PLACES for t in (None, *TYPES)),
    "changed": lambda: ((i,) for i in ITEMS),
    "revision": lambda: ((i,) for i in ITEMS),
    "published": lambda: ((i,) for i in ITEMS),
    "headline": lambda: ((i,) for i in ITEMS),
    "places_of": lambda: ((i,) for i in ITEMS),
    "places_with_jurisdictions": lambda: ((i,) for i in ITEMS),
    "contact_place": lambda: ((i,) for i in ITEMS),
    "meeting_state": lambda: ((m,) for m in MEETINGS),
    "is_upcoming": lambda: ((m,) for m in MEETINGS),
    "meeting_record": lambda: ((m,) for m in MEETINGS),
    "upcoming": lambda: iter([(ITEMS[::2],), (ITEMS[1::2],)]),
    "cancelled_ahead": lambda: iter([(ITEMS[::2],), (ITEMS[1::2],)]),
    "past": lambda: iter([(ITEMS[::2],), (ITEMS[1::2],)]),
    "is_overdue": lambda: ((i,) for i in ITEMS),
    "days_overdue": lambda: ((i,) for i in ITEMS),
    "overdue_from": lambda: ((i,) for i in ITEMS),
    "attend_closes": lambda: ((m,) for m in MEETINGS),
    "attend_closed": lambda: ((m,) for m in MEETINGS),
    "overdue": lambda: iter([(ITEMS[::2],), (ITEMS[1::2],)]),
    "changes_ahead": lambda: iter([()]),
    "next_change": lambda: iter([()]),
    "steady_until": lambda: iter([()]),
    "project_summary": lambda: iter([()]),
    "counts": lambda: iter([()]),
}
NO_ITEMS = {"as_datetime", "end_of_day"}  # of dates, not of items
SUBSCRIPTIONS: dict[str, Calls] = {
    "newest_first": lambda: iter([(ITEMS[::2],), (ITEMS[1::2],)]),
    "feeds": lambda: iter([()]),
    "feed": lambda: iter([(None, None), *((t, None) for t in TYPES), *((None, p) for p in PLACES)]),
    "calendars": lambda: iter([()]),
    "calendar": lambda: iter([(None,), *((p,) for p in PLACES)]),
}


def _index(keep: set[tuple[str, str]], record: bool = False) -> SiteIndex:
    """The complete site's index, the body of every item not in ``keep`` another (with
    ``record``, a meeting's has a record where it had one, else always)."""

    def other(item: Item) -> Item:
        if item.key in keep:
            return item
        had = not isinstance(item, Meeting) or bool(BUILD.index.meeting_record(item)[0])
        section = "<h2>会议记录</h2><p>别的</p>" if had or not record else "<h2>别的</h2>"
        changed = {"body": "别的正文", "body_html": section, "lines": {}}
        return dataclasses.replace(item, **{name: changed[name] for name in BODY})

    items = tuple(other(i) for i in ITEMS)
    ids: dict[str, frozenset[str]] = {}
    for item in items:
        ids[item.type] = ids.get(item.type, frozenset()) | {item.id}
    loaded = Loaded(BUILD.index.places, items, ids, (), ())
    return SiteIndex(loaded, BUILD.settings, BUILD.index.warnings)


def _given(args: tuple[Any, ...]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for arg in args:
        if isinstance(arg, Item):
            found.add(arg.key)
        elif isinstance(arg, tuple):
            found |= _given(arg)
    return found


def _plain(value: Any) -> Any:
    """An answer with each item as its key (and a function as its name: a page holding one is
    never recorded, it is rendered every build)."""
    if isinstance(value, Item):
        found: Any = ("item", value.key)
    elif isinstance(value, tuple | list) or inspect.isgenerator(value):
        found = tuple(_plain(v) for v in value)
    elif isinstance(value, Mapping):  # a dict, or a page's context made when read (Deferred)
        found = {k: _plain(v) for k, v in value.items()}
    elif inspect.isfunction(value):
        found = ("function", value.__qualname__)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        found = (type(value).__name__, {f.name: _plain(getattr(value, f.name)) for f in fields})
    else:
        found = value
    return found


def _in(index: SiteIndex, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """``args`` with each item as ``index`` holds it."""
    return tuple(
        index.by_id(*a.key)
        if isinstance(a, Item)
        else tuple(index.by_id(*i.key) for i in a)
        if isinstance(a, tuple)
        else a
        for a in args
    )


def _public(cls: type) -> set[str]:
    return {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def test_every_method_of_the_index_and_the_subscriptions_is_asked() -> None:
    assert _public(SiteIndex) == set(CALLS) | NO_ITEMS
    assert _public(Subscriptions) == set(SUBSCRIPTIONS)


@pytest.mark.parametrize("method", sorted(CALLS))
def test_no_answer_depends_on_the_body_of_an_item_not_given(method: str) -> None:
    asked = 0
    for args in CALLS[method]():
        ours, other = BUILD.index, _index(_given(args))
        answer = getattr(ours, method)(*_in(ours, args))
        again = getattr(other, method)(*_in(other, args))
        assert _plain(answer) == _plain(again), (method, args)
        asked += 1
    assert asked


@pytest.mark.parametrize("method", sorted(SUBSCRIPTIONS))
def test_no_subscription_depends_on_the_body_of_an_item_not_given(method: str) -> None:
    ours = BUILD.subscriptions
    for args in SUBSCRIPTIONS[method]():
        index = _index(_given(args))
        other = Subscriptions(index, BUILD.settings)
        answer = getattr(ours, method)(*_in(BUILD.index, args))
        again = getattr(other, method)(*_in(index, args))
        assert _plain(answer) == _plain(again), (method, args)


def test_the_plan_reads_of_a_body_only_whether_a_meeting_has_its_record() -> None:
    """Every page of the plan holds the same with every body another (a meeting's record kept
    where it was): ``changes.changed_items`` puts "has its record" in its state, so a page none
    of whose items changed holds what it held."""
    index = _index(set(), record=True)
    theme = BUILD.theme
    pages = plan(index, BUILD.settings, Subscriptions(index, BUILD.settings), theme)
    assert [_plain(p) for p in pages] == [_plain(p) for p in BUILD.pages]
