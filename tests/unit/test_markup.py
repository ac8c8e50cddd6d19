"""Markdown bodies: raw HTML is sanitized; an image from another host is the editor's problem."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from gongshi.content.loader import load_content
from gongshi.content.markup import URL_SCHEMES, MarkdownRenderer
from gongshi.content.url_safety import is_local, loads, normalize

from . import url_spellings
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

    (case,) = site.load().items("case")

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


HOSTILE_IMAGES = [
    ('<img src="/\\evil.example/a.png" alt="现场">', "/\\evil.example/a.png"),
    ("<IMG SRC=/\\evil.example/a.png ALT=现场>", "/\\evil.example/a.png"),
    ('<img src="&#47;&#92;evil.example/a.png" alt="现场">', "/\\evil.example/a.png"),
    ('<img src="/&#x5c;evil.example/a.png" alt="现场">', "/\\evil.example/a.png"),
    ('<img src="/&Tab;/evil.example/a.png" alt="现场">', "/\t/evil.example/a.png"),
    ('<img src="/&#10;/evil.example/a.png" alt="现场">', "/\n/evil.example/a.png"),
    ('<img alt="现场" src="/\n/evil.example/a.png">', "/\n/evil.example/a.png"),
    ('<img src=" //evil.example/a.png" alt="现场">', " //evil.example/a.png"),
    ('<img src="&#12;//evil.example/a.png" alt="现场">', "\x0c//evil.example/a.png"),
    # Markdown turns a raw tab into spaces: a browser reads a path, a lenient reader another host
    ('<img src="/\t/evil.example/a.png" alt="现场">', "/ /evil.example/a.png"),
    ('<img src="/\u3000/evil.example/a.png" alt="现场">', "/\u3000/evil.example/a.png"),
    ('<img src="&#8203;//evil.example/a.png" alt="现场">', "\u200b//evil.example/a.png"),
    ('<img src="HTTPS://evil.example/a.png" alt="现场">', "HTTPS://evil.example/a.png"),
    ('<img src="h&#9;ttps://evil.example/a.png" alt="现场">', "h\tttps://evil.example/a.png"),
    ('<img src="https:\\\\evil.example/a.png" alt="现场">', "https:\\\\evil.example/a.png"),
    ("![现场](/\\evil.example/b.png)", "/\\evil.example/b.png"),
    ("![现场](/\\\\evil.example/b.png)", "/\\evil.example/b.png"),
    ("![现场](\\\\\\\\evil.example/b.png)", "\\\\evil.example/b.png"),
    ("![现场](/&#92;evil.example/b.png)", "/\\evil.example/b.png"),
    ("![现场](< //evil.example/b.png>)", "//evil.example/b.png"),
    ('![现场](//evil.example/b.png "标题")', "//evil.example/b.png"),
    ("![现场][r]\n\n[r]: //evil.example/r.png", "//evil.example/r.png"),
    ("![现场][r]\n\n[r]: /\\evil.example/r.png", "/\\evil.example/r.png"),
    ("![现场][]\n\n[现场]: <https://evil.example/r.png>", "https://evil.example/r.png"),
]


@pytest.mark.parametrize(("text", "src"), HOSTILE_IMAGES)
def test_an_image_a_browser_would_fetch_from_another_host_is_removed_and_reported(
    renderer: MarkdownRenderer, text: str, src: str
) -> None:
    rendered = renderer.render(text)

    assert "evil.example" not in rendered.html
    assert rendered.remote_images == [src]


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [(tag, name, value or "") for name, value in attrs]


def attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.values


SILENTLY_DROPPED = [
    '<img src="/files/a.png" srcset="//evil.example/a.png 2x" alt="现场">',
    '<picture><source srcset="//evil.example/a.png"><img src="/files/a.png" alt="现场"></picture>',
    '<video poster="//evil.example/a.png" src="//evil.example/a.mp4"></video>',
    '<input type="image" src="//evil.example/a.png">',
    '<link rel="stylesheet" href="//evil.example/a.css">',
    '<iframe src="/\\evil.example/"></iframe>',
    '<object data="//evil.example/a.swf"></object><embed src="//evil.example/a.swf">',
    '<svg><image href="//evil.example/a.png"/><use xlink:href="//evil.example/a.svg#x"/></svg>',
    '<p style="background:url(//evil.example/a.png)">议题</p>',
    '<table background="//evil.example/a.png"><tr><td background="//evil.example/b.png">议题</td></tr></table>',
    '<a href="/meetings/" ping="//evil.example/track">议题</a>',
    '<base href="//evil.example/"><img src="files/a.png" alt="现场">',
    '<meta http-equiv="refresh" content="0;url=//evil.example/"><div style="x">议题</div>',
]


@pytest.mark.parametrize("text", SILENTLY_DROPPED)
def test_no_other_element_or_attribute_that_loads_from_another_host_survives(
    renderer: MarkdownRenderer, text: str
) -> None:
    rendered = renderer.render(text)

    assert "evil.example" not in rendered.html
    assert rendered.remote_images == []  # never publishable at all: nothing the editor must fix


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ('<a href="//evil.example/a">资料</a>', "//evil.example/a"),
        ('<a href="/\\evil.example/a">资料</a>', "/\\evil.example/a"),
        ("[资料](https://evil.example/a)", "https://evil.example/a"),
        ("<https://evil.example/a.png>", "https://evil.example/a.png"),
    ],
)
def test_a_link_to_another_host_stays_a_link_it_loads_nothing(
    renderer: MarkdownRenderer, text: str, href: str
) -> None:
    rendered = renderer.render(text)

    assert ("a", "href", href) in attributes(rendered.html)
    assert "<img" not in rendered.html
    assert rendered.remote_images == []


@pytest.mark.parametrize(
    "text",
    [
        '<a href="java&#9;script:alert(1)">报名</a>',
        '<a href="java\nscript:alert(1)">报名</a>',
        '<a href="java&NewLine;script:alert(1)">报名</a>',
        '<a href="&#106;avascript:alert(1)">报名</a>',
        '<a href="&#x6A;&#x61;vascript&#x3a;alert(1)">报名</a>',
        '<a href="&#1;javascript:alert(1)">报名</a>',
        '<a href=" &#14; javascript:alert(1)">报名</a>',
        "[报名](java&#9;script:alert(1))",
        "[报名](<javascript&#58;alert(1)>)",
        "[报名](javascript&colon;alert(1))",
        '<img src="javascript:alert(1)" alt="x"><a href="vbscript:msgbox(1)">报名</a>',
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">报名</a>',
    ],
)
def test_a_javascript_link_is_stripped_however_spelled(
    renderer: MarkdownRenderer, text: str
) -> None:
    rendered = renderer.render(text)

    assert not [v for _, name, v in attributes(rendered.html) if name in {"href", "src"}]


CONTEXTS = {
    "html": lambda url: f'<img src="{html.escape(url)}" alt="现场">',
    "entities": lambda url: '<img alt="现场" src="{}">'.format(
        "".join(f"&#{ord(c)};" for c in url)
    ),
    "markdown": lambda url: f"![现场]({url})",
    "reference": lambda url: f"![现场][r]\n\n[r]: {url}",
}


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("url", url_spellings.REMOTE, ids=ascii)
def test_no_loading_attribute_of_the_sanitized_body_points_to_another_host(
    renderer: MarkdownRenderer, context: str, url: str
) -> None:
    """Whatever Markdown and HTML parsing make of a spelling, what is published stays local.

    Markdown may change a value on its way (a tab becomes spaces, ``\\\\`` one backslash, a
    newline ends a reference) and HTML reads NUL as U+FFFD: all of these turn it into a path on
    this site. Encoded as entities it reaches the sanitizer intact and is reported, unless its
    scheme is one nh3 refuses outright (``data:``, ``ftp:``): then the attribute is simply gone.
    """
    rendered = renderer.render(CONTEXTS[context](url))

    published = [(t, a, v) for t, a, v in attributes(rendered.html) if loads(t, a)]
    assert all(is_local(value) for _, _, value in published), published
    scheme = SCHEME.match(normalize(url))
    refused = scheme and scheme[1].lower() not in URL_SCHEMES
    if context == "entities" and "\x00" not in url and not refused:
        assert rendered.remote_images == [url]
        assert published == []


SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@pytest.mark.parametrize("url", url_spellings.LOCAL[1:], ids=ascii)
def test_an_image_from_this_site_is_kept_as_written(renderer: MarkdownRenderer, url: str) -> None:
    text = '<img alt="现场" src="{}">'.format("".join(f"&#{ord(c)};" for c in url))

    rendered = renderer.render(text)

    assert ("img", "src", url) in attributes(rendered.html)
    assert rendered.remote_images == []


def test_each_remote_image_is_reported_on_the_line_it_was_written_on(site: SiteFolder) -> None:
    body = (
        "背景资料。\n\n"  # 12, 13
        '<img src="&#47;&#92;evil.example/a.png" alt="现场">\n\n'  # 14
        "![现场](/\\\\evil.example/b.png)\n\n"  # 16
        '<img alt="现场" src="/\n/evil.example/c.png">\n\n'  # 18, 19
        "![现场](/\\evil.example/b.png) 又一张 ![现场][r]\n\n"  # 21
        "[r]: /&Tab;/evil.example/r.png\n"  # 23
    )
    path = site.meeting(body=body)

    loaded = load_content(site.content, SETTINGS.codes, SETTINGS.timezone)

    assert [(p.line, p.message.split("'")[1]) for p in loaded.problems] == [
        (14, "/\\evil.example/a.png"),
        (16, "/\\evil.example/b.png"),
        (18, "/\\x0a/evil.example/c.png"),
        (21, "/\\evil.example/b.png"),
        (23, "/\\x09/evil.example/r.png"),
    ]
    assert {p.category for p in loaded.problems} == {"body.remote-image"}
    assert {p.path for p in loaded.problems} == {str(path)}


@pytest.mark.parametrize(
    "body",
    [
        "![照片](data:image/png;base64,iVBORw0KGgo=)",
        '<img src="data:image/svg+xml,<svg/>" alt="图">',
        "<img src='FILE:///etc/passwd' alt='图'>",
        "<img src=ftp://example.org/a.png alt=图>",
        '<img src="java&#x09;script:alert(1)" alt="图">',
    ],
)
def test_an_image_nh3_would_drop_unseen_is_reported(body: str) -> None:
    rendered = MarkdownRenderer().render("第一段\n\n" + body)
    assert len(rendered.dropped_images) == 1
    assert rendered.dropped_image_lines == [2]
    assert "src=" not in rendered.html


def test_local_and_remote_images_are_not_reported_as_dropped() -> None:
    rendered = MarkdownRenderer().render('![a](/files/a.png) <img src="https://e.x/b.png" alt=b>')
    assert rendered.dropped_images == []
