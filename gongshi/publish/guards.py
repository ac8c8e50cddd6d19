"""The output folder: which folders a build may replace, its marker, and its staging folders.

A build replaces its output folder as a whole, so a wrong ``--output`` would delete whatever is
there: the content, the theme, a repository with its ``.git``. :func:`check_output` refuses every
such folder before anything is written, and an existing folder is replaced only when it carries
:data:`MARKER`, the file every build writes at the root of its output.

Staging folders are siblings of the output (same file system, so the swap is a rename) named
``.<output>.building-<pid>-<random>``; the old tree of a two-rename swap is ``.<output>.old-…``.
:func:`remove_stale` deletes those left by a killed build, and nothing else.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError

MARKER = ".gongshi-build"
MARKER_TEXT = (
    "此文件夹是 Gongshi 生成的网站，gongshi build 会整体替换它，请勿在此存放其他文件。"
    " / This folder is Gongshi's build output; `gongshi build` may replace it as a whole.\n"
)
_SIGNATURE = MARKER_TEXT.split(" / ", 1)[0].encode("utf-8")  # stays if the English part changes

_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "系统不允许此操作",
    errno.EROFS: "所在的文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.ENOENT: "路径不存在或无法在此创建",
    errno.ENAMETOOLONG: "路径太长",
    errno.EBUSY: "正被占用",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EXDEV: "不在同一个文件系统上",
    errno.EEXIST: "已有同名的文件（不是文件夹）",
}


def os_problem(exc: OSError, doing: str) -> OutputError:
    """An OSError as one Chinese line naming the path, what was being done and why it failed."""
    path = exc.filename if exc.filename is not None else "?"
    reason = _REASONS.get(exc.errno or 0, "")
    detail = f"{reason}（{exc.strerror}）" if reason else str(exc.strerror or exc)
    return OutputError(f"{doing}失败：{path}：{detail}")


@dataclass(frozen=True)
class Protected:
    """A folder the output must keep clear of; ``inside`` says whether it may lie within it."""

    path: Path
    what: str  # "内容目录", "主题目录" …
    inside_allowed: bool


def _is_relative(path: Path, other: Path) -> bool:
    return path == other or path.is_relative_to(other)


def _git_roots(starts: Iterable[Path]) -> Iterator[Path]:
    """Every folder holding ``.git`` (a directory, or a file in a worktree) above ``starts``."""
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                yield folder


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError):  # no HOME and no passwd entry
        return None


def protected(content: Path, theme: Path, settings_file: Path) -> list[Protected]:
    """The folders a build must never delete or replace, resolved (symbolic links followed)."""
    content, theme = content.resolve(), theme.resolve()
    settings_dir = settings_file.resolve().parent
    folders = [
        Protected(content, "内容目录", False),
        Protected(theme, "主题目录", False),
        Protected(settings_dir, "设置文件所在的文件夹", True),
    ]
    roots = dict.fromkeys(_git_roots((content, settings_dir, Path.cwd().resolve())))
    folders += [Protected(root, "Git 仓库的根目录", True) for root in roots]
    home = _home()
    if home is not None:
        folders.append(Protected(home, "用户主目录", True))
    return folders


def _refuse(output: Path, why: str) -> OutputError:
    return OutputError(
        f"不能把 {output} 用作输出目录：{why}。构建会整体替换输出目录，"
        "请用 --output 另选一个文件夹（如 output/）"
    )


def _guard_place(output: Path, folders: list[Protected]) -> None:
    if output == Path(output.anchor):
        raise _refuse(output, "它是文件系统的根目录")
    if ".git" in output.parts:
        raise _refuse(output, "它在 Git 仓库的 .git 文件夹里")
    if (output / ".git").exists():
        raise _refuse(output, "它是一个 Git 仓库（有 .git）")
    for folder in folders:
        if output == folder.path:
            raise _refuse(output, f"它就是{folder.what}")
        if folder.path.is_relative_to(output):
            raise _refuse(output, f"它包含{folder.what} {folder.path}")
        if not folder.inside_allowed and output.is_relative_to(folder.path):
            raise _refuse(output, f"它在{folder.what} {folder.path} 之内")


def is_marked(folder: Path) -> bool:
    """Whether ``folder`` carries Gongshi's build marker (a regular file, not a link)."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        with marker.open("rb") as handle:
            return handle.read(len(_SIGNATURE)) == _SIGNATURE
    except OSError:
        return False


def check_output(output: Path, folders: list[Protected]) -> None:
    """Refuse (:class:`OutputError`) an output a build must not replace; ``output`` is resolved."""
    _guard_place(output, folders)
    if not output.exists():
        return
    if not output.is_dir():
        raise _refuse(output, "它已存在，但不是文件夹")
    try:
        empty = next(output.iterdir(), None) is None
    except OSError as exc:
        raise os_problem(exc, "读取输出目录") from exc
    if not empty and not is_marked(output):
        raise OutputError(
            f"输出目录 {output} 已存在、不是空的，且不是 Gongshi 生成的（没有 {MARKER} 标记文件），"
            "为免误删不会替换它。请自行移走或删除它，或用 --output 另选一个文件夹"
        )


def _stale_name(output: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(output.name)}\.(?:building|old)-(\d+)-[0-9a-f]{{8}}")


def sibling(output: Path, kind: str) -> Path:
    """A new, unused name beside ``output``: ``.<name>.<kind>-<pid>-<random>``."""
    return output.with_name(f".{output.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def make_staging(staging: Path) -> None:
    """Create the staging folder (a :func:`sibling` of the output), marked from the start."""
    try:
        staging.mkdir()  # the umask's permissions (mkdtemp's 0700 would hide the site from a server)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        raise os_problem(exc, "创建临时构建目录") from exc


def _marked_or_empty(folder: Path) -> bool:
    # empty: a build killed between creating its staging folder and marking it
    try:
        return is_marked(folder) or next(folder.iterdir(), None) is None
    except OSError:
        return False


def runs(pid: int) -> bool:
    """Whether process ``pid`` runs (someone else's too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _alive(pid: int) -> bool:
    """Whether another process ``pid`` runs (this one's own folders are of finished builds)."""
    # a build removes its staging folder when it ends, so one of this process is left over
    return pid != os.getpid() and runs(pid)


def stale_folders(output: Path) -> list[Path]:
    """Staging and old trees of ``output`` left by builds that no longer run: marked, or empty."""
    pattern = _stale_name(output)
    try:
        siblings = sorted(output.parent.iterdir())
    except OSError:
        return []
    return [
        path
        for path in siblings
        if (match := pattern.fullmatch(path.name))
        and not path.is_symlink()
        and path.is_dir()
        and _marked_or_empty(path)
        and not _alive(int(match[1]))
    ]
