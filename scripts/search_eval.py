"""Measure search against the labelled query set (tests/search/queries.yaml).

    .venv/bin/python scripts/search_eval.py                 # build both sites, run every query
    .venv/bin/python scripts/search_eval.py --bundled OUT --search OUT2   # sites already built

Each site is served on 127.0.0.1 by a real HTTP server and every query is run in Debian Chromium
the way a resident runs it: the search page is opened at ``/search/?q=…`` and the results it
renders are read back (all of them: "more" is pressed until there is none). Prints, per query
that fails, what went wrong, then precision at 1 (the first result is one of the query's
``first`` pages), mean reciprocal rank (of the first such page), the missing ``include`` pages
and the false hits: results shown as matches for a word no page contains. Results shown under
the 相近的结果 heading are not matches and never count.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "search" / "queries.yaml"
SITES = {
    "bundled": (ROOT / "pelicanconf.py", ROOT / "content", "2026-11-22 12:00"),
    "search": (
        ROOT / "tests/sites/search/pelicanconf.py",
        ROOT / "tests/sites/search/content",
        (ROOT / "tests/sites/search/NOW").read_text(encoding="utf-8").strip(),
    ),
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

# What the search page shows once a search has finished, read in the page: the matches (pages
# that contain the query) in order, and the looser results shown apart. The Pagefind UI used
# before issue 13 called every result a match; it is read too, so the baseline can be re-run.
READ = """() => {
  const root = document.getElementById('search');
  if (root && root.dataset.state === 'done') {
    const hrefs = (kind) => [...root.querySelectorAll(`ol[data-kind="${kind}"] .search-result a`)]
      .map(a => a.getAttribute('href'));
    const matches = hrefs('exact'), similar = hrefs('similar');
    return {matches, similar, shown: matches.length + similar.length};
  }
  const message = document.querySelector('.pagefind-ui__message');
  const shown = document.querySelectorAll('.pagefind-ui__result').length;
  const none = message && /^未找到|^没有/.test(message.textContent.trim());
  if (message && (none || shown) && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')) {
    const matches = [...document.querySelectorAll('.pagefind-ui__result-link')]
      .map(a => a.getAttribute('href'));
    return {matches, similar: [], shown: matches.length};
  }
  return null;
}"""
MORE = "#search .search-more:not([hidden]), .pagefind-ui__button:not([hidden])"


@dataclass
class Outcome:
    query: str
    site: str
    matches: list[str]
    first: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    absent: bool = False

    @property
    def rank(self) -> int | None:
        """Position (from 1) of the first right page among the matches."""
        return next((i + 1 for i, url in enumerate(self.matches) if url in self.first), None)

    @property
    def missing(self) -> list[str]:
        return [url for url in self.include if url not in self.matches]

    @property
    def problem(self) -> str:
        if self.absent:
            return f"false hits {self.matches[:3]}" if self.matches else ""
        problems = []
        if self.rank != 1:
            got = self.matches[0] if self.matches else "nothing"
            problems.append(f"first is {got} (a right one at {self.rank or '—'})")
        if self.missing:
            problems.append(f"missing {self.missing}")
        return "; ".join(problems)


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return entries


def search(page: Page, base: str, query: str) -> list[str]:
    """The pages the search page shows as matches for ``query``, all of them, in order."""
    page.goto(f"{base}/search/?q={quote(query)}")
    page.wait_for_function(READ, timeout=15000)
    more = page.locator(MORE)
    for _ in range(50):
        if not more.count() or not more.first.is_visible():
            break
        before = page.evaluate(READ)
        more.first.click()
        page.wait_for_function(
            f"(n) => {{ const r = ({READ})(); return r && r.shown > n; }}",
            arg=before["shown"],
            timeout=15000,
        )
    result: dict[str, list[str]] = page.wait_for_function(READ, timeout=15000).json_value()
    return result["matches"]


def run(page: Page, bases: dict[str, str], queries: list[dict[str, Any]]) -> list[Outcome]:
    outcomes = []
    for q in queries:
        if q["site"] not in bases:
            continue
        matches = search(page, bases[q["site"]], str(q["query"]))
        first, include = q.get("first", []), q.get("include", [])
        outcomes.append(
            Outcome(str(q["query"]), q["site"], matches, first, include, bool(q.get("absent")))
        )
    return outcomes


@dataclass
class Figures:
    queries: int
    precision_at_1: float
    mrr: float
    false_hits: int
    missing: int


def figures(outcomes: list[Outcome]) -> Figures:
    ranked = [o for o in outcomes if not o.absent]
    return Figures(
        queries=len(outcomes),
        precision_at_1=sum(o.rank == 1 for o in ranked) / len(ranked),
        mrr=sum(1 / o.rank for o in ranked if o.rank) / len(ranked),
        false_hits=sum(len(o.matches) for o in outcomes if o.absent),
        missing=sum(len(o.missing) for o in ranked),
    )


def report(outcomes: list[Outcome]) -> str:
    lines = [f"FAIL [{o.site}] {o.query}: {o.problem}" for o in outcomes if o.problem]
    f = figures(outcomes)
    absent = sum(o.absent for o in outcomes)
    lines.append(
        f"{f.queries} queries ({f.queries - absent} ranked, {absent} absent): "
        f"precision@1 {f.precision_at_1:.3f}, MRR {f.mrr:.3f}, "
        f"false hits {f.false_hits}, missing include pages {f.missing}"
    )
    return "\n".join(lines)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build(site: str, output: Path) -> None:
    settings, content, now = SITES[site]
    subprocess.run(
        [sys.executable, "-c", "from gongshi.cli import main; raise SystemExit(main())",
         "--settings", str(settings), "build", "--content", str(content),
         "--output", str(output), "--now", now],
        check=True, capture_output=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundled", type=Path, help="the bundled portal, already built")
    parser.add_argument("--search", type=Path, help="tests/sites/search, already built")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        roots = {}
        for site in SITES:
            given = getattr(args, site)
            if given is None:
                given = Path(tmp) / site
                build(site, given)
            roots[site] = given
        with (
            serve(roots["bundled"]) as bundled,
            serve(roots["search"]) as search_site,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
            outcomes = run(
                page, {"bundled": bundled, "search": search_site}, load_queries(args.queries)
            )
            browser.close()
    print(report(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
