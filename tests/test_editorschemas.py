"""The front-matter JSON Schemas in schemas/frontmatter/ are current, and every bundled file's
front matter (and the complete test site's) passes its type's schema, read as the YAML language
server reads it (YAML 1.2: a date is text, not a timestamp)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from gongshi import editorschemas
from gongshi.content.models import ITEM_TYPES

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "schemas" / "frontmatter"


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML without YAML 1.1's timestamps, as the YAML language server (1.2) reads values."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.load(text[4:].split("\n---\n", 1)[0], Loader=Yaml12Loader)


def validator(item_type: str) -> jsonschema.Draft7Validator:
    schema = json.loads((FOLDER / f"{item_type}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def test_committed_schemas_are_current() -> None:
    written = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.json")}
    assert written == editorschemas.render(), (
        "schemas/frontmatter/ is out of date: run `.venv/bin/python -m gongshi.editorschemas`"
    )


SITES = [ROOT / "content", ROOT / "tests" / "sites" / "complete" / "content"]
FILES = [
    (cls.type, path)
    for site in SITES
    for cls in ITEM_TYPES
    for path in sorted((site / cls.folder).glob("*.md"))
]


@pytest.mark.parametrize(
    ("item_type", "path"), FILES, ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_every_sample_file_passes_its_schema(item_type: str, path: Path) -> None:
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in validator(item_type).iter_errors(front_matter(path))
    ]
    assert errors == []


def test_the_schema_catches_what_an_editor_gets_wrong() -> None:
    meeting = front_matter(ROOT / "content/meetings/2027-01-12-dahuichang-monthly.md")
    wrong = {**meeting, "format": "meetting", "loaction": "议事厅", "start": "2027/01/12 14:00"}
    del wrong["title"]
    errors = sorted(e.message for e in validator("meeting").iter_errors(wrong))
    assert len(errors) == 4
    assert any("'title' is a required property" in e for e in errors)
    assert any(
        "'meetting' is not one of ['meeting', 'forum', 'onsite', 'online']" in e for e in errors
    )
    assert any("'loaction' was unexpected" in e for e in errors)
    assert any("'2027/01/12 14:00' does not match" in e for e in errors)


def test_code_lists_carry_their_chinese_labels() -> None:
    fmt = json.loads((FOLDER / "meeting.schema.json").read_text(encoding="utf-8"))["properties"][
        "format"
    ]
    assert fmt["enum"] == ["meeting", "forum", "onsite", "online"]
    assert fmt["enumDescriptions"] == ["会议", "座谈", "现场听取意见", "线上"]
    assert fmt["description"].startswith("取值：meeting（会议）、forum（座谈）")


def test_main_writes_one_file_per_type(tmp_path: Path) -> None:
    assert editorschemas.main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{t}.schema.json" for t in ITEM_TYPES.names()
    )
