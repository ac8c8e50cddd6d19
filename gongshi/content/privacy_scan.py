"""Every place a resident reads text from, scanned for personal data.

What counts as personal data is :mod:`gongshi.content.privacy`'s; this module knows where text comes from
and where to report it: each text value of the front matter (amounts and counts excepted), the
Markdown body line by line and as rendered, the file name (it becomes a URL), ``places.yaml``
(ids become URLs, names are shown) and the attachments under ``content/files/`` (published as
they are: their names, and the text of text files).

YAML trees are walked without recursion and each node once, so an alias or deep nesting costs
nothing here; refusing them is the reader's job.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..errors import Problem, display_path
from .fields import Int, Kind, ListOf, Money, ParseContext, Struct, field_spec, front_matter_fields
from .frontmatter import Document, Entry
from .privacy import Finding, redact, scan, scan_lines
from .reading import html_text, may_hold_number

BODY_FIELD = "正文"
FILE_NAME_FIELD = "文件名"
ATTACHMENT_FIELD = "附件"
PLACE_ID_FIELD = "地点 id"
# A plain number in a numeric field is an amount or a count, not a phone number.
PLAIN_NUMBER = re.compile(r"[-+]?[0-9_]+(?:\.[0-9]+)?")
TEXT_ATTACHMENTS = frozenset({".txt", ".md", ".csv", ".tsv", ".json", ".yaml", ".yml"})
MARKUP_ATTACHMENTS = frozenset({".html", ".htm", ".xml", ".svg"})  # whitespace collapses


def _report(ctx: ParseContext, field: str, found: Iterator[tuple[int, Finding]]) -> None:
    for line, finding in found:
        ctx.error(line, field, finding.message, finding.category)


def _scalar(node: yaml.ScalarNode, field: str, ctx: ParseContext) -> None:
    """A text value: on its line; a literal block (``|``) line by line."""
    value = str(node.value)
    line = ctx.line(node)
    if node.style == "|":
        lines = [(line + 1 + i, text) for i, text in enumerate(value.split("\n"))]
        _report(ctx, field, scan_lines(lines, [value], fallback=line))
    else:
        _report(ctx, field, scan_lines([(line, value)], fallback=line))


def _text_nodes(node: yaml.Node, kind: Kind | None) -> Iterator[yaml.ScalarNode]:
    """Every scalar below ``node`` that is text to a reader, guided by the declared ``kind``."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Kind | None]] = [(node, kind)]
    while stack:
        node, kind = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(kind, ListOf) and not isinstance(node, yaml.SequenceNode):
            kind = kind.item  # a single value standing for a list of one
        if isinstance(node, yaml.ScalarNode):
            number = PLAIN_NUMBER.fullmatch(str(node.value).strip())
            if not (isinstance(kind, Money | Int) and number):
                yield node
        elif isinstance(node, yaml.SequenceNode):
            item = kind.item if isinstance(kind, ListOf) else None
            stack.extend((child, item) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            fields = (
                {f.name: field_spec(f).kind for f in front_matter_fields(kind.cls)}
                if isinstance(kind, Struct)
                else {}
            )
            stack.extend((value, fields.get(str(key.value))) for key, value in reversed(node.value))


def scan_front_matter(cls: type, entries: tuple[Entry, ...], ctx: ParseContext) -> None:
    """Each text value of the front matter, reported under its top-level field."""
    kinds = {f.name: field_spec(f).kind for f in front_matter_fields(cls)}
    for entry in entries:
        for node in _text_nodes(entry.node, kinds.get(entry.key)):
            _scalar(node, entry.key, ctx)


def scan_body(doc: Document, html: str, ctx: ParseContext) -> None:
    """The body line by line, then as rendered (text and attribute values) for split numbers."""
    lines = list(enumerate(doc.body.split("\n"), start=doc.body_line))
    text, attributes = html_text(html) if may_hold_number(html) else ("", [])
    _report(ctx, BODY_FIELD, scan_lines(lines, [text, *attributes], fallback=doc.body_line))


def scan_file_name(doc: Document, ctx: ParseContext) -> None:
    """The file name is the item's id and the last part of its public URL."""
    for finding in scan(doc.path.stem):
        ctx.error(1, FILE_NAME_FIELD, finding.in_url(FILE_NAME_FIELD), finding.category)


def scan_places(node: yaml.Node, ctx: ParseContext) -> None:
    """Every id (a URL) and every value (a name shown on pages) of ``places.yaml``."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(node, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            field = ".".join(redact(part) for part in path[-2:]) or "places.yaml"
            _scalar(node, field, ctx)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, path) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                for finding in scan(str(key.value)):
                    message = finding.in_url(PLACE_ID_FIELD)
                    ctx.error(ctx.line(key), PLACE_ID_FIELD, message, finding.category)
                stack.append((value, (*path, str(key.value))))


def _decode(data: bytes) -> str:
    """An attachment's text: UTF-16 with its BOM, UTF-8, else GB18030 (offices' GBK files)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _attachment_text(path: Path, display: str) -> Iterator[Problem]:
    suffix = path.suffix.lower()
    if suffix not in TEXT_ATTACHMENTS | MARKUP_ATTACHMENTS:
        return
    text = _decode(path.read_bytes())
    lines = list(enumerate(re.split(r"\r\n|\r|\n", text), start=1))
    wholes: list[str] = []
    if suffix in MARKUP_ATTACHMENTS:
        shown, attributes = html_text(text)
        wholes = [shown, *attributes]
    for line, finding in scan_lines(lines, wholes, fallback=1):
        yield Problem(display, line, ATTACHMENT_FIELD, finding.message, finding.category)


def scan_attachments(folder: Path) -> list[Problem]:
    """Names of every file and folder under ``content/files/``, and the text of text files.

    Symbolic links are not followed, nor their targets read: nothing outside the content folder
    is read (refusing the links themselves is the file walker's job).
    """
    problems: list[Problem] = []
    if folder.is_symlink() or not folder.is_dir():
        return problems
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted([*folders, *files]):
            path = Path(root) / name
            display = display_path(path)
            for finding in scan(name):
                message = finding.in_url(FILE_NAME_FIELD)
                problems.append(Problem(display, 1, FILE_NAME_FIELD, message, finding.category))
            if path.is_file() and not path.is_symlink():
                problems.extend(_attachment_text(path, display))
    return problems
