"""``gongshi serve`` without a browser: the preview build, the server, the watcher, the error page.
(tests/browser/test_serve.py drives the whole loop in Chromium.)"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gongshi.errors import ConfigError, Problem
from gongshi.outputs.search import indexing as search
from gongshi.publish import cache
from gongshi.publish.guards import MARKER
from gongshi.publish.manifest import MANIFEST
from gongshi.serve import command, leftovers, watch
from gongshi.serve.command import _loop
from gongshi.serve.errorpage import failure_page, problems_page
from gongshi.serve.preview import INDEX_NICENESS, INDEXER, Outcome, Preview
from gongshi.serve.server import RELOAD_JS, Live, PreviewServer, inject, start
from gongshi.site.build import Build
from tests.conftest import (
    BUNDLED_NOW,
    ROOT,
    inodes,
    run_cli,
    spliced_groups,
    tree,
    words_merged,
)

MEETING = "content/meetings/2027-01-12-dahuichang-monthly.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / "project" / name)
    shutil.copy(ROOT / "pelicanconf.py", tmp_path / "project")
    return tmp_path / "project"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_preview_builds_apart_keeps_the_last_good_site_and_never_injects_into_files(
    project: Path, tmp_path: Path
) -> None:
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    first = preview.rebuild()
    assert first.ok and first.pages > 80
    site = preview.folder
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    assert not (site / "pagefind").exists()  # search waits for the editor to pause
    assert preview.index_search() == ""
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (project / "output").exists()
    assert preview.watched == [
        (project / "pelicanconf.py").resolve(), (project / "content").resolve(),
        (project / "themes" / "gongshi").resolve(),
    ]  # fmt: skip
    written = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert not any(b"__gongshi__" in data for data in written.values())

    _edit(project / MEETING, "format: meeting", "format: meetting")
    broken = preview.rebuild()
    assert not broken.ok
    assert [str(p) for p in broken.problems] == [
        f"{project / MEETING}:13: error: format: 应为 meeting、forum、onsite、online 之一，"
        "实际为 'meetting'（是否应为 'meeting'？） [field.enum]"
    ]
    assert (site / "index.html").read_bytes() == written[site / "index.html"]

    _edit(project / MEETING, "format: meetting", "format: meeting")
    _edit(project / "themes/gongshi/templates/base.html", "</body>", "<p>模板已改</p></body>")
    assert preview.rebuild().ok
    assert "<p>模板已改</p>" in (site / "index.html").read_text(encoding="utf-8")


def _left(preview: Preview) -> list[str]:
    """What is beside the preview, and in its indexer's folder: no scratch, once indexed."""
    serve = preview.folder.parent
    found = [*serve.iterdir(), *serve.glob(f"{INDEXER}/*")]
    return sorted(str(p.relative_to(serve)) for p in found)


def _clean_build(project: Path, output: Path) -> dict[str, bytes]:
    """What ``gongshi build`` makes of ``project`` in ``output``, by path."""
    code, _, err = run_cli(
        "--settings", str(project / "pelicanconf.py"), "build",
        "--output", str(output), "--now", BUNDLED_NOW,
    )  # fmt: skip
    assert code == 0, err
    return tree(output)


def test_a_save_renders_only_what_it_changed_and_the_preview_equals_a_clean_build(
    project: Path, tmp_path: Path
) -> None:
    """A preview keeps its build cache beside the site: a body edit renders the pages that show
    the body and takes over the rest, a rebuild with nothing changed leaves the site as it is,
    and the site is always what ``gongshi build`` makes of the same content (but search, which
    the preview indexes after the swap)."""
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert preview.rebuild().ok
    site = preview.folder
    before = inodes(site)
    _edit(project / MEETING, "## 背景资料", "## 背景资料\n\n会前补记一句。")
    assert preview.rebuild().ok
    after = inodes(site)
    rendered = {page for page in after if before.get(page) != after[page]}
    page = "meetings/2027-01-12-dahuichang-monthly/index.html"
    assert page in rendered  # shows the body; its list shows none: taken over
    assert "meetings/index.html" not in rendered
    assert "会前补记一句" in (site / page).read_text(encoding="utf-8")
    assert "about/index.html" not in rendered
    assert len(rendered) < len(after) / 4

    folder = site.stat().st_ino
    assert preview.rebuild().ok
    assert site.stat().st_ino == folder  # nothing changed: the very site that was there

    built = _clean_build(project, tmp_path / "clean")
    clean = {k: v for k, v in built.items() if not k.startswith("pagefind/")}
    made = tree(site)
    listed = json.loads(clean.pop(MANIFEST))
    listed["files"] = {k: v for k, v in listed["files"].items() if not k.startswith("pagefind/")}
    assert json.loads(made.pop(MANIFEST)) == listed
    assert made == clean


def test_the_preview_is_in_memory_only_with_room_for_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/dev/shm holds the preview only when it has room for it (a container's is 64 MB): else
    the disk's temporary folder, and every rebuild would not fail for want of space. The room
    asked for covers what a preview of the bundled portal takes, with its search index."""
    if command.in_memory() is None:
        pytest.skip("no /dev/shm to write in")
    content = project / "content"
    need = command.ROOM_FIXED + command.ROOM_PER_CONTENT_BYTE * command._bytes_below(content)
    free = [0]
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(free=free[0]))
    for room, expected in ((64 << 20, None), (need - 1, None), (need, "/dev/shm")):
        free[0] = room
        assert command.in_memory(content) == expected, room
    assert command._content(project / "pelicanconf.py") == content
    assert command._content(project / "missing.py") is None

    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert preview.rebuild().ok and not preview.index_search()
    _edit(project / MEETING, "## 背景资料", "## 背景资料\n\n会前补记一句。")
    assert preview.rebuild().ok and not preview.index_search()
    assert command._bytes_below(tmp_path / "serve") < need


def test_serve_removes_what_killed_previews_left_and_marks_its_own(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A serve that was killed leaves its folder (in /dev/shm: memory); the next serve removes
    it, says so, and marks its own folder for the serve after it (``serve/leftovers.py``)."""
    from tests.unit.test_leftovers import killed_preview  # noqa: PLC0415 (one helper, two tests)

    place = tmp_path / "shm"
    place.mkdir()
    left = killed_preview(place)
    monkeypatch.setattr(command, "in_memory", lambda content=None: str(place))
    seen: list[list[str]] = []

    def stop(preview: Preview, *rest: Any) -> None:
        seen.append(sorted(os.listdir(preview.folder.parent)))
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "_loop", stop)
    assert command.serve(project / "pelicanconf.py", 0, None) == 0
    assert not left.exists()
    assert f"已删除之前的预览（未正常停止）留下的临时文件夹：{left}" in capsys.readouterr().out
    assert seen == [[leftovers.MARK]]  # its own, marked (the site not built yet)
    assert list(place.iterdir()) == []  # and removed when it stopped


def test_a_settings_error_is_a_failure_message(project: Path, tmp_path: Path) -> None:
    (project / "pelicanconf.py").write_text("GONGSHI_NOPE = 1\n", encoding="utf-8")
    outcome = Preview(project / "pelicanconf.py", tmp_path / "site").rebuild()
    assert not outcome.ok and outcome.problems == ()
    assert "未知设置 'GONGSHI_NOPE'" in outcome.error


def test_the_builds_own_warnings_reach_the_terminal(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What ``gongshi build`` warns of (here: a setting that keeps the cache from being reused,
    so every save is a full build) the preview says too, after each rebuild — not dropped."""
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write("\nJINJA_FILTERS = {'first': lambda text: text[:1]}\n")
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    for _ in range(2):
        assert command._rebuild(preview, Live())
        err = capsys.readouterr().err
        assert "警告：设置 JINJA_FILTERS 的值含内存地址" in err
        assert "每次都是完整构建" in err


def test_a_saves_page_reloads_before_the_builds_bookkeeping(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages reload as soon as the new site is in place; keeping the build cache, recording
    the output and waiting for the old site's removal follow (0.15-0.2 s of a save at 10,000
    items), before anything else — and a rebuild runs what a caller left of them first."""
    steps: list[str] = []
    keep = cache.Cache.keep
    monkeypatch.setattr(
        cache.Cache, "keep", lambda self, output: steps.append("kept") or keep(self, output)
    )

    class Noted(Live):
        def publish(self, error_html: str | None) -> None:
            steps.append("reloaded")
            super().publish(error_html)

    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert command._rebuild(preview, Noted())
    assert steps == ["reloaded", "kept"]
    _edit(project / MEETING, "## 背景资料", "## 背景资料\n\n会前补记一句。")
    del steps[:]
    assert preview.rebuild().ok  # its bookkeeping left to the caller, who does not run it
    assert steps == []
    folder = preview.folder.stat().st_ino
    assert preview.rebuild().ok  # runs it first: then nothing changed, the site left in place
    assert steps == ["kept"]
    assert preview.folder.stat().st_ino == folder
    preview.stop()
    assert preview.finish() == ()


def test_a_preview_whose_settings_are_steady_warns_of_nothing(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert command._rebuild(preview, Live())
    assert command._rebuild(preview, Live())
    assert "警告" not in capsys.readouterr().err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PreviewServer, Live, Path]]:
    site = tmp_path / "site"
    (site / "meetings").mkdir(parents=True)
    (site / "index.html").write_text(
        "<!DOCTYPE html><title>首页</title><body><h1>首页</h1></body>", encoding="utf-8"
    )
    (site / "404.html").write_text("<body><h1>找不到</h1></body>", encoding="utf-8")
    for name in ("a.ics", "b.csv", "c.json", "d.xml", "e.css"):
        (site / name).write_text("x", encoding="utf-8")
    live = Live()
    server = start(0, site, live)
    yield server, live, site
    live.close()
    server.shutdown()
    server.server_close()


def _get(server: PreviewServer, path: str) -> tuple[int, Message, str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, response.headers, body


def test_pages_get_the_reload_script_and_files_their_types(
    served: tuple[PreviewServer, Live, Path],
) -> None:
    server, live, _ = served
    status, headers, body = _get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.endswith(
        f'<script src="{RELOAD_JS}" data-build="{live.build_id}"></script>\n</body>'
    )
    assert headers["Cache-Control"] == "no-store"
    types = {
        name: _get(server, "/" + name)[1]["Content-Type"]
        for name in ("a.ics", "b.csv", "c.json", "d.xml")
    }
    assert types == {
        "a.ics": "text/calendar; charset=utf-8", "b.csv": "text/csv; charset=utf-8",
        "c.json": "application/json", "d.xml": "application/xml; charset=utf-8",
    }  # fmt: skip
    status, _, body = _get(server, "/nowhere/")
    assert status == 404 and "<h1>找不到</h1>" in body and RELOAD_JS in body
    assert _get(server, RELOAD_JS)[2].count("location.reload()") == 1
    status, headers, _ = _get(server, "/meetings")
    assert status == 301 and headers["Location"] == "/meetings/"


def test_while_a_build_failed_every_page_is_the_error_page(
    served: tuple[PreviewServer, Live, Path],
) -> None:
    server, live, _ = served
    live.publish(failure_page("设置文件有误"))
    for path in ("/", "/meetings/x/", "/index.html"):
        status, _, body = _get(server, path)
        assert status == 500 and "设置或主题有误，网站没有更新" in body and live.build_id in body
    assert _get(server, "/e.css")[0] == 200  # the last good site's files still load
    live.publish(None)
    assert "<h1>首页</h1>" in _get(server, "/")[2]


def test_the_event_stream_names_each_new_build(served: tuple[PreviewServer, Live, Path]) -> None:
    server, live, _ = served
    connection = socket.create_connection(server.server_address, timeout=10)
    connection.sendall(b"GET /__gongshi__/events HTTP/1.0\r\n\r\n")
    stream = connection.makefile("rb")
    while stream.readline() not in (b"\r\n", b""):
        pass  # the headers
    first = live.build_id
    assert stream.readline() == f"data: {first}\n".encode()
    stream.readline()
    live.publish(None)
    assert stream.readline() == f"data: {live.build_id}\n".encode()
    assert live.build_id != first
    stream.close()
    connection.close()


def test_a_port_in_use_is_a_usage_error(
    served: tuple[PreviewServer, Live, Path], tmp_path: Path
) -> None:
    server, _, _ = served
    port = server.server_address[1]
    with pytest.raises(ConfigError, match=f"端口 {port} 已被占用.*--port {port + 1}"):
        start(port, tmp_path, Live())
    code, _, err = run_cli("--settings", str(ROOT / "pelicanconf.py"), "serve", "--port", str(port))
    assert code == 2 and f"错误：端口 {port} 已被占用" in err


def test_inject_without_a_body_appends() -> None:
    assert (
        inject("<p>x</p>", "b-1")
        == f'<p>x</p><script src="{RELOAD_JS}" data-build="b-1"></script>\n'
    )


def test_the_error_page_lists_every_problem_escaped() -> None:
    problems = [
        Problem("content/a.md", 3, "route", "实际为 '<b>'（是否应为 'whistle'？）", "field.enum"),
        Problem("content/b.md", 9, "tags", "重复的标签", "field.duplicate", "warning"),
    ]
    page = problems_page(problems)
    assert page.count("<li") == 2 and "&lt;b&gt;" in page and "<b>" not in page
    assert "错误：<code>content/a.md</code> 第 3 行" in page
    assert "<dt>建议</dt><dd>改为 <code>whistle</code></dd>" in page
    assert "警告：<code>content/b.md</code> 第 9 行" in page
    assert "共 1 个问题、1 个警告，涉及 2 个文件。" in page


def test_watch_sees_a_save_and_ignores_swap_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("1", encoding="utf-8")
    since = watch.snapshot([tmp_path])
    (tmp_path / ".a.md.swp").write_text("x", encoding="utf-8")
    assert watch.wait_for_change(lambda: [tmp_path], since, timeout=0.3) is None
    timer = threading.Timer(0.2, lambda: (tmp_path / "a.md").write_text("22", encoding="utf-8"))
    timer.start()
    started = time.monotonic()
    assert watch.wait_for_change(lambda: [tmp_path], since) == [str(tmp_path / "a.md")]
    assert time.monotonic() - started < 1.0
    timer.join()


def test_watch_reports_a_burst_of_saves_once(tmp_path: Path) -> None:
    since = watch.snapshot([tmp_path])

    def burst() -> None:
        for i in range(5):
            (tmp_path / f"{i}.md").write_text("x", encoding="utf-8")
            time.sleep(0.02)

    threading.Thread(target=burst).start()
    files = watch.wait_for_change(lambda: [tmp_path], since)
    assert files == [str(tmp_path / f"{i}.md") for i in range(5)]


class CountingPreview(Preview):
    """A preview whose builds only count, and save a file during the first one."""

    def __init__(self, project: Path) -> None:
        super().__init__(project / "pelicanconf.py", project / "site")
        self.watched = [project / "content"]
        self.builds: list[float] = []
        self.running = False

    def rebuild(self) -> Outcome:
        assert not self.running  # never two at once
        self.running = True
        self.builds.append(time.monotonic())
        if len(self.builds) == 1:
            (self.watched[0] / "saved-during-the-build.md").write_text("x", encoding="utf-8")
        if len(self.builds) == 3:
            raise KeyboardInterrupt
        time.sleep(0.2)
        self.running = False
        return Outcome(True, 0.2, pages=1)

    def locate(self) -> dict[str, Any]:
        return {}

    def index_search(self) -> str:
        return ""


def test_a_save_during_a_build_brings_exactly_one_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    preview = CountingPreview(tmp_path)

    def until_stopped() -> None:
        with pytest.raises(KeyboardInterrupt):
            _loop(preview, Live(), "", [])

    loop = threading.Thread(target=until_stopped, daemon=True)
    loop.start()
    deadline = time.monotonic() + 10
    while len(preview.builds) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.8)
    assert len(preview.builds) == 2  # the save during the first build, and nothing more
    (tmp_path / "content" / "a.md").write_text("y", encoding="utf-8")
    loop.join(timeout=10)
    assert not loop.is_alive() and len(preview.builds) == 3
    assert "saved-during-the-build.md 有改动，重新生成" in capsys.readouterr().out


def test_an_index_made_while_a_newer_build_started_is_dropped(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert preview.rebuild().ok
    real_write = search.write

    def write_then_a_save(made: Build, output: Path, *rest: Any) -> None:
        real_write(made, output, *rest)
        assert output != preview.folder  # Pagefind never writes into the site being served
        preview.rebuild()  # the editor saved while Pagefind ran: that build gets its own index

    monkeypatch.setattr(search, "write", write_then_a_save)
    assert preview.index_search() == ""
    assert not (preview.folder / "pagefind").exists()
    kept = [cache.FOLDER, INDEXER, f"{INDEXER}/{cache.FOLDER}", f"{INDEXER}/site", "site"]
    assert _left(preview) == kept  # the index was dropped, not what made it; no scratch
    monkeypatch.setattr(search, "write", real_write)
    assert preview.index_search() == ""
    assert (preview.folder / "pagefind" / "pagefind-entry.json").is_file()


def test_the_preview_indexes_an_edit_over_its_page_alone_as_a_cached_build_does(
    project: Path,
    tmp_path: Path,
    pagefind_runs: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The indexer keeps its shards and its last bundle: a rebuild whose pages say the same
    takes that bundle whole, an edit runs Pagefind over its page alone and splices the groups of
    words it changed into the bundle before (merging no word again), and the bundle is a clean
    build's."""
    monkeypatch.setenv("GONGSHI_JOBS", "1")  # every word merged is seen here
    read = words_merged(monkeypatch)
    spliced = spliced_groups(monkeypatch)
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert preview.rebuild().ok
    assert preview.index_search() == ""
    assert pagefind_runs and (preview.folder / "pagefind" / "pagefind-entry.json").is_file()
    assert read  # the first merge: every word
    del pagefind_runs[:], read[:]
    assert preview.rebuild().ok  # a new site (the index came into the last one): the same pages
    assert preview.index_search() == ""
    assert pagefind_runs == [] and read == []
    _edit(project / MEETING, "## 背景资料", "## 背景资料\n\n会前补记一句。")
    assert preview.rebuild().ok
    assert preview.index_search() == ""
    assert pagefind_runs == [["meetings/2027-01-12-dahuichang-monthly/index.html"]]
    assert read == [] and {"会", "前", "补", "记"} <= set(spliced)
    _clean_build(project, tmp_path / "clean")
    assert tree(preview.folder / "pagefind") == tree(tmp_path / "clean" / "pagefind")


def test_a_stop_ends_the_search_indexing_under_way_at_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C while Pagefind runs (slow on a loaded machine) ends it instead of waiting for it:
    its thread returns in a moment, says nothing, and leaves no scratch folder or bundle. While
    it runs, it runs below the rebuilds the editor waits for (a higher niceness)."""
    preview = Preview(project / "pelicanconf.py", tmp_path / "serve" / "site", BUNDLED_NOW)
    assert preview.rebuild().ok
    started = threading.Event()
    real_start = search.Runs.start
    niceness: list[int] = []

    def slow(self: search.Runs, arguments: list[str]) -> Any:
        process = real_start(self, [sys.executable, "-c", "import time; time.sleep(60)"])
        niceness.append(os.getpriority(os.PRIO_PROCESS, process.pid))
        started.set()
        return process

    monkeypatch.setattr(search.Runs, "start", slow)
    said: list[str] = []
    indexer = threading.Thread(target=lambda: said.append(preview.index_search()))
    indexer.start()
    assert started.wait(30)
    assert niceness == [min(19, os.getpriority(os.PRIO_PROCESS, 0) + INDEX_NICENESS)]
    time.sleep(0.2)  # Pagefind (here a sleeper) is under way
    began = time.monotonic()
    preview.stop()
    indexer.join(10)
    assert not indexer.is_alive()
    assert time.monotonic() - began < 5
    assert said == [""]  # stopping is no failure to report
    assert not (preview.folder / "pagefind").exists()
    assert _left(preview) == [cache.FOLDER, INDEXER, "site"]  # no scratch left
    assert preview.index_search() == ""  # nothing left to index, and no run starts after a stop
