"""The content models, one module per type, and the registry of types in display order.

Everything that is done per type — reading a folder, listing, linking, paging, feeding, open
data — asks :data:`ITEM_TYPES` which types there are; no other module keeps a list of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

from ...errors import ConfigError
from ..codes import Wanted
from ..fields import Code, Ref, kinds
from .base import Change, Item, Rule
from .case import Case
from .meeting import Attend, Meeting, Participant
from .outcome import Outcome
from .project import Milestone, Project


class ItemTypes(Collection[type[Item]]):
    """The registered content types, in display order.

    ``by_type`` and ``by_folder`` are updated in place, so a module that imported them sees a
    type registered later (a test's throwaway type) without importing anything again.
    """

    def __init__(self, types: Iterable[type[Item]]) -> None:
        self._types: tuple[type[Item], ...] = ()
        self.by_type: dict[str, type[Item]] = {}
        self.by_folder: dict[str, type[Item]] = {}
        self._set(types)

    def _set(self, types: Iterable[type[Item]]) -> None:
        self._types = tuple(types)
        self.by_type.clear()
        self.by_type.update((cls.type, cls) for cls in self._types)
        self.by_folder.clear()
        self.by_folder.update((cls.folder, cls) for cls in self._types)

    def __iter__(self) -> Iterator[type[Item]]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)

    def __contains__(self, cls: object) -> bool:
        return cls in self._types

    def __getitem__(self, item_type: str) -> type[Item]:
        return self.by_type[item_type]

    def names(self) -> tuple[str, ...]:
        return tuple(cls.type for cls in self._types)

    def wanted(self) -> Wanted:
        """What the types ask of the code lists: each its name, each code list its fields use."""
        lists = {
            kind.list_name: f"{cls.type}.{path}"
            for cls in self._types
            for path, kind in kinds(cls)
            if isinstance(kind, Code)
        }
        return Wanted(self.names(), lists)

    def check(self) -> None:
        """A :class:`ConfigError` for a registry no build can use: two types with one folder, or
        a reference field naming a type that is not registered."""
        if len(self.by_folder) < len(self._types):
            folders = [cls.folder for cls in self._types]
            twice = sorted({f for f in folders if folders.count(f) > 1})
            raise ConfigError(f"内容类型的文件夹重复：{'、'.join(twice)}")
        for cls in self._types:
            for path, kind in kinds(cls):
                if (
                    isinstance(kind, Ref)
                    and kind.target != "place"
                    and kind.target not in self.by_type
                ):
                    raise ConfigError(
                        f"内容类型 {cls.type} 的字段 {path} 引用了未登记的类型 '{kind.target}'，"
                        f"已登记：{'、'.join(self.names())}"
                    )

    @contextmanager
    def registered(self, cls: type[Item]) -> Iterator[type[Item]]:
        """``cls`` registered while the block runs: in place of the type of the same name, or
        last. For tests that define a type (or a variant of one) of their own."""
        before = self._types
        if cls.type in self.by_type:
            self._set(cls if c.type == cls.type else c for c in before)
        else:
            self._set((*before, cls))
        try:
            yield cls
        finally:
            self._set(before)


ITEM_TYPES = ItemTypes((Meeting, Outcome, Project, Case))
BY_TYPE: dict[str, type[Item]] = ITEM_TYPES.by_type
BY_FOLDER: dict[str, type[Item]] = ITEM_TYPES.by_folder

__all__ = [
    "BY_FOLDER",
    "BY_TYPE",
    "ITEM_TYPES",
    "Attend",
    "Case",
    "Change",
    "Item",
    "ItemTypes",
    "Meeting",
    "Milestone",
    "Outcome",
    "Participant",
    "Project",
    "Rule",
]
