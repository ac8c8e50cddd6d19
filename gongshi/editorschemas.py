"""JSON Schemas of each type's front matter, for editors' tools: generated from the models.

    .venv/bin/python -m gongshi.editorschemas [FOLDER]   # default schemas/frontmatter/

One ``<type>.schema.json`` per registered type (draft-07, which the YAML language server of
VS Code reads): every field with its Chinese label and help as title and description, the
required fields, code lists as enums whose values carry their Chinese labels, dates and times
as patterns of what Gongshi accepts (a date also as ``format: date``). The schemas describe what
an editor writes (a place as its id, a time as ``2025-06-15 14:30``), not the open data, whose
schemas (:mod:`gongshi.outputs.opendata.schemas`) describe what a build publishes.
Cross-field rules (a held meeting needs its record …) stay ``gongshi check``'s.
tests/test_editorschemas.py keeps the committed files current.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .content.codes import Codes
from .content.fields import (
    DATE_RE,
    DATETIME_RE,
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
    field_spec,
    front_matter_fields,
)
from .content.models import ITEM_TYPES

DRAFT = "http://json-schema.org/draft-07/schema#"
DEFAULT_FOLDER = Path("schemas") / "frontmatter"
DATE = {"type": "string", "format": "date", "pattern": DATE_RE.pattern}
DATE_TIME = {"type": "string", "pattern": DATETIME_RE.pattern}
SIMPLE: dict[type[Kind], dict[str, Any]] = {
    Text: {"type": "string", "minLength": 1},
    Bool: {"type": "boolean"},
    Money: {"type": "number", "minimum": 0},
    Date: DATE,
    DateTime: DATE_TIME,
    DateOrDateTime: {"anyOf": [DATE, DATE_TIME]},
}
DATES = (Date, DateTime, DateOrDateTime)


def _kind(kind: Kind, codes: Codes) -> dict[str, Any]:
    if type(kind) in SIMPLE:
        return dict(SIMPLE[type(kind)])
    if isinstance(kind, Int):
        return {"type": "integer", "minimum": kind.low, "maximum": kind.high}
    if isinstance(kind, Code):
        labels = codes[kind.list_name].labels
        return {
            "type": "string",
            "enum": list(labels),
            "enumDescriptions": list(labels.values()),  # shown beside each value by VS Code
            "markdownEnumDescriptions": list(labels.values()),
        }
    if isinstance(kind, Ref):
        what = "places.yaml 中地点" if kind.target == "place" else f"{kind.target} 的文件名"
        return {"type": "string", "pattern": ID_RE.pattern, "description": f"{what}的 id"}
    if isinstance(kind, ListOf):
        items = _kind(kind.item, codes)
        array: dict[str, Any] = {"type": "array", "items": items}
        array |= {"minItems": kind.min_items} if kind.min_items else {}
        return {"anyOf": [items, array]} if kind.one_allowed else array
    if isinstance(kind, Struct):
        return mapping(kind.cls, codes)
    raise TypeError(f"no JSON Schema for {kind!r}")


def _values(kind: Kind, codes: Codes) -> str:
    inner = kind.item if isinstance(kind, ListOf) else kind
    if not isinstance(inner, Code):
        return ""
    code_list = codes[inner.list_name]
    more = "（部署可增加代码）" if code_list.extensible else ""
    return "取值：" + "、".join(f"{c}（{label}）" for c, label in code_list.labels.items()) + more


def mapping(cls: type, codes: Codes) -> dict[str, Any]:
    """The schema of a model's (or a nested mapping's) fields."""
    properties: dict[str, Any] = {}
    required = []
    for f in front_matter_fields(cls):
        spec = field_spec(f)
        form = spec.kind.doc if isinstance(spec.kind, DATES) else ""
        text = "。".join(t for t in (spec.help, form, _values(spec.kind, codes)) if t)
        properties[f.name] = {
            "title": spec.label,
            **_kind(spec.kind, codes),
            **({"description": text} if text else {}),
        }
        if spec.required:
            required.append(f.name)
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema(item_type: str, codes: Codes) -> dict[str, Any]:
    """The front-matter schema of one registered type."""
    label = codes.label("item_type", item_type)
    folder = ITEM_TYPES[item_type].folder
    return {
        "$schema": DRAFT,
        "$id": f"https://gongshi.invalid/schemas/frontmatter/{item_type}.schema.json",
        "title": f"{label}（content/{folder}/*.md）的 front matter",
        "description": "由 gongshi.editorschemas 从内容模型生成，请勿手改。字段说明见 docs/reference.md。",
        **mapping(ITEM_TYPES[item_type], codes),
    }


def render(codes: Codes | None = None) -> dict[str, str]:
    """Every schema file's name and text."""
    codes = codes or Codes.load(wanted=ITEM_TYPES.wanted())
    return {
        f"{t}.schema.json": json.dumps(schema(t, codes), ensure_ascii=False, indent=2) + "\n"
        for t in ITEM_TYPES.names()
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(
            "用法：python -m gongshi.editorschemas [FOLDER]（默认 schemas/frontmatter/）",
            file=sys.stderr,
        )
        return 2
    folder = Path(args[0]) if args else DEFAULT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render().items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"已写入 {folder}/ 下 {len(ITEM_TYPES)} 个文件")
    return 0


if __name__ == "__main__":
    sys.exit(main())
