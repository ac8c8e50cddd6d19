"""Search synonyms: the defaults, a deployment's own file merged in, and its mistakes reported
in the editor's words by ``check`` (gongshi/outputs/search/synonyms.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import COMPLETE, COMPLETE_NOW, run_cli

from gongshi.errors import ContentError
from gongshi.outputs.search import synonyms


def test_the_defaults_hold_what_residents_say() -> None:
    groups, problems = synonyms.read(synonyms.DEFAULTS)
    assert problems == []
    for pair in (("噪音", "噪声"), ("暖气", "供暖"), ("电动车", "电瓶车"), ("12345", "接诉即办")):
        assert any(set(pair) <= set(g) for g in groups), pair
    assert ["电动车", "电瓶车", "电动自行车"] in groups
    assert synonyms.load("") == synonyms.merged(groups)


def test_groups_sharing_a_word_are_merged() -> None:
    merged = synonyms.merged([["暖气", "供暖"], ["漏水", "渗水"], ["供热", "暖气"]])
    assert merged == [["暖气", "供暖", "供热"], ["漏水", "渗水"]]


def test_a_deployment_adds_its_own_words(tmp_path: Path) -> None:
    (tmp_path / "synonyms.yaml").write_text(
        "# 本地说法\n- [暖气, 暖气片]\n- [城管, 城市管理]\n", encoding="utf-8"
    )
    groups = synonyms.load(str(tmp_path / "synonyms.yaml"))
    assert ["城管", "城市管理"] in groups
    assert next(g for g in groups if "暖气" in g) == ["暖气", "供暖", "供热", "暖气片"]
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    synonyms.write(groups, bundle)
    written = json.loads((bundle / synonyms.FILE_NAME).read_text("utf-8"))
    assert written == {"synonyms": groups}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("噪音: 噪声\n", 1, "同义词文件应为列表"),
        ("- [噪音, 噪声]\n- 城管\n", 2, "一组同义词应为列表"),
        ("- [噪音, 噪声]\n- [城管]\n", 2, "至少要有两个词"),
        ("- [噪音, 噪声]\n- [城管, 城市 管理]\n", 2, "不含空格的一个词，实际为 '城市 管理'"),
        ("- [城管, 城管]\n", 1, "'城管' 写了两次"),
        ("- [噪音, 噪声\n", 2, "YAML 语法错误"),
    ],
)
def test_a_bad_file_is_a_problem_on_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "synonyms.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        synonyms.load(str(tmp_path / "synonyms.yaml"))
    [problem] = raised.value.problems
    assert problem.line == line and message in problem.message, problem
    assert str(problem).startswith(f"{tmp_path / 'synonyms.yaml'}:{line}: error: ")


def _site_with(tmp_path: Path, setting: str, text: str | None) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(COMPLETE / "content", content)
    if text is not None:  # beside the settings file, which the setting's path is relative to
        (tmp_path / "search-synonyms.yaml").write_text(text, encoding="utf-8")
    conf = tmp_path / "pelicanconf.py"
    source = (COMPLETE / "pelicanconf.py").read_text("utf-8")
    theme = COMPLETE.parents[2] / "themes" / "gongshi"
    conf.write_text(
        source.replace('"../../../themes/gongshi"', repr(str(theme)))
        + f"GONGSHI_SEARCH_SYNONYMS = {setting!r}\n",
        encoding="utf-8",
    )
    return conf, content


def test_check_reports_a_bad_synonym_file_in_chinese(tmp_path: Path) -> None:
    conf, content = _site_with(tmp_path, "search-synonyms.yaml", "- [城管]\n")
    code, _, err = run_cli(
        "--settings", str(conf), "check", "--content", str(content), "--now", COMPLETE_NOW
    )  # fmt: skip
    assert code == 1
    assert "search-synonyms.yaml:1: error: 同义词: 一组同义词至少要有两个词" in err
    assert "Traceback" not in err


def test_check_reports_a_missing_synonym_file(tmp_path: Path) -> None:
    conf, content = _site_with(tmp_path, "no-such-file.yaml", None)
    code, _, err = run_cli(
        "--settings", str(conf), "check", "--content", str(content), "--now", COMPLETE_NOW
    )  # fmt: skip
    assert code == 1 and "找不到 GONGSHI_SEARCH_SYNONYMS 指定的同义词文件" in err


def test_a_build_writes_the_deployments_synonyms_for_the_search_page(tmp_path: Path) -> None:
    conf, content = _site_with(tmp_path, "search-synonyms.yaml", "- [城管, 城市管理]\n")
    output = tmp_path / "output"
    code, _, err = run_cli(
        "--settings", str(conf), "build", "--content", str(content),
        "--output", str(output), "--now", COMPLETE_NOW,
    )  # fmt: skip
    assert code == 0, err
    written = json.loads((output / "pagefind" / synonyms.FILE_NAME).read_text("utf-8"))
    assert ["城管", "城市管理"] in written["synonyms"] and ["噪音", "噪声"] in written["synonyms"]
