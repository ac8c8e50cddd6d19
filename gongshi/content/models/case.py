"""A case study (典型案例): the story of how a concern was resolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..fields import Code, ListOf, Ref, Text, spec
from .base import Item


@dataclass(frozen=True, kw_only=True)
class Case(Item):
    type: ClassVar[str] = "case"
    folder: ClassVar[str] = "cases"

    mechanisms: tuple[str, ...] = spec(ListOf(Code("case_mechanism")), "工作机制", default=())
    source: str | None = spec(Text(), "来源", help="最初发表于何处")
    meetings: tuple[str, ...] = spec(ListOf(Ref("meeting")), "相关议事会", default=())
    outcomes: tuple[str, ...] = spec(ListOf(Ref("outcome")), "相关协商结果", default=())
    projects: tuple[str, ...] = spec(ListOf(Ref("project")), "相关民心项目", default=())
