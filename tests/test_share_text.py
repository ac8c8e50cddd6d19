"""A meeting's notice as plain text for a WeChat group or an SMS (``outputs/sharetext.py``): what
it says, in which order, and that the meeting page offers exactly that text to copy. The copy
button itself is tested in Chromium (``tests/browser/test_share.py``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import complete_build

from gongshi.content.models import Meeting
from gongshi.outputs.sharetext import share_text

SITE = "https://yishi.xihu.example.cn"


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    build = complete_build()
    meetings = (m for m in build.index.items("meeting") if isinstance(m, Meeting))
    return {m.id: share_text(m, build.index, build.settings) for m in meetings}


def test_an_upcoming_meeting_in_full(texts: dict[str, str]) -> None:
    assert texts["2025-06-20-yuquan-parking"] == (
        "玉泉社区停车难问题议事协商会\n"
        "时间：2025年6月20日（星期五） 14:30–16:00\n"
        "地点：玉泉社区党群服务中心二楼议事厅\n"
        "议题：\n"
        "1. 夜间停车位错峰共享方案\n"
        "2. 消防通道占用整治\n"
        "3. 非机动车停放区域划定\n"
        "申请参加：到社区党群服务中心一楼窗口登记，或拨打12345留言说明（截止 2025年6月18日）\n"
        f"详情：{SITE}/meetings/2025-06-20-yuquan-parking/"
    )


def test_postponed_and_cancelled_say_so_first(texts: dict[str, str]) -> None:
    postponed = texts["2025-06-08-lingyin-garbage"].splitlines()
    assert postponed[0] == "【已延期】灵隐街道垃圾分类投放点调整线上协商会"
    assert postponed[1].startswith("因线上会议平台维护")  # the latest change note
    assert postponed[2] == "时间：2025年6月22日（星期日） 14:00–15:30"  # the new time
    cancelled = texts["2025-06-28-tongjianhu-greening"].splitlines()
    assert cancelled[0] == "【已取消】铜鉴湖社区公共绿地改造议事会"
    assert "本次会议取消" in cancelled[1]
    assert cancelled[2] == "原定时间：2025年6月28日（星期六） 10:00–11:30"
    assert not any(line.startswith("申请参加") for line in cancelled)


def test_every_text_is_short_and_ends_with_the_pages_absolute_link(texts: dict[str, str]) -> None:
    for meeting_id, text in texts.items():
        assert text.splitlines()[-1] == f"详情：{SITE}/meetings/{meeting_id}/"
        assert len(text) <= 400, meeting_id  # a few SMS parts at most
        assert "<" not in text  # plain text


def test_the_meeting_page_offers_the_same_text_to_copy(
    texts: dict[str, str], complete_site: Path, read_page
) -> None:
    for meeting_id, text in texts.items():
        page = read_page(complete_site, f"/meetings/{meeting_id}/")
        box = re.search(r'<textarea id="share-text"[^>]*>(.*?)</textarea>', page, re.S)
        assert box and html.unescape(box.group(1)) == text, meeting_id
        assert 'aria-labelledby="share-title"' in box.group(0) and "readonly" in box.group(0)
        # drawn with the page (site.css hides it only without scripts), never unhidden by copy.js
        assert '<button type="button" class="copy-button" data-copy="share-text" aria-label' in page
        assert '<script src="/theme/js/copy.js" defer></script>' in page
