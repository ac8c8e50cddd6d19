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

# (type, field, value as written, the problem line after "path:")
WRONG_TYPES = [
    ("meeting", "title", "[停车, 充电]", "2: error: title: 应为文本，实际为列表 [field.type]"),
    ("case", "summary", "{a: b}", "5: error: summary: 应为文本，实际为映射 [field.type]"),
    ("meeting", "topics", "停车位划线",
     "9: error: topics: 应为列表，每项为文本，实际为'停车位划线' [field.type]"),
    ("case", "tags", "停车", "5: error: tags: 应为列表，每项为文本，实际为'停车' [field.type]"),
    ("case", "draft", "maybe", "5: error: draft: 应为 true 或 false，实际为 'maybe' [field.type]"),
    ("project", "progress", "150",
     "6: error: progress: 应为0 到 100 的整数，实际为 '150' [field.type]"),
    ("project", "progress", "40%",
     "6: error: progress: 应为0 到 100 的整数，实际为 '40%' [field.type]"),
    ("project", "budget", "14,270,000元",
     "7: error: budget: 应为金额（元），不带单位的数字，如 14270000 或 3500.50，"
     "实际为 '14,270,000元' [field.type]"),
    ("meeting", "participants", "[{role: residents, count: 0}]",
     "11: error: participants[1].count: 应为1 到 9999 的整数，实际为 '0' [field.type]"),
    ("meeting", "attend", "电话报名",
     "11: error: attend: 应为“字段: 值”形式的映射，实际为 '电话报名' [field.type]"),
    ("meeting", "format", "[forum]",
     "11: error: format: 应为代码表 meeting_format 中的代码，实际为列表 [field.type]"),
    ("case", "places", "{guobei: 1}",
     "4: error: places: 应为列表，每项为 place 的 id（小写字母、数字和 -）（只有一项时可直接写），"
     "实际为映射 [field.type]"),
    ("case", "places", "[guobei, Guoyuan]",
     "4: error: places[2]: 应为 place 的 id（小写字母、数字和 -），实际为 'Guoyuan' [field.type]"),
    ("outcome", "meetings", "[郭北停车会]",
     "8: error: meetings[1]: 应为 meeting 的 id（小写字母、数字和 -），实际为 '郭北停车会' "
     "[field.type]"),
    ("outcome", "project", "Guobei Elevator",
     "8: error: project: 应为 project 的 id（小写字母、数字和 -），实际为 'Guobei Elevator' "
     "[field.type]"),
    ("case", "title", "''", "2: error: title: 不能为空 [field.empty]"),
    ("case", "places", "[]", "4: error: places: 至少需要 1 项 [field.required]"),
    ("meeting", "topics", "[]", "9: error: topics: 至少需要 1 项 [field.required]"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "expected"), WRONG_TYPES)
def test_wrong_type(site: SiteFolder, item_type: str, name: str, value: str, expected: str) -> None:
    path = site.change(item_type, **{name: value})

    assert site.problems() == [f"{path}:{expected}"]


def test_money_accepts_plain_numbers(site: SiteFolder) -> None:
    site.project(budget="14270000")
    site.project("guobei-canteen", budget="3500.50")

    budgets = {p.id: p.budget for p in site.load().items("project")}

    assert budgets == {"guobei-elevator": 14270000, "guobei-canteen": 3500.5}


def test_a_null_value_is_the_same_as_leaving_an_optional_field_out(site: SiteFolder) -> None:
    site.meeting(host="")

    (meeting,) = site.load().items("meeting")

    assert meeting.host is None


# -- dates ----------------------------------------------------------------------------------------

BAD_DATES = [
    ("meeting", "date", "2025-13-40", 3, "'2025-13-40' 不是有效日期：月份应在 1–12 之间"),
    ("meeting", "date", "2025-02-30", 3, "'2025-02-30' 不是有效日期：2025年2月只有 28 天"),
    ("project", "due", "2024-02-30", 7, "'2024-02-30' 不是有效日期：2024年2月只有 29 天"),
    ("project", "due", "2025-04-31", 7, "'2025-04-31' 不是有效日期：2025年4月只有 30 天"),
    ("meeting", "date", "2025/06/10", 3,
     "应为日期（YYYY-MM-DD）或日期时间（YYYY-MM-DD HH:MM），实际为 '2025/06/10'：请写成 2025-06-10"),
    ("project", "due", "下月底", 7, "应为日期，格式 YYYY-MM-DD（如 2024-03-12），实际为 '下月底'"),
    ("outcome", "deadline", "2025-07-01 12:00", 8,
     "应为日期，格式 YYYY-MM-DD（如 2024-03-12），实际为 '2025-07-01 12:00'：请写成 2025-07-01"),
    ("meeting", "start", "2025-06-20", 5,
     "应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），"
     "实际为 '2025-06-20'（缺少时刻）"),
    ("meeting", "end", "下午四点", 6,
     "应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），实际为 '下午四点'"),
    ("meeting", "end", "2025-06-20 24:00", 6,
     "'2025-06-20 24:00' 不是有效时间：应在 00:00–23:59 之间"),
    ("meeting", "start", "2025-02-29 14:30", 5,
     "'2025-02-29 14:30' 不是有效日期：2025年2月只有 28 天"),
    ("case", "updated", "0000-01-15", 5, "'0000-01-15' 不是有效日期：年份应在 1900–2199 之间"),
    ("project", "due", "9999-12-31", 7, "'9999-12-31' 不是有效日期：年份应在 1900–2199 之间"),
    ("project", "due", "1899-12-31", 7, "'1899-12-31' 不是有效日期：年份应在 1900–2199 之间"),
    ("meeting", "end", "2025-06-20 16:00 +25:00", 6,
     "'2025-06-20 16:00 +25:00' 的时区 '+25:00' 无效：应在 -14:00 到 +14:00 之间"
     "（通常不写，默认北京时间）"),
    ("meeting", "end", "2025-06-20 16:00 +08:60", 6,
     "'2025-06-20 16:00 +08:60' 的时区 '+08:60' 无效：应在 -14:00 到 +14:00 之间"
     "（通常不写，默认北京时间）"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "line", "message"), BAD_DATES)
def test_bad_date(
    site: SiteFolder, item_type: str, name: str, value: str, line: int, message: str
) -> None:
    path = site.change(item_type, **{name: value})

    assert site.problems() == [f"{path}:{line}: error: {name}: {message} [field.date]"]


def test_a_leap_day_is_a_date(site: SiteFolder) -> None:
    site.project(due="2028-02-29")

    (project,) = site.load().items("project")

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

    (meeting,) = site.load().items("meeting")

    assert meeting.start.utcoffset() == utc_offset
    assert meeting.start == datetime.fromisoformat("2025-06-20T14:30+08:00")


def test_a_date_time_with_the_largest_real_offset(site: SiteFolder) -> None:
    site.meeting(start="2025-06-20 14:30 +14:00", end=None, date="2025-06-01")

    (meeting,) = site.load().items("meeting")

    assert meeting.start.utcoffset() == timedelta(hours=14)


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

# (type, field, value as written, the problem line after "path:")
OUTSIDE_CODE_LIST = [
    ("meeting", "status", "schedled",
     f"10: error: status: 应为 {MEETING_STATUS} 之一，实际为 'schedled'（是否应为 'scheduled'？） "
     "[field.enum]"),
    ("meeting", "status", "Held",
     f"10: error: status: 应为 {MEETING_STATUS} 之一，实际为 'Held'（是否应为 'held'？） [field.enum]"),
    ("meeting", "format", "forums",
     f"11: error: format: 应为 {FORMAT} 之一，实际为 'forums'（是否应为 'forum'？） [field.enum]"),
    ("meeting", "participants", "[{role: resident}]",
     f"11: error: participants[1].role: 应为 {ROLE} 之一，实际为 'resident'（是否应为 'residents'？） "
     "[field.enum]"),
    ("outcome", "route", "wistle",
     f"6: error: route: 应为 {ROUTE} 之一，实际为 'wistle'（是否应为 'whistle'？） [field.enum]"),
    ("outcome", "route", "现场解决",
     f"6: error: route: 应为 {ROUTE} 之一，实际为 '现场解决' [field.enum]"),
    ("outcome", "status", "don",
     f"7: error: status: 应为 {OUTCOME_STATUS} 之一，实际为 'don'（是否应为 'done'？） [field.enum]"),
    ("project", "status", "complete",
     f"5: error: status: 应为 {PROJECT_STATUS} 之一，实际为 'complete'（是否应为 'completed'？） "
     "[field.enum]"),
    ("project", "categories", "[elderly, eldery]",
     f"7: error: categories[2]: 应为 {CATEGORY} 之一，实际为 'eldery'（是否应为 'elderly'？） "
     "[field.enum]"),
    ("case", "mechanisms", "[hotlin]",
     f"5: error: mechanisms[1]: 应为 {MECHANISM} 之一，实际为 'hotlin'（是否应为 'hotline'？） "
     "[field.enum]"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "expected"), OUTSIDE_CODE_LIST)
def test_value_outside_its_code_list(
    site: SiteFolder, item_type: str, name: str, value: str, expected: str
) -> None:
    path = site.change(item_type, **{name: value})

    assert site.problems() == [f"{path}:{expected}"]


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
    path = site.change(item_type, **{name: None})

    assert site.problems() == [
        f"{path}:1: error: {name}: 缺少必填字段 '{name}'（{label}） [field.required]"
    ]


def test_a_required_field_left_empty_is_missing(site: SiteFolder) -> None:
    path = site.meeting(location="")

    assert site.problems() == [
        f"{path}:7: error: location: 必填字段 'location'（议事场所）没有填写 [field.required]"
    ]


# (type, field, value as written, the problem line after "path:")
NESTED_REQUIRED = [
    ("meeting", "attend", "{deadline: 2025-06-18}",
     "11: error: attend.how: 缺少必填字段 'how'（申请方式） [field.required]"),
    ("meeting", "participants", "[{role: police}, {count: 3}]",
     "11: error: participants[2].role: 缺少必填字段 'role'（身份） [field.required]"),
    ("case", "changes", "[{date: 2025-06-15}]",
     "5: error: changes[1].note: 缺少必填字段 'note'（说明） [field.required]"),
    ("case", "changes", "\n  - note: 地点变更",
     "6: error: changes[1].date: 缺少必填字段 'date'（日期） [field.required]"),
    ("project", "milestones", "[{date: 2025-05-01}]",
     "7: error: milestones[1].text: 缺少必填字段 'text'（进展） [field.required]"),
]  # fmt: skip


@pytest.mark.parametrize(("item_type", "name", "value", "expected"), NESTED_REQUIRED)
def test_missing_required_field_of_a_nested_mapping(
    site: SiteFolder, item_type: str, name: str, value: str, expected: str
) -> None:
    path = site.change(item_type, **{name: value})

    assert site.problems() == [f"{path}:{expected}"]


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
