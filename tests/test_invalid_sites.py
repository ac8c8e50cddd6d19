"""Tier 2: every ``tests/sites/invalid_*/`` site makes ``gongshi check`` print exactly the problem
lines in its ``expected.txt`` (paths relative to the repository root), in that order, then the
summary, and exit 1.

To add a case: make ``tests/sites/invalid_<topic>/content/`` (with its own ``places.yaml``), run
``gongshi check --content tests/sites/invalid_<topic>/content`` from the repository root, read every
line it prints, and keep the ones you meant as ``expected.txt``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongshi.cli import main

ROOT = Path(__file__).resolve().parent.parent
SITES = sorted(path for path in (ROOT / "tests" / "sites").glob("invalid_*") if path.is_dir())


def expected_lines(site: Path) -> list[str]:
    text = (site / "expected.txt").read_text(encoding="utf-8")
    return text.rstrip("\n").split("\n")


def test_every_kind_of_problem_has_a_sample_site() -> None:
    assert len(SITES) >= 6
    for site in SITES:
        content = f"{site.relative_to(ROOT)}/content/"
        assert all(line.startswith(content) for line in expected_lines(site)), site.name


@pytest.mark.parametrize("site", SITES, ids=lambda path: path.name)
def test_check_reports_exactly_the_expected_problems(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    content = site.relative_to(ROOT) / "content"
    expected = expected_lines(site)
    files = len({line.split(":", 1)[0] for line in expected})

    code = main(["--settings", "pelicanconf.py", "check", "--content", str(content)])

    out, err = capsys.readouterr()
    assert err.split("\n") == [*expected, f"共 {len(expected)} 个问题，涉及 {files} 个文件。", ""]
    assert out == ""
    assert code == 1
