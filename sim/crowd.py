"""The background crowd: seeded Faker accounts that post and pile on.

Everything is drawn from a :class:`random.Random` and a Faker instance seeded per drill,
team and purpose, so the same seed plays the same crowd.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from faker import Faker

from scenarios.models import Crowd

from .seeding import derive_seed

__all__ = ["CrowdAccount", "CrowdVoice", "MOODS"]

MOODS = ("calm", "curious", "mixed", "annoyed", "angry", "outraged", "supportive")
_ESCALATE = {"calm": "curious", "curious": "annoyed", "mixed": "annoyed", "annoyed": "angry", "angry": "outraged"}


@functools.lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, list[str]]]:
    text = resources.files("sim").joinpath("data/crowd.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, list[str]]] = yaml.safe_load(text)
    return data


@dataclass(frozen=True, slots=True)
class CrowdAccount:
    id: str
    handle: str
    name: str
    followers: int

    def to_author(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "name": self.name,
            "kind": "crowd",
            "followers": self.followers,
        }


class CrowdVoice:
    """Generates crowd accounts and lines for one team of one drill."""

    def __init__(self, crowd: Crowd, brand: str, seed: int, team: str, pool: int = 60) -> None:
        self.crowd = crowd
        self.brand = brand
        self.rng = random.Random(derive_seed(seed, team, "crowd"))
        fake = Faker()
        fake.seed_instance(derive_seed(seed, team, "crowd-faker"))
        self.accounts: list[CrowdAccount] = []
        seen: set[str] = set()
        while len(self.accounts) < pool:
            name = fake.name()
            handle = "@" + re.sub(r"\W", "", fake.user_name())[:15]
            if handle in seen or len(handle) < 4:
                continue
            seen.add(handle)
            followers = int(self.rng.lognormvariate(4.5, 1.6))
            self.accounts.append(CrowdAccount(f"crowd-{len(self.accounts)}", handle, name, followers))

    def account(self) -> CrowdAccount:
        return self.rng.choice(self.accounts)

    def mood_for(self, heat: int, mood: str | None = None) -> str:
        m = mood or self.crowd.mood
        for _ in range(max(0, min(heat, 3))):
            m = _ESCALATE.get(m, m)
        return m

    def line(self, kind: str, mood: str, reply_to_handle: str | None = None) -> str:
        bank = _phrases().get(mood) or _phrases()["mixed"]
        template = self.rng.choice(bank["pile" if kind == "pile" else "post"])
        topics = self.crowd.topics or ["this"]
        tags = self.crowd.hashtags or [""]
        text = template.format(
            topic=self.rng.choice(topics),
            brand=self.brand,
            tag=self.rng.choice(tags),
            handle=(reply_to_handle or "").lstrip("@") or "them",
        )
        return re.sub(r"\s+", " ", text).strip()
