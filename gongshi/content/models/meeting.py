"""A deliberation meeting (议事协商会): its notice, agenda and, once held, its record."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from ..fields import Code, Date, DateTime, Int, ListOf, Struct, Text, spec
from .base import Item, Rule


@dataclass(frozen=True, kw_only=True)
class Participant:
    """One party of the “5+N”: a role, optionally named, optionally counted."""

    role: str = spec(Code("participant_role"), "身份", required=True)
    name: str | None = spec(Text(), "名称", help="单位或组织名称；不写个人姓名")
    count: int | None = spec(Int(1, 9999), "人数")


@dataclass(frozen=True, kw_only=True)
class Attend:
    """How a resident applies to attend (申请参加), and by when."""

    how: str = spec(Text(multiline=True), "申请方式", required=True)
    deadline: date | None = spec(Date(), "申请截止日期")


def _end_after_start(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if v["end"] <= v["start"]:
        yield (
            "end",
            f"结束时间 '{v['end']:%Y-%m-%d %H:%M}' 应晚于开始时间 '{v['start']:%Y-%m-%d %H:%M}'",
        )


def _notice_not_after_start(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    notice, start = v["date"], v["start"]
    late = notice > start if isinstance(notice, datetime) else notice > start.date()
    if late:
        yield "date", f"公示日期 '{notice:%Y-%m-%d}' 不应晚于会议开始时间 '{start:%Y-%m-%d %H:%M}'"


def _deadline_before_start(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    deadline = v["attend"].deadline
    if deadline is not None and deadline > v["start"].date():
        yield (
            "attend.deadline",
            (
                f"申请截止日期 '{deadline:%Y-%m-%d}' 不应晚于会议开始时间 '{v['start']:%Y-%m-%d %H:%M}'"
            ),
        )


def _postponed_with_note(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if v["status"] == "postponed" and not v.get("changes"):
        yield (
            "changes",
            "status 为 'postponed'（已延期）时必须在 changes 中写一条变更说明"
            "（延期的原因和新的时间，如 {date: 2025-06-08, note: 因故延期至6月22日}）",
        )


@dataclass(frozen=True, kw_only=True)
class Meeting(Item):
    type: ClassVar[str] = "meeting"
    folder: ClassVar[str] = "meetings"
    spreadsheet: ClassVar[bool] = True
    list_key: ClassVar[tuple[str, ...]] = ("start", "id")  # soonest first
    newest_first: ClassVar[bool] = False
    announced: ClassVar[frozenset[str]] = frozenset({"postponed", "cancelled"})
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("rule.end-after-start", ("start", "end"), _end_after_start, "end 必须晚于 start"),
        Rule(
            "rule.notice-after-start",
            ("date", "start"),
            _notice_not_after_start,
            "date（公示日期）不得晚于 start",
        ),
        Rule(
            "rule.attend-deadline",
            ("start", "attend"),
            _deadline_before_start,
            "attend.deadline 不得晚于会议当天",
        ),
        Rule(
            "rule.postponed-note",
            ("status",),
            _postponed_with_note,
            "postponed 时 changes 中必须有变更说明",
        ),
    )

    start: datetime = spec(DateTime(), "开始时间", required=True)
    end: datetime | None = spec(DateTime(), "结束时间", help="须晚于 start")
    location: str = spec(Text(), "议事场所", required=True)
    convener: str = spec(Text(), "召集人", required=True)
    host: str | None = spec(Text(), "主持人")
    recorder: str | None = spec(Text(), "记录人")
    format: str | None = spec(Code("meeting_format"), "协商形式")
    topics: tuple[str, ...] = spec(
        ListOf(Text(), min_items=1), "协商议题", required=True, help="按议程顺序", default=()
    )
    participants: tuple[Participant, ...] = spec(
        ListOf(Struct(Participant)), "参加人员（5+N）", default=()
    )
    attend: Attend | None = spec(Struct(Attend), "申请参加")
    status: str = spec(Code("meeting_status"), "状态", required=True)
