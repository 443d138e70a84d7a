"""The parts of a script that the semantic checks read, taken one by one from the tree.

A script with a broken item still has its other items checked: each persona, timeline
item and branch is validated on its own, and ids are collected from the raw YAML so a
broken post does not make every reference to it look unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ._tree import PosList, PosMap, plain
from .models import Branch, Effect, Persona, Scenario, TimelineItem, parse_duration

__all__ = ["KINDS", "POST_KINDS", "BranchPart", "Item", "Loc", "Parts", "collect", "parts_of"]

Loc = tuple[int | str, ...]
KINDS = ("post", "dm", "repost", "burst", "engagement")
POST_KINDS = ("post", "dm", "repost")


@dataclass
class Item:
    """A timeline item or a branch effect."""

    loc: Loc
    effect: Effect | None
    kind: str | None
    id: str | None
    at: float | None = None  # timeline items only
    branch: int | None = None  # index of the branch that adds it


@dataclass
class BranchPart:
    index: int
    model: Branch | None
    id: str | None
    items: list[Item] = field(default_factory=list)


@dataclass
class Parts:
    duration: float | None
    max_chars: int
    personas: list[tuple[Loc, str | None, Persona | None]]
    timeline: list[Item]
    branches: list[BranchPart]

    def items(self) -> list[Item]:
        return self.timeline + [i for b in self.branches for i in b.items]


def _drop(data: Any, loc: tuple[int | str, ...]) -> None:
    for seg in loc[:-1]:
        data = data[seg]
    del data[loc[-1]]


def _try(model: Any, raw: Any) -> Any:
    """``raw`` validated as ``model``, ignoring unknown keys (reported elsewhere); else None."""
    data = plain(raw)
    for _ in range(2):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            extra = [tuple(e["loc"]) for e in exc.errors() if e["type"] == "extra_forbidden"]
            if not extra:
                return None
            for loc in sorted(extra, key=len, reverse=True):
                _drop(data, loc)
    return None


def _kind(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    kinds = [k for k in KINDS if k in raw]
    return kinds[0] if len(kinds) == 1 else ("heat" if not kinds and "heat" in raw else None)


def _id(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def collect(tree: PosMap) -> Parts:
    """Split ``tree`` into the parts the checks read."""
    try:
        duration: float | None = parse_duration(tree.get("duration"))
    except ValueError:
        duration = None
    max_chars = tree.get("max_chars", 280)
    personas: list[tuple[Loc, str | None, Persona | None]] = []
    raw_personas = tree.get("personas")
    if isinstance(raw_personas, PosList):
        for i, raw in enumerate(raw_personas):
            personas.append((("personas", i), _id(raw), _try(Persona, raw)))
    timeline: list[Item] = []
    raw_timeline = tree.get("timeline")
    if isinstance(raw_timeline, PosList):
        for i, raw in enumerate(raw_timeline):
            model = _try(TimelineItem, raw)
            at = model.at if model is not None else None
            timeline.append(Item(("timeline", i), model, _kind(raw), _id(raw), at))
    branches: list[BranchPart] = []
    raw_branches = tree.get("branches")
    if isinstance(raw_branches, PosList):
        for b, raw in enumerate(raw_branches):
            part = BranchPart(b, _try(Branch, raw), _id(raw))
            then = raw.get("then") if isinstance(raw, PosMap) else None
            if isinstance(then, PosList):
                for e, raw_effect in enumerate(then):
                    loc: Loc = ("branches", b, "then", e)
                    effect = _try(Effect, raw_effect)
                    part.items.append(Item(loc, effect, _kind(raw_effect), _id(raw_effect), None, b))
            branches.append(part)
    return Parts(duration, max_chars if isinstance(max_chars, int) else 280, personas, timeline, branches)


def _kind_of(effect: Effect) -> str:
    return effect.kind


def parts_of(scenario: Scenario) -> Parts:
    """The parts of an already valid scenario (for the preview)."""
    timeline = [Item(("timeline", i), t, _kind_of(t), t.id, t.at) for i, t in enumerate(scenario.timeline)]
    branches = [
        BranchPart(
            b,
            br,
            br.id,
            [Item(("branches", b, "then", e), x, _kind_of(x), x.id, None, b) for e, x in enumerate(br.then)],
        )
        for b, br in enumerate(scenario.branches)
    ]
    personas: list[tuple[Loc, str | None, Persona | None]] = [
        (("personas", i), p.id, p) for i, p in enumerate(scenario.personas)
    ]
    return Parts(scenario.duration, scenario.max_chars, personas, timeline, branches)
