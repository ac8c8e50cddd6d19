"""Every problem is one line, whatever the file name or value it quotes holds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from gongshi.errors import Problem
from tests.conftest import COMPLETE, run_cli

LINE = re.compile(r"^\S.*:\d+: error: .+: .+ \[[a-z][a-z0-9.-]*\]$")


def test_a_problem_escapes_line_breaks_and_control_characters() -> None:
    problem = Problem("content/meetings/a\nb.md", 3, "title\r", "实际为 'x\x1b[31m\u2028y'", "t.x")
    text = str(problem)
    assert "\n" not in text and "\r" not in text and "\x1b" not in text and "\u2028" not in text
    assert text == (
        "content/meetings/a\\u000ab.md:3: error: title\\u000d: 实际为 'x\\u001b[31m\\u2028y' [t.x]"
    )


def test_a_file_name_or_value_with_a_line_break_stays_on_its_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    shutil.copy(COMPLETE / "content" / "places.yaml", content)
    (content / "meetings" / "2025-06-20-a\nb.md").write_text("---\ntitle: x\n---\n", "utf-8")
    (content / "meetings" / "2025-06-20-c.md").write_text(
        "---\ntitle: x\ntopics: |\n  <script>\n  第二行\n---\n", "utf-8"
    )
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "check", "--content", str(content)
    )
    lines = err.rstrip("\n").split("\n")
    assert code == 1
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert any("a\\u000ab.md:1:" in line for line in lines), lines
