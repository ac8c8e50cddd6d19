"""What search costs on a built site: indexing time and memory, and what a query downloads.

    .venv/bin/python scripts/search_cost.py OUTPUT [QUERY …]

OUTPUT is a site ``gongshi build`` wrote (for 10,000 items: the content of
``scripts/bench.py 10000``). Indexing is run again over its item pages exactly as a build runs it
(``outputs/search/indexing``: the copy with one Chinese character per word, Pagefind, the
reordering), timed step by step, with Pagefind's peak memory. Then the site is served on
127.0.0.1 and each query is opened in Debian Chromium at ``/search/?q=…``; the bytes of every
response (the page, its CSS and scripts, Pagefind's files: as served, without HTTP compression)
are added up from the page's first request to the rendered results, as served by Python's
server (no HTTP compression) and as a server compressing text (HTML, CSS, JavaScript, JSON)
with gzip would send them; Pagefind's index, meta and WebAssembly files are gzip'd already.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Error, Response, sync_playwright
from search_eval import CHROMIUM, CHROMIUM_ARGS, READ, serve

from gongshi.outputs.search import indexing
from gongshi.outputs.search.bundle import make_deterministic

TYPICAL = ["充电", "停车", "噪声", "第12街道第3社区", "协商结果42"]
ITEM_FOLDERS = ("meetings", "outcomes", "projects", "cases")
TEXT = ("text/", "application/javascript", "application/json")  # Pagefind's own are gzip already


def index_again(site: Path) -> None:
    pages = sorted(
        str(p.relative_to(site)) for f in ITEM_FOLDERS for p in (site / f).glob("*/index.html")
    )
    with tempfile.TemporaryDirectory(prefix="search-cost-") as tmp:
        copy, bundle = Path(tmp) / "copy", Path(tmp) / "pagefind"
        started = time.perf_counter()
        for page in pages:
            target = copy / page
            target.parent.mkdir(parents=True)
            html = (site / page).read_text(encoding="utf-8")
            target.write_text(indexing.for_indexing(html), encoding="utf-8")
        copied = time.perf_counter()
        subprocess.run(indexing.command(copy, bundle), check=True, capture_output=True)
        indexed = time.perf_counter()
        make_deterministic(bundle)
        done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{len(pages)} pages: copy {copied - started:.1f} s, Pagefind {indexed - copied:.1f} s "
        f"(peak {peak:.0f} MiB), reorder {done - indexed:.1f} s, "
        f"total {done - started:.1f} s"
    )


def downloads(site: Path, queries: list[str]) -> None:
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in queries:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            sizes: dict[str, int] = {}
            gzipped: dict[str, int] = {}  # text as a server with gzip on would send it

            def record(
                response: Response, sizes: dict[str, int] = sizes, gzipped: dict[str, int] = gzipped
            ) -> None:
                try:
                    body = response.body()
                except Error:  # a request still under way when the page was closed
                    return
                sizes[response.url] = len(body)
                text = response.headers.get("content-type", "").startswith(TEXT)
                gzipped[response.url] = len(gzip.compress(body)) if text else len(body)

            page.on("response", record)
            page.goto(f"{base}/search/?q={quote(query)}")
            page.wait_for_function(READ, timeout=60000)
            page.wait_for_load_state("networkidle")
            pagefind = sum(n for url, n in sizes.items() if "/pagefind/" in url)
            print(
                f"{query}: {sum(sizes.values()) / 1024:.0f} KB in {len(sizes)} requests "
                f"(Pagefind's files {pagefind / 1024:.0f} KB); with gzip for text "
                f"{sum(gzipped.values()) / 1024:.0f} KB"
            )
            context.close()
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=TYPICAL)
    parser.add_argument("--no-index", action="store_true", help="measure downloads only")
    args = parser.parse_args()
    if not args.no_index:
        index_again(args.site)
    downloads(args.site, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
