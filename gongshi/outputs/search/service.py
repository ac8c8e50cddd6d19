"""Pagefind kept running (``pagefind_extended --service``), its Chinese segmenter loaded before a
build asks it to index anything.

Pagefind's extended binary loads jieba's dictionary the first time it segments Chinese text:
0.3 s of CPU in every run, which for an edit's one page is nearly all of the run (the page
itself takes 0.05 s). Started when a build begins, with one small Chinese page to index in an
index of its own, the service has loaded the dictionary on the core the build leaves idle while
it reads its content, and the edit's run is a directory added to a new index and its files
written — the same files as the command line's (the same code: ``SearchState.fossick_many``,
``build_indexes``, ``write_files``), Pagefind's own order of filters in its meta file aside,
which the merge makes deterministic as it does for every run.

The protocol (Pagefind's ``service/mod.rs``): each message a JSON object ``{"message_id",
"payload"}``, base64-encoded and followed by a comma, on stdin; the answers likewise on stdout,
one per message, in order. A service that fails in any way — not started, gone, an answer of
another type — is given up (:meth:`Service.index` returns False) and the caller runs the command
line, which says what went wrong in its own words.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import subprocess
import threading
import weakref
from pathlib import Path
from typing import Any

# what the service indexes first, in an index of its own: Chinese, so that it segments it
WARM_PAGE = '<!doctype html><html lang="zh-CN"><body><main><p>议事协商公示</p></main></body></html>'


class Gone(Exception):
    """The service answered otherwise than asked, or not at all."""


class Service:
    """One Pagefind service process: started and warmed at once (nothing is waited for), then
    used by one indexing at a time (:meth:`index`)."""

    def __init__(self, binary: Path, niceness: int = 0) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._waiting: dict[int, str] = {}  # message id: the type of answer not yet read
        self._buffer = b""
        self.served = 0  # the indexings it made (for tests and benchmarks)
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        # ended when this object goes, if not before (a preview dropped without being stopped),
        # by the process that started it only (a forked worker holds a copy of this object)
        self._ended = weakref.finalize(self, _end, self._process, os.getpid())
        self._ended.atexit = False  # at exit its stdin closes: the service ends by itself
        if niceness:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self._process.pid, niceness)
        try:  # the first index is numbered 0; its answers are read before the next question's
            self._send({"type": "NewIndex", "config": None}, "NewIndex")
            self._send({"type": "AddFile", "index_id": 0, "file_path": None, "url": "/",
                        "file_contents": WARM_PAGE}, "IndexedFile")  # fmt: skip
        except OSError:
            self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def index(self, site: Path, bundle: Path) -> bool:
        """Index the pages in ``site`` into a bundle written to ``bundle``, as ``pagefind --site
        site --output-path bundle`` does; False if the service could not (it is then given up)
        or is busy with another indexing."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            if not self.alive:
                return False
            number = self._ask({"type": "NewIndex", "config": None}, "NewIndex")["index_id"]
            added = self._ask({"type": "AddDir", "index_id": number, "path": str(site.resolve()),
                               "glob": None}, "IndexedDir")  # fmt: skip
            if not added.get("page_count"):  # the command line fails here, and says why
                raise Gone("no page")
            self._ask({"type": "WriteFiles", "index_id": number,
                       "output_path": str(bundle.resolve())}, "WriteFiles")  # fmt: skip
            self._ask({"type": "DeleteIndex", "index_id": number}, "DeleteIndex")
        except (Gone, OSError, ValueError):
            self.close()
            return False
        finally:
            self._lock.release()
        self.served += 1
        return (bundle / "pagefind-entry.json").is_file()

    def close(self) -> None:
        """End the service (at once: what it holds is of no use to anyone)."""
        self._process = None
        self._ended()

    def _send(self, payload: dict[str, Any], answer: str) -> int:
        if self._process is None or self._process.stdin is None:
            raise Gone("not running")
        number = next(self._ids)
        message = json.dumps({"message_id": number, "payload": payload}).encode()
        self._process.stdin.write(base64.b64encode(message) + b",")
        self._process.stdin.flush()
        self._waiting[number] = answer
        return number

    def _ask(self, payload: dict[str, Any], answer: str) -> dict[str, Any]:
        """Send ``payload`` and wait for its answer (of type ``answer``, else :class:`Gone`),
        reading the answers to the messages sent before it on the way, each checked alike."""
        number = self._send(payload, answer)
        while True:
            found = json.loads(base64.b64decode(self._read()))
            payload = found.get("payload") or {}
            expected = self._waiting.pop(found.get("message_id"), None)
            if expected is None or payload.get("type") != expected:
                raise Gone(str(payload.get("message") or payload.get("type")))
            if found["message_id"] == number:
                return payload

    def _read(self) -> bytes:
        stream = self._process.stdout if self._process is not None else None
        while b"," not in self._buffer:  # the pipe read as it comes (its buffer is never used)
            chunk = os.read(stream.fileno(), 65536) if stream is not None else b""
            if not chunk:
                raise Gone("no answer")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b",", 1)
        return message


def _end(process: subprocess.Popen[bytes], owner: int) -> None:
    if os.getpid() != owner:
        return
    with contextlib.suppress(OSError):
        process.kill()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            if stream is not None:
                stream.close()
    process.wait()
