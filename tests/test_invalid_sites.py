"""Tier 2: every ``tests/sites/invalid_*/`` site makes ``gongshi check`` print exactly the problem
lines in its ``expected.txt`` (paths relative to the repository root), in that order, then the
summary, and exit 1. A site whose rules depend on "now" fixes it in a ``NOW`` file (passed as
``--now``); its warnings (``path:line: warning: …``) are expected lines too, counted apart.

To add a case: make ``tests/sites/invalid_<topic>/content/`` (with its own ``places.yaml``), run
``gongshi check --content tests/sites/invalid_<topic>/content`` from the repository root, read every
line it prints, and keep the ones you meant as ``expected.txt``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongshi.cli import main
from gongshi.errors import Problem, summary

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
    now = ["--now", (site / "NOW").read_text().strip()] if (site / "NOW").exists() else []

    code = main(["--settings", "pelicanconf.py", "check", "--content", str(content), *now])

    out, err = capsys.readouterr()
    assert err.split("\n") == [*expected, summary(_as_problems(expected)), ""]
    assert out == ""
    assert code == 1


def _as_problems(lines: list[str]) -> list[Problem]:
    """Enough of each expected line to count it: its file and whether it is a warning."""
    return [
        Problem(line.split(":", 1)[0], 0, "", line, "", line.split(": ", 2)[1]) for line in lines
    ]
