"""The editors' authoring reference (``docs/reference.md``), generated from the model declarations.

Every table comes from the ``spec()`` of a field, every code list from ``codes.yaml``, every rule
from a model's ``rules``: edit a model, run ``python -m gongshi.docgen``, and the reference follows.
The output depends on nothing but the declarations, so it is byte-identical from run to run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .content.codes import Codes
from .content.fields import (
    Code,
    Kind,
    ListOf,
    Struct,
    Text,
    field_spec,
    front_matter_fields,
    kinds,
)
from .content.models import ITEM_TYPES, Item
from .content.places import CommunitySpec, JurisdictionSpec

DEFAULT_OUTPUT = Path("docs/reference.md")

HEADER = """\
# 内容字段参考

> 本文件由 `python -m gongshi.docgen` 根据内容模型自动生成，请勿手工修改。
> 怎样新增、更新内容，请看[编辑指南](editor-guide.md)。

每条内容是一个 Markdown 文件：开头两行 `---` 之间是 YAML 字段，之后是正文。文件名（不含 `.md`）
就是内容的 id 和网址，只能用小写英文字母、数字和 `-`，同一类内容中不能重复。
字段值留空（如 `host:`）与不写该字段相同。文本只能写一行，标明“可多行”的除外（用 `|` 换行写）。
"""

# Where a declaration cannot say what an editor writes (``communities`` is read by hand).
TYPE_OVERRIDES: dict[tuple[type, str], str] = {
    (JurisdictionSpec, "communities"): "映射：每个键是社区/村的 id，值为含 name、kind 的映射",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _kind_doc(kind: Kind) -> str:
    multiline = isinstance(kind, Text) and kind.multiline
    return f"{kind.doc}（可多行）" if multiline else kind.doc


def _inner(kind: Kind) -> Kind:
    return kind.item if isinstance(kind, ListOf) else kind


def _field_table(cls: type, skip: frozenset[str] = frozenset()) -> list[str]:
    lines = ["| 字段 | 类型 | 必填 | 说明 |", "|---|---|---|---|"]
    for f in front_matter_fields(cls):
        if f.name in skip:
            continue
        spec = field_spec(f)
        kind = TYPE_OVERRIDES.get((cls, f.name), _kind_doc(spec.kind))
        meaning = f"{spec.label}。{spec.help}" if spec.help else spec.label
        required = "是" if spec.required else "否"
        lines.append(f"| `{f.name}` | {_cell(kind)} | {required} | {_cell(meaning)} |")
    return lines


def _structs(cls: type, prefix: str = "") -> Iterator[tuple[str, type, bool]]:
    """(field path, struct class, in a list) for every nested mapping below ``cls``."""
    for f in front_matter_fields(cls):
        kind = field_spec(f).kind
        inner = _inner(kind)
        if isinstance(inner, Struct):
            path = f"{prefix}{f.name}"
            yield path, inner.cls, isinstance(kind, ListOf)
            yield from _structs(inner.cls, f"{path}.")


def _code_lists(cls: type) -> Iterator[str]:
    """The code lists a class's fields (nested ones included) take values from."""
    return (kind.list_name for _, kind in kinds(cls) if isinstance(kind, Code))


def _codes_section(names: Sequence[str], codes: Codes, level: str = "###") -> list[str]:
    lines: list[str] = []
    for name in dict.fromkeys(names):
        code_list = codes[name]
        lines += ["", f"{level} 代码表 {name}", ""]
        if code_list.extensible:
            lines += ["部署可通过设置 `GONGSHI_CODES` 增加代码或修改标签。", ""]
        if code_list.helps:
            lines += ["| 代码 | 中文标签 | 说明 |", "|---|---|---|"]
        else:
            lines += ["| 代码 | 中文标签 |", "|---|---|"]
        for code, label in code_list.labels.items():
            help_ = f" {_cell(code_list.help(code))} |" if code_list.helps else ""
            lines.append(f"| `{code}` | {_cell(label)} |{help_}")
    return lines


def _struct_sections(cls: type, skip: frozenset[str] = frozenset()) -> list[str]:
    lines: list[str] = []
    for path, struct, in_list in _structs(cls):
        if path.split(".")[0] in skip:
            continue
        which = "每一项的字段" if in_list else "的字段"
        lines += ["", f"### `{path}` {which}", "", *_field_table(struct)]
    return lines


def _type_section(cls: type[Item], codes: Codes, common: frozenset[str]) -> list[str]:
    label = codes.label("item_type", cls.type)
    lines = ["", f"## {label}（{cls.type}）", ""]
    lines += [f"文件放在 `content/{cls.folder}/`，网址为 `/{cls.folder}/<id>/`。", ""]
    lines += [f"除[通用字段](#通用字段)外，{label}还有以下字段：", ""]
    lines += _field_table(cls, common)
    lines += _struct_sections(cls, common)
    lines += _codes_section(list(_code_lists(cls)), codes)
    own_rules = [rule for rule in cls.rules if rule not in Item.rules]
    if own_rules:
        lines += ["", "### 检查规则", ""]
        lines += [f"- {rule.doc} `[{rule.category}]`" for rule in own_rules]
    return lines


def _places_section(codes: Codes) -> list[str]:
    lines = ["", "## 地点登记（content/places.yaml）", ""]
    lines += [
        "每个顶层键是一个街道或镇的 id，其 `communities` 下的每个键是一个社区或村的 id；",
        "id 在整个文件中唯一，只能用小写英文字母、数字和 `-`。内容的 `places` 字段引用这些 id。",
        "",
        "```yaml",
        "xinhe:                    # 街道/镇的 id",
        "  name: 新河街道",
        "  kind: subdistrict",
        "  district: 示例区",
        "  address: 示例区新河路 1 号              # 可选：对外公开的联系方式",
        "  phone: 010-63811234                  # 办公或服务电话，不写个人手机",
        "  hours: 周一至周五 9:00–17:00",
        "  communities:",
        "    dongyuan: {name: 东苑社区, kind: community, phone: 010-63812345}   # 社区/村的 id",
        "    xizhuang: {name: 西庄村, kind: village}",
        "```",
        "",
        "`address`、`phone`、`hours` 显示在地点页面和该地点会议的打印公示上（公示取会议所属社区的，"
        "社区未填时取其街道/镇的）。`phone` 与其他文字一样经过个人信息检查：个人手机号会被拒绝。",
        "",
        "### 街道/镇的字段",
        "",
        *_field_table(JurisdictionSpec),
        "",
        "### 社区/村的字段（`communities` 的每一项）",
        "",
        *_field_table(CommunitySpec),
    ]
    names = [*_code_lists(JurisdictionSpec), *_code_lists(CommunitySpec)]
    return lines + _codes_section(names, codes)


def render(codes: Codes | None = None) -> str:
    """The whole reference, as Markdown."""
    codes = codes or Codes.load(wanted=ITEM_TYPES.wanted())
    common = frozenset(f.name for f in front_matter_fields(Item))
    lines = [HEADER.rstrip("\n"), "", "## 通用字段", "", "每一类内容都有以下字段。", ""]
    lines += _field_table(Item)
    lines += _struct_sections(Item)
    for cls in ITEM_TYPES:
        lines += _type_section(cls, codes, common)
    lines += _places_section(codes)
    used = {n for c in (*ITEM_TYPES, JurisdictionSpec, CommunitySpec) for n in _code_lists(c)}
    shown = [name for name in codes.names() if name not in used]
    if shown:
        lines += ["", "## 其他代码表", "", "以下代码表不由编辑填写，是网站显示时使用的标签。"]
        lines += _codes_section(shown, codes)
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("用法：python -m gongshi.docgen [OUTPUT]（默认 docs/reference.md）", file=sys.stderr)
        return 2
    output = Path(args[0]) if args else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(), encoding="utf-8", newline="\n")
    print(f"已写入 {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
