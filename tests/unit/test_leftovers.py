"""The folders of killed previews (``serve/leftovers.py``): removed by the next serve, and
nothing else ever."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gongshi.serve import leftovers

KILLED = """
import os, pathlib, signal, sys, tempfile
from gongshi.serve import leftovers
folder = tempfile.mkdtemp(prefix=leftovers.PREFIX, dir=sys.argv[1])
(pathlib.Path(folder) / "site").mkdir()
leftovers.mark(pathlib.Path(folder))
print(folder, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_preview(place: Path) -> Path:
    """The folder of a preview whose process was killed (as ``serve`` marks its own)."""
    run = subprocess.run(
        [sys.executable, "-c", KILLED, str(place)], capture_output=True, text=True, check=False
    )
    assert run.returncode < 0, run.stderr  # killed, its folder left
    return Path(run.stdout.strip())


def test_only_the_folders_of_previews_whose_process_is_gone_are_removed(tmp_path: Path) -> None:
    dead = killed_preview(tmp_path)
    running = tmp_path / f"{leftovers.PREFIX}running"  # this process's: it runs
    running.mkdir()
    leftovers.mark(running)
    reused = tmp_path / f"{leftovers.PREFIX}reused"  # this process's id, another start: gone
    reused.mkdir()
    (reused / leftovers.MARK).write_text(json.dumps({"pid": os.getpid(), "started": "1"}))
    unmarked = tmp_path / f"{leftovers.PREFIX}unmarked"  # not known to be a preview
    unmarked.mkdir()
    garbled = tmp_path / f"{leftovers.PREFIX}garbled"
    garbled.mkdir()
    (garbled / leftovers.MARK).write_text("{")
    other = tmp_path / "other"  # another name, the mark of a gone process in it
    other.mkdir()
    (other / leftovers.MARK).write_bytes((dead / leftovers.MARK).read_bytes())
    link = tmp_path / f"{leftovers.PREFIX}link"  # a link to a gone preview: never followed
    link.symlink_to(other)
    file = tmp_path / f"{leftovers.PREFIX}file"
    file.write_text("x")
    assert (dead / "site").is_dir()
    assert leftovers.remove_left(str(tmp_path)) == sorted([str(dead), str(reused)])
    assert not dead.exists() and not reused.exists()
    for kept in (running, unmarked, garbled, other, link, file):
        assert kept.exists() or kept.is_symlink(), kept
    assert leftovers.remove_left(str(tmp_path), str(tmp_path / "none")) == []  # nothing left


def test_a_process_is_told_from_a_later_one_given_its_id() -> None:
    assert leftovers.started(os.getpid()) == leftovers.started(os.getpid()) is not None
    assert leftovers.started(2**22 + 1) is None  # no such process
