"""The small CBOR codec of Pagefind's meta and filter files (outputs/search/bundle.py): it writes
exactly what Pagefind writes — definite lengths, the shortest head for each integer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.outputs.search.bundle import _decode, _encode


def _head(major: int, value: int) -> bytes:
    """RFC 8949's preferred serialization of a head, written out plainly."""
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError(value)


def reference(value: Any) -> bytes:
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(reference(item) for item in value)
    return _head(0, value) if value >= 0 else _head(1, -1 - value)


values = st.recursive(
    st.text() | st.integers(min_value=-(1 << 64), max_value=(1 << 64) - 1),
    lambda inner: st.lists(inner, max_size=30),
    max_leaves=200,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_what_is_encoded_is_the_preferred_serialization_and_decodes_back(value: Any) -> None:
    data = _encode(value)
    assert data == reference(value)
    assert _decode(data) == (value, len(data))


class Text(str):
    pass


def test_a_subclass_is_encoded_as_its_base_and_anything_else_refused() -> None:
    assert _encode([Text("页"), 3]) == reference(["页", 3])
    for wrong in (True, 1.5, None, b"x", ("a",), {"a": 1}):
        with pytest.raises(ValueError, match="not expected in a Pagefind file"):
            _encode([1, wrong])
