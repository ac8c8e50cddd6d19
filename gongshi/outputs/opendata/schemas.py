"""JSON Schemas (draft 2020-12) of the open data, generated from :mod:`gongshi.outputs.opendata.declarations`, and the
same schemas read back into the tables of the ``/data/`` page.

Each kind maps to one schema fragment; labels become titles, help and code labels descriptions.
The page's tables are read from the finished schema (:func:`rows`), so the page documents exactly
what the schema checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ...content.codes import Codes
from ...content.fields import (
    ID_RE,
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
)
from ...settings import GongshiSettings
from ...site import urls
from .declarations import (
    Choice,
    Count,
    DataFile,
    Entry,
    Group,
    Html,
    Id,
    Table,
    Url,
    data_files,
    file_group,
    struct_group,
    tables,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"


# -- kinds as JSON Schema ----------------------------------------------------------------------
STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
SIMPLE: dict[type[Kind], dict[str, Any]] = {
    Text: {"type": "string", "minLength": 1},
    Bool: {"type": "boolean"},
    Money: {"type": "number", "minimum": 0},
    Date: DATE,
    DateTime: DATE_TIME,
    DateOrDateTime: {"anyOf": [DATE, DATE_TIME]},
    Id: {"type": "string", "pattern": ID_RE.pattern},
    Url: {"type": "string", "format": "uri"},
    Html: {**STRING, "contentMediaType": "text/html"},
    Count: {"type": "integer", "minimum": 0},
}
PLACE_LABEL = "地点"


class _Schemas:
    """Turns kinds into schemas, collecting the link objects that references point to."""

    def __init__(self, codes: Codes, site_url: str) -> None:
        self.codes = codes
        self.site_url = site_url
        self.defs: dict[str, dict[str, Any]] = {}

    def kind(self, kind: Kind) -> dict[str, Any]:  # noqa: PLR0911 (one return per kind)
        if type(kind) in SIMPLE:
            return dict(SIMPLE[type(kind)])
        if isinstance(kind, Int):
            return {"type": "integer", "minimum": kind.low, "maximum": kind.high}
        if isinstance(kind, Code):
            return {"type": "string", "enum": self.codes[kind.list_name].codes()}
        if isinstance(kind, Choice):
            return {"type": "string", "enum": [value for value, _ in kind.values]}
        if isinstance(kind, Ref):
            return {"$ref": f"#/$defs/{self._link(kind.target)}"}
        if isinstance(kind, ListOf):
            items = {"type": "array", "items": self.kind(kind.item)}
            return items | ({"minItems": kind.min_items} if kind.min_items else {})
        if isinstance(kind, Struct):
            return self.kind(struct_group(kind))
        if isinstance(kind, Group):
            return {
                "type": "object",
                "properties": {e.name: self.entry(e) for e in kind.entries},
                "required": [e.name for e in kind.entries],
                "additionalProperties": False,
            }
        raise TypeError(f"no JSON Schema for {kind!r}")

    def entry(self, entry: Entry) -> dict[str, Any]:
        schema = self.kind(entry.spec.kind)
        if entry.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        described = {"title": entry.spec.label, **schema}
        text = "。".join(t for t in (entry.spec.help, self.values(entry.spec.kind)) if t)
        return described | ({"description": text} if text else {})

    def values(self, kind: Kind) -> str:
        """The values a code field takes, with their labels, for people reading the schema."""
        if isinstance(kind, ListOf):
            return self.values(kind.item)
        if isinstance(kind, Code):
            code_list = self.codes[kind.list_name]
            pairs: Sequence[tuple[str, str]] = list(code_list.labels.items())
            more = "（部署可增加代码）" if code_list.extensible else ""
        elif isinstance(kind, Choice):
            pairs, more = kind.values, ""
        else:
            return ""
        return "取值：" + "、".join(f"{value}（{meaning}）" for value, meaning in pairs) + more

    def _link(self, target: str) -> str:
        name = f"{target}_link"
        if name not in self.defs:
            # the pages of the target: every place's, or every item's of the type
            pages = urls.PLACES if target == "place" else urls.listing(target)
            label = PLACE_LABEL if target == "place" else self.codes.label("item_type", target)
            words = "名称" if target == "place" else "标题"
            url = "^" + re.escape(self.site_url + pages) + "[a-z0-9-]+/$"
            self.defs[name] = {  # one shape for every target: only the URL pattern differs
                "title": f"{label}链接",
                "description": f"id、网址和 title（{label}的{words}），与{label}自身的 id、url 相同",
                "type": "object",
                "properties": {
                    "id": SIMPLE[Id],
                    "url": {**SIMPLE[Url], "pattern": url},
                    "title": SIMPLE[Text],
                },
                "required": ["id", "url", "title"],
                "additionalProperties": False,
            }
        return name


def file_schema(data_file: DataFile, codes: Codes, site_url: str) -> dict[str, Any]:
    """The JSON Schema of one data file, for this build's code lists and site."""
    schemas = _Schemas(codes, site_url)
    body = schemas.kind(file_group(data_file, codes))
    label = data_file.title(codes)
    return {
        "$schema": DRAFT,
        "$id": site_url + data_file.schema,
        "title": f"{label}（{data_file.name}.json）",
        "description": f"{data_file.about(codes)}。说明见 {site_url}{data_file.doc}",
        **body,
        "$defs": schemas.defs,
    }


# -- the schema read back, for the page --------------------------------------------------------
@dataclass(frozen=True)
class Row:
    path: str
    type: str
    text: str


def _branches(schema: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The alternatives of a schema other than null, and whether null is allowed."""
    alternatives = schema.get("anyOf", [schema])
    others = [a for a in alternatives if a != {"type": "null"}]
    return others, len(others) < len(alternatives)


STRING_TYPES = {"date": "日期", "date-time": "日期时间", "uri": "网址"}  # formats: on the page


def type_text(schema: dict[str, Any], defs: dict[str, Any]) -> str:  # noqa: PLR0911
    """A schema's type, in words."""
    others, nullable = _branches(schema)
    if len(others) > 1 or nullable:
        text = " 或 ".join(type_text(a, defs) for a in others)
        return text + (" 或 null" if nullable else "")
    if "$ref" in schema:
        return str(defs[schema["$ref"].rsplit("/", 1)[1]]["title"])
    kind = schema.get("type")
    if kind == "string":
        if "enum" in schema:
            return "代码"
        if "pattern" in schema:
            return "id"
        if "contentMediaType" in schema:
            return "HTML 文本"
        return STRING_TYPES.get(schema.get("format", ""), "文本")
    if kind == "integer":
        high = f"–{schema['maximum']}" if "maximum" in schema else " 及以上"
        return f"整数 {schema['minimum']}{high}"
    if kind == "array":
        least = f"（至少 {schema['minItems']} 项）" if "minItems" in schema else ""
        return f"列表{least}，每项为{type_text(schema['items'], defs)}"
    return {"number": "数值", "boolean": "true 或 false", "object": "对象"}[str(kind)]


def _described(schema: dict[str, Any]) -> str:
    return "。".join(t for t in (schema.get("title", ""), schema.get("description", "")) if t)


def _nested(schema: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The object inside a field, if any: ('.', object) or ('[].', object of each item)."""
    others, _ = _branches(schema)
    if len(others) != 1:
        return None
    inner = others[0]
    if inner.get("type") == "array":
        inner, suffix = inner["items"], "[]."
    else:
        suffix = "."
    return (suffix, inner) if "properties" in inner else None


def rows(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "") -> Iterator[Row]:
    """Every field of an object schema and of the objects inside it, in declaration order."""
    for name, field in schema["properties"].items():
        yield Row(prefix + name, type_text(field, defs), _described(field))
        nested = _nested(field)
        if nested:
            suffix, inner = nested
            yield from rows(inner, defs, prefix + name + suffix)


@dataclass(frozen=True)
class TableDoc:
    table: Table
    columns: tuple[tuple[str, str], ...]  # (header, the JSON field it holds)


@dataclass(frozen=True)
class FileDoc:
    file: DataFile
    title: str
    envelope: tuple[Row, ...]  # the file's own fields, without descending into items
    fields: tuple[Row, ...]  # the fields of one item
    tables: tuple[TableDoc, ...]  # the CSV files that lay out the same data


def catalogue(settings: GongshiSettings) -> tuple[FileDoc, ...]:
    """What the open-data pages document: every file (``/data/`` lists them, each has its own
    page, :attr:`DataFile.doc`), every field, every CSV column."""
    codes = settings.codes
    docs = []
    for data_file in data_files():
        schema = file_schema(data_file, codes, settings.site_url)
        defs = schema["$defs"]
        item = schema["properties"]["items"]["items"]
        table_docs = tuple(
            TableDoc(table, tuple((c.entry.spec.label, c.field) for c in table.columns(codes)))
            for table in tables()
            if table.source == data_file.name
        )
        docs.append(
            FileDoc(
                data_file,
                data_file.title(codes),
                tuple(
                    Row(n, type_text(f, defs), _described(f))
                    for n, f in schema["properties"].items()
                ),
                tuple(rows(item, defs)),
                table_docs,
            )
        )
    return tuple(docs)
