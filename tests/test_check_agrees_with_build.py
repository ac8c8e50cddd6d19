"""`check` passing means `build` succeeds: what once passed `check` and then crashed `build`
(a control character, a line break in a one-line field) is a problem at both, and what `check`
lets through — multi-line prose, odd but harmless characters — builds and parses.

Each case edits a copy of the complete site's content.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import icalendar
import pytest
from conftest import COMPLETE, COMPLETE_NOW, build_complete, complete_build, run_cli

from gongshi.content.loader import load_content
from gongshi.site.body_links import _files, _published
from gongshi.site.urls import save_as

MEETING = "meetings/2025-06-20-yuquan-parking.md"
DECLINED = "outcomes/2025-05-20-noise-declined.md"
PROJECT = "projects/yuquan-elevator.md"
TITLE = "title: 玉泉社区停车难问题议事协商会"


def _copy(tmp_path: Path, edits: dict[str, Callable[[str], str]]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    for relative, edit in edits.items():
        path = content / relative
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return content


def _check(content: Path) -> tuple[int, str]:
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "check", "--content", str(content)
    )
    return code, err


# Each of these passed `check` and crashed `build` (a ValueError from lxml, an AssertionError
# from icalendar) before control characters and one-line fields were checked.
CRASHES = {
    "title as a block": (lambda t: t.replace(TITLE, "title: |\n  玉泉社区\n  停车议事会"),
                         ":2: error: title: 只能写一行"),
    "bell in the body": (lambda t: t + "\n响铃\x07。\n", ":36: error: 正文: 含有控制字符 U+0007"),
    "escaped bell in a title": (lambda t: t.replace(TITLE, 'title: "玉泉\\a社区"'),
                                ":2: error: title: 含有控制字符 U+0007"),
    "nul in a change note": (
        lambda t: t.replace("status: scheduled",
                            'status: scheduled\nchanges: [{date: 2025-06-12, note: "改\\0期"}]'),
        ":31: error: changes[1].note: 含有控制字符 U+0000"),
    "bell as a character reference": (lambda t: t + "\n响铃&#7;。\n",
                                      ":36: error: 正文: 字符引用 &#7; 表示控制字符 U+0007"),
}  # fmt: skip


@pytest.mark.parametrize("case", CRASHES, ids=str)
def test_what_crashed_the_build_is_a_problem_at_check_and_at_build(
    tmp_path: Path, case: str
) -> None:
    edit, expected = CRASHES[case]
    content = _copy(tmp_path, {MEETING: edit})
    output = tmp_path / "output"

    check, check_err = _check(content)
    build = build_complete(output, content=content)

    assert (check, build) == (1, 1)
    assert f"{MEETING}{expected}" in check_err
    assert "Traceback" not in check_err
    assert not output.exists()


MULTILINE = {
    MEETING: lambda t: (
        t.replace("summary: 围绕", "summary: |\n  第一段\t说明。\n  第二段：围绕")
        .replace("到社区党群服务中心一楼窗口登记，或拨打12345留言说明", '"到窗口登记\\n或拨打12345"')
        .replace("status: scheduled",
                 'status: scheduled\nchanges: [{date: 2025-06-12, note: "地点变更。\\n改到\\u2028二楼。"}]')
        .replace("location: 玉泉", "location: 玉泉\u00a0\u3000\u200b🏠 <script>x</script>")
        + "\n正文\t含制表符和\u2028行分隔符、\u202e方向符。\n"
    ),
    DECLINED: lambda t: t.replace("reason: 该工程", "reason: |\n  第一条理由。\n  该工程")
    .replace("status: closed", "status: closed\nfeedback: |\n  已向居民反馈。\n  居民表示理解。")
    .replace("decision: 个别", "decision: >\n  个别"),
    PROJECT: lambda t: t.replace("text: 开工,", 'text: "开工。\\n第二行",'),
}  # fmt: skip


def test_multiline_prose_and_odd_characters_build_into_valid_feeds_and_calendars(
    tmp_path: Path,
) -> None:
    content = _copy(tmp_path, MULTILINE)
    output = tmp_path / "output"

    check, check_err = _check(content)
    build = build_complete(output, content=content, now=COMPLETE_NOW)

    assert (check, build) == (0, 0), check_err
    event = icalendar.Calendar.from_ical(
        (output / "meetings/2025-06-20-yuquan-parking/event.ics").read_bytes()
    )
    (vevent,) = event.walk("VEVENT")
    assert "第一段\t说明。\n第二段" in str(vevent["DESCRIPTION"])
    assert "变更说明：\n2025年6月12日：地点变更。\n改到\u2028二楼。" in str(vevent["DESCRIPTION"])
    for feed in sorted((output / "feeds").glob("*.xml")):
        assert not feedparser.parse(feed.read_bytes()).bozo, feed


def test_nothing_hidden_or_linked_in_files_is_published(tmp_path: Path) -> None:
    content = _copy(tmp_path, {})
    for litter in (".DS_Store", ".gitkeep", "plan.pdf~", ".~lock.plan.docx#"):
        (content / "files" / litter).write_text("x", encoding="utf-8")
    output = tmp_path / "output"

    assert build_complete(output, content=content) == 0
    assert sorted(p.name for p in (output / "files").iterdir()) == ["elevator-site.png"]

    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "passwd").write_text("root:x", encoding="utf-8")
    (content / "files" / "passwd").symlink_to(tmp_path / "outside" / "passwd")
    (content / "files" / ".env").write_text("SECRET=1", encoding="utf-8")
    check, check_err = _check(content)

    assert build_complete(tmp_path / "again", content=content) == 1
    assert check == 1
    assert "content/files/passwd:1: error: 文件: 'passwd' 是符号链接" in check_err
    assert "content/files/.env:1: error: 文件: '.env' 是隐藏文件" in check_err
    assert not (tmp_path / "again").exists()


SLIPS_AND_LINKS = {
    "full-width colon": (lambda t: t.replace("convener: 玉泉", "convener：玉泉"),
                         ":10: error: convener: 字段名后用了全角冒号"),
    "folded list item": (lambda t: t.replace("topics: [夜间停车位错峰共享方案, 消防通道占用整治, 非机动车停放区域划定]",
                                             "topics:\n  - 夜间停车位错峰共享方案\n   - 消防通道占用整治"),
                         ":16: error: topics: 这一项的“-”比上一项（第 15 行）多缩进了 1 格"),
    "broken body link": (lambda t: t + "\n详见[结果](/outcomes/2025-05-20-noise-onsit/)。\n",
                         ":36: error: 正文: 正文中的链接 '/outcomes/2025-05-20-noise-onsit/' 指向的地址不存在"),
}  # fmt: skip


@pytest.mark.parametrize("case", SLIPS_AND_LINKS, ids=str)
def test_a_slip_or_a_broken_link_fails_check_and_build_alike(tmp_path: Path, case: str) -> None:
    edit, expected = SLIPS_AND_LINKS[case]
    content = _copy(tmp_path, {MEETING: edit})
    output = tmp_path / "output"

    check, check_err = _check(content)
    build = build_complete(output, content=content)

    assert (check, build) == (1, 1)
    assert f"{MEETING}{expected}" in check_err
    assert not output.exists()


def test_every_address_a_body_may_link_to_is_written_by_the_build(complete_site: Path) -> None:
    settings = complete_build().settings
    loaded = load_content(COMPLETE / "content", settings.codes, settings.timezone)
    paths = _published(loaded, settings) | _files(COMPLETE / "content")
    # how many pages a list has depends on "now" (past meetings only): at most one per
    # page_size published items is accepted
    lists = {p for p in paths if "/page/" in p}
    built_lists = {
        "/" + page.parent.relative_to(complete_site).as_posix() + "/"
        for page in complete_site.glob("*/page/*/index.html")
    }

    assert len(paths) > 100
    assert sorted(p for p in paths - lists if not (complete_site / save_as(p)).is_file()) == []
    assert built_lists and built_lists <= lists
