"""Rendering the pages on every core: the plan's pages shared out over forked worker processes.

(:func:`shared` is the forking itself, for any work split the same way: the search index's copy
of the pages, ``search/indexing.py``, uses it too.)

The pages of the plan are independent of one another: each is ``Build.render`` of its template
and context, written to its own file. Workers are forked once the Build exists, so they share it
(copy on write) instead of receiving it pickled; worker ``k`` of ``n`` renders the chunks
``k, k + n, …`` of the plan (chunks interleave the kinds of page, so the shares weigh alike).
What a page holds does not depend on which process rendered it, so the output is the same as a
serial build's, byte for byte.

A worker does nothing but render and write: it ignores SIGINT and SIGTERM (Ctrl+C reaches the
whole process group; only the parent decides), touches no stream or logger, and leaves with
``os._exit`` — no exit handler or flush of a lock another thread held when it was forked. An
error in a worker is sent to the parent (pickled through a pipe) and raised there as it would
have been in one process. If the parent is stopped meanwhile, it kills and reaps its workers
before the runner removes the staging folder.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import BuildError
from ..site.build import Build
from ..site.plan import Page

CHUNK = 64  # pages per chunk: dealt out in turn, so every worker gets every kind of page
SERIAL_BELOW = 400  # pages: under this, forking costs more than it saves


def jobs() -> int:
    """The processes to render with: GONGSHI_JOBS if set, else the cores this process may use."""
    wanted = os.environ.get("GONGSHI_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0))


def write_page(build: Build, output: Path, page: Page) -> None:
    html = build.render(page.template, page=page, **page.context)
    path = output / page.save_as
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def _render_share(build: Build, output: Path, worker: int, workers: int) -> None:
    for numbers in chunks(len(build.pages))[worker::workers]:
        for number in numbers:
            write_page(build, output, build.pages[number])


def chunks(count: int) -> list[range]:
    return [range(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]


def _fork(work: Callable[[], None]) -> tuple[int, int]:
    """Start a worker doing ``work``: its pid, and the pipe its error (if any) comes back
    through."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        status = 0
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            work()
        except BaseException as exc:
            status = 1
            try:
                message = pickle.dumps(exc)
            except Exception:
                message = pickle.dumps(BuildError(f"{type(exc).__name__}: {exc}"))
            with contextlib.suppress(OSError):
                os.write(write, message)  # small; a long one blocks until the parent reads
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _read_all(fd: int) -> bytes:
    parts = []
    while chunk := os.read(fd, 1 << 16):
        parts.append(chunk)
    return b"".join(parts)


def render(build: Build, output: Path, meanwhile: Sequence[Callable[[], None]] = ()) -> None:
    """Write every page of the plan, on :func:`jobs` processes; the parent runs ``meanwhile``
    (the other writers) while the workers render, then waits for them."""
    if jobs() <= 1 or len(build.pages) < SERIAL_BELOW:
        for page in build.pages:
            write_page(build, output, page)
        for step in meanwhile:
            step()
        return
    shared(lambda worker, workers: _render_share(build, output, worker, workers), meanwhile)


def shared(share: Callable[[int, int], None], meanwhile: Sequence[Callable[[], None]] = ()) -> None:
    """Run ``share(worker, workers)`` in :func:`jobs` forked processes, each its own share of a
    piece of work that is the same whichever process does it; the parent runs ``meanwhile``,
    then waits for them and raises the first error one of them met."""
    workers = jobs()
    started: list[tuple[int, int]] = []
    try:
        for worker in range(workers):
            started.append(_fork(functools.partial(share, worker, workers)))
        for step in meanwhile:
            step()
        failures = []
        while started:
            pid, pipe = started[0]
            message = _read_all(pipe)  # until the worker ends (it holds the other end)
            _, status = os.waitpid(pid, 0)
            started.pop(0)
            os.close(pipe)
            if status != 0:
                failures.append(message)
    finally:  # stopped or failed before every worker was reaped: end the rest
        for pid, pipe in started:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(pipe)
    for message in failures:
        raise _error(message)


def _error(message: bytes) -> BaseException:
    try:
        found = pickle.loads(message)  # from our own fork, through our own pipe
    except Exception:
        found = None
    if isinstance(found, BaseException):
        return found
    return BuildError("生成页面的子进程意外退出")
