"""Field kinds: how one YAML node becomes one typed value, or a problem for the editor.

A content model is a frozen dataclass whose front-matter fields carry a :class:`FieldSpec` in
their metadata (see :func:`spec`).  :func:`parse_struct` turns a YAML mapping into such a
dataclass, reporting every problem; the same declarations generate the authoring reference.
"""

from __future__ import annotations

import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, ClassVar

import yaml

from ..errors import Problem
from ..suggest import closest, did_you_mean
from . import datehints
from .characters import invisible, quoted, text_problem, visible
from .codes import Codes
from .frontmatter import Entry, describe, mapping_entries

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
NULL_TAG = "tag:yaml.org,2002:null"
MIN_YEAR, MAX_YEAR = 1900, 2199  # outside this a year is a typo, not a date


class Invalid:
    """The value of a field that had a problem: never reaches a finished item."""

    _instance: ClassVar[Invalid | None] = None

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass
class ParseContext:
    """What parsing one file needs, and where it puts problems and the lines of values."""

    display: str
    codes: Codes
    tz: tzinfo
    offset: int  # a node's absolute line is offset + its 0-based mark line + 1
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    # (field path, target type, id, line) of every reference that parsed, even when another
    # element of the same list did not, so that one run reports every broken reference
    refs: list[tuple[str, str, str, int]] = field(default_factory=list)
    # the year a date written without one is read in: the item's own date's, else this year's
    year: int | None = None
    # place name -> id, so that a place written by its Chinese name is told its id
    place_names: dict[str, str] = field(default_factory=dict)

    def line(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line + 1

    def date_hint(self, raw: str, time: str) -> str:
        """What to write instead of a date spelled another way (``2026年12月15日``)."""
        year = self.year if self.year is not None else datetime.now(self.tz).year
        return datehints.hint(raw, year, time=time)

    def error(self, line: int, field_name: str, message: str, category: str) -> Invalid:
        self.problems.append(Problem(self.display, line, field_name, message, category))
        return INVALID


class Kind(ABC):
    """A field's type: parses a node, documents itself for editors."""

    doc = ""

    @abstractmethod
    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        """The typed value of ``node``, or :data:`INVALID` after reporting the problem."""

    def scalar(self, node: yaml.Node, name: str, ctx: ParseContext) -> str | Invalid:
        line = ctx.line(node)
        if not isinstance(node, yaml.ScalarNode):
            return ctx.error(line, name, f"应为{self.doc}，实际为{describe(node)}", "field.type")
        return str(node.value).strip()


@dataclass(frozen=True)
class Text(Kind):
    """Text an editor writes: one line unless the model says the field may span lines.

    One-line text ends up where a line break cannot go or changes the meaning — page and feed
    titles, calendar fields, table cells, the ``<title>`` of a page; prose a resident reads as a
    paragraph (a summary, a decision, its reason) may span lines.
    """

    doc = "文本"
    multiline: bool = False

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if value == "":
            return ctx.error(line, name, "不能为空", "field.empty")
        if problem := text_problem(value, multiline=self.multiline):
            return ctx.error(line, name, *problem)
        return value


class Bool(Kind):
    doc = "true 或 false"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if value.lower() in {"true", "yes"}:
            return True
        if value.lower() in {"false", "no"}:
            return False
        return ctx.error(line, name, f"应为 true 或 false，实际为 {quoted(value)}", "field.type")


@dataclass(frozen=True)
class Int(Kind):
    low: int
    high: int

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"{self.low} 到 {self.high} 的整数"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if not re.fullmatch(r"-?\d+", value) or not self.low <= int(value) <= self.high:
            return ctx.error(line, name, f"应为{self.doc}，实际为 {quoted(value)}", "field.type")
        return int(value)


class Money(Kind):
    doc = "金额（元），不带单位的数字，如 14270000 或 3500.50"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if not re.fullmatch(r"\d+(\.\d{1,2})?", value.replace("_", "")):
            message = f"应为{self.doc}，实际为 {quoted(value)}"
            return ctx.error(line, name, message, "field.type")
        number = float(value.replace("_", ""))
        return int(number) if number.is_integer() else number


def _calendar_date(
    parts: tuple[str, ...], raw: str, name: str, line: int, ctx: ParseContext
) -> date | Invalid:
    year, month, day = (int(part) for part in parts[:3])
    if not MIN_YEAR <= year <= MAX_YEAR:
        message = f"{quoted(raw)} 不是有效日期：年份应在 {MIN_YEAR}–{MAX_YEAR} 之间"
        return ctx.error(line, name, message, "field.date")
    if not 1 <= month <= 12:
        return ctx.error(
            line, name, f"{quoted(raw)} 不是有效日期：月份应在 1–12 之间", "field.date"
        )
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    days = (first_of_next - timedelta(days=1)).day
    if not 1 <= day <= days:
        message = f"{quoted(raw)} 不是有效日期：{year}年{month}月只有 {days} 天"
        return ctx.error(line, name, message, "field.date")
    return date(year, month, day)


def _zone(raw_zone: str | None, tz: tzinfo) -> tzinfo | None:
    """The zone an editor wrote (``+08:00``, ``Z``), the default zone, or None if impossible."""
    if not raw_zone:
        return tz
    if raw_zone == "Z":
        return UTC
    sign = -1 if raw_zone[0] == "-" else 1
    digits = raw_zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _datetime(
    match: re.Match[str], raw: str, name: str, line: int, ctx: ParseContext
) -> datetime | Invalid:
    y, mo, d, h, mi, s, zone = match.groups()
    day = _calendar_date((y, mo, d), raw, name, line, ctx)
    if isinstance(day, Invalid):
        return day
    if int(h) > 23 or int(mi) > 59 or int(s or 0) > 59:
        return ctx.error(
            line, name, f"{quoted(raw)} 不是有效时间：应在 00:00–23:59 之间", "field.date"
        )
    offset = _zone(zone, ctx.tz)
    if offset is None:
        message = f"{quoted(raw)} 的时区 '{zone}' 无效：应在 -14:00 到 +14:00 之间（通常不写，默认北京时间）"
        return ctx.error(line, name, message, "field.date")
    return datetime(day.year, day.month, day.day, int(h), int(mi), int(s or 0), tzinfo=offset)


class Date(Kind):
    doc = "日期，格式 YYYY-MM-DD（如 2024-03-12）"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        match = DATE_RE.fullmatch(value)
        if not match:
            hint = ctx.date_hint(value, "no")
            message = f"应为{self.doc}，实际为 {quoted(value)}{hint}"
            return ctx.error(line, name, message, "field.date")
        return _calendar_date(match.groups(), value, name, line, ctx)


class DateTime(Kind):
    doc = "日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间）"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        match = DATETIME_RE.fullmatch(value)
        if not match:
            hint = "（缺少时刻）" if DATE_RE.fullmatch(value) else ctx.date_hint(value, "yes")
            message = f"应为{self.doc}，实际为 {quoted(value)}{hint}"
            return ctx.error(line, name, message, "field.date")
        return _datetime(match, value, name, line, ctx)


class DateOrDateTime(Kind):
    doc = "日期（YYYY-MM-DD）或日期时间（YYYY-MM-DD HH:MM）"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if match := DATETIME_RE.fullmatch(value):
            return _datetime(match, value, name, line, ctx)
        if match := DATE_RE.fullmatch(value):
            return _calendar_date(match.groups(), value, name, line, ctx)
        hint = ctx.date_hint(value, "either")
        message = f"应为{self.doc}，实际为 {quoted(value)}{hint}"
        return ctx.error(line, name, message, "field.date")


@dataclass(frozen=True)
class Code(Kind):
    """A value from a code list of ``codes.yaml``."""

    list_name: str

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"代码表 {self.list_name} 中的代码"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        codes = ctx.codes[self.list_name].codes()
        if value not in codes:
            hint = "" if invisible(value) else did_you_mean(value, codes)
            message = f"应为 {'、'.join(codes)} 之一，实际为 {quoted(value)}{hint}"
            return ctx.error(line, name, message, "field.enum")
        return value


@dataclass(frozen=True)
class Ref(Kind):
    """The id of another item (resolved once every file is read) or of a place."""

    target: str  # an item type, or "place"

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f" {self.target} 的 id（小写字母、数字和 -）"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        value = self.scalar(node, name, ctx)
        if isinstance(value, Invalid):
            return value
        if not ID_RE.fullmatch(value):
            if self.target == "place" and (found := place_by_name(value, ctx.place_names)):
                place_id, place_name = found
                message = (
                    f"地点要写 places.yaml 中的 id，不写中文名称：{quoted(value)} 是"
                    f"“{place_name}”，您是不是要写 `{place_id}`？"
                )
                return ctx.error(line, name, message, "place.name")
            message = f"应为{self.doc}，实际为 {quoted(value)}"
            return ctx.error(line, name, message, "field.type")
        ctx.lines[name] = line
        ctx.refs.append((name, self.target, value, line))
        return value


PLACE_SUFFIX = re.compile(r"(?:社区居委会|村委会|居委会|社区|街道办事处|街道|村|镇|乡)$")


def place_by_name(value: str, names: dict[str, str]) -> tuple[str, str] | None:
    """(id, name) of the place ``value`` names: its full name, the name without 社区/村/街道/镇,
    or the closest name; None when no name is close."""
    bare = PLACE_SUFFIX.sub("", value.strip())
    for place_name, place_id in names.items():
        if value.strip() == place_name or (bare and bare == PLACE_SUFFIX.sub("", place_name)):
            return place_id, place_name
    match = closest(value.strip(), names)
    return (names[match], match) if match else None


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min_items: int = 0
    one_allowed: bool = False  # a single value may stand for a list of one

    @property
    def doc(self) -> str:  # type: ignore[override]
        one = "（只有一项时可直接写）" if self.one_allowed else ""
        return f"列表，每项为{self.item.doc}{one}"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        if isinstance(node, yaml.ScalarNode) and self.one_allowed:
            value = self.item.parse(node, name, ctx)
            return value if isinstance(value, Invalid) else (value,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(line, name, f"应为{self.doc}，实际为{describe(node)}", "field.type")
        if len(node.value) < self.min_items:
            message = f"至少需要 {self.min_items} 项"
            return ctx.error(line, name, message, "field.required")
        values = []
        for i, child in enumerate(node.value, start=1):
            values.append(self.item.parse(child, f"{name}[{i}]", ctx))
        return INVALID if any(isinstance(v, Invalid) for v in values) else tuple(values)


@dataclass(frozen=True)
class Struct(Kind):
    """A nested mapping parsed into a model dataclass (participants, milestones …)."""

    cls: type

    @property
    def doc(self) -> str:  # type: ignore[override]
        names = "、".join(f.name for f in front_matter_fields(self.cls))
        return f"含 {names} 的映射"

    def parse(self, node: yaml.Node, name: str, ctx: ParseContext) -> Any:
        line = ctx.line(node)
        entries, problems = mapping_entries(node, ctx.display, ctx.offset, name)
        ctx.problems.extend(problems)
        if problems:
            return INVALID
        values, bad = parse_entries(self.cls, entries, ctx, prefix=f"{name}.", line=line)
        if bad:
            return INVALID
        return self.cls(**values)


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    label: str
    required: bool = False
    help: str = ""


def spec(
    kind: Kind, label: str, *, required: bool = False, help: str = "", default: Any = None
) -> Any:
    """Declare a front-matter field of a model dataclass."""
    return field(default=default, metadata={"gongshi": FieldSpec(kind, label, required, help)})


def front_matter_fields(cls: type) -> Iterator[dataclasses.Field[Any]]:
    """The dataclass fields an editor writes, in declaration order."""
    for f in dataclasses.fields(cls):
        if "gongshi" in f.metadata:
            yield f


def field_spec(f: dataclasses.Field[Any]) -> FieldSpec:
    spec_: FieldSpec = f.metadata["gongshi"]
    return spec_


def kinds(cls: type, prefix: str = "") -> Iterator[tuple[str, Kind]]:
    """(field path, kind) of every field of ``cls`` and of the mappings nested in it, a list's
    kind given as the kind of its elements: what a model asks of code lists and other types."""
    for f in front_matter_fields(cls):
        kind = field_spec(f).kind
        inner = kind.item if isinstance(kind, ListOf) else kind
        yield prefix + f.name, inner
        if isinstance(inner, Struct):
            yield from kinds(inner.cls, f"{prefix}{f.name}.")


def parse_entries(
    cls: type, entries: list[Entry], ctx: ParseContext, *, prefix: str = "", line: int = 1
) -> tuple[dict[str, Any], set[str]]:
    """Parse mapping entries into keyword arguments for ``cls``.

    Returns the values that parsed, and the names of fields that were invalid or missing.
    Every problem is reported: unknown fields (with “did you mean”), missing required fields and
    each value's own problems.
    """
    declared = {f.name: f for f in front_matter_fields(cls)}
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for entry in entries:
        name = prefix + entry.key
        f = declared.get(entry.key)
        if f is None:
            hint = "" if invisible(entry.key) else did_you_mean(entry.key, declared)
            message = f"未知字段 {quoted(entry.key)}{hint}"
            ctx.error(entry.line, visible(name), message, "field.unknown")
            bad.add(entry.key)
            continue
        ctx.lines[name] = entry.line
        if getattr(entry.node, "tag", "") == NULL_TAG:
            continue  # `host:` with nothing after it: the same as leaving the field out
        value = field_spec(f).kind.parse(entry.node, name, ctx)
        if isinstance(value, Invalid):
            bad.add(entry.key)
        else:
            values[entry.key] = value
    for key, f in declared.items():
        if field_spec(f).required and key not in values and key not in bad:
            if prefix + key in ctx.lines:  # written, but left empty
                message = f"必填字段 '{key}'（{field_spec(f).label}）没有填写"
                ctx.error(ctx.lines[prefix + key], prefix + key, message, "field.required")
            else:
                message = f"缺少必填字段 '{key}'（{field_spec(f).label}）"
                ctx.error(line, prefix + key, message, "field.required")
            bad.add(key)
    return values, bad
