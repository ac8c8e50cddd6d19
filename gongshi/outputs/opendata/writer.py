"""The open data (台账): ``/data/<type>.json`` and ``places.json``, their JSON Schemas, and the
CSV files for Excel (one per type with a spreadsheet, and every project's milestones).

What each file holds is described once, in :mod:`gongshi.outputs.opendata.declarations`; this module turns those
descriptions into values. JSON is written with sorted keys and a trailing newline, CSV by
:class:`gongshi.outputs.opendata.spreadsheet.Writer` (UTF-8 with a byte-order mark, ``\\r\\n`` line ends, every
text cell guarded against formulas): the same content and "now" give byte-identical files.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...content.fields import Bool, Code, Kind, ListOf, Ref, Struct
from ...site import urls
from ...site.build import Build
from .. import splice
from ..reuse import KeyedFiles, Opaque, Text, key_of, text_of
from . import jsontext
from .declarations import (
    DataFile,
    Entry,
    Group,
    Table,
    data_files,
    file_group,
    link,
    struct_group,
    tables,
)
from .schemas import file_schema
from .spreadsheet import Cell, file_bytes, plain_number, row_text

LIST_SEPARATOR = "；"


def to_json(kind: Kind, value: Any, build: Build) -> Any:
    """A value as JSON data: references become links, times ISO 8601 in the site's zone."""
    if value is None:
        return None
    if isinstance(kind, Struct):
        kind = struct_group(kind)
    if isinstance(kind, Group):
        return {e.name: to_json(e.spec.kind, e.value(value, build), build) for e in kind.entries}
    if isinstance(kind, ListOf):
        return [to_json(kind.item, v, build) for v in value]
    if isinstance(kind, Ref):
        return link(build, kind.target, value)
    if isinstance(value, date):  # a date-time too: in the site's zone, with its offset
        local = value.astimezone(build.settings.timezone) if isinstance(value, datetime) else value
        return local.isoformat()
    return value


def to_cell(kind: Kind, value: Any, build: Build) -> Cell:  # noqa: PLR0911 (one return per kind)
    """A value as a spreadsheet cell: labels for codes, names for places, lists joined with ；.

    Numbers stay numbers and text stays as written: the writer guards every cell.
    """
    if value is None:
        return ""
    if isinstance(kind, ListOf):
        return LIST_SEPARATOR.join(_text(kind.item, v, build) for v in value)
    if isinstance(kind, Struct | Group):
        group = struct_group(kind) if isinstance(kind, Struct) else kind
        cells = (
            (e.spec.label, _text(e.spec.kind, e.value(value, build), build)) for e in group.entries
        )
        return "，".join(f"{label}：{cell}" for label, cell in cells if cell)
    if isinstance(kind, Code):
        return build.settings.codes.label(kind.list_name, value)
    if isinstance(kind, Ref):
        return build.index.places[value].name if kind.target == "place" else str(value)
    if isinstance(kind, Bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{value.astimezone(build.settings.timezone):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):  # yuan, a percentage, a count
        return value
    return str(value)


def _text(kind: Kind, value: Any, build: Build) -> str:
    """A value as part of a cell (an item of a list, a part of a group)."""
    cell = to_cell(kind, value, build)
    return cell if isinstance(cell, str) else plain_number(cell)


def dumps(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)`` and a newline."""
    return jsontext.dumps(data) + "\n"


ITEMS = "items"  # the entry of a data file that lists its subjects: each one's text made apart
ITEMS_DEPTH = 1  # the depth of that list in the file (a key of the top level)


class _Parts:
    """Each item of a data file and each row of a CSV file, made apart through ``files``
    (:meth:`~gongshi.outputs.reuse.KeyedFiles.text`): with the previous build's records, one
    whose subject is the same and whose reads of the index (and of "now") give the same again
    is the text that build made — a body edited at 10,000 items makes its item and row again,
    not all 23 MB of them."""

    def __init__(self, build: Build, files: KeyedFiles) -> None:
        self.build, self.files = build, files
        self.digests = files.digests()
        self.sources = build.sources()

    def text(self, family: str, subject: Any, make: Callable[[Build], str]) -> Text:
        """``make`` of the build, for ``subject`` of ``family`` (the file it stands in): its
        digest and its text (:meth:`~gongshi.outputs.reuse.KeyedFiles.text`)."""
        try:
            made_of = self.digests.of(subject)
        except Opaque:  # a value no record can hold: made as it is
            return text_of(make(self.build))
        return self.files.text(
            f"#{family}/{made_of.hex()}",
            made_of,
            self.sources,
            lambda sources: make(_reading(self.build, sources)),
            self.digests,
        )


def _reading(build: Build, sources: Mapping[str, Any]) -> Build:
    """``build`` reading its index, subscriptions and settings through ``sources`` (the
    recorders :meth:`~gongshi.outputs.reuse.KeyedFiles.text` notes the reads of)."""
    return dataclasses.replace(
        build,
        index=sources["index"],
        subscriptions=sources["subscriptions"],
        settings=sources["site"],
    )


# a file made of parts (:meth:`_Parts.text`): its key (of what it says), and its layout and parts
# when asked for — a file whose parts all hold, and so its key, is taken over without them; one
# made again takes the parts the file before has from its bytes (:mod:`..splice`)
Made = tuple[bytes, Callable[[], tuple[splice.Layout, Sequence[Text]]]]


def json_file(data_file: DataFile, build: Build, parts: _Parts) -> Made:
    """The data file: its envelope, as :func:`to_json` gives a group, and its items' texts."""
    envelope: dict[str, Any] = {}
    texts: list[Text] | None = None
    for entry in file_group(data_file, build.settings.codes).entries:
        value = entry.value(data_file, build)
        kind = entry.spec.kind
        if entry.name != ITEMS:
            envelope[entry.name] = to_json(kind, value, build)
            continue
        assert isinstance(kind, ListOf)
        texts = [
            parts.text(
                f"data/{data_file.name}",
                subject,
                functools.partial(_item_text, kind.item, subject),
            )
            for subject in value
        ]
        envelope[ITEMS] = None
    items = texts or []

    def made() -> tuple[splice.Layout, Sequence[Text]]:
        if not texts:  # no list of items, or an empty one
            envelope.update({ITEMS: jsontext.Raw("[]")} if texts is not None else {})
            return splice.Layout(dumps(envelope).encode("utf-8")), []
        # the list as jsontext.list_text gives it, its items apart: the envelope around a mark
        # no JSON text holds (the json module writes a NUL in a string as \u0000)
        envelope[ITEMS] = jsontext.Raw("\0")
        head, tail = dumps(envelope).encode("utf-8").split(b"\0")
        inner = ("\n" + " " * (ITEMS_DEPTH + 1)).encode()
        end = ("\n" + " " * ITEMS_DEPTH + "]").encode()
        return splice.Layout(head + b"[" + inner, b"," + inner, end + tail), texts

    return key_of(dumps(envelope), texts is not None, *(digest for digest, _ in items)), made


def _item_text(kind: Kind, subject: Any, build: Build) -> str:
    return jsontext.element_text(to_json(kind, subject, build), ITEMS_DEPTH)


def csv_file(table: Table, build: Build, parts: _Parts) -> Made:
    entries = tuple(column.entry for column in table.columns(build.settings.codes))
    header = row_text(entry.spec.label for entry in entries)
    rows = [
        parts.text(f"csv/{table.name}", subject, functools.partial(_row_text, entries, subject))
        for subject in table.rows(build.index)
    ]

    def made() -> tuple[splice.Layout, Sequence[Text]]:
        return splice.Layout(file_bytes(header)), rows

    return key_of(header, *(digest for digest, _ in rows)), made


def _row_text(entries: Sequence[Entry], subject: Any, build: Build) -> str:
    return row_text(to_cell(e.spec.kind, e.value(subject, build), build) for e in entries)


Writer = Callable[[Build, Path, KeyedFiles], None]


def writers() -> tuple[Writer, ...]:
    """One writer per file of the open data (a data file with its schema, a CSV file), each of
    which may run in any process: a body edit at 10,000 items makes the 12 MB of meetings.json
    and its CSV again, while the other files are taken over on the other core."""
    return (
        *(functools.partial(write_data_file, data_file) for data_file in data_files()),
        *(functools.partial(write_table, table) for table in tables()),
    )


def write_data_file(data_file: DataFile, build: Build, output: Path, files: KeyedFiles) -> None:
    """A data file of :func:`gongshi.outputs.opendata.declarations.data_files`, and its schema."""
    parts = _Parts(build, files)
    schema = dumps(file_schema(data_file, build.settings.codes, build.site_url)).encode("utf-8")
    files.write(urls.save_as(data_file.schema), key_of(schema), functools.partial(bytes, schema))
    key, made = json_file(data_file, build, parts)
    files.write_parts(urls.save_as(data_file.json), key, made)


def write_table(table: Table, build: Build, output: Path, files: KeyedFiles) -> None:
    """A CSV file of :func:`gongshi.outputs.opendata.declarations.tables`."""
    key, made = csv_file(table, build, _Parts(build, files))
    files.write_parts(urls.save_as(table.path), key, made)


def write(build: Build, output: Path, files: KeyedFiles | None = None) -> None:
    """Every file of the open data (:func:`writers`); through ``files``, each item and row made
    again only when what it says may have changed, and each file taken over when it says what
    the previous build's said."""
    files = files if files is not None else KeyedFiles(output, None)
    for write_file in writers():
        write_file(build, output, files)
