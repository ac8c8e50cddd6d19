"""The authoring reference is generated from the models and must be kept up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongshi import docgen
from gongshi.content.codes import Codes
from gongshi.content.fields import front_matter_fields
from gongshi.content.models import ITEM_TYPES, Attend, Change, Item, Milestone, Participant
from gongshi.content.places import CommunitySpec, JurisdictionSpec

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
DOCUMENTED = (Item, *ITEM_TYPES, Participant, Attend, Change, Milestone, JurisdictionSpec,
              CommunitySpec)  # fmt: skip


def test_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == docgen.render(), (
        "docs/reference.md is out of date: run `.venv/bin/python -m gongshi.docgen`"
    )


def test_render_is_deterministic() -> None:
    assert docgen.render() == docgen.render()


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_every_field_is_documented(cls: type) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    missing = [f.name for f in front_matter_fields(cls) if f.name not in rows]
    assert not missing


def test_every_rule_and_code_is_documented() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for cls in ITEM_TYPES:
        for rule in cls.rules:
            assert f"- {rule.doc} `[{rule.category}]`" in text
    codes = Codes.load()
    for name in codes.names():
        assert f"### 代码表 {name}\n" in text
        for code, label in codes[name].labels.items():
            assert f"| `{code}` | {label} |" in text
            assert codes[name].help(code) in text


def test_main_writes_the_given_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ref.md"
    assert docgen.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == docgen.render()
    assert str(out) in capsys.readouterr().out
