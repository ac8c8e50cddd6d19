"""The public ledger board on the board test site (tests/sites/board, its README lists the known
answers): the same exact figures on /board/, on the place pages, in board.json and the CSVs."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from browser.gates import PAGE_BUDGET, page_weight
from conftest import BOARD, BOARD_NOW, run_cli

from gongshi.outputs.opendata import board as board_data
from gongshi.site import urls

ReadPage = Callable[[Path, str], str]


@pytest.fixture(scope="module")
def data(board_site: Path) -> dict:  # type: ignore[type-arg]
    loaded: dict = json.loads((board_site / "data" / "board.json").read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return loaded


def text(html: str) -> str:
    """A page's words without tags, as a resident reads them (table cells apart)."""
    cells = re.sub(r"</t[dh]>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells))


def read_csv(site: Path, name: str) -> list[list[str]]:
    raw = (site / "data" / f"board-{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, like the other CSVs
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


# -- the page -------------------------------------------------------------------------------------
def test_the_board_page_states_its_rules_and_window(board_site: Path, read_page: ReadPage) -> None:
    words = text(read_page(board_site, urls.BOARD))
    assert "统计2025年1月至2025年6月，共 6 个月（2025年6月尚未结束，不计为未达到）" in words
    assert "每月至少召开 1 场议事协商会；会议至少提前 3 天公示" in words
    assert "各项数字怎么算" in words and "最近 6 个自然月" in words


def test_meetings_kept_on_the_board_page(board_site: Path, read_page: ReadPage) -> None:
    html = read_page(board_site, urls.BOARD)
    words = text(html)
    assert "全站共召开议事协商会 15 场" in words
    assert "3 个社区、村共 15 个“社区·月”，其中 14 个达到每月至少 1 场" in words
    assert "1 个社区、村有月份未达到" in words
    assert "桥西街道：西苑社区 1 个月" in words  # in words, not only colour
    assert "公示不足 3 天的 1 场，已召开但没有会议记录的 1 场" in words
    assert "另有会期已过、还没有改为“已召开”的 1 场，不计入" in words
    assert "北村6月议事协商会（2025年6月12日，会期已过，记录待更新）" in words
    assert "东里社区3月议事协商会（2025年3月11日召开，提前 1 天公示）" in words
    assert '<a href="/meetings/2025-04-15-dongli/">东里社区4月议事协商会</a>' in html
    # the portal's grid: per 街道/镇 and month, communities that met the minimum
    row = re.search(r'<a href="/places/qiaoxi/#board">桥西街道</a><ol>(.*?)</ol>', html)
    assert row and re.findall(r"<li>([^<]*)</li>", row.group(1)) == [
        "2025年1月 2/2", "2月 2/2", "3月 1/2", "4月 2/2", "5月 2/2", "6月 1/2",
    ]  # fmt: skip


def test_outcomes_followed_through_on_the_board_page(board_site: Path, read_page: ReadPage) -> None:
    html = read_page(board_site, urls.BOARD)
    words = text(html)
    assert "全站达成协商结果 6 项" in words
    assert (
        "已经到期的 3 项中，按时办结 1 项，逾期办结 1 项，到期仍未办结 1 项，按时办结率 33.3%"
        in words
    )
    assert "天数中位数为 50 天，90% 在 57 天以内" in words
    assert "现在逾期未办结的 1 项" in words
    overdue = re.search(r'<caption id="board-outcome-overdue">.*?</table>', html, re.S)
    assert overdue
    assert "北村危桥加固逾期未办结 区住建委 2025年5月31日 15 天" in text(overdue.group(0))
    assert '<a href="/outcomes/beicun-overdue/">' in overdue.group(0)
    assert '<th scope="row">吹哨报到</th><td>3</td>' in html


def test_the_project_pool_on_the_board_page(board_site: Path, read_page: ReadPage) -> None:
    html = read_page(board_site, urls.BOARD)
    words = text(html)
    assert (
        "项目池共 5 个项目：已入池 1 个，已立项 1 个，实施中 1 个，已完成 1 个，暂缓 1 个" in words
    )
    assert "预算合计 28万元（1 个项目未填写预算）" in words
    assert "过了计划完成日期仍未完成的 1 个" in words
    assert "东里社区电动自行车充电桩 实施中 40%" in words
    assert "北村主路路灯 南镇城建办 2025年5月31日 15 天" in words


def test_the_trend_table_month_by_month(board_site: Path, read_page: ReadPage) -> None:
    html = read_page(board_site, urls.BOARD)
    table = re.search(r'<caption id="board-months">.*?</table>', html, re.S)
    assert table
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table.group(0))
    assert [(m, re.findall(r"<td>([^<]*)</td>", cells)) for m, cells in rows] == [
        ("2025年1月", ["3", "3/3", "0", "1", "0"]),
        ("2025年2月", ["3", "3/3", "0", "2", "2"]),
        ("2025年3月", ["2", "2/3", "1", "1", "0"]),
        ("2025年4月", ["3", "3/3", "0", "1", "1"]),
        ("2025年5月", ["3", "3/3", "0", "1", "0"]),
        ("2025年6月（进行中）", ["1", "1/3", "0", "0", "0"]),
    ]


@pytest.mark.parametrize("url", [urls.BOARD, "/places/qiaoxi/", "/places/beicun/", urls.BOARD_DATA])
def test_every_id_on_a_board_page_is_unique(
    board_site: Path, read_page: ReadPage, url: str
) -> None:
    ids = re.findall(r' id="([^"]+)"', read_page(board_site, url))
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_the_charts_are_static_accessible_svg(board_site: Path, read_page: ReadPage) -> None:
    html = read_page(board_site, urls.BOARD)
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S)
    assert len(charts) == 3  # outcome status, project progress, meetings per month
    for svg in charts:
        name = re.search(r'id="([^"]+)" role="img" aria-labelledby="\1-t"', svg)
        assert name and f'<title id="{name.group(1)}-t">' in svg
        assert "<text" in svg and "<script" not in svg and "font-family" not in svg
    held = next(s for s in charts if "每月召开的议事协商会" in s)
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", held)
    assert labels[-2:] == ["2025年6月", "1 场"] and 'fill="url(#board-chart-held-h)"' in held
    assert "<figcaption>" in html and "斜线为尚未结束的本月" in html


# -- place pages -----------------------------------------------------------------------------------
def test_a_jurisdictions_board_covers_its_communities(
    board_site: Path, read_page: ReadPage
) -> None:
    html = read_page(board_site, "/places/qiaoxi/")
    words = text(html)
    assert '<section class="board" aria-labelledby="board">' in html
    assert "桥西街道共召开议事协商会 10 场" in words
    assert "2 个社区、村共 10 个“社区·月”，其中 9 个达到" in words
    assert "西苑社区：2025年3月，共 1 个月未达到" in words
    row = re.search(r"<strong>西苑社区</strong><ol>(.*?)</ol>", html)
    assert row and re.findall(r"<li[^>]*>([^<]*)</li>", row.group(1)) == [
        "2025年1月 ✓ 1", "2月 ✓ 1", "3月 ✗ 0", "4月 ✓ 1", "5月 ✓ 1", "6月 … 0",
    ]  # fmt: skip
    assert '<li class="missed">3月 ✗ 0</li>' in row.group(1)  # marked, and not by colour alone
    dongli = re.search(r"<strong>东里社区</strong><ol>(.*?)</ol>", html)
    assert dongli and "3月 ✓ 1 迟" in dongli.group(1) and "4月 ✓ 1 缺" in dongli.group(1)
    grid = re.search(r'<ul class="board-grid">.*?</ul>', html, re.S)
    assert grid and "北村" not in grid.group(0)


def test_a_communitys_board_is_its_own(board_site: Path, read_page: ReadPage) -> None:
    words = text(read_page(board_site, "/places/beicun/"))
    assert "北村共召开议事协商会 5 场" in words
    assert "北村达成协商结果 3 项" not in words and "北村达成协商结果 2 项" in words
    assert "按时办结率 0%" in words  # its one due outcome is overdue


def test_the_board_is_in_the_navigation_and_the_plan(board_site: Path, read_page: ReadPage) -> None:
    home = read_page(board_site, "/")
    assert '<a href="/board/">台账</a>' in home
    board = read_page(board_site, urls.BOARD)
    assert '<a href="/board/" aria-current="page">台账</a>' in board
    sitemap = (board_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://board.example.cn/board/</loc>" in sitemap


# -- the data --------------------------------------------------------------------------------------
def test_board_json_has_the_same_figures(data: dict) -> None:  # type: ignore[type-arg]
    assert data["rules"] == {"monthly_minimum": 1, "notice_days": 3, "months": 6}
    assert data["months"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    meetings = data["meetings"]
    assert (meetings["held"], meetings["community_months"], meetings["community_months_met"]) == (
        15, 15, 14,
    )  # fmt: skip
    assert [(m["meeting"]["id"], m["lead_days"]) for m in meetings["late"]] == [
        ("2025-03-11-dongli", 1)
    ]
    assert [m["meeting"]["id"] for m in meetings["without_record"]] == ["2025-04-15-dongli"]
    assert [m["meeting"]["id"] for m in meetings["not_updated"]] == ["2025-06-12-beicun"]
    missed = {c["place"]["id"]: c["missed"] for c in meetings["communities"]}
    assert missed == {"dongli": [], "xiyuan": ["2025-03"], "beicun": []}
    xiyuan = next(c for c in meetings["communities"] if c["place"]["id"] == "xiyuan")
    assert [m["met"] for m in xiyuan["months"]] == [True, True, False, True, True, None]
    assert xiyuan["jurisdiction"]["title"] == "桥西街道"
    outcomes = data["outcomes"]
    assert (outcomes["on_time"], outcomes["late_done"], outcomes["late_open"]) == (1, 1, 1)
    assert outcomes["on_time_rate"] == 0.3333
    assert outcomes["days_to_done"] == {"count": 3, "median": 50.0, "p90": 57}
    assert [(o["outcome"]["id"], o["days_overdue"], o["lead"]) for o in outcomes["overdue"]] == [
        ("beicun-overdue", 15, "区住建委")
    ]
    assert {r["code"]: r["count"] for r in outcomes["by_route"]}["whistle"] == 3
    projects = data["projects"]
    assert (projects["total"], projects["budget_total"], projects["without_budget"]) == (
        5,
        280000,
        1,
    )
    assert [(p["project"]["id"], p["progress"]) for p in projects["active"]] == [
        ("dongli-charging", 40), ("beicun-lights", 10),
    ]  # fmt: skip
    assert [(p["project"]["id"], p["days_overdue"]) for p in projects["past_due"]] == [
        ("beicun-lights", 15)
    ]
    assert [t["held"] for t in data["trend"]] == [3, 3, 2, 3, 3, 1]
    assert data["meetings"]["late"][0]["meeting"]["url"] == (
        "https://board.example.cn/meetings/2025-03-11-dongli/"
    )


def test_board_json_matches_its_schema(board_site: Path, data: dict) -> None:  # type: ignore[type-arg]
    schema = json.loads((board_site / "data/schema/board.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(data)] == []
    assert data["schema"] == "https://board.example.cn/data/schema/board.schema.json"
    broken = {**data, "extra": 1}
    assert not validator.is_valid(broken)  # nothing undeclared slips in


def test_one_csv_per_board_table(board_site: Path) -> None:
    names = sorted(p.name for p in (board_site / "data").glob("board-*.csv"))
    assert names == sorted(f"board-{t.name}.csv" for t in board_data.TABLES)
    meetings = read_csv(board_site, "meetings")
    assert meetings[0][:5] == ["社区、村", "所属街道、镇", "月份", "召开场数", "是否达到最少次数"]
    assert ["西苑社区", "桥西街道", "2025-03", "0", "否", "0", "0", ""] in meetings
    assert ["东里社区", "桥西街道", "2025-03", "1", "是", "1", "0", "1"] in meetings
    assert ["西苑社区", "桥西街道", "2025-06", "0", "本月未结束", "0", "0", ""] in meetings
    assert ["办理时限", "按时办结率（%）", "33.3"] in read_csv(board_site, "outcomes")
    assert ["办结天数", "90 分位", "57"] in read_csv(board_site, "outcomes")
    overdue = read_csv(board_site, "overdue")
    assert overdue[1:] == [
        ["协商结果", "北村危桥加固逾期未办结", "https://board.example.cn/outcomes/beicun-overdue/",
         "区住建委", "2025-05-31", "15"],
        ["民心项目", "北村主路路灯", "https://board.example.cn/projects/beicun-lights/",
         "南镇城建办", "2025-05-31", "15"],
    ]  # fmt: skip
    assert read_csv(board_site, "trend")[3] == ["2025-03", "2", "2", "3", "1", "1", "0"]
    assert ["东里社区电动自行车充电桩"] == [r[0] for r in read_csv(board_site, "projects")[1:2]]


def test_the_data_pages_document_the_board_files(board_site: Path, read_page: ReadPage) -> None:
    data = read_page(board_site, urls.DATA)
    assert f'href="{urls.BOARD_JSON}"' in data and f'href="{urls.BOARD_DATA}"' in data
    html = read_page(board_site, urls.BOARD_DATA)  # its own page: /data/ keeps its budget
    assert f'href="{urls.BOARD_JSON}"' in html and f'href="{urls.BOARD_SCHEMA}"' in html
    for table in board_data.TABLES:
        assert f'href="{table.path}"' in html
    for name in (
        "rules.notice_days",
        "outcomes.on_time_rate",
        "meetings.communities[].months[].met",
    ):
        assert "<code>" + name.replace(".", ".<wbr>") + "</code>" in html
    assert f'href="{urls.BOARD_DATA}"' in read_page(board_site, urls.BOARD)
    regions = re.findall(r'role="region" aria-labelledby="([^"]+)" tabindex="0"', html)
    assert len(regions) == html.count("<table") == 1 + len(board_data.TABLES)
    for caption_id in regions:
        assert f'<caption id="{caption_id}">' in html


def test_the_board_is_deterministic(board_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    code, _, err = run_cli(
        "--settings", str(BOARD / "pelicanconf.py"), "build", "--output", str(again),
        "--now", BOARD_NOW,
    )  # fmt: skip
    assert code == 0, err
    for path in ("board/index.html", "data/board.json", "places/qiaoxi/index.html",
                 "data/board-meetings.csv"):  # fmt: skip
        assert (again / path).read_bytes() == (board_site / path).read_bytes(), path


def test_the_board_stays_within_the_page_budget_at_400_communities(tmp_path: Path) -> None:
    # the worst case: 40 街道 × 10 communities, none of which met any month
    content = tmp_path / "content"
    lines = []
    for j in range(40):
        lines += [f"j{j}:", f"  name: 第{j}街道", "  kind: subdistrict", "  district: 测试区"]
        lines.append("  communities:")
        lines += [
            f"    j{j}-c{c}: {{name: 第{j}街道第{c}社区, kind: community}}" for c in range(10)
        ]
    content.mkdir()
    (content / "places.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--settings", str(BOARD / "pelicanconf.py"), "build", "--content", str(content),
        "--output", str(output), "--now", BOARD_NOW,
    )  # fmt: skip
    assert code == 0, err
    for url in (urls.BOARD, "/places/j0/", "/places/j0-c0/"):
        assert page_weight(output, url) < PAGE_BUDGET, url
    board = text((output / "board" / "index.html").read_text(encoding="utf-8"))
    assert "第0街道：10 个社区、村（共 10 个），名单见其台账" in board
