"""Whole builds: golden output, determinism, drafts, sanitizing, failure safety, strictness."""

from __future__ import annotations

import difflib
import gc
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, build_complete, run_cli, tree

from gongshi import plugin
from gongshi.publish import manifest, run
from gongshi.publish.assets import theme_urls
from gongshi.publish.manifest import MANIFEST

GOLDEN = ROOT / "tests" / "golden" / "complete"
REGENERATE = "bash scripts/regen-golden.sh"


def test_complete_site_matches_golden_output(complete_site: Path) -> None:
    # pagefind/ is Pagefind's generated index and scripts, not Gongshi's output: it is left out
    # here (and of tests/golden) and covered by the determinism test below and by test_search.py.
    # The manifest hashes pagefind/ too: left out likewise, and covered by tests/test_deploy.py.
    built = {
        name: data
        for name, data in tree(complete_site).items()
        if not name.startswith("pagefind/") and name != MANIFEST
    }
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden), (
        f"files differ from the golden output; if intended: {REGENERATE}"
    )
    for name, data in built.items():
        if data != golden[name]:
            diff = difflib.unified_diff(
                golden[name].decode().splitlines(),
                data.decode().splitlines(),
                "golden",
                "built",
                lineterm="",
                n=1,
            )
            pytest.fail(
                f"{name} differs from the golden output (if intended: {REGENERATE}):\n"
                + "\n".join(list(diff)[:40])
            )


def test_same_content_and_now_give_byte_identical_trees(
    tmp_path: Path, complete_site: Path
) -> None:
    again = tmp_path / "again"
    build_complete(again)
    assert tree(again) == tree(complete_site)


def test_a_different_now_changes_what_is_upcoming(tmp_path: Path, read_page) -> None:
    later = tmp_path / "later"
    build_complete(later, now="2025-07-01 10:00")
    upcoming = read_page(later, "/meetings/").split('id="past-title"')[0]
    assert "2025-06-20-yuquan-parking" not in upcoming


def test_drafts_appear_nowhere(complete_site: Path) -> None:
    assert not (complete_site / "meetings" / "2025-06-30-lingshan-draft").exists()
    for name, data in tree(complete_site).items():
        text = data.decode("utf-8", errors="replace")
        assert "草稿不应出现" not in text, name
        assert "2025-06-30-lingshan-draft" not in text, name


def test_raw_html_in_markdown_is_sanitized_everywhere(complete_site: Path, read_page) -> None:
    page = read_page(complete_site, "/meetings/2025-05-28-yuquan-elevator/")
    assert "<table>" in page and "杭州市人民政府门户网站" in page  # harmless markup survives
    json_ld = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
    # the only executable scripts are the theme's and Pagefind's own files, never inline code
    theme_script = re.compile(
        r'<script (?:type="module" )?src="/(?:theme/js|pagefind)/[\w./-]+"(?: defer)?></script>'
    )
    for name, data in tree(complete_site).items():
        if name.endswith((".html", ".xml")):
            text = data.decode()
            for block in json_ld.findall(text):  # schema.org data, never executed
                json.loads(block)
                assert "<script" not in block and "</" not in block, name
            assert "<script" not in theme_script.sub("", json_ld.sub("", text)), name
            assert "javascript:" not in text, name
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), name


def test_templates_escape_content(tmp_path: Path, read_page) -> None:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    case = content / "cases" / "yuquan-elevator-story.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("title: ", "title: <b>粗体</b>", 1),
        encoding="utf-8",
    )
    build_complete(tmp_path / "out", content=content)
    page = read_page(tmp_path / "out", "/cases/yuquan-elevator-story/")
    assert "&lt;b&gt;粗体&lt;/b&gt;" in page and "<b>粗体</b>" not in page


def _invalid_copy(tmp_path: Path) -> Path:
    content = tmp_path / "bad-content"
    shutil.copytree(COMPLETE / "content", content)
    outcome = content / "outcomes" / "2025-05-20-noise-whistle.md"
    outcome.write_text(
        outcome.read_text(encoding="utf-8").replace("route: whistle", "route: wistle"),
        encoding="utf-8",
    )
    return content


def test_a_failed_build_leaves_the_previous_output_untouched(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_complete(output)
    (output / "extra-file-from-before.txt").write_text("kept", encoding="utf-8")
    before = tree(output)
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build",
        "--content", str(_invalid_copy(tmp_path)), "--output", str(output),
    )  # fmt: skip
    assert code == 1
    assert (
        "route: 应为 onsite、assembly、referred、whistle、pool、declined 之一，实际为 'wistle'（是否应为 'whistle'？）"
        in err
    )
    assert "原有输出目录保持不变" in err
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad-content",
        "output",
    ]  # no staging left


def test_a_successful_build_replaces_the_whole_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_complete(output)  # an earlier build: its output carries the marker
    (output / "stale.html").write_text("old", encoding="utf-8")
    build_complete(output)
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()


def settings_with_theme(tmp_path: Path, theme: Path) -> Path:
    """A settings file for the complete site with ``theme`` (a copy the test changes)."""
    settings = tmp_path / "conf.py"
    settings.write_text(
        (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nTHEME = {str(theme)!r}\nPATH = {str(COMPLETE / 'content')!r}\n",
        encoding="utf-8",
    )
    return settings


def test_a_theme_error_fails_the_build_and_keeps_the_output(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "gongshi", theme)
    home = theme / "templates" / "home.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace(
            "{{ site.site_name }}", "{{ no_such_variable }}", 1
        ),
        encoding="utf-8",
    )
    settings = settings_with_theme(tmp_path, theme)
    output = tmp_path / "output"
    build_complete(output)
    before = tree(output)
    code, _, err = run_cli("--settings", str(settings), "build", "--output", str(output))
    assert code == 3, err
    assert "no_such_variable" in err  # StrictUndefined: never a silent blank
    assert tree(output) == before


def test_a_missing_theme_file_fails_the_build_and_keeps_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bytecode written where Python would write it (unless PYTHONDONTWRITEBYTECODE is set):
    # importing the settings file writes none beside it all the same
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "gongshi", theme)
    (theme / "static" / "css" / "site.css").unlink()  # every page links to it
    settings = settings_with_theme(tmp_path, theme)
    output = tmp_path / "output"
    build_complete(output)
    before = tree(output)

    code, _, err = run_cli(
        "--settings", str(settings), "build", "--output", str(output), "--now", "2025-06-15 10:00"
    )

    assert (code, err) == (
        3,
        f"错误：页面引用的主题文件不存在：/theme/css/site.css（请检查主题 {theme} 的 static 文件夹）\n",
    )
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py", "output", "theme"]


def test_a_theme_file_removed_after_a_cached_build_fails_the_next_one(tmp_path: Path) -> None:
    """Pages taken over from the output are not scanned again (the build that wrote them checked
    them); a theme change makes every page new, so a file it lost is still found missing."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "gongshi", theme)
    settings = settings_with_theme(tmp_path, theme)
    output = tmp_path / "output"
    build = ("--settings", str(settings), "build", "--output", str(output), "--cache")
    assert run_cli(*build, "--now", "2025-06-15 10:00")[0] == 0
    before = tree(output)
    (theme / "static" / "css" / "large.css").unlink()
    code, _, err = run_cli(*build, "--now", "2025-06-15 10:00")
    assert code == 3 and "/theme/css/large.css" in err
    assert tree(output) == before


def test_theme_urls_skips_the_pages_that_are_the_previous_outputs_files(tmp_path: Path) -> None:
    previous, site = tmp_path / "previous", tmp_path / "site"
    (previous / "a").mkdir(parents=True)
    (site / "a").mkdir(parents=True)
    page = '<link rel="stylesheet" href="/theme/css/{}.css">'
    (previous / "a" / "index.html").write_text(page.format("old"), encoding="utf-8")
    os.link(previous / "a" / "index.html", site / "a" / "index.html")  # taken over
    (previous / "index.html").write_text(page.format("same"), encoding="utf-8")
    (site / "index.html").write_text(page.format("same"), encoding="utf-8")  # rendered again
    assert theme_urls(site, "theme", previous) == {"/theme/css/same.css"}
    assert theme_urls(site, "theme") == {"/theme/css/old.css", "/theme/css/same.css"}
    found = manifest.listing(site)  # as the build gives it, from the manifest's listing
    assert theme_urls(site, "theme", previous, found) == {"/theme/css/same.css"}
    assert theme_urls(site, "theme", None, found) == {"/theme/css/old.css", "/theme/css/same.css"}


def test_pelican_never_reads_the_typed_folders(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nTHEME = {str(ROOT / 'themes' / 'gongshi')!r}\nPATH = {str(COMPLETE / 'content')!r}\n"
        + "ARTICLE_PATHS = ['meetings', 'outcomes']\nPAGE_PATHS = ['projects']\nFEED_ALL_ATOM = 'feeds/all.atom.xml'\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--settings", str(settings), "build", "--output", str(output), "--now", "2025-06-15 10:00"
    )
    assert code == 0, err  # Pelican would log "Unknown status" for meetings, which is fatal here
    # Pelican's own feed would be feeds/all.atom.xml; the only feeds written are Gongshi's
    assert "<generator>Gongshi</generator>" in (output / "feeds" / "all.atom.xml").read_text(
        encoding="utf-8"
    )
    assert sorted(p.name for p in output.glob("*.html")) == ["404.html", "index.html"]


def test_unknown_gongshi_setting_is_a_config_error(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nTHEME = {str(ROOT / 'themes' / 'gongshi')!r}\nGONGSHI_PAGESIZE = 5\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--settings", str(settings), "check", "--content", str(COMPLETE / "content")
    )
    assert code == 2
    assert "未知设置 'GONGSHI_PAGESIZE'（是否应为 'GONGSHI_PAGE_SIZE'？）" in err


def test_a_missing_theme_is_a_config_error_not_a_traceback(tmp_path: Path) -> None:
    settings = tmp_path / "conf.py"
    settings.write_text(
        "SITEURL = 'https://x.example'\nTHEME = 'no/such/theme'\nPLUGINS = ['gongshi']\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--settings", str(settings), "check", "--content", str(COMPLETE / "content")
    )
    assert code == 2
    assert err.startswith("错误：设置文件") and "no/such/theme" in err


def test_bad_now_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run_cli(
        "--settings",
        str(COMPLETE / "pelicanconf.py"),
        "build",
        "--now",
        "tomorrow",
        "--output",
        str(tmp_path / "o"),
    )
    assert code == 2 and "'tomorrow' 不是有效时间" in err
    assert not (tmp_path / "o").exists()


def test_check_reports_counts_and_builds_nothing(tmp_path: Path) -> None:
    settings = str(COMPLETE / "pelicanconf.py")
    code, out, _ = run_cli("--settings", settings, "check", "--now", COMPLETE_NOW)
    assert code == 0
    assert out.splitlines() == [
        "内容检查通过：7 场议事会、8 项协商结果、5 个民心项目、2 个案例。",
        "下一次状态变化：2025年6月19日 00:00（「玉泉社区停车难问题议事协商会」申请截止）；届时请重新生成",
    ]
    assert not (tmp_path / "output").exists()


def test_build_says_when_the_next_state_change_falls(tmp_path: Path) -> None:
    """The last line of a successful build: the earliest instant a page would say something
    else, so whoever runs it knows by when to rebuild (docs/deploy.md)."""
    code, out, _ = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build",
        "--content", str(COMPLETE / "content"), "--output", str(tmp_path / "o"),
        "--now", "2025-06-20 14:00",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[-1] == (
        "下一次状态变化：2025年6月20日 14:30（「玉泉社区停车难问题议事协商会」开始）；届时请重新生成"
    )
    code, out, _ = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build",
        "--content", str(COMPLETE / "content"), "--output", str(tmp_path / "o"),
        "--now", "2030-01-01 00:00",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[-1] == "下一次状态变化：无（没有待召开的议事会或未到期的办理时限）"


def test_build_says_how_many_pages_and_files_it_wrote(tmp_path: Path) -> None:
    """The counts a build reports are those of its output, cold, incremental and unchanged."""
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    output = tmp_path / "o"

    def build() -> tuple[int, int]:
        code, out, _ = run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--cache",
            "--content", str(content), "--output", str(output), "--now", COMPLETE_NOW,
        )  # fmt: skip
        assert code == 0
        said = re.search(r"已生成 (\d+) 个页面（共 (\d+) 个文件）", out)
        if said is None:  # nothing changed: only the pages are said
            kept = re.search(r"保持原样（(\d+) 个页面）", out)
            assert kept is not None, out
            return int(kept[1]), written()[1]
        return int(said[1]), int(said[2])

    def written() -> tuple[int, int]:
        files = [p for p in output.rglob("*") if p.is_file()]
        return sum(p.suffix == ".html" for p in files), len(files)

    assert build() == written()  # cold
    assert build() == written()  # nothing changed: the output in place, as recorded
    edited = sorted((content / "meetings").glob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    assert build() == written()  # incremental: most files taken over
    assert written()[1] > 100


def test_sitemap_lists_every_page_but_404(complete_site: Path) -> None:
    sitemap = (complete_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>https://yishi\.xihu\.example\.cn(/[^<]*)</loc>", sitemap)
    pages = {
        ("/" + str(p.relative_to(complete_site).parent) + "/").replace("/./", "/")
        for p in complete_site.rglob("index.html")
    }
    assert set(locs) == pages
    assert "404" not in sitemap
    robots = (complete_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://yishi.xihu.example.cn/sitemap.xml" in robots


def test_the_bundled_portal_builds_with_sample_notice(bundled_site: Path, read_page) -> None:
    home = read_page(bundled_site, "/")
    assert '<html lang="zh-CN" id="large">' in home
    assert "示例" in home and "本站为 Gongshi 演示站点" in home
    about = read_page(bundled_site, "/about/")
    assert "根据已公开发表的两篇“接诉即办”典型案例改写的示例" in about


def test_nothing_of_the_bundled_places_is_in_the_code() -> None:
    names = ["花乡", "北宫", "丰台", "郭北", "guobei", "huaxiang", "beigong", "dahuichang"]
    for path in [
        *(ROOT / "gongshi").rglob("*.py"),
        *(ROOT / "gongshi").rglob("*.yaml"),
        *(ROOT / "themes").rglob("*.*"),
    ]:
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert name not in text, f"{path} mentions {name}"


def test_a_build_collects_garbage_less_often_and_restores_the_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's objects live until its end: the collector's thresholds are raised while it
    runs (``run.COLLECT_AFTER``) and given back after it, also when it fails."""
    seen: list[tuple[int, int, int]] = []
    generate = plugin.GongshiGenerator.generate_context

    def noting(self: plugin.GongshiGenerator) -> None:
        seen.append(gc.get_threshold())
        generate(self)

    monkeypatch.setattr(plugin.GongshiGenerator, "generate_context", noting)
    before = gc.get_threshold()
    assert build_complete(tmp_path / "output") == 0
    assert seen == [run.COLLECT_AFTER] and gc.get_threshold() == before
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    (content / "places.yaml").write_text("- 不是地点表", encoding="utf-8")
    assert build_complete(tmp_path / "broken", content=content) != 0
    assert gc.get_threshold() == before
