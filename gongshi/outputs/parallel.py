"""Rendering the pages on every core: the plan's pages shared out over forked worker processes.

(The forking itself is :mod:`gongshi.workers`, shared with reading and the search index.)

The pages of the plan are independent of one another: each is ``Build.render`` of its template
and context, written to its own file. Workers are forked once the Build exists, so they share it
(copy on write) instead of receiving it pickled; each takes the next run of the plan's pages
while any is left (:class:`~gongshi.workers.Numbers`): in an incremental build the few pages
rendered cost far more than the many taken over, wherever they fall.
What a page holds does not depend on which process rendered it, so the output is the same as a
serial build's, byte for byte.
An error in a worker is raised in the parent as it would have been in one process; if the
parent is stopped meanwhile, it kills and reaps its workers before the runner removes the
staging folder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..site.build import Build
from ..site.plan import Page
from ..workers import SERIAL_BELOW, Numbers, Steps, jobs, mapped, shared
from . import replace
from .reuse import (
    Digests,
    Kept,
    KeyedFiles,
    Opaque,
    PageRecord,
    file_of,
    holds,
    reads_of,
    recorders_of,
    recording,
    take_over,
    watching,
)
from .templatecode import load_all

__all__ = ["SERIAL_BELOW", "Kept", "KeyedFiles", "jobs", "render", "shared", "write_page"]

CHUNK = 64  # pages per chunk: dealt out in turn, so every worker gets every kind of page
Records = dict[str, PageRecord]  # by the page's file, below the output folder


def write_page(
    build: Build, output: Path, page: Page, kept: Kept | None = None, digests: Digests | None = None
) -> PageRecord | None:
    """Write ``page``; with ``kept``, take it over from the previous build when nothing it read
    changed, and return what it was made from (None: it read something no record can hold)."""
    save_as = page.save_as
    target = f"{output}/{save_as}"
    if kept is None or digests is None:
        _save(target, build.render(page.template, page=page, **page.context))
        return None
    record = kept.records.get(save_as)
    # only bodies changed, none of those it showed: the page did not
    if record is not None and digests.spared(record.touches):
        if (taken := _taken(kept, save_as, target, record)) is not None:
            return taken
    try:
        made_of = digests.of(page)
    except Opaque:
        made_of = b""
    sources = build.sources()
    if (
        record is not None
        and made_of
        and record.page == made_of
        and holds(record, sources, digests)
        and (taken := _taken(kept, save_as, target, record)) is not None
    ):
        return taken
    recorders = recorders_of(sources, digests)
    with recording(recorders.values()) as noted:  # and the items whose bodies it shows
        html = build.render(page.template, sources=recorders, page=page, **page.context)
    _save(target, html)
    if not made_of or any(recorder.opaque for recorder in recorders.values()):
        return None
    reads = reads_of(recorders.values())
    return PageRecord(made_of, reads, file_of(target), touches=digests.touches(noted))


def _taken(kept: Kept, save_as: str, target: str, record: PageRecord) -> PageRecord | None:
    """``record``'s page taken over from the previous output (its record, with the file it is
    at now), or None if that file is not as the record says."""
    file = take_over(f"{kept.output}/{save_as}", target, record)
    if file is None:
        return None
    return record if file == record.file else dataclasses.replace(record, file=file)


def _save(target: str, html: str) -> None:
    replace.write_text(target, html)


def _write(
    build: Build, output: Path, numbers: Iterable[int], kept: Kept | None, files: KeyedFiles | None
) -> Records:
    digests = None
    if kept is not None:  # the reads' answers shared with the writers (KeyedFiles.digests)
        digests = files.digests() if files is not None else Digests(kept.known)
        watching(build.templates)
    records: Records = {}
    for number in numbers:
        page = build.pages[number]
        record = write_page(build, output, page, kept, digests)
        if record is not None:
            records[page.save_as] = record
    return records


def chunks(count: int) -> list[range]:
    """The plan's pages in runs of :data:`CHUNK` (longer if they would be too many to share)."""
    size = max(CHUNK, -(-count // Numbers.LIMIT))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def render(
    build: Build,
    output: Path,
    meanwhile: Sequence[Callable[[], None]] = (),
    kept: Kept | None = None,
    files: KeyedFiles | None = None,
) -> Records:
    """Write every page of the plan, on :func:`jobs` processes; ``meanwhile`` (the other
    writers) is taken by the parent while the workers render, and by each worker once its pages
    are done (:class:`~gongshi.workers.Steps`: pages taken over leave the workers idle early).
    With ``kept``, pages are
    taken over from the previous build where they can be, and what each was made from is
    returned, with the records of ``files`` (the writers' own, :class:`KeyedFiles`) from
    whichever process made them."""
    made = files.records if files is not None else {}
    if jobs() <= 1 or len(build.pages) < SERIAL_BELOW:
        records = _write(build, output, range(len(build.pages)), kept, files)
        for step in meanwhile:
            step()
        return records | made

    load_all(build.templates, build.theme)  # compiled once, shared by the workers forked
    steps = Steps(meanwhile)  # taken by the parent, and by each worker once its pages are done
    runs = chunks(len(build.pages))
    shares = Numbers(len(runs))  # each run of pages to the first worker free

    def share(worker: int, workers: int) -> tuple[Records, list[str]]:
        numbers = (n for run in shares for n in runs[run])
        records = _write(build, output, numbers, kept, files)
        steps.take()
        return _news(records | made, kept)  # this worker's files: the writers it took

    found: Records = {}
    try:
        for news, same in mapped(share, [steps.take]):
            found.update(news)
            if kept is not None:
                found.update((path, kept.records[path]) for path in same)
    finally:
        steps.close()
        shares.close()
    return found | made  # the parent's


def _news(records: Records, kept: Kept | None) -> tuple[Records, list[str]]:
    """A worker's records as it sends them: those it made, and only the paths of those that are
    the previous build's own (a page taken over), which the parent holds already — at 50,000
    items, every taken-over page's reads pickled across and held twice were 0.2 GiB."""
    if kept is None:
        return records, []
    news: Records = {}
    same: list[str] = []
    for path, record in records.items():
        if kept.records.get(path) is record:
            same.append(path)
        else:
            news[path] = record
    return news, same
