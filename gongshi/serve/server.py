"""Serving the preview folder on 127.0.0.1, and telling open pages when to reload.

Every HTML page is sent with one extra line before ``</body>``, a script that listens to
``/__gongshi__/events`` (Server-Sent Events) and reloads the page when the build it was made from
is no longer the current one. The line is added as the page is served: the files on disk are
exactly what ``gongshi build`` writes, so the script can never reach a published site.

While the last rebuild failed, every page is the error page (:mod:`.errorpage`); styles, scripts
and data files still come from the last good build.
"""

from __future__ import annotations

import errno
import http.server
import os
import secrets
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError

PREFIX = "/__gongshi__/"
RELOAD_JS = PREFIX + "reload.js"
EVENTS = PREFIX + "events"
KEEP_ALIVE = 10.0  # seconds between two comments on an idle event stream
RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var built = document.currentScript.getAttribute("data-build");
  var events = new EventSource("/__gongshi__/events");
  events.onmessage = function (message) {
    if (message.data !== built) {
      events.close();
      location.reload();
    }
  };
})();
"""
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
}


class Live:
    """The current build's id and, while it failed, the error page; shared with every request."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._run = secrets.token_hex(4)  # a restarted serve has other ids: open pages reload
        self._count = 0
        self.error_html: str | None = None
        self.closing = False

    @property
    def build_id(self) -> str:
        return f"{self._run}-{self._count}"

    def publish(self, error_html: str | None) -> None:
        """A rebuild has finished (``error_html`` None: its site is in place): pages reload."""
        with self._changed:
            self._count += 1
            self.error_html = error_html
            self._changed.notify_all()

    def wait(self, seen: str | None, timeout: float) -> str:
        with self._changed:
            self._changed.wait_for(lambda: self.build_id != seen or self.closing, timeout)
            return self.build_id

    def close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()


def inject(html: str, build_id: str) -> str:
    """``html`` with the reload script before its last ``</body>``."""
    tag = f'<script src="{RELOAD_JS}" data-build="{build_id}"></script>\n'
    at = html.rfind("</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, folder: Path, live: Live) -> None:
        self.folder = folder
        self.live = live
        super().__init__(("127.0.0.1", port), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):  # a browser closed the tab or moved on
            return
        print(f"预览服务器处理请求时出错：{type(error).__name__}: {error}", file=sys.stderr)


class Handler(http.server.SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(args[2].folder), **kwargs)

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        super().end_headers()

    def _send(self, status: int, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _page(self, status: int, html: str) -> None:
        self._send(status, inject(html, self.server.live.build_id), TYPES[".html"])

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        live, seen = self.server.live, None
        while not live.closing:
            current = live.wait(seen, KEEP_ALIVE)
            self.wfile.write(f"data: {current}\n\n".encode() if current != seen else b": \n\n")
            self.wfile.flush()
            seen = current

    def _not_found(self) -> None:
        try:
            html = (Path(self.directory) / "404.html").read_text(encoding="utf-8")
        except OSError:
            html = '<!DOCTYPE html><html lang="zh-CN"><title>找不到页面</title><body><h1>找不到页面</h1></body></html>'
        self._page(404, html)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == RELOAD_JS:
            return self._send(200, RELOAD_SCRIPT, TYPES[".js"])
        if path == EVENTS:
            return self._events()
        target = Path(self.translate_path(self.path))
        if target.is_dir() and not path.endswith("/"):
            return super().do_GET()  # redirects to the folder's address with a slash
        return self._file(target / "index.html" if target.is_dir() else target)

    def _file(self, target: Path) -> None:
        error_html = self.server.live.error_html
        if error_html is not None and (target.suffix == ".html" or not target.exists()):
            return self._page(500, error_html)
        if not target.is_file():
            return self._not_found()
        if target.suffix != ".html":
            return super().do_GET()
        try:
            html = target.read_text(encoding="utf-8")
        except OSError:  # swapped away while we looked
            return self._not_found()
        return self._page(200, html)


def start(port: int, folder: Path, live: Live) -> PreviewServer:
    """Listen on 127.0.0.1:``port`` (0: any free port) in a thread of its own."""
    try:
        server = PreviewServer(port, folder, live)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"端口 {port} 已被占用（也许另一个 gongshi serve 正在运行），"
                f"请用 --port 另选一个，如 --port {port + 1}"
            ) from exc
        raise ConfigError(f"无法在 127.0.0.1:{port} 上提供预览：{exc.strerror}") from exc
    threading.Thread(target=server.serve_forever, name="gongshi-serve", daemon=True).start()
    return server
