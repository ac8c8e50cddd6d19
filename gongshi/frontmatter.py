"""Reading a content file: UTF-8 text, YAML front matter between ``---`` lines, Markdown body.

YAML is composed into nodes with the safe loader, never constructed into Python objects, so
every value keeps the line it was written on; the content models parse the nodes into types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem, display_path

FENCE = "---"
# What YAML refuses to read (YAML 1.1 "printable"): reported with its line, never raised.
NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# libyaml's safe loader when PyYAML was built with it (the wheels are): several times faster.
SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One ``key: value`` of a YAML mapping, with the absolute line of the key."""

    key: str
    line: int
    node: yaml.Node
    offset: int  # add to a node's 0-based mark line, plus one, for its absolute line

    def line_of(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line + 1


@dataclass(frozen=True)
class Document:
    path: Path
    display: str
    entries: tuple[Entry, ...]
    body: str
    body_line: int  # the absolute line number of the body's first line


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or a problem saying why it cannot be read as UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "文件不是 UTF-8 编码，请用 UTF-8 另存（常见于用 GBK/GB2312 保存的文件）"
        return None, [Problem(display, line, "文件", message, "file.encoding")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def mapping_entries(
    node: yaml.Node, display: str, offset: int, field: str
) -> tuple[list[Entry], list[Problem]]:
    """The entries of a mapping node; a duplicated key is a problem, never a silent overwrite."""
    if not isinstance(node, yaml.MappingNode):
        line = offset + node.start_mark.line + 1
        message = f"应为“字段: 值”形式的映射，实际为 {describe(node)}"
        return [], [Problem(display, line, field, message, "field.type")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line + 1
        key = str(key_node.value)
        if key in seen:
            message = f"字段 '{key}' 重复出现（第一次在第 {seen[key]} 行）"
            problems.append(Problem(display, line, key, message, "field.duplicate"))
            continue
        seen[key] = line
        entries.append(Entry(key, line, value_node, offset))
    return entries, problems


def compose(text: str, display: str, offset: int) -> tuple[yaml.Node | None, list[Problem]]:
    """YAML text composed into nodes, or the syntax error as a problem."""
    try:
        return yaml.compose(text, Loader=SAFE_LOADER), []
    except yaml.reader.ReaderError:  # a character YAML does not allow
        found = NOT_PRINTABLE.search(text)
        char = found.group(0) if found else "\ufffd"
        line = offset + (text[: found.start()].count("\n") if found else 0) + 1
        message = (
            f"含有不允许的控制字符 U+{ord(char):04X}，请删除"
            "（常见于从 Word 或网页复制粘贴的换行、制表符）"
        )
        return None, [Problem(display, line, "YAML", message, "yaml.character")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        what = exc.problem or exc.context or "无法解析"
        message = f"YAML 语法错误：{what}（常见原因：冒号后缺空格、缩进不一致、引号未闭合）"
        return None, [Problem(display, line, "YAML", message, "yaml.syntax")]


def read_document(path: Path) -> tuple[Document | None, list[Problem]]:
    display = display_path(path)
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        message = "文件开头缺少元数据：第一行应为 ---，随后是 YAML 字段，再以 --- 结束"
        return None, [Problem(display, 1, "元数据", message, "frontmatter.missing")]
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        message = "元数据没有结束：请在字段之后加一行 ---"
        return None, [Problem(display, 1, "元数据", message, "frontmatter.unclosed")]
    offset = 1  # the YAML text starts on the file's second line
    node, problems = compose("\n".join(lines[1:close]), display, offset)
    if node is None:
        if problems:
            return None, problems
        message = "元数据为空：请至少填写 title、date、places 等必填字段"
        return None, [Problem(display, 1, "元数据", message, "frontmatter.empty")]
    entries, problems = mapping_entries(node, display, offset, "元数据")
    body = "\n".join(lines[close + 1 :])
    return Document(path, display, tuple(entries), body, close + 2), problems


def describe(node: yaml.Node) -> str:
    """How a node is called in a message: its kind, and for a scalar its text."""
    if isinstance(node, yaml.MappingNode):
        return "映射"
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    return f"'{node.value}'"
