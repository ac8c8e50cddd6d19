"""What a page is made from (``outputs/reuse.py``): digests of values, and the reads of the index
recorded while a page renders, asked again of a later build's index."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongshi.content.models import Meeting
from gongshi.outputs.reuse import SITE_READS, Digests, Opaque, Recorder, key_of, unchanged
from gongshi.publish.cache import pages_env
from gongshi.site.deferred import Deferred
from gongshi.site.index import SiteIndex
from gongshi.site.load import load_site
from gongshi.site.subscriptions import Feed

from .conftest import MEETING_ID, OUTCOME_ID, SETTINGS, SiteFolder

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8),
    st.floats(allow_nan=False), st.dates(),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=8)))),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=4), inner, max_size=4),
        st.frozensets(st.text(max_size=4), max_size=4),
    ),
    max_leaves=12,
)


def _typed(value: Any) -> Any:
    """``value`` with every type spelled out (``1 == True == 1.0`` in Python; not on a page)."""
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_typed(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _typed(v)) for k, v in value.items()))
    return (type(value), value)


@given(values, values)
def test_two_values_have_one_digest_exactly_when_they_are_the_same(a: Any, b: Any) -> None:
    digests = Digests()
    assert (digests.of(a) == digests.of(b)) == (_typed(a) == _typed(b) or a is b)


@given(st.dictionaries(st.text(max_size=4), values, max_size=4))
def test_a_context_made_when_read_is_digested_as_the_dict_it_stands_for(
    context: dict[str, Any],
) -> None:
    """A page's :class:`Deferred` context (``site/deferred.py``) is the dict ``make`` gives,
    made once, whoever reads it first: the digest, a lookup, ``**``."""
    made: list[dict[str, Any]] = []
    deferred = Deferred(lambda: made.append(dict(context)) or made[-1])
    assert made == []
    assert Digests().of(deferred) == Digests().of(context)
    assert dict(deferred) == context and len(deferred) == len(context)
    assert {**deferred} == context and len(made) == 1


def _index(site: SiteFolder) -> SiteIndex:
    return load_site(site.content, SETTINGS)


def test_an_item_is_digested_with_every_field_its_body_too(site: SiteFolder) -> None:
    site.meeting()
    (before,) = _index(site).items("meeting")
    site.meeting(body="另一段正文。")
    (after,) = _index(site).items("meeting")
    assert Digests().of(before) != Digests().of(after)
    site.meeting()
    (again,) = _index(site).items("meeting")
    assert Digests().of(again) == Digests().of(before) and again is not before


def test_an_item_without_its_body_is_digested_with_every_other_field(site: SiteFolder) -> None:
    body = ("body", "body_html", "lines")
    site.meeting()
    (before,) = _index(site).items("meeting")
    site.meeting(body="另一段正文。")
    (new_body,) = _index(site).items("meeting")
    site.meeting(title="另一个标题")
    (new_title,) = _index(site).items("meeting")
    digests = Digests()
    assert digests.without(new_body, body) == digests.without(before, body)
    assert digests.without(new_title, body) != digests.without(before, body)
    assert digests.without(before, body) != digests.of(before)


def test_a_key_of_parts_tells_where_one_part_ends() -> None:
    assert key_of("ab", "c") != key_of("a", "bc")
    assert key_of(date(2025, 6, 1), b"x") == key_of(date(2025, 6, 1), b"x")


def test_a_feed_is_digested_without_its_items_and_an_unknown_object_is_opaque(
    site: SiteFolder,
) -> None:
    site.meeting()
    index = _index(site)
    digests = Digests()
    assert digests.of(Feed("全部", "/", index.items("meeting"))) == digests.of(
        Feed("全部", "/", ())
    )
    with pytest.raises(Opaque):
        digests.of(index)  # the index is read through a Recorder, never digested whole
    with pytest.raises(Opaque):
        digests.of((1, object()))


def test_recorded_reads_hold_while_the_index_gives_the_same_and_fail_when_it_does_not(
    site: SiteFolder,
) -> None:
    site.meeting()
    site.outcome()
    index = _index(site)
    recorder = Recorder("index", index, Digests())
    meeting = recorder.by_id("meeting", MEETING_ID)
    assert isinstance(meeting, Meeting)
    assert [o.id for o in recorder.in_place("guobei", item_type="outcome")] == [OUTCOME_ID]
    assert recorder.is_upcoming(meeting)
    assert recorder.now == SETTINGS.now
    assert not recorder.opaque
    assert [(r[0], r[1]) for r in recorder.reads] == [
        ("index", "by_id"), ("index", "in_place"), ("index", "is_upcoming"), ("index", "now"),
    ]  # fmt: skip
    reads = tuple(recorder.reads)

    def holds() -> bool:
        return unchanged(reads, {"index": _index(site)}, Digests())

    assert holds()  # a new index of the same content
    site.outcome(title="改过标题的结果")
    assert not holds()  # the place's outcomes read differently
    site.outcome()
    assert holds()
    site.meeting(body="另一段正文。")
    assert not holds()  # the meeting read (and given to is_upcoming) changed
    (site.content / "meetings" / f"{MEETING_ID}.md").unlink()
    assert not holds()  # gone


def test_an_argument_that_cannot_be_given_again_makes_the_page_opaque(site: SiteFolder) -> None:
    site.meeting()
    recorder = Recorder("index", _index(site), Digests())
    recorder.as_datetime(date(2025, 6, 1))
    assert not recorder.opaque
    recorder.upcoming(iter(()))  # an iterator: what it held is gone once read
    assert recorder.opaque
    assert recorder.end_of_day(date(2025, 6, 1)) > datetime(2025, 6, 1, tzinfo=UTC)


def test_of_the_settings_only_now_is_recorded_and_a_later_now_fails_the_read() -> None:
    """Every other setting is in every page's env (publish/cache.pages_env); "now" is not, so a
    page that reads it is rendered again when it moves, and one that does not is taken over."""
    recorder = Recorder("site", SETTINGS, Digests(), SITE_READS)
    assert recorder.site_name == SETTINGS.site_name
    assert recorder.timezone == SETTINGS.timezone
    assert recorder.reads == []
    assert recorder.now == SETTINGS.now
    assert [(r[0], r[1]) for r in recorder.reads] == [("site", "now")]
    reads = tuple(recorder.reads)
    assert unchanged(reads, {"index": None, "site": SETTINGS}, Digests())
    later = dataclasses.replace(SETTINGS, now=SETTINGS.now + timedelta(minutes=1))
    assert not unchanged(reads, {"index": None, "site": later}, Digests())
    renamed = dataclasses.replace(SETTINGS, site_name="另一个站名")
    assert unchanged(reads, {"index": None, "site": renamed}, Digests())  # in the env instead


def test_the_pages_env_leaves_now_out_and_holds_every_other_setting(tmp_path: Path) -> None:
    theme = str(tmp_path)
    settings = {
        "PATH": theme,
        "THEME": theme,
        "OUTPUT_PATH": "a",
        "GONGSHI_NOW": "2025-06-15 10:00",
    }
    env = pages_env(settings, "code")
    assert (
        pages_env({**settings, "OUTPUT_PATH": "b", "GONGSHI_NOW": "2025-06-16 10:00"}, "code")
        == env
    )
    assert pages_env({**settings, "SITENAME": "另一个站名"}, "code") != env
    assert pages_env(settings, "other code") != env
