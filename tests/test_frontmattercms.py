"""frontmatter.json, the Front Matter CMS form VS Code shows beside each content file, is current
and follows the models: every registered type has a content type and a page folder, every field
in the order editors write it, the required ones marked, code lists as their codes, dates in the
form Gongshi reads, lists of mappings as repeatable groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gongshi import frontmattercms
from gongshi.content.codes import Codes
from gongshi.content.fields import Code, ListOf, field_spec, front_matter_fields
from gongshi.content.models import ITEM_TYPES

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "frontmatter.json"


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return loaded


def test_the_committed_file_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == frontmattercms.render(), (
        "frontmatter.json is out of date: run .venv/bin/python -m gongshi.frontmattercms"
    )


def test_every_type_has_its_folder_and_its_fields_in_order(project: dict[str, Any]) -> None:
    types = {t["name"]: t for t in project["frontMatter.taxonomy.contentTypes"]}
    folders = {f["contentTypes"][0]: f["path"] for f in project["frontMatter.content.pageFolders"]}
    assert list(types) == list(ITEM_TYPES.names()) == list(folders)
    for name in ITEM_TYPES.names():
        model = ITEM_TYPES[name]
        assert folders[name] == f"[[workspace]]/content/{model.folder}"
        assert (ROOT / "content" / model.folder).is_dir()
        assert types[name]["previewPath"] == f"/{model.folder}/"
        form = types[name]["fields"]
        written = list(front_matter_fields(model))
        assert [f["name"] for f in form] == [f.name for f in written]
        assert [f.get("required", False) for f in form] == [field_spec(f).required for f in written]
        assert [f["title"] for f in form] == [field_spec(f).label for f in written]


def test_code_lists_are_choices_of_their_codes(project: dict[str, Any]) -> None:
    codes = Codes.load(wanted=ITEM_TYPES.wanted())
    types = {t["name"]: t for t in project["frontMatter.taxonomy.contentTypes"]}
    seen = 0
    for name in ITEM_TYPES.names():
        form = {f["name"]: f for f in types[name]["fields"]}
        for f in front_matter_fields(ITEM_TYPES[name]):
            kind = field_spec(f).kind
            code = kind.item if isinstance(kind, ListOf) else kind
            if isinstance(code, Code):
                seen += 1
                field = form[f.name]
                assert field["type"] == "choice"
                assert field.get("multiple", False) == isinstance(kind, ListOf)
                assert [c["id"] for c in field["choices"]] == list(codes[code.list_name].labels)
    assert seen >= 4  # status (meeting, outcome, project), route, categories …
    status = {
        c["id"]: c["title"]
        for c in {f["name"]: f for f in types["meeting"]["fields"]}["status"]["choices"]
    }
    assert status["held"] == "已召开（held）"


def test_dates_are_written_as_gongshi_reads_them(project: dict[str, Any]) -> None:
    meeting = {f["name"]: f for f in project["frontMatter.taxonomy.contentTypes"][0]["fields"]}
    assert meeting["start"] == {
        "title": meeting["start"]["title"], "name": "start", "type": "datetime",
        "dateFormat": "yyyy-MM-dd HH:mm", **({"description": meeting["start"]["description"]}
                                             if "description" in meeting["start"] else {}),
        "required": True,
    }  # fmt: skip


def test_lists_of_mappings_are_repeatable_groups(project: dict[str, Any]) -> None:
    groups = {g["id"]: g for g in project["frontMatter.taxonomy.fieldGroups"]}
    meeting = {f["name"]: f for f in project["frontMatter.taxonomy.contentTypes"][0]["fields"]}
    assert meeting["participants"]["type"] == "block"
    (group_id,) = meeting["participants"]["fieldGroup"]
    assert [f["name"] for f in groups[group_id]["fields"]] == ["role", "name", "count"]
    used = {
        g
        for t in project["frontMatter.taxonomy.contentTypes"]
        for f in t["fields"]
        for g in f.get("fieldGroup", [])
    }
    assert used == set(groups)  # every group is used, and every used group is defined
