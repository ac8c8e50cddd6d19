"""``gongshi check --format json|github|gitlab``: the same problems as the text report, in the
shapes CI systems and web editors read; on stdout, with nothing else there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongshi.cli import main
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
    assert lines[0] == (
        f"::error file={BROKEN}/cases/dongyuan-parking-story.md,line=3,title=date [field.date]::"
        "应为日期（YYYY-MM-DD）或日期时间（YYYY-MM-DD HH:MM），实际为 '2025/06/14'：请写成 2025-06-14"
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


def test_suggestion_and_record() -> None:
    assert suggestion(ENUM) == "whistle"
    assert as_record(ENUM)["suggestion"] == "whistle"
    plain = Problem("a.md", 1, "title", "不能为空", "field.empty")
    assert suggestion(plain) is None
    assert render([plain], "text") == (
        "",
        "a.md:1: error: title: 不能为空 [field.empty]\n共 1 个问题，涉及 1 个文件。\n",
    )
