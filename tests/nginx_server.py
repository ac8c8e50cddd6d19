"""A real nginx on 127.0.0.1 serving a folder with the shipped docs/deploy/nginx.conf, for
tests/test_nginx.py and the browser check of its security headers (tests/browser/test_csp.py).

nginx is installed by scripts/test.sh (Debian's ``nginx``). Where it is missing a test that
needs it is skipped, with the reason in the summary; in CI (``CI`` set, as .ci/run does) it
fails instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

SHIPPED = ROOT / "docs" / "deploy" / "nginx.conf"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found is None:
        reason = "nginx is not installed (Debian's nginx; scripts/test.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason + ": in CI this test must run")
        pytest.skip(reason)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def shipped_config(site: Path, port: int) -> str:
    """The shipped file, listening on the test's port and serving the test's folder."""
    text = SHIPPED.read_text(encoding="utf-8")
    for pattern, line in [
        (r"(?m)^    listen 80;$", f"    listen 127.0.0.1:{port};"),
        (r"(?m)^    root /srv/gongshi/output;", f"    root {site};"),
    ]:
        text, count = re.subn(pattern, line, text)
        assert count == 1, pattern  # the shipped file still has the lines an operator edits
    return text


@contextlib.contextmanager
def nginx_serving(site: Path, work: Path) -> Iterator[int]:
    """Serve ``site`` with the shipped configuration; yield the port. ``work`` is nginx's prefix
    (its config, pid, logs, temp folders). nginx is stopped, by its own PID, afterwards."""
    nginx = nginx_binary()
    port = _free_port()
    (work / "site.conf").write_text(shipped_config(site, port), encoding="utf-8")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / name).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the pytest folder
    (work / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  access_log off;\n  client_body_temp_path {work}/client_body;\n"
        f"  proxy_temp_path {work}/proxy;\n  fastcgi_temp_path {work}/fastcgi;\n"
        f"  uwsgi_temp_path {work}/uwsgi;\n  scgi_temp_path {work}/scgi;\n"
        f"  include {work}/site.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    command = [nginx, "-p", str(work), "-c", str(work / "nginx.conf")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    log = work / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=stderr
        )
    try:
        deadline = time.monotonic() + 15
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()  # this nginx only: its own PID
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
