"""Compiled templates kept as bytecode (``outputs/templatecode.py``): a template whose source
changed is compiled again, never run from the bytecode of its old source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from gongshi.outputs.templatecode import TemplateCache, load_all


def environment(folder: Path, cache: TemplateCache) -> Environment:
    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache, auto_reload=False)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    compiled: list[str | None] = []
    compile_ = Environment.compile

    def count(self: Environment, source: Any, name: str | None = None, *rest: Any) -> Any:
        compiled.append(name)
        return compile_(self, source, name, *rest)

    monkeypatch.setattr(Environment, "compile", count)
    return compiled


def test_kept_bytecode_is_used_for_the_same_source_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.html").write_text("甲{{ x }}", encoding="utf-8")
    (tmp_path / "b.html").write_text("乙{{ x }}", encoding="utf-8")
    first = TemplateCache()
    env = environment(tmp_path, first)
    assert env.get_template("a.html").render(x=1) == "甲1"
    assert env.get_template("b.html").render(x=1) == "乙1"
    assert first.changed
    kept = first.entries()

    compiled = counting(monkeypatch)
    again = TemplateCache(kept)
    env = environment(tmp_path, again)
    assert env.get_template("a.html").render(x=2) == "甲2"
    assert compiled == [] and not again.changed

    (tmp_path / "b.html").write_text("丙{{ x }}", encoding="utf-8")
    env = environment(tmp_path, TemplateCache(kept))
    assert env.get_template("b.html").render(x=3) == "丙3"
    assert compiled == ["b.html"]


def test_load_all_compiles_every_template_and_leaves_a_broken_one_to_its_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base.html").write_text("{% block b %}{% endblock %}", encoding="utf-8")
    (tmp_path / "page.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    (tmp_path / "broken.html").write_text("{% if %}", encoding="utf-8")
    cache = TemplateCache()
    env = environment(tmp_path, cache)
    compiled = counting(monkeypatch)
    load_all(env, ["page.html", "broken.html", "base.html", "missing.html"])
    assert sorted(n for n in compiled if n) == ["base.html", "broken.html", "page.html"]
    compiled.clear()
    assert env.get_template("page.html").render() == ""  # its parent loaded: nothing compiled
    assert compiled == []
