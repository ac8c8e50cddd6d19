"""The VS Code form for front matter: a Front Matter CMS project file generated from the models.

    .venv/bin/python -m gongshi.frontmattercms [FILE]   # default frontmatter.json

VS Code's YAML language server does not read the front matter of ``.md`` files
(redhat-developer/vscode-yaml#207), so the JSON Schemas of :mod:`gongshi.editorschemas` cannot
complete fields there. The Front Matter CMS extension (``eliostruyf.vscode-front-matter``) can:
it reads ``frontmatter.json`` at the repository's root and shows, beside each Markdown file of a
registered folder, a form of that folder's content type — every field with its Chinese label and
help, code lists as drop-downs of their Chinese labels, dates as date pickers, lists of mappings
(participants, milestones) as repeatable groups, the required fields marked — and validates the
front matter against it (Front Matter 10.10). This module writes that file: one content type and
one page folder per registered item type, a field group per list of mappings, and the preview
at ``gongshi serve``'s address. tests/test_frontmattercms.py keeps the committed file current.

What a field accepts stays ``gongshi check``'s to decide: the form helps an editor write it.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .content.codes import Codes
from .content.fields import (
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

DEFAULT_FILE = Path("frontmatter.json")
SCHEMA = "https://frontmatter.codes/frontmatter.schema.json"
PREVIEW = "http://127.0.0.1:8000"  # gongshi serve's default address
# date-fns patterns in the date pickers: what they write is what Gongshi reads.
SIMPLE: dict[type[Kind], dict[str, Any]] = {
    Bool: {"type": "boolean"},
    Money: {"type": "number", "numberOptions": {"isDecimal": True, "min": 0}},
    Ref: {"type": "string", "single": True},
    Date: {"type": "datetime", "dateFormat": "yyyy-MM-dd"},
    DateTime: {"type": "datetime", "dateFormat": "yyyy-MM-dd HH:mm"},
    DateOrDateTime: {"type": "datetime", "dateFormat": "yyyy-MM-dd HH:mm"},
}


def _choices(kind: Code, codes: Codes) -> list[dict[str, str]]:
    labels = codes[kind.list_name].labels
    return [{"id": code, "title": f"{label}（{code}）"} for code, label in labels.items()]


def _kind(kind: Kind, codes: Codes, groups: dict[str, Any], group_id: str) -> dict[str, Any]:
    """The form field's type and options for one kind of value."""
    if type(kind) in SIMPLE:
        return copy.deepcopy(SIMPLE[type(kind)])  # a copy the caller may extend
    if isinstance(kind, Text):
        return {"type": "string"} if kind.multiline else {"type": "string", "single": True}
    if isinstance(kind, Int):
        return {"type": "number", "numberOptions": {"min": kind.low, "max": kind.high}}
    if isinstance(kind, Code):
        return {"type": "choice", "choices": _choices(kind, codes)}
    if isinstance(kind, Struct):
        return {"type": "fields", "fields": fields(kind.cls, codes, groups, group_id)}
    if isinstance(kind, ListOf):
        return _list(kind, codes, groups, group_id)
    raise TypeError(f"no Front Matter field for {kind!r}")


def _list(kind: ListOf, codes: Codes, groups: dict[str, Any], group_id: str) -> dict[str, Any]:
    """A list: several codes to tick, a repeatable group of mappings, or lines of text."""
    item = kind.item
    if isinstance(item, Code):
        return {"type": "choice", "choices": _choices(item, codes), "multiple": True}
    if isinstance(item, Struct):
        groups[group_id] = {
            "id": group_id,
            "labelField": next(f.name for f in front_matter_fields(item.cls)),
            "fields": fields(item.cls, codes, groups, group_id),
        }
        return {"type": "block", "fieldGroup": [group_id]}
    return {"type": "list"}


def fields(cls: type, codes: Codes, groups: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    """The form fields of a model (or of a nested mapping), in the order an editor writes them."""
    form = []
    for f in front_matter_fields(cls):
        spec = field_spec(f)
        field: dict[str, Any] = {"title": spec.label, "name": f.name}
        field |= _kind(spec.kind, codes, groups, f"{prefix}-{f.name}")
        if spec.help:
            field["description"] = spec.help
        if spec.required:
            field["required"] = True
        form.append(field)
    return form


def project(codes: Codes | None = None) -> dict[str, Any]:
    """The whole ``frontmatter.json``."""
    codes = codes or Codes.load(wanted=ITEM_TYPES.wanted())
    groups: dict[str, Any] = {}
    content_types, folders = [], []
    for name in ITEM_TYPES.names():
        model = ITEM_TYPES[name]
        content_types.append(
            {
                "name": name,
                "pageBundle": False,
                "previewPath": f"/{model.folder}/",
                "trailingSlash": True,
                "fields": fields(model, codes, groups, name),
            }
        )
        folders.append(
            {
                "title": codes.label("item_type", name),
                "path": f"[[workspace]]/content/{model.folder}",
                "contentTypes": [name],
            }
        )
    return {
        "$schema": SCHEMA,
        "frontMatter.content.pageFolders": folders,
        "frontMatter.content.publicFolder": "content/files",
        "frontMatter.preview.host": PREVIEW,
        "frontMatter.taxonomy.contentTypes": content_types,
        "frontMatter.taxonomy.fieldGroups": [groups[k] for k in sorted(groups)],
    }


def render(codes: Codes | None = None) -> str:
    return json.dumps(project(codes), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print(
            "用法：python -m gongshi.frontmattercms [FILE]（默认 frontmatter.json）",
            file=sys.stderr,
        )
        return 2
    target = Path(args[0]) if args else DEFAULT_FILE
    target.write_text(render(), encoding="utf-8")
    print(f"已写入 {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
