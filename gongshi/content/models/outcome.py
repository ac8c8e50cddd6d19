"""A consultation outcome (协商结果) and how it is followed through."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..fields import Code, Date, ListOf, Ref, Text, spec
from .base import Item, Rule


def _required_when(
    field: str, label: str, condition: str, allowed: set[str], explain: str
) -> Callable[[Mapping[str, Any]], Iterator[tuple[str, str]]]:
    def check(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        if v[condition] in allowed and v.get(field) is None:
            yield (
                field,
                f"{condition} 为 '{v[condition]}'（{explain}）时必须填写 {field}（{label}）",
            )

    return check


def _when(field: str, label: str, condition: str, *values: str, explain: str) -> Rule:
    check = _required_when(field, label, condition, set(values), explain)
    doc = f"{condition} 为 {' 或 '.join(values)} 时必须填写 {field}"
    return Rule("field.required", (condition,), check, doc)


@dataclass(frozen=True, kw_only=True)
class Outcome(Item):
    type: ClassVar[str] = "outcome"
    folder: ClassVar[str] = "outcomes"
    spreadsheet: ClassVar[bool] = True
    change_dates: ClassVar[tuple[str, ...]] = (*Item.change_dates, "done_date")
    rules: ClassVar[tuple[Rule, ...]] = (
        _when("lead", "主责单位", "route", "whistle", explain="吹哨报到"),
        _when("deadline", "办理时限", "route", "whistle", explain="吹哨报到"),
        _when("project", "民心项目", "route", "pool", explain="纳入民心项目池"),
        _when("reason", "理由", "route", "declined", explain="不予采纳，须向居民说明理由"),
        _when("reason", "理由", "status", "closed", explain="未解决而关闭，须向居民说明理由"),
        _when("done_date", "办结日期", "status", "done", explain="已办结"),
    )

    meetings: tuple[str, ...] = spec(
        ListOf(Ref("meeting"), one_allowed=True), "议事会", help="达成该结果的会议 id", default=()
    )
    decision: str = spec(Text(multiline=True), "协商共识", required=True)
    route: str = spec(Code("outcome_route"), "办理途径", required=True)
    lead: str | None = spec(Text(), "主责单位", help="吹哨报到时必填")
    deadline: date | None = spec(Date(), "办理时限", help="吹哨报到时必填")
    project: str | None = spec(Ref("project"), "民心项目", help="纳入民心项目池时必填")
    status: str = spec(Code("outcome_status"), "办理状态", required=True)
    done_date: date | None = spec(Date(), "办结日期", help="已办结时必填")
    reason: str | None = spec(Text(multiline=True), "理由", help="不予采纳或关闭时必填")
    feedback: str | None = spec(Text(multiline=True), "公开反馈")
