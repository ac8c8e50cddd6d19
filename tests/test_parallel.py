"""Pages rendered on several processes: the same bytes as one process, errors still fail."""

from __future__ import annotations

import os
import shutil
import signal
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, build_complete, run_cli, tree
from jinja2 import Environment

from gongshi import workers
from gongshi.errors import BuildError
from gongshi.outputs import parallel
from gongshi.site.build import Build
from gongshi.workers import Steps


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every build renders on three workers, however small; each page notes its process."""
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setenv("GONGSHI_JOBS", "3")
    log = tmp_path / "pids"
    write_page = parallel.write_page

    def noted(build, output, page, *rest):  # type: ignore[no-untyped-def]
        with log.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(0.002)  # each worker takes the next run while any is left: let all take some
        return write_page(build, output, page, *rest)

    monkeypatch.setattr(parallel, "write_page", noted)
    return log


def test_pages_from_several_processes_are_the_serial_bytes(
    forked: Path, tmp_path: Path, complete_site: Path
) -> None:
    build_complete(tmp_path / "parallel")
    processes = set(forked.read_text().split())
    assert len(processes) > 1 and str(os.getpid()) not in processes
    assert tree(tmp_path / "parallel") == tree(complete_site)


def test_an_error_in_a_worker_fails_the_build_and_leaves_nothing(
    forked: Path, tmp_path: Path
) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "gongshi", theme)
    page = theme / "templates" / "meeting.html"
    text = page.read_text(encoding="utf-8").replace(
        "{% block title %}", "{% block title %}{{ no_such_value }}"
    )
    page.write_text(text, encoding="utf-8")
    settings = tmp_path / "pelicanconf.py"
    text = (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
    settings.write_text(text.replace("../../../themes/gongshi", str(theme)), encoding="utf-8")
    output = tmp_path / "out" / "output"
    code, _, err = run_cli(
        "--settings", str(settings), "build", "--content", str(COMPLETE / "content"),
        "--output", str(output), "--now", COMPLETE_NOW,
    )  # fmt: skip
    assert code == 3, err
    assert "no_such_value" in err
    assert "Traceback" not in err
    assert [p.name for p in output.parent.iterdir() if p.name != ".gongshi-cache"] == []


def test_the_other_writers_each_run_once_in_whichever_process_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", "3")
    log = tmp_path / "steps"

    def step(number: int) -> Callable[[], None]:
        def run() -> None:
            time.sleep(0.01)  # long enough for every process to take some
            with log.open("a") as handle:
                handle.write(f"{number} {os.getpid()}\n")

        return run

    steps = Steps([step(n) for n in range(40)])
    try:
        workers.mapped(lambda worker, count: steps.take(), [steps.take])
    finally:
        steps.close()
    taken = [line.split() for line in log.read_text().splitlines()]
    assert sorted(int(number) for number, _ in taken) == list(range(40))  # each once
    assert len({pid for _, pid in taken}) > 1


def test_the_pages_go_to_whichever_worker_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of pages are taken in turn by the first worker free: a worker held up by one slow
    run takes fewer, and every run is taken once."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    numbers = workers.Numbers(60)
    log = tmp_path / "numbers"

    def share(worker: int, count: int) -> None:
        for number in numbers:
            time.sleep(0.3 if number == 0 else 0.005)  # the first run is slow
            with log.open("a") as handle:
                handle.write(f"{number} {os.getpid()}\n")

    try:
        workers.shared(share)
    finally:
        numbers.close()
    taken = [line.split() for line in log.read_text().splitlines()]
    assert sorted(int(number) for number, _ in taken) == list(range(60))  # each once
    slow = next(pid for number, pid in taken if number == "0")
    assert sum(pid == slow for _, pid in taken) < len(taken) / 2


def test_a_writer_failing_in_a_worker_fails_there_and_is_raised_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GONGSHI_JOBS", "2")

    def failing() -> None:
        raise BuildError("写入失败")

    steps = Steps([failing])
    try:
        with pytest.raises(BuildError, match="写入失败"):
            workers.mapped(lambda worker, count: steps.take(), [lambda: None])  # workers only
    finally:
        steps.close()


def test_pages_taken_over_on_several_processes_are_taken_over_again_next_time(
    forked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker sends the parent only the paths of the records it took over unchanged (the
    parent holds them): they must all come back as records, or the next build renders again
    every page whose record was lost. Two edits in turn, each rendering few pages, and the
    output the same as a clean build's."""
    log = tmp_path / "renders"
    render = Build.render

    def noted(self: Build, template: str, **rest: Any) -> str:
        with log.open("a") as handle:
            handle.write(f"{template}\n")
        return render(self, template, **rest)

    monkeypatch.setattr(Build, "render", noted)
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    output = tmp_path / "out" / "output"

    def rebuild() -> int:
        log.unlink(missing_ok=True)
        code, _, err = run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--cache",
            "--content", str(content), "--output", str(output), "--now", COMPLETE_NOW,
        )  # fmt: skip
        assert code == 0, err
        return len(log.read_text().splitlines())

    pages = rebuild()
    edited = sorted((content / "meetings").glob("*.md"))[-1]
    for round_ in range(2):
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + f"\n补充说明第 {round_} 次。\n", encoding="utf-8")
        rendered = rebuild()
        assert 0 < rendered < pages / 3, (round_, rendered, pages)
    assert len(set(forked.read_text().split())) > 1  # the pages were shared out
    build_complete(tmp_path / "clean", content=content)
    assert tree(output) == tree(tmp_path / "clean")


def test_the_workers_compile_no_template_the_parent_compiled_them_all(
    forked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent loads every template of the theme before it forks: the workers share them
    compiled, where each would otherwise compile every template it meets."""
    log = tmp_path / "compiled"
    compile_ = Environment.compile

    def noted(self: Environment, source: Any, name: str | None = None, *rest: Any) -> Any:
        with log.open("a") as handle:
            handle.write(f"{os.getpid()} {name}\n")
        return compile_(self, source, name, *rest)

    monkeypatch.setattr(Environment, "compile", noted)
    build_complete(tmp_path / "parallel")
    workers_ = set(forked.read_text().split())
    compiled = [line.split(" ", 1) for line in log.read_text().splitlines()]
    assert {name for _, name in compiled} >= {"meeting.html", "base.html", "macros.html"}
    assert not [name for pid, name in compiled if pid in workers_]


def test_work_started_runs_in_another_process_while_the_caller_goes_on() -> None:
    """``workers.started``: the work runs in a forked process at once (it waits here for what
    the caller writes after starting it), gives back what it returned, and raises here the
    error it met."""
    read, write = os.pipe()

    def work() -> tuple[int, bytes]:
        return os.getpid(), os.read(read, 5)

    wait = workers.started(work)
    os.write(write, b"after")  # written once the work has begun: it was not waited for
    pid, data = wait()
    assert pid != os.getpid() and data == b"after"
    assert wait() == (pid, data)  # waited for once
    os.close(read)
    os.close(write)

    def fails() -> None:
        raise BuildError("无法删除")

    with pytest.raises(BuildError, match="无法删除"):
        workers.started(fails)()


def _interrupted_after(seconds: float, error: type[BaseException] = KeyboardInterrupt) -> Any:
    """Ctrl+C in ``seconds`` (a SIGALRM whose handler raises KeyboardInterrupt, or ``error``)."""

    def interrupt(signum: int, frame: Any) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


def test_a_stop_while_waiting_ends_the_work_and_never_reads_its_pipe_again() -> None:
    """Ctrl+C while waiting for work started: the process is ended and reaped, its pipe closed,
    and asked again the wait raises at once — it does not read the pipe's number, which a file
    opened since (another thread's) may have."""
    read, write = os.pipe()

    def work() -> int:
        os.write(write, os.getpid().to_bytes(4, "little"))
        time.sleep(30)
        return 1

    wait = workers.started(work)
    pid = int.from_bytes(os.read(read, 4), "little")
    previous = _interrupted_after(0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            wait()
        reused = os.pipe()  # the numbers just freed, most likely
        _interrupted_after(2.0, TimeoutError)
        with pytest.raises(BuildError, match="中断"):
            wait()  # not a read of another file, which would block until the alarm
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended, and reaped: not even a zombie
    for fd in (read, write, *reused):
        os.close(fd)


@pytest.mark.parametrize("how", ["mapped", "started"])
def test_what_a_worker_sends_is_unpickled_as_it_arrives_never_held_whole(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's result reaches the parent through a pipe, and is unpickled as it comes: the
    parent holds the objects, never beside them the whole message as bytes (read whole first,
    each worker's records were held two and three times over: the parent's peak at 50,000
    items). A worker that dies is an error, not a result."""
    monkeypatch.setenv("GONGSHI_JOBS", "2")
    size, count = 100_000, 100  # 10 MB from each worker, in pieces of 100 kB
    pieces = [bytes([n]) * size for n in range(count)]
    tracemalloc.start()
    try:
        if how == "mapped":
            got = workers.mapped(lambda worker, workers_: pieces)
            sent = 2 * size * count
        else:
            got = [workers.started(lambda: pieces)()]
            sent = size * count
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == [pieces] * len(got)
    assert peak < sent * 1.3  # the objects, and little more

    def dies() -> list[bytes]:
        os.kill(os.getpid(), signal.SIGKILL)  # killed before it sends anything
        return pieces

    with pytest.raises(BuildError, match="意外退出"):
        if how == "mapped":
            workers.mapped(lambda worker, workers_: dies())
        else:
            workers.started(dies)()
