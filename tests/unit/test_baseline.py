"""The factories' baselines are valid, so a test that changes one field sees only its own problem."""

from __future__ import annotations

from .conftest import SiteFolder


def test_baselines_load_cleanly(site: SiteFolder) -> None:
    site.meeting()
    site.outcome(meetings="[2025-06-20-guobei-parking]")
    site.project()
    site.case(
        meetings="[2025-06-20-guobei-parking]",
        outcomes="[2025-06-12-guobei-noise]",
        projects="[guobei-elevator]",
    )

    index = site.load()

    assert index.counts() == {"meeting": 1, "outcome": 1, "project": 1, "case": 1}


def test_every_type_folder_may_be_empty(site: SiteFolder) -> None:
    assert site.problems() == []
