"""Problems in the shapes other tools read: ``gongshi check --format text|json|github|gitlab``.

- ``text`` (the default): ``path:line: error: field: message [category]``, one line each, then
  how many (:class:`gongshi.errors.Problem`).
- ``json``: one JSON object per line (JSON Lines), one per problem, always with the keys of
  :func:`as_record` (documented in docs/editor-guide.md); a value unknown is ``null``.
- ``github``: GitHub Actions workflow commands, ``::error file=…,line=…,title=…::message``, so
  a pull request marks the line.
- ``gitlab``: a GitLab Code Quality report (one JSON array), for ``artifacts: reports:
  codequality``; each fingerprint depends on the file, field, category and message, not the line,
  so a problem keeps its fingerprint when lines are added above it.

And the one line a command's own warning (not a content problem) takes on the terminal: :func:`warn`.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from .errors import Problem, summary

FORMATS = ("text", "json", "github", "gitlab")
# How messages name what to write instead: did-you-mean (suggest.py), a date's ISO form
# (content/datehints.py), a corrected line (content/slips.py).
_SUGGESTIONS = (
    re.compile(r"（是否应为 '(?P<value>[^']*)'？）"),
    re.compile(r"[请应]写成 (?P<value>[^（]+?)(?:（|$)"),
    re.compile(r"请改为 (?P<value>.+?)(?:（如果[^）]*）)?$"),
)


def suggestion(problem: Problem) -> str | None:
    """What the message suggests writing instead (``（是否应为 'x'？）``, ``请写成 x``,
    ``请改为 x``), if it says."""
    for pattern in _SUGGESTIONS:
        if match := pattern.search(problem.message):
            return match["value"]
    return None


def as_record(problem: Problem) -> dict[str, Any]:
    """A problem's stable keys: path, line, column (not known: null), severity (error or
    warning), field, message (as in the text format), category, suggestion (or null)."""
    return {
        "path": problem.path,
        "line": problem.line,
        "column": None,
        "severity": problem.severity,
        "field": problem.field,
        "message": problem.message,
        "category": problem.category,
        "suggestion": suggestion(problem),
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problem: Problem) -> str:
    """One GitHub Actions annotation: ``::error file=…,line=…,title=field [category]::message``."""
    title = f"{problem.field} [{problem.category}]"
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (("file", problem.path), ("line", str(problem.line)), ("title", title))
    )
    return f"::{problem.severity} {properties}::{_escape_data(problem.message)}"


def gitlab(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """A GitLab Code Quality report; a fingerprint is stable as long as the problem is the same
    (the n-th of identical problems in one file gets its own)."""
    seen: Counter[tuple[str, ...]] = Counter()
    report = []
    for problem in problems:
        key = (problem.path, problem.field, problem.category, problem.message)
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        report.append(
            {
                "description": f"{problem.field}: {problem.message}",
                "check_name": problem.category,
                "fingerprint": digest,
                "severity": "major" if problem.is_error else "minor",
                "location": {"path": problem.path, "lines": {"begin": problem.line}},
            }
        )
    return report


def render(problems: Sequence[Problem], form: str) -> tuple[str, str]:
    """What to print for ``problems`` in ``form``: (stdout text, stderr text), each ending in a
    line break when not empty. The text form goes to stderr, as it always has; the others to
    stdout, so they can be redirected into a file, with nothing else there."""
    if form == "text":
        lines = [str(p) for p in problems] + ([summary(problems)] if problems else [])
        return "", "".join(line + "\n" for line in lines)
    if form == "json":
        out = "".join(json.dumps(as_record(p), ensure_ascii=False) + "\n" for p in problems)
    elif form == "github":
        out = "".join(github(p) + "\n" for p in problems)
    else:
        out = json.dumps(gitlab(problems), ensure_ascii=False, indent=2) + "\n"
    return out, (summary(problems) + "\n" if problems else "")


def warn(message: str) -> None:
    """A warning of the command's own (the cache, the output, the search), as ``build`` and
    ``serve`` print it: ``警告：…`` on standard error."""
    print(f"警告：{message}", file=sys.stderr, flush=True)
