"""Characters and lines of text: control characters, line breaks in one-line fields, direction
marks, and invisible characters in ids, codes and references — each named in its message.

Baseline line numbers are those of tests/unit/conftest.py.
"""

from __future__ import annotations

import re

import pytest

from gongshi.content.characters import quoted, text_problem

from .conftest import PLACES_YAML, SiteFolder

PASTED = "（常见于从 Word、网页或聊天软件复制粘贴的内容）"
ONE_LINE = (
    "只能写一行，实际为 2 行：请合并为一行"
    "（多行写法 | 和引号中的 \\n 都会换行；需要分段的内容请写在正文里） [text.newline]"
)


def _key(field: str) -> str:
    """The front-matter key of a field path (``participants[1].name`` → ``participants``)."""
    return re.split(r"[\[.]", field, maxsplit=1)[0]


# -- control characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\x07", "U+0007（响铃符）"),
        ("\x00", "U+0000（空字符）"),
        ("\x0c", "U+000C（换页符）"),
        ("\x1b", "U+001B（转义符）"),
        ("\x85", "U+0085（下一行符）"),
        ("\x9f", "U+009F（控制字符）"),
        ("\ufffe", "U+FFFE（非字符）"),
        ("\uffff", "U+FFFF（非字符）"),
    ],
)
def test_a_control_character_in_the_body_is_named_with_its_line(
    site: SiteFolder, character: str, named: str
) -> None:
    path = site.case(body=f"第一段。\n\n第二{character}段。")

    assert site.problems() == [
        f"{path}:8: error: 正文: 含有控制字符 {named}，请删除{PASTED} [text.control]"
    ]


def test_tabs_and_line_breaks_in_the_body_are_text(site: SiteFolder) -> None:
    site.case(body="表格：\n\n名称\t数量\n\n\u2028结束。")

    assert site.problems() == []


def test_a_control_character_written_as_a_character_reference_in_the_body(
    site: SiteFolder,
) -> None:
    path = site.case(body="正文。\n\n响铃&#7;与 &#x1B; 和 <span title='&#65534;'>x</span>")

    assert site.problems() == [
        f"{path}:8: error: 正文: 字符引用 &#7;、&#x1B;、&#65534; 表示控制字符 "
        "U+0007（响铃符）、U+001B（转义符）、U+FFFE（非字符），请删除 [text.control]"
    ]


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\x0b", "U+000B（垂直制表符，常见于 Word 的手动换行）"),
        ("\x07", "U+0007（响铃符）"),
        ("\x85", "U+0085（下一行符）"),
        ("\u2028", "U+2028（行分隔符）"),
    ],
)
def test_a_raw_control_character_in_front_matter_names_the_field(
    site: SiteFolder, character: str, named: str
) -> None:
    path = site.meeting(topics=f"\n  - 停车位{character}划线\n  - 充电桩")

    assert site.problems() == [
        f"{path}:10: error: topics: 含有控制字符 {named}，请删除{PASTED} [text.control]"
    ]


@pytest.mark.parametrize(
    ("item_type", "field", "written", "line", "named"),
    [
        ("meeting", "title", r'"郭北\a社区"', 2, "U+0007（响铃符）"),
        ("meeting", "location", r'"郭北\0议事厅"', 7, "U+0000（空字符）"),
        ("meeting", "topics[2]", r'[停车, "充电\e桩"]', 9, "U+001B（转义符）"),
        ("case", "summary", r'"摘\x0c要"', 5, "U+000C（换页符）"),
        ("case", "tags[1]", r'["\uFFFE"]', 5, "U+FFFE（非字符）"),
        ("outcome", "decision", '"同\\x85意"', 5, "U+0085（下一行符）"),
        ("outcome", "changes[1].note", r'[{date: 2025-06-13, note: "改\b期"}]', 8,
         "U+0008（退格符）"),
    ],
)  # fmt: skip
def test_a_control_character_written_as_a_yaml_escape_names_the_field(
    site: SiteFolder, item_type: str, field: str, written: str, line: int, named: str
) -> None:
    path = site.change(item_type, **{_key(field): written})

    assert site.problems() == [
        f"{path}:{line}: error: {field}: 含有控制字符 {named}，请删除{PASTED} [text.control]"
    ]


def test_a_control_character_in_a_place_name(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("{name: 郭园社区,", '{name: "郭园\\a社区",'))
    site.meeting()

    assert site.problems() == [
        "content/places.yaml:7: error: guoyuan.name: 含有控制字符 U+0007（响铃符），"
        f"请删除{PASTED} [text.control]"
    ]


def test_a_raw_control_character_in_places_yaml(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("name: 北宫镇", "name: 北宫\x0b镇"))
    site.meeting()

    assert (
        "content/places.yaml:9: error: beigong: 含有控制字符 "
        f"U+000B（垂直制表符，常见于 Word 的手动换行），请删除{PASTED} [text.control]"
    ) in site.problems()


# -- one line or several --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_type", "field", "written", "line"),
    [
        ("meeting", "title", "|\n  郭北社区\n  停车议事会", 2),
        ("meeting", "location", '"郭北社区\\n议事厅"', 7),
        ("meeting", "convener", "|-\n  郭北社区\n  居委会", 8),
        ("meeting", "topics[1]", '["停车位\\n划线"]', 9),
        ("meeting", "participants[1].name", '[{role: owners, name: "业委会\\n一"}]', 11),
        ("meeting", "host", '"社区\\u2028书记"', 11),
        ("case", "tags[1]", '["停\\n车", 充电]', 5),
        ("case", "source", '"简报\\r第3期"', 5),
        ("project", "lead", "|\n  街道\n  城管科", 7),
        ("project", "funding", '"财政\\n拨款"', 7),
    ],
)
def test_a_line_break_in_a_one_line_field(
    site: SiteFolder, item_type: str, field: str, written: str, line: int
) -> None:
    path = site.change(item_type, **{_key(field): written})

    problems = site.problems()

    if "\\r" in written:  # a carriage return is a control character, before it is a line break
        assert problems == [
            f"{path}:{line}: error: {field}: 含有控制字符 U+000D（回车符），请删除{PASTED} "
            "[text.control]"
        ]
    else:
        assert problems == [f"{path}:{line}: error: {field}: {ONE_LINE}"]


def test_a_line_break_in_a_place_name(site: SiteFolder) -> None:
    site.write(
        "places.yaml", PLACES_YAML.replace("district: 丰台区", "district: |\n    丰台\n    区", 1)
    )
    site.meeting()

    assert site.problems() == [f"content/places.yaml:4: error: huaxiang.district: {ONE_LINE}"]


def test_prose_fields_may_span_lines_and_a_folded_title_is_one_line(site: SiteFolder) -> None:
    site.meeting(
        title=">\n  郭北社区\n  停车议事会",
        summary="|\n  第一行\n  第二行",
        attend='{how: "到居委会登记\\n或电话报名"}',
        changes='[{date: 2025-06-11, note: "改期\\n到下周"}]',
    )
    site.outcome(route="declined", reason="|\n  理由一\n  理由二", feedback='"已反馈\\n居民"')
    site.project(milestones='[{date: 2025-04-25, text: "立项\\n设计"}]', decision=None)
    site.case(summary="|\n  一\n\n  二")

    index = site.load()

    assert index.items("meeting")[0].title == "郭北社区 停车议事会"
    assert index.items("meeting")[0].summary == "第一行\n第二行"


@pytest.mark.parametrize(
    ("written", "named"),
    [
        ('"\\u202E反向标题"', "U+202E（从右至左强制）"),
        ('"标题\\u2066x\\u2069"', "U+2066（从左至右隔离）、U+2069（文字方向隔离结束）"),
        ('"标题\\u200F"', "U+200F（从右至左标记）"),
    ],
)
def test_direction_marks_in_a_one_line_field(site: SiteFolder, written: str, named: str) -> None:
    path = site.meeting(title=written)

    assert site.problems() == [
        f"{path}:2: error: title: 含有文字方向控制字符 {named}：它会让网页、订阅和日历中的"
        "文字顺序颠倒，请删除 [text.bidi]"
    ]


def test_a_tab_in_a_one_line_field(site: SiteFolder) -> None:
    path = site.meeting(location='"郭北\\t议事厅"')

    assert site.problems() == [
        f"{path}:7: error: location: 含有制表符 U+0009（制表符），请删除或换成空格 [text.control]"
    ]


def test_what_a_multiline_field_accepts() -> None:
    assert text_problem("一\n\t二\u202e", multiline=True) is None
    assert text_problem("一\x07", multiline=True) == (
        f"含有控制字符 U+0007（响铃符），请删除{PASTED}",
        "text.control",
    )


# -- invisible characters in ids, codes and references --------------------------------------------


def test_quoted_names_the_invisible_characters_and_prints_none_of_them() -> None:
    assert quoted("held") == "'held'"
    assert quoted("he\u200bld\x1b") == (
        "'held'（含有不可见字符 U+200B（零宽空格）、U+001B（转义符），请删除）"
    )
    assert quoted("郭北\u3000社区\xa0") == (
        "'郭北社区'（含有不可见字符 U+3000（全角空格）、U+00A0（不换行空格），请删除）"
    )


@pytest.mark.parametrize(
    ("item_type", "changes", "expected"),
    [
        ("meeting", {"status": '"held\\u200B"'},
         "10: error: status: 应为 scheduled、held、postponed、cancelled 之一，实际为 'held'"
         "（含有不可见字符 U+200B（零宽空格），请删除） [field.enum]"),
        ("meeting", {"places": '"guobei\\uFEFF"'},
         "4: error: places: 应为 place 的 id（小写字母、数字和 -），实际为 'guobei'"
         "（含有不可见字符 U+FEFF（零宽不换行空格（BOM）），请删除） [field.type]"),
        ("outcome", {"meetings": '["2025-06-20-guobei-parking\\u200D"]'},
         "8: error: meetings[1]: 应为 meeting 的 id（小写字母、数字和 -），实际为 "
         "'2025-06-20-guobei-parking'（含有不可见字符 U+200D（零宽连接符），请删除） [field.type]"),
        ("outcome", {"project": '"guobei\\u00A0elevator"'},
         "8: error: project: 应为 project 的 id（小写字母、数字和 -），实际为 'guobeielevator'"
         "（含有不可见字符 U+00A0（不换行空格），请删除） [field.type]"),
        ("project", {"progress": '"40\\u2060"'},
         "6: error: progress: 应为0 到 100 的整数，实际为 '40'（含有不可见字符 "
         "U+2060（零宽不换行符），请删除） [field.type]"),
        ("case", {"date": '"2025-06-14\\u200E"'},
         "3: error: date: 应为日期（YYYY-MM-DD）或日期时间（YYYY-MM-DD HH:MM），实际为 "
         "'2025-06-14'（含有不可见字符 U+200E（从左至右标记），请删除） [field.date]"),
        ("case", {"draft": '"true\\u200B"'},
         "5: error: draft: 应为 true 或 false，实际为 'true'（含有不可见字符 U+200B（零宽空格），"
         "请删除） [field.type]"),
        ("case", {"title\u200b": "标题"},
         "5: error: title: 未知字段 'title'（含有不可见字符 U+200B（零宽空格），请删除） "
         "[field.unknown]"),
    ],
)  # fmt: skip
def test_an_invisible_character_in_an_id_code_or_reference_is_named(
    site: SiteFolder, item_type: str, changes: dict[str, str], expected: str
) -> None:
    path = site.change(item_type, **changes)

    assert f"{path}:{expected}" in site.problems()


def test_an_invisible_character_in_a_file_name(site: SiteFolder) -> None:
    path = site.case("guobei\u200b-story")

    assert site.problems() == [
        f"{path}:1: error: 文件名: 文件名 'guobei-story.md'（含有不可见字符 U+200B（零宽空格），"
        "请删除） 不合规：只能用小写英文字母、数字和 -，文件名就是网址（如 2025-06-20-parking.md）"
        " [file.name]"
    ]


def test_an_invisible_character_in_a_place_id(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("guoyuan:", '"guoyuan\\u200b":'))
    site.meeting()

    assert site.problems() == [
        "content/places.yaml:7: error: guoyuan: 地点 id 'guoyuan'（含有不可见字符 "
        "U+200B（零宽空格），请删除） 只能使用小写英文字母、数字和 -（如 xinhe 或 xinhe-east）"
        " [place.id]"
    ]


def test_an_id_with_a_trailing_line_break_is_not_an_id(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("guoyuan:", '"guoyuan\\n":'))
    site.meeting()

    assert site.problems() == [
        "content/places.yaml:7: error: guoyuan: 地点 id 'guoyuan'（含有不可见字符 "
        "U+000A（换行符），请删除） 只能使用小写英文字母、数字和 -（如 xinhe 或 xinhe-east）"
        " [place.id]"
    ]
