"""Plausible-but-wrong states (issue 10, item 9): errors stop check and build; a warning is
printed, leaves a plain check and build green, and fails both with ``--strict``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED_NOW, COMPLETE, COMPLETE_NOW, ROOT, run_cli

STATES = ROOT / "tests" / "sites" / "invalid_states"
NOW = (STATES / "NOW").read_text(encoding="utf-8").strip()
WARNING = (
    "projects/dongyuan-lights.md:10: warning: milestones[3].date: 里程碑日期 '2025-07-30' "
    "晚于今天（2025-06-25）"
)


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """A site whose only finding is a milestone dated after now (a warning)."""
    content = tmp_path / "content"
    (content / "projects").mkdir(parents=True)
    shutil.copy(STATES / "content" / "places.yaml", content)
    shutil.copy(STATES / "content" / "projects" / "dongyuan-lights.md", content / "projects")
    return content


def test_a_warning_is_printed_and_check_passes(warned: Path) -> None:
    code, out, err = run_cli("check", "--content", str(warned), "--now", NOW)
    assert code == 0, err
    assert WARNING in err and "[state.milestone-future]" in err
    assert err.rstrip().endswith("共 1 个警告，涉及 1 个文件。")
    assert out.startswith("内容检查通过")


def test_strict_check_fails_on_a_warning(warned: Path) -> None:
    code, out, err = run_cli("check", "--strict", "--content", str(warned), "--now", NOW)
    assert code == 1 and out == ""
    assert WARNING in err and "--strict" in err


def test_a_warning_never_fails_a_plain_build_but_fails_a_strict_one(
    warned: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    code, _, err = run_cli("build", "--content", str(warned), "--output", str(output), "--now", NOW)
    assert code == 0, err
    assert WARNING in err and (output / "index.html").exists()
    strict_output = tmp_path / "strict"
    code, _, err = run_cli(
        "build", "--strict", "--content", str(warned), "--output", str(strict_output),
        "--now", NOW,
    )  # fmt: skip
    assert code == 1 and WARNING in err and "网站未生成" in err
    assert not strict_output.exists()


def test_the_strict_setting_is_the_flag(warned: Path, tmp_path: Path) -> None:
    settings = tmp_path / "strictconf.py"
    settings.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nTHEME = {str(ROOT / 'themes' / 'gongshi')!r}\nGONGSHI_STRICT = True\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(
        "--settings", str(settings), "check", "--content", str(warned), "--now", NOW
    )
    assert code == 1 and WARNING in err


def test_a_future_milestone_is_fine_once_its_day_has_come(warned: Path) -> None:
    code, _, err = run_cli("check", "--content", str(warned), "--now", "2025-07-30 08:00")
    assert code == 0 and err == ""


@pytest.mark.parametrize(
    ("now", "expected"),
    [("2025-07-05 14:00", 1), ("2025-07-05 14:30", 0)],  # held before its start; at its start
)
def test_held_is_judged_against_now(tmp_path: Path, now: str, expected: int) -> None:
    content = tmp_path / "content"
    (content / "meetings").mkdir(parents=True)
    shutil.copy(STATES / "content" / "places.yaml", content)
    future = "2025-07-05-dongyuan-future.md"
    shutil.copy(STATES / "content" / "meetings" / future, content / "meetings")
    code, _, err = run_cli("check", "--content", str(content), "--now", now)
    assert code == expected, err
    assert ("[state.held-future]" in err) == bool(expected)


@pytest.mark.parametrize(
    "settings_and_content",
    [("pelicanconf.py", "content"), ("tests/sites/complete/pelicanconf.py", None)],
    ids=["bundled", "complete"],
)
def test_the_sample_sites_are_plausible_at_their_now(
    settings_and_content: tuple[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    settings, content = settings_and_content
    folder = content or str(COMPLETE / "content")
    now = BUNDLED_NOW if content else COMPLETE_NOW
    code, _, err = run_cli(
        "--settings", settings, "check", "--strict", "--content", folder, "--now", now
    )
    assert (code, err) == (0, "")
