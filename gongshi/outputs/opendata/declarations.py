"""What the open data (台账) holds, described once and generated from the model declarations.

A data file is a :class:`Group` of :class:`Entry` objects. Each entry is either a declared
front-matter field — its kind, label and help exactly as the model declares them — or a fact the
build derives (``id``, ``url``, a meeting's ``state``, an outcome's ``overdue``, reverse links …),
declared here with the same kinds. :mod:`gongshi.outputs.opendata.schemas` turns the kinds into JSON Schema and the
``/data/`` page's tables, :mod:`gongshi.outputs.opendata.writer` into JSON values and CSV cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ...content.codes import Codes
from ...content.fields import (
    Bool,
    Code,
    DateTime,
    FieldSpec,
    Int,
    Kind,
    ListOf,
    ParseContext,
    Ref,
    Struct,
    Text,
    field_spec,
    front_matter_fields,
)
from ...content.models import BY_TYPE, ITEM_TYPES, Item, Meeting, Participant
from ...site import urls
from ...site.index import links_to

if TYPE_CHECKING:  # the Build's page plan documents the data files: it imports this module
    from ...site.build import Build
OMITTED = frozenset({"draft"})  # always false once published: carrying it would say nothing


# -- kinds only the build writes ---------------------------------------------------------------
class DataKind(Kind):
    """A value the build writes, never an editor: there is no front matter to parse."""

    def parse(self, node: Any, name: str, ctx: ParseContext) -> Any:
        raise TypeError(f"{type(self).__name__} is written by the build, never parsed")


class Id(DataKind):
    """An item's id (its file name)."""


class Url(DataKind):
    """An absolute URL on the site."""


class Html(DataKind):
    """Sanitized HTML (a rendered body)."""


class Count(DataKind):
    """A number of items."""


@dataclass(frozen=True)
class Choice(DataKind):
    """One of the fixed values of a data format (not a code list editors write)."""

    values: tuple[tuple[str, str], ...]  # (value, meaning)


@dataclass(frozen=True)
class Group(DataKind):
    """An object assembled from one subject (an item, a participant, the file itself)."""

    entries: tuple[Entry, ...]


# -- entries -----------------------------------------------------------------------------------
def link(build: Build, target: str, ref: str) -> dict[str, str]:
    """A reference as data: its id, absolute URL and title (a place: its name)."""
    if target == "place":
        place = build.index.places[ref]
        return {"id": ref, "url": build.absolute(urls.place(place)), "name": place.name}
    item = build.index.by_id(target, ref)
    return {"id": ref, "url": build.absolute(urls.item(item)), "title": item.title}


Getter = Callable[[Any, "Build"], Any]


@dataclass(frozen=True)
class Entry:
    name: str
    spec: FieldSpec
    get: Getter | None = None  # None: the subject's attribute of the same name

    def value(self, subject: Any, build: Build) -> Any:
        return getattr(subject, self.name) if self.get is None else self.get(subject, build)

    @property
    def nullable(self) -> bool:
        return not self.spec.required and not isinstance(self.spec.kind, ListOf | Group)


def _attr(name: str) -> Getter:
    return lambda subject, build: getattr(subject, name)


def _itself(subject: Any, build: Build) -> Any:
    return subject


def spec_of(cls: type, name: str) -> FieldSpec:
    return next(field_spec(f) for f in front_matter_fields(cls) if f.name == name)


def _declared(cls: type, skip: frozenset[str] = frozenset()) -> Iterator[Entry]:
    for f in front_matter_fields(cls):
        if f.name not in OMITTED | skip:
            yield Entry(f.name, field_spec(f))


@cache
def struct_group(kind: Struct) -> Group:
    """A nested mapping (participant, milestone, change note …) as the group of its fields."""
    return Group(tuple(_declared(kind.cls)))


IDENTITY = (
    Entry(
        "id",
        FieldSpec(Id(), "编号", True, "即文件名，也是网址的最后一段；同类内容中唯一，不会改变"),
    ),
    Entry(
        "url",
        FieldSpec(Url(), "网址", True, "本条内容在本站的页面"),
        lambda item, build: build.absolute(urls.item(item)),
    ),
)
BODY = Entry(
    "body_html",
    FieldSpec(
        Html(), "正文（HTML）", True, "经过安全过滤的正文；其中站内链接和图片是相对本站的地址"
    ),
)
DERIVED: dict[str, tuple[Entry, ...]] = {
    "meeting": (
        Entry(
            "state",
            FieldSpec(Code("meeting_state"), "当前状态", True, "由 status 和生成时间推得"),
            lambda meeting, build: build.index.meeting_state(meeting),
        ),
    ),
    "outcome": (
        Entry(
            "overdue",
            FieldSpec(
                Bool(), "是否逾期", True, "办理时限早于生成日期，而办理状态仍为待办理或办理中"
            ),
            lambda outcome, build: build.index.is_overdue(outcome),
        ),
    ),
}


def _referrers(referrer_type: str) -> Getter:
    return lambda item, build: tuple(i.id for i in build.index.referrers(item, referrer_type))


def _reverse_links(cls: type[Item], codes: Codes) -> Iterator[Entry]:
    """Links editors never write: the items whose reference fields name this one."""
    for other, names in links_to(cls.type):
        label = codes.label("item_type", other)
        help_ = f"引用本条的{label}（由其 {'、'.join(names)} 字段推得），新的在前"
        yield Entry(
            BY_TYPE[other].folder,
            FieldSpec(ListOf(Ref(other)), f"相关{label}", True, help_),
            _referrers(other),
        )


def item_entries(
    cls: type[Item], codes: Codes, skip: frozenset[str] = frozenset()
) -> tuple[Entry, ...]:
    """An item's own fields: identity, every declared field, the derived facts, the body."""
    return (
        *IDENTITY,
        *_declared(cls, skip),
        *DERIVED.get(cls.type, ()),
        *_reverse_links(cls, codes),
        BODY,
    )


# -- a meeting as an Open Civic Data Event -----------------------------------------------------
OCD_STATUS = {
    "upcoming": "confirmed",
    "postponed": "tentative",
    "held": "passed",
    "unrecorded": "passed",
    "cancelled": "cancelled",
}
OCD_MAPPED = frozenset({"title", "start", "end", "location", "participants", "topics"})


def _ocd_status(meeting: Meeting, build: Build) -> str:
    return OCD_STATUS[build.index.meeting_state(meeting)]


def _ocd_choice(codes: Codes) -> Choice:
    values = dict.fromkeys(OCD_STATUS.values())
    meaning = {
        value: "、".join(
            codes.label("meeting_state", s) for s, v in OCD_STATUS.items() if v == value
        )
        for value in values
    }
    return Choice(tuple(meaning.items()))


def _participant_name(p: Any, build: Build) -> str:
    return str(p.name or build.settings.codes.label("participant_role", p.role))


def _participant_note(p: Any, build: Build) -> str | None:
    return None if p.count is None else f"{p.count} 人"


PARTICIPANT = Group(
    (
        Entry(
            "name",
            FieldSpec(
                Text(), spec_of(Participant, "name").label, True, "未写名称时为身份的中文标签"
            ),
            _participant_name,
        ),
        Entry("type", spec_of(Participant, "role"), _attr("role")),
        Entry(
            "note",
            FieldSpec(Text(), spec_of(Participant, "count").label, False, "如“8 人”"),
            _participant_note,
        ),
    )
)
AGENDA_ITEM = Group(
    (
        Entry("description", FieldSpec(Text(), "议题", True), lambda pair, build: pair[1]),
        Entry(
            "order", FieldSpec(Int(1, 999), "顺序", True, "从 1 起"), lambda pair, build: pair[0]
        ),
    )
)
SOURCE = Group(
    (
        Entry(
            "url",
            FieldSpec(Url(), "网址", True),
            lambda m, build: build.absolute(urls.item(m)),
        ),
        Entry("note", FieldSpec(Text(), "说明", True), lambda m, build: "本站该议事会的页面"),
    )
)


def _meeting_entries(codes: Codes) -> tuple[Entry, ...]:
    """The Open Civic Data ``Event`` fields, then Gongshi's own under ``extras``."""
    own = {f.name: field_spec(f) for f in front_matter_fields(Meeting)}
    status_help = "按当前状态（extras.state）对应"
    location = Group((Entry("name", own["location"], _attr("location")),))
    topics = own["topics"]
    extras = Group(item_entries(Meeting, codes, OCD_MAPPED))
    return (
        Entry("name", own["title"], _attr("title")),
        Entry("start_date", own["start"], _attr("start")),
        Entry("end_date", own["end"], _attr("end")),
        Entry("status", FieldSpec(_ocd_choice(codes), "状态", True, status_help), _ocd_status),
        Entry("location", FieldSpec(location, "地点", True), _itself),
        Entry("participants", FieldSpec(ListOf(PARTICIPANT), own["participants"].label, True)),
        Entry(
            "agenda",
            FieldSpec(ListOf(AGENDA_ITEM), topics.label, True, topics.help),
            lambda m, build: tuple(enumerate(m.topics, 1)),
        ),
        Entry("sources", FieldSpec(ListOf(SOURCE), "来源", True), lambda m, build: (m,)),
        Entry(
            "extras",
            FieldSpec(extras, "Gongshi 字段", True, "上面没有对应的其余字段和推得的事实"),
            _itself,
        ),
    )


# -- the files ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataFile:
    cls: type[Item]

    @property
    def name(self) -> str:
        return self.cls.folder

    @property
    def json(self) -> str:
        return urls.data_json(self.cls.type)

    @property
    def schema(self) -> str:
        return urls.data_schema(self.cls.type)

    @property
    def csv(self) -> str | None:
        return urls.data_csv(self.cls.type) if self.cls.spreadsheet else None


def data_files() -> tuple[DataFile, ...]:
    """One data file per registered type, in display order."""
    return tuple(DataFile(cls) for cls in ITEM_TYPES)


def item_group(cls: type[Item], codes: Codes) -> Group:
    return Group(_meeting_entries(codes) if cls is Meeting else item_entries(cls, codes))


ITEMS_HELP = "全部已发布的条目（草稿除外），顺序与网站上的列表相同"


def file_group(data_file: DataFile, codes: Codes) -> Group:
    """The whole file: who publishes it, when it was generated, then every item."""

    def items(file: DataFile, build: Build) -> tuple[Item, ...]:
        return build.index.items(file.cls.type)

    return Group(
        (
            Entry(
                "site_name", FieldSpec(Text(), "网站名称", True), lambda f, b: b.settings.site_name
            ),
            Entry(
                "site_url",
                FieldSpec(Url(), "网站地址", True),
                lambda f, b: b.absolute(urls.HOME),
            ),
            Entry(
                "publisher",
                FieldSpec(Text(), "发布单位", False),
                lambda f, b: b.settings.publisher or None,
            ),
            Entry(
                "generated",
                FieldSpec(DateTime(), "生成时间", True, "是否逾期、会议状态都以这一时间为准"),
                lambda f, b: b.now,
            ),
            Entry(
                "schema", FieldSpec(Url(), "JSON Schema", True), lambda f, b: b.absolute(f.schema)
            ),
            Entry(
                "documentation",
                FieldSpec(Url(), "说明", True),
                lambda f, b: b.absolute(urls.DATA),
            ),
            Entry("count", FieldSpec(Count(), "条数", True), lambda f, b: len(items(f, b))),
            Entry(
                "items",
                FieldSpec(ListOf(item_group(data_file.cls, codes)), "条目", True, ITEMS_HELP),
                items,
            ),
        )
    )


def csv_columns(cls: type[Item], codes: Codes) -> tuple[Entry, ...]:
    """One column per field of an item (the body aside), headed by the field's label."""
    return tuple(e for e in item_entries(cls, codes) if e is not BODY)
