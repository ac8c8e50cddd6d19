"""Slips of a Chinese keyboard: each found on the line the editor must change, never a traceback.

The exact message of every slip is held by ``tests/sites/invalid_slips/expected.txt``; these
tests hold the readings behind them (dates, place names), that valid YAML is not mistaken for a
slip, and the property that any slip put on any line is reported on that line.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongshi.content import datehints, slips
from gongshi.errors import ContentError
from gongshi.site.load import load_site

from .conftest import PLACES_YAML, SETTINGS, SiteFolder


@pytest.mark.parametrize(
    ("raw", "time", "expected"),
    [
        ("2026/11/30", "either", "：请写成 2026-11-30"),
        ("2026.11.30", "no", "：请写成 2026-11-30"),
        ("2026-11-30", "no", ""),  # nothing to say: the kind's own message stands
        ("２０２６／１１／３０", "no", "：请写成 2026-11-30"),  # full-width digits
        ("2026年12月15日", "either", "：请写成 2026-12-15"),
        ("2026年12月15号", "no", "：请写成 2026-12-15"),
        ("2026年12月15日 14:00", "yes", "：请写成 2026-12-15 14:00"),
        ("2026/12/15 9:05", "yes", "：请写成 2026-12-15 09:05"),
        ("2026年12月15日下午2点", "yes", "：请写成 2026-12-15 14:00"),
        ("2026年12月15日 下午两点半", "yes", "：请写成 2026-12-15 14:30"),
        ("2026年12月15日 上午十点一刻", "yes", "：请写成 2026-12-15 10:15"),
        ("2026年12月15日 晚上7点30分", "yes", "：请写成 2026-12-15 19:30"),
        ("2026年12月15日 中午12点", "yes", "：请写成 2026-12-15 12:00"),
        ("2026年12月15日14时", "yes", "：请写成 2026-12-15 14:00"),
        (
            "12月15日 下午2点",
            "yes",
            "：没有写年份，按 2025 年应写成 2025-12-15 14:00（请核对年份）",
        ),
        ("12月15日", "no", "：没有写年份，按 2025 年应写成 2025-12-15（请核对年份）"),
        ("2026年12月15日", "yes", "：请写成 2026-12-15 HH:MM（请把 HH:MM 换成开始的时刻）"),
        ("2026年12月15日 下午2点", "no", "：请写成 2026-12-15"),
        ("下月底", "either", ""),
        ("2026年13月15日", "no", ""),
        ("2026年12月15日 下午25点", "yes", ""),
        ("12月15日 看情况", "yes", ""),
        ("2026年12月15日（周二）下午2点", "yes", "：请写成 2026-12-15 14:00"),
        ("2026年12月15日 星期二 14:30", "yes", "：请写成 2026-12-15 14:30"),
        ("2026-12-15 2:00 PM", "yes", "：请写成 2026-12-15 14:00"),
        ("2026/12/15 12:30am", "yes", "：请写成 2026-12-15 00:30"),
        ("2026-12-15 下午2点", "yes", "：请写成 2026-12-15 14:00"),
        ("2026.12.15 14：00", "yes", "：请写成 2026-12-15 14:00"),
    ],
)
def test_a_date_written_another_way_is_told_its_iso_form(
    raw: str, time: str, expected: str
) -> None:
    assert datehints.hint(raw, 2025, time=time) == expected


def test_a_date_without_a_year_takes_the_year_of_the_items_date(site: SiteFolder) -> None:
    path = site.meeting(date="2024-12-01", start="12月15日 下午2点")

    assert site.problems() == [
        f"{path}:5: error: start: 应为日期时间，格式 YYYY-MM-DD HH:MM（如 2024-03-12 14:30，默认北京时间），"
        "实际为 '12月15日 下午2点'：没有写年份，按 2024 年应写成 2024-12-15 14:00（请核对年份） "
        "[field.date]"
    ]


@pytest.mark.parametrize(
    ("written", "place_id", "name"),
    [("郭北社区", "guobei", "郭北社区"), ("郭北", "guobei", "郭北社区"), ("花乡", "huaxiang", "花乡街道"),
     ("张郭庄", "zhangguozhuang", "张郭庄村"), ("郭园社区居委会", "guoyuan", "郭园社区")],
)  # fmt: skip
def test_a_place_written_by_its_chinese_name_is_told_its_id(
    site: SiteFolder, written: str, place_id: str, name: str
) -> None:
    path = site.case(places=written)

    assert site.problems() == [
        f"{path}:4: error: places: 地点要写 places.yaml 中的 id，不写中文名称：'{written}' 是"
        f"“{name}”，您是不是要写 `{place_id}`？ [place.name]"
    ]


def test_a_name_like_no_place_keeps_the_id_message(site: SiteFolder) -> None:
    path = site.case(places="海淀区")

    assert site.problems() == [
        f"{path}:4: error: places: 应为 place 的 id（小写字母、数字和 -），实际为 '海淀区' [field.type]"
    ]


VALID = [
    # a full-width colon inside text, and a title in 【】
    "title: 【通知】会议时间：下午两点\nsummary: 议程：一、停车；二、电梯\n",
    # block scalars hold anything, even a line that looks like a slip
    "summary: |\n  note：这里不是字段\n  *强调* 与 @提及\ntitle: x\n",
    "summary: >-\n  第一段\n    - 不是列表项\ntitle: x\n",
    # a list of mappings with a nested list: the item after it is less indented, and right
    "milestones:\n  - date: 2025-01-01\n    tags:\n      - a\n  - date: 2025-02-01\n",
    # quoted values may start with anything
    'summary: "*紧急*"\ntags: [\'@居民\', "&"]\n',
    # a URL, a time, a flow list whose items are separated by half-width commas
    "source: https://example.org/a:b\nstart: 2025-06-20 14:30\ntopics: [停车，限时, 电梯]\n",
    "topics:\n  - 停车\n  -  电梯\n",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_yaml_is_not_a_slip(text: str) -> None:
    assert slips.scan(text) == []


# -- any slip on any line is reported on that line -------------------------------------------

BASE = [
    "---",
    "title: 郭北社区停车难问题议事协商会",
    "date: 2025-06-10",
    "places: guobei",
    "summary: 围绕夜间停车难问题召开议事协商会。",
    "start: 2025-06-20 14:30",
    "location: 郭北社区议事厅",
    "convener: 郭北社区居委会",
    "topics:",
    "  - 夜间停车位错峰共享方案",
    "  - 消防通道占用整治",
    "attend:",
    "  how: 到社区登记",
    "  deadline: 2025-06-18",
    "status: scheduled",
    "---",
    "正文。",
]
KEY_LINES = [i for i, line in enumerate(BASE) if ": " in line and i < 15]
ITEM_LINES = [i for i, line in enumerate(BASE) if line.startswith("  - ")]
DATE_LINES = {2: False, 5: True, 13: False}  # line index -> the field wants a time


def _date_slip(line: str, wants_time: bool, style: int) -> str:
    key, value = line.split(": ", 1)
    y, m, d = value[:10].split("-")
    clock = " 下午2点" if wants_time else ""
    written = [
        f"{y}/{m}/{d}",
        f"{y}.{m}.{d}",
        f"{y}年{int(m)}月{int(d)}日",
        f"{int(m)}月{int(d)}日",
    ]
    return f"{key}: {written[style]}{clock}"


SLIPS = {
    "fullwidth colon": lambda line: line.replace(": ", "：", 1),
    "no space": lambda line: line.replace(": ", ":", 1),
    "indicator": lambda line: line.replace(": ", ": @", 1),
    "star": lambda line: line.replace(": ", ": *重点*", 1),
    "tab": lambda line: "\t" + line.lstrip(" "),
    "fullwidth space": lambda line: "\u3000" + line.lstrip(" "),
}


def _problems(text: str) -> list[tuple[int, str]]:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "meetings").mkdir(parents=True)
        (content / "places.yaml").write_text(PLACES_YAML, encoding="utf-8")
        (content / "meetings" / "2025-06-20-guobei-parking.md").write_text(text, encoding="utf-8")
        try:
            load_site(content, SETTINGS)
        except ContentError as error:
            return [(p.line, p.severity) for p in error.problems]
    return []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.data(),
    st.sampled_from(["key", "item", "date"]),
)
def test_a_slip_on_any_line_is_an_error_on_that_line(data: st.DataObject, where: str) -> None:
    lines = list(BASE)
    if where == "date":
        index = data.draw(st.sampled_from(sorted(DATE_LINES)))
        style = data.draw(st.integers(0, 3))
        lines[index] = _date_slip(lines[index], DATE_LINES[index], style)
    elif where == "item":
        slip = data.draw(st.sampled_from(["fold", "indicator", "tab"]))
        # a fold is the lower of two items indented more: YAML joins it to the one above
        index = ITEM_LINES[1] if slip == "fold" else data.draw(st.sampled_from(ITEM_LINES))
        item = lines[index].removeprefix("  - ")
        written = {"fold": f"   - {item}", "indicator": f"  - `{item}", "tab": f"\t- {item}"}
        lines[index] = written[slip]
    else:
        index = data.draw(st.sampled_from(KEY_LINES))
        slip = data.draw(st.sampled_from(sorted(SLIPS)))
        if slip in ("tab", "fullwidth space") and not lines[index].startswith(" "):
            slip = "fullwidth colon"
        lines[index] = SLIPS[slip](lines[index])

    problems = _problems("\n".join(lines) + "\n")

    assert (index + 1, "error") in problems, (lines[index], problems)


def test_the_editor_guide_quotes_the_messages_exactly() -> None:
    root = Path(__file__).resolve().parents[2]
    expected = (root / "tests/sites/invalid_slips/expected.txt").read_text(encoding="utf-8")
    printed = {
        re.sub(r"^tests/sites/invalid_slips/content/meetings/2026-12-15-[a-z-]+\.md:", "", line)
        for line in expected.splitlines()
    }
    guide = (root / "docs/editor-guide.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^content/meetings/2026-12-15-dongyuan\.md:(.*)$", guide, re.MULTILINE)

    assert len(quoted) >= 20
    assert [line for line in quoted if line not in printed] == []


def test_a_slip_in_places_yaml_is_found_there_too(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("  name: 花乡街道", "  name：花乡街道"))

    assert site.problems() == [
        "content/places.yaml:2: error: name: 字段名后用了全角冒号“：”：YAML 只认半角冒号加空格，"
        "请改为 name: 花乡街道 [yaml.fullwidth]"
    ]
