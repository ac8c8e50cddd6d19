"""``gongshi serve`` in a real browser: a save reloads the open page by itself, a content error
becomes the Chinese problem page (and the terminal lists it), fixing it brings the site back,
and nothing is ever written into the project (no ``output/``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import BUNDLED_NOW, ROOT, ctrl_c_default, tree

pytestmark = pytest.mark.browser
MEETING = "content/meetings/2027-01-12-dahuichang-monthly.md"
PAGE = "/meetings/2027-01-12-dahuichang-monthly/"


class Serving:
    """``gongshi serve --port 0`` in a child process, in ``project``; its output collected."""

    def __init__(self, project: Path) -> None:
        with ctrl_c_default():  # stopped by Ctrl+C below, however pytest was started
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gongshi.cli", "serve", "--port", "0", "--now", BUNDLED_NOW],
                cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT: where each thread is
            )  # fmt: skip
        assert self.process.stdout and self.process.stderr
        self.out: list[str] = []
        while "预览地址：" not in "".join(self.out[-1:]):  # printed once the site is built
            line = self.process.stdout.readline()
            assert line, "".join(self.out) + self.process.stderr.read()
            self.out.append(line)
        self.url = self.out[-1].split("预览地址：", 1)[1].split("/（", 1)[0]
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=lambda s=stream, i=into: i.extend(s), daemon=True)
            for stream, into in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    def stop(self) -> int:
        """Ctrl+C, as an editor stops it; the exit code, once its output is all read. If it does
        not stop, the test fails with where each of its threads was (and its processes)."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            processes = subprocess.run(
                ["ps", "-o", "pid,ppid,stat,wchan:20,args", "--ppid", str(self.process.pid)],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
            self.process.send_signal(signal.SIGABRT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            self.close()
            pytest.fail(
                "gongshi serve did not stop within 15 s of Ctrl+C.\n"
                f"Its children:\n{processes}\nIts threads and its output:\n"
                + "".join(self.err[-200:])
            )
        self.close()
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "pelicanconf.py", tmp_path)
    return tmp_path


@pytest.fixture
def serving(project: Path) -> Iterator[Serving]:
    running = Serving(project)
    yield running
    running.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_reloads_the_page_an_error_shows_and_clears(
    browser: Browser, project: Path, serving: Serving, artifacts: Path
) -> None:
    before = tree(project)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(serving.url + PAGE)
    title = page.locator("main h1")
    expect(title).to_have_text("大灰厂社区1月“5+N”议事协商会")

    meeting = project / MEETING
    _edit(meeting, "title: 大灰厂社区1月“5+N”议事协商会", "title: 大灰厂社区1月议事协商会（改期）")
    expect(title).to_have_text("大灰厂社区1月议事协商会（改期）", timeout=10_000)

    _edit(meeting, "format: meeting", "format: meetting")
    problems = page.locator("#gongshi-problems")
    expect(problems.locator("h1")).to_have_text("内容有问题，网站没有更新", timeout=10_000)
    item = problems.locator("li")
    expect(item).to_have_count(1)
    expect(item.locator(".where")).to_have_text(f"错误：{MEETING} 第 13 行")
    expect(item.locator("dd")).to_have_text(
        ["format", "应为 meeting、forum、onsite、online 之一，实际为 'meetting'（是否应为 'meeting'？）",
         "改为 meeting", "field.enum"]
    )  # fmt: skip
    page.screenshot(path=artifacts / "serve-problems-360.png", full_page=True)

    _edit(meeting, "format: meetting", "format: meeting")
    expect(title).to_have_text("大灰厂社区1月议事协商会（改期）", timeout=10_000)
    assert page.url == serving.url + PAGE

    assert serving.stop() == 0
    terminal = "".join(serving.err)
    assert f"{MEETING}:13: error: format: 应为 meeting" in terminal
    assert "网站没有更新（浏览器中显示问题清单）" in terminal
    assert "预览已停止。" in "".join(serving.out)
    after = tree(project)
    assert not (project / "output").exists()
    assert set(after) == set(before)  # nothing written into the project, not even pycache
    assert {name for name in after if after[name] != before[name]} == {MEETING}
