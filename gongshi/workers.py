"""Work on every core: forked worker processes, each doing its share of one piece of work.

Used where a build's work splits into independent shares whose result does not depend on which
process did them: rendering the pages (``outputs/parallel.py``), reading the content files
(``content/loader.py``), the search index's copy of the pages (``outputs/search/indexing.py``).
Workers are forked, so they share what the parent holds (copy on write) instead of receiving it
pickled.

A worker does nothing but its share: it ignores SIGINT and SIGTERM (Ctrl+C reaches the whole
process group; only the parent decides), touches no stream or logger, and leaves with
``os._exit`` — no exit handler or flush of a lock another thread held when it was forked. What
it returns, or the error it met, is sent to the parent pickled through a pipe (an error is
raised there as it would have been in one process). If the parent is stopped meanwhile, it
kills and reaps its workers before the caller cleans up.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import BuildError

T = TypeVar("T")
SERIAL_BELOW = 400  # pages or files: under this, forking costs more than it saves


def jobs() -> int:
    """The processes to work with: GONGSHI_JOBS if set, else the cores this process may use."""
    wanted = os.environ.get("GONGSHI_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0))


def _fork(work: Callable[[], Any]) -> tuple[int, int]:
    """Start a worker doing ``work``: its pid, and the pipe its result comes back through."""
    read, write = os.pipe()
    # what the parent holds moves out of the collector's reach: a worker's collections would
    # otherwise visit (and so copy) every page of it that holds an object (gc.freeze's purpose)
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()
    if pid == 0:  # the worker
        status = 0
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            message = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:
            status = 1
            try:
                message = pickle.dumps(exc)
            except Exception:
                message = pickle.dumps(BuildError(f"{type(exc).__name__}: {exc}"))
        try:
            view = memoryview(message)
            while view:
                view = view[os.write(write, view) :]
        except OSError:
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _received(pipe: int) -> Any:
    """What a worker sent through ``pipe`` (until it ends: it holds the other end), unpickled as
    it arrives — the bytes are never held whole: read whole and then unpickled, every worker's
    records were held twice over as bytes beside the objects made of them (at 50,000 items, the
    parent's peak). :data:`_BROKEN` if what came is not one whole pickle (a worker killed)."""
    with open(pipe, "rb", buffering=_BUFFER, closefd=False) as stream:
        try:
            return pickle.load(stream)  # from our own fork's pipe
        except Exception:
            return _BROKEN


_BUFFER = 1 << 16  # a pipe's own size
_BROKEN = object()


def mapped(share: Callable[[int, int], T], meanwhile: Sequence[Callable[[], None]] = ()) -> list[T]:
    """What ``share(worker, workers)`` returns in each of :func:`jobs` forked processes, in
    worker order; the parent runs ``meanwhile``, then waits for them and raises the first error
    one of them met."""
    workers = jobs()
    started: list[tuple[int, int]] = []
    results: list[Any] = []
    try:
        for worker in range(workers):
            started.append(_fork(functools.partial(share, worker, workers)))
        for step in meanwhile:
            step()
        failures = []
        while started:
            pid, pipe = started[0]
            message = _received(pipe)
            os.close(pipe)  # a worker still writing what could not be read ends (EPIPE)
            _, status = os.waitpid(pid, 0)
            started.pop(0)
            if status != 0 or message is _BROKEN:
                failures.append(message)
            else:
                results.append(message)
    finally:  # stopped or failed before every worker was reaped: end the rest
        for pid, pipe in started:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(pipe)
    for message in failures:
        raise _error(message)
    return results


def started(work: Callable[[], T]) -> Callable[[], T]:
    """``work()`` begun in a forked process while the caller goes on; what is returned waits
    for it and gives what it returned (or raises the error it met), once: asked again, it
    gives or raises the same. Stopped while it waits (Ctrl+C), it ends the process and reaps
    it before the stop goes on, and asked again raises — it never reads the pipe again, whose
    number another thread's file may have by then."""
    pid, pipe = _fork(work)
    outcome: list[Callable[[], T]] = []
    pipe_open = [True]

    def wait() -> T:
        if not outcome:
            try:
                message = _received(pipe)
                os.close(pipe)
                pipe_open[0] = False
                _, status = os.waitpid(pid, 0)
            except BaseException:
                if pipe_open[0]:
                    os.close(pipe)
                _end(pid)
                stopped = BuildError("等待子进程时被中断")
                outcome.append(functools.partial(_raise, stopped))
                raise
            if status != 0 or message is _BROKEN:
                outcome.append(functools.partial(_raise, _error(message)))
            else:
                outcome.append(lambda: message)
        return outcome[0]()

    return wait


def _end(pid: int) -> None:
    """End the worker ``pid`` and reap it, if it is not reaped yet."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _raise(error: BaseException) -> Any:
    raise error


def shared(share: Callable[[int, int], None], meanwhile: Sequence[Callable[[], None]] = ()) -> None:
    """:func:`mapped`, for work that returns nothing."""
    mapped(share, meanwhile)


class Numbers:
    """The numbers 0 … ``count`` − 1, each given once, in order, to whichever process asks first:
    put in a pipe before the workers are forked, two bytes each (a pipe hands every byte to one
    reader, and a read of two bytes gets both or, once all are taken, none). So the work is
    shared by how long each part takes, not by how many parts each process has."""

    LIMIT = 1 << 14  # 32 KiB in the pipe: written whole before anyone reads (a pipe holds 64)

    def __init__(self, count: int) -> None:
        if count > self.LIMIT:
            raise ValueError(f"at most {self.LIMIT} numbers")
        self._read, write = os.pipe()
        os.write(write, b"".join(n.to_bytes(2, "little") for n in range(count)))
        os.close(write)  # every number is in: once they are read, a read gives nothing

    def __iter__(self) -> Iterator[int]:
        while number := os.read(self._read, 2):
            yield int.from_bytes(number, "little")

    def close(self) -> None:
        os.close(self._read)


class Steps(Numbers):
    """Steps that any process may take, each once (:class:`Numbers`): so a worker that has done
    its share helps the parent with what is left instead of waiting."""

    def __init__(self, steps: Sequence[Callable[[], None]]) -> None:
        super().__init__(len(steps))
        self._steps = steps

    def take(self) -> None:
        for number in self:
            self._steps[number]()


def _error(message: Any) -> BaseException:
    """The error a failed worker sent (:func:`_received`), or one saying it ended unexpectedly."""
    if isinstance(message, BaseException):
        return message
    return BuildError("构建的子进程意外退出")
