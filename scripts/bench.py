"""Build-time and memory benchmark on a synthetic portal of N items.

    .venv/bin/python scripts/bench.py 10000          # a site of ~10,000 items
    .venv/bin/python scripts/bench.py 1000 --check   # validation only

Generates a deterministic site (10 jurisdictions × 10 communities; meetings, outcomes routed
every way, projects with milestones, cases) in a temporary folder, runs `gongshi build` (or
`check`) in a child process and prints wall time, pages written and the child's peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2025-06-15 10:00"
WORDS = "停车 加装电梯 施工噪声 垃圾分类 物业 供暖 绿化 充电 道路 扶手 座椅 照明 排水".split()


def write_places(content: Path) -> list[str]:
    lines, communities = [], []
    for j in range(10):
        lines += [f"j{j}:", f"  name: 第{j}街道", "  kind: subdistrict", "  district: 测试区", "  communities:"]
        for c in range(10):
            communities.append(f"j{j}-c{c}")
            lines.append(f"    j{j}-c{c}: {{name: 第{j}街道第{c}社区, kind: community}}")
    (content / "places.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return communities


def body(rng: random.Random) -> str:
    paragraphs = ["".join(rng.choice(WORDS) + "问题经协商，各方同意分步解决。" for _ in range(6)) for _ in range(3)]
    return "## 背景资料\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(content: Path, total: int) -> None:
    rng = random.Random(20250615)
    content.mkdir(parents=True)
    communities = write_places(content)
    for folder in ("meetings", "outcomes", "projects", "cases"):
        (content / folder).mkdir(parents=True)
    n_meetings, n_outcomes, n_projects = total * 5 // 10, total * 3 // 10, total // 10
    n_cases = total - n_meetings - n_outcomes - n_projects
    for i in range(n_projects):
        status = ["proposed", "approved", "in_progress", "completed", "suspended"][i % 5]
        extra = {"proposed": "", "approved": "progress: 0\n", "in_progress": "progress: 40\n",
                 "completed": "progress: 100\ncompleted: 2025-05-01\n", "suspended": "progress: 10\nreason: 选址调整\n"}[status]
        (content / "projects" / f"p{i}.md").write_text(
            f"---\ntitle: 项目{i}{rng.choice(WORDS)}\ndate: 2025-01-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"status: {status}\n{extra}categories: [elderly, safety]\nbudget: {10000 + i}\n"
            "milestones:\n  - {date: 2025-01-01, text: 入池}\n  - {date: 2025-03-01, text: 立项, progress: 10}\n---\n"
            + body(rng), encoding="utf-8")  # fmt: skip
    for i in range(n_meetings):
        day = i % 28 + 1
        month = 1 + i % 12
        status = "held" if month < 6 else ["scheduled", "postponed", "cancelled"][i % 3]
        (content / "meetings" / f"m{i}.md").write_text(
            f"---\ntitle: 第{i}次议事协商会：{rng.choice(WORDS)}\ndate: 2025-{month:02d}-{day:02d}\n"
            f"places: {communities[i % 100]}\nstart: 2025-{month:02d}-{day:02d} 14:30\n"
            f"end: 2025-{month:02d}-{day:02d} 16:00\nlocation: 社区议事厅\nconvener: 社区党委书记\n"
            f"topics: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\nparticipants:\n  - {{role: committee, count: 3}}\n"
            f"  - {{role: residents, count: 8}}\nstatus: {status}\ntags: [{rng.choice(WORDS)}]\n---\n" + body(rng),
            encoding="utf-8")  # fmt: skip
    for i in range(n_outcomes):
        route = ["onsite", "assembly", "referred", "whistle", "pool", "declined"][i % 6]
        extra = {"whistle": "lead: 区城市管理委员会\ndeadline: 2025-05-01\n", "pool": f"project: p{i % n_projects}\n",
                 "declined": "reason: 不符合规划\n"}.get(route, "")
        status = "closed" if route == "declined" else ["open", "in_progress", "done"][i % 3]
        done = "done_date: 2025-05-02\n" if status == "done" else ""
        (content / "outcomes" / f"o{i}.md").write_text(
            f"---\ntitle: 协商结果{i}\ndate: 2025-04-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"meetings: [m{i % n_meetings}]\ndecision: 各方同意分步解决\nroute: {route}\n{extra}"
            f"status: {status}\n{done}---\n" + body(rng), encoding="utf-8")  # fmt: skip
    for i in range(n_cases):
        (content / "cases" / f"c{i}.md").write_text(
            f"---\ntitle: 案例{i}\ndate: 2025-05-{i % 28 + 1:02d}\nplaces: {communities[i % 100]}\n"
            f"mechanisms: [deliberation]\nmeetings: [m{i % n_meetings}]\noutcomes: [o{i % n_outcomes}]\n---\n"
            + body(rng) * 3, encoding="utf-8")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", type=int, nargs="?", default=1000)
    parser.add_argument("--check", action="store_true", help="validate only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content, output = Path(tmp) / "content", Path(tmp) / "output"
        started = time.perf_counter()
        generate(content, args.items)
        generated = time.perf_counter() - started
        command = [str(Path(sys.executable).parent / "gongshi"), "--settings", str(ROOT / "pelicanconf.py")]
        if args.check:
            command += ["check", "--content", str(content)]
        else:
            command += ["build", "--content", str(content), "--output", str(output), "--now", NOW]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if result.returncode != 0:
            print(result.stdout, result.stderr[-3000:], sep="\n")
            return result.returncode
        pages = sum(1 for _ in output.rglob("*.html")) if output.exists() else 0
        print(f"items={args.items} generate={generated:.1f}s {'check' if args.check else 'build'}={elapsed:.1f}s "
              f"pages={pages} peak_rss={peak_mib:.0f}MiB per_item={elapsed / args.items * 1000:.2f}ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
