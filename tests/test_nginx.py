"""The shipped nginx configuration (docs/deploy/nginx.conf), served by a real nginx on 127.0.0.1.

The complete test site is built, copied with one attachment of every type the serving table
knows, and served by Debian's nginx with the shipped file included as it is (only ``listen``
and ``root`` are pointed at the test's port and folder). The responses must carry the types and
cache headers of :mod:`gongshi.publish.serving` — the ones a deploy to an object store sets — the
site's 404 page, 304 for a conditional request, and gzip.

nginx is started by tests/nginx_server.py: skipped with the reason where it is missing, failing
in CI.
"""

from __future__ import annotations

import gzip
import http.client
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from nginx_server import nginx_serving

from gongshi.publish import serving
from gongshi.publish.guards import MARKER
from gongshi.publish.manifest import MANIFEST

pytestmark = pytest.mark.nginx


@pytest.fixture(scope="module")
def served(
    complete_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, Path]]:
    """(port, site folder) of a running nginx, for the module."""
    work = tmp_path_factory.mktemp("nginx")
    site = work / "site"
    shutil.copytree(complete_site, site)
    for suffix in serving.TYPES:  # an attachment of every type the table knows
        (site / "files" / f"sample{suffix}").write_bytes(b"x" * 1000)
    with nginx_serving(site, work) as port:
        yield port, site


Response = tuple[int, dict[str, str], bytes]


def get(port: int, path: str, **headers: str) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "file", "content_type"),
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/meetings/", "meetings/index.html", "text/html; charset=utf-8"),
        ("/calendar/meetings.ics", "calendar/meetings.ics", "text/calendar; charset=utf-8"),
        ("/feeds/all.atom.xml", "feeds/all.atom.xml", "application/xml; charset=utf-8"),
        ("/feeds/meetings.rss.xml", "feeds/meetings.rss.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "sitemap.xml", "application/xml; charset=utf-8"),
        ("/data/meetings.json", "data/meetings.json", "application/json; charset=utf-8"),
        ("/data/milestones.csv", "data/milestones.csv", "text/csv; charset=utf-8"),
        ("/robots.txt", "robots.txt", "text/plain; charset=utf-8"),
        ("/theme/css/site.css", "theme/css/site.css", "text/css; charset=utf-8"),
    ],
)
def test_each_kind_of_file_is_served_with_its_type(served, path, file, content_type) -> None:
    port, site = served
    status, headers, body = get(port, path)
    assert status == 200
    assert headers["content-type"] == content_type == serving.content_type(file)
    assert headers["cache-control"] == serving.cache_control(file)
    assert body == (site / file).read_bytes()


def test_every_type_and_cache_rule_agrees_with_the_serving_table(served) -> None:
    """What an object store is told (gongshi/publish/serving.py) is what nginx says."""
    port, site = served
    files = [f"files/sample{suffix}" for suffix in serving.TYPES]
    files += [p.relative_to(site).as_posix() for p in sorted((site / "pagefind").rglob("*"))]
    files = [f for f in files if (site / f).is_file()]
    assert any(f.startswith("pagefind/fragment/") for f in files)
    differ = {}
    for file in files:
        status, headers, _ = get(port, "/" + file)
        served_as = (status, headers.get("content-type"), headers.get("cache-control"))
        wanted = (200, serving.content_type(file), serving.cache_control(file))
        if served_as != wanted:
            differ[file] = (served_as, wanted)
    assert differ == {}


def test_pagefind_chunks_are_immutable_and_pages_revalidate(served) -> None:
    port, site = served
    fragment = next((site / "pagefind" / "fragment").iterdir()).relative_to(site).as_posix()
    assert get(port, "/" + fragment)[1]["cache-control"] == "public, max-age=31536000, immutable"
    assert get(port, "/")[1]["cache-control"] == "public, max-age=300, must-revalidate"
    assert get(port, "/files/elevator-site.png")[1]["cache-control"] == "public, max-age=3600"


def test_a_missing_path_gets_the_sites_404_page_with_status_404(served) -> None:
    port, site = served
    status, headers, body = get(port, "/meetings/no-such-meeting/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (site / "404.html").read_bytes()
    assert "content-security-policy" in headers  # headers on the error page too


@pytest.mark.parametrize("name", [MARKER, MANIFEST])
def test_the_builds_bookkeeping_is_not_served(served, name: str) -> None:
    port, site = served
    assert (site / name).is_file()
    status, _, body = get(port, f"/{name}")
    assert status == 404 and body == (site / "404.html").read_bytes()


def test_a_folder_without_its_slash_is_redirected_on_the_same_host(served) -> None:
    port, _ = served
    status, headers, _ = get(port, "/meetings")
    assert status == 301 and headers["location"] == "/meetings/"


def test_a_conditional_request_is_answered_not_modified(served) -> None:
    port, _ = served
    status, headers, _ = get(port, "/data/meetings.json")
    assert status == 200 and headers["etag"] and headers["last-modified"]
    status, again, body = get(port, "/data/meetings.json", If_None_Match=headers["etag"])
    assert (status, body) == (304, b"")
    assert again["cache-control"] == "public, max-age=300, must-revalidate"
    since = get(port, "/data/meetings.json", If_Modified_Since=headers["last-modified"])
    assert since[0] == 304
    zipped = get(port, "/", Accept_Encoding="gzip")[1]
    assert zipped["etag"].startswith('W/"')  # gzip makes the tag weak; a revalidation still works
    assert get(port, "/", Accept_Encoding="gzip", If_None_Match=zipped["etag"])[0] == 304
    assert get(port, "/data/meetings.json", If_None_Match='"other"')[0] == 200


@pytest.mark.parametrize(
    "path", ["/", "/data/meetings.json", "/data/meetings.csv", "/calendar/meetings.ics",
             "/feeds/all.atom.xml", "/theme/css/site.css"],
)  # fmt: skip
def test_text_is_compressed_for_clients_that_accept_it(served, path: str) -> None:
    port, site = served
    status, headers, body = get(port, path, Accept_Encoding="gzip")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    file = site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
    original = file.read_bytes()
    assert gzip.decompress(body) == original and len(body) < len(original)
    assert "content-encoding" not in get(port, path)[1]  # never to a client that did not ask


def test_pagefind_chunks_are_not_compressed_twice(served) -> None:
    port, site = served
    fragment = next((site / "pagefind" / "fragment").iterdir()).relative_to(site).as_posix()
    assert "content-encoding" not in get(port, "/" + fragment, Accept_Encoding="gzip")[1]


def test_security_headers_allow_what_pages_use_and_nothing_remote(served) -> None:
    port, _ = served
    headers = get(port, "/search/")[1]
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in headers["content-security-policy"].split("; ")
    )
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # Pagefind's WebAssembly
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert all("http" not in " ".join(v) for v in policy.values())  # no other host, anywhere
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
