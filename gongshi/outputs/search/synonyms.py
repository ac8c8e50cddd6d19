"""Search synonyms: groups of words residents use for the same thing (噪音/噪声, 暖气/供暖 …).

The defaults are ``synonyms.yaml`` beside this module; a deployment adds its own groups with
``GONGSHI_SEARCH_SYNONYMS``, a YAML file of the same form (a path relative to the settings
file, made absolute by ``publish.run.load_settings`` as Pelican does with its own paths). Groups that share a word are merged, so either file may extend a default group. The
search page reads the merged groups from the search bundle (:func:`write`) and searches every
word of a query's group (``themes/gongshi/static/js/search.js``).

A deployment's file is read by ``check`` and ``build`` alike: each problem in it is a
:class:`Problem` on its line, in the editor's words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import yaml

from ...content.characters import quoted
from ...content.frontmatter import compose, read_text
from ...errors import ContentError, Problem, display_path

DEFAULTS = Path(__file__).with_name("synonyms.yaml")
FILE_NAME = "search-synonyms.json"  # in the search bundle, read by search.js
FIELD = "同义词"
FORM = "每组写成一行“- [词, 词, …]”，至少两个词"


def _problem(display: str, node: yaml.Node, message: str, category: str) -> Problem:
    return Problem(display, node.start_mark.line + 1, FIELD, message, f"search.{category}")


def _group(node: yaml.Node, display: str) -> tuple[list[str], list[Problem]]:
    if not isinstance(node, yaml.SequenceNode):
        return [], [_problem(display, node, f"一组同义词应为列表：{FORM}", "synonyms")]
    words: list[str] = []
    problems: list[Problem] = []
    for word_node in node.value:
        word = str(word_node.value).strip() if isinstance(word_node, yaml.ScalarNode) else ""
        if not word or any(c.isspace() for c in word):
            shown = quoted(word) if word else "空值或嵌套的列表"
            message = f"同义词应为不含空格的一个词，实际为 {shown}（搜索时空格分隔不同的词）"
            problems.append(_problem(display, word_node, message, "synonyms"))
        elif word in words:
            message = f"同一组里 {quoted(word)} 写了两次"
            problems.append(_problem(display, word_node, message, "synonyms"))
        else:
            words.append(word)
    if len(words) < 2 and not problems:
        problems.append(_problem(display, node, f"一组同义词至少要有两个词：{FORM}", "synonyms"))
    return words, problems


def read(path: Path) -> tuple[list[list[str]], list[Problem]]:
    """The groups written in ``path``, and every problem in it (a missing file is one too)."""
    display = display_path(path)
    if not path.is_file():
        message = "找不到 GONGSHI_SEARCH_SYNONYMS 指定的同义词文件：请检查路径（相对设置文件所在的文件夹）"
        return [], [Problem(display, 1, FIELD, message, "search.synonyms-missing")]
    text, problems = read_text(path, display)
    if text is None:
        return [], problems
    node, problems = compose(text, display, 0)
    if node is None:
        return [], problems  # an empty file adds nothing
    if not isinstance(node, yaml.SequenceNode):
        return [], [_problem(display, node, f"同义词文件应为列表：{FORM}", "synonyms")]
    groups: list[list[str]] = []
    for group_node in node.value:
        words, found = _group(group_node, display)
        problems += found
        if not found:
            groups.append(words)
    return groups, problems


def merged(groups: Iterable[list[str]]) -> list[list[str]]:
    """Groups that share a word made one, each in first-written order; sorted by first word."""
    result: list[list[str]] = []
    for group in groups:
        joined = [g for g in result if set(g) & set(group)]
        words = [w for g in joined for w in g]
        words += [w for w in group if w not in words]
        result = [g for g in result if g not in joined] + [words]
    return sorted(result)


def load(setting: str) -> list[list[str]]:
    """The defaults merged with the deployment's file (``setting``, a path), or
    :class:`ContentError` with every problem in that file."""
    groups, problems = read(DEFAULTS)
    assert not problems, problems  # the package's own file is tested
    if setting:
        own, problems = read(Path(setting))
        if problems:
            raise ContentError(problems)
        groups += own
    return merged(groups)


def write(groups: list[list[str]], bundle: Path) -> None:
    """The groups for the search page, beside Pagefind's files."""
    data = json.dumps({"synonyms": groups}, ensure_ascii=False, separators=(",", ":"))
    (bundle / FILE_NAME).write_text(data + "\n", encoding="utf-8")
