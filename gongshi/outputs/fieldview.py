"""Every declared field of an item as the generic templates show it, read from its field specs.

A type without templates of its own (``item.html``, ``items.html``, the generic parts of feed
entries and search data) is shown from its declarations alone: each field with the Chinese
label of its spec, its value tagged with the form a template formats it by — a date through
``zh_date``, a code through ``label``, a reference as a link, a place with its jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..content.fields import (
    Bool,
    Code,
    Date,
    DateOrDateTime,
    DateTime,
    Int,
    Kind,
    ListOf,
    Money,
    Ref,
    Struct,
    Text,
    field_spec,
    front_matter_fields,
)
from ..content.models import Item

# Fields every item page shows in parts of its own: the heading, the lead, the published line
# (date, updated, tags), the change notes; a published item is never a draft.
SHOWN_ELSEWHERE = frozenset({"title", "summary", "date", "updated", "tags", "changes", "draft"})
STATUS = "status"  # the code field that says where an item stands (a badge under the title)


@dataclass(frozen=True)
class Shown:
    """One field as a template formats it.

    ``form`` is one of: ``text``, ``paragraph`` (multi-line text), ``date`` (a date or a
    date-time), ``code`` (``codes`` names its list), ``item`` (``target`` names the type),
    ``place``, ``yesno``, ``number``, ``money`` and ``group`` (a nested mapping: each value is
    the tuple of its own fields). ``values`` holds the one value, or a list's elements.
    """

    name: str
    label: str
    form: str
    values: tuple[Any, ...]
    many: bool
    codes: str = ""
    target: str = ""


def _form(kind: Kind) -> tuple[str, str, str]:  # noqa: PLR0911 (one return per kind)
    """(form, code list, target type) of a field's kind."""
    if isinstance(kind, Text):
        return ("paragraph" if kind.multiline else "text"), "", ""
    if isinstance(kind, Date | DateTime | DateOrDateTime):
        return "date", "", ""
    if isinstance(kind, Code):
        return "code", kind.list_name, ""
    if isinstance(kind, Ref):
        return ("place", "", "") if kind.target == "place" else ("item", "", kind.target)
    if isinstance(kind, Bool):
        return "yesno", "", ""
    if isinstance(kind, Int):
        return "number", "", ""
    if isinstance(kind, Money):
        return "money", "", ""
    if isinstance(kind, Struct):
        return "group", "", ""
    return "text", "", ""


def _fields(subject: Any, skip: frozenset[str]) -> Iterator[Shown]:
    for f in front_matter_fields(type(subject)):
        value = getattr(subject, f.name)
        if f.name in skip or value is None or value == ():
            continue
        spec = field_spec(f)
        many = isinstance(spec.kind, ListOf)
        kind = spec.kind.item if isinstance(spec.kind, ListOf) else spec.kind
        values = tuple(value) if many else (value,)
        form, codes, target = _form(kind)
        if form == "group":
            values = tuple(tuple(_fields(v, frozenset())) for v in values)
        yield Shown(f.name, spec.label, form, values, many, codes, target)


def fields_of(item: Item) -> tuple[Shown, ...]:
    """The fields an item page lists, in declaration order, empty ones left out."""
    return tuple(_fields(item, SHOWN_ELSEWHERE))


def status_of(item: Item) -> Shown | None:
    """The item's ``status`` code, shown as a badge (list pages, the page's heading), or None."""
    found = (f for f in fields_of(item) if f.name == STATUS and f.form == "code" and not f.many)
    return next(found, None)
