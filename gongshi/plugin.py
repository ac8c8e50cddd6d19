"""The Pelican plugin: the glue, and the only module that knows Pelican's phases.

Pelican runs a build in three phases (``Pelican.run``): every generator's ``generate_context``,
then every generator's ``generate_output``, then the ``finalized`` signal. Gongshi's one
generator adapts them: the context phase reads the content and makes the :class:`Build`; the
output phase calls each writer, ``write(build, output)``; ``finalized`` (after Pelican's own
static files are copied) runs search over the pages just written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader
from pelican import signals
from pelican.generators import Generator

from .outputs import calendars, changes, feeds, parallel, sitemap
from .outputs.opendata import board as board_data
from .outputs.opendata import writer as opendata
from .outputs.reuse import KeyedFiles
from .outputs.search import indexing as search
from .publish import cache
from .runkeys import (
    BUILD_KEY,
    CACHE_KEY,
    MADE_KEY,
    NEXT_CHANGE_KEY,
    SEARCH_KEY,
    SEARCH_LATER_KEY,
    WARNINGS_KEY,
)
from .settings import from_pelican, impose_on_pelican
from .site.build import Build, make_build
from .site.load import load_site


# Every writer but pages and search; each writes its own files and no other's, so it may run in
# any process: the parent takes them while the pages render on every core, and a worker that has
# done its pages takes what is left (``parallel.render``). Each writes each file from a key of what
# it says, so that with --cache a file whose key is the last build's is taken over from the output
# in place (outputs/reuse.KeyedFiles), and every file it writes is recorded. The longest first (the
# open data's, one writer per file): in a body edit the workers are done with their pages soon.
def writers() -> tuple[Callable[[Build, Path, KeyedFiles], None], ...]:
    return (
        *opendata.writers(),  # each item and row of the open data is kept with its record
        board_data.write,  # the public ledger board's board.json and CSV files
        calendars.write,
        feeds.write,
        sitemap.write,
    )


def theme_templates(settings: Mapping[str, Any]) -> list[str]:
    """The templates of the theme (and of ``THEME_TEMPLATES_OVERRIDES``), without those of
    Pelican's ``simple`` theme that Pelican's loader falls back to: a type named ``author``
    must get the generic page, not simple's ``author.html``."""
    folders = [
        *settings.get("THEME_TEMPLATES_OVERRIDES", ()),
        Path(settings["THEME"]) / "templates",
    ]
    return list(FileSystemLoader([str(Path(f).expanduser()) for f in folders]).list_templates())


class GongshiGenerator(Generator):  # type: ignore[misc]
    """Reads, validates and links the typed content folders (the only reader of them), then
    writes every output family from the one Build."""

    def generate_context(self) -> None:
        settings = from_pelican(self.settings)
        store = self.settings.get(CACHE_KEY)
        index = load_site(Path(self.path), settings, store if store and store.usable else None)
        build = make_build(settings, index, self.env, theme_templates(self.settings))
        self.context[BUILD_KEY] = build
        self.settings[BUILD_KEY] = build
        self.settings[WARNINGS_KEY] = index.warnings

    def generate_output(self, writer: Any) -> None:
        build: Build = self.context[BUILD_KEY]
        output = Path(self.output_path)
        store = self.settings.get(CACHE_KEY)
        kept = store.pages() if store is not None else None
        files = KeyedFiles(output, kept)
        if kept is not None:
            files.since(changes.changed_items(build.index, files))
        steps = [functools.partial(w, build, output, files) for w in writers()]
        records = parallel.render(build, output, steps, kept, files)
        if store is not None and kept is not None:
            store.pages_made(records)
            self.settings[MADE_KEY] = {page.save_as for page in build.pages} | {
                path for path in records if not path.startswith("#")
            }


def on_finalized(pelican: Any) -> None:
    """Search indexes the finished pages: the last step of a build."""
    build: Build | None = pelican.settings.pop(BUILD_KEY, None)
    if build is not None:
        output = Path(pelican.output_path)
        store = pelican.settings.get(CACHE_KEY)
        if SEARCH_KEY in pelican.settings:  # the caller indexes (gongshi serve, after the swap)
            pelican.settings[SEARCH_KEY](build, output)
        elif SEARCH_LATER_KEY in pelican.settings:  # the runner indexes, listing meanwhile
            pelican.settings[SEARCH_LATER_KEY] = functools.partial(index, build, output, store)
        else:
            index(build, output, store)
        pelican.settings[NEXT_CHANGE_KEY] = build.index.next_change()


def index(build: Build, output: Path, store: cache.Cache | None) -> None:
    """The search bundle of the pages written to ``output`` (kept with ``store``, if any)."""
    if store is None:
        search.write(build, output)
    else:
        cache.search(build, output, store)


def _configure(pelican: Any) -> None:
    impose_on_pelican(pelican.settings)
    from_pelican(pelican.settings)  # fail early on a bad GONGSHI_* setting


def _generators(pelican: Any) -> list[type]:
    return [GongshiGenerator]


def register() -> None:
    signals.initialized.connect(_configure)
    signals.get_generators.connect(_generators)
    signals.finalized.connect(on_finalized)  # after every file is written
