"""The content models, one module per type; this package lists them in display order."""

from __future__ import annotations

from .base import Change, Item, Rule
from .case import Case
from .meeting import Attend, Meeting, Participant
from .outcome import Outcome
from .project import Milestone, Project

ITEM_TYPES: tuple[type[Item], ...] = (Meeting, Outcome, Project, Case)
BY_TYPE: dict[str, type[Item]] = {cls.type: cls for cls in ITEM_TYPES}
BY_FOLDER: dict[str, type[Item]] = {cls.folder: cls for cls in ITEM_TYPES}

__all__ = [
    "BY_FOLDER",
    "BY_TYPE",
    "ITEM_TYPES",
    "Attend",
    "Case",
    "Change",
    "Item",
    "Meeting",
    "Milestone",
    "Outcome",
    "Participant",
    "Project",
    "Rule",
]
