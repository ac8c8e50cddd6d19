"""A complaint brought to a meeting (投诉议题): a content type the site defines itself.

The whole type is this module: its folder, its fields and their labels. Its code list
``complaint_status`` and its name in ``item_type`` are in the site's GONGSHI_CODES.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from gongshi.content.fields import Bool, Code, Date, ListOf, Ref, Struct, Text, spec
from gongshi.content.models import Item


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """One follow-up of a complaint (跟进记录)."""

    date: date = spec(Date(), "日期", required=True)
    note: str = spec(Text(multiline=True), "说明", required=True)
    done: bool = spec(Bool(), "是否办结", default=False)


@dataclass(frozen=True, kw_only=True)
class Complaint(Item):
    type: ClassVar[str] = "complaint"
    folder: ClassVar[str] = "complaints"

    meeting: str = spec(Ref("meeting"), "议事会", required=True, help="协商该议题的议事会 id")
    status: str = spec(Code("complaint_status"), "处理状态", required=True)
    received: date | None = spec(Date(), "受理日期")
    issues: tuple[str, ...] = spec(ListOf(Text()), "涉及问题", default=())
    detail: str = spec(Text(multiline=True), "诉求内容", required=True)
    reply: str | None = spec(Text(multiline=True), "答复")
    follow_ups: tuple[FollowUp, ...] = spec(ListOf(Struct(FollowUp)), "跟进记录", default=())
