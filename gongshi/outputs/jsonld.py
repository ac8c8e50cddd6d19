"""schema.org structured data (JSON-LD) for a meeting page: search engines and other programs
read the meeting as an ``Event`` without scraping the page.

Only properties schema.org defines for ``Event``, ``Place``, ``PostalAddress``,
``VirtualLocation`` and ``Organization`` are written (https://schema.org/Event).
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..content.models import Meeting
from ..settings import GongshiSettings
from ..site import urls
from ..site.index import SiteIndex

SCHEMA = "https://schema.org/"
EVENT_STATUS = {"cancelled": "EventCancelled", "postponed": "EventRescheduled"}


def _description(meeting: Meeting) -> str:
    topics = "；".join(f"{n}. {t}" for n, t in enumerate(meeting.topics, 1))
    return f"{meeting.summary or meeting.title} 协商议题：{topics}"


def _location(meeting: Meeting, index: SiteIndex, url: str) -> dict[str, Any]:
    if meeting.format == "online":
        return {"@type": "VirtualLocation", "name": meeting.location, "url": url}
    here = index.places_of(meeting)
    districts = dict.fromkeys(p.district for p in here)  # in order, each once
    address = {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": "、".join(districts),
        "addressLocality": "、".join(p.name for p in here),
    }
    return {"@type": "Place", "name": meeting.location, "address": address}


def event_data(meeting: Meeting, index: SiteIndex, settings: GongshiSettings) -> dict[str, Any]:
    """A meeting as a schema.org ``Event``. Without an ``end`` there is no ``endDate``: the
    calendars assume a duration, structured data states only what the notice says."""
    tz, url = settings.timezone, settings.site_url + urls.item(meeting)
    online = meeting.format == "online"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "description": _description(meeting),
        "url": url,
        "startDate": meeting.start.astimezone(tz).isoformat(),
        "eventStatus": SCHEMA + EVENT_STATUS.get(meeting.status, "EventScheduled"),
        "eventAttendanceMode": SCHEMA
        + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
        "location": _location(meeting, index, url),
        "organizer": {"@type": "Organization", "name": meeting.convener},
        "inLanguage": "zh-CN",
    }
    if meeting.end:
        data["endDate"] = meeting.end.astimezone(tz).isoformat()
    if meeting.tags:
        data["keywords"] = ",".join(meeting.tags)
    return data


def script_json(data: dict[str, Any]) -> Markup:
    """JSON for inside ``<script type="application/ld+json">``: nothing in it can end the
    element or open a comment there (``</`` → ``<\\/``, ``<!--`` → ``\\u003c!--``)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("</", "<\\/").replace("<!--", "\\u003c!--"))
