"""Pages rendered on several processes: the same bytes as one process, errors still fail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, build_complete, run_cli, tree

from gongshi.outputs import parallel


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every build renders on three workers, however small; each page notes its process."""
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 0)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    monkeypatch.setenv("GONGSHI_JOBS", "3")
    log = tmp_path / "pids"
    write_page = parallel.write_page

    def noted(build, output, page, *rest):  # type: ignore[no-untyped-def]
        with log.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return write_page(build, output, page, *rest)

    monkeypatch.setattr(parallel, "write_page", noted)
    return log


def test_pages_from_several_processes_are_the_serial_bytes(
    forked: Path, tmp_path: Path, complete_site: Path
) -> None:
    build_complete(tmp_path / "parallel")
    processes = set(forked.read_text().split())
    assert len(processes) > 1 and str(os.getpid()) not in processes
    assert tree(tmp_path / "parallel") == tree(complete_site)


def test_an_error_in_a_worker_fails_the_build_and_leaves_nothing(
    forked: Path, tmp_path: Path
) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "gongshi", theme)
    page = theme / "templates" / "meeting.html"
    text = page.read_text(encoding="utf-8").replace(
        "{% block title %}", "{% block title %}{{ no_such_value }}"
    )
    page.write_text(text, encoding="utf-8")
    settings = tmp_path / "pelicanconf.py"
    text = (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
    settings.write_text(text.replace("../../../themes/gongshi", str(theme)), encoding="utf-8")
    output = tmp_path / "out" / "output"
    code, _, err = run_cli(
        "--settings", str(settings), "build", "--content", str(COMPLETE / "content"),
        "--output", str(output), "--now", COMPLETE_NOW,
    )  # fmt: skip
    assert code == 3, err
    assert "no_such_value" in err
    assert "Traceback" not in err
    assert [p.name for p in output.parent.iterdir() if p.name != ".gongshi-cache"] == []
