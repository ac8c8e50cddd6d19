"""What a resident reads: text as a browser or a reader shows it, for the personal-data scan.

A number can hide from a plain digit search in many ways that a browser, a font or a reader's eye
undoes: HTML entities (``&#49;``), tags, comments and Markdown emphasis between digit groups,
zero-width and bidi characters, full-width, circled or mathematical digits, Chinese numerals.
:func:`reading` undoes them all, so the scan sees what a resident sees.  Its result is only ever
searched, never published, so it may over-read (decode an entity twice, drop a tag's text): a
scan that reads too much can only report too much, never let a number through.
"""

from __future__ import annotations

import html
import re
import unicodedata

COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)  # unclosed: to the end, as in HTML
# A tag as HTML reads one: a name, then a space, `/` or `>` (`<https://…>` is a Markdown autolink).
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<![A-Za-z][^<>]*>|<\?[^<>]*>")
# Markdown inline markup that renders as nothing: emphasis, code spans, strikethrough, escapes.
MARKUP = re.compile(r"[*_`~\\]+")
# Anything outside plain ASCII, common CJK text and punctuation: the only characters worth a
# closer look (invisible ones, and digits of other forms: circled, mathematical, other scripts).
COMMON = "\t\n\x20-\x7e\u00b7\u2014\u2018-\u201d\u2026\u3001-\u3006\u3008-\u3011\u4e00-\u9fff\uff01-\uff5e"
UNUSUAL = re.compile(f"[^{COMMON}]")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Co", "Cs", "Cn"})
# Letters that draw nothing (Hangul fillers, the braille blank): invisible without being Cf.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
CHINESE_DIGITS = {
    **dict.fromkeys("〇零", "0"),
    **dict.fromkeys("一幺壹", "1"),
    **dict.fromkeys("二贰貳", "2"),
    **dict.fromkeys("三叁參", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
CHINESE_NUMERAL = re.compile(f"[{''.join(CHINESE_DIGITS)}]")
# A character that may be read as one or two digits (an entity's `&`, `⑪` …); a number has 11.
MAY_BE_DIGIT = re.compile(f"[0-9&\uff10-\uff19{''.join(CHINESE_DIGITS)}]|[^{COMMON}]")
FEWEST_CHARACTERS_OF_A_NUMBER = 6
WHITESPACE = re.compile(r"\s+")
MAX_ROUNDS = 5  # `&amp;amp;#49;` needs three; more is an attacker's patience, not an editor's


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char.isspace():
        return " "
    if unicodedata.category(char) in INVISIBLE_CATEGORIES or char in BLANK_LETTERS:
        return ""
    return char


def _one_round(text: str) -> str:
    text = html.unescape(text)
    text = MARKUP.sub("", text)
    text = UNUSUAL.sub(_visible, text)
    return unicodedata.normalize("NFKC", text)


def may_hold_number(text: str) -> bool:
    """False when ``text`` cannot be read as holding 11 digits: the scan's fast path."""
    return len(MAY_BE_DIGIT.findall(text)) >= FEWEST_CHARACTERS_OF_A_NUMBER


def reading(text: str, *, markup: bool = True) -> str:
    """``text`` as a resident reads it: plain characters, ASCII digits, single spaces.

    Entities are decoded until nothing changes (``&amp;#49;`` is read as ``1``), tags and
    comments removed, Markdown's invisible markup and every invisible
    character dropped, NFKC applied (full-width ``１３８－`` is ``138-``, ``①`` is ``1``), every
    decimal digit of any script and every Chinese numeral made an ASCII digit, and every run of
    whitespace, line breaks included, made one space.

    Tags are removed once, from the text as written (``markup``): a ``<`` that an entity decodes
    to is shown as ``<``, and removing what follows it would hide the digits after it.  Text that
    is already out of its HTML (:func:`html_text`) passes ``markup=False``.
    """
    if markup:
        text = TAG.sub("", COMMENT.sub("", text))
    for _ in range(MAX_ROUNDS):
        again = _one_round(text)
        if again == text:
            break
        text = again
    text = UNUSUAL.sub(_visible, text)  # NFKC can compose characters that draw nothing
    text = NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(0))), text)
    text = CHINESE_NUMERAL.sub(lambda m: CHINESE_DIGITS[m.group(0)], text)
    return WHITESPACE.sub(" ", text)


# How tags part the text around them.  Inline tags (emphasis, links, code) part nothing:
# `138<b>1234</b>5678` is read as one number.  Block tags start a new line, read as a space (a
# number split across lines is still read).  A new table cell or list item is where a resident's
# eye stops: numbers in neighbouring cells are not read as one.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br details div figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr main nav p pre section summary".split()
)
CELL_TAGS = frozenset("caption dd dl dt li ol table tbody td tfoot th thead tr ul".split())
CELL_BREAK = " | "  # not a digit separator


def _parting(tag: str) -> str:
    return CELL_BREAK if tag in CELL_TAGS else " " if tag in BLOCK_TAGS else ""


TAG_PARTS = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
DECLARATION = re.compile(r"<![A-Za-z][^<>]*>|<\?.*?\?>|<!\[CDATA\[|\]\]>", re.DOTALL)


def html_text(markup: str) -> tuple[str, list[str]]:
    """The text an HTML (or SVG, XML) document shows, and every attribute value in it.

    Regular expressions, not a parser: the text may be any attachment, and a reader that gives
    up on malformed markup would let what follows it through unread.
    """
    attributes: list[str] = []

    def tag(match: re.Match[str]) -> str:
        for attribute in ATTRIBUTE.finditer(match.group(3)):
            value = next((v for v in attribute.groups() if v is not None), "")
            if value:
                attributes.append(html.unescape(value))
        return _parting(match.group(2).lower())

    text = TAG_PARTS.sub(tag, COMMENT.sub("", markup))
    return html.unescape(DECLARATION.sub("", text)), attributes
