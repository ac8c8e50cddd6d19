"""``gongshi check --format json|github|gitlab``: the same problems as the text report, in the
shapes CI systems and web editors read; on stdout, with nothing else there."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongshi.cli import READER_GONE, main
from gongshi.errors import Problem
from gongshi.reporting import as_record, github, gitlab, render, suggestion

ROOT = Path(__file__).resolve().parent.parent
BROKEN = "tests/sites/invalid_fields/content"
EXPECTED = (
    (ROOT / "tests/sites/invalid_fields/expected.txt").read_text(encoding="utf-8").split("\n")[:-1]
)
ENUM = Problem(
    "content/outcomes/a.md", 6, "route",
    "应为 onsite、whistle 之一，实际为 'wistle'（是否应为 'whistle'？）", "field.enum",
)  # fmt: skip
KEYS = ["path", "line", "column", "severity", "field", "message", "category", "suggestion"]


def _check(form: str, content: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--settings", "pelicanconf.py", "check", "--content", content, "--format", form])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_json_is_one_object_per_problem_with_stable_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _check("json", BROKEN, capsys)
    records = [json.loads(line) for line in out.rstrip("\n").split("\n")]
    assert code == 1
    assert [list(r) for r in records] == [KEYS] * len(EXPECTED)
    assert [
        f"{r['path']}:{r['line']}: {r['severity']}: {r['field']}: {r['message']} [{r['category']}]"
        for r in records
    ] == EXPECTED
    enum = next(r for r in records if r["field"] == "mechanisms[2]")
    assert enum["suggestion"] == "deliberation" and enum["column"] is None
    assert err == "共 23 个问题，涉及 4 个文件。\n"


def test_github_annotations_mark_each_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check("github", BROKEN, capsys)
    lines = out.rstrip("\n").split("\n")
    assert code == 1 and len(lines) == len(EXPECTED)
    first = re.fullmatch(
        r"(?P<path>[^:]+):(?P<line>\d+): error: (?P<field>[^:]+): (?P<message>.*) \[(?P<cat>.+)\]",
        EXPECTED[0],
    )
    assert first and first["path"] == f"{BROKEN}/cases/dongyuan-parking-story.md"
    assert lines[0] == (
        f"::error file={first['path']},line={first['line']},title={first['field']} [{first['cat']}]::"
        f"{first['message']}"
    )


def test_github_escapes_what_would_end_a_property_or_a_line() -> None:
    odd = Problem("a,b:c.md", 2, "x", "50% 换行\n之后", "field.type", "warning")
    assert (
        github(odd) == "::warning file=a%2Cb%3Ac.md,line=2,title=x [field.type]::50%25 换行%0A之后"
    )


def test_gitlab_report_is_code_quality_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _check("gitlab", BROKEN, capsys)
    report = json.loads(out)
    assert code == 1 and len(report) == len(EXPECTED)
    first = report[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["location"] == {
        "path": f"{BROKEN}/cases/dongyuan-parking-story.md",
        "lines": {"begin": 3},
    }
    assert first["check_name"] == "field.date" and first["severity"] == "major"
    assert len({r["fingerprint"] for r in report}) == len(report)


def test_gitlab_fingerprints_survive_lines_added_above_and_tell_twins_apart() -> None:
    moved = Problem(ENUM.path, ENUM.line + 4, ENUM.field, ENUM.message, ENUM.category)
    assert gitlab([ENUM])[0]["fingerprint"] == gitlab([moved])[0]["fingerprint"]
    twins = gitlab([ENUM, moved])
    assert twins[0]["fingerprint"] != twins[1]["fingerprint"]
    other = Problem(ENUM.path, ENUM.line, ENUM.field, ENUM.message + "。", ENUM.category)
    assert gitlab([other])[0]["fingerprint"] != gitlab([ENUM])[0]["fingerprint"]


def test_a_clean_site_prints_an_empty_report_and_its_summary_apart(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _check("gitlab", "content", capsys)
    assert (code, out) == (0, "[]\n")
    assert err.startswith("内容检查通过：")
    code, out, err = _check("json", "content", capsys)
    assert (code, out) == (0, "")


def test_text_stays_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--settings", "pelicanconf.py", "check", "--content", BROKEN])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.split("\n")[:-2] == EXPECTED


def test_suggestions_of_dates_and_slips_are_found() -> None:
    """The fix-it phrases of the date and YAML-slip messages (issue 12, point 3)."""
    date = Problem("a.md", 3, "date", "实际为 '2025/06/14'：请写成 2025-06-14", "field.date")
    assert suggestion(date) == "2025-06-14"
    start = Problem(
        "a.md",
        4,
        "start",
        "实际为 '12月15日'：请写成 2026-12-15 HH:MM（请把 HH:MM 换成开始的时刻）",
        "field.date",
    )
    assert suggestion(start) == "2026-12-15 HH:MM"
    colon = Problem(
        "a.md",
        2,
        "title",
        "字段名后用了全角冒号“：”：YAML 只认半角冒号加空格，请改为 title: 会议",
        "yaml.colon",
    )
    assert suggestion(colon) == "title: 会议"
    listed = Problem(
        "a.md",
        5,
        "topics",
        "各项之间用半角逗号加空格，请改为 [停车, 电梯]（如果这一项本身含有逗号，请给它加引号）",
        "yaml.list",
    )
    assert suggestion(listed) == "[停车, 电梯]"


def test_suggestion_and_record() -> None:
    assert suggestion(ENUM) == "whistle"
    assert as_record(ENUM)["suggestion"] == "whistle"
    plain = Problem("a.md", 1, "title", "不能为空", "field.empty")
    assert suggestion(plain) is None
    assert render([plain], "text") == (
        "",
        "a.md:1: error: title: 不能为空 [field.empty]\n共 1 个问题，涉及 1 个文件。\n",
    )


def _command(*args: str) -> subprocess.Popen[bytes]:
    """``gongshi`` as an editor's shell runs it: a child process, its output a pipe (and so
    buffered: as without PYTHONUNBUFFERED, which some CI images set)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gongshi.cli", "--settings", "pelicanconf.py", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )


def test_the_command_ends_with_its_code_and_every_line_written() -> None:
    """The command ends its process at once (``cli.run``): what it printed to pipes — buffered,
    not line by line — still arrives whole, and its code is the report's."""
    child = _command("check", "--content", BROKEN, "--format", "json")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 1
    assert len(out.decode().rstrip("\n").split("\n")) == len(EXPECTED)
    assert err.decode() == "共 23 个问题，涉及 4 个文件。\n"
    child = _command("check", "--content", "content")
    out, err = child.communicate(timeout=120)
    assert (child.returncode, err) == (0, b"")
    assert out.decode().startswith("内容检查通过")


def test_a_reader_gone_leaves_the_code_and_no_traceback() -> None:
    """``gongshi check | head -1``: the reader closes the pipe before the report is written; the
    command ends with 141 (128 + SIGPIPE, as a shell's tools do), not as an internal error."""
    child = _command("check", "--content", BROKEN, "--format", "json")
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    with child.stderr:
        err = child.stderr.read()
    assert child.wait(timeout=120) == READER_GONE
    assert b"Traceback" not in err and b"BrokenPipe" not in err and "内部错误" not in err.decode()
