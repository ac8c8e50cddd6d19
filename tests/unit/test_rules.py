"""Rules across fields: meeting times, outcome follow-through, project progress."""

from __future__ import annotations

import pytest

from .conftest import PROJECT_ID, SiteFolder

# -- meetings (baseline: date 2025-06-10, start 2025-06-20 14:30, end 16:00) ----------------------


@pytest.mark.parametrize("end", ["2025-06-20 14:30", "2025-06-20 13:00", "2025-06-19 16:00"])
def test_end_must_be_after_start(site: SiteFolder, end: str) -> None:
    path = site.meeting(end=end)

    assert site.problems() == [
        f"{path}:6: error: end: 结束时间 '{end}' 应晚于开始时间 '2025-06-20 14:30' "
        "[rule.end-after-start]"
    ]


def test_end_one_minute_after_start_is_fine(site: SiteFolder) -> None:
    site.meeting(end="2025-06-20 14:31")

    assert site.problems() == []


@pytest.mark.parametrize(
    ("notice", "quoted"),
    [("2025-06-21", "2025-06-21"), ("2025-06-20 14:31", "2025-06-20")],
)
def test_notice_date_must_not_be_after_start(site: SiteFolder, notice: str, quoted: str) -> None:
    path = site.meeting(date=notice)

    assert site.problems() == [
        f"{path}:3: error: date: 公示日期 '{quoted}' 不应晚于会议开始时间 '2025-06-20 14:30' "
        "[rule.notice-after-start]"
    ]


@pytest.mark.parametrize("notice", ["2025-06-20", "2025-06-20 14:30"])
def test_notice_on_the_day_of_the_meeting_is_fine(site: SiteFolder, notice: str) -> None:
    site.meeting(date=notice)

    assert site.problems() == []


def test_attend_deadline_must_not_be_after_the_meeting_day(site: SiteFolder) -> None:
    path = site.meeting(attend="\n  how: 电话报名\n  deadline: 2025-06-21")

    assert site.problems() == [
        f"{path}:13: error: attend.deadline: 申请截止日期 '2025-06-21' 不应晚于会议开始时间 "
        "'2025-06-20 14:30' [rule.attend-deadline]"
    ]


def test_attend_deadline_on_the_meeting_day_is_fine(site: SiteFolder) -> None:
    site.meeting(attend="{how: 电话报名, deadline: 2025-06-20}")

    assert site.problems() == []


def test_a_rule_is_not_run_on_a_field_that_already_has_a_problem(site: SiteFolder) -> None:
    path = site.meeting(end="2025-06-19")

    assert site.problems() == [
        f"{path}:6: error: end: 应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），"
        "实际为 '2025-06-19'（缺少时刻） [field.date]"
    ]


# -- outcomes (baseline: route onsite on line 6, status open on line 7) ---------------------------

OUTCOME_REQUIRED = [
    # (changes, line, field, message)
    ({"route": "whistle", "deadline": "2025-07-01"}, 6, "lead",
     "route 为 'whistle'（吹哨报到）时必须填写 lead（主责单位）"),
    ({"route": "whistle", "lead": "区城管委"}, 6, "deadline",
     "route 为 'whistle'（吹哨报到）时必须填写 deadline（办理时限）"),
    ({"route": "pool"}, 6, "project", "route 为 'pool'（纳入民心项目池）时必须填写 project（民心项目）"),
    ({"route": "declined", "status": "open"}, 6, "reason",
     "route 为 'declined'（不予采纳，须向居民说明理由）时必须填写 reason（理由）"),
    ({"status": "closed"}, 7, "reason",
     "status 为 'closed'（未解决而关闭，须向居民说明理由）时必须填写 reason（理由）"),
    ({"status": "done"}, 7, "done_date", "status 为 'done'（已办结）时必须填写 done_date（办结日期）"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "line", "name", "message"), OUTCOME_REQUIRED)
def test_outcome_field_required_by_route_or_status(
    site: SiteFolder, changes: dict[str, str], line: int, name: str, message: str
) -> None:
    site.project()
    path = site.outcome(**changes)

    assert site.problems() == [f"{path}:{line}: error: {name}: {message} [field.required]"]


def test_whistle_without_lead_or_deadline_reports_both(site: SiteFolder) -> None:
    path = site.outcome(route="whistle")

    assert site.problems() == [
        f"{path}:6: error: deadline: route 为 'whistle'（吹哨报到）时必须填写 deadline（办理时限） "
        "[field.required]",
        f"{path}:6: error: lead: route 为 'whistle'（吹哨报到）时必须填写 lead（主责单位） "
        "[field.required]",
    ]


def test_declined_and_closed_without_reason_reports_both(site: SiteFolder) -> None:
    path = site.outcome(route="declined", status="closed")

    assert site.problems() == [
        f"{path}:6: error: reason: route 为 'declined'（不予采纳，须向居民说明理由）时必须填写 "
        "reason（理由） [field.required]",
        f"{path}:7: error: reason: status 为 'closed'（未解决而关闭，须向居民说明理由）时必须填写 "
        "reason（理由） [field.required]",
    ]


def test_outcomes_that_follow_every_rule(site: SiteFolder) -> None:
    site.project()
    site.outcome(
        "whistle",
        route="whistle",
        lead="区城管委",
        deadline="2025-07-01",
        status="done",
        done_date="2025-06-14",
    )
    site.outcome("pool", route="pool", project=PROJECT_ID)
    site.outcome("declined", route="declined", status="closed", reason="不属于社区事务")

    assert site.problems() == []


# -- projects (baseline: status in_progress on line 5, progress 40 on line 6) ---------------------


@pytest.mark.parametrize("status", ["approved", "in_progress", "suspended"])
def test_progress_is_required_unless_proposed(site: SiteFolder, status: str) -> None:
    path = site.project(status=status, progress=None, reason="资金未到位")

    assert site.problems() == [
        f"{path}:5: error: progress: status 为 '{status}' 时必须填写 progress（进度，0–100 的整数） "
        "[field.required]"
    ]


def test_a_proposed_project_needs_no_progress(site: SiteFolder) -> None:
    site.project(status="proposed", progress=None)

    assert site.problems() == []


def test_completed_needs_progress_100(site: SiteFolder) -> None:
    path = site.project(status="completed", progress="90", completed="2025-06-01")

    assert site.problems() == [
        f"{path}:6: error: progress: status 为 'completed'（已完成）时 progress 应为 100，实际为 90 "
        "[rule.completed]"
    ]


def test_completed_needs_a_completed_date(site: SiteFolder) -> None:
    path = site.project(status="completed", progress="100")

    assert site.problems() == [
        f"{path}:5: error: completed: status 为 'completed'（已完成）时必须填写 completed（完成日期） "
        "[rule.completed]"
    ]


def test_completed_without_progress_or_date(site: SiteFolder) -> None:
    path = site.project(status="completed", progress=None)

    assert site.problems() == [
        f"{path}:5: error: completed: status 为 'completed'（已完成）时必须填写 completed（完成日期） "
        "[rule.completed]",
        f"{path}:5: error: progress: status 为 'completed' 时必须填写 progress（进度，0–100 的整数） "
        "[field.required]",
    ]


def test_suspended_needs_a_reason(site: SiteFolder) -> None:
    path = site.project(status="suspended")

    assert site.problems() == [
        f"{path}:5: error: reason: status 为 'suspended'（暂缓）时必须填写 reason（暂缓理由） "
        "[field.required]"
    ]


def test_milestones_in_date_order(site: SiteFolder) -> None:
    path = site.project(
        milestones=(
            "\n  - {date: 2025-04-25, text: 纳入项目池}"
            "\n  - {date: 2025-06-03, text: 立项}"
            "\n  - {date: 2025-05-10, text: 完成评估}"
            "\n  - {date: 2025-05-10, text: 同一天的另一项}"
            "\n  - {date: 2025-05-01, text: 更早}"
        )
    )

    assert site.problems() == [
        f"{path}:10: error: milestones[3].date: 里程碑应按日期先后排列：'2025-05-10' 早于上一项 "
        "'2025-06-03' [rule.milestones-order]",
        f"{path}:12: error: milestones[5].date: 里程碑应按日期先后排列：'2025-05-01' 早于上一项 "
        "'2025-05-10' [rule.milestones-order]",
    ]


def test_projects_that_follow_every_rule(site: SiteFolder) -> None:
    site.project("proposed", status="proposed", progress=None)
    site.project("completed", status="completed", progress="100", completed="2025-06-01")
    site.project("suspended", status="suspended", progress="20", reason="燃气管线迁改待协调")

    assert site.problems() == []
