"""Per-team state the engine needs to make decisions: posts, answers, heat.

This is the engine's private working memory, rebuilt by replaying the log; the
user-facing view of the network is ``fake_network``'s projection of the same log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.models import Expectation, influence

from .crowd import CrowdVoice

__all__ = ["Answer", "PostRec", "TeamState"]


@dataclass(slots=True)
class PostRec:
    id: str
    t: float
    author: dict[str, Any]
    text: str
    kind: str  # post | reply | quote | repost | dm
    ref: str | None = None  # the scenario id it was scripted as
    reply_to: str | None = None
    quote_of: str | None = None
    expect: Expectation | None = None
    by_brand: bool = False
    participant: str | None = None
    deleted: bool = False
    hidden: bool = False
    likes: int = 0
    reposts: int = 0
    views: int = 0

    @property
    def influence(self) -> float:
        return influence(int(self.author.get("followers", 10)))


@dataclass(frozen=True, slots=True)
class Answer:
    participant: str
    t: float
    action: str
    score: int
    flags: tuple[str, ...]
    post_id: str | None


@dataclass(slots=True)
class TeamState:
    name: str
    crowd: CrowdVoice
    posts: dict[str, PostRec] = field(default_factory=dict)
    by_ref: dict[str, str] = field(default_factory=dict)  # scenario ref -> first post id
    answers: dict[str, list[Answer]] = field(default_factory=dict)  # target post id -> answers
    actions: dict[tuple[str, str], int] = field(default_factory=dict)  # (action, target) -> count
    heat: int = 0
    fired: set[str] = field(default_factory=set)
    members: list[str] = field(default_factory=list)
    counter: int = 0

    def new_id(self, prefix: str, ref: str | None = None) -> str:
        if ref is not None:
            pid = f"{self.name}:{ref}"
            if pid not in self.posts:
                return pid
        self.counter += 1
        return f"{self.name}:{prefix}{self.counter}"

    def resolve(self, ref: str | None) -> str | None:
        """A scenario ref or a post id -> the post id in this team, or None."""
        if ref is None:
            return None
        if ref in self.posts:
            return ref
        return self.by_ref.get(ref)

    def thread(self, post_id: str, limit: int = 6) -> tuple[str, ...]:
        texts: list[str] = []
        cur = self.posts.get(post_id)
        while cur is not None and cur.reply_to and len(texts) < limit:
            cur = self.posts.get(cur.reply_to)
            if cur is not None:
                texts.append(cur.text)
        return tuple(reversed(texts))

    def recent(self, now: float, limit: int = 40) -> list[PostRec]:
        out: list[PostRec] = []
        for rec in reversed(self.posts.values()):
            if len(out) >= limit:
                break
            if not rec.deleted and rec.kind != "dm" and rec.t <= now:
                out.append(rec)
        return out
