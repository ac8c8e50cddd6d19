"""States that parse and link but cannot be true: checked against the build's "now" and
across items, after phase one (the field rules) and with the references known.

Each check says why in its ``doc``; a ``warning`` is something a real office may do on purpose
(see docs/architecture.md, "Plausible states"), an ``error`` is never true.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from ..content.loader import Loaded
from ..content.models import Meeting, Outcome, Project
from ..content.models.base import Item
from ..errors import Problem


def _problem(item: Item, field: str, message: str, category: str, severity: str) -> Problem:
    top = field.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    line = item.lines.get(field) or item.lines.get(top, 1)
    return Problem(item.file, line, field, message, category, severity)


def _held_in_future(item: Item, now: datetime) -> Iterator[Problem]:
    if isinstance(item, Meeting) and item.status == "held" and item.start > now:
        yield _problem(
            item,
            "status",
            f"会议开始时间 '{item.start:%Y-%m-%d %H:%M}' 还没到（现在是 {now:%Y-%m-%d %H:%M}），"
            "不能是 'held'（已召开）：会议开过后再改，或改正 start",
            "state.held-future",
            "error",
        )


def _milestones_ahead(item: Item, today: date) -> Iterator[Problem]:
    if not isinstance(item, Project):
        return
    for n, milestone in enumerate(item.milestones, start=1):
        if milestone.date > today:
            yield _problem(
                item,
                f"milestones[{n}].date",
                f"里程碑日期 '{milestone.date:%Y-%m-%d}' 晚于今天（{today:%Y-%m-%d}），"
                "页面会把它显示为已经发生的进展：如是计划，请写入 due 或正文；如是笔误，请改正日期",
                "state.milestone-future",
                "warning",
            )


def _done_before_meeting(item: Item, meetings: dict[str, Meeting]) -> Iterator[Problem]:
    if not isinstance(item, Outcome) or item.done_date is None:
        return
    reached = [meetings[m] for m in item.meetings if m in meetings]
    if not reached:
        return
    first = min(reached, key=lambda m: m.start)
    if item.done_date < first.start.date():
        yield _problem(
            item,
            "done_date",
            f"办结日期 '{item.done_date:%Y-%m-%d}' 早于形成这项结果的会议 '{first.id}'"
            f"（{first.start:%Y-%m-%d}）：请改正 done_date，或检查 meetings",
            "state.done-before-meeting",
            "error",
        )


def problems(loaded: Loaded, now: datetime) -> list[Problem]:
    """Every implausible state among the published items (a draft is not yet a claim)."""
    published = [i for i in loaded.items if not i.draft]
    meetings = {m.id: m for m in published if isinstance(m, Meeting)}
    found: list[Problem] = []
    for item in published:
        found.extend(_held_in_future(item, now))
        found.extend(_milestones_ahead(item, now.date()))
        found.extend(_done_before_meeting(item, meetings))
    return found
