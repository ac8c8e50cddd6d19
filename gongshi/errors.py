"""Problems found in content, and the small exception hierarchy the CLI maps to exit codes.

Every problem an editor can cause is a :class:`Problem`; a build collects all of them and then
stops once with :class:`ContentError`.  Nothing invalid is logged and skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Line breaks and control characters, which must never reach a one-line problem report.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place: rendered as ``path:line: error: field: message [category]``.

    A ``warning`` is something a real office may do on purpose but that is usually a slip: it is
    printed, and fails only a ``--strict`` check or build (``GONGSHI_STRICT``)."""

    path: str
    line: int
    field: str
    message: str
    category: str
    severity: str = "error"  # or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        """One line, always: a value quoted in a message cannot break the ``path:line`` format
        (or act on the terminal) with a line break or a control character of its own."""
        text = (
            f"{self.path}:{self.line}: {self.severity}: {self.field}: {self.message} "
            f"[{self.category}]"
        )
        return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working directory when inside it.

    An absolute path without ``.`` or ``..`` parts that lies below the working directory is
    cut at it, and one outside it is shown whole (what ``os.path.relpath`` gives, without its
    two ``abspath``; 30,000 calls at 10,000 items: a second)."""
    text = os.fspath(path)
    if text.startswith("/") and "//" not in text:
        here = os.getcwd()
        parts = text.split("/")
        if "." not in parts and ".." not in parts and not text.endswith("/") and text != here:
            if not text.startswith(here + "/" if here != "/" else "/"):
                return text  # outside it: relpath climbs out with ".."
            cut = text[len(here) + 1 :] if here != "/" else text[1:]
            return text if cut.startswith("..") else cut
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


class GongshiError(Exception):
    """Base of every error Gongshi raises on purpose; ``exit_code`` is what the CLI returns."""

    exit_code = 1


class ContentError(GongshiError):
    """The content has problems; all of them, sorted by file and line."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in content")


def summary(problems: Iterable[Problem]) -> str:
    """``共 3 个问题，涉及 2 个文件。`` — warnings counted apart (``共 1 个问题、2 个警告 …``)."""
    found = list(problems)
    errors = sum(1 for p in found if p.is_error)
    warnings = len(found) - errors
    counts = [f"{errors} 个问题"] if errors or not warnings else []
    counts += [f"{warnings} 个警告"] if warnings else []
    return f"共 {'、'.join(counts)}，涉及 {len({p.path for p in found})} 个文件。"


class ConfigError(GongshiError):
    """A setting is missing, unknown or has a wrong value."""

    exit_code = 2


class OutputError(GongshiError):
    """The output folder cannot be used: a guard refused it, or the file system refused a write.

    A usage error (exit code 2) like a bad setting: the fix is to choose another ``--output`` or
    to make the location writable, never to change the content.
    """

    exit_code = 2


class BuildError(GongshiError):
    """The build itself failed (a theme error, a warning from Pelican): not the editor's content."""

    exit_code = 3


class Terminated(BaseException):
    """SIGTERM arrived (a CI cancel, ``timeout``, ``systemctl stop``).

    A ``BaseException`` like :class:`KeyboardInterrupt`, so that no ``except Exception`` on the
    way up turns a stop request into a build error; every ``finally`` and cleanup still runs.
    """
