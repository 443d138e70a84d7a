"""Scripted trainees for the headless runner: good, bad and silent.

A good bot answers each post that expects an answer with the author's model answer,
through the expected channel, well inside the window. A bad bot answers everything,
trolls included, with rule-breaking replies (the author's ``bad_answer`` or a stock one)
and amplifies what it should not. A silent bot does nothing.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .events import Event

__all__ = ["BOT_KINDS", "Bot", "Planned"]

BOT_KINDS = ("good", "bad", "silent")


@functools.lru_cache(maxsize=1)
def _stock_bad() -> tuple[str, ...]:
    text = resources.files("sim").joinpath("data/bad_replies.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text))


@dataclass(frozen=True, slots=True)
class Planned:
    at: float
    participant: str
    action: str
    target: str
    text: str = ""


class Bot:
    def __init__(self, kind: str, participant: str, team: str, rng: random.Random) -> None:
        if kind not in BOT_KINDS:
            raise ValueError(f"unknown bot {kind!r}: choose one of {', '.join(BOT_KINDS)}")
        self.kind = kind
        self.participant = participant
        self.team = team
        self.rng = rng

    def observe(self, ev: Event) -> list[Planned]:
        """Plan this bot's reaction to one committed event."""
        if self.kind == "silent" or ev.type != "post.created" or ev.team != self.team:
            return []
        expect: dict[str, Any] | None = ev.data.get("expect")
        post = ev.data["post"]
        if expect is None or post["author"].get("kind") in ("brand", "crowd"):
            return []
        window = float(expect.get("within") or 300.0)
        if self.kind == "good":
            return self._good(ev, post, expect, window)
        return self._bad(ev, post, expect, window)

    def _good(self, ev: Event, post: dict[str, Any], expect: dict[str, Any], window: float) -> list[Planned]:
        answer = expect.get("answer", "required")
        text = expect.get("model_answer")
        if answer == "none" or not text:
            return []
        via = (expect.get("via") or ["reply"])[0]
        action = "dm" if via == "dm" else "reply"
        delay = min(window * 0.5, 20.0 + self.rng.random() * 40.0)
        return [Planned(ev.t + delay, self.participant, action, post["id"], text)]

    def _bad(self, ev: Event, post: dict[str, Any], expect: dict[str, Any], window: float) -> list[Planned]:
        text = expect.get("bad_answer") or self.rng.choice(_stock_bad())
        delay = 15.0 + self.rng.random() * window * 0.6
        plans = [Planned(ev.t + delay, self.participant, "reply", post["id"], text)]
        if "endorsement" in (expect.get("avoid") or []):
            plans.append(Planned(ev.t + delay / 2, self.participant, "repost", post["id"]))
        return plans
