"""A build deletes nothing but its own earlier output, and swaps the new site in atomically."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import COMPLETE, COMPLETE_NOW, ROOT, build_complete, run_cli, snapshot

from gongshi.errors import OutputError
from gongshi.outputs.search import indexing as search
from gongshi.publish import run as build_module
from gongshi.publish import swap
from gongshi.publish.guards import MARKER, MARKER_TEXT, check_output, protected

THEME = ROOT / "themes" / "gongshi"
FIX = "构建会整体替换输出目录，请用 --output 另选一个文件夹（如 output/）"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the complete site, with its own theme copy, as a Git clone; the cwd is its root."""
    root = tmp_path / "site"
    shutil.copytree(COMPLETE, root)
    shutil.copytree(THEME, root / "theme")
    conf = root / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'THEME = "../../../themes/gongshi"', 'THEME = "theme"'
        ),
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def build_site(site: Path, output: str) -> tuple[int, str]:
    code, _, err = run_cli(
        "--settings", str(site / "pelicanconf.py"), "build", "--output", output,
        "--now", COMPLETE_NOW,
    )  # fmt: skip
    return code, err


@pytest.mark.parametrize(
    ("output", "why"),
    [
        ("content", "它就是内容目录"),
        ("content/meetings", "它在内容目录 {site}/content 之内"),
        ("theme", "它就是主题目录"),
        ("theme/static", "它在主题目录 {site}/theme 之内"),
        (".", "它是一个 Git 仓库（有 .git）"),
        ("..", "它包含内容目录 {site}/content"),
        (".git", "它在 Git 仓库的 .git 文件夹里"),
        (".git/hooks", "它在 Git 仓库的 .git 文件夹里"),
        ("pelicanconf.py", "它已存在，但不是文件夹"),
    ],
)
def test_an_output_that_would_destroy_the_project_is_refused(
    site: Path, output: str, why: str
) -> None:
    parent = site.parent
    before = snapshot(parent)

    code, err = build_site(site, output)

    shown = (site / output).resolve()
    assert (code, err) == (
        2,
        f"错误：不能把 {shown} 用作输出目录：{why.format(site=site)}。{FIX}\n",
    )
    assert snapshot(parent) == before  # nothing written, nothing deleted, no staging folder


def test_the_settings_folder_and_a_git_root_above_the_content_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "conf").mkdir(parents=True)
    (repo / ".git").write_text("gitdir: /elsewhere/.git/worktrees/repo\n", encoding="utf-8")
    settings = repo / "conf" / "pelicanconf.py"
    settings.write_text(
        (COMPLETE / "pelicanconf.py").read_text(encoding="utf-8")
        + f"\nTHEME = {str(THEME)!r}\nPATH = {str(COMPLETE / 'content')!r}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # the repository is found from the settings file alone
    before = snapshot(tmp_path)
    for output, why in [
        (repo / "conf", "它就是设置文件所在的文件夹"),
        (repo, "它是一个 Git 仓库（有 .git）"),
        (tmp_path, f"它包含设置文件所在的文件夹 {repo / 'conf'}"),
    ]:
        code, _, err = run_cli("--settings", str(settings), "build", "--output", str(output))
        assert (code, err) == (2, f"错误：不能把 {output} 用作输出目录：{why}。{FIX}\n")
    assert snapshot(tmp_path) == before


def test_the_home_folder_is_refused(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = site.parent / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("key", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(site.parent)

    assert build_site(site, str(home)) == (
        2, f"错误：不能把 {home} 用作输出目录：它就是用户主目录。{FIX}\n"
    )  # fmt: skip
    assert snapshot(site.parent) == before


def test_the_root_is_refused() -> None:
    # checked without a build: on code without the guard a build would write into /
    folders = protected(COMPLETE / "content", THEME, COMPLETE / "pelicanconf.py")
    with pytest.raises(OutputError) as caught:
        check_output(Path("/"), folders)
    assert str(caught.value) == f"不能把 / 用作输出目录：它是文件系统的根目录。{FIX}"


def test_a_symlinked_output_is_judged_by_where_it_points(site: Path) -> None:
    (site.parent / "published").symlink_to(site / "content")
    before = snapshot(site)

    code, err = build_site(site, str(site.parent / "published"))

    assert (code, err) == (
        2,
        f"错误：不能把 {site / 'content'} 用作输出目录：它就是内容目录。{FIX}\n",
    )
    assert snapshot(site) == before


def test_a_folder_gongshi_did_not_build_is_not_replaced(site: Path) -> None:
    mine = site.parent / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    before = snapshot(site.parent)

    code, err = build_site(site, str(mine))

    assert code == 2
    assert err == (
        f"错误：输出目录 {mine} 已存在、不是空的，且不是 Gongshi 生成的（没有 {MARKER} 标记文件），"
        "为免误删不会替换它。请自行移走或删除它，或用 --output 另选一个文件夹\n"
    )
    assert snapshot(site.parent) == before


def test_an_empty_folder_and_a_marked_folder_are_replaced(site: Path) -> None:
    empty = site.parent / "empty"
    empty.mkdir()
    assert build_site(site, str(empty))[0] == 0
    assert (empty / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    (empty / "left-from-before.html").write_text("old", encoding="utf-8")

    code, err = build_site(site, str(empty))

    assert code == 0, err
    assert not (empty / "left-from-before.html").exists()
    assert (empty / "index.html").is_file()
    assert sorted(p.name for p in site.parent.iterdir()) == ["empty", "site"]


def test_every_build_marks_its_output_and_the_output_is_readable_by_a_server(
    tmp_path: Path,
) -> None:
    output = tmp_path / "output"
    build_complete(output)
    assert (output / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    # mkdtemp's 0700 would hide the whole site from a web server running as another user
    assert output.stat().st_mode & 0o055 == 0o055


def test_a_reader_always_finds_a_whole_site_while_builds_swap(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_complete(output)
    stop = threading.Event()
    seen: list[int] = []  # index.html's inode at each change the reader saw (one per swap)
    failures: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            try:
                page = (output / "index.html").read_bytes()
                marker = (output / MARKER).read_text(encoding="utf-8")
                inode = (output / "index.html").stat().st_ino
            except OSError as exc:
                failures.append(repr(exc))
                continue
            reads += 1
            if not seen or seen[-1] != inode:
                seen.append(inode)
            if not page.rstrip().endswith(b"</html>") or marker != MARKER_TEXT:
                failures.append(f"incomplete read: {page[-40:]!r} {marker!r}")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(3):
            build_complete(output)
    finally:
        stop.set()
        thread.join()

    assert failures == []
    assert reads > 100 and len(seen) >= 4  # the first site, then one per swap
    assert output.is_dir() and not output.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").touch()
    (tmp_path / "b").mkdir()

    assert swap.exchange(tmp_path / "a", tmp_path / "b")

    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert list((tmp_path / "a").iterdir()) == []
    with pytest.raises(FileNotFoundError):
        swap.exchange(tmp_path / "a", tmp_path / "missing")


def test_without_atomic_exchange_two_renames_and_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build_complete(output)
    (output / "old.html").touch()
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)

    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--output", str(output),
        "--now", COMPLETE_NOW,
    )  # fmt: skip

    assert code == 0
    assert err == f"警告：{swap.NOT_ATOMIC}\n"
    assert (output / "index.html").is_file() and not (output / "old.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_failing_to_remove_the_old_site_is_a_warning_cleaned_up_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build_complete(output)
    (output / "old.html").touch()
    real_rmtree = shutil.rmtree

    def refusing_rmtree(path: Path, ignore_errors: bool = False, **kwargs: Any) -> None:
        if Path(path).parent == tmp_path and not ignore_errors:  # the old site beside output/
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_rmtree(path, ignore_errors, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(build_module.shutil, "rmtree", refusing_rmtree)
        code, out, err = run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--output", str(output),
            "--now", COMPLETE_NOW,
        )  # fmt: skip

    assert code == 0 and out.startswith("已生成"), err
    (leftover,) = [p for p in tmp_path.iterdir() if p.name != "output"]
    assert err == (
        f"警告：新网站已就位，但删除旧输出 {leftover} 时[Errno 13] Permission denied: "
        f"'{leftover}'；下次构建会再删除它\n"
    )
    assert (leftover / "old.html").exists() and not (output / "old.html").exists()
    build_complete(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_an_output_that_cannot_be_created_is_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for output, expected in [
        (blocker / "output", f"错误：创建输出目录失败：{blocker}：已有同名的文件（不是文件夹）"),
        (Path("/proc/gongshi-test/output"), "错误：创建输出目录失败：/proc/gongshi-test："),
    ]:
        code, _, err = run_cli(
            "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--output", str(output)
        )
        assert code == 2
        assert err.startswith(expected) and err.count("\n") == 1, err


def test_a_write_error_during_the_build_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    build_complete(output)
    before = snapshot(tmp_path)

    def disk_full(build: object, output: Path, store: object = None, runs: object = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(output / "pagefind"))

    monkeypatch.setattr(search, "write", disk_full)
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build", "--output", str(output),
        "--now", COMPLETE_NOW,
    )  # fmt: skip

    assert code == 2
    assert err.startswith("错误：写入输出失败：") and err.endswith(
        "/pagefind：磁盘空间不足（No space left on device）\n"
    )
    assert snapshot(tmp_path) == before


def test_stale_staging_folders_of_dead_builds_only_are_removed(tmp_path: Path) -> None:
    output = tmp_path / "output"
    build_complete(output)
    dead = _dead_pid()

    def folder(name: str, marked: bool = True, empty: bool = False) -> Path:
        path = tmp_path / name
        path.mkdir()
        if marked:
            (path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        elif not empty:
            (path / "notes.txt").write_text("mine", encoding="utf-8")
        return path

    stale = [
        folder(f".output.building-{dead}-0123abcd"),
        folder(f".output.old-{dead}-0123abcd"),
        folder(f".output.building-{dead}-fedcba98", marked=False, empty=True),  # killed at once
    ]
    kept = [
        folder(f".output.building-{os.getppid()}-0123abcd"),  # a build still running
        folder(f".output.building-{dead}-89abcdef", marked=False),  # not Gongshi's
        folder(f".other.building-{dead}-0123abcd"),  # another output's
        folder(f".output.building-{dead}-0123abcd-mine"),  # not the pattern
    ]

    build_complete(output)

    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
