"""``display_path``'s shortcut gives what ``os.path.relpath`` gives, for any path and folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongshi.errors import display_path

NAMES = st.sampled_from(["a", "内容", "..x", ".hidden", ".", "..", "b c", "x.md"])
PATHS = st.lists(NAMES, max_size=5).map(lambda parts: "/" + "/".join(parts))


def reference(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@settings(max_examples=300)
@example("/a/..x/b", "/a", False)
@example("/a/b/", "/a", False)
@example("/a", "/a", False)
@example("/a/b", "/", True)
@example("/tmp/c/m.md", "/work/main", False)  # outside the folder: whole
@example("/a/bc", "/a/b", True)
@example("/a/./b", "/a", False)
@given(PATHS, PATHS, st.booleans())
def test_the_shortcut_is_relpath(path: str, here: str, as_path: bool) -> None:
    given_path = Path(path) if as_path else path
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "getcwd", lambda: os.path.normpath(here))
        assert display_path(given_path) == reference(str(given_path))  # type: ignore[arg-type]
