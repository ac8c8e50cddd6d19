"""The ``serve`` loop: build, serve, and rebuild on every save until Ctrl+C.

One thread builds (this one), so two builds never run at once; the snapshot a wait compares with
is taken before the build starts, so a file saved during a build brings exactly one more. Search
is indexed in a thread beside (:meth:`Preview.index_search`), so no save waits for Pagefind. Every
outcome goes to the terminal as ``build`` and ``check`` report it, and to the open pages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..errors import GongshiError, Terminated
from ..publish.run import load_settings
from ..reporting import render, warn
from . import leftovers
from .errorpage import failure_page, problems_page
from .preview import Preview
from .server import Live, start
from .watch import snapshot, wait_for_change

# The preview's folder holds the site, the tree and the cache of its incremental rebuilds and the
# search indexer's folders: 417 MB for a content folder of 13.5 MiB (10,000 items), 8 MB for the
# bundled portal's 66 KB (the theme's files, the search). /dev/shm is taken only with room for
# this many times the content's bytes and the fixed part (a container's is 64 MB by default).
ROOM_PER_CONTENT_BYTE = 48
ROOM_FIXED = 128 << 20

# seconds Ctrl+C waits in all for the search threads, their Pagefind ended (daemon threads: what
# is left of one then ends with the process; an editor's Ctrl+C should not wait long)
STOP_WAIT = 5.0


def _stamp() -> str:
    return time.strftime("%H:%M:%S")


def _rebuild(preview: Preview, live: Live) -> bool:
    """Rebuild, tell the pages and the terminal; whether the new site is yet to be indexed."""
    outcome = preview.rebuild()
    _, problems = render(outcome.problems, "text")
    if outcome.ok:
        live.publish(None)
        print(
            f"[{_stamp()}] 已重新生成 {outcome.pages} 个页面，用时 {outcome.seconds:.2f} 秒",
            flush=True,
        )
        print(problems, end="", file=sys.stderr, flush=True)
        for warning in outcome.warnings + preview.finish():  # once the page has reloaded
            warn(warning)
        return True
    live.publish(
        problems_page(outcome.problems) if outcome.problems else failure_page(outcome.error)
    )
    print(problems or f"错误：{outcome.error}\n", end="", file=sys.stderr)
    print(
        f"[{_stamp()}] 网站没有更新（浏览器中显示问题清单）；改正后保存，预览会自动恢复。",
        file=sys.stderr,
        flush=True,
    )
    return False


def _index(preview: Preview) -> None:
    if failure := preview.index_search():
        warn(f"搜索索引没有更新：{failure}")


def _index_meanwhile(preview: Preview) -> threading.Thread:
    """Search indexes the new site in a thread of its own: nothing waits for it."""
    indexer = threading.Thread(target=_index, args=(preview,), name="gongshi-search", daemon=True)
    indexer.start()
    return indexer


def _loop(preview: Preview, live: Live, url: str, indexers: list[threading.Thread]) -> None:
    while True:
        watched = list(preview.watched)
        seen = snapshot(watched)
        if _rebuild(preview, live):
            indexers[:] = [t for t in indexers if t.is_alive()] + [_index_meanwhile(preview)]
        if url:
            print(
                f"预览地址：{url}（只在本机打开；保存文件后页面自动刷新；按 Ctrl+C 停止）",
                flush=True,
            )
            url = ""
        if preview.watched != watched:  # the settings named other folders
            seen = snapshot(preview.watched)
        files = wait_for_change(lambda: preview.watched, seen)
        assert files is not None
        names = "、".join(Path(f).name for f in files[:3]) + ("等" if len(files) > 3 else "")
        print(f"[{_stamp()}] {names} 有改动，重新生成……", flush=True)


def in_memory(content: Path | None = None) -> str | None:
    """Linux's shared-memory file system when there is one with room for the preview of
    ``content`` (:data:`ROOM_PER_CONTENT_BYTE`): writing the site and deleting the previous one
    there takes no disk time. Else (None) the system's temporary folder: a preview that fills a
    small /dev/shm would fail every rebuild for want of space."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK | os.X_OK)):
        return None
    need = ROOM_FIXED + ROOM_PER_CONTENT_BYTE * (_bytes_below(content) if content else 0)
    try:
        free = shutil.disk_usage(shm).free
    except OSError:
        return None
    return str(shm) if free >= need else None


def _bytes_below(folder: Path) -> int:
    """The bytes of the files below ``folder`` (links not followed; what cannot be read, 0)."""
    total = 0
    for top, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(top, name)).st_size
    return total


def _content(settings_file: Path) -> Path | None:
    """The content folder the settings name (None if they cannot be read: the first build says
    why)."""
    try:
        return Path(load_settings(settings_file, {})["PATH"])
    except (GongshiError, KeyError):
        return None


def serve(settings_file: Path, port: int, now: str | None) -> int:
    """Preview the site at http://127.0.0.1:``port``/ until Ctrl+C (then 0)."""
    place = in_memory(_content(settings_file))
    for left in leftovers.remove_left(place, None):  # where this serve, or one without room, is
        print(f"已删除之前的预览（未正常停止）留下的临时文件夹：{left}", flush=True)
    with tempfile.TemporaryDirectory(
        prefix=leftovers.PREFIX, dir=place, ignore_cleanup_errors=True
    ) as folder:
        leftovers.mark(Path(folder))
        preview = Preview(settings_file, Path(folder) / "site", now)
        live = Live()
        server = start(port, preview.folder, live)
        indexers: list[threading.Thread] = []
        try:
            with contextlib.suppress(GongshiError):  # the first build reports it
                preview.locate()
            _loop(preview, live, f"http://127.0.0.1:{server.server_address[1]}/", indexers)
        except (KeyboardInterrupt, Terminated):
            print("预览已停止。", flush=True)
            return 0
        finally:
            live.close()
            server.shutdown()
            server.server_close()
            preview.stop()  # ends Pagefind: it writes into the folder about to be removed
            deadline = time.monotonic() + STOP_WAIT  # for them all, not for each in turn
            for indexer in indexers:
                indexer.join(max(0.0, deadline - time.monotonic()))
    return 0  # pragma: no cover - the loop ends only by a stop request
