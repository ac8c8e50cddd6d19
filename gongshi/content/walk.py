"""Walking the content folder: what is content, what is litter, what is refused.

Nothing outside the content folder is ever read or published, so a symbolic link is never
followed: each one is reported, wherever it is (a typed folder, ``files/``, ``places.yaml``, a
dangling link).  Hidden files are never published (Pelican is told to skip them too, see
:data:`NEVER_PUBLISHED`), so a hidden file that looks meant for publication — an ``.md`` file in a
typed folder, anything in ``files/`` — is reported rather than dropped in silence; only the litter
that operating systems and editors leave behind is ignored.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem, display_path
from .characters import quoted

# What Pelican must never copy from ``files/`` (nor from the theme): its IGNORE_FILES patterns,
# matched against each file's and folder's own name.
NEVER_PUBLISHED = [".*", "*~"]
# Left behind by operating systems and editors; never read, never published, never reported.
LITTER = [
    ".DS_Store",  # macOS Finder
    "._*",  # macOS resource forks on shared or FAT drives
    ".localized",
    ".directory",  # KDE
    ".gitkeep",  # what keeps an empty folder in Git
    ".keep",
    ".gitignore",
    ".gitattributes",
    ".*.sw?",  # Vim swap files
    ".#*",  # Emacs lock files
    ".~lock.*#",  # LibreOffice / WPS lock files
    "*~",  # backups of Emacs, gedit, Kate …
]


_LITTER = re.compile("|".join(fnmatch.translate(pattern) for pattern in LITTER))


def is_litter(name: str) -> bool:
    return _LITTER.match(name) is not None


def hidden_part(path: Path, root: Path) -> tuple[str, ...]:
    """The names below ``root`` on ``path`` down to the first that starts with a dot, or ()."""
    parts = path.relative_to(root).parts
    first = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
    return () if first is None else parts[: first + 1]


def walk(folder: Path) -> Iterator[Path | Problem]:
    """Every entry below ``folder`` that is not a folder, in a stable order, or a problem for a
    folder that cannot be read. A link is listed, never followed, even to a folder."""
    for found in _entries(folder):
        yield found if isinstance(found, Problem) else Path(found[0])


LINK, FILE, OTHER = "link", "file", "other"  # what an entry is, as the folder's listing says


def _entries(folder: Path) -> Iterator[tuple[str, str] | Problem]:
    """:func:`walk`'s entries as (path, kind) — the kind from the folder's own listing
    (``scandir``, which says whether an entry is a link or a plain file without a ``stat`` of
    each) —, the problems first. In :class:`~pathlib.Path`'s order (by names, folder by
    folder), sorted by the names themselves: comparing 10,000 paths took a tenth of a second."""
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.is_symlink():
                        found.append((entry.path, LINK))
                    else:
                        found.append((entry.path, FILE if entry.is_file() else OTHER))
        except OSError as exc:
            message = f"无法读取文件夹：{exc.strerror or exc}（请检查权限）"
            problems.append(
                Problem(display_path(Path(current)), 1, "文件", message, "file.unreadable")
            )
    yield from problems
    below = len(os.fspath(folder))
    yield from sorted(found, key=lambda entry: entry[0][below:].split(os.sep))


def symlink_problem(path: Path) -> Problem:
    message = (
        f"{quoted(path.name)} 是符号链接（快捷方式）：内容目录中不能有符号链接，"
        "网站不会读取或发布它指向的文件。请把真正的文件或文件夹放在这里，或删除这个链接"
    )
    return Problem(display_path(path), 1, "文件", message, "file.symlink")


def special_problem(path: Path) -> Problem:
    message = f"{quoted(path.name)} 不是普通文件（可能是管道、设备或套接字），请删除"
    return Problem(display_path(path), 1, "文件", message, "file.type")


def hidden_problem(path: Path, root: Path) -> Problem:
    """A hidden file, or a file in a hidden folder, that would silently not be published."""
    hidden = hidden_part(path, root)[-1]
    if hidden == path.name:
        where = f"{quoted(hidden)} 是隐藏文件（名称以 . 开头）"
        fix = f"要发布，请去掉开头的 .（改名为 {quoted(hidden.lstrip('.'))}）"
    else:
        where = f"{quoted(path.name)} 在隐藏文件夹 {quoted(hidden)} 中（名称以 . 开头）"
        fix = "要发布，请把它移出该文件夹，或给文件夹改名、去掉开头的 ."
    message = f"{where}，网站不会发布它。{fix}；不需要的话请删除"
    return Problem(display_path(path), 1, "文件", message, "file.hidden")


def content_files(folder: Path) -> Iterator[Path | Problem]:
    """The files of a typed folder to read, and a problem for each entry refused: a link, a
    hidden Markdown file (or one in a hidden folder), anything that is not a plain file."""
    below = len(str(folder))
    for found in _entries(folder):
        if isinstance(found, Problem):
            yield found
            continue
        text, kind = found
        name = os.path.basename(text)
        if is_litter(name):
            continue
        path = Path(text)
        if kind == LINK:
            yield symlink_problem(path)
        elif "/." in text[below:].replace(os.sep, "/") and hidden_part(path, folder):
            if name.lower().endswith(".md"):  # ".md" itself has no suffix
                yield hidden_problem(path, folder)
        elif kind == OTHER:
            yield special_problem(path)
        else:
            yield path


def static_problems(folder: Path) -> Iterator[Problem]:
    """What is wrong in ``files/``, which is published as it is: a link, a hidden file (a hidden
    folder once, at its first file), anything that is not a plain file."""
    hidden_folders: set[tuple[str, ...]] = set()
    for found in walk(folder):
        if isinstance(found, Problem):
            yield found
        elif is_litter(found.name):
            continue
        elif found.is_symlink():
            yield symlink_problem(found)
        elif hidden := hidden_part(found, folder):
            if hidden not in hidden_folders:  # a hidden file is its own prefix
                hidden_folders.add(hidden)
                yield hidden_problem(found, folder)
        elif not found.is_file():
            yield special_problem(found)
