"""``gongshi new <type>``: start a file that passes ``gongshi check`` at once.

Generic over :data:`ITEM_TYPES`: what a type asks for is read from its model.  Every required
field is filled — from an option, an answer (on a terminal), a default (a code list's first
code, today, the title as the one topic) or the item named by ``--meeting``/``--outcome`` … —
and every optional field is written as a comment that says what it takes (code lists with their
Chinese labels).  Each value is checked by the field's own kind before anything is written, and
the file is created exclusively: an existing file is never replaced.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ..content import datehints, slips, yamlnodes
from ..content.codes import Codes
from ..content.fields import (
    ID_RE,
    Bool,
    Code,
    Date,
    DateTime,
    FieldSpec,
    Kind,
    ListOf,
    ParseContext,
    Struct,
    Text,
    field_spec,
    front_matter_fields,
    place_by_name,
)
from ..content.frontmatter import read_document
from ..content.loader import PLACES_FILE, load_content, reference_fields
from ..content.models import ITEM_TYPES, Item
from ..content.places import Places, load_places
from ..errors import ConfigError, GongshiError, display_path
from ..publish.run import load_settings
from ..settings import GongshiSettings, from_pelican
from ..suggest import did_you_mean

# Fields every type has and that have options of their own name (``--place`` for places).
COMMON = ("title", "date", "places")
# Ask is how a value is read on a terminal: the prompt in, the answer out (EOF: None).
Ask = Callable[[str], str | None]


class NewError(GongshiError):
    """A usage error of ``gongshi new``: a missing option, an unknown place, a name in use."""

    exit_code = 2


def option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _fields(cls: type[Item]) -> list[tuple[str, FieldSpec]]:
    return [(f.name, field_spec(f)) for f in front_matter_fields(cls)]


def _asked(name: str, spec_: FieldSpec) -> bool:
    """Whether a required field is one the editor must give (no default fits every item)."""
    kind = spec_.kind
    if name in COMMON or not spec_.required:
        return False
    if isinstance(kind, Code | Bool):
        return False
    return not (isinstance(kind, ListOf) and isinstance(kind.item, Text))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``gongshi new``: the common ones, one per required field a type asks
    for, and one per type to start from an item of it (``--meeting ID``)."""
    parser.add_argument("type", choices=ITEM_TYPES.names(), help="内容类型")
    parser.add_argument("--content", type=Path, help="内容目录（默认 content/）")
    parser.add_argument(
        "--place", action="append", help="地点：places.yaml 中的 id 或中文名（可多次）"
    )
    parser.add_argument("--title", help="标题")
    parser.add_argument("--date", help="发布日期，如 2026-11-30（默认今天）")
    parser.add_argument("--id", help="文件名（即 id 和网址），只用小写英文字母、数字和 -")
    parser.add_argument("--now", help="固定“今天”，如 '2026-11-30 10:00'")
    # one option per required field of any type, unless a common option or a type has its name
    reserved = {"content", "now", "id", "place", "type", *COMMON, *ITEM_TYPES.by_type}
    owners: dict[str, list[str]] = {}
    many: set[str] = set()
    for cls in ITEM_TYPES:
        for name, spec_ in _fields(cls):
            if spec_.required and name not in reserved:
                owners.setdefault(name, []).append(f"{cls.type} 的{spec_.label}")
                if isinstance(spec_.kind, ListOf):
                    many.add(name)
    for name, used in owners.items():
        parser.add_argument(
            option(name),
            dest=f"field_{name}",
            metavar=name.upper(),
            action="append" if name in many else "store",
            help="、".join(used) + ("（多项用逗号隔开）" if name in many else ""),
        )
    for cls in ITEM_TYPES:
        parser.add_argument(
            option(cls.type),
            dest=f"from_{cls.type}",
            metavar="ID",
            help=f"从这项 {cls.type} 开始：地点、标题、日期取自它，并引用它",
        )


@dataclass
class Draft:
    """The file under construction: values as YAML text, in the model's order."""

    cls: type[Item]
    values: dict[str, str] = field(default_factory=dict)  # field -> YAML text of its value
    notes: dict[str, str] = field(default_factory=dict)  # field -> a comment after the value
    next_steps: list[str] = field(default_factory=list)


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as exactly this text."""
    text = value.strip()
    try:
        node = yamlnodes.compose(f"k: {text}\n")
    except (yaml.YAMLError, yamlnodes.Refused):
        node = None
    plain = (
        isinstance(node, yaml.MappingNode)
        and len(node.value) == 1
        and isinstance(node.value[0][1], yaml.ScalarNode)
        and not node.value[0][1].style
        and node.value[0][1].value == text
        and not slips.scan(f"k: {text}\n")
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow_list(values: Iterable[str]) -> str:
    return (
        "["
        + ", ".join(
            _scalar(v) if "," not in v else json.dumps(v, ensure_ascii=False) for v in values
        )
        + "]"
    )


def _check_value(cls: type[Item], name: str, text: str, settings: GongshiSettings) -> str | None:
    """The field kind's own message for ``name: text``, or None when it parses."""
    spec_ = dict(_fields(cls))[name]
    node = yamlnodes.compose(f"{name}: {text}\n")
    assert isinstance(node, yaml.MappingNode)
    ctx = ParseContext(display="", codes=settings.codes, tz=settings.timezone, offset=0)
    spec_.kind.parse(node.value[0][1], name, ctx)
    if ctx.problems:
        return ctx.problems[0].message
    return None


def _when(raw: str, settings: GongshiSettings, kind: Kind) -> str:
    """An answer or option read as a date: ISO as it is, or a Chinese spelling made ISO."""
    wants = "yes" if isinstance(kind, DateTime) else "no" if isinstance(kind, Date) else "either"
    reading = datehints.read(raw, settings.now.year)
    if reading is None or re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2})?", raw.strip()):
        return raw.strip()
    if wants == "no":
        return reading.iso[:10]
    if wants == "yes" and not reading.has_time:
        return raw.strip()  # the kind says a time is missing
    return reading.iso


def resolve_place(written: str, places: Places) -> str:
    """A place id from an id or a Chinese name; a :class:`NewError` with suggestions if neither."""
    text = written.strip()
    if text in places:
        return text
    names = {p.name: p.id for p in places}
    if found := place_by_name(text, names):
        return found[0]
    known = "、".join(f"{p.id}（{p.name}）" for p in places)
    partial = [f"{p.id}（{p.name}）" for p in places if text and text in p.name]
    hint = (
        f"（可能是：{'、'.join(partial)}）"
        if partial
        else did_you_mean(text, [*places.ids(), *names])
    )
    raise NewError(f"找不到地点 '{text}'{hint}；可用：{known}")


def _split(values: Sequence[str] | None) -> list[str]:
    return [v for raw in values or () for v in re.split(r"[,，、;；]", raw) if v.strip()]


def _labels(codes: Codes, list_name: str) -> str:
    return "、".join(f"{c}（{codes[list_name].label(c)}）" for c in codes[list_name].codes())


def _describe(spec_: FieldSpec, codes: Codes) -> str:
    """What a field takes, for its comment: the label, the kind, the codes and the help."""
    kind = spec_.kind
    inner = kind.item if isinstance(kind, ListOf) else kind
    what = kind.doc.strip()
    if isinstance(inner, Code):
        many = "列表，每项为 " if isinstance(kind, ListOf) else ""
        what = f"{many}{_labels(codes, inner.list_name)} 之一"
    elif isinstance(inner, Struct):
        parts = []
        for f in front_matter_fields(inner.cls):
            sub = field_spec(f)
            sub_kind = sub.kind.item if isinstance(sub.kind, ListOf) else sub.kind
            codes_text = (
                f"：{_labels(codes, sub_kind.list_name)}" if isinstance(sub_kind, Code) else ""
            )
            need = "，必填" if sub.required else ""
            parts.append(f"{f.name}（{sub.label}{need}{codes_text}）")
        lead = "列表，每项含 " if isinstance(kind, ListOf) else "含 "
        what = lead + "、".join(parts)
    help_ = f"；{spec_.help}" if spec_.help else ""
    return f"{spec_.label}：{what}{help_}"


def _example(name: str, spec_: FieldSpec, codes: Codes) -> str:
    """The commented-out line of an optional field, with a value of the right shape."""
    kind = spec_.kind
    inner = kind.item if isinstance(kind, ListOf) else kind
    if isinstance(inner, Code):
        first = codes[inner.list_name].codes()[0]
        return f"{name}: [{first}]" if isinstance(kind, ListOf) else f"{name}: {first}"
    if isinstance(inner, Struct):
        fields_ = [f.name for f in front_matter_fields(inner.cls) if field_spec(f).required]
        body = ", ".join(
            f"{n}: …" for n in fields_ or [f.name for f in front_matter_fields(inner.cls)][:1]
        )
        return f"{name}: [{{{body}}}]" if isinstance(kind, ListOf) else f"{name}: {{{body}}}"
    if isinstance(kind, ListOf):
        return f"{name}: [ ]"
    if isinstance(kind, Bool):
        return f"{name}: false"
    return f"{name}:"


def render(draft: Draft, codes: Codes) -> str:
    """The file's text: required fields with values, optional ones commented, in model order."""
    lines = ["---"]
    for name, spec_ in _fields(draft.cls):
        if name in draft.values:
            comment = _describe(spec_, codes) if isinstance(spec_.kind, Code) else ""
            comment = draft.notes.get(name, comment)
            line = f"{name}: {draft.values[name]}"
            lines.append(f"{line}  # {comment}" if comment else line)
    lines.append("# —— 以下是可选字段：要填写哪一项，就删去它行首的“# ”，在冒号后写上值 ——")
    for name, spec_ in _fields(draft.cls):
        if name not in draft.values:
            lines.append(f"# {_example(name, spec_, codes)}  # {_describe(spec_, codes)}")
    lines.append("# 正文（背景资料、会议记录等，用 Markdown 书写）写在下面一行 --- 之后。")
    lines.append("---")
    lines.append("")
    return "\n".join(lines)


@dataclass
class Inputs:
    """Where values come from: options first, then (on a terminal) answers."""

    args: argparse.Namespace
    ask: Ask | None
    settings: GongshiSettings

    def get(
        self,
        what: str,
        opt: str,
        given: str | None,
        check: Callable[[str], str | None],
        example: str = "",
    ) -> str:
        """A value that passes ``check`` (its message on failure): from the option, or asked
        (the prompt says ``what`` and ``example``)."""
        if given is not None:
            if problem := check(given):
                raise NewError(f"{opt} {given!r} 不对：{problem}")
            return given
        if self.ask is None:
            raise NewError(f"缺少 {opt}（{what}）：不在终端运行时，请用 {opt} 给出")
        for _ in range(5):
            answer = self.ask(f"{what}{example}：")
            if answer is None:
                raise NewError(f"没有读到{what}（可用 {opt} 给出）")
            if not answer.strip():
                print("不能为空，请重新输入。", file=sys.stderr)
                continue
            if problem := check(answer):
                print(f"{problem}，请重新输入。", file=sys.stderr)
                continue
            return answer.strip()
        raise NewError(f"{what}输入错误次数过多，已放弃（可用 {opt} 给出）")


def _source(args: argparse.Namespace, content: Path, settings: GongshiSettings) -> Item | None:
    """The item named by ``--meeting ID`` (or another type's option), read from its file."""
    named = [(cls, getattr(args, f"from_{cls.type}")) for cls in ITEM_TYPES]
    named = [(cls, ref) for cls, ref in named if ref]
    if not named:
        return None
    if len(named) > 1:
        raise NewError(
            "只能从一项内容开始：" + "、".join(option(c.type) for c, _ in named) + " 只用一个"
        )
    cls, ref = named[0]
    loaded = load_content(content, settings.codes, settings.timezone)
    for item in loaded.items:
        if item.type == cls.type and item.id == ref:
            return item
    known = sorted(loaded.ids.get(cls.type, ()))
    if ref in known:
        raise NewError(f"{cls.folder}/{ref}.md 还有错误，无法读取：请先运行 gongshi check 改正它")
    raise NewError(f"找不到 {cls.folder} 中 id 为 '{ref}' 的内容{did_you_mean(ref, known)}")


def _start_from(draft: Draft, source: Item, places: Places) -> None:
    """Places, title and date from ``source``; a reference to it when the new type has one."""
    draft.values["places"] = (
        _flow_list(source.places) if len(source.places) > 1 else source.places[0]
    )
    draft.values["title"] = _scalar(source.title)
    draft.notes["title"] = f"取自 {source.folder}/{source.id}.md，请按需要修改"
    day = getattr(source, "start", None) or source.date
    draft.values["date"] = (day.date() if isinstance(day, datetime) else day).isoformat()
    refs = dict(reference_fields(draft.cls))
    into = [name for name, target in refs.items() if target == source.type]
    if into:
        kind = dict(_fields(draft.cls))[into[0]].kind
        draft.values[into[0]] = _flow_list([source.id]) if isinstance(kind, ListOf) else source.id
        return
    back = [name for name, target in reference_fields(type(source)) if target == draft.cls.type]
    if back:
        draft.next_steps.append(f"在 {source.file} 中写上 {back[0]}: <新文件的 id>，把两者连起来")


def _fill(draft: Draft, inputs: Inputs, places: Places) -> None:
    """Every required field: from the options or answers, else its default."""
    cls, args, settings = draft.cls, inputs.args, inputs.settings
    unknown = [
        option(name) for name, value in vars(args).items()
        if name.startswith("field_") and value is not None
        and name.removeprefix("field_") not in dict(_fields(cls))
    ]  # fmt: skip
    if unknown:
        raise NewError(f"{cls.type} 没有 {'、'.join(unknown)} 这个字段")
    if args.place or "places" not in draft.values:

        def place_ok(raw: str) -> str | None:
            try:
                for one in _split([raw]):
                    resolve_place(one, places)
            except NewError as error:
                return str(error)
            return None if _split([raw]) else "不能为空"

        given = ",".join(args.place) if args.place else None
        example = f"（id 或中文名，如 {_place_example(places)}）"
        raw = inputs.get("地点", "--place", given, place_ok, example)
        ids = list(dict.fromkeys(resolve_place(one, places) for one in _split([raw])))
        draft.values["places"] = ids[0] if len(ids) == 1 else _flow_list(ids)
    if args.title or "title" not in draft.values:
        title = inputs.get(
            "标题",
            "--title",
            args.title,
            lambda t: _check_value(cls, "title", _scalar(t), settings),
        )
        draft.values["title"] = _scalar(title)
        draft.notes.pop("title", None)
    for name, spec_ in _fields(cls):
        given = getattr(args, f"field_{name}", None)
        if name in COMMON or not spec_.required or (given is None and not _asked(name, spec_)):
            continue
        if given is None and name in draft.values:  # from the item it starts from
            continue
        draft.values[name] = _value(cls, name, spec_, given, inputs)
    _defaults(draft, inputs)


def _value(cls: type[Item], name: str, spec_: FieldSpec, given: Any, inputs: Inputs) -> str:
    """One required field's value as YAML text, from its option or asked, checked by its kind."""
    settings, kind = inputs.settings, spec_.kind
    if isinstance(kind, ListOf):

        def check_list(raw: str) -> str | None:
            return _check_value(cls, name, _flow_list(_split([raw])), settings)

        joined = ",".join(_split(given)) if given else None
        text = inputs.get(spec_.label, option(name), joined, check_list, "（多项用逗号隔开）")
        return _flow_list(_split([text]))

    def check(raw: str) -> str | None:
        return _check_value(cls, name, _scalar(_when(raw, settings, kind)), settings)

    hint = "（如 2026-12-15 14:00）" if isinstance(kind, DateTime) else ""
    value = inputs.get(spec_.label, option(name), given, check, hint)
    return _scalar(_when(value, settings, kind))


def _defaults(draft: Draft, inputs: Inputs) -> None:
    """Defaults for the required fields nobody was asked: codes, flags, lists, the date."""
    cls, args, settings = draft.cls, inputs.args, inputs.settings
    today = settings.now.date()
    for name, spec_ in _fields(cls):
        kind = spec_.kind
        if not spec_.required or name in draft.values:
            continue
        if isinstance(kind, Code):
            draft.values[name] = settings.codes[kind.list_name].codes()[0]
        elif isinstance(kind, Bool):
            draft.values[name] = "false"
        elif isinstance(kind, ListOf) and isinstance(kind.item, Text):
            draft.values[name] = _flow_list([_text(draft.values["title"])])
            draft.notes[name] = "暂按标题填写，请按议程顺序列出"
    if args.date is not None or "date" not in draft.values:
        kind = dict(_fields(cls))["date"].kind
        if args.date is not None:
            written = _when(args.date, settings, kind)
            if problem := _check_value(cls, "date", _scalar(written), settings):
                raise NewError(f"--date {args.date!r} 不对：{problem}")
            draft.values["date"] = written
        else:
            draft.values["date"] = _earliest(draft, today).isoformat()


def _text(yaml_text: str) -> str:
    """The text a scalar written by :func:`_scalar` stands for."""
    return str(json.loads(yaml_text)) if yaml_text.startswith('"') else yaml_text


def _first_place(draft: Draft) -> str:
    written = draft.values["places"]
    return written.strip("[]").split(",")[0].strip() if written.startswith("[") else written


def _earliest(draft: Draft, today: date) -> date:
    """Today, or the day of a required date-time field if earlier (a notice is published
    before its meeting starts)."""
    for name, spec_ in _fields(draft.cls):
        if spec_.required and isinstance(spec_.kind, DateTime) and name in draft.values:
            return min(today, date.fromisoformat(_text(draft.values[name])[:10]))
    return today


def _place_example(places: Places) -> str:
    first = next((p for p in places if not p.is_jurisdiction), None) or next(iter(places), None)
    return f"{first.id} 或 {first.name}" if first else "places.yaml 中的 id"


def _new_id(draft: Draft, folder: Path, wanted: str | None) -> str:
    """The id: ``--id`` as given (never replacing a file), or ``<date>-<place>``, made free."""
    if wanted is not None:
        if not ID_RE.fullmatch(wanted):
            raise NewError(
                f"--id {wanted!r} 不合规：只能用小写英文字母、数字和 -（如 2026-12-15-parking）"
            )
        if (folder / f"{wanted}.md").exists():
            raise NewError(
                f"{display_path(folder / f'{wanted}.md')} 已存在，不会覆盖：请换一个 --id，如 {_free(folder, wanted)}"
            )
        return wanted
    dated = [
        n for n, spec_ in _fields(draft.cls) if spec_.required and isinstance(spec_.kind, DateTime)
    ]
    day = _text(draft.values[dated[0]] if dated else draft.values["date"])[:10]
    base = f"{day}-{_first_place(draft)}"
    return _free(folder, base) if (folder / f"{base}.md").exists() else base


def _free(folder: Path, base: str) -> str:
    n = 2
    while (folder / f"{base}-{n}.md").exists():
        n += 1
    return f"{base}-{n}"


def create(args: argparse.Namespace, settings_file: Path, ask: Ask | None) -> tuple[Path, Draft]:
    """Write the new file; its path and what was written into it."""
    overrides: dict[str, Any] = {"PATH": str(args.content.resolve())} if args.content else {}
    if args.now is not None:
        overrides["GONGSHI_NOW"] = args.now
    pelican = load_settings(settings_file, overrides)
    settings = from_pelican(pelican)
    content = Path(pelican["PATH"])
    cls = ITEM_TYPES[args.type]
    places, problems = load_places(content / PLACES_FILE, settings.codes)
    if not len(places.ids()):
        where = display_path(content / PLACES_FILE)
        raise NewError(f"{where} 中没有可用的地点：请先登记地点（或运行 gongshi check 查看问题）")
    draft = Draft(cls)
    if source := _source(args, content, settings):
        _start_from(draft, source, places)
    _fill(draft, Inputs(args, ask, settings), places)
    folder = content / cls.folder
    folder.mkdir(parents=True, exist_ok=True)
    new_id = _new_id(draft, folder, args.id)
    path = folder / f"{new_id}.md"
    text = render(draft, settings.codes)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError as exc:
        raise NewError(f"{display_path(path)} 已存在，不会覆盖：请用 --id 换一个名字") from exc
    draft.next_steps[:] = [s.replace("<新文件的 id>", new_id) for s in draft.next_steps]
    doc, problems = read_document(path)
    if doc is None or problems:  # never expected: every value was checked by its kind
        raise ConfigError(
            f"新文件 {display_path(path)} 无法读取：{problems[0] if problems else ''}"
        )
    return path, draft


def _terminal_ask(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        return None


def run(args: argparse.Namespace) -> int:
    """``gongshi new``: asks on a terminal, takes options otherwise; prints what it wrote."""
    ask = _terminal_ask if sys.stdin.isatty() else None
    path, draft = create(args, args.settings, ask)
    print(f"已新建 {display_path(path)}")
    for step in draft.next_steps:
        print(f"下一步：{step}")
    print(
        "下一步：打开文件补充内容（# 开头的行是可选字段的说明），然后运行 gongshi serve 预览，或 gongshi check 检查。"
    )
    return 0


__all__ = ["NewError", "add_arguments", "create", "render", "resolve_place", "run"]
