"""A rebuild where only "now" moved rewrites only what says something else.

The build's time is on ``/about/#updated``, the ledger board and the open-data pages and files,
and nowhere else: feeds and calendars date themselves by their content's last change, every
other page by nothing. So an hour later (no state moves on the complete site until 2025-06-19)
only those files differ, and a day later also the pages whose 已逾期 day count moved; the search
index not at all, as the count of days is not indexed (``data-pagefind-ignore``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import build_complete

ABOUT_THE_BUILD = ("about/", "board/", "data/", ".gongshi-manifest.json")
# on the complete site (built 2025-06-15 10:00), the pages with a day count that moves on the 16th
OVERDUE_DAYS = {
    "meetings/2025-05-20-tongjianhu-noise/index.html",
    "outcomes/2025-05-20-noise-whistle/index.html",
    "outcomes/page/2/index.html",
    "overdue/index.html",
    "places/shuangpu/index.html",
    "places/shuangpu/overdue/index.html",
    "places/tongjianhu/index.html",
    "places/tongjianhu/overdue/index.html",
}


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _differ(one: dict[str, str], two: dict[str, str]) -> set[str]:
    return {name for name in one.keys() | two.keys() if one.get(name) != two.get(name)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    root = tmp_path_factory.mktemp("now-moves")
    found = {}
    for name, now in (("base", "2025-06-15 10:00"), ("hour", "2025-06-15 11:00"),
                      ("day", "2025-06-16 11:00")):  # fmt: skip
        build_complete(root / name, now=now)
        found[name] = _files(root / name)
    return found


def test_an_hour_later_only_the_site_update_time_and_the_ledger_differ(
    built: dict[str, dict[str, str]],
) -> None:
    changed = _differ(built["base"], built["hour"])
    assert "about/index.html" in changed and "board/index.html" in changed
    assert all(name.startswith(ABOUT_THE_BUILD) for name in changed), sorted(changed)
    assert not any(name.startswith("pagefind/") for name in changed)  # the index as it was
    assert not any(name.endswith((".ics", ".xml")) for name in changed)  # feeds, calendars


def test_a_day_later_the_pages_whose_day_count_moved_differ_too(
    built: dict[str, dict[str, str]],
) -> None:
    changed = _differ(built["base"], built["day"])
    pages = {name for name in changed if name.endswith(".html")}
    assert {p for p in pages if not p.startswith(ABOUT_THE_BUILD)} == OVERDUE_DAYS
    elsewhere = changed - pages
    assert not any(name.endswith((".ics", ".xml")) for name in elsewhere)
    assert not any(name.startswith("pagefind/") for name in elsewhere)  # days are not indexed
    assert len(built["day"]) == len(built["base"])
