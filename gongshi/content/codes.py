"""Code lists (enumerations) and their Chinese labels, read from ``codes.yaml``.

The content models name a code list by key; templates ask for a label with the ``label`` filter.
No other module spells a code's label.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..errors import ConfigError


@dataclass(frozen=True)
class CodeList:
    name: str
    labels: Mapping[str, str]  # code -> label, in declared order
    extensible: bool
    helps: Mapping[str, str] = field(default_factory=dict)  # code -> a sentence for residents
    # other forms of a code's word, by form name: {"short": {"meeting": "议事会"}, …}
    forms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.labels

    def codes(self) -> list[str]:
        return list(self.labels)

    def label(self, code: str) -> str:
        return self.labels[code]

    def help(self, code: str) -> str:
        return self.helps.get(code, "")

    def form(self, code: str, form: str) -> str:
        """Another form of the code's word (``short``, ``counter`` …), as ``codes.yaml`` gives,
        or, where it gives none, a form any word takes (:data:`FORM_FALLBACK`), else the label:
        a type added without its short name is shown by its full name, never a crash."""
        words = self.forms.get(form, {})
        return words[code] if code in words else FORM_FALLBACK.get(form, self.label(code))


KEYS = frozenset({"extensible", "codes", "help"})  # of a list in codes.yaml; the rest are forms
# A form a code may lack: the measure word 个 counts any noun (3 个问卷).
FORM_FALLBACK: Mapping[str, str] = {"counter": "个"}
ITEM_TYPE = "item_type"  # the list that names the content types


@dataclass(frozen=True)
class Wanted:
    """What the registered content types ask of the code lists (``ItemTypes.wanted()``): a
    label in ``item_type`` for each type, and each code list a field of theirs names."""

    types: tuple[str, ...] = ()
    lists: Mapping[str, str] = field(default_factory=dict)  # code list -> a field naming it


class Codes:
    """All code lists of a build: the bundled ones, with a deployment's additions applied."""

    def __init__(self, lists: Mapping[str, CodeList]) -> None:
        self._lists = dict(lists)

    def __getitem__(self, name: str) -> CodeList:
        return self._lists[name]

    def names(self) -> list[str]:
        return list(self._lists)

    def label(self, name: str, code: str, form: str | None = None) -> str:
        """A code's label, or another form of its word (``form``: ``short``, ``counter`` …)."""
        code_list = self._lists[name]
        return code_list.label(code) if form is None else code_list.form(code, form)

    @classmethod
    def load(
        cls, extra: Mapping[str, Mapping[str, str]] | None = None, wanted: Wanted | None = None
    ) -> Codes:
        """The bundled lists with a deployment's ``extra`` applied; every label the registered
        types need (``wanted``) must be there, else a :class:`ConfigError` saying where to add it."""
        raw = _bundled()
        lists = {
            name: CodeList(
                name,
                dict(spec["codes"]),
                bool(spec["extensible"]),
                dict(spec.get("help", {})),
                {form: dict(words) for form, words in spec.items() if form not in KEYS},
            )
            for name, spec in raw.items()
        }
        wanted = wanted or Wanted()
        for name, additions in (extra or {}).items():
            lists[name] = _extend(lists, name, additions, wanted)
        _check_wanted(lists, wanted)
        return cls(lists)


@functools.cache
def _bundled() -> dict[str, Any]:
    """The bundled ``codes.yaml``, parsed once per process (read only: each list copies it)."""
    text = resources.files(__package__).joinpath("codes.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    return raw


def _extend(
    lists: Mapping[str, CodeList], name: str, additions: Mapping[str, str], wanted: Wanted
) -> CodeList:
    """A list with a deployment's codes and labels. A list no bundled one is may be added
    when a registered type's field names it; ``item_type`` takes the registered types."""
    if name not in lists:
        if name in wanted.lists:  # a registered type's own list: the deployment defines it
            return CodeList(name, dict(additions), extensible=True)
        known = [*lists, *(n for n in wanted.lists if n not in lists)]
        raise ConfigError(f"GONGSHI_CODES: 未知的代码表 '{name}'，可用：{'、'.join(known)}")
    base = lists[name]
    allowed = set(wanted.types) if name == ITEM_TYPE else set()
    new = [code for code in additions if code not in base.labels and code not in allowed]
    if new and not base.extensible:
        why = f"（其代码是已登记的内容类型：{'、'.join(wanted.types)}）" if allowed else ""
        raise ConfigError(
            f"GONGSHI_CODES: 代码表 '{name}' 只能改标签，不能增加代码：{'、'.join(new)}{why}"
        )
    return CodeList(name, {**base.labels, **additions}, base.extensible, base.helps, base.forms)


def _check_wanted(lists: Mapping[str, CodeList], wanted: Wanted) -> None:
    """Every registered type has its Chinese name, and every code list a field names exists."""
    for item_type in wanted.types:
        if item_type not in lists[ITEM_TYPE]:
            raise ConfigError(
                f"内容类型 '{item_type}' 没有中文名称：请在 codes.yaml 的 {ITEM_TYPE} 中加上"
                f" '{item_type}: 名称'，或在设置中写 GONGSHI_CODES = "
                f"{{'{ITEM_TYPE}': {{'{item_type}': '名称'}}}}"
            )
    for name, field_name in wanted.lists.items():
        if name not in lists:
            raise ConfigError(
                f"字段 {field_name} 使用的代码表 '{name}' 不存在：请在 codes.yaml 中增加它，"
                f"或在设置中写 GONGSHI_CODES = {{'{name}': {{'代码': '标签'}}}}"
            )
