"""Files and folders: names, types, duplicate ids, encodings, front matter and YAML syntax."""

from __future__ import annotations

import fnmatch
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongshi.content import walk

from .conftest import SiteFolder

NOT_MARKDOWN = "不是 Markdown 文件：此目录只放 .md 文件（图片和附件请放在 content/files/）"
KNOWN = "places.yaml、files、meetings、outcomes、projects、cases"
CASE = "---\ntitle: 案例\ndate: 2025-06-14\nplaces: guobei\n---\n正文。\n"


# -- names and folders ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Guobei-Noise.md", "guobei_noise.md", "2025年6月议事会.md", "guobei--noise.md", "-a.md"],
)
def test_bad_file_name(site: SiteFolder, name: str) -> None:
    path = site.write(f"meetings/{name}", "---\ntitle: x\n---\n")

    assert site.problems() == [
        f"{path}:1: error: 文件名: 文件名 '{name}' 不合规：只能用小写英文字母、数字和 -，"
        "文件名就是网址（如 2025-06-20-parking.md） [file.name]"
    ]


@pytest.mark.parametrize("name", ["photo.jpg", "notes.txt", "guobei.MD", "guobei.markdown"])
def test_a_file_that_is_not_markdown(site: SiteFolder, name: str) -> None:
    path = site.write(f"projects/{name}", "x")

    assert site.problems() == [f"{path}:1: error: 文件: '{name}' {NOT_MARKDOWN} [file.type]"]


def test_litter_hidden_files_and_the_files_folder_are_not_content(site: SiteFolder) -> None:
    site.write("meetings/.DS_Store", b"\x00\x01")
    site.write("meetings/.2025-06-20-guobei.md.swp", b"\x00\x01")
    site.write("meetings/2025-06-20-guobei.md~", "x")
    site.write("meetings/.old/notes.txt", "x")
    site.write("files/plan.pdf", b"%PDF-1.4")
    site.write("files/.gitkeep", "")
    site.write(".editorconfig", "root = true\n")

    assert site.problems() == []


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("meeting", "（是否应为 'meetings'？）"),
        ("Cases", "（是否应为 'cases'？）"),
        ("images", ""),
        ("README.md", ""),
    ],
)
def test_unexpected_top_level_entry(site: SiteFolder, name: str, hint: str) -> None:
    if "." in name:
        site.write(name, "# 说明\n")
    else:
        site.write(f"{name}/x.md", "not read at all")

    assert site.problems() == [
        f"content/{name}:1: error: 文件: 内容目录下不应有 '{name}'{hint}；可用：{KNOWN} "
        "[file.unexpected]"
    ]


def test_missing_content_folder(site: SiteFolder) -> None:
    site.content = site.root / "nothing-here"

    assert site.problems() == [
        "nothing-here:1: error: 目录: 内容目录不存在 [file.missing]",
        "nothing-here/places.yaml:1: error: places.yaml: "
        "缺少地点登记文件 places.yaml：请登记街道/镇及其社区/村 [places.missing]",
    ]


# -- ids ------------------------------------------------------------------------------------------


def test_duplicate_id_in_subfolders_of_one_type(site: SiteFolder) -> None:
    site.write("cases/2024/parking-story.md", CASE)
    path = site.write("cases/2025/parking-story.md", CASE)

    assert site.problems() == [
        f"{path}:1: error: id: id 'parking-story' 重复：与 content/cases/2024/parking-story.md "
        "同名（同一类内容的文件名不能相同） [id.duplicate]"
    ]


def test_subfolders_are_only_for_editors_the_id_is_the_stem(site: SiteFolder) -> None:
    site.write("cases/2025/parking-story.md", CASE)

    (case,) = site.load().items("case")

    assert (case.id, case.url) == ("parking-story", "/cases/parking-story/")


def test_the_same_id_in_two_types_is_fine(site: SiteFolder) -> None:
    site.meeting("guobei-elevator")
    site.project("guobei-elevator")

    assert site.problems() == []


# -- encodings and front matter -------------------------------------------------------------------


def test_a_file_that_is_not_utf8(site: SiteFolder) -> None:
    text = "---\ntitle: 郭北社区案例\ndate: 2025-06-14\nplaces: guobei\n---\n正文。\n"
    path = site.write("cases/gbk-story.md", text.encode("gbk"))

    assert site.problems() == [
        f"{path}:2: error: 文件: 文件不是 UTF-8 编码，请用 UTF-8 另存"
        "（常见于用 GBK/GB2312 保存的文件） [file.encoding]"
    ]


def test_the_line_of_the_first_byte_that_is_not_utf8(site: SiteFolder) -> None:
    text = "---\ntitle: story\ndate: 2025-06-14\nplaces: guobei\n---\n正文。\n"
    path = site.write("cases/gbk-story.md", text.encode("gbk"))

    assert site.problems() == [
        f"{path}:6: error: 文件: 文件不是 UTF-8 编码，请用 UTF-8 另存"
        "（常见于用 GBK/GB2312 保存的文件） [file.encoding]"
    ]


def test_byte_order_mark_and_windows_line_ends_are_accepted(site: SiteFolder) -> None:
    site.write("cases/bom-story.md", "\ufeff" + CASE.replace("\n", "\r\n"))

    (case,) = site.load().items("case")

    assert case.title == "案例"


@pytest.mark.parametrize(
    ("text", "line", "message", "category"),
    [
        ("title: 案例\ndate: 2025-06-14\n", 1,
         "文件开头缺少元数据：第一行应为 ---，随后是 YAML 字段，再以 --- 结束", "frontmatter.missing"),
        ("", 1, "文件开头缺少元数据：第一行应为 ---，随后是 YAML 字段，再以 --- 结束",
         "frontmatter.missing"),
        ("---\ntitle: 案例\ndate: 2025-06-14\n\n正文。\n", 4,
         "元数据没有结束：请在这里（第 3 行的字段之后、正文之前）加一行 ---，把字段和正文分开",
         "frontmatter.unclosed"),
        ("---\ntitle: 案例\ndate: 2025-06-14\n# 地点待定\n## 背景资料\n\n- 一\n", 4,
         "元数据没有结束：请在这里（第 3 行的字段之后、正文之前）加一行 ---，把字段和正文分开",
         "frontmatter.unclosed"),
        ("---\n---\n正文。\n", 1, "元数据为空：请至少填写 title、date、places 等必填字段",
         "frontmatter.empty"),
    ],
)  # fmt: skip
def test_front_matter_missing_unclosed_or_empty(
    site: SiteFolder, text: str, line: int, message: str, category: str
) -> None:
    path = site.write("cases/story.md", text)

    assert site.problems() == [f"{path}:{line}: error: 元数据: {message} [{category}]"]


def test_front_matter_that_is_not_a_mapping(site: SiteFolder) -> None:
    path = site.write("cases/story.md", "---\n- title\n- date\n---\n")

    assert site.problems() == [
        f"{path}:1: error: date: 缺少必填字段 'date'（发布日期） [field.required]",
        f"{path}:1: error: places: 缺少必填字段 'places'（所属地点） [field.required]",
        f"{path}:1: error: title: 缺少必填字段 'title'（标题） [field.required]",
        f"{path}:2: error: 元数据: 应为“字段: 值”形式的映射，实际为 列表 [field.type]",
    ]


YAML_HINT = "（常见原因：冒号后缺空格、缩进不一致、引号未闭合）"


# The wording after "YAML 语法错误：" is libyaml's (PyYAML's wheels are built with it).
@pytest.mark.parametrize(
    ("front", "line", "what"),
    [
        ("title: 案例\ndate: 2025-06-14\nplaces: guobei\nsource: 简报: 第3期\n", 5,
         "mapping values are not allowed in this context"),
        ("title: 案例\n  date: 2025-06-14\nplaces: guobei\n", 3,
         "mapping values are not allowed in this context"),
        ("title: \"案例\" 二\ndate: 2025-06-14\nplaces: guobei\n", 2, "did not find expected key"),
    ],
)  # fmt: skip
def test_yaml_syntax_error_with_its_line(
    site: SiteFolder, front: str, line: int, what: str
) -> None:
    path = site.write("cases/story.md", f"---\n{front}---\n正文。\n")

    assert site.problems() == [
        f"{path}:{line}: error: YAML: YAML 语法错误：{what}{YAML_HINT} [yaml.syntax]"
    ]


@pytest.mark.parametrize("character", ["\x0b", "\x07", "\x00"])
def test_a_control_character_in_front_matter_is_a_problem_not_a_crash(
    site: SiteFolder, character: str
) -> None:
    # A vertical tab is what a "manual line break" pasted from a word processor becomes.
    path = site.write("cases/story.md", f"---\ntitle: 郭北{character}案例\ndate: 2025-06-14\n---\n")

    problems = site.problems()

    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2: error: ")


def test_duplicate_yaml_key(site: SiteFolder) -> None:
    path = site.write(
        "cases/story.md",
        "---\ntitle: 案例\ndate: 2025-06-14\nplaces: guobei\ntitle: 另一个标题\n---\n正文。\n",
    )

    assert site.problems() == [
        f"{path}:5: error: title: 字段 'title' 重复出现（第一次在第 2 行） [field.duplicate]"
    ]


# -- symbolic links, hidden files, special files --------------------------------------------------

LINK = (
    "是符号链接（快捷方式）：内容目录中不能有符号链接，网站不会读取或发布它指向的文件。"
    "请把真正的文件或文件夹放在这里，或删除这个链接 [file.symlink]"
)


def test_every_symbolic_link_is_refused_and_none_is_followed(site: SiteFolder) -> None:
    outside = site.root / "outside"
    outside.mkdir()
    (outside / "story.md").write_text(CASE, encoding="utf-8")
    (outside / "secret.txt").write_text("密码", encoding="utf-8")
    site.write("cases/own-story.md", CASE)
    (site.content / "cases/linked-story.md").symlink_to(outside / "story.md")
    (site.content / "cases/2025").mkdir()
    (site.content / "cases/2025/folder").symlink_to(outside)
    (site.content / "cases/gone.md").symlink_to(site.root / "nothing-there.md")
    (site.content / "outcomes").symlink_to(outside)
    site.write("files/plan.pdf", b"%PDF-1.4")
    (site.content / "files/secret.txt").symlink_to(outside / "secret.txt")

    problems = site.problems()

    assert problems == [
        f"content/cases/2025/folder:1: error: 文件: 'folder' {LINK}",
        f"content/cases/gone.md:1: error: 文件: 'gone.md' {LINK}",
        f"content/cases/linked-story.md:1: error: 文件: 'linked-story.md' {LINK}",
        f"content/files/secret.txt:1: error: 文件: 'secret.txt' {LINK}",
        f"content/outcomes:1: error: 文件: 'outcomes' {LINK}",
    ]


def test_a_linked_places_file_is_refused_and_not_read(site: SiteFolder) -> None:
    (site.root / "places.yaml").write_text("x: [", encoding="utf-8")  # never parsed
    (site.content / "places.yaml").unlink()
    (site.content / "places.yaml").symlink_to(site.root / "places.yaml")

    assert site.problems() == [f"content/places.yaml:1: error: 文件: 'places.yaml' {LINK}"]


def test_the_content_folder_itself_may_be_a_link(site: SiteFolder) -> None:
    site.case()
    (site.root / "linked").symlink_to(site.content)
    site.content = site.root / "linked"

    assert [case.id for case in site.load().items("case")] == ["guobei-parking-story"]


HIDDEN = "网站不会发布它。"


def test_a_hidden_markdown_file_is_reported_not_skipped(site: SiteFolder) -> None:
    site.write("meetings/.2027-01-12-guobei.md", "---\ntitle: x\n---\n")
    site.write("meetings/.old/Draft_1.md", "x")
    site.write("meetings/.old/notes.txt", "x")
    site.write("cases/.MD", "x")

    assert site.problems() == [
        "content/cases/.MD:1: error: 文件: '.MD' 是隐藏文件（名称以 . 开头），"
        f"{HIDDEN}要发布，请去掉开头的 .（改名为 'MD'）；不需要的话请删除 [file.hidden]",
        "content/meetings/.2027-01-12-guobei.md:1: error: 文件: '.2027-01-12-guobei.md' 是隐藏文件"
        f"（名称以 . 开头），{HIDDEN}要发布，请去掉开头的 .（改名为 '2027-01-12-guobei.md'）；"
        "不需要的话请删除 [file.hidden]",
        "content/meetings/.old/Draft_1.md:1: error: 文件: 'Draft_1.md' 在隐藏文件夹 '.old' 中"
        f"（名称以 . 开头），{HIDDEN}要发布，请把它移出该文件夹，或给文件夹改名、去掉开头的 .；"
        "不需要的话请删除 [file.hidden]",
    ]


def test_hidden_files_in_the_files_folder_are_reported_each_hidden_folder_once(
    site: SiteFolder,
) -> None:
    site.write("files/.env", "SECRET=1")
    site.write("files/2025/.htaccess", "x")
    site.write("files/.git/config", "x")
    site.write("files/.git/objects/ab/cd", "x")
    site.write("files/.DS_Store", b"\x00")
    site.write("files/.~lock.plan.docx#", "x")
    site.write("files/plan.docx~", "x")

    assert site.problems() == [
        "content/files/.env:1: error: 文件: '.env' 是隐藏文件（名称以 . 开头），"
        f"{HIDDEN}要发布，请去掉开头的 .（改名为 'env'）；不需要的话请删除 [file.hidden]",
        "content/files/.git/config:1: error: 文件: 'config' 在隐藏文件夹 '.git' 中（名称以 . 开头），"
        f"{HIDDEN}要发布，请把它移出该文件夹，或给文件夹改名、去掉开头的 .；不需要的话请删除 [file.hidden]",
        "content/files/2025/.htaccess:1: error: 文件: '.htaccess' 是隐藏文件（名称以 . 开头），"
        f"{HIDDEN}要发布，请去掉开头的 .（改名为 'htaccess'）；不需要的话请删除 [file.hidden]",
    ]


def test_a_file_that_is_not_a_plain_file_is_refused_not_read(site: SiteFolder) -> None:
    (site.content / "cases").mkdir()
    os.mkfifo(site.content / "cases/pipe.md")  # reading it would wait for ever

    assert site.problems() == [
        "content/cases/pipe.md:1: error: 文件: 'pipe.md' 不是普通文件（可能是管道、设备或套接字），"
        "请删除 [file.type]"
    ]


def test_a_typed_folder_that_is_a_file(site: SiteFolder) -> None:
    site.write("cases", CASE)

    assert site.problems() == [
        "content/cases:1: error: 文件: 'cases' 应为文件夹，实际是一个文件：请删除或改名 [file.type]"
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(".~#_-abcDSwpx*?[]lockgt的"), min_size=1, max_size=14)
    | st.sampled_from([".DS_Store", "._a", ".a.swp", ".#x", ".~lock.a#", "a~", ".gitkeep"])
)
def test_litter_is_what_its_patterns_match(name: str) -> None:
    """Litter is matched by one regular expression made of the patterns (12 of them were
    matched one by one for each of 10,000 files): it says what matching each says."""
    assert walk.is_litter(name) == any(fnmatch.fnmatchcase(name, p) for p in walk.LITTER)
