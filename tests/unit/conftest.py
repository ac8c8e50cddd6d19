"""Unit-test fixtures: a real content folder in ``tmp_path``, written one file at a time.

The ``site`` fixture starts with :data:`PLACES_YAML` and nothing else.  Its factories write one
*valid* item per type (``site.meeting()``, ``site.outcome()``, ``site.project()``,
``site.case()``); a test changes one field and compares ``site.problems()`` to the exact lines
Gongshi prints.  The working directory is the site folder, so paths read ``content/…``.

A baseline's fields are written one per line in the order below, starting on line 2 (line 1 is
the opening ``---``).  Passing ``field="yaml text"`` replaces a field in place (same line) or, for
a field the baseline does not have, appends it after the last one; ``field=None`` leaves it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from gongshi.errors import ContentError
from gongshi.settings import GongshiSettings, from_pelican
from gongshi.site.index import SiteIndex
from gongshi.site.load import load_site

SETTINGS: GongshiSettings = from_pelican(
    {"SITEURL": "https://example.org", "GONGSHI_NOW": "2025-06-15 10:00"}
)

PLACES_YAML = """\
huaxiang:
  name: 花乡街道
  kind: subdistrict
  district: 丰台区
  communities:
    guobei: {name: 郭北社区, kind: community}
    guoyuan: {name: 郭园社区, kind: community}
beigong:
  name: 北宫镇
  kind: town
  district: 丰台区
  communities:
    zhangguozhuang: {name: 张郭庄村, kind: village}
"""

# Line numbers in the comments are the lines each field is written on.
MEETING: dict[str, str] = {
    "title": "郭北社区停车难议事协商会",  # 2
    "date": "2025-06-10",  # 3
    "places": "guobei",  # 4
    "start": "2025-06-20 14:30",  # 5
    "end": "2025-06-20 16:00",  # 6
    "location": "郭北社区议事厅",  # 7
    "convener": "郭北社区居委会",  # 8
    "topics": "[停车位划线, 充电桩安装]",  # 9
    "status": "scheduled",  # 10
}  # closing --- on line 11, body from line 12
MEETING_ID = "2025-06-20-guobei-parking"

OUTCOME: dict[str, str] = {
    "title": "夜间施工限时作业",  # 2
    "date": "2025-06-12",  # 3
    "places": "guobei",  # 4
    "decision": "22:00 至次日 6:00 不得施工",  # 5
    "route": "onsite",  # 6
    "status": "open",  # 7
}  # closing --- on line 8, body from line 9
OUTCOME_ID = "2025-06-12-guobei-noise"

PROJECT: dict[str, str] = {
    "title": "郭北社区加装电梯",  # 2
    "date": "2025-04-25",  # 3
    "places": "guobei",  # 4
    "status": "in_progress",  # 5
    "progress": "40",  # 6
}  # closing --- on line 7, body from line 8
PROJECT_ID = "guobei-elevator"

CASE: dict[str, str] = {
    "title": "从热线诉求到议事协商",  # 2
    "date": "2025-06-14",  # 3
    "places": "guobei",  # 4
}  # closing --- on line 5, body from line 6
CASE_ID = "guobei-parking-story"

BODY = "正文。"


def front_matter(baseline: Mapping[str, str], changes: Mapping[str, str | None]) -> str:
    """The front-matter lines of ``baseline`` with ``changes`` applied (see module doc)."""
    fields: dict[str, str | None] = {**baseline, **changes}
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


class SiteFolder:
    """A site under construction: ``content/`` with places.yaml, plus whatever a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"

    def write(self, relative: str, data: str | bytes) -> str:
        """Write a file below ``content/``; returns its path as problems show it."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return f"content/{relative}"

    def item(
        self,
        folder: str,
        item_id: str,
        baseline: Mapping[str, str],
        body: str,
        changes: Mapping[str, str | None],
    ) -> str:
        text = f"---\n{front_matter(baseline, changes)}---\n{body}\n"
        return self.write(f"{folder}/{item_id}.md", text)

    def meeting(self, item_id: str = MEETING_ID, *, body: str = BODY, **changes: str | None) -> str:
        return self.item("meetings", item_id, MEETING, body, changes)

    def outcome(self, item_id: str = OUTCOME_ID, *, body: str = BODY, **changes: str | None) -> str:
        return self.item("outcomes", item_id, OUTCOME, body, changes)

    def project(self, item_id: str = PROJECT_ID, *, body: str = BODY, **changes: str | None) -> str:
        return self.item("projects", item_id, PROJECT, body, changes)

    def case(self, item_id: str = CASE_ID, *, body: str = BODY, **changes: str | None) -> str:
        return self.item("cases", item_id, CASE, body, changes)

    def change(self, item_type: str, **changes: str | None) -> str:
        """The baseline item of ``item_type`` ("meeting", "outcome" …) with ``changes``."""
        factory = {
            "meeting": self.meeting,
            "outcome": self.outcome,
            "project": self.project,
            "case": self.case,
        }[item_type]
        return factory(**changes)

    def load(self) -> SiteIndex:
        return load_site(self.content, SETTINGS)

    def problems(self) -> list[str]:
        """Every problem line the site's content produces, in the order they are printed."""
        try:
            self.load()
        except ContentError as error:
            return [str(problem) for problem in error.problems]
        return []


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SiteFolder:
    monkeypatch.chdir(tmp_path)
    folder = SiteFolder(tmp_path)
    folder.write("places.yaml", PLACES_YAML)
    return folder
