"""The transcript: a drill's log plus per-participant scores, as one JSON document.

``crisisdrill rehearse`` writes it and the REST API returns it, in the same shape.
Verdict overrides (``verdict.overridden`` events) replace the score they point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .events import Event

__all__ = ["LoggedEvent", "build_transcript", "participant_scores"]


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    seq: int
    event: Event
    wall: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"seq": self.seq, **self.event.to_dict()}
        if self.wall is not None:
            d["wall"] = self.wall
        return d


def participant_scores(records: Sequence[LoggedEvent], pass_mark: int) -> list[dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    overrides: dict[int, dict[str, Any]] = {}
    for r in records:
        if r.event.type == "verdict.overridden":
            overrides[int(r.event.data["target_seq"])] = r.event.data
    for r in records:
        e = r.event
        if e.type == "participant.joined":
            pid = e.data["participant"]
            people[pid] = {
                "id": pid,
                "name": e.data.get("name", pid),
                "team": e.team,
                "bot": e.data.get("bot"),
                "_scores": [],
                "replies": 0,
                "actions": 0,
                "missed": 0,
                "flags": {},
            }
    by_team: dict[str | None, list[dict[str, Any]]] = {}
    for p in people.values():
        by_team.setdefault(p["team"], []).append(p)
    for r in records:
        e = r.event
        if e.type not in ("reply.scored", "silence.scored"):
            continue
        verdict = e.data["verdict"]
        score = int(overrides.get(r.seq, {}).get("score", verdict["score"]))
        targets = [people[e.data["participant"]]] if e.type == "reply.scored" else by_team.get(e.team, [])
        for p in targets:
            p["_scores"].append(score)
            if e.type == "silence.scored":
                if score == 0:
                    p["missed"] += 1
                continue
            p["actions"] += 1
            if e.data.get("action") in ("reply", "quote", "dm"):
                p["replies"] += 1
            for code in verdict.get("flags", []):
                p["flags"][code] = p["flags"].get(code, 0) + 1
    out = []
    for p in people.values():
        scores = p.pop("_scores")
        p["score"] = round(sum(scores) / len(scores)) if scores else 0
        p["scored_items"] = len(scores)
        p["passed"] = bool(scores) and p["score"] >= pass_mark
        out.append(p)
    return out


def build_transcript(
    records: Sequence[LoggedEvent],
    *,
    scenario_id: str,
    title: str,
    seed: int,
    pass_mark: int,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "scenario": scenario_id,
        "title": title,
        "seed": seed,
        "pass_mark": pass_mark,
        **(extra or {}),
        "participants": participant_scores(records, pass_mark),
        "events": [r.to_dict() for r in records],
    }
    return doc
