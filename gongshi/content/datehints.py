"""Dates as people write them in Chinese, read back into the ISO form a field wants.

``2026/11/30``, ``2026.11.30``, ``2026年12月15日``, ``12月15日 下午2点``, ``12月15日下午两点半``:
each is understood here only to tell the editor the exact text to write instead
(``2026-12-15 14:00``); the field kinds still accept ISO dates only, so that every file says the
same thing the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
DIGITS |= {"七": 7, "八": 8, "九": 9}
NUMBER = r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
DAY = re.compile(
    r"^(?:(?P<year>\d{4})\s*[年/.\-]\s*)?(?P<month>\d{1,2})\s*[月/.\-]\s*(?P<day>\d{1,2})\s*[日号]?"
    r"(?:\s*[(（]?\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]?)?"  # the weekday, often added
)
TIME = re.compile(
    rf"^[\sT]*(?P<part>上午|下午|晚上|中午|早上|凌晨|傍晚)?\s*(?P<hour>{NUMBER})\s*"
    rf"(?:(?P<colon>[:：])\s*(?P<minute>\d{{2}})|[点点时]\s*(?:(?P<half>半)|(?P<quarter>一刻)"
    rf"|(?P<cn_minute>{NUMBER})\s*分?)?)\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*$"
)
AFTERNOON = {"下午", "晚上", "傍晚"}


@dataclass(frozen=True)
class Reading:
    """What a date-ish spelling says: the ISO text, and whether its year was guessed."""

    iso: str
    guessed_year: bool
    has_time: bool


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = DIGITS.get(tens, -1) if tens else 1
        low = DIGITS.get(ones, -1) if ones else 0
        return None if high < 0 or low < 0 else high * 10 + low
    return DIGITS.get(text) if len(text) == 1 else None


def _time(rest: str) -> tuple[int, int] | None:
    match = TIME.match(rest)
    if match is None:
        return None
    hour = _number(match.group("hour"))
    if match.group("colon"):
        minute: int | None = int(match.group("minute"))
    elif match.group("half"):
        minute = 30
    elif match.group("quarter"):
        minute = 15
    elif match.group("cn_minute"):
        minute = _number(match.group("cn_minute"))
    else:
        minute = 0
    if hour is None or minute is None:
        return None
    part = match.group("part")
    pm = (match.group("ampm") or "").lower().startswith("p")
    if ((part in AFTERNOON or pm) and hour < 12) or (part == "中午" and hour < 11):
        hour += 12
    if (match.group("ampm") or "").lower().startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def read(raw: str, year: int) -> Reading | None:
    """The ISO form of a date (and time) written another way, the year taken from ``year``
    when missing; None when ``raw`` is not a date one can read with confidence."""
    text = unicodedata.normalize("NFKC", raw).strip()
    match = DAY.match(text)
    if match is None:
        return None
    month, day = int(match.group("month")), int(match.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    written_year = match.group("year")
    iso = f"{int(written_year) if written_year else year:04d}-{month:02d}-{day:02d}"
    rest = text[match.end() :]
    if not rest.strip():
        return Reading(iso, written_year is None, False)
    clock = _time(rest)
    if clock is None:
        return None
    return Reading(f"{iso} {clock[0]:02d}:{clock[1]:02d}", written_year is None, True)


def hint(raw: str, year: int, *, time: str) -> str:
    """The message tail for a date field (``time``: "no", "yes" or "either"): what to write
    instead of ``raw``, or nothing when ``raw`` cannot be read as a date."""
    reading = read(raw, year)
    if reading is None:
        return ""
    iso = reading.iso
    if time == "no":
        iso = iso[:10]
    elif time == "yes" and not reading.has_time:
        iso += " HH:MM"
    if iso == raw.strip():
        return ""
    if reading.guessed_year:
        return f"：没有写年份，按 {iso[:4]} 年应写成 {iso}（请核对年份）"
    tail = "（请把 HH:MM 换成开始的时刻）" if iso.endswith("HH:MM") else ""
    return f"：请写成 {iso}{tail}"
