"""Field rules: unknown field, wrong type, bad date, code lists, required fields.

Each case writes one valid baseline item (see conftest) with one field changed, and compares the
exact problem lines.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from .conftest import SiteFolder

# -- unknown fields -------------------------------------------------------------------------------


def test_unknown_field_suggests_the_near_miss(site: SiteFolder) -> None:
    path = site.meeting(loaction="郭北社区议事厅")

    assert site.problems() == [
        f"{path}:11: error: loaction: 未知字段 'loaction'（是否应为 'location'？） [field.unknown]"
    ]


def test_unknown_field_without_a_near_miss(site: SiteFolder) -> None:
    path = site.case(xyz="1")

    assert site.problems() == [f"{path}:5: error: xyz: 未知字段 'xyz' [field.unknown]"]


def test_a_field_of_another_type_is_unknown(site: SiteFolder) -> None:
    path = site.case(decision="同意")

    assert site.problems() == [f"{path}:5: error: decision: 未知字段 'decision' [field.unknown]"]


def test_unknown_field_inside_a_nested_mapping(site: SiteFolder) -> None:
    path = site.meeting(participants="[{role: residents, cuont: 5}]")

    assert site.problems() == [
        f"{path}:11: error: participants[1].cuont: 未知字段 'cuont'（是否应为 'count'？） "
        "[field.unknown]"
    ]


# -- wrong types ----------------------------------------------------------------------------------

WRONG_TYPES = [
    # (type, field, value as written, line, field as reported, message, category)
    ("meeting", "title", "[停车, 充电]", 2, "title", "应为文本，实际为列表", "field.type"),
    ("case", "summary", "{a: b}", 5, "summary", "应为文本，实际为映射", "field.type"),
    ("meeting", "topics", "停车位划线", 9, "topics", "应为列表，每项为文本，实际为'停车位划线'",
     "field.type"),
    ("case", "tags", "停车", 5, "tags", "应为列表，每项为文本，实际为'停车'", "field.type"),
    ("case", "draft", "maybe", 5, "draft", "应为 true 或 false，实际为 'maybe'", "field.type"),
    ("project", "progress", "150", 6, "progress", "应为0 到 100 的整数，实际为 '150'",
     "field.type"),
    ("project", "progress", "40%", 6, "progress", "应为0 到 100 的整数，实际为 '40%'",
     "field.type"),
    ("project", "budget", "14,270,000元", 7, "budget",
     "应为金额（元），不带单位的数字，如 14270000 或 3500.50，实际为 '14,270,000元'",
     "field.type"),
    ("meeting", "participants", "[{role: residents, count: 0}]", 11, "participants[1].count",
     "应为1 到 9999 的整数，实际为 '0'", "field.type"),
    ("meeting", "attend", "电话报名", 11, "attend",
     "应为“字段: 值”形式的映射，实际为 '电话报名'", "field.type"),
    ("meeting", "format", "[forum]", 11, "format", "应为代码表 meeting_format 中的代码，实际为列表",
     "field.type"),
    ("case", "places", "{guobei: 1}", 4, "places",
     "应为列表，每项为place 的 id（小写字母、数字和 -）（只有一项时可直接写），实际为映射",
     "field.type"),
    ("case", "places", "[guobei, Guoyuan]", 4, "places[2]",
     "应为place 的 id（小写字母、数字和 -），实际为 'Guoyuan'", "field.type"),
    ("outcome", "meetings", "[郭北停车会]", 8, "meetings[1]",
     "应为meeting 的 id（小写字母、数字和 -），实际为 '郭北停车会'", "field.type"),
    ("case", "title", "''", 2, "title", "不能为空", "field.empty"),
    ("case", "places", "[]", 4, "places", "至少需要 1 项", "field.required"),
    ("meeting", "topics", "[]", 9, "topics", "至少需要 1 项", "field.required"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("item_type", "name", "value", "line", "reported", "message", "category"), WRONG_TYPES
)
def test_wrong_type(
    site: SiteFolder,
    item_type: str,
    name: str,
    value: str,
    line: int,
    reported: str,
    message: str,
    category: str,
) -> None:
    path = getattr(site, item_type)(**{name: value})

    assert site.problems() == [f"{path}:{line}: error: {reported}: {message} [{category}]"]


def test_money_accepts_plain_numbers(site: SiteFolder) -> None:
    site.project(budget="14270000")
    site.project("guobei-canteen", budget="3500.50")

    budgets = {p.id: p.budget for p in site.load().projects}

    assert budgets == {"guobei-elevator": 14270000, "guobei-canteen": 3500.5}


def test_a_null_value_is_the_same_as_leaving_an_optional_field_out(site: SiteFolder) -> None:
    site.meeting(host="")

    (meeting,) = site.load().meetings

    assert meeting.host is None


# -- dates ----------------------------------------------------------------------------------------

BAD_DATES = [
    ("meeting", "date", "2025-13-40", 3, "'2025-13-40' 不是有效日期：月份应在 1–12 之间"),
    ("meeting", "date", "2025-02-30", 3, "'2025-02-30' 不是有效日期：2025年2月只有 28 天"),
    ("project", "due", "2024-02-30", 7, "'2024-02-30' 不是有效日期：2024年2月只有 29 天"),
    ("project", "due", "2025-04-31", 7, "'2025-04-31' 不是有效日期：2025年4月只有 30 天"),
    ("meeting", "date", "2025/06/10", 3,
     "应为日期（YYYY-MM-DD）或日期时间（YYYY-MM-DD HH:MM），实际为 '2025/06/10'"),
    ("project", "due", "下月底", 7, "应为日期，格式 YYYY-MM-DD（如 2024-03-12），实际为 '下月底'"),
    ("outcome", "deadline", "2025-07-01 12:00", 8,
     "应为日期，格式 YYYY-MM-DD（如 2024-03-12），实际为 '2025-07-01 12:00'"),
    ("meeting", "start", "2025-06-20", 5,
     "应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），"
     "实际为 '2025-06-20'（缺少时刻）"),
    ("meeting", "end", "下午四点", 6,
     "应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），实际为 '下午四点'"),
    ("meeting", "end", "2025-06-20 24:00", 6,
     "'2025-06-20 24:00' 不是有效时间：应在 00:00–23:59 之间"),
    ("meeting", "start", "2025-02-29 14:30", 5,
     "'2025-02-29 14:30' 不是有效日期：2025年2月只有 28 天"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "line", "message"), BAD_DATES)
def test_bad_date(
    site: SiteFolder, item_type: str, name: str, value: str, line: int, message: str
) -> None:
    path = getattr(site, item_type)(**{name: value})

    assert site.problems() == [f"{path}:{line}: error: {name}: {message} [field.date]"]


def test_a_leap_day_is_a_date(site: SiteFolder) -> None:
    site.project(due="2028-02-29")

    (project,) = site.load().projects

    assert (project.due.year, project.due.month, project.due.day) == (2028, 2, 29)


@pytest.mark.parametrize(
    ("written", "utc_offset"),
    [
        ("2025-06-20 14:30", timedelta(hours=8)),  # the default zone, Asia/Shanghai
        ("2025-06-20T14:30", timedelta(hours=8)),
        ("2025-06-20 14:30:00 +08:00", timedelta(hours=8)),
        ("2025-06-20T06:30Z", timedelta(0)),
    ],
)
def test_date_times_are_read_in_the_default_zone_unless_given_one(
    site: SiteFolder, written: str, utc_offset: timedelta
) -> None:
    site.meeting(start=written, end=None)

    (meeting,) = site.load().meetings

    assert meeting.start.utcoffset() == utc_offset
    assert meeting.start == datetime.fromisoformat("2025-06-20T14:30+08:00")


def test_year_zero_is_a_bad_date_not_a_crash(site: SiteFolder) -> None:
    path = site.case(updated="0000-01-15")

    problems = site.problems()

    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:5: error: updated: ")
    assert problems[0].endswith(" [field.date]")


def test_the_last_day_of_year_9999_is_a_date(site: SiteFolder) -> None:
    site.project(due="9999-12-31")

    (project,) = site.load().projects

    assert project.due.isoformat() == "9999-12-31"


def test_an_impossible_utc_offset_is_a_bad_date_not_a_crash(site: SiteFolder) -> None:
    path = site.meeting(end="2025-06-20 16:00 +25:00")

    problems = site.problems()

    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:6: error: end: ")
    assert problems[0].endswith(" [field.date]")


# -- code lists -----------------------------------------------------------------------------------

MEETING_STATUS = "scheduled、held、postponed、cancelled"
ROUTE = "onsite、assembly、referred、whistle、pool、declined"
OUTCOME_STATUS = "open、in_progress、done、closed"
PROJECT_STATUS = "proposed、approved、in_progress、completed、suspended"
FORMAT = "meeting、forum、onsite、online"
ROLE = (
    "committee、owners、property、police、liaison、party、residents、deputies、women、partners、"
    "volunteers、department、other"
)
CATEGORY = (
    "childcare、education、employment、healthcare、elderly、housing、welfare、convenience、"
    "livability、diversity、fairness、safety"
)
MECHANISM = "hotline、deliberation、whistle、visits、pool、mediation、openair"

OUTSIDE_CODE_LIST = [
    # (type, field, value, line, field as reported, codes, value as quoted, did-you-mean)
    ("meeting", "status", "schedled", 10, "status", MEETING_STATUS, "schedled", "scheduled"),
    ("meeting", "status", "Held", 10, "status", MEETING_STATUS, "Held", "held"),
    ("meeting", "format", "forums", 11, "format", FORMAT, "forums", "forum"),
    ("meeting", "participants", "[{role: resident}]", 11, "participants[1].role", ROLE,
     "resident", "residents"),
    ("outcome", "route", "wistle", 6, "route", ROUTE, "wistle", "whistle"),
    ("outcome", "status", "don", 7, "status", OUTCOME_STATUS, "don", "done"),
    ("project", "status", "complete", 5, "status", PROJECT_STATUS, "complete", "completed"),
    ("project", "categories", "[elderly, eldery]", 7, "categories[2]", CATEGORY, "eldery",
     "elderly"),
    ("case", "mechanisms", "[hotlin]", 5, "mechanisms[1]", MECHANISM, "hotlin", "hotline"),
    ("outcome", "route", "现场解决", 6, "route", ROUTE, "现场解决", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("item_type", "name", "value", "line", "reported", "codes", "written", "suggestion"),
    OUTSIDE_CODE_LIST,
)
def test_value_outside_its_code_list(
    site: SiteFolder,
    item_type: str,
    name: str,
    value: str,
    line: int,
    reported: str,
    codes: str,
    written: str,
    suggestion: str | None,
) -> None:
    path = getattr(site, item_type)(**{name: value})
    hint = f"（是否应为 '{suggestion}'？）" if suggestion else ""

    assert site.problems() == [
        f"{path}:{line}: error: {reported}: 应为 {codes} 之一，实际为 '{written}'{hint} [field.enum]"
    ]


# -- required fields ------------------------------------------------------------------------------

REQUIRED = [
    ("meeting", "title", "标题"),
    ("meeting", "date", "发布日期"),
    ("meeting", "places", "所属地点"),
    ("meeting", "start", "开始时间"),
    ("meeting", "location", "议事场所"),
    ("meeting", "convener", "召集人"),
    ("meeting", "topics", "协商议题"),
    ("meeting", "status", "状态"),
    ("outcome", "title", "标题"),
    ("outcome", "date", "发布日期"),
    ("outcome", "places", "所属地点"),
    ("outcome", "decision", "协商共识"),
    ("outcome", "route", "办理途径"),
    ("outcome", "status", "办理状态"),
    ("project", "title", "标题"),
    ("project", "date", "发布日期"),
    ("project", "places", "所属地点"),
    ("project", "status", "项目状态"),
    ("case", "title", "标题"),
    ("case", "date", "发布日期"),
    ("case", "places", "所属地点"),
]


@pytest.mark.parametrize(("item_type", "name", "label"), REQUIRED)
def test_missing_required_field(site: SiteFolder, item_type: str, name: str, label: str) -> None:
    path = getattr(site, item_type)(**{name: None})

    assert site.problems() == [
        f"{path}:1: error: {name}: 缺少必填字段 '{name}'（{label}） [field.required]"
    ]


def test_a_required_field_left_empty_is_missing(site: SiteFolder) -> None:
    path = site.meeting(location="")

    assert site.problems() == [
        f"{path}:1: error: location: 缺少必填字段 'location'（议事场所） [field.required]"
    ]


NESTED_REQUIRED = [
    # (type, field, value, line of the mapping, missing field, label)
    ("meeting", "attend", "{deadline: 2025-06-18}", 11, "attend.how", "申请方式"),
    ("meeting", "participants", "[{role: police}, {count: 3}]", 11, "participants[2].role", "身份"),
    ("case", "changes", "[{date: 2025-06-15}]", 5, "changes[1].note", "说明"),
    ("case", "changes", "[{note: 地点变更}]", 5, "changes[1].date", "日期"),
    ("project", "milestones", "[{date: 2025-05-01}]", 7, "milestones[1].text", "进展"),
]


@pytest.mark.parametrize(("item_type", "name", "value", "line", "missing", "label"), NESTED_REQUIRED)
def test_missing_required_field_of_a_nested_mapping(
    site: SiteFolder, item_type: str, name: str, value: str, line: int, missing: str, label: str
) -> None:
    path = getattr(site, item_type)(**{name: value})
    key = missing.rsplit(".", 1)[1]

    assert site.problems() == [
        f"{path}:{line}: error: {missing}: 缺少必填字段 '{key}'（{label}） [field.required]"
    ]


def test_every_problem_of_a_file_is_reported_at_once(site: SiteFolder) -> None:
    path = site.meeting(status="schedled", format="forums", convener=None, xyz="1")

    assert site.problems() == [
        f"{path}:1: error: convener: 缺少必填字段 'convener'（召集人） [field.required]",
        f"{path}:9: error: status: 应为 {MEETING_STATUS} 之一，实际为 'schedled'"
        "（是否应为 'scheduled'？） [field.enum]",
        f"{path}:10: error: format: 应为 {FORMAT} 之一，实际为 'forums'（是否应为 'forum'？） "
        "[field.enum]",
        f"{path}:11: error: xyz: 未知字段 'xyz' [field.unknown]",
    ]
