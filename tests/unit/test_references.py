"""References, resolved once every file is read: places, items, and drafts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from jinja2 import Environment

from gongshi.content.fields import ListOf, Ref, spec
from gongshi.content.models import BY_FOLDER, ITEM_TYPES, Meeting, Project
from gongshi.outputs.opendata.declarations import item_entries
from gongshi.site.build import make_build

from .conftest import MEETING_ID, PLACES_YAML, PROJECT_ID, SETTINGS, SiteFolder

# -- places ---------------------------------------------------------------------------------------


def test_unknown_place_suggests_the_near_miss(site: SiteFolder) -> None:
    path = site.meeting(places="guobie")

    assert site.problems() == [
        f"{path}:4: error: places: places.yaml 中没有地点 'guobie'（是否应为 'guobei'？） "
        "[place.unknown]"
    ]


def test_unknown_place_without_a_near_miss(site: SiteFolder) -> None:
    path = site.case(places="xinfadi")

    assert site.problems() == [
        f"{path}:4: error: places: places.yaml 中没有地点 'xinfadi' [place.unknown]"
    ]


def test_unknown_place_in_a_list_is_reported_on_its_own_line(site: SiteFolder) -> None:
    path = site.case(places="\n  - guobei\n  - beigong\n  - huaxing")

    assert site.problems() == [
        f"{path}:7: error: places: places.yaml 中没有地点 'huaxing'（是否应为 'huaxiang'？） "
        "[place.unknown]"
    ]


def test_jurisdictions_and_communities_are_both_places(site: SiteFolder) -> None:
    site.case(places="[huaxiang, guoyuan, zhangguozhuang]")

    (case,) = site.load().items("case")

    assert case.places == ("huaxiang", "guoyuan", "zhangguozhuang")


# -- items ----------------------------------------------------------------------------------------

# (type, field, value as written, the problem line after "path:")
MISSING = [
    ("outcome", "meetings", "[2025-06-20-guobei-prking]",
     "8: error: meetings: 找不到 meetings 中 id 为 '2025-06-20-guobei-prking' 的内容"
     f"（是否应为 '{MEETING_ID}'？） [ref.missing]"),
    ("outcome", "meetings", "xinfadi",
     "8: error: meetings: 找不到 meetings 中 id 为 'xinfadi' 的内容 [ref.missing]"),
    ("outcome", "project", "guobei-elevater",
     "8: error: project: 找不到 projects 中 id 为 'guobei-elevater' 的内容"
     f"（是否应为 '{PROJECT_ID}'？） [ref.missing]"),
    ("case", "meetings", "[2025-06-21-guobei-parking]",
     "5: error: meetings: 找不到 meetings 中 id 为 '2025-06-21-guobei-parking' 的内容"
     f"（是否应为 '{MEETING_ID}'？） [ref.missing]"),
    ("case", "outcomes", "[guobei-noise]",
     "5: error: outcomes: 找不到 outcomes 中 id 为 'guobei-noise' 的内容 [ref.missing]"),
    ("case", "projects", "[canteen]",
     "5: error: projects: 找不到 projects 中 id 为 'canteen' 的内容 [ref.missing]"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "expected"), MISSING)
def test_reference_to_a_missing_id(
    site: SiteFolder, item_type: str, name: str, value: str, expected: str
) -> None:
    site.meeting()
    site.project()
    path = site.change(item_type, **{name: value})

    assert site.problems() == [f"{path}:{expected}"]


def test_each_missing_id_of_a_list_on_its_line(site: SiteFolder) -> None:
    site.meeting()
    path = site.case(meetings=f"\n  - {MEETING_ID}\n  - 2025-06-01-a\n  - 2025-06-02-b")

    assert site.problems() == [
        f"{path}:7: error: meetings: 找不到 meetings 中 id 为 '2025-06-01-a' 的内容 [ref.missing]",
        f"{path}:8: error: meetings: 找不到 meetings 中 id 为 '2025-06-02-b' 的内容 [ref.missing]",
    ]


def test_a_reference_to_an_item_with_problems_is_not_also_missing(site: SiteFolder) -> None:
    meeting = site.meeting(status="schedled")
    site.outcome(meetings=f"[{MEETING_ID}]")

    assert site.problems() == [
        f"{meeting}:10: error: status: 应为 scheduled、held、postponed、cancelled 之一，"
        "实际为 'schedled'（是否应为 'scheduled'？） [field.enum]"
    ]


def test_references_resolve_both_ways(site: SiteFolder) -> None:
    site.meeting()
    site.project()
    site.outcome(meetings=MEETING_ID, route="pool", project=PROJECT_ID)

    index = site.load()
    (outcome,) = index.items("outcome")

    assert index.resolved(outcome, "meetings") == index.items("meeting")
    assert index.referrers(index.items("project")[0], "outcome") == (outcome,)


@dataclass(frozen=True, kw_only=True)
class ProjectFromMeetings(Project):
    """A project naming the meetings it came from: a reference field no bundled type has."""

    meetings: tuple[str, ...] = spec(ListOf(Ref("meeting")), "来源议事会", default=())


def test_reverse_links_come_from_every_reference_field_of_every_type(site: SiteFolder) -> None:
    site.meeting()
    site.project(meetings=f"[{MEETING_ID}]")

    with ITEM_TYPES.registered(ProjectFromMeetings):
        index = site.load()
        (meeting,) = index.items("meeting")
        (project,) = index.items("project")

        assert isinstance(project, ProjectFromMeetings)
        assert index.referrers(meeting, "project") == (project,)
        assert "project" in index.referrer_types("meeting")
        # the open data declares the same link, with the same items
        declared = {entry.name: entry for entry in item_entries(Meeting, SETTINGS.codes)}
        assert declared["projects"].value(meeting, make_build(SETTINGS, index, Environment())) == (
            project.id,
        )
    assert BY_FOLDER["projects"] is Project  # the registration ended with the block


# -- drafts ---------------------------------------------------------------------------------------

TO_A_DRAFT = [
    # (type of the draft, type referring, field, value, line)
    ("meeting", "outcome", "meetings", f"[{MEETING_ID}]", 8),
    ("project", "outcome", "project", PROJECT_ID, 8),
    ("meeting", "case", "meetings", f"[{MEETING_ID}]", 5),
    ("outcome", "case", "outcomes", "[2025-06-12-guobei-noise]", 5),
    ("project", "case", "projects", f"[{PROJECT_ID}]", 5),
]


@pytest.mark.parametrize(("draft_type", "item_type", "name", "value", "line"), TO_A_DRAFT)
def test_published_item_referring_to_a_draft(
    site: SiteFolder, draft_type: str, item_type: str, name: str, value: str, line: int
) -> None:
    site.change(draft_type, draft="true")
    path = site.change(item_type, **{name: value})
    ref = value.strip("[]")

    assert site.problems() == [
        f"{path}:{line}: error: {name}: 引用的 '{ref}' 是草稿（draft: true），不会发布："
        "请先发布它，或删去此引用 [ref.draft]"
    ]


def test_a_draft_may_refer_to_a_draft(site: SiteFolder) -> None:
    site.meeting(draft="true")
    site.outcome(draft="true", meetings=f"[{MEETING_ID}]")

    assert site.problems() == []


def test_a_draft_is_validated(site: SiteFolder) -> None:
    path = site.case(draft="true", places="guobie", mechanisms="[hotlin]")

    assert site.problems() == [
        f"{path}:4: error: places: places.yaml 中没有地点 'guobie'（是否应为 'guobei'？） "
        "[place.unknown]",
        f"{path}:6: error: mechanisms[1]: 应为 hotline、deliberation、whistle、visits、pool、"
        "mediation、openair 之一，实际为 'hotlin'（是否应为 'hotline'？） [field.enum]",
    ]


def test_a_draft_is_not_published(site: SiteFolder) -> None:
    site.meeting(draft="true")
    site.meeting("2025-06-21-guobei-parking")

    index = site.load()

    assert [m.id for m in index.items("meeting")] == ["2025-06-21-guobei-parking"]


def test_a_malformed_entry_does_not_hide_the_other_broken_references(site: SiteFolder) -> None:
    path = site.meeting(places="[guobei, guobie, Bad_Id]")

    assert site.problems() == [
        f"{path}:4: error: places: places.yaml 中没有地点 'guobie'（是否应为 'guobei'？） [place.unknown]",
        f"{path}:4: error: places[3]: 应为 place 的 id（小写字母、数字和 -），实际为 'Bad_Id' [field.type]",
    ]


def test_communities_of_a_jurisdiction_with_a_problem_are_still_known(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("  district: 丰台区\n", "", 1))
    site.meeting()

    assert site.problems() == [
        "content/places.yaml:1: error: huaxiang.district: 缺少必填字段 'district'（所属区县） [field.required]"
    ]
