"""The pre-commit hook (.pre-commit-hooks.yaml) is a valid manifest, and pre-commit running it
blocks a commit of content with problems and lets a clean one through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
MEETING = "content/meetings/2027-01-12-dahuichang-monthly.md"


def test_the_manifest_is_valid_and_checks_the_whole_site() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "gongshi-check"
    assert hook["entry"] == "gongshi check"
    assert hook["language"] == "python"  # pre-commit installs Gongshi from this repository
    assert hook["pass_filenames"] is False  # references cross files: check the site, not one file
    assert hook["files"] == r"^(content/|pelicanconf\.py$)"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _pre_commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_pre_commit_runs_the_hook_and_a_broken_site_fails(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    for name in ("content", "themes"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "pelicanconf.py", repo)
    # the hook exactly as published, run with the gongshi of this environment (no install)
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    local = {**hook, "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
    }

    clean = _pre_commit(repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "检查公示内容（gongshi check）" in clean.stdout

    meeting = repo / MEETING
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("format: meeting", "format: meetting"),
        encoding="utf-8",
    )
    broken = _pre_commit(repo, env)
    assert broken.returncode == 1
    assert f"{MEETING}:13: error: format: 应为 meeting" in broken.stdout
