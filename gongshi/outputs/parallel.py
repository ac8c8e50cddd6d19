"""Rendering the pages on every core: the plan's pages shared out over forked worker processes.

(The forking itself is :mod:`gongshi.workers`, shared with reading and the search index.)

The pages of the plan are independent of one another: each is ``Build.render`` of its template
and context, written to its own file. Workers are forked once the Build exists, so they share it
(copy on write) instead of receiving it pickled; worker ``k`` of ``n`` renders the chunks
``k, k + n, …`` of the plan (chunks interleave the kinds of page, so the shares weigh alike).
What a page holds does not depend on which process rendered it, so the output is the same as a
serial build's, byte for byte.
An error in a worker is raised in the parent as it would have been in one process; if the
parent is stopped meanwhile, it kills and reaps its workers before the runner removes the
staging folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..site.build import Build
from ..site.plan import Page
from ..workers import SERIAL_BELOW, jobs, shared

__all__ = ["SERIAL_BELOW", "jobs", "render", "shared", "write_page"]

CHUNK = 64  # pages per chunk: dealt out in turn, so every worker gets every kind of page


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
