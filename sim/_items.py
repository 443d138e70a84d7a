"""Agenda items of the drill core and their tie-break priorities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Item", "P_SCRIPT", "P_CROWD", "P_DEADLINE", "P_REACT", "P_END"]

# lower fires first at the same instant
P_SCRIPT, P_CROWD, P_DEADLINE, P_REACT, P_END = 3, 5, 6, 7, 9


@dataclass(frozen=True, slots=True)
class Item:
    kind: str
    team: str | None = None
    ref: Any = None
    ctx: dict[str, Any] = field(default_factory=dict)
