"""Characters nobody types on purpose: naming them in messages, refusing those that break output.

Text pasted from Word, a web page or a chat app carries characters an editor cannot see: control
characters (Word's "manual line break" is U+000B), zero-width spaces, marks that reverse the
direction of text.  XML (feeds, the sitemap) and iCalendar refuse control characters, so left in
they crash the build; in an id or a code they make a value that looks right wrong.  This module is
the one place that knows their names, so that every message can say which character to delete.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# Never text: C0 controls but tab and line feed, DEL, C1 controls, surrogates, U+FFFE and U+FFFF.
# XML 1.0 refuses most of them; the C1 controls it allows are invisible junk all the same.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# YAML also breaks lines at U+2028 and U+2029, so in front matter they are refused as well.
NOT_IN_YAML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
# Marks that reorder the text around them: a title or a place name can be made to read backwards.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LINE_BREAK = re.compile("[\n\u2028\u2029]")

NAMES: dict[str, str] = {
    "\x00": "空字符",
    "\x07": "响铃符",
    "\x08": "退格符",
    "\t": "制表符",
    "\n": "换行符",
    "\x0b": "垂直制表符，常见于 Word 的手动换行",
    "\x0c": "换页符",
    "\r": "回车符",
    "\x1b": "转义符",
    "\x7f": "删除符",
    "\x85": "下一行符",
    "\xa0": "不换行空格",
    "\xad": "软连字符",
    "\u034f": "组合用字形连接符",
    "\u061c": "阿拉伯文字方向标记",
    "\u115f": "韩文填充符",
    "\u1160": "韩文填充符",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u200e": "从左至右标记",
    "\u200f": "从右至左标记",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
    "\u202a": "从左至右嵌入",
    "\u202b": "从右至左嵌入",
    "\u202c": "文字方向格式结束",
    "\u202d": "从左至右强制",
    "\u202e": "从右至左强制",
    "\u2060": "零宽不换行符",
    "\u2066": "从左至右隔离",
    "\u2067": "从右至左隔离",
    "\u2068": "首字方向隔离",
    "\u2069": "文字方向隔离结束",
    "\u3000": "全角空格",
    "\u3164": "韩文填充符",
    "\ufeff": "零宽不换行空格（BOM）",
    "\uffa0": "半角韩文填充符",
    "\ufffe": "非字符",
    "\uffff": "非字符",
}
# What a character of each Unicode category is called when it has no name above.
CATEGORY_NAMES = {
    "Cc": "控制字符",
    "Cf": "格式控制字符",
    "Zs": "特殊空格",
    "Zl": "行分隔符",
    "Zp": "段分隔符",
    "Cs": "代理字符",
    "Cn": "非字符",
}


def is_invisible(char: str) -> bool:
    """Whether ``char`` shows as nothing (or as a plain space) where an editor reads the value."""
    return char in NAMES or (char != " " and unicodedata.category(char) in CATEGORY_NAMES)


def name(char: str) -> str:
    """``U+200B（零宽空格）``: the code point, which an editor can search for, and what it is."""
    what = NAMES.get(char) or CATEGORY_NAMES.get(unicodedata.category(char), "不可见字符")
    return f"U+{ord(char):04X}（{what}）"


def names(chars: Iterable[str]) -> str:
    """Each distinct character of ``chars`` named, in order of first appearance."""
    return "、".join(name(char) for char in dict.fromkeys(chars))


def invisible(value: str) -> list[str]:
    return [char for char in value if is_invisible(char)]


def visible(value: str) -> str:
    """``value`` without its invisible characters: safe to print in a terminal, and what the
    editor sees."""
    return "".join(char for char in value if not is_invisible(char))


def quoted(value: str) -> str:
    """A value as a message quotes it (``实际为 'held'``), naming its invisible characters.

    Printed as they are, invisible characters would leave the editor looking at a value that seems
    right (``'held'``) and control characters would act on the terminal; so they are taken out of
    the quotes and named after them.
    """
    hidden = invisible(value)
    if not hidden:
        return f"'{value}'"
    return f"'{visible(value)}'（含有不可见字符 {names(hidden)}，请删除）"


def control_message(chars: Iterable[str]) -> str:
    return f"含有控制字符 {names(chars)}，请删除（常见于从 Word、网页或聊天软件复制粘贴的内容）"


def text_problem(value: str, *, multiline: bool) -> tuple[str, str] | None:
    """What is wrong with the characters of a text value, as (message, category), or None.

    Every text value refuses control characters; a one-line value (a title, a place, a topic:
    what goes into page titles, calendar fields, feed titles and CSV cells) also refuses line
    breaks, tabs and direction marks.
    """
    if found := CONTROL.findall(value):
        return control_message(found), "text.control"
    if multiline:
        return None
    if LINE_BREAK.search(value):
        lines = len(LINE_BREAK.split(value))
        message = (
            f"只能写一行，实际为 {lines} 行：请合并为一行"
            "（多行写法 | 和引号中的 \\n 都会换行；需要分段的内容请写在正文里）"
        )
        return message, "text.newline"
    if "\t" in value:
        return "含有制表符 U+0009（制表符），请删除或换成空格", "text.control"
    if found := BIDI.findall(value):
        message = (
            f"含有文字方向控制字符 {names(found)}：它会让网页、订阅和日历中的文字顺序颠倒，请删除"
        )
        return message, "text.bidi"
    return None


def line_problems(text: str, first_line: int, bad: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(line number, message) for every line of ``text`` that has a character ``bad`` matches."""
    for number, line in enumerate(text.split("\n"), start=first_line):
        if found := bad.findall(line):
            yield number, control_message(found)


# A numeric character reference (``&#7;``, ``&#x1b;``): HTML turns it into the character itself.
CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}));?")


def _referenced_controls(line: str) -> list[tuple[str, str]]:
    """(reference as written, character) for each reference in ``line`` to a control character."""
    found = []
    for match in CHAR_REF.finditer(line):
        hex_digits, digits = match.groups()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        if code <= 0x10FFFF and CONTROL.match(chr(code)):
            found.append((match.group(0), chr(code)))
    return found


def body_problems(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(line number, message) for every line of a Markdown body with a control character, written
    as it is or as a character reference (the rendered page would hold the character itself)."""
    yield from line_problems(body, first_line, CONTROL)
    for number, line in enumerate(body.split("\n"), start=first_line):
        if refs := _referenced_controls(line):
            written = "、".join(dict.fromkeys(ref for ref, _ in refs))
            chars = names(char for _, char in refs)
            yield number, f"字符引用 {written} 表示控制字符 {chars}，请删除"
