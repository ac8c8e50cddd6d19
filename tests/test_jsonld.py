"""schema.org ``Event`` structured data (JSON-LD) on meeting pages."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from conftest import COMPLETE, build_complete

from gongshi.outputs.jsonld import script_json

SITE_URL = "https://yishi.xihu.example.cn"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# Properties schema.org defines for each type used, own and inherited (Thing: name, description,
# url, image, identifier, sameAs, alternateName). Sources: https://schema.org/Event,
# https://schema.org/Place, https://schema.org/PostalAddress, https://schema.org/VirtualLocation,
# https://schema.org/Organization. Anything else is invented vocabulary that readers ignore.
THING = {"@type", "name", "description", "url", "image", "identifier", "sameAs", "alternateName"}
ALLOWED = {
    "Event": THING
    | {"@context", "about", "attendee", "audience", "doorTime", "duration", "endDate"}
    | {"eventAttendanceMode", "eventSchedule", "eventStatus", "inLanguage"}
    | {"isAccessibleForFree", "keywords", "location", "maximumAttendeeCapacity", "organizer"}
    | {"performer", "previousStartDate", "sponsor", "startDate", "subEvent", "superEvent"},
    "Place": THING | {"address", "geo", "hasMap", "keywords", "telephone", "containedInPlace"},
    "PostalAddress": THING
    | {"addressCountry", "addressLocality", "addressRegion", "postalCode", "streetAddress"},
    "VirtualLocation": THING,
    "Organization": THING | {"address", "email", "telephone", "keywords", "parentOrganization"},
}
STATUS = "https://schema.org/Event{}"


def blocks(html: str) -> list[dict]:
    return [json.loads(text) for text in BLOCK.findall(html)]


def event_of(site: Path, meeting_id: str) -> dict:
    html = (site / "meetings" / meeting_id / "index.html").read_text(encoding="utf-8")
    (data,) = blocks(html)
    return data


def check_vocabulary(node: dict, where: str) -> None:
    kind = node["@type"]
    assert kind in ALLOWED, f"{where}: unknown type {kind}"
    assert set(node) <= ALLOWED[kind], f"{where}: not schema.org: {set(node) - ALLOWED[kind]}"
    for key, value in node.items():
        if isinstance(value, dict):
            check_vocabulary(value, f"{where}.{key}")


@pytest.mark.parametrize("site_name", ["complete_site", "bundled_site"])
def test_every_meeting_page_has_one_valid_event(site_name: str, request) -> None:
    site: Path = request.getfixturevalue(site_name)
    pages = sorted((site / "meetings").glob("*/index.html"))
    meeting_pages = [p for p in pages if (p.parent / "event.ics").exists()]
    assert meeting_pages and len(meeting_pages) == len(pages)
    for page in meeting_pages:
        html = page.read_text(encoding="utf-8")
        (data,) = blocks(html)
        check_vocabulary(data, str(page))
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        assert data["inLanguage"] == "zh-CN"
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        assert canonical and data["url"] == canonical.group(1)
        assert datetime.fromisoformat(data["startDate"]).utcoffset() is not None
        assert data["eventStatus"] in {
            STATUS.format(s) for s in ("Scheduled", "Cancelled", "Rescheduled")
        }
        assert data["name"] in html and data["organizer"]["@type"] == "Organization"
    for page in (site / "meetings").glob("index.html"):  # lists carry no events
        assert not blocks(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("meeting", "status"),
    [
        ("2025-06-20-yuquan-parking", "Scheduled"),
        ("2025-06-25-lingshan-road", "Scheduled"),
        ("2025-05-20-tongjianhu-noise", "Scheduled"),  # held: it took place as scheduled
        ("2025-06-10-lingshan-water", "Scheduled"),
        ("2025-06-08-lingyin-garbage", "Rescheduled"),
        ("2025-06-28-tongjianhu-greening", "Cancelled"),
    ],
)
def test_event_status_follows_the_meeting(complete_site: Path, meeting: str, status: str) -> None:
    assert event_of(complete_site, meeting)["eventStatus"] == STATUS.format(status)


def test_a_meeting_in_a_room(complete_site: Path) -> None:
    data = event_of(complete_site, "2025-06-20-yuquan-parking")
    assert data["name"] == "玉泉社区停车难问题议事协商会"
    assert data["url"] == f"{SITE_URL}/meetings/2025-06-20-yuquan-parking/"
    assert data["startDate"] == "2025-06-20T14:30:00+08:00"
    assert data["endDate"] == "2025-06-20T16:00:00+08:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "玉泉社区党群服务中心二楼议事厅",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "玉泉社区",
            "addressRegion": "西湖区",
            "addressCountry": "CN",
        },
    }
    assert data["organizer"] == {"@type": "Organization", "name": "玉泉社区党委"}
    assert data["keywords"] == "停车,公示,消防通道"
    assert "1. 夜间停车位错峰共享方案；2. 消防通道占用整治" in data["description"]


def test_an_online_meeting_has_a_virtual_location(complete_site: Path) -> None:
    data = event_of(complete_site, "2025-06-08-lingyin-garbage")
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "name": "线上会议（会议号在街道公众号公布）",
        "url": f"{SITE_URL}/meetings/2025-06-08-lingyin-garbage/",
    }
    assert data["startDate"] == "2025-06-22T14:00:00+08:00"  # the new time


def test_no_end_is_not_invented(complete_site: Path) -> None:
    data = event_of(complete_site, "2025-06-25-lingshan-road")
    assert data["startDate"] == "2025-06-25T09:30:00+08:00"
    assert "endDate" not in data and "keywords" not in data
    assert data["description"] == "灵山村村道拓宽议事会 协商议题：1. 村道拓宽涉及的占地协调"


def test_the_json_can_never_close_its_script_element() -> None:
    hostile = {"name": "</script><script>alert(1)</script><!-- 议事", "n": "</SCRIPT>"}
    text = str(script_json(hostile))
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == hostile
    assert "议事" in text  # ensure_ascii=False: Chinese stays readable


def test_content_cannot_break_out_of_the_json_ld(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    path = content / "meetings" / "2025-06-25-lingshan-road.md"
    hostile = "</script><script>alert(1)</script>"
    text = path.read_text(encoding="utf-8").replace(
        "title: 灵山村村道拓宽议事会", f"title: 拓宽{hostile}"
    )
    path.write_text(text, encoding="utf-8")
    assert build_complete(tmp_path / "out", content=content) == 0
    html = (tmp_path / "out/meetings/2025-06-25-lingshan-road/index.html").read_text(
        encoding="utf-8"
    )
    # the JSON-LD's own end tag and the theme's scripts (mode.js, copy.js, live.js), nothing else
    theme = re.compile(r'<script src="/theme/js/[\w.-]+\.js"( defer)?></script>')
    assert theme.sub("", html).count("</script>") == 1
    assert '<script src="/theme/js/mode.js"></script>' in html
    assert '<textarea id="share-text"' in html and "拓宽&lt;/script&gt;" in html  # as text
    assert "<script>" not in BLOCK.sub("", html)  # and in the page itself it is escaped text
    (data,) = blocks(html)
    assert data["name"] == f"拓宽{hostile}"
