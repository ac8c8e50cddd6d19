"""The items whose bodies are read while a page renders, noted where an item's body is read.

A page that shows no item's body is the same whatever the bodies are: the index answers nothing
from a body but that of the item it is asked about, and the plan reads of a body only whether a
meeting has its record (``tests/test_body_reads.py``). So an item's body fields (:data:`FIELDS`)
are read through :class:`Field`, which, while a page renders (:func:`noting`, from
``outputs/reuse.recording``), notes the item — whoever reads it: the template, a filter, the
index, a property. A later build in which only bodies changed, none of them one a page read,
takes that page over (:mod:`gongshi.outputs.changes`): the list of 10,000 meetings is not made
again because one meeting's minutes grew a line. Only code going around attribute access
(``item.__dict__``, as pickling does) reads a body unnoted; a template cannot.

Digesting a value reads every field of it, bodies included, to know whether it changed, not to
show it: :data:`UNNOTED` pauses the noting meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FIELDS = ("body", "body_html", "lines")  # what an editor writes below the front matter

Key = tuple[str, str]  # an item's (type, id)
# noted, as an item would be, where "now" itself is read (``site.now``, ``index.now``): a page
# that shows the time of the build is made again when "now" moved, even if only bodies changed
NOW: Key = ("#now", "")

# one entry per page rendering in this process, the innermost last: the keys of the items whose
# bodies it read, or None while that is paused
_noting: list[set[Key] | None] = []


class Field:
    """A body field of an item: kept in the item's ``__dict__`` as a dataclass field is, and
    read through here (a data descriptor comes before the instance's ``__dict__``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, item: Any, owner: type | None = None) -> Any:
        if item is None:
            return self
        values = item.__dict__
        if _noting and (noted := _noting[-1]) is not None:
            noted.add((item.type, values["id"]))
        try:
            return values[self.name]
        except KeyError:
            raise AttributeError(self.name) from None

    def __set__(self, item: Any, value: Any) -> None:  # the dataclass's __init__ only: frozen
        item.__dict__[self.name] = value


def install(cls: type) -> None:
    """Read ``cls``'s body fields through :class:`Field` (after its dataclass is made)."""
    for name in FIELDS:
        setattr(cls, name, Field(name))


def note(key: Key) -> None:
    """Note ``key`` for the page rendering now, as a body read notes its item (:data:`NOW`)."""
    if _noting and (noted := _noting[-1]) is not None:
        noted.add(key)


@contextmanager
def noting() -> Iterator[set[Key]]:
    """The keys of the items whose bodies are read within, as they are read."""
    noted: set[Key] = set()
    _noting.append(noted)
    try:
        yield noted
    finally:
        _noting.pop()


class _Unnoted:
    """Within, no body read is noted (a digest reads every field: it does not show them)."""

    def __enter__(self) -> None:
        _noting.append(None)

    def __exit__(self, *exc: object) -> None:
        _noting.pop()


UNNOTED = _Unnoted()
