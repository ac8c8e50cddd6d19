"""Filters the theme uses to show dates and money the way a Chinese reader expects."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from gongshi.outputs.templating import iso, money, zh_date, zh_day

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2025, 6, 10, 14, 30, tzinfo=SHANGHAI), "2025年6月10日 14:30"),
        (datetime(2025, 6, 10, 6, 30, tzinfo=ZoneInfo("UTC")), "2025年6月10日 14:30"),
        (datetime(2025, 12, 31, 17, 5, tzinfo=ZoneInfo("UTC")), "2026年1月1日 01:05"),
        (datetime(2025, 3, 2, 9, 0, tzinfo=SHANGHAI), "2025年3月2日 09:00"),
        (date(2025, 6, 10), "2025年6月10日"),
    ],
)
def test_zh_date_in_the_site_zone(value: date, shown: str) -> None:
    assert zh_date(value, SHANGHAI) == shown


def test_zh_day_names_the_weekday() -> None:
    assert zh_day(date(2025, 6, 10)) == "2025年6月10日（星期二）"
    assert zh_day(datetime(2025, 6, 15, 23, 0, tzinfo=ZoneInfo("UTC")), SHANGHAI) == (
        "2025年6月16日（星期一）"
    )


def test_iso_for_machines() -> None:
    assert iso(datetime(2025, 6, 10, 14, 30, tzinfo=SHANGHAI)) == "2025-06-10T14:30+08:00"
    assert iso(date(2025, 6, 10)) == "2025-06-10"


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        (0, "0元"),
        (3500, "3500元"),
        (3500.5, "3500.5元"),
        (9999.99, "9999.99元"),
        (10000, "1万元"),
        (720000, "72万元"),
        (125000, "12.5万元"),
    ],
)
def test_money_in_yuan_and_wan(yuan: float, shown: str) -> None:
    assert money(yuan) == shown
