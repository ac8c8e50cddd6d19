"""Gongshi's settings: ``GONGSHI_*`` keys in ``pelicanconf.py``, with defaults, validated.

Also the Pelican settings Gongshi must own (its typed folders, its feeds, a strict Jinja), which
the plugin imposes whatever the configuration says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import StrictUndefined

from .content.codes import Codes
from .content.models import ITEM_TYPES
from .content.privacy import check_settings
from .content.walk import NEVER_PUBLISHED
from .errors import ConfigError
from .outputs.search import synonyms
from .suggest import closest


@dataclass(frozen=True)
class Setting:
    """One ``GONGSHI_*`` setting, declared once: its type, default and meaning.

    ``types`` is checked first, then ``rule`` (a finer condition such as "positive"); a value that
    fails either is a :class:`ConfigError` saying ``expected``, in the editor's words.
    """

    name: str
    types: tuple[type, ...]
    default: Any
    expected: str  # what a valid value is, in Chinese ("正整数", "文本（时区名……）")
    doc: str  # what the setting does, in Chinese
    rule: Callable[[Any], bool] | None = None


def _positive(value: Any) -> bool:
    return bool(value >= 1)


def _not_negative(value: Any) -> bool:
    return bool(value >= 0)


def _months(value: Any) -> bool:
    return bool(1 <= value <= 60)


def _code_table(value: Any) -> bool:
    return all(
        isinstance(name, str)
        and isinstance(codes, dict)
        and all(isinstance(c, str) and isinstance(label, str) for c, label in codes.items())
        for name, codes in value.items()
    )


_TEXT = (str,)
_COUNT = (int,)
SETTINGS: tuple[Setting, ...] = (
    Setting("GONGSHI_TIMEZONE", _TEXT, "Asia/Shanghai", "文本（时区名，如 'Asia/Shanghai'）",
            "未写时区的时间按此时区理解，页面上的时间也按此时区显示"),
    Setting("GONGSHI_NOW", (type(None), str, datetime), None,
            "空值 None、文本 'YYYY-MM-DD HH:MM' 或 datetime",
            "构建的“现在”：None 为实际时间；决定即将召开、已逾期（--now 优先）"),
    Setting("GONGSHI_CODES", (dict,), {}, "字典，形如 {'代码表': {'代码': '标签'}}",
            "改写代码的标签，或向可扩展的代码表增加代码；也可为已登记的内容类型写名称、"
            "为只有它使用的代码表写代码", _code_table),
    Setting("GONGSHI_PAGE_SIZE", _COUNT, 30, "正整数", "列表每页的条目数", _positive),
    Setting("GONGSHI_HOME_ITEMS", _COUNT, 5, "正整数", "首页每个栏目的条目数", _positive),
    Setting("GONGSHI_PUBLISHER", _TEXT, "", "文本", "网站的发布单位，显示在页脚"),
    Setting("GONGSHI_CONTACT", _TEXT, "", "文本", "居民联系发布单位的方式，显示在页脚"),
    Setting("GONGSHI_SAMPLE_NOTICE", _TEXT, "", "文本",
            "非空时，每页都注明内容为示例（演示站点用）"),
    Setting("GONGSHI_FEED_LIMIT", _COUNT, 50, "正整数", "每个订阅源的条目数（最新的在前）",
            _positive),
    Setting("GONGSHI_DEFAULT_DURATION", _COUNT, 120, "正整数",
            "未写结束时间的会议在日历中的时长（分钟）", _positive),
    Setting("GONGSHI_STRICT", (bool,), False, "真假值 True / False",
            "True：内容检查的警告也使 check 和 build 失败（--strict 相同）"),
    Setting("GONGSHI_BOARD_MONTHLY_MINIMUM", _COUNT, 1, "正整数",
            "公开台账：每个社区、村每月至少召开的议事协商会场数（如“每月至少召开1次”）",
            _positive),
    Setting("GONGSHI_BOARD_NOTICE_DAYS", _COUNT, 3, "非负整数",
            "公开台账：会议公示（date）至少提前开会（start）的天数，不足即为“公示不足”。"
            "默认 3 天：居民看到公示后有时间安排、申请参加，月度例会也容易做到",
            _not_negative),
    Setting("GONGSHI_BOARD_MONTHS", _COUNT, 12, "1–60 的整数",
            "公开台账统计的月数：截至生成时间所在月份（含）的最近若干个自然月", _months),
    Setting("GONGSHI_SEARCH_SYNONYMS", _TEXT, "", "文本（文件路径，相对设置文件所在的文件夹）",
            "搜索同义词文件：在默认同义词（噪音/噪声、暖气/供暖……）之外增加本地居民的说法；"
            "空为只用默认（见编辑指南“搜索同义词”）"),
)  # fmt: skip
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}

# Pelican settings Gongshi reads itself, and the type each must have before Pelican sees it
# (Pelican crashes with an AttributeError on ``SITEURL = 5``).
_FOLDER = (str, PurePath)
PELICAN_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "SITEURL": (_TEXT, "文本（网站地址）"),
    "SITENAME": (_TEXT, "文本"),
    "PATH": (_FOLDER, "文本（文件夹路径）"),
    "OUTPUT_PATH": (_FOLDER, "文本（文件夹路径）"),
    "THEME": (_FOLDER, "文本（主题文件夹路径）"),
    "THEME_STATIC_DIR": (_TEXT, "文本"),
    "TIMEZONE": (_TEXT, "文本（时区名）"),
}

_KINDS: dict[type, str] = {
    str: "文本",
    int: "整数",
    float: "小数",
    bool: "真假值",
    list: "列表",
    tuple: "元组",
    dict: "字典",
    set: "集合",
    type(None): "空值",
    datetime: "日期时间",
}


def describe(value: Any) -> str:
    """A value as an editor can recognise it: its kind in Chinese, then its Python spelling."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{_KINDS.get(type(value), type(value).__name__)} {shown}"


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    # True and False are ints to Python, never a count to an editor
    return isinstance(value, types) and not (isinstance(value, bool) and bool not in types)


def check_types(settings: Mapping[str, Any]) -> None:
    """Every known ``GONGSHI_*`` (and Pelican) setting has the declared type, else ConfigError."""
    for name, value in settings.items():
        declared = BY_NAME.get(name)
        if declared is not None:
            if not _has_type(value, declared.types):
                raise ConfigError(f"{name} 应为{declared.expected}，实际为{describe(value)}")
            if declared.rule is not None and not declared.rule(value):
                raise ConfigError(f"{name} 应为{declared.expected}，实际为 {value!r}")
        elif name in PELICAN_TYPES:
            types, expected = PELICAN_TYPES[name]
            if not _has_type(value, types):
                raise ConfigError(f"{name} 应为{expected}，实际为{describe(value)}")


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
    strict: bool = False  # warnings fail check and build too
    board_monthly_minimum: int = 1  # the public ledger board's rules (gongshi.site.board.Rules)
    board_notice_days: int = 3
    board_months: int = 12
    search_synonyms: tuple[tuple[str, ...], ...] = ()  # outputs/search/synonyms.py


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


def from_pelican(settings: Mapping[str, Any]) -> GongshiSettings:
    """Gongshi's settings from a Pelican settings dict (defaults filled, every key checked)."""
    _check_keys(settings)
    check_types(settings)
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
    check_settings(settings)  # text shown on every page: no personal numbers
    ITEM_TYPES.check()
    return GongshiSettings(
        timezone=tz,
        now=parse_now(merged["GONGSHI_NOW"], tz),
        codes=Codes.load(merged["GONGSHI_CODES"], ITEM_TYPES.wanted()),
        page_size=merged["GONGSHI_PAGE_SIZE"],
        home_items=merged["GONGSHI_HOME_ITEMS"],
        site_name=str(settings.get("SITENAME") or "议事协商公示"),
        site_url=site_url,
        publisher=str(merged["GONGSHI_PUBLISHER"]),
        contact=str(merged["GONGSHI_CONTACT"]),
        sample_notice=str(merged["GONGSHI_SAMPLE_NOTICE"]),
        feed_limit=merged["GONGSHI_FEED_LIMIT"],
        default_duration=merged["GONGSHI_DEFAULT_DURATION"],
        strict=merged["GONGSHI_STRICT"],
        board_monthly_minimum=merged["GONGSHI_BOARD_MONTHLY_MINIMUM"],
        board_notice_days=merged["GONGSHI_BOARD_NOTICE_DAYS"],
        board_months=merged["GONGSHI_BOARD_MONTHS"],
        search_synonyms=tuple(
            tuple(group) for group in synonyms.load(merged["GONGSHI_SEARCH_SYNONYMS"])
        ),
    )


def impose_on_pelican(settings: dict[str, Any]) -> None:
    """Make Pelican leave Gongshi's content to Gongshi, and render templates strictly."""
    settings.update(PELICAN_OWNED)
    jinja = dict(settings.get("JINJA_ENVIRONMENT") or {})
    # auto_reload off: Jinja would otherwise stat each template's file on every get_template
    # (5 % of a build's time); every build, and every rebuild of `gongshi serve`, makes its own
    # environment, so a template edited between two builds is read afresh all the same
    jinja.update(autoescape=True, undefined=StrictUndefined, auto_reload=False)
    settings["JINJA_ENVIRONMENT"] = jinja
