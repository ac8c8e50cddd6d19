"""Ctrl+C, SIGTERM and SIGKILL during a build: the previous output stays, nothing is left over.

Each test runs ``python -m gongshi.cli build`` as a child process and signals it at a known
moment: once its staging folder exists (Pelican is running), or while Pagefind indexes (the
temporary copy Pagefind reads exists; ``TMPDIR`` points into the test's folder to see it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, build_complete, ctrl_c_default, snapshot

from gongshi.publish.guards import MARKER


def start_build(tmp_path: Path, output: Path) -> subprocess.Popen[str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    with ctrl_c_default():
        return subprocess.Popen(
            [
                sys.executable, "-m", "gongshi.cli", "--settings", str(COMPLETE / "pelicanconf.py"),
                "build", "--output", str(output), "--now", COMPLETE_NOW,
            ],
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(temp)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )  # fmt: skip


def wait_for(condition: Callable[[], object], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None, f"the build ended first: {process.communicate()}"
        assert time.monotonic() < deadline, "the build never got there"
        time.sleep(0.002)


def staging(output: Path) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}.building-*"))


def pagefind_running(tmp_path: Path) -> bool:
    return any((tmp_path / "tmp").glob("gongshi-search-*"))


def processes_using(path: Path) -> list[str]:
    """Command lines of running processes that mention ``path`` (a Pagefind left behind)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(path) in cmdline and "pytest" not in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.parametrize(
    ("signum", "moment", "code"),
    [
        (signal.SIGTERM, "staging", 143),
        (signal.SIGINT, "staging", 130),
        (signal.SIGTERM, "pagefind", 143),
    ],
    ids=["SIGTERM-pelican", "SIGINT-pelican", "SIGTERM-pagefind"],
)
def test_a_stopped_build_keeps_the_previous_output_and_leaves_nothing(
    tmp_path: Path, signum: int, moment: str, code: int
) -> None:
    output = tmp_path / "site" / "output"
    build_complete(output)
    before = snapshot(output)
    process = start_build(tmp_path, output)
    if moment == "staging":
        wait_for(lambda: staging(output), process)
    else:
        wait_for(lambda: pagefind_running(tmp_path), process)

    process.send_signal(signum)
    out, err = process.communicate(timeout=60)

    assert process.returncode == code, err
    assert (out, err) == ("", "构建被中断；原有输出目录保持不变。\n")
    assert snapshot(output) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]
    assert processes_using(tmp_path) == []  # Pagefind was stopped with the build


def test_the_next_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    output = tmp_path / "site" / "output"
    build_complete(output)
    process = start_build(tmp_path, output)
    wait_for(lambda: any((s / MARKER).is_file() for s in staging(output)), process)

    process.kill()  # SIGKILL: no cleanup can run
    process.communicate(timeout=60)
    (left,) = staging(output)
    assert (left / MARKER).is_file()

    build_complete(output)

    assert staging(output) == []
    assert (output / "index.html").is_file()
