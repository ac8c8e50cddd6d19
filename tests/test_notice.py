"""The printable A4 notice (公示) of every published meeting, read from the built HTML.

The browser half (one A4 page in print, the QR code scans, the 打印 button) is
``tests/browser/test_notice.py``; it shares :func:`published_meetings` and :data:`SITES`.
"""

from __future__ import annotations

import io
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
import zxingcpp
from conftest import COMPLETE, ROOT
from PIL import Image

from gongshi.outputs.qr import MASK, qr_code, qr_svg

# each site's folder (its pelicanconf.py and content/) and the fixture that builds it
SITES = {"bundled": (ROOT, "bundled_site"), "complete": (COMPLETE, "complete_site")}


def site_url(site: str) -> str:
    """The site's absolute URL, as its own settings give it."""
    url: str = runpy.run_path(str(SITES[site][0] / "pelicanconf.py"))["SITEURL"]
    return url.rstrip("/")


def published_meetings(site: str) -> dict[str, dict[str, Any]]:
    """Every published meeting's front matter by id, read straight from the content files."""
    meetings = {}
    for path in sorted((SITES[site][0] / "content" / "meetings").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].strip("-\n"))
        if not front.get("draft"):
            meetings[path.stem] = front
    return meetings


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture(params=list(SITES))
def site(request: pytest.FixtureRequest) -> tuple[str, Path]:
    name: str = request.param
    return name, request.getfixturevalue(SITES[name][1])


def test_every_published_meeting_and_only_those_has_a_notice(site) -> None:
    name, built = site
    notices = sorted(p.parent.parent.name for p in built.glob("meetings/*/notice/index.html"))
    assert notices == sorted(published_meetings(name))


def test_each_notice_carries_an_accessible_qr_code_of_the_meeting_page(site, read_page) -> None:
    name, built = site
    for mid, front in published_meetings(name).items():
        html = read_page(built, f"/meetings/{mid}/notice/")
        svgs = re.findall(r"<svg[^>]*>", html)
        assert len(svgs) == 1, mid
        assert 'role="img"' in svgs[0] and re.search(r'aria-label="[^"]+"', svgs[0]), mid
        assert f"{site_url(name)}/meetings/{mid}/" in text(html)  # the URL, also in words
        assert "扫码查看会议详情" in html and front["title"] in html
        assert '<script src="/theme/js/print.js" defer></script>' in html
        assert "data-pagefind-body" not in html  # search indexes the meeting page, not its notice
        meeting = read_page(built, f"/meetings/{mid}/")
        assert f'<a href="/meetings/{mid}/notice/">打印公示</a>' in meeting


def test_the_notice_says_what_a_resident_needs(complete_site: Path, read_page) -> None:
    notice = text(read_page(complete_site, "/meetings/2025-06-20-yuquan-parking/notice/"))
    topics = ["夜间停车位错峰共享方案", "消防通道占用整治", "非机动车停放区域划定"]
    assert [notice.index(t) for t in topics] == sorted(notice.index(t) for t in topics)
    for words in [
        "公示 玉泉社区停车难问题议事协商会",
        "2025年6月20日（星期五） 14:30–16:00",
        "玉泉社区党群服务中心二楼议事厅",
        "召集人玉泉社区党委",
        "主持人玉泉社区党委书记",
        "业主自治组织：玉泉社区业主委员会（2 人）",
        "到社区党群服务中心一楼窗口登记",
        "申请截止：2025年6月18日",
        "发布单位：灵隐街道办事处、双浦镇人民政府（测试）",
        "公示日期：2025年6月10日",
    ]:
        assert words in notice


def test_postponed_and_cancelled_notices_say_so(complete_site: Path, read_page) -> None:
    postponed = text(read_page(complete_site, "/meetings/2025-06-08-lingyin-garbage/notice/"))
    assert "已延期 改于 2025年6月22日（星期日） 14:00 召开" in postponed
    assert "原定6月8日14:00的会议延期至6月22日14:00" in postponed  # the change note
    cancelled = read_page(complete_site, "/meetings/2025-06-28-tongjianhu-greening/notice/")
    assert '<strong class="notice-stamp">已取消</strong>' in cancelled
    assert "原定时间" in text(cancelled) and "申请参加" not in text(cancelled)


def test_qr_svg_is_deterministic_and_escapes_its_label() -> None:
    url = "https://yishi.xihu.example.cn/meetings/2025-06-20-yuquan-parking/"
    svg = qr_svg(url, "二维码")
    assert svg == qr_svg(url, "二维码")
    assert svg.startswith('<svg role="img" aria-label="二维码" ') and svg.endswith("</svg>")
    code = f"from gongshi.outputs.qr import MASK, qr_code, qr_svg; print(qr_svg({url!r}, '二维码'), end='')"
    for seed in ("1", "2"):  # another process, another hash seed: the same bytes
        env = {**os.environ, "PYTHONHASHSEED": seed}
        again = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        assert again.stdout == str(svg)
    assert 'aria-label="&#34;&lt;b&gt;"' in qr_svg(url, '"<b>')


@pytest.mark.parametrize("length", [20, 40, 60, 80, 100, 120, 160, 200, 260])
def test_qr_codes_with_the_fixed_mask_scan_at_every_length(length: int) -> None:
    """Page URLs from short to the longest an id allows: each code, with its fixed mask, decodes
    to its URL (zxing, the reader the browser tests use on the printed notice)."""
    base = "https://gongshi.example.org/meetings/2025-06-20-"
    url = base + ("yuquan-parking-" * 20)[: max(0, length - len(base) - 1)] + "/"
    code = qr_code(url)
    assert code.mask == MASK
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=4, border=4)
    buffer.seek(0)
    image = Image.open(buffer).convert("L")
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [url]


def test_the_notice_gives_the_nearest_public_contact_details(
    complete_site: Path, read_page
) -> None:
    """The community's own office when places.yaml gives it, else its jurisdiction's; none when
    neither has any (铜鉴湖社区 and 双浦镇)."""
    parking = text(read_page(complete_site, "/meetings/2025-06-20-yuquan-parking/notice/"))
    assert "联系：玉泉社区 电话 0571-87005678 · 工作日 8:30–17:00" in parking
    garbage = text(read_page(complete_site, "/meetings/2025-06-08-lingyin-garbage/notice/"))
    assert (
        "联系：灵隐街道（西湖区灵隐示例路 8 号（示例）） 电话 0571-87001234 · "
        "周一至周五 8:30–12:00、14:00–17:30" in garbage
    )
    road = text(read_page(complete_site, "/meetings/2025-06-25-lingshan-road/notice/"))
    assert "联系：灵山村（灵山村村委会（示例））" in road
    greening = read_page(complete_site, "/meetings/2025-06-28-tongjianhu-greening/notice/")
    assert "notice-contact" not in greening
