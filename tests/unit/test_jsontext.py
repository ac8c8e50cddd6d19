"""The open data's JSON encoder writes what ``json.dumps(…, indent=1)`` writes, character for
character, and an element's text made apart stands in its list as the whole would have it."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongshi.outputs.opendata import jsontext

TEXT = st.text(st.characters(codec="utf-8"), max_size=8) | st.sampled_from(
    ["", "\n", '"', "\\", "\u2028", "\x00", "议事\t协商", "\ud7ff", "𠀀"]
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=30,
)


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


@settings(max_examples=300)
@given(VALUES)
@example({"b": [1, {"c": []}], "a": {}, "": [[]]})
@example([math.inf, -math.inf, 1e300, -0.0, True, 1])
def test_dumps_is_the_json_modules_indented_text(value: Any) -> None:
    assert jsontext.dumps(value) == reference(value)


@settings(max_examples=200)
@given(st.dictionaries(TEXT, VALUES, max_size=3), st.lists(VALUES, max_size=5), TEXT)
def test_elements_made_apart_stand_in_their_list(
    envelope: dict[str, Any], elements: list[Any], key: str
) -> None:
    texts = [jsontext.element_text(element, 1) for element in elements]
    whole = {**envelope, key: elements}
    spliced = {**envelope, key: jsontext.Raw(jsontext.list_text(texts, 1))}
    assert jsontext.dumps(spliced) == reference(whole)


@pytest.mark.parametrize("value", [{1: "a"}, {"a": {None: 1}}, object(), [b"bytes"], {1.5}])
def test_what_it_cannot_write_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        jsontext.dumps(value)
