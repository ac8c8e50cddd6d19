"""Personal data (mainland mobile numbers, resident ID numbers) is an error; public numbers are not."""

from __future__ import annotations

import pytest

from gongshi.privacy import find_personal_data, mask

from .conftest import SiteFolder

MOBILE_TAIL = "：居民个人信息不得公开，请删除（公共服务电话如 12345 不受影响）"
ID_TAIL = "：个人信息不得公开，请删除"
MOBILE = f"{MOBILE_TAIL} [privacy.mobile]"
ID_NUMBER = f"{ID_TAIL} [privacy.id-number]"


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("110105199003071234", "110***********1234"),
        ("110105900307123", "110********7123"),
    ],
)
def test_mask_keeps_only_the_first_three_and_last_four_digits(number: str, masked: str) -> None:
    assert mask(number) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话13812345678。", "138****5678"),
        ("电话 138-1234-5678", "138****5678"),
        ("电话 199 1234 5678", "199****5678"),
        ("电话 +86 139 1234 5678", "139****5678"),
        ("电话 +8613712345678", "137****5678"),
        ("电话 86-15912345678", "159****5678"),
    ],
)
def test_mobile_numbers_in_every_common_form_are_found(text: str, masked: str) -> None:
    assert list(find_personal_data(text)) == [
        ("privacy.mobile", f"发现疑似手机号码 '{masked}'{MOBILE_TAIL}")
    ]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("身份证号 110105199003071234", "110***********1234"),
        ("身份证号 11010519900307123X", "110**********7123"),
        ("身份证号 11010519900307123x。", "110**********7123"),
        ("老身份证 110105900307123", "110********7123"),
    ],
)
def test_id_numbers_of_18_and_15_digits_are_found(text: str, masked: str) -> None:
    assert list(find_personal_data(text)) == [
        ("privacy.id-number", f"发现疑似居民身份证号码 '{masked}'{ID_TAIL}")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "请拨打接诉即办热线 12345",
        "街道办电话 010-63811234",
        "报警请拨 110，火警 119，急救 120",
        "总预算 14270000 元",
        "预算 1427000000 元",
        "2025-06-20 14:30 在议事厅召开",
        "订单号 123812345678901",  # a longer run of digits is not a mobile number
        "2138123456780",
        "编号 1381234567",  # ten digits
        "110105199013071234",  # month 13: not a date of birth
    ],
)
def test_public_numbers_and_other_digits_are_not_personal_data(text: str) -> None:
    assert list(find_personal_data(text)) == []


def test_personal_data_in_front_matter_on_the_line_of_the_value(site: SiteFolder) -> None:
    path = site.meeting(
        summary="联系人电话 13812345678",
        participants="\n  - {role: residents, name: 居民代表 138-1234-5678}",
        changes="\n  - date: 2025-06-12\n    note: 身份证 110105199003071234 的居民已报名",
    )

    assert site.problems() == [
        f"{path}:11: error: summary: 发现疑似手机号码 '138****5678'{MOBILE}",
        f"{path}:13: error: participants: 发现疑似手机号码 '138****5678'{MOBILE}",
        f"{path}:16: error: changes: 发现疑似居民身份证号码 '110***********1234'{ID_NUMBER}",
    ]


def test_personal_data_in_the_body_on_its_line(site: SiteFolder) -> None:
    body = (
        "背景资料。\n"  # line 8
        "\n"
        "报名请联系 +86 139 1234 5678。\n"  # line 10
        "登记人身份证 110105900307123，\n"  # line 11
        "另一位 11010519900307123X。\n"  # line 12
    )
    path = site.project(body=body)

    assert site.problems() == [
        f"{path}:10: error: 正文: 发现疑似手机号码 '139****5678'{MOBILE}",
        f"{path}:11: error: 正文: 发现疑似居民身份证号码 '110********7123'{ID_NUMBER}",
        f"{path}:12: error: 正文: 发现疑似居民身份证号码 '110**********7123'{ID_NUMBER}",
    ]


def test_public_numbers_in_a_real_item_are_fine(site: SiteFolder) -> None:
    site.project(
        budget="14270000",
        lead="接诉即办热线 12345",
        funding="咨询 010-63811234",
        body="紧急情况请拨 110。预算 14270000 元。",
    )

    assert site.problems() == []


def test_personal_data_makes_even_a_draft_fail(site: SiteFolder) -> None:
    path = site.case(draft="true", body="联系 15912345678")

    assert site.problems() == [f"{path}:7: error: 正文: 发现疑似手机号码 '159****5678'{MOBILE}"]
