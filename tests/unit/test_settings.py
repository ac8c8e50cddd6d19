"""Settings (``GONGSHI_*`` keys) and code lists."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from gongshi.content.codes import Codes
from gongshi.errors import ConfigError
from gongshi.settings import DEFAULTS, SETTINGS, check_types, from_pelican
from gongshi.site.load import load_site

from .conftest import SiteFolder

SITEURL = {"SITEURL": "https://example.org"}


def test_defaults_and_a_fixed_now() -> None:
    settings = from_pelican({"SITEURL": "https://example.org/", "GONGSHI_NOW": "2025-06-15 10:00"})

    assert settings.site_url == "https://example.org"
    assert settings.timezone == ZoneInfo("Asia/Shanghai")
    assert settings.now == datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (settings.page_size, settings.home_items) == (30, 5)
    # the public ledger board's rules: a monthly meeting, notice 3 days ahead, 12 months
    board = (settings.board_monthly_minimum, settings.board_notice_days, settings.board_months)
    assert board == (1, 3, 12)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({**SITEURL, "GONGSHI_TIMEZON": "Asia/Shanghai"},
         "未知设置 'GONGSHI_TIMEZON'（是否应为 'GONGSHI_TIMEZONE'？）"),
        ({**SITEURL, "GONGSHI_PAGESIZE": 20}, "未知设置 'GONGSHI_PAGESIZE'（是否应为 'GONGSHI_PAGE_SIZE'？）"),
        ({**SITEURL, "GONGSHI_LOGO": "x.svg"}, "未知设置 'GONGSHI_LOGO'"),  # no false "did you mean"
        ({}, "SITEURL 应为网站的完整地址，如 https://gongshi.example.org（站点地图等需要）"),
        ({"SITEURL": ""}, "SITEURL 应为网站的完整地址，如 https://gongshi.example.org（站点地图等需要）"),
        ({"SITEURL": "gongshi.example.org"},
         "SITEURL 应为网站的完整地址，如 https://gongshi.example.org（站点地图等需要）"),
        ({**SITEURL, "GONGSHI_PAGE_SIZE": 0}, "GONGSHI_PAGE_SIZE 应为正整数，实际为 0"),
        ({**SITEURL, "GONGSHI_HOME_ITEMS": "5"}, "GONGSHI_HOME_ITEMS 应为正整数，实际为文本 '5'"),
        ({**SITEURL, "GONGSHI_NOW": "明天"}, "GONGSHI_NOW / --now: '明天' 不是有效时间，应为 YYYY-MM-DD HH:MM"),
        ({**SITEURL, "GONGSHI_TIMEZONE": "Asia/Beijing"}, "GONGSHI_TIMEZONE: 未知时区 'Asia/Beijing'"),
        ({**SITEURL, "GONGSHI_BOARD_MONTHS": 0}, "GONGSHI_BOARD_MONTHS 应为1–60 的整数，实际为 0"),
        ({**SITEURL, "GONGSHI_BOARD_NOTICE_DAYS": -1},
         "GONGSHI_BOARD_NOTICE_DAYS 应为非负整数，实际为 -1"),
        ({**SITEURL, "GONGSHI_BOARD_MONTHLY_MINIMUM": 0},
         "GONGSHI_BOARD_MONTHLY_MINIMUM 应为正整数，实际为 0"),
    ],
)  # fmt: skip
def test_bad_settings_are_config_errors(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        from_pelican(settings)

    assert str(caught.value) == message
    assert caught.value.exit_code == 2


def test_other_pelican_settings_are_not_ours_to_check() -> None:
    settings = from_pelican({**SITEURL, "SITENAME": "花乡议事", "FEED_DOMAIN": "x", "THEME": "t"})

    assert settings.site_name == "花乡议事"


# -- code lists -----------------------------------------------------------------------------------


def test_an_extensible_list_takes_new_codes_and_a_fixed_one_new_labels() -> None:
    codes = Codes.load(
        {"project_category": {"culture": "文化"}, "outcome_route": {"pool": "项目池"}}
    )

    assert codes["project_category"].codes()[-2:] == ["safety", "culture"]
    assert codes.label("project_category", "culture") == "文化"
    assert codes.label("outcome_route", "pool") == "项目池"
    assert codes["outcome_route"].codes() == [
        "onsite", "assembly", "referred", "whistle", "pool", "declined"
    ]  # fmt: skip


def test_a_fixed_list_takes_no_new_codes() -> None:
    with pytest.raises(ConfigError) as caught:
        Codes.load({"outcome_route": {"pool": "项目池", "hotline": "热线", "mail": "信件"}})

    assert (
        str(caught.value)
        == "GONGSHI_CODES: 代码表 'outcome_route' 只能改标签，不能增加代码：hotline、mail"
    )


def test_an_unknown_code_list() -> None:
    with pytest.raises(ConfigError) as caught:
        Codes.load({"project_categories": {"culture": "文化"}})

    assert str(caught.value) == (
        "GONGSHI_CODES: 未知的代码表 'project_categories'，可用：item_type、meeting_format、"
        "participant_role、meeting_status、meeting_state、meeting_flag、outcome_route、outcome_status、"
        "outcome_flag、"
        "project_status、project_category、case_mechanism、jurisdiction_kind、community_kind"
    )


def test_a_code_added_by_a_deployment_is_valid_content(site: SiteFolder) -> None:
    extended = from_pelican(
        {**SITEURL, "GONGSHI_CODES": {"meeting_format": {"hybrid": "线上线下结合"}}}
    )
    site.meeting(format="hybrid")

    (meeting,) = load_site(site.content, extended).items("meeting")

    assert meeting.format == "hybrid"
    assert extended.codes.label("meeting_format", "hybrid") == "线上线下结合"


def test_every_setting_is_declared_once_and_documented() -> None:
    architecture = (Path(__file__).parents[2] / "docs" / "architecture.md").read_text("utf-8")

    assert list(DEFAULTS) == [s.name for s in SETTINGS]
    for setting in SETTINGS:
        assert f"| `{setting.name}` | `{setting.default!r}` |".replace("'", '"') in architecture
        assert setting.doc and setting.expected
        check_types({setting.name: setting.default})  # every default is a valid value
