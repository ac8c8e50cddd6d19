"""The URL table: every file a build writes is a path the table spells, reached through the plan,
the subscription catalogue or the open data — nothing else writes a path of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import complete_build, tree

from gongshi.outputs.opendata import board
from gongshi.outputs.opendata.declarations import data_files, tables
from gongshi.publish.guards import MARKER
from gongshi.publish.manifest import MANIFEST
from gongshi.site import urls

COPIED = ("theme/", "files/", "pagefind/")  # Pelican's static copies and Pagefind's own bundle


def test_every_file_the_build_writes_comes_from_the_table(complete_site: Path) -> None:
    build = complete_build()
    paths = [page.url for page in build.pages]
    paths += [urls.SITEMAP, urls.ROBOTS]
    paths += [url for feed in build.subscriptions.feeds() for url in (feed.atom, feed.rss)]
    paths += [calendar.path for calendar in build.subscriptions.calendars()]
    paths += [urls.event(meeting) for meeting in build.index.items("meeting")]
    for data_file in data_files():
        paths += [data_file.json, data_file.schema]
    paths += [table.path for table in tables()]
    paths += board.paths()  # the public ledger board's board.json, its schema and CSV files
    expected = [urls.save_as(path) for path in paths]

    written = [name for name in tree(complete_site) if not name.startswith(COPIED)]
    assert len(expected) == len(set(expected))  # no two things share a path
    assert sorted(expected) == sorted(n for n in written if n not in (MARKER, MANIFEST))


def test_pages_carry_what_their_urls_used_to_say() -> None:
    build = complete_build()
    by_url = {page.url: page for page in build.pages}
    meetings = build.subscriptions.feed("meeting")
    assert by_url["/meetings/"].feed == meetings and by_url["/meetings/"].section == "meeting"
    place = by_url["/places/yuquan/"]
    assert place.feed == build.subscriptions.feed(place="yuquan")
    assert place.calendar == build.subscriptions.calendar("yuquan")
    assert place.section == "places" and by_url["/places/"].section == "places"
    for url in ("/", "/search/", "/about/", "/data/", "/404.html", "/places/"):
        assert by_url[url].feed.everything and not by_url[url].searchable
    item = build.index.items("outcome")[0]
    assert by_url[item.url].searchable and by_url[item.url].feed.everything
    assert not by_url[urls.notice(build.index.items("meeting")[0])].searchable


@pytest.mark.parametrize(
    ("path", "file"),
    [("/", "index.html"), ("/meetings/page/2/", "meetings/page/2/index.html"),
     ("/404.html", "404.html"), ("/feeds/all.rss.xml", "feeds/all.rss.xml")],
)  # fmt: skip
def test_a_folder_path_is_written_as_its_index_page(path: str, file: str) -> None:
    assert urls.save_as(path) == file


def test_list_pages_and_feeds_are_spelled_by_type_and_place() -> None:
    assert urls.listing("meeting") == "/meetings/"
    assert urls.listing("outcome", 3) == "/outcomes/page/3/"
    assert urls.feed("atom") == "/feeds/all.atom.xml"
    assert urls.feed("rss", item_type="case") == "/feeds/cases.rss.xml"
    assert urls.feed("atom", place_id="yuquan") == "/feeds/places/yuquan.atom.xml"
    assert urls.calendar() == "/calendar/meetings.ics"
    assert urls.calendar("yuquan") == "/calendar/places/yuquan.ics"
    with pytest.raises(ValueError, match="json"):
        urls.feed("json")


def test_each_data_file_has_its_documentation_page_in_the_plan() -> None:
    build = complete_build()
    by_url = {page.url: page for page in build.pages}
    for data_file in data_files():
        assert data_file.doc == urls.data_doc(data_file.name) == f"/data/{data_file.name}/"
        page = by_url[data_file.doc]
        assert page.template == "data_file.html" and page.in_sitemap and not page.searchable
        assert page.context["doc"].file == data_file
    assert urls.data_doc("meetings") == "/data/meetings/"
