"""The quality gates, as functions: each returns the problems it finds (empty means pass).

They are applied to every page of the bundled portal and of the complete test site, and to the
deliberately broken pages built by ``tests/browser/test_gates_catch.py``, which every gate must catch.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import Browser, Page, Route

from .conftest import PHONE

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGE_BUDGET = 60 * 1024  # a page's own HTML plus its stylesheets, uncompressed
LIGHTHOUSE_MINIMUM = 0.95
# A single Lighthouse run's performance score moves with the host's load: its Total Blocking Time is
# the main-thread tasks it observes (Lighthouse's own probes among them) times the 4x mobile CPU
# slowdown. Lighthouse's variability guidance is the median of five runs; so is this gate's score.
LIGHTHOUSE_RUNS = 5


def url_of(site: Path, html_file: Path) -> str:
    """The URL path a file is served at: ``/meetings/x/`` for ``meetings/x/index.html``."""
    relative = html_file.relative_to(site).as_posix()
    return "/" + relative.removesuffix("index.html")


def html_pages(site: Path) -> list[str]:
    return [url_of(site, p) for p in sorted(site.rglob("*.html"))]


# -- accessibility ---------------------------------------------------------------------------
def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the loaded page."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]


KEYBOARD_JS = """
() => {
  const focusable = [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.getClientRects().length > 0
                 && getComputedStyle(e).visibility !== 'hidden');
  focusable.forEach((e, i) => { e.dataset.gate = String(i); });
  return focusable.map(e => e.outerHTML.slice(0, 80));
}
"""

FOCUS_STYLE_JS = """
() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = e.getBoundingClientRect();
  return {index: e.dataset.gate ?? null, html: e.outerHTML.slice(0, 80),
          visible: outline || shadow, onScreen: r.width > 0 && r.height > 0};
}
"""


def keyboard_problems(page: Page) -> list[str]:
    """Tab from the top: the skip link comes first, every control is reached, focus is seen."""
    expected: list[str] = page.evaluate(KEYBOARD_JS)
    problems: list[str] = []
    reached: list[str] = []  # indices of the controls in the order Tab reached them
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
    )
    for _ in range(len(expected) + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE_JS)
        if state is None or state["index"] in reached:
            break  # left the page, or wrapped around
        reached.append(state["index"])
        if not state["visible"]:
            problems.append(f"focus is not visible on {state['html']}")
        if not state["onScreen"]:
            problems.append(f"focused element has no size: {state['html']}")
    if not reached or "跳到主要内容" not in expected[int(reached[0] or 0)]:
        problems.append("the first Tab does not reach the skip link")
    problems += [
        f"not reachable by Tab: {html}" for i, html in enumerate(expected) if str(i) not in reached
    ]
    return problems


STATUS_JS = """
() => [...document.querySelectorAll('.badge')]
  .filter(b => b.textContent.trim() === '').map(b => b.outerHTML.slice(0, 80))
"""


def colour_only_status(page: Page) -> list[str]:
    """Status badges that carry no words (colour alone would be the message)."""
    return [f"status badge without words: {b}" for b in page.evaluate(STATUS_JS)]


# -- layout ----------------------------------------------------------------------------------
LAYOUT_JS = """
() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width)
    problems.push(`scrolls sideways: ${document.documentElement.scrollWidth}px > ${width}px`);
  // every element that holds text directly, with one rectangle per line it occupies
  const boxes = [];
  for (const e of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || e.closest('.visually-hidden, .skip')) continue;
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    for (const r of e.getClientRects()) if (r.width > 0 && r.height > 0) boxes.push({e, r});
  }
  for (const b of boxes)
    if (b.r.right > width + 1) problems.push(`runs off the screen: ${b.e.outerHTML.slice(0, 60)}`);
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.e === b.e || a.e.contains(b.e) || b.e.contains(a.e)) continue;
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 2 && h > 2) problems.push(`overlap: ${a.e.outerHTML.slice(0, 50)} / ${b.e.outerHTML.slice(0, 50)}`);
    if (problems.length > 20) return problems;
  }
  return problems;
}
"""


def layout_problems(page: Page) -> list[str]:
    """Horizontal scrolling, text running off the screen, text boxes overlapping."""
    problems: list[str] = page.evaluate(LAYOUT_JS)
    return problems


# -- 长辈模式 (large print) ----------------------------------------------------------------
LARGE_PRINT_KEY = "gongshi-large-print"  # what themes/gongshi/static/js/mode.js remembers
LARGE_PRINT_JS = """
() => {
  const problems = [];
  if (!document.documentElement.matches('.large, :target')) problems.push('not in large print');
  for (const e of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || e.closest('.visually-hidden, .skip')) continue;
    if (!e.getClientRects().length) continue;
    const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (text && parseFloat(s.fontSize) < 20)
      problems.push(`text under 20px (${s.fontSize}): ${e.outerHTML.slice(0, 60)}`);
    // a control on its own (not a link inside a sentence) is at least 44px high
    const control = e.matches('a[href], button, input, select, summary');
    const inSentence = e.matches('a') && s.display === 'inline' && e.closest('p, td, dd, blockquote')
      && !e.closest('.row-meta, .breadcrumb, .site-footer');
    if (control && !inSentence && e.getBoundingClientRect().height < 44)
      problems.push(`target under 44px (${Math.round(e.getBoundingClientRect().height)}px): ${e.outerHTML.slice(0, 60)}`);
    if (problems.length > 20) break;
  }
  return problems;
}
"""


def large_print_problems(page: Page) -> list[str]:
    """In 长辈模式: no text under 20 px, controls at least 44 px high, and text contrast of at
    least 7:1 (axe's ``color-contrast-enhanced``, WCAG AAA 1.4.6)."""
    problems: list[str] = page.evaluate(LARGE_PRINT_JS)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast-enhanced']}})"
    )
    problems += [
        f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]
    return problems


def print_problems(page: Page) -> list[str]:
    page.emulate_media(media="print")
    try:
        visible = page.evaluate(
            "() => [...document.querySelectorAll('nav, .skip')].filter(e => e.getClientRects().length > 0)"
            ".map(e => e.outerHTML.slice(0, 60))"
        )
    finally:
        page.emulate_media(media="screen")
    return [f"navigation printed: {html}" for html in visible]


# -- self-contained --------------------------------------------------------------------------
@dataclass
class RequestLog:
    """Every request a page makes; any to another host is recorded and never sent."""

    origin: str
    foreign: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith((self.origin + "/", "data:", "about:")) or url == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


# -- JavaScript ------------------------------------------------------------------------------
# -- drawn once --------------------------------------------------------------------------------
LATE_SCRIPTS_JS = """
() => [...document.scripts].filter(s => s.src && (s.defer || s.async || s.type === 'module'))
  .map(s => s.src)
"""


def late_redraws(browser: Browser, url: str, clock: str) -> list[str]:
    """What the scripts that run after parsing (``defer``, ``async``, modules) change in the
    document as it loads, with the reader's clock at ``clock`` (the build's "now").

    The page is loaded twice, with those scripts and with them refused; the two documents must be
    the same. A change is a style and layout pass after the first paint (a phone's work, and
    blocking time under Lighthouse's CPU slowdown); a script that disagreed with the build about
    the state at the build's own "now" shows here too."""

    def document(refused: set[str]) -> tuple[list[str], list[str]]:
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        page.clock.set_fixed_time(clock)
        if refused:
            page.route(lambda address: address in refused, lambda route: route.abort())
        page.goto(url)
        page.wait_for_load_state("load")
        html: str = page.evaluate("() => document.documentElement.outerHTML")
        late: list[str] = page.evaluate(LATE_SCRIPTS_JS)
        context.close()
        return re.sub(r">\s*<", ">\n<", html).splitlines(), late

    drawn, late = document(set())
    parsed, _ = document(set(late))
    changed = [
        line for line in difflib.unified_diff(parsed, drawn, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]  # fmt: skip
    return [f"{url}: after parsing, {line[:160]}" for line in changed[:6]]


def main_text(page: Page) -> str:
    text: str = page.evaluate("() => (document.querySelector('main') || document.body).innerText")
    return re.sub(r"\s+", " ", text).strip()


# -- weight ----------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag.attr, url)
        self.ids: set[str] = set()
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        for attr in ("href", "src"):
            if attr in values and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append((f"{tag}.{attr}", values[attr]))
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href", ""))


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def page_weight(site: Path, url: str) -> int:
    """Bytes of a page's own HTML plus the stylesheets it links (served from ``site``)."""
    path = site / url.lstrip("/")
    html_file = path / "index.html" if url.endswith("/") else path
    html = html_file.read_text(encoding="utf-8")
    # Pagefind's own stylesheet (linked by /search/ only) is a search asset, not the page's: the
    # budget is for what every page costs to read, and search loads far more than CSS anyway.
    sheets = [href for href in parse(html).stylesheets if not href.startswith("/pagefind/")]
    css = sum((site / href.lstrip("/")).stat().st_size for href in sheets)
    return html_file.stat().st_size + css


# -- links -----------------------------------------------------------------------------------
def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            kind = response.headers.get_content_type()
            return response.status, body.decode("utf-8") if kind == "text/html" else ""
    except urllib.error.HTTPError as error:
        return error.code, ""


def broken_links(base: str, start: Iterable[str]) -> list[str]:
    """Crawl the site over HTTP from ``start``: every internal link and asset must resolve,
    and every ``#fragment`` must name an id on its page. Other hosts are skipped, not fetched."""
    pending, seen, problems = list(start), set(), []
    pages: dict[str, _Links] = {}
    status: dict[str, int] = {}
    references: list[tuple[str, str]] = []  # (from page, absolute url)
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        status[url], html = _fetch(base + url)
        if not html:
            continue
        pages[url] = parse(html)
        for _, link in pages[url].links:
            absolute = urljoin(base + url, link)
            if urlsplit(absolute).scheme in ("mailto", "tel") or not absolute.startswith(
                base + "/"
            ):
                continue
            references.append((url, absolute))
            path = urldefrag(absolute)[0].removeprefix(base)
            if path not in seen:
                pending.append(path)
    for source, absolute in references:
        target, fragment = urldefrag(absolute)
        path = target.removeprefix(base)
        if status.get(path) != 200:
            problems.append(f"{source} → {path}: HTTP {status.get(path)}")
        elif fragment and fragment not in pages.get(path, _Links()).ids:
            problems.append(f"{source} → {path}#{fragment}: no such id")
    return sorted(set(problems))


# -- validators run as programs --------------------------------------------------------------
def vnu_errors(files: list[Path]) -> list[str]:
    """The Nu Html Checker's errors for the given HTML files."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').rsplit('/', 3)[-3:]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def lighthouse_scores(url: str, report: Path) -> dict[str, float]:
    """Lighthouse (mobile defaults) category scores for ``url``; the JSON report is kept."""
    flags = " ".join(
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    )  # fmt: skip
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"],
        env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True, text=True, check=True, timeout=180,
    )  # fmt: skip
    categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: float(c["score"] or 0) for name, c in categories.items()}


def lighthouse_summary(report: Path) -> str:
    """One run's report in a line: the performance score, the metrics it weighs, the host's
    benchmark index and Lighthouse's own warnings (a slow host is one), to read when it fails."""
    lhr = json.loads(report.read_text(encoding="utf-8"))
    audits = lhr["audits"]
    metrics = ", ".join(
        f"{label} {audits[audit]['numericValue']:.0f}"
        for label, audit in (("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                             ("TBT", "total-blocking-time"), ("SI", "speed-index"))
    )  # fmt: skip
    long_tasks = audits["long-tasks"].get("details", {}).get("items", [])
    return (
        f"{report.name}: performance {lhr['categories']['performance']['score']}; {metrics} ms;"
        f" CLS {audits['cumulative-layout-shift']['numericValue']:.3f};"
        f" benchmarkIndex {lhr['environment']['benchmarkIndex']};"
        f" long tasks {[(t['url'].rsplit('/', 2)[-2:], round(t['duration'])) for t in long_tasks]};"
        f" warnings {lhr.get('runWarnings', [])}"
    )


def lighthouse_median(url: str, reports: Path, name: str) -> dict[str, float]:
    """Each category's median score over ``LIGHTHOUSE_RUNS`` runs (reports kept as name-N.json).

    Runs stop once the majority has decided every category, i.e. once each has a majority at or
    above ``LIGHTHOUSE_MINIMUM`` or one has a majority below it: the median of the runs made is
    then on the same side of the minimum as the median of all of them would be.
    """
    runs: list[dict[str, float]] = []
    majority = LIGHTHOUSE_RUNS // 2 + 1
    for n in range(1, LIGHTHOUSE_RUNS + 1):
        runs.append(lighthouse_scores(url, reports / f"{name}-{n}.json"))
        passing = [sum(run[c] >= LIGHTHOUSE_MINIMUM for run in runs) for c in runs[0]]
        if min(passing) >= majority or min(passing) <= len(runs) - majority:
            break
    return {category: statistics.median(run[category] for run in runs) for category in runs[0]}
