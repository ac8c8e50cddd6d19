"""The registry of places (``content/places.yaml``): jurisdictions and their communities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, display_path
from .characters import quoted, visible
from .codes import Codes
from .fields import ID_RE, Code, ParseContext, Text, parse_entries, spec
from .frontmatter import compose, mapping_entries, read_text
from .privacy_scan import scan_places


@dataclass(frozen=True, kw_only=True)
class Contact:
    """Public contact details of a place's office, shown on its page and its meetings' notices:
    declared once here, accepted by jurisdictions and communities alike."""

    address: str | None = spec(Text(), "办公地址", help="居民可以上门的办公地点")
    phone: str | None = spec(
        Text(), "服务电话", help="对外公开的办公或服务电话（如 010-63811234、12345）；不写个人手机"
    )
    hours: str | None = spec(Text(), "办公时间", help="如 周一至周五 9:00–17:00")

    @property
    def any(self) -> bool:
        return bool(self.address or self.phone or self.hours)


@dataclass(frozen=True, kw_only=True)
class _Jurisdiction:
    name: str = spec(Text(), "名称", required=True)
    kind: str = spec(Code("jurisdiction_kind"), "类型", required=True)
    district: str = spec(Text(), "所属区县", required=True)
    communities: None = spec(
        Text(), "下辖社区/村", help="id: {name, kind} 的映射（可加 address、phone、hours）"
    )


@dataclass(frozen=True, kw_only=True)
class _Community:
    name: str = spec(Text(), "名称", required=True)
    kind: str = spec(Code("community_kind"), "类型", required=True)


# Contact comes first among the bases so that its fields come last (dataclass fields are
# collected from the most basic class up): the editor reads name and kind first.
@dataclass(frozen=True, kw_only=True)
class JurisdictionSpec(Contact, _Jurisdiction):
    """A jurisdiction (街道/镇) as written in places.yaml."""


@dataclass(frozen=True, kw_only=True)
class CommunitySpec(Contact, _Community):
    """A community (社区/村): one ``{name, kind}`` mapping under its jurisdiction's communities."""


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    district: str
    parent: str | None  # the jurisdiction of a community; None for a jurisdiction
    children: tuple[str, ...]
    contact: Contact = Contact()

    @property
    def url(self) -> str:
        return f"/places/{self.id}/"

    @property
    def is_jurisdiction(self) -> bool:
        return self.parent is None


class Places:
    """Every place by id, jurisdictions in the order the file lists them."""

    def __init__(self, places: list[Place], declared: Iterable[str] = ()) -> None:
        self._by_id = {p.id: p for p in places}
        self.jurisdictions = tuple(p for p in places if p.is_jurisdiction)
        # every id written in the file, valid or not: references to these are not "unknown"
        self.declared = frozenset(declared) | frozenset(self._by_id)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id

    def __getitem__(self, place_id: str) -> Place:
        return self._by_id[place_id]

    def __iter__(self) -> Iterator[Place]:
        """Jurisdictions, each followed by its communities."""
        for j in self.jurisdictions:
            yield j
            yield from (self._by_id[c] for c in j.children)

    def ids(self) -> list[str]:
        return [p.id for p in self]

    def covered(self, place_id: str) -> frozenset[str]:
        """The place and, for a jurisdiction, its communities: what its page and feed include."""
        return frozenset((place_id, *self._by_id[place_id].children))

    def jurisdiction_of(self, place_id: str) -> Place:
        place = self._by_id[place_id]
        return self._by_id[place.parent] if place.parent else place


def _contact(values: dict[str, Any]) -> Contact:
    return Contact(**{f.name: values.get(f.name) for f in fields(Contact)})


def _check_id(place_id: str, line: int, seen: dict[str, int], ctx: ParseContext) -> bool:
    if not ID_RE.fullmatch(place_id):
        message = (
            f"地点 id {quoted(place_id)} 只能使用小写英文字母、数字和 -（如 xinhe 或 xinhe-east）"
        )
        ctx.error(line, visible(place_id), message, "place.id")
        return False
    if place_id in seen:
        message = f"地点 id '{place_id}' 重复（第一次在第 {seen[place_id]} 行）；id 须在全文件唯一"
        ctx.error(line, place_id, message, "place.duplicate")
        return False
    seen[place_id] = line
    return True


def _communities(
    node: yaml.Node, parent: str, district: str, seen: dict[str, int], ctx: ParseContext
) -> list[Place]:
    entries, problems = mapping_entries(node, ctx.display, ctx.offset, f"{parent}.communities")
    ctx.problems.extend(problems)
    places = []
    for entry in entries:
        ok = _check_id(entry.key, entry.line, seen, ctx)
        fields, problems = mapping_entries(entry.node, ctx.display, ctx.offset, entry.key)
        ctx.problems.extend(problems)
        values, bad = parse_entries(
            CommunitySpec, fields, ctx, prefix=f"{entry.key}.", line=entry.line
        )
        if ok and not bad and not problems:
            contact = _contact(values)
            places.append(
                Place(entry.key, values["name"], values["kind"], district, parent, (), contact)
            )
    return places


def _jurisdiction(
    entry_key: str, node: yaml.Node, line: int, seen: dict[str, int], ctx: ParseContext
) -> list[Place]:
    ok = _check_id(entry_key, line, seen, ctx)
    fields, problems = mapping_entries(node, ctx.display, ctx.offset, entry_key)
    ctx.problems.extend(problems)
    plain = [f for f in fields if f.key != "communities"]
    values, bad = parse_entries(JurisdictionSpec, plain, ctx, prefix=f"{entry_key}.", line=line)
    communities: list[Place] = []
    for f in fields:
        if f.key == "communities" and not getattr(f.node, "tag", "").endswith(":null"):
            communities = _communities(f.node, entry_key, values.get("district", ""), seen, ctx)
    if not ok or bad or problems:
        return communities
    children = tuple(c.id for c in communities)
    here = Place(
        entry_key, values["name"], values["kind"], values["district"], None, children,
        _contact(values),
    )  # fmt: skip
    return [here, *communities]


def load_places(path: Path, codes: Codes) -> tuple[Places, list[Problem]]:
    """The registry, and every problem in it (a missing file is one too)."""
    display = display_path(path)
    if not path.is_file():
        message = "缺少地点登记文件 places.yaml：请登记街道/镇及其社区/村"
        return Places([]), [Problem(display, 1, "places.yaml", message, "places.missing")]
    text, problems = read_text(path, display)
    if text is None:
        return Places([]), problems
    node, problems = compose(text, display, 0)
    if node is None:
        if not problems:
            message = "places.yaml 为空：请至少登记一个街道或镇"
            problems = [Problem(display, 1, "places.yaml", message, "places.missing")]
        return Places([]), problems
    ctx = ParseContext(display=display, codes=codes, tz=UTC, offset=0)
    scan_places(node, ctx)
    entries, problems = mapping_entries(node, display, 0, "places.yaml")
    ctx.problems.extend(problems)
    seen: dict[str, int] = {}
    places: list[Place] = []
    for entry in entries:
        places.extend(_jurisdiction(entry.key, entry.node, entry.line, seen, ctx))
    return Places(places, declared=seen), ctx.problems
