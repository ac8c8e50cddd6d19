"""A page's context made when it is first read (:class:`Deferred`).

A place's page shows its public ledger board, its meetings past and upcoming and its other items;
working those out for 110 places was half of the page plan (0.2 s at 10,000 items), made every
build — yet an edit of one item's body renders none of them: each is taken over from the previous
output without its context read (``outputs.parallel.write_page``). So the plan gives such a page
a :class:`Deferred` context: made by the first process that renders or digests the page, and the
same mapping, value for value, as the one the plan would have made at once. It is made as the
plan makes the rest, unrecorded: a body it reads (whether a meeting has its record) is not one the
page showed, even when the page's rendering is what first reads the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..content.models import bodies


class Deferred(Mapping[str, Any]):
    """The mapping ``make()`` gives, made when first read (then kept: ``make`` runs once)."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], dict[str, Any]]) -> None:
        self._make: Callable[[], dict[str, Any]] | None = make
        self._made: dict[str, Any] | None = None

    def made(self) -> dict[str, Any]:
        """The mapping itself (made now if it was not yet)."""
        if self._made is None:
            assert self._make is not None
            with bodies.UNNOTED:  # the plan's reads, not the page's
                self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, key: str) -> Any:
        return self.made()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.made())

    def __len__(self) -> int:
        return len(self.made())

    def __repr__(self) -> str:
        return f"Deferred({self.made()!r})"
