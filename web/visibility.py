"""Who sees which event: trainers and managers see everything; a trainee sees their
team's network, their own verdicts (when the drill shows live feedback), and never the
script's machinery (branches, heat)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Viewer", "visible"]

_HIDDEN_FROM_TRAINEES = frozenset({"branch.fired", "heat", "verdict.overridden", "note"})


@dataclass(frozen=True, slots=True)
class Viewer:
    role: str
    participant: str | None = None
    team: str | None = None
    live_feedback: bool = True

    @property
    def staff(self) -> bool:
        return self.role in ("trainer", "manager", "admin")


def visible(ev: dict[str, Any], viewer: Viewer) -> bool:
    """``ev`` is a logged event as a dict (``LoggedEvent.to_dict()``)."""
    if viewer.staff:
        return True
    etype = ev["type"]
    if etype in _HIDDEN_FROM_TRAINEES:
        return False
    team = ev.get("team")
    if team is not None and team != viewer.team:
        return False
    if etype == "reply.scored":
        return viewer.live_feedback and ev["data"].get("participant") == viewer.participant
    if etype == "silence.scored":
        return viewer.live_feedback
    return True
