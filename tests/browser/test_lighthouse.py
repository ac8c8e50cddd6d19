"""Lighthouse (mobile defaults) on the home page, a meeting page and the projects page.

Each scores at least 0.95 in performance, accessibility, best practices and SEO, as the median of
five runs (gates.LIGHTHOUSE_RUNS: one run's performance moves with the host's load; the runs stop
once the majority is known). The JSON
reports are kept in test-artifacts/lighthouse/ to read when a score drops.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .gates import LIGHTHOUSE_MINIMUM, lighthouse_median, lighthouse_summary

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "meeting": "/meetings/2027-01-12-dahuichang-monthly/",
    "projects": "/projects/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores(bundled_url: str, artifacts: Path, name: str) -> None:
    reports = artifacts.parent / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    for stale in reports.glob(f"{name}-*.json"):
        stale.unlink()
    scores = lighthouse_median(bundled_url + PAGES[name], reports, name)
    runs = "\n".join(lighthouse_summary(r) for r in sorted(reports.glob(f"{name}-*.json")))
    print(f"lighthouse {name}: {scores}\n{runs}")
    assert set(scores) == {"performance", "accessibility", "best-practices", "seo"}
    assert {k: v for k, v in scores.items() if v < LIGHTHOUSE_MINIMUM} == {}, runs
