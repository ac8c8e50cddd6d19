"""Links in bodies to pages and files of the site lead somewhere published, or are an error
``[body.link]`` on the body line, with the closest address that exists."""

from __future__ import annotations

import pytest

from .conftest import MEETING_ID, OUTCOME_ID, SiteFolder

# The outcome's body starts on line 9 (its front matter ends on line 8).
BODY_LINE = 9


@pytest.mark.parametrize(
    "link",
    [
        f"/meetings/{MEETING_ID}/",
        f"/meetings/{MEETING_ID}",  # without the trailing slash
        f"/meetings/{MEETING_ID}/#agenda",
        f"/meetings/{MEETING_ID}/notice/",
        f"/meetings/{MEETING_ID}/index.html",  # the file a folder's address is written as
        f"/meetings/{MEETING_ID}/event.ics",
        f"../../meetings/{MEETING_ID}/",  # relative to the outcome's own page
        f"https://example.org/meetings/{MEETING_ID}/",  # the site's own absolute URL
        "/meetings/",
        "/places/guobei/",
        "/places/huaxiang/overdue/",
        "/data/outcomes.csv",
        "/feeds/all.atom.xml",
        "/calendar/places/guobei.ics",
        "/files/plan.pdf",
        "../../files/plan.pdf",
        "/files/%E5%9B%BE.png",  # percent-encoded: 图.png
        "#same-page",
        "mailto:office@example.org",
        "https://www.gov.cn/zhengce/",  # another site: not this check's business
    ],
)
def test_a_link_to_a_published_address_passes(site: SiteFolder, link: str) -> None:
    site.meeting()
    site.write("files/plan.pdf", b"%PDF-1.4\n")
    site.write("files/图.png", b"\x89PNG\r\n")
    site.outcome(body=f"详见[链接]({link})。")

    assert site.problems() == []


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("/meetings/2025-06-20-guobei-parkng/",
         "本站没有这个页面（是否应为 '/meetings/2025-06-20-guobei-parking/'？）"),
        (f"../outcomes/{OUTCOME_ID}/", f"本站没有这个页面（是否应为 '/outcomes/{OUTCOME_ID}/'？）"),
        (f"/outcome/{OUTCOME_ID}", f"本站没有这个页面（是否应为 '/outcomes/{OUTCOME_ID}/'？）"),
        ("https://example.org/meetngs/", "本站没有这个页面（是否应为 '/meetings/'？）"),
        ("/files/plan.pfd", "content/files/ 中没有文件 'plan.pfd'（是否应为 '/files/plan.pdf'？）"),
        ("/files/nothing-like-it.docx", "content/files/ 中没有文件 'nothing-like-it.docx'"),
        ("content/files/plan.pdf",
         "本站没有这个页面（是否应为 '/files/plan.pdf'？）"),
    ],
)  # fmt: skip
def test_a_broken_link_is_an_error_on_its_line_with_the_closest_address(
    site: SiteFolder, link: str, message: str
) -> None:
    site.meeting()
    site.write("files/plan.pdf", b"%PDF-1.4\n")
    path = site.outcome(body=f"第一段。\n\n详见[链接]({link})。")

    assert site.problems() == [
        f"{path}:{BODY_LINE + 2}: error: 正文: 正文中的链接 '{link}' 指向的地址不存在：{message} [body.link]"
    ]


def test_an_image_and_a_reference_style_link_are_checked_too(site: SiteFolder) -> None:
    body = "![现场照片](/files/site.jpg)\n\n见[会议][m]。\n\n[m]: /meetings/nope/\n"
    path = site.outcome(body=body)

    assert site.problems() == [
        f"{path}:{BODY_LINE}: error: 正文: 正文中的链接 '/files/site.jpg' 指向的地址不存在："
        "content/files/ 中没有文件 'site.jpg' [body.link]",
        f"{path}:{BODY_LINE + 4}: error: 正文: 正文中的链接 '/meetings/nope/' 指向的地址不存在："
        "本站没有这个页面（是否应为 '/meetings/'？） [body.link]",
    ]


def test_a_link_to_a_draft_says_it_will_not_be_published(site: SiteFolder) -> None:
    site.meeting(draft="true")
    path = site.outcome(body=f"见[会议](/meetings/{MEETING_ID}/)。")

    assert site.problems() == [
        f"{path}:{BODY_LINE}: error: 正文: 正文中的链接 '/meetings/{MEETING_ID}/' 指向草稿"
        "（draft: true），草稿不会发布：请先发布它，或删去这个链接 [body.link]"
    ]


def test_a_draft_may_link_anywhere(site: SiteFolder) -> None:
    site.outcome(draft="true", body="见[会议](/meetings/nope/)。")

    assert site.problems() == []


def test_a_list_page_past_the_last_is_broken(site: SiteFolder) -> None:
    site.meeting()
    path = site.outcome(body="见[第二页](/meetings/page/2/)。")

    assert site.problems() == [
        f"{path}:{BODY_LINE}: error: 正文: 正文中的链接 '/meetings/page/2/' 指向的地址不存在："
        "本站没有这个页面（是否应为 '/meetings/'？） [body.link]"
    ]
