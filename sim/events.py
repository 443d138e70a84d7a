"""Drill log events: the one record type everything in a drill is made of.

The core produces :class:`Event` objects without a ``seq``; the shell that persists the
log numbers them gap-free per drill. Event types are the public transcript vocabulary
(see ``docs/protocol.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Event", "INPUT_TYPES", "EVENT_TYPES"]

#: Events that come from outside the engine (people, the trainer, the shell). Replaying a
#: log re-applies these and re-derives everything else.
INPUT_TYPES = frozenset(
    {
        "participant.joined",
        "drill.started",
        "drill.paused",
        "drill.resumed",
        "drill.speed",
        "drill.ended",
        "drill.cue",
        "trainer.inject",
        "action",
        "verdict.overridden",
        "note",
    }
)

#: Everything the engine may emit, with the inputs.
EVENT_TYPES = INPUT_TYPES | {
    "post.created",
    "engagement",
    "reply.scored",
    "silence.scored",
    "branch.fired",
    "heat",
}


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    t: float  # drill-clock seconds
    data: dict[str, Any] = field(default_factory=dict)
    team: str | None = None  # the network copy it belongs to; None = the whole drill
    actor: str | None = None  # participant id, persona id, "trainer:<user>", "system"
    client_id: str | None = None  # the client's id for an action, for idempotency

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type, "t": round(self.t, 3), "data": self.data}
        if self.team is not None:
            d["team"] = self.team
        if self.actor is not None:
            d["actor"] = self.actor
        if self.client_id is not None:
            d["client_id"] = self.client_id
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(
            type=d["type"],
            t=float(d["t"]),
            data=dict(d.get("data") or {}),
            team=d.get("team"),
            actor=d.get("actor"),
            client_id=d.get("client_id"),
        )
