"""The registry of places, ``content/places.yaml``, and its problems."""

from __future__ import annotations

import pytest

from .conftest import PLACES_YAML, SiteFolder

PLACES = "content/places.yaml"


def test_the_registry_in_file_order_with_communities_under_their_jurisdiction(
    site: SiteFolder,
) -> None:
    places = site.load().places

    assert places.ids() == ["huaxiang", "guobei", "guoyuan", "beigong", "zhangguozhuang"]
    assert places["guobei"].parent == "huaxiang"
    assert places["zhangguozhuang"].district == "丰台区"
    assert places.covered("beigong") == {"beigong", "zhangguozhuang"}


def test_missing_places_file(site: SiteFolder) -> None:
    (site.content / "places.yaml").unlink()
    path = site.case()

    assert site.problems() == [
        f"{path}:4: error: places: places.yaml 中没有地点 'guobei' [place.unknown]",
        f"{PLACES}:1: error: places.yaml: 缺少地点登记文件 places.yaml：请登记街道/镇及其社区/村 "
        "[places.missing]",
    ]


@pytest.mark.parametrize("text", ["", "# 还没有登记\n"])
def test_empty_places_file(site: SiteFolder, text: str) -> None:
    site.write("places.yaml", text)

    assert site.problems() == [
        f"{PLACES}:1: error: places.yaml: places.yaml 为空：请至少登记一个街道或镇 [places.missing]"
    ]


def test_bad_kind_of_a_jurisdiction_and_of_a_community(site: SiteFolder) -> None:
    text = PLACES_YAML.replace("kind: subdistrict", "kind: street").replace(
        "kind: village", "kind: vilage"
    )
    site.write("places.yaml", text)

    assert site.problems() == [
        f"{PLACES}:3: error: huaxiang.kind: 应为 subdistrict、town 之一，实际为 'street' [field.enum]",
        f"{PLACES}:13: error: zhangguozhuang.kind: 应为 community、village 之一，实际为 'vilage'"
        "（是否应为 'village'？） [field.enum]",
    ]


def test_duplicate_id_across_jurisdictions_and_communities(site: SiteFolder) -> None:
    site.write(
        "places.yaml",
        PLACES_YAML
        + "    guobei: {name: 郭北村, kind: village}\n"
        + "xincun:\n  name: 新村街道\n  kind: subdistrict\n  district: 丰台区\n"
        + "  communities:\n    huaxiang: {name: 花乡社区, kind: community}\n",
    )

    assert site.problems() == [
        f"{PLACES}:14: error: guobei: 地点 id 'guobei' 重复（第一次在第 6 行）；id 须在全文件唯一 "
        "[place.duplicate]",
        f"{PLACES}:20: error: huaxiang: 地点 id 'huaxiang' 重复（第一次在第 1 行）；id 须在全文件唯一 "
        "[place.duplicate]",
    ]


def test_duplicate_jurisdiction_key(site: SiteFolder) -> None:
    site.write(
        "places.yaml", PLACES_YAML + "huaxiang:\n  name: 花乡\n  kind: town\n  district: 丰台区\n"
    )

    assert site.problems() == [
        f"{PLACES}:14: error: huaxiang: 字段 'huaxiang' 重复出现（第一次在第 1 行） [field.duplicate]"
    ]


def test_unknown_field_of_a_jurisdiction_and_of_a_community(site: SiteFolder) -> None:
    text = PLACES_YAML.replace(
        "  district: 丰台区\n  communities:\n    guobei",
        "  distrct: 丰台区\n  communities:\n    guobei",
        1,
    )
    text = text.replace(
        "{name: 郭园社区, kind: community}", "{name: 郭园社区, kind: community, code: 1}"
    )
    site.write("places.yaml", text)

    assert site.problems() == [
        f"{PLACES}:1: error: huaxiang.district: 缺少必填字段 'district'（所属区县） [field.required]",
        f"{PLACES}:4: error: huaxiang.distrct: 未知字段 'distrct'（是否应为 'district'？） "
        "[field.unknown]",
        f"{PLACES}:7: error: guoyuan.code: 未知字段 'code' [field.unknown]",
    ]


def test_missing_fields_of_a_place(site: SiteFolder) -> None:
    site.write(
        "places.yaml",
        "huaxiang:\n  name: 花乡街道\n  communities:\n    guobei: {kind: community}\n",
    )

    assert site.problems() == [
        f"{PLACES}:1: error: huaxiang.district: 缺少必填字段 'district'（所属区县） [field.required]",
        f"{PLACES}:1: error: huaxiang.kind: 缺少必填字段 'kind'（类型） [field.required]",
        f"{PLACES}:4: error: guobei.name: 缺少必填字段 'name'（名称） [field.required]",
    ]


def test_bad_place_id(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("guoyuan:", "Guo_Yuan:"))

    assert site.problems() == [
        f"{PLACES}:7: error: Guo_Yuan: 地点 id 'Guo_Yuan' 只能使用小写英文字母、数字和 -（如 xinhe 或 xinhe-east） "
        "[place.id]"
    ]


NOT_A_MAPPING = "应为“字段: 值”形式的映射，实际为"


def test_the_registry_must_be_a_mapping(site: SiteFolder) -> None:
    site.write("places.yaml", "- huaxiang\n- beigong\n")

    assert site.problems() == [f"{PLACES}:1: error: places.yaml: {NOT_A_MAPPING} 列表 [field.type]"]


def test_a_jurisdiction_must_be_a_mapping(site: SiteFolder) -> None:
    site.write("places.yaml", "huaxiang: 花乡街道\n")

    assert site.problems() == [
        f"{PLACES}:1: error: huaxiang: {NOT_A_MAPPING} '花乡街道' [field.type]",
        f"{PLACES}:1: error: huaxiang.district: 缺少必填字段 'district'（所属区县） [field.required]",
        f"{PLACES}:1: error: huaxiang.kind: 缺少必填字段 'kind'（类型） [field.required]",
        f"{PLACES}:1: error: huaxiang.name: 缺少必填字段 'name'（名称） [field.required]",
    ]


def test_communities_must_be_a_mapping(site: SiteFolder) -> None:
    site.write(
        "places.yaml",
        "huaxiang:\n  name: 花乡街道\n  kind: subdistrict\n  district: 丰台区\n"
        "  communities: [guobei]\n",
    )

    assert site.problems() == [
        f"{PLACES}:5: error: huaxiang.communities: {NOT_A_MAPPING} 列表 [field.type]"
    ]


def test_yaml_syntax_error_in_places(site: SiteFolder) -> None:
    site.write("places.yaml", "huaxiang:\n  name: 花乡街道\n kind: subdistrict\n")

    assert site.problems() == [
        f"{PLACES}:3: error: YAML: YAML 语法错误：did not find expected key"
        "（常见原因：冒号后缺空格、缩进不一致、引号未闭合） [yaml.syntax]"
    ]


def test_a_control_character_in_places_is_a_problem_not_a_crash(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("name: 花乡街道", "name: 花乡\x0b街道"))

    problems = site.problems()

    assert len(problems) == 1
    assert problems[0].startswith(f"{PLACES}:2: error: ")


def test_places_file_not_utf8(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.encode("gbk"))

    assert site.problems() == [
        f"{PLACES}:2: error: 文件: 文件不是 UTF-8 编码，请用 UTF-8 另存（常见于用 GBK/GB2312 保存的文件） "
        "[file.encoding]"
    ]


CONTACT_YAML = PLACES_YAML.replace(
    "  district: 丰台区\n  communities:\n    guobei: {name: 郭北社区, kind: community}\n",
    "  district: 丰台区\n  address: 丰台区花乡路 1 号\n  phone: 010-63811234\n"
    "  hours: 周一至周五 9:00–17:00\n  communities:\n"
    "    guobei: {name: 郭北社区, kind: community, phone: 12345, hours: 工作日 8:30–17:30}\n",
    1,
)


def test_public_contact_details_of_a_jurisdiction_and_of_a_community(site: SiteFolder) -> None:
    site.write("places.yaml", CONTACT_YAML)
    places = site.load().places

    huaxiang, guobei, guoyuan = places["huaxiang"], places["guobei"], places["guoyuan"]
    assert (huaxiang.contact.address, huaxiang.contact.phone, huaxiang.contact.hours) == (
        "丰台区花乡路 1 号", "010-63811234", "周一至周五 9:00–17:00"
    )  # fmt: skip
    assert (guobei.contact.address, guobei.contact.phone, guobei.contact.hours) == (
        None, "12345", "工作日 8:30–17:30"
    )  # fmt: skip
    assert huaxiang.contact.any and guobei.contact.any and not guoyuan.contact.any


def test_a_personal_mobile_as_a_places_phone_is_refused(site: SiteFolder) -> None:
    site.write("places.yaml", CONTACT_YAML.replace("phone: 12345", "phone: 138-1234-5678"))

    (problem,) = site.problems()
    assert problem.startswith(f"{PLACES}:9: error: guobei.phone: 发现疑似手机号码 '138****5678'")
    assert problem.endswith("[privacy.mobile]")


def test_a_contact_detail_is_one_line(site: SiteFolder) -> None:
    site.write(
        "places.yaml", CONTACT_YAML.replace("hours: 工作日 8:30–17:30", 'hours: "工作日\\n周六"')
    )

    (problem,) = site.problems()
    assert problem.startswith(f"{PLACES}:9: error: guobei.hours: ")
