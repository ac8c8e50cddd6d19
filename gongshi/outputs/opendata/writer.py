"""The open data (台账): ``/data/<type>.json`` and ``places.json``, their JSON Schemas, and the
CSV files for Excel (one per type with a spreadsheet, and every project's milestones).

What each file holds is described once, in :mod:`gongshi.outputs.opendata.declarations`; this module turns those
descriptions into values. JSON is written with sorted keys and a trailing newline, CSV by
:class:`gongshi.outputs.opendata.spreadsheet.Writer` (UTF-8 with a byte-order mark, ``\\r\\n`` line ends, every
text cell guarded against formulas): the same content and "now" give byte-identical files.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...content.fields import Bool, Code, Kind, ListOf, Ref, Struct
from ...site import urls
from ...site.build import Build
from .declarations import (
    DataFile,
    Group,
    Table,
    data_files,
    file_group,
    link,
    struct_group,
    tables,
)
from .schemas import file_schema
from .spreadsheet import Cell, Writer, plain_number

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
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def json_text(data_file: DataFile, build: Build) -> str:
    group = file_group(data_file, build.settings.codes)
    return dumps(to_json(group, data_file, build))


def csv_bytes(table: Table, build: Build) -> bytes:
    entries = [column.entry for column in table.columns(build.settings.codes)]
    writer = Writer()
    writer.row(entry.spec.label for entry in entries)
    for subject in table.rows(build.index):
        writer.row(to_cell(e.spec.kind, e.value(subject, build), build) for e in entries)
    return writer.bytes()


def _write(output: Path, path: str, data: bytes) -> None:
    target = output / urls.save_as(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write(build: Build, output: Path) -> None:
    """Every data file of :func:`gongshi.outputs.opendata.declarations.data_files` and its
    schema, and every CSV file of :func:`gongshi.outputs.opendata.declarations.tables`."""
    codes = build.settings.codes
    for data_file in data_files():
        schema = file_schema(data_file, codes, build.site_url)
        _write(output, data_file.schema, dumps(schema).encode("utf-8"))
        _write(output, data_file.json, json_text(data_file, build).encode("utf-8"))
    for table in tables():
        _write(output, table.path, csv_bytes(table, build))
