"""“Did you mean”: the closest known name to an editor's near miss."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The single best candidate for a typo, or None when nothing is close enough."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    if value.lower() in lowered:  # a difference of case only
        return lowered[value.lower()]
    matches = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """The message suffix: ``（是否应为 'x'？）`` or nothing."""
    match = closest(value, candidates)
    return f"（是否应为 '{match}'？）" if match else ""
