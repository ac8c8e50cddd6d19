"""Personal data that must never be published: mainland mobile numbers and resident ID numbers.

Public service numbers (12345, 110, a landline such as 010-63811234) are not personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MOBILE = re.compile(r"(?<![\d])(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![\d])")
ID_NUMBER = re.compile(
    r"(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![\dA-Za-z])"
    r"|(?<![\dA-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dA-Za-z])"
)


def mask(number: str) -> str:
    """Enough of a number to find it in the file, not enough to republish it in a log."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def find_personal_data(text: str) -> Iterator[tuple[str, str]]:
    """Each (category, message) for personal data found in ``text``."""
    for match in MOBILE.finditer(text):
        yield (
            "privacy.mobile",
            (
                f"发现疑似手机号码 '{mask(match.group(0))}'：居民个人信息不得公开，请删除"
                "（公共服务电话如 12345 不受影响）"
            ),
        )
    for match in ID_NUMBER.finditer(text):
        yield (
            "privacy.id-number",
            f"发现疑似居民身份证号码 '{mask(match.group(0))}'：个人信息不得公开，请删除",
        )
