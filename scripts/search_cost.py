"""What search costs on a built site: indexing time and memory, and what a query downloads.

    .venv/bin/python scripts/search_cost.py [--no-index] [--breakdown] OUTPUT [QUERY …]

OUTPUT is a site ``gongshi build`` wrote (for 10,000 items: the content of
``scripts/bench.py 10000``). Indexing is run again over its item pages exactly as a build runs it
(``outputs/search/indexing``: the copy with one Chinese character per word and Pagefind, shard by
shard; the merge; the reordering; ``compact``), timed step by step, with the peak memory of the
largest Pagefind run. Then the site is served on
127.0.0.1 and each query is opened in Debian Chromium at ``/search/?q=…``; the bytes of every
response (the page, its CSS and scripts, Pagefind's files: as served, without HTTP compression)
are added up from the page's first request to the rendered results, as served by Python's
server (no HTTP compression) and as a server compressing text (HTML, CSS, JavaScript, JSON)
with gzip would send them; Pagefind's index, meta and WebAssembly files are gzip'd already.
Requests from Pagefind's web worker (index chunks, fragments) are counted too. ``--breakdown``
says what the bytes are (pagefind.js, worker, wasm, meta, index chunks, fragments, filters, the
page and its own files). Last comes the verdict: every query (by default TYPICAL, typical queries
on that content) must download less than 300 KB (issue 13); the exit status is 1 if one does not.
"""

from __future__ import annotations

import argparse
import gzip
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Error, Response, sync_playwright
from search_eval import CHROMIUM, CHROMIUM_ARGS, READ, serve

from gongshi.outputs.search import indexing
from gongshi.outputs.search.bundle import make_deterministic
from gongshi.outputs.search.compact import compact
from gongshi.outputs.search.merge import merge

# typical queries on the content of scripts/bench.py: two-, three- and four-character words and a
# word with a number; each must download less than BUDGET (issue 13: 300 KB at 10,000 items)
TYPICAL = ["充电", "停车", "物业", "游泳池", "加装电梯", "垃圾分类", "协商结果42"]
BUDGET_KB = 300
ITEM_FOLDERS = ("meetings", "outcomes", "projects", "cases")
TEXT = ("text/", "application/javascript", "application/json")  # Pagefind's own are gzip already
# what each response is, for the breakdown: (label, pattern of its address), first match wins
KINDS = [
    ("pagefind.js", r"/pagefind/pagefind\.js$"),
    ("worker", r"/pagefind/pagefind-worker\.js$"),
    ("wasm", r"/pagefind/wasm\."),
    ("meta", r"/pagefind/pagefind\.[^/]*pf_meta$"),
    ("entry", r"/pagefind/pagefind-entry\.json$"),
    ("synonyms", r"/pagefind/search-synonyms\.json$"),
    ("index", r"/pagefind/index/"),
    ("fragments", r"/pagefind/fragment/"),
    ("filters", r"/pagefind/filter/"),
    ("page", r""),
]


def kind(url: str) -> str:
    return next(label for label, pattern in KINDS if re.search(pattern, url.partition("?")[0]))


def index_again(site: Path) -> None:
    pages = sorted(
        str(p.relative_to(site)) for f in ITEM_FOLDERS for p in (site / f).glob("*/index.html")
    )
    shards = indexing.shards(pages, indexing.shard_size())
    with tempfile.TemporaryDirectory(prefix="search-cost-") as tmp:
        work, bundle = Path(tmp) / "work", Path(tmp) / "pagefind"
        started = time.perf_counter()
        bundles, left_out = indexing.index_shards(site, work, pages, None)
        indexed = time.perf_counter()
        merge(bundles, bundle, leave_out=left_out)
        merged = time.perf_counter()
        make_deterministic(bundle)
        reordered = time.perf_counter()
        compact(bundle)
        done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{len(pages)} pages in {len(shards)} shards: copy and Pagefind {indexed - started:.1f} s "
        f"(largest run's peak {peak:.0f} MiB), merge {merged - indexed:.1f} s, "
        f"reorder {reordered - merged:.1f} s, compact {done - reordered:.1f} s, "
        f"total {done - started:.1f} s"
    )


def downloads(site: Path, queries: list[str], breakdown: bool = False) -> dict[str, float]:
    """Print what each query downloads; return its KB, as a server with gzip would send it."""
    totals: dict[str, float] = {}
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

            context.on("response", record)  # the page's and its worker's (Pagefind's)
            page.goto(f"{base}/search/?q={quote(query)}")
            page.wait_for_function(READ, timeout=60000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)  # lets the handler above read the last responses
            pagefind = sum(n for url, n in sizes.items() if "/pagefind/" in url)
            totals[query] = sum(gzipped.values()) / 1024
            print(
                f"{query}: {sum(sizes.values()) / 1024:.0f} KB in {len(sizes)} requests "
                f"(Pagefind's files {pagefind / 1024:.0f} KB); with gzip for text "
                f"{sum(gzipped.values()) / 1024:.0f} KB"
            )
            if breakdown:
                by_kind: dict[str, list[int]] = {}
                for url, n in gzipped.items():
                    by_kind.setdefault(kind(url), []).append(n)
                print(
                    "  "
                    + ", ".join(
                        f"{label} {sum(by_kind[label]) / 1024:.0f}"
                        + (f" ({len(by_kind[label])})" if len(by_kind[label]) > 1 else "")
                        for label, _ in KINDS
                        if label in by_kind
                    )
                    + " KB"
                )
            context.close()
        browser.close()
    return totals


def verdict(totals: dict[str, float]) -> bool:
    """Print whether every query stays under the budget; True if so."""
    over = {query: kb for query, kb in totals.items() if kb >= BUDGET_KB}
    for query, kb in totals.items():
        print(f"  {'超出' if query in over else '达标'} {query}: {kb:.0f} KB / {BUDGET_KB} KB")
    print(
        f"budget {BUDGET_KB} KB: {'FAIL' if over else 'OK'} ({len(totals) - len(over)}/{len(totals)})"
    )
    return not over


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=TYPICAL)
    parser.add_argument("--no-index", action="store_true", help="measure downloads only")
    parser.add_argument(
        "--breakdown", action="store_true", help="what each query's bytes are, by kind of file"
    )
    args = parser.parse_args()
    if not args.no_index:
        index_again(args.site)
    return 0 if verdict(downloads(args.site, args.queries, args.breakdown)) else 1


if __name__ == "__main__":
    sys.exit(main())
