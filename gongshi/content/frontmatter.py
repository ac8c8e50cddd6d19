"""Reading a content file: UTF-8 text, YAML front matter between ``---`` lines, Markdown body.

YAML is composed into nodes with the safe loader, never constructed into Python objects, so
every value keeps the line it was written on; the content models parse the nodes into types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem, display_path
from . import slips, yamlnodes
from .characters import NOT_IN_YAML, body_problems, line_problems, quoted, visible
from .yamlnodes import MAX_DEPTH

FENCE = "---"
TOP_LEVEL_KEY = re.compile(r"^([^\s#:'\"\[{-][^:]*?)\s*:(?:\s|$)")


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
    try:
        data = path.read_bytes()
    except OSError as exc:  # no permission, or removed while the build runs
        message = f"无法读取文件：{exc.strerror or exc}（请检查文件权限）"
        return None, [Problem(display, 1, "文件", message, "file.unreadable")]
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
        if not isinstance(key_node, yaml.ScalarNode):
            message = f"字段名应为文本，实际为{describe(key_node)}（请检查冒号前是否多写了括号）"
            problems.append(Problem(display, line, field, message, "field.type"))
            continue
        key = str(key_node.value)
        if key in seen:
            message = f"字段 {quoted(key)} 重复出现（第一次在第 {seen[key]} 行）"
            problems.append(Problem(display, line, visible(key), message, "field.duplicate"))
            continue
        seen[key] = line
        entries.append(Entry(key, line, value_node, offset))
    return entries, problems


ALIAS_MESSAGE = (
    "不能使用 YAML 锚点（&）和别名（*），编辑内容从不需要它们。"
    '如果值本身以 * 或 & 开头（如 summary: *紧急*），请给整个值加引号：summary: "*紧急*"'
)
DEPTH_MESSAGE = (
    f"嵌套超过 {MAX_DEPTH} 层：元数据最多只有几层（如 participants 列表中的各项），"
    "请检查是否多写了 [ 或 {、缩进是否错乱"
)


def _field_of_line(lines: list[str], index: int) -> str:
    """The top-level key a line belongs to: the field named in a message about a raw character."""
    for line in reversed(lines[: index + 1]):
        if match := TOP_LEVEL_KEY.match(line):
            return match.group(1)
    return "YAML"


def _characters(text: str, display: str, offset: int) -> list[Problem]:
    """A problem for each line with a character YAML refuses or reads as a line break."""
    lines = text.split("\n")
    return [
        Problem(
            display, number, _field_of_line(lines, number - offset - 1), message, "text.control"
        )
        for number, message in line_problems(text, offset + 1, NOT_IN_YAML)
    ]


def _slip_problem(slip: slips.Slip, lines: list[str], display: str, offset: int) -> Problem:
    field = slip.key or _field_of_line(lines, slip.line)
    message = slip.message.replace("{above}", str(offset + slip.above + 1))
    return Problem(display, offset + slip.line + 1, field, message, slip.category)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str, offset: int) -> Problem:
    """The parser's error, explained in Chinese when it is a slip :mod:`slips` knows."""
    mark = exc.problem_mark or exc.context_mark
    line = offset + (mark.line + 1 if mark else 1)
    if exc.context and ("alias" in exc.context or "anchor" in exc.context):
        return Problem(display, line, "YAML", ALIAS_MESSAGE, "yaml.alias")
    if mark and (slip := slips.explain(text, mark.line)):
        return _slip_problem(slip, text.split("\n"), display, offset)
    what = exc.problem or exc.context or "无法解析"
    message = f"YAML 语法错误：{what}（常见原因：冒号后缺空格、缩进不一致、引号未闭合）"
    return Problem(display, line, "YAML", message, "yaml.syntax")


def compose(text: str, display: str, offset: int) -> tuple[yaml.Node | None, list[Problem]]:
    """YAML text composed into nodes, or why not as problems: a character, an alias, the syntax."""
    if problems := _characters(text, display, offset):
        return None, problems
    lines = text.split("\n")
    if found := slips.scan(text):
        return None, [_slip_problem(slip, lines, display, offset) for slip in found]
    try:
        return yamlnodes.compose(text), []
    except yamlnodes.Refused as exc:
        message = ALIAS_MESSAGE if exc.category == "yaml.alias" else DEPTH_MESSAGE
        return None, [Problem(display, offset + exc.mark.line + 1, "YAML", message, exc.category)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, display, offset)]
    except yaml.YAMLError as exc:  # a reader error: every character it refuses is found above
        message = f"YAML 无法读取：{exc}"
        return None, [Problem(display, offset + 1, "YAML", message, "yaml.syntax")]


YAML_LIKE = re.compile(r"^(?:[ \t\u3000#]|-(?:[ \t]|$)|[A-Za-z_][A-Za-z0-9_-]*[ \t]*[:：])")


def _last_field_line(lines: list[str]) -> int:
    """The 1-based number of the last line, from the second on, that still reads as a field
    (before the first line that reads as body text): where a missing closing ``---`` goes."""
    last = 1
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip() or text.startswith("# "):  # a comment, or the body's own heading
            continue
        if text.startswith("##") or not YAML_LIKE.match(text):  # a Markdown heading: the body
            break
        last = number
    return last


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
        last = _last_field_line(lines)
        message = (
            f"元数据没有结束：请在这里（第 {last} 行的字段之后、正文之前）加一行 ---，"
            "把字段和正文分开"
        )
        return None, [Problem(display, last + 1, "元数据", message, "frontmatter.unclosed")]
    offset = 1  # the YAML text starts on the file's second line
    body = "\n".join(lines[close + 1 :])
    # XML (feeds, the sitemap) refuses control characters: left in a body, they crash the build.
    in_body = [
        Problem(display, number, "正文", message, "text.control")
        for number, message in body_problems(body, close + 2)
    ]
    node, problems = compose("\n".join(lines[1:close]), display, offset)
    if node is None:
        if not problems:
            message = "元数据为空：请至少填写 title、date、places 等必填字段"
            problems = [Problem(display, 1, "元数据", message, "frontmatter.empty")]
        return None, [*problems, *in_body]
    entries, problems = mapping_entries(node, display, offset, "元数据")
    return Document(path, display, tuple(entries), body, close + 2), [*problems, *in_body]


def describe(node: yaml.Node) -> str:
    """How a node is called in a message: its kind, and for a scalar its text."""
    if isinstance(node, yaml.MappingNode):
        return "映射"
    if isinstance(node, yaml.SequenceNode):
        return "列表"
    return quoted(str(node.value))
