"""A project in the pool (民心项目池) and its progress (挂图推进)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from ..fields import Code, Date, Int, ListOf, Money, Struct, Text, spec
from .base import Item, Rule


@dataclass(frozen=True, kw_only=True)
class Milestone:
    date: date = spec(Date(), "日期", required=True)
    text: str = spec(Text(multiline=True), "进展", required=True)
    progress: int | None = spec(Int(0, 100), "进度（%）")


def _progress_required(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if v["status"] != "proposed" and v.get("progress") is None:
        yield "progress", f"status 为 '{v['status']}' 时必须填写 progress（进度，0–100 的整数）"


def _completed(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if v["status"] != "completed":
        return
    if v.get("progress") not in (None, 100):
        yield (
            "progress",
            f"status 为 'completed'（已完成）时 progress 应为 100，实际为 {v['progress']}",
        )
    if v.get("completed") is None:
        yield "completed", "status 为 'completed'（已完成）时必须填写 completed（完成日期）"


def _suspended(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if v["status"] == "suspended" and v.get("reason") is None:
        yield "reason", "status 为 'suspended'（暂缓）时必须填写 reason（暂缓理由）"


def _milestones_in_order(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    milestones = v["milestones"]
    for i in range(1, len(milestones)):
        before, after = milestones[i - 1].date, milestones[i].date
        if after < before:
            yield (
                f"milestones[{i + 1}].date",
                (f"里程碑应按日期先后排列：'{after:%Y-%m-%d}' 早于上一项 '{before:%Y-%m-%d}'"),
            )


def _progress_not_below_milestones(v: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    progress = v.get("progress")
    marked = [m for m in v["milestones"] if m.progress is not None]
    if progress is not None and marked and progress < marked[-1].progress:
        latest = marked[-1]
        yield (
            "progress",
            f"progress（进度）为 {progress}，低于最近一个里程碑（{latest.date:%Y-%m-%d}）的进度 "
            f"{latest.progress}：请更新 progress，或改正该里程碑的进度",
        )


@dataclass(frozen=True, kw_only=True)
class Project(Item):
    type: ClassVar[str] = "project"
    folder: ClassVar[str] = "projects"
    spreadsheet: ClassVar[bool] = True
    change_dates: ClassVar[tuple[str, ...]] = (
        *Item.change_dates,
        "start",
        "milestones.date",
        "completed",
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("field.required", ("status",), _progress_required, "除 proposed 外必须填写 progress"),
        Rule(
            "rule.completed",
            ("status",),
            _completed,
            "completed ⇒ progress 为 100，且填写 completed",
        ),
        Rule("field.required", ("status",), _suspended, "suspended 时必须填写 reason"),
        Rule(
            "rule.milestones-order", ("milestones",), _milestones_in_order, "milestones 按日期排列"
        ),
        Rule(
            "rule.progress-milestone",
            ("progress", "milestones"),
            _progress_not_below_milestones,
            "progress 不得低于最近一个里程碑的进度",
        ),
    )

    status: str = spec(Code("project_status"), "项目状态", required=True)
    progress: int | None = spec(
        Int(0, 100), "进度（%）", help="除 proposed 外必填；completed 时为 100"
    )
    categories: tuple[str, ...] = spec(
        ListOf(Code("project_category")), "类别（七有五性）", default=()
    )
    lead: str | None = spec(Text(), "主责单位")
    budget: int | float | None = spec(Money(), "预算（元）")
    funding: str | None = spec(Text(), "资金来源")
    start: date | None = spec(Date(), "开工日期")
    due: date | None = spec(Date(), "计划完成日期")
    completed: date | None = spec(Date(), "完成日期", help="completed 时必填")
    milestones: tuple[Milestone, ...] = spec(
        ListOf(Struct(Milestone)), "里程碑", help="按日期先后排列", default=()
    )
    reason: str | None = spec(Text(multiline=True), "暂缓理由", help="suspended 时必填")
