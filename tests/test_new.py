"""``gongshi new``: for every registered type, a file that passes ``gongshi check`` at once —
on the complete test site, on the bundled content and on the newtype site's own type; asked on a
terminal, taken from options otherwise; never replacing a file."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, NEWTYPE, NEWTYPE_NOW, ROOT, newtype_model, run_cli

from gongshi.authoring import new
from gongshi.content.fields import (
    Bool,
    Code,
    Date,
    DateTime,
    Int,
    ListOf,
    Money,
    Ref,
    Text,
    field_spec,
    front_matter_fields,
)
from gongshi.content.models import ITEM_TYPES, Item

SAMPLE = {Text: "示例", DateTime: "2025-07-20 14:00", Date: "2025-07-20", Int: "1", Money: "100"}


def _options(cls: type[Item], ids: dict[str, str]) -> list[str]:
    """The options a type needs off a terminal, with a valid sample value for each, read from
    the model (``--meeting ID`` for a field that refers to a meeting)."""
    options = []
    for f in front_matter_fields(cls):
        spec = field_spec(f)
        kind = spec.kind.item if isinstance(spec.kind, ListOf) else spec.kind
        if not spec.required or f.name in new.COMMON or isinstance(kind, Code | Bool):
            continue
        if isinstance(spec.kind, ListOf) and isinstance(kind, Text):
            continue
        value = ids[kind.target] if isinstance(kind, Ref) else SAMPLE[type(kind)]
        options += [f"--{f.name}", value]
    return options


def _copy(site: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(site / "content", content)
    return content


def _first_ids(content: Path) -> dict[str, str]:
    return {
        cls.type: sorted(p.stem for p in (content / cls.folder).glob("*.md"))[0]
        for cls in ITEM_TYPES
        if (content / cls.folder).is_dir()
    }


SITES = {
    "complete": (COMPLETE / "pelicanconf.py", COMPLETE, COMPLETE_NOW, "玉泉社区"),
    "bundled": (ROOT / "pelicanconf.py", ROOT, "2026-11-30 10:00", "郭北"),
}


@pytest.mark.parametrize("site", sorted(SITES))
@pytest.mark.parametrize("item_type", ITEM_TYPES.names())
def test_new_then_check_passes_for_every_type(site: str, item_type: str, tmp_path: Path) -> None:
    settings, folder, now, place = SITES[site]
    content = _copy(folder, tmp_path)
    cls = ITEM_TYPES[item_type]
    args = ["--settings", str(settings)]
    common = ["--content", str(content), "--now", now]

    code, out, err = run_cli(
        *args, "new", item_type, *common, "--place", place, "--title", "新的一项",
        *_options(cls, _first_ids(content)),
    )  # fmt: skip

    assert code == 0, err
    written = sorted((content / cls.folder).glob("*.md"), key=lambda p: p.stat().st_mtime)[-1]
    assert f"已新建 {written}" in out
    assert "gongshi serve" in out and "gongshi check" in out
    code, _, err = run_cli(*args, "check", *common)
    assert code == 0, err
    assert "新的一项" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("item_type", "source"),
    [("outcome", "meeting"), ("case", "meeting"), ("project", "outcome"), ("case", "outcome")],
)
def test_new_starting_from_an_item_takes_its_place_title_and_date(
    item_type: str, source: str, tmp_path: Path
) -> None:
    content = _copy(COMPLETE, tmp_path)
    ids = {"meeting": "2025-05-28-yuquan-elevator", "outcome": "2025-05-28-elevator-pool"}
    args = ["--settings", str(COMPLETE / "pelicanconf.py")]
    common = ["--content", str(content), "--now", COMPLETE_NOW]

    code, out, err = run_cli(
        *args, "new", item_type, *common, f"--{source}", ids[source],
        *_options(ITEM_TYPES[item_type], {}),
    )  # fmt: skip

    assert code == 0, err
    path = Path(out.split("已新建 ", 1)[1].split("\n", 1)[0])
    text = path.read_text(encoding="utf-8")
    assert "places: yuquan\n" in text
    assert f"  # 取自 {source}s/{ids[source]}.md，请按需要修改\n" in text
    assert "\ndate: 2025-05-" in text
    if item_type == "outcome":
        assert f"meetings: [{ids[source]}]\n" in text
    if item_type == "case":
        assert f"{source}s: [{ids[source]}]\n" in text
    if item_type == "project":  # a project names no outcome: the outcome names it
        assert f"project: {path.stem}，把两者连起来" in out
    assert run_cli(*args, "check", *common)[0] == 0


def test_an_outcome_from_a_meeting_is_shaped_as_written(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)

    code, _, err = run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "new", "outcome",
        "--content", str(content), "--now", COMPLETE_NOW,
        "--meeting", "2025-06-20-yuquan-parking", "--decision", "错峰共享停车位",
    )  # fmt: skip

    assert code == 0, err
    text = (content / "outcomes" / "2025-06-20-yuquan.md").read_text(encoding="utf-8")
    head = text.split("# —— 以下是可选字段", 1)[0]
    assert head == (
        "---\n"
        "title: 玉泉社区停车难问题议事协商会  # 取自 meetings/2025-06-20-yuquan-parking.md，请按需要修改\n"
        "date: 2025-06-20\n"
        "places: yuquan\n"
        "meetings: [2025-06-20-yuquan-parking]\n"
        "decision: 错峰共享停车位\n"
        "route: onsite  # 办理途径：onsite（现场解决）、assembly（提交居民(村民)会议）、"
        "referred（向有关部门反映）、whistle（吹哨报到）、pool（纳入民心项目池）、declined（不予采纳） 之一\n"
        "status: open  # 办理状态：open（待办理）、in_progress（办理中）、done（已办结）、"
        "closed（已关闭(未解决)） 之一\n"
    )
    assert (
        "# deadline:  # 办理时限：日期，格式 YYYY-MM-DD（如 2024-03-12）；吹哨报到时必填\n" in text
    )
    assert text.endswith("写在下面一行 --- 之后。\n---\n")


def _meeting(content: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(
        "--settings", str(COMPLETE / "pelicanconf.py"), "new", "meeting",
        "--content", str(content), "--now", COMPLETE_NOW, *extra,
    )  # fmt: skip


FULL = ["--title", "电梯议事会", "--location", "议事厅", "--convener", "居委会"]


def test_a_place_by_chinese_name_and_a_date_as_people_write_it(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)

    code, _, err = _meeting(content, "--place", "玉泉", "--start", "6月25日 下午2点半", *FULL)

    assert code == 0, err
    text = (content / "meetings" / "2025-06-25-yuquan.md").read_text(encoding="utf-8")
    assert "places: yuquan\nstart: 2025-06-25 14:30\n" in text
    assert "date: 2025-06-15\n" in text  # today: the notice is published before the meeting
    assert "topics: [电梯议事会]  # 暂按标题填写，请按议程顺序列出\n" in text


@pytest.mark.parametrize(
    ("place", "message"),
    [
        ("yuqan", "错误：--place 'yuqan' 不对：找不到地点 'yuqan'（是否应为 'yuquan'？）；可用："),
        ("灵", "错误：--place '灵' 不对：找不到地点 '灵'（可能是：lingyin（灵隐街道）、"
               "lingfeng（灵峰社区）、lingshan（灵山村））；可用："),
    ],
)  # fmt: skip
def test_an_unknown_place_is_refused_with_suggestions(
    place: str, message: str, tmp_path: Path
) -> None:
    content = _copy(COMPLETE, tmp_path)
    before = sorted((content / "meetings").iterdir())

    code, _, err = _meeting(content, "--place", place, "--start", "2025-06-25 14:30", *FULL)

    assert code == 2
    assert err.startswith(message)
    assert sorted((content / "meetings").iterdir()) == before


def test_off_a_terminal_a_missing_option_is_named(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)

    code, _, err = _meeting(content, "--place", "yuquan", *FULL)

    assert code == 2
    assert err == "错误：缺少 --start（开始时间）：不在终端运行时，请用 --start 给出\n"


def test_a_bad_value_is_refused_with_the_fields_own_message(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)

    code, _, err = _meeting(content, "--place", "yuquan", "--start", "2025-06-25", *FULL)

    assert code == 2
    assert err == (
        "错误：--start '2025-06-25' 不对：应为日期时间，格式 YYYY-MM-DD HH:MM"
        "（如 2024-03-12 14:30，默认北京时间），实际为 '2025-06-25'（缺少时刻）\n"
    )


def test_a_file_is_never_replaced(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)
    start = ["--place", "yuquan", "--start", "2025-06-25 14:30", *FULL]
    first = content / "meetings" / "2025-06-25-yuquan.md"

    assert _meeting(content, *start)[0] == 0
    before = first.read_bytes()
    code, out, _ = _meeting(content, *start)  # the same day and place: the next free name
    assert code == 0 and "已新建" in out and "2025-06-25-yuquan-2.md" in out
    code, _, err = _meeting(content, *start, "--id", "2025-06-25-yuquan")

    assert code == 2
    assert err == (f"错误：{first} 已存在，不会覆盖：请换一个 --id，如 2025-06-25-yuquan-3\n")
    assert first.read_bytes() == before


def test_on_a_terminal_it_asks_in_chinese_until_an_answer_is_right(tmp_path: Path) -> None:
    content = _copy(COMPLETE, tmp_path)
    answers = iter(["玉泉社区", "", "电梯议事会", "明天", "6月25日 下午3点", "议事厅", "居委会"])
    asked: list[str] = []

    def ask(prompt: str) -> str | None:
        asked.append(prompt)
        return next(answers, None)

    args = argparse.Namespace(
        type="meeting", content=content, now=COMPLETE_NOW, place=None, title=None, date=None,
        id=None, **{f"from_{t}": None for t in ITEM_TYPES.names()},
    )  # fmt: skip
    path, _ = new.create(args, COMPLETE / "pelicanconf.py", ask)

    assert asked == [
        "地点（id 或中文名，如 yuquan 或 玉泉社区）：",
        "标题：",
        "标题：",
        "开始时间（如 2026-12-15 14:00）：",
        "开始时间（如 2026-12-15 14:00）：",
        "议事场所：",
        "召集人：",
    ]
    assert "start: 2025-06-25 15:00\n" in path.read_text(encoding="utf-8")


@pytest.fixture
def complaint() -> Iterator[type[Item]]:
    with ITEM_TYPES.registered(newtype_model()) as cls:
        yield cls


def test_a_type_of_a_sites_own_gets_new_for_free(complaint: type[Item], tmp_path: Path) -> None:
    content = _copy(NEWTYPE, tmp_path)
    args = ["--settings", str(NEWTYPE / "pelicanconf.py")]
    common = ["--content", str(content), "--now", NEWTYPE_NOW]
    meeting = _first_ids(content)["meeting"]

    code, _, err = run_cli(*args, "new", complaint.type, *common, "--place", "dongyuan",
                           "--title", "新投诉", "--detail", "夜间噪音")  # fmt: skip
    assert (code, err) == (
        2,
        "错误：缺少 --meeting（议事会）：不在终端运行时，请用 --meeting 给出\n",
    )
    code, _, err = run_cli(*args, "new", complaint.type, *common, "--meeting", meeting,
                             "--detail", "夜间噪音")  # fmt: skip

    assert code == 0, err
    assert run_cli(*args, "check", *common)[0] == 0
