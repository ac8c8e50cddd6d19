"""RSS and Atom feeds: parse cleanly, carry the right entries, keep ids stable, are discoverable."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from browser.conftest import serve
from conftest import COMPLETE, build_complete, run_cli

SITE = "https://yishi.xihu.example.cn"
PLACES = ["lingyin", "yuquan", "lingfeng", "shuangpu", "tongjianhu", "lingshan"]
FEEDS = ["all", "meetings", "outcomes", "projects", "cases", *(f"places/{p}" for p in PLACES)]


def parse(site: Path, key: str, kind: str = "atom") -> feedparser.FeedParserDict:
    return feedparser.parse((site / "feeds" / f"{key}.{kind}.xml").read_bytes())


def entry_ids(feed: feedparser.FeedParserDict) -> list[str]:
    return [e.id for e in feed.entries]


@pytest.mark.parametrize("kind", ["atom", "rss"])
@pytest.mark.parametrize("key", FEEDS)
def test_every_feed_parses_without_errors(complete_site: Path, key: str, kind: str) -> None:
    feed = parse(complete_site, key, kind)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == "zh-CN"
    assert feed.version == ("atom10" if kind == "atom" else "rss20")


def test_exactly_the_catalogued_feeds_are_written(complete_site: Path, bundled_site: Path) -> None:
    written = sorted(
        str(p.relative_to(complete_site / "feeds"))
        for p in (complete_site / "feeds").rglob("*.xml")
    )
    assert written == sorted(f"{key}.{kind}.xml" for key in FEEDS for kind in ("atom", "rss"))
    for path in (bundled_site / "feeds").rglob("*.xml"):
        assert not feedparser.parse(path.read_bytes()).bozo, path


def test_atom_and_rss_carry_the_same_entries(complete_site: Path) -> None:
    for key in FEEDS:
        atom, rss = parse(complete_site, key, "atom"), parse(complete_site, key, "rss")
        assert entry_ids(atom) == entry_ids(rss), key
        assert rss.feed.link == f"{SITE}/" if key == "all" else rss.feed.link.startswith(SITE)


def test_entries_are_newest_first_and_drafts_never_appear(complete_site: Path) -> None:
    feed = parse(complete_site, "all")
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert (
        len(feed.entries) == 22
    )  # 7 meetings + 8 outcomes + 5 projects + 2 cases; the draft is not one
    assert not any("lingshan-draft" in e.id for e in feed.entries)


def test_an_entry_has_everything_a_reader_shows(complete_site: Path) -> None:
    feed = parse(complete_site, "meetings")
    entry = next(e for e in feed.entries if e.id.endswith("/meetings/2025-06-20-yuquan-parking/"))
    assert entry.id == f"{SITE}/meetings/2025-06-20-yuquan-parking/"
    assert entry.link == entry.id
    assert entry.published == "2025-06-10T00:00:00+08:00"
    assert {t.term for t in entry.tags} >= {"停车", "公示", "玉泉社区", "议事协商会"}
    assert entry.summary.startswith("围绕老旧小区夜间停车难")
    content = entry.content[0].value
    order = [
        content.index(s)
        for s in ("时间：2025年6月20日", "地点：", "协商议题", "参加人员：", "申请参加：")
    ]
    assert order == sorted(order)  # leads with when, where, topics, who, how to attend
    assert "<script" not in content


def test_outcome_and_project_entries_lead_with_their_facts(complete_site: Path) -> None:
    outcome = next(
        e
        for e in parse(complete_site, "outcomes").entries
        if e.id.endswith("/2025-05-20-noise-whistle/")
    )
    text = outcome.content[0].value
    for fact in (
        "协商共识",
        "办理途径：吹哨报到",
        "主责单位：",
        "办理时限：2025年6月10日（已逾期）",
        "办理状态：办理中",
    ):
        assert fact in text
    project = next(
        e
        for e in parse(complete_site, "projects").entries
        if e.id.endswith("/projects/yuquan-elevator/")
    )
    text = project.content[0].value
    assert "状态：实施中" in text and "进度：45%" in text and "最新进展：" in text


def test_postponed_and_cancelled_meetings_say_so_in_the_title(complete_site: Path) -> None:
    titles = {e.id.rsplit("/", 2)[-2]: e.title for e in parse(complete_site, "meetings").entries}
    assert titles["2025-06-08-lingyin-garbage"].startswith("【已延期】")
    assert titles["2025-06-28-tongjianhu-greening"].startswith("【已取消】")
    assert not titles["2025-06-20-yuquan-parking"].startswith("【")


def test_a_change_note_updates_the_entry_and_is_shown(complete_site: Path) -> None:
    entry = next(
        e for e in parse(complete_site, "meetings").entries if "2025-06-08-lingyin-garbage" in e.id
    )
    assert entry.published == "2025-06-01T00:00:00+08:00"
    assert entry.updated == "2025-06-06T00:00:00+08:00"  # the change note's date
    assert "因线上会议平台维护" in entry.content[0].value


def test_a_jurisdiction_feed_includes_its_communities_and_a_community_only_itself(
    complete_site: Path,
) -> None:
    town = entry_ids(parse(complete_site, "places/shuangpu"))
    assert f"{SITE}/meetings/2025-05-20-tongjianhu-noise/" in town  # 铜鉴湖社区 is in 双浦镇
    assert f"{SITE}/projects/lingshan-elderly-canteen/" in town  # and 灵山村
    assert f"{SITE}/meetings/2025-05-28-yuquan-elevator/" not in town  # 玉泉社区 is not
    community = entry_ids(parse(complete_site, "places/lingshan"))
    assert f"{SITE}/projects/lingshan-elderly-canteen/" in community
    assert f"{SITE}/meetings/2025-05-20-tongjianhu-noise/" not in community
    assert f"{SITE}/projects/lingyin-ebike-charging/" not in entry_ids(
        parse(complete_site, "places/yuquan")
    )
    assert parse(complete_site, "places/lingfeng").entries == []


def test_entry_ids_survive_a_retitle_a_new_date_and_a_rebuild(
    tmp_path: Path, complete_site: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    meeting = content / "meetings" / "2025-06-20-yuquan-parking.md"
    text = meeting.read_text(encoding="utf-8")
    text = text.replace(
        "title: 玉泉社区停车难问题议事协商会", "title: 玉泉社区停车与消防通道议事协商会"
    )
    meeting.write_text(
        re.sub(r"^date: .*$", "date: 2025-06-12", text, count=1, flags=re.M), encoding="utf-8"
    )
    build_complete(tmp_path / "out", content=content)
    before = {e.id: e.title for e in parse(complete_site, "meetings").entries}
    after = {e.id: e.title for e in parse(tmp_path / "out", "meetings").entries}
    assert set(before) == set(after)
    assert (
        after[f"{SITE}/meetings/2025-06-20-yuquan-parking/"] == "玉泉社区停车与消防通道议事协商会"
    )


def test_the_entry_limit_is_a_setting(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        (COMPLETE / "pelicanconf.py")
        .read_text(encoding="utf-8")
        .replace('"../../../themes/gongshi"', repr(str(COMPLETE.parents[2] / "themes" / "gongshi")))
        + f"\nPATH = {str(COMPLETE / 'content')!r}\nGONGSHI_FEED_LIMIT = 3\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--settings",
        str(settings),
        "build",
        "--output",
        str(tmp_path / "out"),
        "--now",
        "2025-06-15 10:00",
    )
    assert code == 0, err
    assert len(parse(tmp_path / "out", "all").entries) == 3
    assert len(parse(tmp_path / "out", "all", "rss").entries) == 3


def test_feeds_read_over_http_by_a_real_client(complete_site: Path) -> None:
    for base in serve(complete_site):
        for key in ("all", "places/yuquan"):
            for kind in ("atom", "rss"):
                feed = feedparser.parse(f"{base}/feeds/{key}.{kind}.xml")
                assert feed.status == 200 and not feed.bozo and feed.entries


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/feeds/all"),
        ("/meetings/", "/feeds/meetings"),
        ("/outcomes/page/2/", "/feeds/outcomes"),
        ("/places/yuquan/", "/feeds/places/yuquan"),
        ("/meetings/2025-06-20-yuquan-parking/", "/feeds/all"),
    ],
)
def test_every_page_advertises_its_feed(
    complete_site: Path, read_page, url: str, feed: str
) -> None:
    html = read_page(complete_site, url)
    assert '<link rel="alternate" type="application/atom+xml" title="' in html
    assert f'href="{feed}.atom.xml">' in html and f'href="{feed}.rss.xml">' in html


def test_the_subscribe_page_lists_every_url_to_copy(complete_site: Path, read_page) -> None:
    html = read_page(complete_site, "/subscribe/")
    for key in FEEDS:
        for kind in ("atom", "rss"):
            assert f"<code>{SITE}/feeds/{key}.{kind}.xml</code>" in html
    for place in PLACES:
        assert f"<code>{SITE}/calendar/places/{place}.ics</code>" in html
        assert f'href="webcal://yishi.xihu.example.cn/calendar/places/{place}.ics"' in html
    assert f"<code>{SITE}/calendar/meetings.ics</code>" in html
    assert "RSS 阅读器" in html and "添加已订阅的日历" in html


def _edit(content: Path, relative: str, old: str, new: str) -> None:
    path = content / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_status_change_moves_the_entry_up_without_an_updated_field(
    tmp_path: Path, complete_site: Path
) -> None:
    """An outcome closed with its ``done_date``, a project with a new milestone: the entry's
    ``updated`` is that date and it leads the feed; the editor wrote no ``updated:``."""
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    outcome, project = "2025-05-28-elevator-assembly", "lingshan-clinic-upgrade"
    _edit(content, f"outcomes/{outcome}.md", "status: open", "status: done\ndone_date: 2025-06-14")
    _edit(
        content, f"projects/{project}.md", "status: approved",
        "status: approved\nmilestones:\n  - {date: 2025-06-13, text: 完成施工招标}",
    )  # fmt: skip
    build_complete(tmp_path / "out", content=content)

    before, after = parse(complete_site, "outcomes"), parse(tmp_path / "out", "outcomes")
    url = f"{SITE}/outcomes/{outcome}/"
    assert entry_ids(before)[0] != url and entry_ids(after)[0] == url
    assert after.entries[0].updated == "2025-06-14T00:00:00+08:00"
    everything = entry_ids(parse(complete_site, "all")), entry_ids(parse(tmp_path / "out", "all"))
    assert everything[1].index(url) < everything[0].index(url)

    before, after = parse(complete_site, "projects"), parse(tmp_path / "out", "projects")
    url = f"{SITE}/projects/{project}/"
    old = next(e for e in before.entries if e.id == url)
    new = next(e for e in after.entries if e.id == url)
    assert (old.updated, new.updated) == ("2025-06-02T00:00:00+08:00", "2025-06-13T00:00:00+08:00")
    assert entry_ids(after).index(url) < entry_ids(before).index(url)
    assert "完成施工招标" in new.content[0].value


def test_the_subscribe_page_suits_phones_in_mainland_china(complete_site: Path, read_page) -> None:
    """Steps for the phone's own calendar (iOS, Android with a download to import), any RSS
    reader, WeChat; no service residents cannot reach, and no link to another host."""
    html = read_page(complete_site, "/subscribe/")
    for words in ["苹果手机（iPhone）", "“设置” → “日历” → “账户” → “添加账户” → “其他” → “添加已订阅的日历”",
                  "安卓手机", "下载", ".ics", "只<strong>导入一次</strong>", "任何支持 RSS 或 Atom 的阅读器",
                  "复制通知文字", "微信群"]:  # fmt: skip
        assert words in html, words
    for name in ["Google", "Feedly", "Inoreader", "NetNewsWire"]:
        assert name not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert [h for h in hrefs if "://" in h and "://yishi.xihu.example.cn/" not in h] == []
    assert 'href="/calendar/places/lingshan.ics" type="text/calendar" download>下载</a>' in html
