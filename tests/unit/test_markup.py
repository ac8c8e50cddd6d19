"""Markdown bodies: raw HTML is sanitized; an image from another host is the editor's problem."""

from __future__ import annotations

import re

import pytest

from gongshi.loader import load_content
from gongshi.markup import MarkdownRenderer

from .conftest import SETTINGS, SiteFolder

DANGEROUS = [
    "<script>alert('x')</script>议题",
    "<SCRIPT src=/files/x.js></SCRIPT>议题",
    '<img src="/files/a.png" onerror="alert(1)" alt="现场">',
    '<p onclick="steal()" onmouseover="x()">议题</p>',
    '<a href="javascript:alert(1)">点此报名</a>',
    '<a href="JaVaScRiPt:alert(1)">点此报名</a>',
    "[点此报名](javascript:alert(1))",
    '<a href=" javascript:alert(1)">点此报名</a>',
    '<iframe src="https://evil.example/"></iframe><style>p{}</style>议题',
    '<svg onload="alert(1)"><circle/></svg>议题',
    '<form action="/x"><input name="q" onfocus="x()"></form>',
]


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


@pytest.mark.parametrize("text", DANGEROUS)
def test_no_script_event_attribute_or_javascript_link_survives(
    renderer: MarkdownRenderer, text: str
) -> None:
    html = renderer.render(text).html.lower()

    assert "<script" not in html
    assert "javascript:" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "<iframe" not in html and "<style" not in html and "<svg" not in html


def test_dangerous_parts_go_and_the_rest_stays(renderer: MarkdownRenderer) -> None:
    text = (
        '<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">报名</a> '
        '和 <img src="/files/a.png" onerror="x()" alt="现场">'
    )

    assert renderer.render(text).html.strip() == (
        '<p><a>报名</a> 和 <img src="/files/a.png" alt="现场"></p>'
    )


def test_markdown_and_safe_links_render(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("**议题**\n\n[公告](https://example.org/a) | [本站](/meetings/)")

    assert rendered.html == (
        "<p><strong>议题</strong></p>\n"
        '<p><a href="https://example.org/a" rel="noopener noreferrer">公告</a> | '
        '<a href="/meetings/" rel="noopener noreferrer">本站</a></p>'
    )
    assert rendered.remote_images == []


def test_the_body_never_has_a_second_h1(renderer: MarkdownRenderer) -> None:
    assert renderer.render("# 会议记录\n\n## 发言").html == "<h2>会议记录</h2>\n<h3>发言</h3>"


@pytest.mark.parametrize(
    ("text", "src"),
    [
        ('<img src="https://cdn.example/a.png" alt="现场">', "https://cdn.example/a.png"),
        ("![现场](https://cdn.example/a.png)", "https://cdn.example/a.png"),
        ("![现场](//cdn.example/a.png)", "//cdn.example/a.png"),
        ("![现场](HTTP://cdn.example/a.png)", "HTTP://cdn.example/a.png"),
    ],
)
def test_a_remote_image_is_removed_and_reported(
    renderer: MarkdownRenderer, text: str, src: str
) -> None:
    rendered = renderer.render(text)

    assert "cdn.example" not in rendered.html
    assert rendered.remote_images == [src]


def test_a_local_image_is_kept(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render("![现场](/files/a.png)")

    assert rendered.html == '<p><img alt="现场" src="/files/a.png"></p>'
    assert rendered.remote_images == []


REMOTE = (
    "来自其他网站：本站不从其他网站加载内容，请把图片放在 content/files/ 并用 /files/… 引用 "
    "[body.remote-image]"
)


def test_load_content_reports_a_remote_image_on_its_line(site: SiteFolder) -> None:
    path = site.meeting(
        body='背景资料。\n\n<img src="https://cdn.example/site.png" alt="现场">\n\n![图](//x.example/b.png)'
    )

    loaded = load_content(site.content, SETTINGS.codes, SETTINGS.timezone)

    assert [str(p) for p in loaded.problems] == [
        f"{path}:14: error: 正文: 图片 'https://cdn.example/site.png' {REMOTE}",
        f"{path}:16: error: 正文: 图片 '//x.example/b.png' {REMOTE}",
    ]
    assert loaded.items == ()


def test_sanitized_html_is_what_an_item_keeps(site: SiteFolder) -> None:
    site.case(body="议题<script>alert(1)</script>\n\n<b onclick=x()>重点</b>")

    (case,) = site.load().cases

    assert case.body_html == "<p>议题</p>\n<p><b>重点</b></p>"


def test_an_image_without_a_text_alternative_is_reported_on_its_line(site: SiteFolder) -> None:
    path = site.meeting(
        body="![现场](/files/a.png)\n\n![](/files/a.png)\n\n<img src='/files/b.png'>\n\n"
        "<img src='/files/c.png' alt='  '>"
    )

    loaded = load_content(site.content, SETTINGS.codes, SETTINGS.timezone)

    hint = "，视力不好的居民要靠读屏软件读出它 [body.image-alt]"
    assert [str(p) for p in loaded.problems] == [
        f"{path}:14: error: 正文: 图片 '/files/a.png' 缺少替代文字：请写明图片内容，如 ![施工现场照片](/files/a.png){hint}",
        f"{path}:16: error: 正文: 图片 '/files/b.png' 缺少替代文字：请写明图片内容，如 ![施工现场照片](/files/b.png){hint}",
        f"{path}:18: error: 正文: 图片 '/files/c.png' 缺少替代文字：请写明图片内容，如 ![施工现场照片](/files/c.png){hint}",
    ]


def test_a_link_whose_unsafe_href_was_removed_is_plain(renderer: MarkdownRenderer) -> None:
    rendered = renderer.render('<a href="javascript:alert(1)">链接</a>')

    assert rendered.html == "<p><a>链接</a></p>"
