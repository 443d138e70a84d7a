"""The scoring contract: what the scorer is given and what a verdict looks like.

``sim`` builds a :class:`ReplyContext` for every trainee action and calls
``Scorer.score``; the verdict's ``to_dict()`` is the payload of the ``reply.scored``
event in the drill log, so its shape is part of the public transcript format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from scenarios.models import Expectation

__all__ = [
    "CriterionVerdict",
    "Evidence",
    "PostInfo",
    "ReplyContext",
    "ReplyInfo",
    "Verdict",
]

ActionName = Literal["reply", "quote", "dm", "repost", "like", "hide", "delete", "report", "ignore"]
VerdictName = Literal["fail", "pass", "met", "missed", "n/a"]


@dataclass(frozen=True, slots=True)
class PostInfo:
    """The post being answered, and its thread (oldest first), as the trainee saw it."""

    text: str
    author: str | None = None  # handle, e.g. "@dana_r"
    kind: str | None = None  # PersonaKind value, e.g. "troll"
    thread: tuple[str, ...] = ()  # texts of earlier posts in the same thread
    post_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyInfo:
    text: str = ""
    action: ActionName = "reply"


@dataclass(frozen=True, slots=True)
class ReplyContext:
    post: PostInfo
    reply: ReplyInfo
    latency_s: float | None = None  # drill-clock seconds from the post to this action
    expect: Expectation | None = None  # the scenario's expectation for the post, if any
    brand: str | None = None  # brand display name, for "our"/"we" heuristics
    max_chars: int = 280


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a criterion fired: a span of the reply, or a fact (latency, channel, action)."""

    detector: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    fact: str | None = None  # e.g. "answered after 412 s; expected within 300 s"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"detector": self.detector}
        if self.start is not None:
            d.update(start=self.start, end=self.end, text=self.text)
        if self.fact is not None:
            d["fact"] = self.fact
        return d


@dataclass(frozen=True, slots=True)
class CriterionVerdict:
    code: str
    kind: Literal["risk", "good"]
    verdict: VerdictName  # risk: "fail"|"pass"; good practice: "met"|"missed"; "n/a" when it doesn't apply
    reason: str = ""
    better: str = ""
    evidence: tuple[Evidence, ...] = ()
    severity: Literal["critical", "major", "minor"] = "major"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "verdict": self.verdict,
            "severity": self.severity,
            "reason": self.reason,
            "better": self.better,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    score: int  # 0..100
    passed: bool
    flags: tuple[str, ...] = ()  # risk codes that failed
    good: tuple[str, ...] = ()  # good-practice codes met
    criteria: tuple[CriterionVerdict, ...] = ()
    rubric: str = "default"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed,
            "flags": list(self.flags),
            "good": list(self.good),
            "rubric": self.rubric,
            "criteria": [c.to_dict() for c in self.criteria],
        }
