"""The shape every criterion module fills in, and what a criterion's check is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..types import Evidence, ReplyContext

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..pii import PiiFinder
    from ..plan import Plan

__all__ = [
    "ALL_ACTIONS",
    "PUBLIC_TEXT",
    "TEXT_ACTIONS",
    "Check",
    "Criterion",
    "Finding",
    "LexiconParams",
    "Params",
    "article",
]

TEXT_ACTIONS = frozenset({"reply", "quote", "dm"})
PUBLIC_TEXT = frozenset({"reply", "quote"})
ALL_ACTIONS = frozenset({"reply", "quote", "dm", "repost", "like", "hide", "delete", "report", "ignore"})


def article(noun: str) -> str:
    """``"a troll"``, ``"an unhappy customer"``."""
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


class Params(BaseModel):
    """Detector parameters of a criterion; a rubric's ``params`` are validated against it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def lists(self) -> tuple[str, ...]:
        """Word lists (``scoring/data/<name>.txt``) this criterion reads."""
        names: list[str] = []
        for key, value in self:
            if key == "word_lists" or key.endswith("_lists"):
                names.extend(value)
            elif key in ("hedges", "private_cues"):
                names.append(value)
        return tuple(names)


class LexiconParams(Params):
    word_lists: tuple[str, ...] = Field(description="Word lists in scoring/data/ to match.")
    negation_window: int = Field(default=0, ge=0, le=10, description="Words before a hit searched for a negator.")
    skip_quotes: bool = Field(default=True, description="Ignore hits inside quotation marks.")


@dataclass(frozen=True, slots=True)
class Finding:
    """A criterion fired (risk) or was met (good practice), and why."""

    evidence: tuple[Evidence, ...]
    reason: str = ""
    verdict: Literal["fail", "pass", "met", "missed", "n/a"] | None = None  # override the usual fail / met


@dataclass(slots=True)
class Check:
    """Everything a criterion's check may read for one scored action."""

    ctx: ReplyContext
    reply: Analysis
    plan: Plan
    params: Any
    post_analysis: Callable[[], Analysis]
    pii: PiiFinder
    brand: str | None = None

    @property
    def action(self) -> str:
        return self.ctx.reply.action

    @property
    def post(self) -> Analysis:
        return self.post_analysis()


@dataclass(frozen=True, slots=True)
class Criterion:
    """A registered criterion: permanent code, docs and its check.

    ``check`` returns a :class:`Finding` when the criterion fires (risk) or is met (good practice),
    else ``None``. ``actions`` are the trainee actions it judges; for the others it is ``n/a``.
    """

    code: str
    kind: Literal["risk", "good"]
    title: str
    message: str  # one-line reason shown when it fires / is missed
    better: str  # one-line better alternative
    catches: str  # docs: What it catches
    why: str  # docs: Why it matters, citing DOMAIN.md sources
    params: type[Params]
    check: Callable[[Check], Finding | None]
    actions: frozenset[str] = TEXT_ACTIONS
    met_message: str = ""
    # context the learned support detector can't see: False vetoes a verdict it would add (scoring/learned.py)
    admits_learned: Callable[[Check], bool] | None = None
    # which rule hits the learned detector may doubt (a veto, where one is trained): None = every hit of a risk
    # code; a function of the hit's evidence says which (hostile: tone markers only, never an insult)
    vetoable: Callable[[tuple[Evidence, ...]], bool] | None = None

    def doubtable(self, evidence: tuple[Evidence, ...]) -> bool:
        """May a trained veto doubt a rule hit with this evidence? (``vetoable``; every hit of a risk code if unset)"""
        return self.kind == "risk" and (self.vetoable is None or self.vetoable(evidence))
