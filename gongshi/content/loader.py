"""Phase one: read every file of a content folder into typed items, collecting every problem.

Nothing is skipped silently: an unexpected file or folder, a file that is not UTF-8, a bad file
name, a YAML error — each is a problem naming the file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import yaml

from .. import workers
from ..errors import Problem, display_path
from ..suggest import did_you_mean
from .characters import CONTROL, body_problems, control_message, quoted
from .codes import Codes
from .fields import ID_RE, ListOf, ParseContext, Ref, field_spec, front_matter_fields, parse_entries
from .frontmatter import Document, read_document
from .links import BodyLink, body_links
from .markup import MarkdownRenderer
from .models import BY_FOLDER, Item
from .places import Places, load_places
from .privacy_scan import scan_attachments, scan_body, scan_file_name, scan_front_matter
from .url_safety import shown
from .walk import content_files, is_litter, static_problems, symlink_problem

PLACES_FILE = "places.yaml"
FILES_FOLDER = "files"  # attachments and images, copied as they are


@dataclass(frozen=True)
class Reference:
    """One id written in a reference field, checked once every file is read."""

    file: str
    field: str
    line: int
    target: str  # an item type, or "place"
    ref: str
    from_draft: bool


@dataclass(frozen=True)
class FileRead:
    """What one Markdown file gives, whatever the other files hold."""

    item: Item | None  # None when the file has an error
    problems: tuple[Problem, ...]
    references: tuple[Reference, ...]
    links: tuple[BodyLink, ...]


class Memo(Protocol):
    """What earlier builds read (``publish/cache.py``): a file's :class:`FileRead` by a key of
    everything it is a function of."""

    env: str  # the code and the settings

    def get(self, key: str) -> FileRead | None: ...

    def digest_of(self, path: Path) -> bytes:
        """The SHA-256 of a content file's bytes."""

    def put(self, key: str, read: FileRead) -> None: ...


@dataclass(frozen=True)
class Loaded:
    places: Places
    items: tuple[Item, ...]  # every valid item, drafts included
    ids: dict[str, frozenset[str]]  # type -> every id that has a file, valid or not
    references: tuple[Reference, ...]  # from every file, valid or not
    problems: tuple[Problem, ...]
    links: tuple[BodyLink, ...] = ()  # every address written in a body, checked in phase two


_REFERENCES: dict[type[Item], tuple[tuple[str, str], ...]] = {}


def reference_fields(cls: type[Item]) -> tuple[tuple[str, str], ...]:
    """(field name, target type) for every field of ``cls`` that names other items or places:
    asked for each item read and indexed (41,000 times a build at 10,000 items), so found once
    a class."""
    found = _REFERENCES.get(cls)
    if found is None:
        found = _REFERENCES[cls] = tuple(
            (f.name, inner.target)
            for f in front_matter_fields(cls)
            if isinstance(inner := _inner(field_spec(f).kind), Ref)
        )
    return found


def _inner(kind: Any) -> Any:
    return kind.item if isinstance(kind, ListOf) else kind


def _references(values: dict[str, Any], ctx: ParseContext) -> Iterator[Reference]:
    draft = bool(values.get("draft"))
    for name, target, ref, line in ctx.refs:
        yield Reference(ctx.display, name.split("[")[0], line, target, ref, draft)


def _top_level_problems(content: Path) -> Iterator[Problem]:
    """Links, unexpected entries, a typed folder that is not a folder; then what is wrong in
    ``files/`` (published as it is, so checked here, before Pelican copies anything)."""
    if not content.is_dir():
        yield Problem(display_path(content), 1, "目录", "内容目录不存在", "file.missing")
        return
    known = [PLACES_FILE, FILES_FOLDER, *BY_FOLDER]
    for child in sorted(content.iterdir()):
        if is_litter(child.name):
            continue
        if child.is_symlink():
            yield symlink_problem(child)
        elif child.name in BY_FOLDER or child.name == FILES_FOLDER:
            if not child.is_dir():
                message = f"{quoted(child.name)} 应为文件夹，实际是一个文件：请删除或改名"
                yield Problem(display_path(child), 1, "文件", message, "file.type")
        elif not child.name.startswith(".") and child.name not in known:
            hint = did_you_mean(child.name, known)
            message = f"内容目录下不应有 {quoted(child.name)}{hint}；可用：{'、'.join(known)}"
            yield Problem(display_path(child), 1, "文件", message, "file.unexpected")
    files = content / FILES_FOLDER
    if files.is_dir() and not files.is_symlink():
        yield from static_problems(files)


def _files(folder: Path) -> Iterator[Path | Problem]:
    """The Markdown files of a typed folder, or the problem with each entry that is refused."""
    if folder.is_symlink() or not folder.is_dir():  # a link is reported with the top level
        return
    yield from content_files(folder)


def _file_problem(path: Path) -> Problem | None:
    if path.suffix != ".md":
        message = f"{quoted(path.name)} 不是 Markdown 文件：此目录只放 .md 文件（图片和附件请放在 content/files/）"
        return Problem(display_path(path), 1, "文件", message, "file.type")
    if not ID_RE.fullmatch(path.stem):
        message = (
            f"文件名 {quoted(path.name)} 不合规：只能用小写英文字母、数字和 -，"
            "文件名就是网址（如 2025-06-20-parking.md）"
        )
        return Problem(display_path(path), 1, "文件名", message, "file.name")
    return None


def _scan_personal_data(cls: type[Item], doc: Document, html: str, ctx: ParseContext) -> None:
    """Everything of one file a resident reads: its text fields, its body, its name (a URL)."""
    scan_front_matter(cls, doc.entries, ctx)
    scan_body(doc, html, ctx)
    scan_file_name(doc, ctx)


def _body_line(doc: Document, needle: str, bad: re.Pattern[str] | None = None) -> int:
    """The body line that has ``needle`` (and, if given, matches ``bad``): the first such."""
    lines = list(enumerate(doc.body.split("\n"), start=doc.body_line))
    for number, text in lines:
        if needle in text and (bad is None or bad.search(text)):
            return number
    return next((number for number, text in lines if needle in text), doc.body_line)


def _check_rendered(doc: Document, html: str, ctx: ParseContext) -> None:
    """The last guard before feeds and pages: a control character the body's own lines do not
    show (Markdown or HTML made it) is still a problem at ``check``, never a crash at ``build``."""
    if (found := CONTROL.findall(html)) and not any(body_problems(doc.body, doc.body_line)):
        ctx.error(doc.body_line, "正文", control_message(found), "text.control")


YEAR = re.compile(r"^\s*(\d{4})\D")


def _year_of(doc: Document) -> int | None:
    """The year the item's ``date`` is written in: the year of a date written without one."""
    for entry in doc.entries:
        if entry.key == "date" and isinstance(entry.node, yaml.ScalarNode):
            if match := YEAR.match(str(entry.node.value) + " "):
                return int(match.group(1))
    return None


FIELD_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*[:：]")


def _front_matter_in_body(cls: type[Item], doc: Document, ctx: ParseContext) -> None:
    """A body that starts with lines of fields (a doubled front matter, or fields written after
    the closing ``---``): they would be published as text, and the fields not read."""
    names = {f.name for f in front_matter_fields(cls)}
    lines = doc.body.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    first = start + 1 if start < len(lines) and lines[start].strip() == "---" else start
    run = first
    while run < len(lines) and (match := FIELD_LINE.match(lines[run])) and match[1] in names:
        run += 1
    if run == first:
        return
    end = run + 1 if run < len(lines) and lines[run].strip() == "---" else run
    written = lines[first].strip()
    first_line, last_line = doc.body_line + start, doc.body_line + end - 1
    block = f"第 {first_line} 行" + (f"到第 {last_line} 行" if last_line > first_line else "")
    message = (
        f"正文以字段“{written[:30]}”开头：字段只能写在文件开头两行 --- 之间，写在正文里不会被读取，"
        f"还会原样显示在页面上。如果是重复粘贴的元数据，请删去{block}；"
        "如果是漏写的字段，请移到上面的 --- 之前"
    )
    key = FIELD_LINE.match(lines[first])
    ctx.error(doc.body_line + start, key[1] if key else "正文", message, "body.frontmatter")


NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^>]*\balt=\"[^\"]*[^\"\s])")


def parse_item(
    cls: type[Item],
    doc: Document,
    ctx: ParseContext,
    renderer: MarkdownRenderer,
    references: list[Reference],
    links: list[BodyLink] | None = None,
) -> Item | None:
    ctx.year = _year_of(doc)
    values, bad = parse_entries(cls, list(doc.entries), ctx)
    references.extend(_references(values, ctx))
    for rule in cls.rules:
        if all(name in values for name in rule.needs):
            for field_name, message in rule.check(values):
                if field_name.split(".")[0].split("[")[0] not in bad:
                    line = ctx.lines.get(field_name) or ctx.lines.get(rule.needs[0], 1)
                    ctx.error(line, field_name, message, rule.category)
    _front_matter_in_body(cls, doc, ctx)
    rendered = renderer.render(doc.body)
    _check_rendered(doc, rendered.html, ctx)
    for src, offset in zip(rendered.remote_images, rendered.remote_image_lines, strict=True):
        message = f"图片 '{shown(src)}' 来自其他网站：本站不从其他网站加载内容，请把图片放在 content/files/ 并用 /files/… 引用"
        ctx.error(doc.body_line + offset, "正文", message, "body.remote-image")
    for src, offset in zip(rendered.dropped_images, rendered.dropped_image_lines, strict=True):
        message = (
            f"图片地址 '{shown(src[:60])}' 不能使用：本站只显示放在 content/files/ 中的图片，"
            "请把图片文件放进去并用 /files/… 引用（不能用 data:、file: 等地址）"
        )
        ctx.error(doc.body_line + offset, "正文", message, "body.image-src")
    for src in rendered.images_without_alt:
        message = (
            f"图片 '{src}' 缺少替代文字：请写明图片内容，如 ![施工现场照片]({src})，"
            "视力不好的居民要靠读屏软件读出它"
        )
        ctx.error(_body_line(doc, src, NO_ALT), "正文", message, "body.image-alt")
    _scan_personal_data(cls, doc, rendered.html, ctx)
    if links is not None:
        page = f"/{cls.folder}/{doc.path.stem}/"  # Item.url, before there is an item
        draft = bool(values.get("draft"))
        links.extend(
            body_links(rendered.html, doc.body, doc.body_line, doc.display, page, draft=draft)
        )
    if ctx.problems or bad:
        return None
    return cls(
        id=doc.path.stem,
        file=doc.display,
        lines=MappingProxyType(dict(ctx.lines)),
        body=doc.body,
        body_html=rendered.html,
        **values,
    )


def _read(
    path: Path, cls: type[Item], codes: Codes, tz: tzinfo, names: dict[str, str],
    renderer: MarkdownRenderer,
) -> FileRead:  # fmt: skip
    doc, doc_problems = read_document(path)
    if doc is None:
        return FileRead(None, tuple(doc_problems), (), ())
    ctx = ParseContext(display=doc.display, codes=codes, tz=tz, offset=1)
    ctx.place_names.update(names)
    references: list[Reference] = []
    links: list[BodyLink] = []
    item = parse_item(cls, doc, ctx, renderer, references, links)
    return FileRead(
        item if not doc_problems else None,
        (*doc_problems, *ctx.problems),
        tuple(references),
        tuple(links),
    )


def _keys(
    tasks: list[tuple[Path, type[Item]]], tz: tzinfo, names: dict[str, str], memo: Memo
) -> list[str]:
    """What each file's :class:`FileRead` is a function of: the file (its place and bytes), its
    type, the places' names, the time zone, the code and settings (``env``) and this year (the
    hint of a date written without one)."""
    common = f"{memo.env}\0{sorted(names.items())!r}\0{tz}\0{datetime.now(tz).year}\0"
    keys = []
    for path, cls in tasks:
        digest = hashlib.sha256(f"{common}{display_path(path)}\0{cls.folder}\0".encode())
        digest.update(memo.digest_of(path))
        keys.append(digest.hexdigest())
    return keys


def read_files(
    tasks: list[tuple[Path, type[Item]]], codes: Codes, tz: tzinfo, names: dict[str, str],
    memo: Memo | None = None,
) -> list[FileRead]:  # fmt: skip
    """Each file of ``tasks`` read: from ``memo`` when it read the same before, the others on
    every core (each file is read apart from the others, so which process reads it changes
    nothing)."""
    keys = _keys(tasks, tz, names, memo) if memo is not None else []
    found: list[FileRead | None] = [memo.get(key) for key in keys] if memo else [None] * len(tasks)
    missing = [number for number, read in enumerate(found) if read is None]

    def share(worker: int, count: int) -> list[FileRead]:
        renderer = MarkdownRenderer()
        return [_read(*tasks[n], codes, tz, names, renderer) for n in missing[worker::count]]

    if len(missing) < workers.SERIAL_BELOW or workers.jobs() == 1:
        shares = [share(0, 1)]
    else:
        shares = workers.mapped(share)
    for worker, reads in enumerate(shares):
        for number, read in zip(missing[worker :: len(shares)], reads, strict=True):
            found[number] = read
    done = [read for read in found if read is not None]
    if memo is not None:
        for key, read in zip(keys, done, strict=True):
            memo.put(key, read)
    return done


def load_content(content: Path, codes: Codes, tz: tzinfo, memo: Memo | None = None) -> Loaded:
    problems: list[Problem] = list(_top_level_problems(content))
    if (content / PLACES_FILE).is_symlink():  # reported with the top level; never read
        places = Places([])
    else:
        places, place_problems = load_places(content / PLACES_FILE, codes)
        problems.extend(place_problems)
    problems.extend(scan_attachments(content / FILES_FOLDER))
    names = {place.name: place.id for place in places}
    ids: dict[str, frozenset[str]] = {}
    tasks: list[tuple[Path, type[Item]]] = []
    after: list[list[Problem]] = []  # the problems found before each file is read
    for folder, cls in BY_FOLDER.items():
        seen: dict[str, str] = {}
        for path in _files(content / folder):
            if isinstance(path, Problem):
                problems.append(path)
                continue
            if problem := _file_problem(path):
                problems.append(problem)
                continue
            display = display_path(path)
            if path.stem in seen:
                message = f"id '{path.stem}' 重复：与 {seen[path.stem]} 同名（同一类内容的文件名不能相同）"
                problems.append(Problem(display, 1, "id", message, "id.duplicate"))
                continue
            seen[path.stem] = display
            after.append(problems)
            problems = []
            tasks.append((path, cls))
        ids[cls.type] = frozenset(seen)
    items: list[Item] = []
    references: list[Reference] = []
    links: list[BodyLink] = []
    ordered: list[Problem] = []
    for before, read in zip(after, read_files(tasks, codes, tz, names, memo), strict=True):
        ordered += before
        ordered += read.problems
        references += read.references
        links += read.links
        if read.item is not None:
            items.append(read.item)
    ordered += problems
    return Loaded(places, tuple(items), ids, tuple(references), tuple(ordered), tuple(links))
