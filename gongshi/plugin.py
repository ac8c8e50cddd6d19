"""The Pelican plugin entry: connects signals, nothing else (the logic lives beside it)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generators import GongshiGenerator, on_finalized
from .settings import from_pelican, impose_on_pelican


def _configure(pelican: Any) -> None:
    impose_on_pelican(pelican.settings)
    from_pelican(pelican.settings)  # fail early on a bad GONGSHI_* setting


def _generators(pelican: Any) -> list[type]:
    return [GongshiGenerator]


def register() -> None:
    signals.initialized.connect(_configure)
    signals.get_generators.connect(_generators)
    signals.finalized.connect(on_finalized)  # after every file is written
