"""Personal data that must never be published: mainland mobile numbers and resident ID numbers.

Numbers are looked for in what a resident reads (:func:`gongshi.content.reading.reading`), with any of a
few separator characters between any two digits (``138 1234 5678``, ``138-1234-5678``,
``1 3 8 …``, an ID number in groups), a mobile number with or without ``+86``/``0086``/``(86)``.
A number is whole: it starts and ends where no digit touches it (``2138123456780`` is not a
mobile number; ``2025 13812345678`` holds one).

Not personal data: public service numbers (12345, 110, a landline such as 010-63811234), amounts
(a number directly after ¥/RMB/人民币 or before 元/万元/亿…), dates and times.  An ID number is one
only with a real province code and a real date of birth; its check digit is *not* required, since
an ID number with a typo still identifies a resident.

Messages never repeat a number in full (see :func:`mask`): a CI log is as public as the site.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import ConfigError
from .reading import may_hold_number, reading

# What may stand between two digits of one number, after reading(): space (every whitespace is
# one space by then), hyphens and dashes of every width, dots (the Chinese IME types 。 for .),
# underscores, and the brackets some write around the first group: (138)1234-5678.
SEPARATORS = " -.·・—–‐‒―−ー。•∙⋅‧_()"
GAP = f"[{re.escape(SEPARATORS)}]{{0,3}}"


def _run(count: int, last: str = "[0-9]") -> str:
    """``count`` characters of one number, any GAP between two of them."""
    return f"[0-9](?:{GAP}[0-9]){{{count - 2}}}{GAP}{last}"


# Every candidate, overlapping ones included (a lookahead match consumes nothing), so that a
# shape that fails the checks below never hides a real number that starts inside it.
MOBILE = re.compile(
    rf"(?<![0-9])(?=((?:(?:\+|00){GAP}86{GAP}|\({GAP}\+?{GAP}86{GAP}\){GAP}|86{GAP})?"
    rf"(1{GAP}[3-9](?:{GAP}[0-9]){{9}}))(?![0-9]))"
)
ID_18 = re.compile(rf"(?<![0-9])(?=({_run(18, '[0-9Xx]')})(?![0-9]))")
ID_15 = re.compile(rf"(?<![0-9])(?=({_run(15)})(?![0-9]))")
RUN = re.compile(rf"[0-9](?:{GAP}[0-9]){{10}}")  # the fewest digits of any number: 11
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
# A number written as an amount: after a currency, or before a unit of money.
CURRENCY_BEFORE = re.compile(r"(?:[¥$€£]|RMB|CNY|USD|人民币|美元|港币)\s?$", re.IGNORECASE)
UNIT_AFTER = re.compile(
    r"(?:[.,][0-9]+)?\s?(?:元(?![旦宵])|圆|块|角|美元|港元|港币|欧元|[万亿](?:元|余|多|$|[^\u4e00-\u9fff]))",
)
# A date inside the digits (2025-06-13 18…): the groups are a date, not a phone number.
DATE_INSIDE = re.compile(
    r"(?:19|20)[0-9]{2}\s?[-./年]\s?(?:0?[1-9]|1[0-2])\s?[-./月]\s?(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
)
NOT_ID_CHARACTER = re.compile(r"[^0-9X]")


@dataclass(frozen=True)
class Finding:
    """One personal number in a text: what it is, its digits, where it is in the text read."""

    kind: str  # "mobile" or "id-number"
    number: str  # its digits only (an ID number's final X upper-case), without +86
    start: int
    end: int

    @property
    def category(self) -> str:
        return f"privacy.{self.kind}"

    @property
    def what(self) -> str:
        name = "手机号码" if self.kind == "mobile" else "居民身份证号码"
        return f"发现疑似{name} '{mask(self.number)}'"

    @property
    def message(self) -> str:
        if self.kind == "mobile":
            return f"{self.what}：居民个人信息不得公开，请删除（公共服务电话如 12345 不受影响）"
        return f"{self.what}：个人信息不得公开，请删除"

    def in_url(self, what: str) -> str:
        """The message for a number in ``what`` (a file name, a place id): part of a URL."""
        space = " " if what[-1].isascii() else ""  # 地点 id 会成为, 文件名会成为
        return f"{self.what}：{what}{space}会成为公开的网址，个人信息不得公开，请改名"


def mask(number: str) -> str:
    """Enough of a number to find it in the file, not enough to republish it in a log."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _birth_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _id_number(number: str) -> bool:
    """A real province and a real date of birth: the shape of an ID number, check digit aside."""
    if number[:2] not in PROVINCES:
        return False
    if len(number) == 18:
        year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
        return 1800 <= year <= 2099 and _birth_date(year, month, day)
    return _birth_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def _amount(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 8) : start]
    return bool(CURRENCY_BEFORE.search(before) or UNIT_AFTER.match(text, end))


class _Taken:
    """Spans already found, so that one number is never also read as another inside it."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []  # sorted, never overlapping

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._spans, (start, end))
        before = self._spans[i - 1] if i else None
        after = self._spans[i] if i < len(self._spans) else None
        return (before is None or before[1] <= start) and (after is None or end <= after[0])

    def take(self, start: int, end: int) -> None:
        bisect.insort(self._spans, (start, end))


def detect(text: str) -> list[Finding]:
    """Every personal number in ``text`` as it is read (see :func:`gongshi.content.reading.reading`)."""
    found: list[Finding] = []
    if not RUN.search(text):
        return found
    taken = _Taken()
    for pattern in (ID_18, ID_15):
        for match in pattern.finditer(text):
            start, shape = match.start(), match.group(1)
            end = start + len(shape)
            number = NOT_ID_CHARACTER.sub("", shape.upper())
            if _id_number(number) and taken.free(start, end):
                taken.take(start, end)
                found.append(Finding("id-number", number, start, end))
    for match in MOBILE.finditer(text):
        start, shape = match.start(), match.group(1)
        end = start + len(shape)
        if DATE_INSIDE.search(shape) or _amount(text, start, end) or not taken.free(start, end):
            continue
        taken.take(start, end)
        found.append(Finding("mobile", re.sub(r"[^0-9]", "", match.group(2)), start, end))
    return sorted(found, key=lambda f: f.start)


def scan(text: str, *, markup: bool = True) -> list[Finding]:
    """Every personal number a resident reads in ``text`` (``markup``: it may hold HTML tags)."""
    if not may_hold_number(text):
        return []
    return detect(reading(text, markup=markup))


def find_personal_data(text: str) -> Iterator[tuple[str, str]]:
    """Each (category, message) for personal data found in ``text``."""
    for finding in scan(text):
        yield finding.category, finding.message


def redact(text: str) -> str:
    """``text`` as read, each personal number masked: safe to print in a message."""
    read = reading(text)
    found = detect(read)
    if not found:
        return text
    for finding in reversed(found):
        read = read[: finding.start] + mask(finding.number) + read[finding.end :]
    return read


def _line_of(lines: Sequence[tuple[int, str]], number: str) -> int | None:
    """The line where ``number``'s first digit is, following its digits across line breaks.

    Lines are read with their tags kept, so a number in an attribute is found on its line.
    """
    digits = number.rstrip("X")
    stream = ""
    starts: list[tuple[int, int]] = []  # (offset in stream, line)
    for line, text in lines:
        starts.append((len(stream), line))
        stream += re.sub(r"[^0-9]", "", reading(text, markup=False))
    at = stream.find(digits)
    if at < 0:
        return None
    return next(line for offset, line in reversed(starts) if offset <= at)


def scan_lines(
    lines: Sequence[tuple[int, str]], wholes: Iterable[str] = (), *, fallback: int
) -> Iterator[tuple[int, Finding]]:
    """(line, finding) for each personal number in numbered ``lines`` (text with markup).

    Each line is read on its own first.  Then each of ``wholes`` — the same text read as one
    (a rendered body, its attribute values), already out of its markup — is a safety net for a
    number split across lines or by markup: one not already found is reported on the line where
    its digits start, else on ``fallback``.
    """
    reported: set[str] = set()
    for line, text in lines:
        for finding in scan(text):
            reported.add(finding.number)
            yield line, finding
    for whole in wholes:
        for finding in scan(whole, markup=False):
            if finding.number not in reported:
                reported.add(finding.number)
                yield _line_of(lines, finding.number) or fallback, finding


# Settings whose text appears on every page (the footer, the title, the about page).
PUBLISHED_SETTINGS = (
    "SITENAME",
    "SITEURL",
    "GONGSHI_PUBLISHER",
    "GONGSHI_CONTACT",
    "GONGSHI_SAMPLE_NOTICE",
)


def _published_settings(settings: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key in PUBLISHED_SETTINGS:
        if settings.get(key) is not None:
            yield key, str(settings[key])
    codes = settings.get("GONGSHI_CODES")
    if isinstance(codes, Mapping):
        for list_name, labels in codes.items():
            if isinstance(labels, Mapping):
                for code, label in labels.items():
                    where = f"GONGSHI_CODES['{redact(str(list_name))}']['{redact(str(code))}']"
                    yield where, str(code)
                    yield where, str(label)


def check_settings(settings: Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` if a setting shown on the site's pages holds personal data."""
    for key, text in _published_settings(settings):
        for finding in scan(text):
            raise ConfigError(f"{key}: {finding.message}（此设置会显示在网站的页面上）")
