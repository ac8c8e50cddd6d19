"""Code lists (enumerations) and their Chinese labels, read from ``codes.yaml``.

The content models name a code list by key; templates ask for a label with the ``label`` filter.
No other module spells a code's label.
"""

from __future__ import annotations

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
        """Another form of the code's word (``short``, ``counter`` …), as ``codes.yaml`` gives."""
        return self.forms[form][code]


KEYS = frozenset({"extensible", "codes", "help"})  # of a list in codes.yaml; the rest are forms


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
    def load(cls, extra: Mapping[str, Mapping[str, str]] | None = None) -> Codes:
        text = resources.files(__package__).joinpath("codes.yaml").read_text(encoding="utf-8")
        raw: dict[str, Any] = yaml.safe_load(text)
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
        for name, additions in (extra or {}).items():
            lists[name] = _extend(lists, name, additions)
        return cls(lists)


def _extend(lists: Mapping[str, CodeList], name: str, additions: Mapping[str, str]) -> CodeList:
    if name not in lists:
        raise ConfigError(f"GONGSHI_CODES: 未知的代码表 '{name}'，可用：{'、'.join(lists)}")
    base = lists[name]
    new = [code for code in additions if code not in base.labels]
    if new and not base.extensible:
        raise ConfigError(
            f"GONGSHI_CODES: 代码表 '{name}' 只能改标签，不能增加代码：{'、'.join(new)}"
        )
    return CodeList(name, {**base.labels, **additions}, base.extensible, base.helps, base.forms)
