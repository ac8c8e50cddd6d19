"""YAML an editor never needs: anchors, aliases and deep nesting are refused, in bounded time.

The composer that refuses them (gongshi.content.yamlnodes) replaces PyYAML's recursive one; it must
build exactly the nodes PyYAML builds for every YAML it accepts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gongshi.content import yamlnodes

from .conftest import PLACES_YAML, SiteFolder

ROOT = Path(__file__).resolve().parents[2]
ALIAS = (
    "不能使用 YAML 锚点（&）和别名（*），编辑内容从不需要它们。如果值本身以 * 或 & 开头"
    '（如 summary: *紧急*），请给整个值加引号：summary: "*紧急*" [yaml.alias]'
)
DEPTH = (
    "嵌套超过 12 层：元数据最多只有几层（如 participants 列表中的各项），"
    "请检查是否多写了 [ 或 {、缩进是否错乱 [yaml.depth]"
)


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"summary": "&s 摘要", "source": "*s"}, 5),  # the anchor is refused first
        ({"summary": "*urgent"}, 5),
        ({"summary": "&urgent 紧急"}, 5),
        ({"tags": "&t [a, *t]"}, 5),  # refers to itself
        ({"tags": "[a, !!str &b b]"}, 5),
    ],
)
def test_anchors_and_aliases_are_refused(
    site: SiteFolder, changes: dict[str, str], line: int
) -> None:
    path = site.case(**changes)

    assert site.problems() == [f"{path}:{line}: error: YAML: {ALIAS}"]


def test_a_quoted_value_that_starts_with_a_star_is_text(site: SiteFolder) -> None:
    site.case(summary='"*紧急*"', source="'&工作简报'")

    (case,) = site.load().items("case")

    assert (case.summary, case.source) == ("*紧急*", "&工作简报")


def test_an_alias_in_places_yaml(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML.replace("kind: town", "kind: *kind"))

    assert f"content/places.yaml:10: error: YAML: {ALIAS}" in site.problems()


def test_nesting_deeper_than_twelve_levels_is_refused_with_its_line(site: SiteFolder) -> None:
    path = site.case(tags="\n  - " + "[" * 12 + "a" + "]" * 12)

    assert site.problems() == [f"{path}:6: error: YAML: {DEPTH}"]


def test_twelve_levels_are_composed(site: SiteFolder) -> None:
    path = site.case(tags="[" * 11 + "a" + "]" * 11)

    assert site.problems() == [
        f"{path}:5: error: tags[1]: 应为文本，实际为列表 [field.type]",
    ]


# Each would take minutes, raise RecursionError or crash the interpreter with a recursive composer
# (or a walk over the nodes that follows aliases). Run in a child process: a crash cannot take the
# test run with it, and the timeout bounds a hang.
HOSTILE = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n"
              for i in range(9)),
    "self reference": "a: &a [*a]\n",
    "flow nesting": "a: " + "[" * 100_000,
    "block nesting": "a:\n" + "- " * 100_000 + "x\n",
    "mapping nesting": "a: " + "{b: " * 100_000 + "c" + "}" * 100_000,
}  # fmt: skip
CHILD = """
import sys, time
from pathlib import Path
from gongshi.content.frontmatter import compose
for name, text in {hostile!r}.items():
    started = time.perf_counter()
    node, problems = compose(text, "content/x.md", 1)
    assert node is None and len(problems) == 1, (name, problems)
    print(name, problems[0].line, problems[0].category, round(time.perf_counter() - started, 3))
"""


def test_hostile_yaml_is_refused_in_bounded_time_without_crashing() -> None:
    result = subprocess.run(
        [sys.executable, "-"],
        input=CHILD.format(hostile=HOSTILE),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line.rsplit(" ", 1)[0] for line in result.stdout.splitlines()]
    assert lines == [
        "billion laughs 2 yaml.alias",
        "self reference 2 yaml.alias",
        "flow nesting 2 yaml.depth",
        "block nesting 3 yaml.depth",
        "mapping nesting 2 yaml.depth",
    ]
    assert all(float(line.rsplit(" ", 1)[1]) < 10 for line in result.stdout.splitlines())


def test_check_refuses_an_alias_bomb_and_deep_nesting_in_bounded_time(site: SiteFolder) -> None:
    bomb = site.case("bomb", tags="&a [x, x, x, x, x, x, x, x, x]", source=None)
    text = (site.content / "cases" / "bomb.md").read_text(encoding="utf-8")
    levels = "".join(
        f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else '*a'] * 9)}]\n" for i in range(10)
    )
    (site.content / "cases" / "bomb.md").write_text(text.replace("---\n正文", levels + "---\n正文"))
    deep = site.case("deep", tags="\n" + "- " * 100_000 + "x")

    result = subprocess.run(
        [sys.executable, "-m", "gongshi.cli", "--settings", str(ROOT / "pelicanconf.py"),
         "check", "--content", str(site.content)],
        capture_output=True, text=True, timeout=60, cwd=site.root, check=False,
    )  # fmt: skip

    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.splitlines()[:2] == [
        f"{bomb}:5: error: YAML: {ALIAS}",
        f"{deep}:6: error: YAML: {DEPTH}",
    ]


def _same(a: yaml.Node, b: yaml.Node) -> bool:
    if type(a) is not type(b) or (a.tag, a.start_mark.line, a.start_mark.column) != (
        b.tag,
        b.start_mark.line,
        b.start_mark.column,
    ):
        return False
    if a.end_mark.line != b.end_mark.line or a.end_mark.column != b.end_mark.column:
        return False
    if isinstance(a, yaml.ScalarNode):
        return bool(a.value == b.value and a.style == b.style)
    if isinstance(a, yaml.SequenceNode):
        pairs = list(zip(a.value, b.value, strict=False))
        return len(a.value) == len(b.value) and all(_same(x, y) for x, y in pairs)
    return len(a.value) == len(b.value) and all(
        _same(ka, kb) and _same(va, vb)
        for (ka, va), (kb, vb) in zip(a.value, b.value, strict=False)
    )


def _yaml_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "content").rglob("*.md")) + sorted(
        (ROOT / "tests" / "sites" / "complete" / "content").rglob("*.md")
    ):
        texts.append((path.name, path.read_text(encoding="utf-8").split("---\n")[1]))
    texts.append(("places.yaml", (ROOT / "content" / "places.yaml").read_text(encoding="utf-8")))
    texts += [
        ("empty", ""),
        ("comment", "# nothing\n"),
        ("explicit", "--- !!map\na: !!str 1\n? b\n: [1, {c: null}, ~, '', \"x\"]\n..."),
        ("scalar", "just text"),
        ("styles", "a: |\n  x\n  y\nb: >-\n  p\n  q\nc: 'q''s'\nd: {e: [f, g]}\n"),
    ]
    return texts


@pytest.mark.parametrize(("name", "text"), _yaml_texts(), ids=lambda v: v[:20])
def test_the_composer_builds_the_nodes_pyyaml_builds(name: str, text: str) -> None:
    ours = yamlnodes.compose(text)
    theirs = yaml.compose(text, Loader=yamlnodes.SAFE_LOADER)

    assert (ours is None) == (theirs is None)
    assert ours is None or theirs is None or _same(ours, theirs), name


def test_more_than_one_document_is_a_syntax_error(site: SiteFolder) -> None:
    site.write("places.yaml", PLACES_YAML + "---\nother: {}\n")

    assert site.problems() == [
        "content/places.yaml:14: error: YAML: YAML 语法错误：只能有一组字段，这里的 --- 又开始了一组"
        "（常见原因：冒号后缺空格、缩进不一致、引号未闭合） [yaml.syntax]"
    ]


def test_a_key_that_is_a_list_is_a_problem_not_a_crash(site: SiteFolder) -> None:
    path = site.case(source="x\n[a, b]: c")

    assert site.problems() == [
        f"{path}:6: error: 元数据: 字段名应为文本，实际为列表（请检查冒号前是否多写了括号） [field.type]"
    ]
