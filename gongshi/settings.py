"""Gongshi's settings: ``GONGSHI_*`` keys in ``pelicanconf.py``, with defaults, validated.

Also the Pelican settings Gongshi must own (its typed folders, its feeds, a strict Jinja), which
the plugin imposes whatever the configuration says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import StrictUndefined

from .codes import Codes
from .errors import ConfigError
from .suggest import closest
from .walk import NEVER_PUBLISHED

DEFAULTS: dict[str, Any] = {
    "GONGSHI_TIMEZONE": "Asia/Shanghai",
    "GONGSHI_NOW": None,  # None: the build's own time; else "YYYY-MM-DD HH:MM" or a datetime
    "GONGSHI_CODES": {},  # {code list: {code: label}} to relabel or extend code lists
    "GONGSHI_PAGE_SIZE": 30,  # items per page of a list
    "GONGSHI_HOME_ITEMS": 5,  # items per section of the home page
    "GONGSHI_PUBLISHER": "",  # who publishes the portal, shown in the footer
    "GONGSHI_CONTACT": "",  # how residents reach the publisher, shown in the footer
    "GONGSHI_SAMPLE_NOTICE": "",  # if set: says on every page that the content is sample content
    "GONGSHI_FEED_LIMIT": 50,  # entries per feed, newest first
    "GONGSHI_DEFAULT_DURATION": 120,  # minutes: a meeting's length in calendars when it has no end
}

# Pelican settings that would let Pelican read, skip or publish Gongshi's content on its own.
PELICAN_OWNED: dict[str, Any] = {
    "ARTICLE_PATHS": [],
    "PAGE_PATHS": [],
    "DIRECT_TEMPLATES": [],
    "PAGINATED_TEMPLATES": {},
    "TEMPLATE_PAGES": {},
    "STATIC_PATHS": ["files"],
    "IGNORE_FILES": NEVER_PUBLISHED,  # hidden files are reported by `check`, never copied
    "OUTPUT_SOURCES": False,
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "FEED_ATOM": None,
    "FEED_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "CATEGORY_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
    "DELETE_OUTPUT_DIRECTORY": False,  # gongshi build swaps whole trees instead
    "CACHE_CONTENT": False,
}


@dataclass(frozen=True)
class GongshiSettings:
    timezone: ZoneInfo
    now: datetime
    codes: Codes
    page_size: int
    home_items: int
    site_name: str
    site_url: str
    publisher: str
    contact: str
    sample_notice: str
    feed_limit: int
    default_duration: int  # minutes


def parse_now(value: Any, tz: ZoneInfo) -> datetime:
    """The build's "now": a datetime, or text such as ``2025-06-15 10:00`` (local time)."""
    if value is None:
        return datetime.now(tz).replace(microsecond=0)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ConfigError(
            f"GONGSHI_NOW / --now: '{value}' 不是有效时间，应为 YYYY-MM-DD HH:MM"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _check_keys(settings: Mapping[str, Any]) -> None:
    for key in settings:
        if key.startswith("GONGSHI_") and key not in DEFAULTS:
            match = closest(
                key.removeprefix("GONGSHI_"), [k.removeprefix("GONGSHI_") for k in DEFAULTS]
            )
            hint = f"（是否应为 'GONGSHI_{match}'？）" if match else ""
            raise ConfigError(f"未知设置 '{key}'{hint}")


def _positive(settings: Mapping[str, Any], key: str) -> int:
    value = settings[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{key} 应为正整数，实际为 {value!r}")
    return value


def from_pelican(settings: Mapping[str, Any]) -> GongshiSettings:
    """Gongshi's settings from a Pelican settings dict (defaults filled, every key checked)."""
    _check_keys(settings)
    merged = {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}
    try:
        tz = ZoneInfo(merged["GONGSHI_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"GONGSHI_TIMEZONE: 未知时区 '{merged['GONGSHI_TIMEZONE']}'") from exc
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    if not site_url.startswith(("http://", "https://")):
        raise ConfigError(
            "SITEURL 应为网站的完整地址，如 https://gongshi.example.org（站点地图等需要）"
        )
    return GongshiSettings(
        timezone=tz,
        now=parse_now(merged["GONGSHI_NOW"], tz),
        codes=Codes.load(merged["GONGSHI_CODES"]),
        page_size=_positive(merged, "GONGSHI_PAGE_SIZE"),
        home_items=_positive(merged, "GONGSHI_HOME_ITEMS"),
        site_name=str(settings.get("SITENAME") or "议事协商公示"),
        site_url=site_url,
        publisher=str(merged["GONGSHI_PUBLISHER"]),
        contact=str(merged["GONGSHI_CONTACT"]),
        sample_notice=str(merged["GONGSHI_SAMPLE_NOTICE"]),
        feed_limit=_positive(merged, "GONGSHI_FEED_LIMIT"),
        default_duration=_positive(merged, "GONGSHI_DEFAULT_DURATION"),
    )


def impose_on_pelican(settings: dict[str, Any]) -> None:
    """Make Pelican leave Gongshi's content to Gongshi, and render templates strictly."""
    settings.update(PELICAN_OWNED)
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja.update(autoescape=True, undefined=StrictUndefined)
    settings["JINJA_ENVIRONMENT"] = jinja
