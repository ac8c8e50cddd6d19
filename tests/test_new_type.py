"""A content type of a site's own — 投诉议题 (``complaint``), in ``tests/sites/newtype/`` — is
read, checked, linked both ways, listed page by page, fed, searched and published as open data,
with nothing in ``gongshi/`` or the theme naming it (docs/architecture.md, "Adding a content
type"). The type is its model (``complaint.py``) and its labels (``GONGSHI_CODES`` in the site's
``pelicanconf.py``); the test registers it around each build, as a new built-in type is
registered by its line in ``ITEM_TYPES``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import NEWTYPE, NEWTYPE_NOW, ROOT, newtype_model, run_cli
from jinja2 import Environment
from jsonschema import Draft202012Validator, FormatChecker

from gongshi.content.codes import Codes
from gongshi.content.models import ITEM_TYPES, Item
from gongshi.plugin import theme_templates
from gongshi.publish.run import load_settings
from gongshi.settings import from_pelican
from gongshi.site.build import Build, make_build
from gongshi.site.load import load_site

SITE = NEWTYPE
SETTINGS = SITE / "pelicanconf.py"
NOW = NEWTYPE_NOW
BASE = "https://yishi.xinhe.example.cn"
PARKING = "/meetings/2025-06-10-dongyuan-parking/"
NIGHT = "/complaints/2025-06-02-dongyuan-night-parking/"
ZOMBIE = "/complaints/2025-06-05-dongyuan-zombie-cars/"
POTHOLES = "/complaints/2025-06-20-xizhuang-potholes/"


COMPLAINT = newtype_model()


@pytest.fixture
def registered() -> Iterator[type[Item]]:
    with ITEM_TYPES.registered(COMPLAINT) as cls:
        yield cls


@pytest.fixture
def site(newtype_site: Path) -> Path:
    return newtype_site


def newtype_build() -> Build:
    """The Build as the Pelican glue makes it, with the theme's own templates listed."""
    raw = load_settings(SETTINGS, {"GONGSHI_NOW": NOW})
    settings = from_pelican(raw)
    return make_build(
        settings, load_site(Path(raw["PATH"]), settings), Environment(), theme_templates(raw)
    )


def read(site: Path, url: str) -> str:
    path = site / url.lstrip("/")
    return (path / "index.html" if url.endswith("/") else path).read_text(encoding="utf-8")


class Page(HTMLParser):
    """What the tests ask of a page: its links, its h1 count, and whether its tags nest."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1 = 0
        self.ids: list[str] = []
        self.faults: list[str] = []
        self._open: list[str] = []
        self.feed(html)
        self.close()
        if self._open:
            self.faults.append(f"never closed: {self._open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if values.get("id"):
            self.ids.append(str(values["id"]))
        self.h1 += tag == "h1"
        if tag not in self.VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1] != tag:
            self.faults.append(f"</{tag}> closes <{self._open[-1] if self._open else ''}>")
            return
        self._open.pop()


# -- the type, its labels and its problems -------------------------------------------------------
def test_check_passes_and_counts_the_new_type(registered: type[Item]) -> None:
    code, out, err = run_cli("--settings", str(SETTINGS), "check")

    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "内容检查通过：2 场议事会、0 项协商结果、0 个民心项目、0 个案例、3 个投诉议题。"
    )


def test_a_type_without_a_short_name_or_measure_word_falls_back() -> None:
    with ITEM_TYPES.registered(COMPLAINT):
        labels = {
            "item_type": {"complaint": "投诉议题"},
            "complaint_status": {"received": "已受理"},
        }
        codes = Codes.load(labels, ITEM_TYPES.wanted())

    assert codes.label("item_type", "complaint", "short") == "投诉议题"
    assert codes.label("item_type", "complaint", "counter") == "个"
    assert codes.label("item_type", "meeting", "counter") == "场"


def _settings_without(tmp_path: Path, name: str) -> Path:
    """The site's settings with one code list of GONGSHI_CODES left out."""
    text = SETTINGS.read_text(encoding="utf-8").replace("../../../themes", str(ROOT / "themes"))
    lines = [line for line in text.splitlines() if not line.startswith(f'    "{name}"')]
    target = tmp_path / "pelicanconf.py"
    target.write_text("\n".join(lines).replace('PATH = "content"', f'PATH = "{SITE}/content"'))
    return target


@pytest.mark.parametrize(
    ("left_out", "message"),
    [
        (
            "item_type",
            "错误：内容类型 'complaint' 没有中文名称：请在 codes.yaml 的 item_type 中加上 "
            "'complaint: 名称'，或在设置中写 GONGSHI_CODES = {'item_type': {'complaint': '名称'}}\n",
        ),
        (
            "complaint_status",
            "错误：字段 complaint.status 使用的代码表 'complaint_status' 不存在：请在 codes.yaml "
            "中增加它，或在设置中写 GONGSHI_CODES = {'complaint_status': {'代码': '标签'}}\n",
        ),
    ],
    ids=["type-name", "code-list"],
)
def test_a_missing_label_is_a_settings_error_not_a_crash(
    registered: type[Item], tmp_path: Path, left_out: str, message: str
) -> None:
    code, out, err = run_cli("--settings", str(_settings_without(tmp_path, left_out)), "check")

    assert (code, out, err) == (2, "", message)


def test_labels_for_a_type_that_is_not_registered_are_refused() -> None:
    code, _, err = run_cli("--settings", str(SETTINGS), "check")

    assert code == 2
    assert err == (
        "错误：GONGSHI_CODES: 代码表 'item_type' 只能改标签，不能增加代码：complaint"
        "（其代码是已登记的内容类型：meeting、outcome、project、case）\n"
    )


def test_an_invalid_complaint_is_reported_at_its_lines(
    registered: type[Item], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SITE / "content", tmp_path / "content")
    (tmp_path / "content" / "complaints" / "2025-06-30-dongyuan-noise.md").write_text(
        "---\ntitle: 东苑广场舞音响扰民\ndate: 2025-06-30\nplaces: dongyuan\n"
        "meeting: 2025-06-11-dongyuan-parking\nstatus: closed\n---\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    code, out, err = run_cli("--settings", str(SETTINGS), "check", "--content", "content")

    bad = "content/complaints/2025-06-30-dongyuan-noise.md"
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{bad}:1: error: detail: 缺少必填字段 'detail'（诉求内容） [field.required]",
        f"{bad}:5: error: meeting: 找不到 meetings 中 id 为 '2025-06-11-dongyuan-parking' 的内容"
        "（是否应为 '2025-06-10-dongyuan-parking'？） [ref.missing]",
        f"{bad}:6: error: status: 应为 received、discussed、resolved 之一，实际为 'closed' "
        "[field.enum]",
        "共 3 个问题，涉及 1 个文件。",
    ]


# -- the built site ------------------------------------------------------------------------------
def test_the_page_links_to_its_meeting_and_the_meeting_links_back(site: Path) -> None:
    page = read(site, NIGHT)
    meeting = Page(read(site, PARKING))

    assert f'<dt>议事会</dt><dd><a href="{PARKING}">东苑社区停车难议事会</a></dd>' in page
    assert "<dt>处理状态</dt><dd>已协商</dd>" in page
    assert '<span class="badge badge-complaint-discussed">已协商</span>' in page
    assert (
        '<dt>所属地点</dt><dd><a href="/places/dongyuan/">东苑社区</a>'
        '（<a href="/places/xinhe/">新河街道</a>）</dd>'
    ) in page
    assert "<dt>诉求内容</dt>" in page and "<dt>答复</dt>" in page
    assert '<dt>受理日期</dt><dd><time datetime="2025-06-03">2025年6月3日</time></dd>' in page
    assert "<dt>涉及问题</dt><dd>消防通道、夜间停车</dd>" in page
    assert (
        '<dt>跟进记录</dt><dd><ul class="values"><li>日期：<time datetime="2025-06-12">'
        "2025年6月12日</time>；说明：物业已画禁停线。；是否办结：是</li>"
    ) in page
    assert '<section class="body" aria-label="正文"><p>居民在议事会上补充了照片' in page
    assert '<h2 id="complaints-title">相关投诉议题</h2>' in read(site, PARKING)
    assert NIGHT in meeting.links and ZOMBIE in meeting.links
    assert POTHOLES not in meeting.links  # another meeting's


def test_every_page_of_the_type_parses_with_one_h1(site: Path) -> None:
    urls = [NIGHT, ZOMBIE, POTHOLES, "/complaints/", "/complaints/page/2/", PARKING, "/"]
    for url in urls:
        page = Page(read(site, url))
        assert page.faults == [], url
        assert page.h1 == 1, url
        assert len(page.ids) == len(set(page.ids)), url


def test_the_list_is_paginated(site: Path) -> None:
    first, second = Page(read(site, "/complaints/")), Page(read(site, "/complaints/page/2/"))

    assert [u for u in first.links if u.startswith("/complaints/2")] == [POTHOLES, ZOMBIE]
    assert "/complaints/page/2/" in first.links
    assert [u for u in second.links if u.startswith("/complaints/2")] == [NIGHT]
    assert "/complaints/" in second.links
    assert not (site / "complaints" / "page" / "3").exists()


def test_home_place_pages_and_navigation_list_the_type(site: Path) -> None:
    home = read(site, "/")
    assert '<h2 id="complaints-home-title">投诉议题</h2>' in home
    assert '<li><a href="/complaints/">投诉议题</a></li>' in home  # navigation
    for place, expected in [("dongyuan", [ZOMBIE, NIGHT]), ("xinhe", [POTHOLES, ZOMBIE])]:
        links = Page(read(site, f"/places/{place}/")).links
        assert [u for u in links if u.startswith("/complaints/2")] == expected, place


def _entries(site: Path, feed: str) -> list[str]:
    parsed: Any = feedparser.parse((site / "feeds" / feed).read_bytes())
    assert not parsed.bozo, feed
    return [entry.link for entry in parsed.entries]


def test_the_item_is_in_its_feeds(site: Path) -> None:
    night = BASE + NIGHT
    for feed in ["complaints.atom.xml", "complaints.rss.xml", "all.atom.xml"]:
        assert night in _entries(site, feed), feed
    assert night in _entries(site, "places/dongyuan.atom.xml")
    assert night in _entries(site, "places/xinhe.atom.xml")  # the community's jurisdiction
    assert night not in _entries(site, "places/xizhuang.atom.xml")
    atom = (site / "feeds" / "complaints.atom.xml").read_text(encoding="utf-8")
    assert f'&lt;li&gt;议事会：&lt;a href="{BASE}{PARKING}"&gt;东苑社区停车难议事会' in atom


def test_the_open_data_holds_it_and_the_reverse_link(site: Path) -> None:
    data = json.loads((site / "data" / "complaints.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data/schema/complaints.schema.json").read_text(encoding="utf-8"))
    meetings = json.loads((site / "data" / "meetings.json").read_text(encoding="utf-8"))

    Draft202012Validator.check_schema(schema)
    errors = Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data)
    assert [e.message for e in errors] == []
    night = next(i for i in data["items"] if i["url"] == BASE + NIGHT)
    assert night["status"] == "discussed"
    assert night["follow_ups"][0] == {
        "date": "2025-06-12",
        "done": True,
        "note": "物业已画禁停线。",
    }
    assert night["meeting"] == {
        "id": "2025-06-10-dongyuan-parking",
        "title": "东苑社区停车难议事会",
        "url": BASE + PARKING,
    }
    parking = next(m for m in meetings["items"] if m["sources"][0]["url"] == BASE + PARKING)
    assert [c["id"] for c in parking["extras"]["complaints"]] == [
        "2025-06-05-dongyuan-zombie-cars",
        "2025-06-02-dongyuan-night-parking",
    ]
    assert "complaints.json" in read(site, "/data/")


def test_the_sitemap_and_search_cover_it(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for url in [NIGHT, ZOMBIE, POTHOLES, "/complaints/", "/complaints/page/2/"]:
        assert f"<loc>{BASE}{url}</loc>" in sitemap, url
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    assert language["page_count"] == 5  # two meetings and three complaints
    page = read(site, NIGHT)
    assert '<article class="item" data-pagefind-body>' in page
    assert '<data value="投诉议题" data-pagefind-filter="内容类型[value]"></data>' in page
    assert '<data value="已协商" data-pagefind-filter="状态[value]"></data>' in page


def test_the_plan_shows_the_type_by_the_generic_templates(registered: type[Item]) -> None:
    pages = {page.url: page for page in newtype_build().pages}

    assert (pages[NIGHT].template, pages[NIGHT].searchable) == ("item.html", True)
    assert (pages["/complaints/"].template, pages["/complaints/"].searchable) == (
        "items.html",
        False,
    )
    assert pages[PARKING].template == "meeting.html"  # a type with its own keeps it
    assert pages["/meetings/"].template == "meetings.html"


# -- what adding the type touched ----------------------------------------------------------------
def test_the_type_touches_only_its_model_and_its_labels() -> None:
    own = sorted(
        str(p.relative_to(SITE))
        for p in SITE.rglob("*")
        if p.is_file() and not {"content", "__pycache__"} & set(p.parts)
    )
    assert own == ["NOW", "complaint.py", "pelicanconf.py"]
    assert "GONGSHI_CODES" in SETTINGS.read_text(encoding="utf-8")
    theme = ROOT / "themes" / "gongshi" / "templates"
    assert not (theme / "complaint.html").exists() and not (theme / "complaints.html").exists()
    for folder in ("gongshi", "themes"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".html", ".yaml", ".js", ".css"}:
                text = path.read_text(encoding="utf-8")
                assert "complaint" not in text and "投诉" not in text, path
