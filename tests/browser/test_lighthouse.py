"""Lighthouse (mobile defaults) on the home page, a meeting page and the projects page.

Each scores at least 0.95 in performance, accessibility, best practices and SEO. The JSON reports
are kept in test-artifacts/lighthouse/ to read when a score drops.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .gates import LIGHTHOUSE_MINIMUM, lighthouse_scores

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
    scores = lighthouse_scores(bundled_url + PAGES[name], reports / f"{name}.json")
    print(f"lighthouse {name}: {scores}")
    assert set(scores) == {"performance", "accessibility", "best-practices", "seo"}
    assert {k: v for k, v in scores.items() if v < LIGHTHOUSE_MINIMUM} == {}
