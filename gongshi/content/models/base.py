"""What every item has: the common front-matter fields, and the shape of a model's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from ..fields import Bool, DateOrDateTime, ListOf, Ref, Struct, Text, spec
from . import bodies

# A rule's check receives the parsed values of one file and yields (field path, message).
Check = Callable[[Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    """A rule across fields, run only when every field it ``needs`` parsed without a problem."""

    category: str
    needs: tuple[str, ...]
    check: Check
    doc: str


@dataclass(frozen=True, kw_only=True)
class Change:
    """A public change note (延期, 地点变更 …)."""

    date: dt.date | dt.datetime = spec(DateOrDateTime(), "日期", required=True)
    note: str = spec(Text(multiline=True), "说明", required=True)


def present(values: Mapping[str, Any], *names: str) -> bool:
    return all(values.get(name) is not None for name in names)


def moment(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    """A sortable key for a date or a date-time: the day, then the time if there is one."""
    if isinstance(value, dt.datetime):
        return value.date(), value
    return value, None


def _unpickled(cls: type[Item], state: dict[str, Any]) -> Item:
    item = object.__new__(cls)
    state["lines"] = MappingProxyType(state["lines"])
    item.__dict__.update(state)  # as the frozen dataclass's __init__ left it
    return item


@dataclass(frozen=True, kw_only=True)
class Item:
    """The fields common to every type; subclasses add their own and their rules."""

    type: ClassVar[str]
    folder: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]] = ()
    # The order of the type's list (and of its data file): by these attributes, newest first
    # or not. The site index sorts by it; nothing else does.
    list_key: ClassVar[tuple[str, ...]] = ("published_sort_key",)
    newest_first: ClassVar[bool] = True
    # Statuses a feed or calendar title announces: 【已延期】… (the label of the status code).
    announced: ClassVar[frozenset[str]] = frozenset()
    # Whether the open data also has a CSV file of the type, for spreadsheets.
    spreadsheet: ClassVar[bool] = False
    # The dated fields that record a change (``list.field`` for each entry of a list): what
    # moves the item's "last changed" and counts as one revision (SiteIndex.changed, revision).
    change_dates: ClassVar[tuple[str, ...]] = ("updated", "changes.date")

    id: str
    file: str  # the file's path as shown to editors
    # the body (bodies.FIELDS), each read through bodies.Field: a page notes whose it shows
    lines: Mapping[str, int] = field(repr=False)  # field path -> line in the file
    body: str = field(repr=False)  # the Markdown as written
    body_html: str = field(repr=False)  # rendered and sanitized

    title: str = spec(Text(), "标题", required=True)
    date: dt.date | dt.datetime = spec(
        DateOrDateTime(), "发布日期", required=True, help="会议为公示发布之日"
    )
    places: tuple[str, ...] = spec(
        ListOf(Ref("place"), min_items=1, one_allowed=True),
        "所属地点",
        required=True,
        help="places.yaml 中的街道/镇或社区/村 id",
        default=(),
    )
    summary: str | None = spec(
        Text(multiline=True), "摘要", help="一两句话，用于列表、订阅和搜索结果"
    )
    tags: tuple[str, ...] = spec(ListOf(Text()), "标签", help="主题，如 施工扰民、物业", default=())
    updated: dt.date | dt.datetime | None = spec(
        DateOrDateTime(), "更新日期", help="最后一次实质修改"
    )
    changes: tuple[Change, ...] = spec(
        ListOf(Struct(Change)), "变更记录", help="公开的变更说明，显示在页面上", default=()
    )
    draft: bool = spec(Bool(), "草稿", help="true：不在任何地方发布", default=False)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (by the workers that read files, and the reading cache) with ``lines`` as a
        plain dict: the read-only mapping it is cannot be pickled."""
        state = dict(self.__dict__)
        state["lines"] = dict(self.lines)
        return (_unpickled, (type(self), state))

    @property
    def url(self) -> str:
        return f"/{self.folder}/{self.id}/"

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    @property
    def published_sort_key(self) -> tuple[dt.date, dt.datetime | None, str]:
        day, time = moment(self.date)
        return (day, time, self.id)


bodies.install(Item)  # its subclasses inherit the fields, and so how they are read
