"""Slips of a Chinese keyboard in YAML, found in the raw lines before YAML reads them.

An input method left in full-width mode types ``title：…``, full-width spaces and ``［a，b］``;
a value may begin with a character YAML reserves (``*`` ``&`` ``!`` ``%`` ``@`` `````); a list
item indented one space more than its sibling is silently folded into it.  YAML either reports
these in English on another line, or — worse — accepts them as something else.  Each is found
here on the line where the editor must act, with the corrected line to write.

:func:`scan` runs on every front matter (and ``places.yaml``) before it is composed: what it
finds is reported instead of the parser's message.  :func:`explain` is asked only when the
parser failed, about the line it failed on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
FULLWIDTH_COLON = re.compile(
    rf"^(?P<lead>[ \t\u3000]*(?:-[ \t]+)*)(?P<key>{KEY})[ \t]*：[ \t\u3000]*"
)
FLOW_FULLWIDTH_COLON = re.compile(rf"(?:[{{,，｛][ \t]*)(?P<key>{KEY})[ \t]*：")
INDENT = re.compile(r"^[ \t\u3000]*")
TOP_KEY = re.compile(rf"({KEY})[ \t]*[:：]")
DASHES = re.compile(r"^(?:-[ \t]+)*")
ITEM = re.compile(r"^(?P<indent> *)- +(?P<rest>.*)$")
KEY_VALUE = re.compile(rf"^(?P<key>{KEY}|'[^']*'|\"[^\"]*\")[ \t]*:(?:[ \t]+(?P<value>.*))?$")
BLOCK_HEADER = re.compile(r"^[|>][-+0-9]*[ \t]*(?:#.*)?$")
INDICATORS = {
    "*": "YAML 会把它当作别名（alias）而不是文字",
    "&": "YAML 会把它当作锚点（anchor）而不是文字",
    "!": "YAML 会把它当作标签（tag）而不是文字",
    "%": "这是 YAML 的保留字符（指令）",
    "@": "这是 YAML 的保留字符",
    "`": "这是 YAML 的保留字符",
}
SHOWN = 40  # characters of a value quoted back in a message
# A line that needs no closer look: ``key: value`` with a plain value and no character a slip
# is made of (most lines; :func:`scan` skips the checks for them).
CLEAN = re.compile(rf"^ *{KEY}: +[^*&!%@`|>\[{{\"'\s#]")
SUSPECT = re.compile("[\t\u3000：，［｛]")


@dataclass(frozen=True)
class Slip:
    line: int  # 0-based, in the text scanned
    key: str  # the field the line belongs to, "" when unknown
    message: str  # "{above}" stands for the line of the item above, numbered in the file
    category: str
    above: int = 0  # 0-based, in the text scanned


def _short(text: str, limit: int = SHOWN) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plain(value: str) -> str:
    """A value as it can be written after ``key: ``: quoted if YAML would misread it."""
    risky = ": " in value or " #" in value or value.endswith(":") or value[:1] in "*&!%@`[{'\"|>#"
    return _double_quoted(value) if value and risky else value


def _flow_fixed(value: str) -> str:
    """``［a，b］`` / ``{how：x，deadline：y}`` as YAML reads them: half-width, comma and space."""
    table = str.maketrans({"［": "[", "］": "]", "｛": "{", "｝": "}"})
    fixed = value.strip().translate(table)
    fixed = re.sub(r"[ \t]*，[ \t]*", ", ", fixed)
    return re.sub(rf"({KEY})[ \t]*：[ \t]*", r"\1: ", fixed)


def _value_of(text: str) -> tuple[str, str, str] | None:
    """(prefix, key, value) of a ``key: value`` or ``- value`` line; None when it has neither."""
    dashes = DASHES.match(text)
    prefix = dashes.group(0) if dashes else ""
    body = text[len(prefix) :]
    if match := KEY_VALUE.match(body):
        value = match.group("value") or ""
        head = prefix + body[: match.start("value")] if match.group("value") else body
        return head, match.group("key"), value
    if prefix:
        return prefix, "", body
    return None


def _indicator(line: int, text: str, key: str) -> Slip | None:
    found = _value_of(text.lstrip(" "))
    if found is None:
        return None
    head, own_key, value = found
    if not value or value[0] not in INDICATORS:
        return None
    if value[0] in "*&" and re.match(r"[*&][A-Za-z0-9_-]", value):
        return None  # YAML's own anchor or alias syntax: refused as such (yamlnodes)
    written = value.split(" #")[0].rstrip()
    fixed = f"{head.strip()} {_double_quoted(_short(written))}".strip()
    message = f"值以 “{value[0]}” 开头，{INDICATORS[value[0]]}：请在值两边加引号，写成 {fixed}"
    return Slip(line, own_key or key, message, "yaml.indicator")


def _flow(line: int, text: str, key: str) -> Slip | None:
    found = _value_of(text.lstrip(" "))
    if found is None:
        return None
    head, own_key, value = found
    value = value.split(" #")[0].rstrip()
    if not value:
        return None
    field = own_key or key
    if value[0] in "［｛":
        fixed = f"{head.strip()} {_flow_fixed(value)}".strip()
        message = (
            f"用了全角括号“{value[0]}”：列表要写成半角方括号 [ ]、映射要写成半角花括号 {{ }}，"
            f"各项之间用半角逗号加空格，请改为 {_short(fixed, 80)}"
        )
        return Slip(line, field, message, "yaml.fullwidth")
    if value[0] == "{" and FLOW_FULLWIDTH_COLON.search(value):
        fixed = f"{head.strip()} {_flow_fixed(value)}".strip()
        message = f"花括号中的字段名后用了全角冒号“：”：YAML 只认半角冒号加空格，请改为 {_short(fixed, 80)}"
        return Slip(line, field, message, "yaml.fullwidth")
    if value[0] in "[{" and "，" in value and "," not in value and value[-1] in "]}":
        fixed = f"{head.strip()} {_flow_fixed(value)}".strip()
        message = (
            "方括号/花括号中的各项用了全角逗号“，”：YAML 只认半角逗号，会把它们读成一项。"
            f"请改为 {_short(fixed, 80)}（如果这一项本身含有逗号，请给它加引号）"
        )
        return Slip(line, field, message, "yaml.fullwidth")
    return None


def _indent(line: int, text: str, key: str) -> Slip | None:
    lead = INDENT.match(text)
    indent = lead.group(0) if lead else ""
    if "\u3000" in indent:
        message = (
            "这一行用全角空格（U+3000）缩进：YAML 只认半角空格，"
            "请删去行首的全角空格，改用半角空格与同级字段对齐"
        )
        return Slip(line, key, message, "yaml.indent")
    if "\t" in indent:
        message = "这一行用 Tab（制表符）缩进：YAML 不允许 Tab，请改用半角空格与同级字段对齐"
        return Slip(line, key, message, "yaml.indent")
    return None


def _colon(line: int, text: str, key: str) -> Slip | None:
    match = FULLWIDTH_COLON.match(text)
    if match is None:
        return None
    lead = match.group("lead").replace("\u3000", "  ").replace("\t", "  ")
    fixed = f"{lead}{match.group('key')}: {_plain(text[match.end() :].strip())}".strip()
    message = f"字段名后用了全角冒号“：”：YAML 只认半角冒号加空格，请改为 {_short(fixed, 80)}"
    return Slip(line, match.group("key"), message, "yaml.fullwidth")


MISSING_SPACE = re.compile(rf"^(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>{KEY}):(?![ \t]|$|//)[\u3000]*")


def _space(line: int, text: str, key: str) -> Slip | None:
    match = MISSING_SPACE.match(text)
    if match is None:
        return None
    fixed = (
        f"{match.group('lead')}{match.group('key')}: {_plain(text[match.end() :].strip())}".strip()
    )
    message = (
        f"冒号后缺少半角空格：YAML 要求“字段名: 值”，冒号后要有一个空格，请改为 {_short(fixed, 80)}"
    )
    return Slip(line, match.group("key"), message, "yaml.colon-space")


def _top_key(text: str, key: str) -> str:
    if text[:1] not in " \t\u3000-#" and (match := TOP_KEY.match(text)):
        return match.group(1)
    return key


def _fold(line: int, text: str, previous: tuple[int, str] | None, key: str) -> Slip | None:
    """A ``- item`` indented more than the plain item right above it: YAML folds it into that one."""
    this = ITEM.match(text)
    if previous is None or this is None:
        return None
    number, above = previous
    prior = ITEM.match(above)
    if prior is None or _value_of(prior.group("rest")) is not None:
        return None  # the item above is a mapping or a list itself
    rest = prior.group("rest")
    if not rest or rest[0] in "[{\"'|>" or rest.rstrip().endswith(":"):
        return None
    more = len(this.group("indent")) - len(prior.group("indent"))
    if more <= 0:
        return None
    merged = f"{rest.strip()} - {this.group('rest').strip()}"
    message = (
        f"这一项的“-”比上一项（第 {{above}} 行）多缩进了 {more} 格，YAML 会把它接在上一项后面，"
        f"合成一项“{_short(merged)}”：请让同一列表各项的“-”上下对齐"
    )
    return Slip(line, key, message, "yaml.list-indent", number)


def scan(text: str) -> list[Slip]:
    """Every slip in the YAML ``text``, at most one per line, lines of block scalars skipped."""
    slips: list[Slip] = []
    key = ""
    block: int | None = None  # the indentation a block scalar's lines are deeper than
    previous: tuple[int, str] | None = None  # the last line with content
    for number, text_line in enumerate(text.split("\n")):
        indent = len(text_line) - len(text_line.lstrip(" "))
        if block is not None:
            if not text_line.strip() or indent > block:
                continue
            block = None
        stripped = text_line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if CLEAN.match(text_line) and not SUSPECT.search(text_line):
            if indent == 0:
                key = text_line.split(":", 1)[0]
            previous = (number, text_line)
            continue  # the common line, ``key: plain value``: nothing to look at
        key = _top_key(text_line, key)
        for check in (_indent, _colon, _space, _indicator, _flow):
            if slip := check(number, text_line, key):
                slips.append(slip)
                break
        else:
            if slip := _fold(number, text_line, previous, key):
                slips.append(slip)
        found = _value_of(text_line.lstrip(" "))
        if found and BLOCK_HEADER.match(found[2].strip() or "-"):
            block = indent
        previous = (number, text_line)
    return slips


def explain(text: str, line: int) -> Slip | None:
    """Why the parser failed at ``line`` (0-based), when it is a list item out of line with the
    item above it (YAML's "expected <block end>, but found '<block sequence start>'")."""
    lines = text.split("\n")
    if not 0 <= line < len(lines) or not (this := ITEM.match(lines[line])):
        return None
    key = ""
    for text_line in lines[: line + 1]:
        key = _top_key(text_line, key)
    for number in range(line - 1, -1, -1):
        above = lines[number]
        if not above.strip() or above.strip().startswith("#"):
            continue
        if (prior := ITEM.match(above)) is None:
            indent = len(above) - len(above.lstrip(" "))
            if indent <= len(this.group("indent")):
                return None
            continue  # a line of the item above (a mapping's field)
        less = len(prior.group("indent")) - len(this.group("indent"))
        if less <= 0:
            return None
        message = (
            f"这一项的“-”比上一项（第 {{above}} 行）少缩进了 {less} 格：同一列表各项的“-”要上下对齐"
        )
        return Slip(line, key, message, "yaml.list-indent", number)
    return None
