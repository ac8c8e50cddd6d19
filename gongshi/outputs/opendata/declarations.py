"""What the open data (台账) holds, described once and generated from the model declarations.

A data file is a :class:`Group` of :class:`Entry` objects. Each entry is either a declared
front-matter field — its kind, label and help exactly as the model declares them — or a fact the
build derives (``id``, ``url``, a meeting's ``state``, an outcome's ``overdue``, reverse links …),
declared here with the same kinds. :mod:`gongshi.outputs.opendata.schemas` turns the kinds into JSON Schema and the
``/data/`` page's tables, :mod:`gongshi.outputs.opendata.writer` into JSON values and CSV cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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
from ...content.models.project import Milestone, Project
from ...content.places import Contact, Place
from ...site import urls
from ...site.index import links_to

if TYPE_CHECKING:  # the Build's page plan documents the data files: it imports this module
    from ...site.build import Build
    from ...site.index import SiteIndex
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
    """A reference as data, one shape for every target: ``{id, url, title}`` — the target's id,
    the absolute URL of its page (the ``url`` its own object carries), and its title (a place:
    its name). Every data file writes references this way, forward and reverse alike."""
    if target == "place":
        place = build.index.places[ref]
        return {"id": ref, "url": build.absolute(urls.place(place)), "title": place.name}
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
# Gongshi's fields that an Open Civic Data field carries, and where (the rest are under extras)
OCD_FIELDS = {
    "title": "name",
    "start": "start_date",
    "end": "end_date",
    "location": "location.name",
    "participants": "participants",
    "topics": "agenda",
}
OCD_MAPPED = frozenset(OCD_FIELDS)


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
    extras = Group(tuple(e for e in item_entries(Meeting, codes, OCD_MAPPED) if e not in IDENTITY))
    return (
        *IDENTITY,  # at the top, as in every data file: extras holds only what OCD lacks
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


# -- places ------------------------------------------------------------------------------------
LEVELS = Choice((("jurisdiction", "街道/镇"), ("community", "社区/村")))


def _place_kinds(codes: Codes) -> Choice:
    lists = (codes["jurisdiction_kind"], codes["community_kind"])
    return Choice(tuple(pair for code_list in lists for pair in code_list.labels.items()))


def _parent(place: Place, build: Build) -> str | None:
    return place.parent


def _of_contact(name: str) -> Getter:
    return lambda place, build: getattr(place.contact, name)


def _contact_entries() -> Iterator[Entry]:
    for f in front_matter_fields(Contact):
        yield Entry(f.name, field_spec(f), _of_contact(f.name))


def place_entries(codes: Codes) -> tuple[Entry, ...]:
    """A place of ``places.yaml``: its identity, name and kind, and where it sits in the tree."""
    return (
        Entry("id", FieldSpec(Id(), "编号", True, "places.yaml 中的键，也是地点网址的最后一段")),
        Entry(
            "url",
            FieldSpec(Url(), "网址", True, "本地点在本站的页面"),
            lambda place, build: build.absolute(urls.place(place)),
        ),
        Entry("name", FieldSpec(Text(), "名称", True)),
        Entry(
            "level",
            FieldSpec(LEVELS, "层级", True),
            lambda place, build: "jurisdiction" if place.is_jurisdiction else "community",
        ),
        Entry("kind", FieldSpec(_place_kinds(codes), "类型", True)),
        Entry("district", FieldSpec(Text(), "所属区县", True)),
        Entry(
            "jurisdiction",
            FieldSpec(Ref("place"), "所属街道/镇", False, "社区/村所属的街道或镇；街道/镇为 null"),
            _parent,
        ),
        Entry(
            "communities",
            FieldSpec(
                ListOf(Ref("place")), "下辖社区/村", True, "街道/镇下辖的社区/村；社区/村为空列表"
            ),
            lambda place, build: place.children,
        ),
        *_contact_entries(),
    )


# -- the files ---------------------------------------------------------------------------------
ITEMS_HELP = "全部已发布的条目（草稿除外），顺序与网站上的列表相同"
PLACES_HELP = "places.yaml 登记的全部地点：每个街道/镇之后是它下辖的社区/村"


@dataclass(frozen=True)
class DataFile:
    """A JSON file of the open data: the envelope (:func:`file_group`), then ``items``.

    ``cls`` is the content type the file holds, or None for the places of ``places.yaml``.
    Every item, whatever the file, carries its ``id`` and ``url`` at its top level.
    """

    cls: type[Item] | None

    @property
    def name(self) -> str:
        return self.cls.folder if self.cls else "places"

    @property
    def json(self) -> str:
        return urls.data_json(self.cls.type) if self.cls else urls.PLACES_DATA

    @property
    def schema(self) -> str:
        return urls.data_schema(self.cls.type) if self.cls else urls.PLACES_SCHEMA

    @property
    def doc(self) -> str:
        """Its documentation page: every field, and the columns of its CSV files."""
        return urls.data_doc(self.name)

    def title(self, codes: Codes) -> str:
        return codes.label("item_type", self.cls.type) if self.cls else "地点"

    def items(self, index: SiteIndex) -> Sequence[Any]:
        return index.items(self.cls.type) if self.cls else tuple(index.places)

    def item_group(self, codes: Codes) -> Group:
        if self.cls is None:
            return Group(place_entries(codes))
        return item_group(self.cls, codes)

    @property
    def items_help(self) -> str:
        return ITEMS_HELP if self.cls else PLACES_HELP

    def about(self, codes: Codes) -> str:
        """What the whole file holds, in a sentence (its schema's description)."""
        return f"全部已发布的{self.title(codes)}" if self.cls else PLACES_HELP


def data_files() -> tuple[DataFile, ...]:
    """One data file per registered type, in display order, then the places."""
    return (*(DataFile(cls) for cls in ITEM_TYPES), DataFile(None))


def item_group(cls: type[Item], codes: Codes) -> Group:
    return Group(_meeting_entries(codes) if cls is Meeting else item_entries(cls, codes))


def file_group(data_file: DataFile, codes: Codes) -> Group:
    """The whole file: who publishes it, when it was generated, then every item."""

    def items(file: DataFile, build: Build) -> Sequence[Any]:
        return file.items(build.index)

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
                FieldSpec(Url(), "说明", True, "本文件每个字段的说明页"),
                lambda f, b: b.absolute(f.doc),
            ),
            Entry("count", FieldSpec(Count(), "条数", True), lambda f, b: len(items(f, b))),
            Entry(
                "items",
                FieldSpec(ListOf(data_file.item_group(codes)), "条目", True, data_file.items_help),
                items,
            ),
        )
    )


# -- the spreadsheets --------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A CSV column: an entry (its label heads the column) and the JSON field it repeats."""

    entry: Entry
    field: str  # its path in the source file's items: ``extras.state``, ``milestones[].date``


@dataclass(frozen=True)
class Table:
    """A CSV file for spreadsheets: one row per subject, one column per :class:`Column`.

    ``source`` names the JSON file (:attr:`DataFile.name`) that holds the same data.
    """

    name: str
    path: str
    source: str
    columns: Callable[[Codes], tuple[Column, ...]]
    rows: Callable[[SiteIndex], Sequence[Any]]
    each: str = "每条一行"  # what a row is, for the /data/ page


def csv_columns(cls: type[Item], codes: Codes) -> tuple[Entry, ...]:
    """One column per field of an item (the body aside), headed by the field's label."""
    return tuple(e for e in item_entries(cls, codes) if e is not BODY)


def json_field(cls: type[Item], name: str) -> str:
    """Where an item's entry sits in its JSON file: a meeting's Open Civic Data shape moves
    some fields (``title`` → ``name``) and keeps the rest under ``extras``."""
    if cls is not Meeting or name in {e.name for e in IDENTITY}:
        return name
    return OCD_FIELDS.get(name, f"extras.{name}")


def _item_table(cls: type[Item]) -> Table:
    def columns(codes: Codes) -> tuple[Column, ...]:
        return tuple(Column(e, json_field(cls, e.name)) for e in csv_columns(cls, codes))

    def rows(index: SiteIndex) -> Sequence[Any]:
        return index.items(cls.type)

    return Table(cls.folder, urls.data_csv(cls.type), cls.folder, columns, rows)


def _of_milestone(name: str) -> Getter:
    return lambda pair, build: getattr(pair[1], name)


def _milestone_columns(codes: Codes) -> tuple[Column, ...]:
    """A milestone's own fields, after the project's id, URL, title and places."""
    own = {f.name: field_spec(f) for f in front_matter_fields(Project)}

    def of_project(name: str, label: str, get: Getter) -> Column:
        spec = own[name] if name in own else next(e.spec for e in IDENTITY if e.name == name)
        return Column(Entry(name, FieldSpec(spec.kind, label, True, spec.help), get), name)

    return (
        of_project("id", "项目编号", lambda pair, build: pair[0].id),
        of_project("url", "项目网址", lambda pair, build: build.absolute(urls.item(pair[0]))),
        of_project("title", "项目名称", lambda pair, build: pair[0].title),
        of_project("places", own["places"].label, lambda pair, build: pair[0].places),
        *(
            Column(
                Entry(f.name, field_spec(f), _of_milestone(f.name)),
                f"milestones[].{f.name}",
            )
            for f in front_matter_fields(Milestone)
        ),
    )


def _milestone_rows(index: SiteIndex) -> Sequence[tuple[Project, Milestone]]:
    """Every project's milestones, in the order of the project list, each in date order."""
    projects = [p for p in index.items(Project.type) if isinstance(p, Project)]
    return tuple((p, m) for p in projects for m in p.milestones)


def tables() -> tuple[Table, ...]:
    """Every CSV file: one per type that has a spreadsheet, then every project's milestones."""
    return (
        *(_item_table(cls) for cls in ITEM_TYPES if cls.spreadsheet),
        Table(
            "milestones",
            urls.MILESTONES_CSV,
            Project.folder,
            _milestone_columns,
            _milestone_rows,
            "每个里程碑一行",
        ),
    )
