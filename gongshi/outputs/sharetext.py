"""A meeting's notice as plain text, ready to paste into a WeChat group or an SMS.

Composed once here and asked by the meeting page (its 复制通知文字 box) and the tests, so they
agree. Short on purpose: the title (a postponed or cancelled meeting says so first), the time
with its weekday, the place, the topics numbered, how and by when to apply (only while one still
can), and the page's absolute link; a postponed or cancelled meeting adds its latest change note.
"""

from __future__ import annotations

from ..content.models import Meeting
from ..content.models.base import moment
from ..settings import GongshiSettings
from ..site import urls
from ..site.index import SiteIndex
from . import templating  # a module import: templating registers share_text as a filter


def share_text(meeting: Meeting, index: SiteIndex, settings: GongshiSettings) -> str:
    tz = settings.timezone
    m = meeting
    cancelled = m.status == "cancelled"
    lines = [index.headline(m)]
    if m.status in type(m).announced and m.changes:
        lines.append(max(m.changes, key=lambda c: moment(c.date)).note)  # the latest
    end = templating.meeting_end(m, tz)
    when = f"{templating.zh_day(m.start, tz)} {m.start.astimezone(tz):%H:%M}" + (
        f"–{end}" if end else ""
    )
    lines.append(f"{'原定时间' if cancelled else '时间'}：{when}")
    lines.append(f"地点：{m.location}")
    lines.append("议题：")
    lines += (f"{n}. {topic}" for n, topic in enumerate(m.topics, 1))
    if m.attend and index.is_upcoming(m) and not index.attend_closed(m):  # still open to apply
        deadline = m.attend.deadline
        until = f"（截止 {templating.zh_date(deadline)}）" if deadline else ""
        lines.append(f"申请参加：{m.attend.how}{until}")
    lines.append(f"详情：{settings.site_url}{urls.item(m)}")
    return "\n".join(lines)
