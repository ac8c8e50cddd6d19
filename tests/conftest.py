"""Layered fixtures: repository → site folders → built sites (session-scoped, built once)."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from gongshi import cli
from gongshi.content.models import ITEM_TYPES, Item
from gongshi.outputs.search import indexing, wordindex
from gongshi.publish.run import load_settings
from gongshi.settings import from_pelican
from gongshi.site.build import Build, make_build
from gongshi.site.load import load_site

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = ROOT / "tests" / "sites" / "complete"
COMPLETE_NOW = (COMPLETE / "NOW").read_text(encoding="utf-8").strip()
BUNDLED_NOW = "2026-11-22 12:00"
# A site with a content type of its own (投诉议题), shown by the theme's generic templates.
NEWTYPE = ROOT / "tests" / "sites" / "newtype"
NEWTYPE_NOW = (NEWTYPE / "NOW").read_text(encoding="utf-8").strip()
# A small portal with known answers for the public ledger board (公开台账).
BOARD = ROOT / "tests" / "sites" / "board"
BOARD_NOW = (BOARD / "NOW").read_text(encoding="utf-8").strip()


@contextlib.contextmanager
def ctrl_c_default() -> Iterator[None]:
    """Within, a child started gets SIGINT's default disposition, so Ctrl+C (``send_signal``)
    stops it as it stops the command in a terminal. Started without job control (a CI runner,
    a shell's ``&``), pytest may ignore SIGINT, and a child inherits an ignored signal — Python
    then installs no KeyboardInterrupt handler — but not a handler: one installed here becomes
    the default in the child."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run the ``gongshi`` command in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def build_complete(output: Path, *, now: str = COMPLETE_NOW, content: Path | None = None) -> int:
    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "build",
        "--content", str(content or COMPLETE / "content"), "--output", str(output), "--now", now,
    )  # fmt: skip
    assert code == 0 or content is not None, err
    return code


def complete_build(content: Path | None = None) -> Build:
    """The Build of the complete test site, made as the Pelican glue makes it (without a theme:
    enough for the page plan, the catalogue and the open data)."""
    overrides = {"GONGSHI_NOW": COMPLETE_NOW, "PATH": str(content or COMPLETE / "content")}
    settings = from_pelican(load_settings(COMPLETE / "pelicanconf.py", overrides))
    return make_build(settings, load_site(Path(overrides["PATH"]), settings), Environment())


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` by relative path, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def inodes(output: Path, pattern: str = "*.html") -> dict[str, int]:
    """Each file below ``output`` matching ``pattern``, by relative path, with its inode: a file
    taken over from the previous build keeps it, a file written again has a new one."""
    return {str(p.relative_to(output)): p.stat().st_ino for p in output.rglob(pattern)}


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry below ``root``: files with their bytes, folders and links by kind.

    Unlike :func:`tree` it sees empty folders and links, so a leftover staging folder or a
    replaced ``.git`` shows.
    """
    entries: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            entries[name] = f"link -> {path.readlink()}"
        elif path.is_dir():
            entries[name] = "folder"
        else:
            entries[name] = path.read_bytes()
    return entries


def calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """The first argument of each call of ``owner.name`` in this process from now on."""
    real = getattr(owner, name)
    seen: list[Any] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return seen


def words_merged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each word the search merge reads again (``wordindex._merged_words``) in this process
    from now on, appended to the list returned (with one job, every word it merges)."""
    read: list[str] = []
    real = wordindex._merged_words

    def reading(shards: Any, streams: Any, digested: Any) -> Any:
        for found in real(shards, streams, digested):
            read.append(found[0])
            yield found

    monkeypatch.setattr(wordindex, "_merged_words", reading)
    return read


def spliced_groups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each group of words the search merge splices (``wordsplice.py``) in this process."""
    found: list[str] = []
    real = wordindex._Splicer.words

    def splicing(self: Any, group: str, before: Any) -> Any:
        words = real(self, group, before)
        if words is not None:
            found.append(group)
        return words

    monkeypatch.setattr(wordindex._Splicer, "words", splicing)
    return found


@pytest.fixture(scope="session")
def complete_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The complete test site (another city), built once at its fixed "now"."""
    output = tmp_path_factory.mktemp("complete") / "output"
    build_complete(output)
    return output


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo portal, built once at a fixed "now"."""
    output = tmp_path_factory.mktemp("bundled") / "output"
    code, _, err = run_cli(
        "--settings", str(ROOT / "pelicanconf.py"), "build",
        "--content", str(ROOT / "content"), "--output", str(output), "--now", BUNDLED_NOW,
    )  # fmt: skip
    assert code == 0, err
    return output


@functools.cache
def newtype_model() -> type[Item]:
    """The model of the newtype site's own type, ``complaint.py``, imported by its path (it is
    no package's module); register it around a build with ``ITEM_TYPES.registered``."""
    spec = importlib.util.spec_from_file_location("newtype_complaint", NEWTYPE / "complaint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses reads a module's annotations through it
    spec.loader.exec_module(module)
    cls: type[Item] = module.Complaint
    return cls


@pytest.fixture(scope="session")
def newtype_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The newtype site built once, its type registered only while it builds."""
    output = tmp_path_factory.mktemp("newtype") / "output"
    with ITEM_TYPES.registered(newtype_model()):
        code, _, err = run_cli(
            "--settings", str(NEWTYPE / "pelicanconf.py"), "build",
            "--output", str(output), "--now", NEWTYPE_NOW,
        )  # fmt: skip
    assert code == 0, err
    return output


@pytest.fixture(scope="session")
def board_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The board test site, built once at its fixed "now"."""
    output = tmp_path_factory.mktemp("board") / "output"
    code, _, err = run_cli(
        "--settings", str(BOARD / "pelicanconf.py"), "build", "--output", str(output),
        "--now", BOARD_NOW,
    )  # fmt: skip
    assert code == 0, err
    return output


@pytest.fixture
def read_page() -> Callable[[Path, str], str]:
    def read(site: Path, url: str) -> str:
        path = site / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The pages of each Pagefind run (one per shard indexed)."""
    runs: list[list[str]] = []
    index = indexing.index

    def counted(copy: Path, bundle: Path, stopper: indexing.Runs | None = None) -> None:
        runs.append(sorted(str(p.relative_to(copy)) for p in copy.rglob("*.html")))
        index(copy, bundle, stopper)

    monkeypatch.setattr(indexing, "index", counted)
    return runs
