"""Whole sites: an image another host would serve fails `check` and `build` on its line, and
nothing that loads from another host reaches any published file, however its URL is spelled."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import COMPLETE, build_complete, run_cli, tree

MEETING = Path("meetings") / "2025-06-20-yuquan-parking.md"  # 34 lines: HOSTILE starts on 35
HOSTILE = """
<img src="/\\evil.example/a.png" alt="现场">

![现场](/\\evil.example/b.png)

<img src="&#47;&#92;evil.example/c.png" alt="现场"> <img src="/&#x5c;evil.example/d.png" alt="现场">

<img alt="现场" src="/&Tab;/evil.example/e.png"><img alt="现场" src="/
/evil.example/f.png">

<img src=" //evil.example/g.png" alt="现场">

![现场][ref] 和 <IMG SRC="HTTPS://evil.example/h.png" ALT="现场">

[ref]: \\\\evil.example/i.png
"""
REPORTED = [
    (36, "/\\evil.example/a.png"),
    (38, "/\\evil.example/b.png"),
    (40, "/\\evil.example/c.png"),
    (40, "/\\evil.example/d.png"),
    (42, "/\\x09/evil.example/e.png"),
    (42, "/\\x0a/evil.example/f.png"),
    (45, " //evil.example/g.png"),
    (47, "HTTPS://evil.example/h.png"),
    (49, "\\\\evil.example/i.png"),  # a reference keeps both backslashes
]


def _copy_with_body(tmp_path: Path, extra: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    meeting = content / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return content


def _problems(err: str) -> list[tuple[int, str]]:
    return [
        (int(line.split(":")[1]), line.split("'")[1])
        for line in err.splitlines()
        if line.endswith("[body.remote-image]")
    ]


def test_check_and_build_fail_on_each_remote_image_at_its_line(tmp_path: Path) -> None:
    content = _copy_with_body(tmp_path, HOSTILE)
    settings = str(COMPLETE / "pelicanconf.py")

    output = tmp_path / "output"
    check = run_cli("--settings", settings, "check", "--content", str(content))
    build = run_cli(
        "--settings", settings, "build", "--content", str(content), "--output", str(output)
    )

    for code, _, err in (check, build):
        assert code == 1
        assert _problems(err) == REPORTED
        problems = [line for line in err.splitlines() if ": error: " in line]
        assert len(problems) == len(REPORTED)
        assert all(line.startswith(f"{content / MEETING}:") for line in problems)
    assert not output.exists()


NEVER_PUBLISHED = """
<picture><source srcset="//evil.example/a.png"><img src="/files/elevator-site.png" srcset="/\\evil.example/b.png 2x" alt="现场"></picture>
<video poster="//evil.example/c.png" src="//evil.example/c.mp4"></video><audio src="//evil.example/d.mp3"></audio>
<input type="image" src="//evil.example/e.png"><link rel="stylesheet" href="//evil.example/f.css">
<iframe src="/\\evil.example/g"></iframe><object data="//evil.example/h.swf"></object><embed src="//evil.example/i.swf">
<svg><image href="//evil.example/j.png"/><use xlink:href="//evil.example/k.svg#x"/></svg>
<p style="background:url(//evil.example/l.png)">背景</p><table background="//evil.example/m.png"><tr><td>表</td></tr></table>
<a href="/\\link.example/n" ping="//evil.example/o">另一网站的资料</a>
"""


def test_nothing_that_loads_from_another_host_reaches_any_published_file(tmp_path: Path) -> None:
    content = _copy_with_body(tmp_path, NEVER_PUBLISHED)
    output = tmp_path / "output"

    assert build_complete(output, content=content) == 0

    published = tree(output)
    assert not [name for name, data in published.items() if b"evil.example" in data]
    page = published["meetings/2025-06-20-yuquan-parking/index.html"].decode()
    assert '<a href="/\\link.example/n" rel="noopener noreferrer">另一网站的资料</a>' in page
