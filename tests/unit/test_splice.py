"""A file of parts written again from the file before (``outputs/splice.py``)."""

from __future__ import annotations

import functools

from hypothesis import given
from hypothesis import strategies as st

from gongshi.outputs.reuse import key_of
from gongshi.outputs.splice import Layout, join, pieces

texts = st.lists(st.text(max_size=6), max_size=8)
layouts = st.builds(Layout, st.binary(max_size=4), st.binary(max_size=3), st.binary(max_size=4))


def _parts(found: list[str], asked: list[str] | None = None) -> list[tuple[bytes, object]]:
    def text(value: str) -> str:
        if asked is not None:
            asked.append(value)
        return value

    return [(key_of(t), functools.partial(text, t)) for t in found]


@given(layouts, texts, texts)
def test_a_file_made_from_the_file_before_is_the_file_made_whole(
    layout: Layout, before: list[str], after: list[str]
) -> None:
    """Whatever parts the file before had, the file made again from its bytes is the bytes of
    making every part; only the parts it lacks are made, and the spans noted are the same."""
    old, spans = join(layout, _parts(before))
    assert old == layout.prefix + layout.separator.join(t.encode() for t in before) + layout.suffix
    asked: list[str] = []
    again = join(layout, _parts(after, asked), pieces(old, spans))
    assert again == join(layout, _parts(after))
    assert asked == [t for t in after if t not in before]
