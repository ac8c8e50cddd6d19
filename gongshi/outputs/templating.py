"""Jinja filters and globals for the theme: Chinese dates, code labels, money, absolute URLs,
the URL table, the registered types and their declared fields.

Templates never spell a label or format a date themselves; they call these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from ..content.models import ITEM_TYPES, Meeting
from ..settings import GongshiSettings
from ..site import urls
from . import boardview, sharetext  # module imports: sharetext formats with this module's functions
from .fieldview import fields_of, status_of
from .jsonld import event_data, script_json
from .qr import qr_svg

WEEKDAYS = "一二三四五六日"


def zh_date(value: date | datetime, tz: Any = None) -> str:
    """``2025年6月10日``; a date-time also gets its time: ``2025年6月10日 14:30``."""
    if isinstance(value, datetime):
        local = value.astimezone(tz) if tz else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def zh_day(value: date | datetime, tz: Any = None) -> str:
    """The day only, with its weekday: ``2025年6月10日（星期二）``."""
    local = value.astimezone(tz) if isinstance(value, datetime) and tz else value
    return f"{local.year}年{local.month}月{local.day}日（星期{WEEKDAYS[local.weekday()]}）"


def iso(value: date | datetime) -> str:
    """For ``<time datetime>`` and the sitemap."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def money(value: float) -> str:
    """Yuan as a notice writes it: ``1427万元`` from 14270000, ``3500元`` from 3500."""
    if value >= 10_000:
        return f"{value / 10_000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{value:.2f}".rstrip("0").rstrip(".") + "元"


def meeting_end(meeting: Meeting, tz: tzinfo) -> str:
    """A meeting's end as written after its start: the time alone when it ends the day it
    starts (``16:30``), else the date too (``2025年6月21日 10:00``); empty without an end."""
    end = meeting.end
    if end is None:
        return ""
    if end.date() == meeting.start.date():
        return f"{end.astimezone(tz):%H:%M}"
    return zh_date(end, tz)


def make_filters(settings: GongshiSettings) -> dict[str, Callable[..., Any]]:
    tz = settings.timezone
    return {
        "zh_date": lambda v: zh_date(v, tz),
        "zh_day": lambda v: zh_day(v, tz),
        "hm": lambda v: f"{v.astimezone(tz):%H:%M}",
        "meeting_end": lambda meeting: meeting_end(meeting, tz),
        "iso": iso,
        "money": money,
        "label": lambda code, list_name, form=None: settings.codes.label(list_name, code, form),
        "absolute": lambda path: settings.site_url + path,
        "event_jsonld": lambda meeting, index: script_json(event_data(meeting, index, settings)),
        # a calendar subscription link: phones subscribe to webcal:// instead of importing once
        "webcal": lambda path: "webcal://" + settings.site_url.split("://", 1)[1] + path,
        "qr_svg": qr_svg,  # a notice's QR code: inline SVG of a URL, with its accessible name
        # a meeting's notice as plain text for WeChat or SMS (outputs/sharetext.py)
        "share_text": lambda meeting, index: sharetext.share_text(meeting, index, settings),
        # the public ledger board's charts and figures (outputs/boardview.py)
        "board_charts": lambda board, prefix: boardview.charts(board, settings.codes, prefix),
        "percent": boardview.percent,
        "days": boardview.days,
    }


def make_globals() -> dict[str, Any]:
    return {
        "urls": urls,  # every path of the site: urls.listing('meeting'), urls.SEARCH …
        "item_types": ITEM_TYPES,  # the registered types, in display order
        # a type's declared fields, for the generic templates (item.html, items.html …)
        "fields_of": fields_of,
        "status_of": status_of,
    }
