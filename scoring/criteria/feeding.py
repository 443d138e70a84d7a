"""feeding — engages a troll the scenario says to leave, or argues with a rager."""

from __future__ import annotations

from pydantic import Field

from ..types import Evidence
from ._base import Check, Criterion, Finding, LexiconParams, article
from ._lex import TARGETED_SECTIONS, merge, not_self_directed
from ._target import aimed_elsewhere

__all__ = ["CRITERION"]


class FeedingParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("feeding",), description="Argument cues (\"actually\", \"you're wrong\").")
    argue_kinds: tuple[str, ...] = Field(default=("rager", "troll"), description="Kinds one must not argue with.")
    tone_lists: tuple[str, ...] = Field(default=("hostile",), description="Hits here also count as arguing.")


def check(c: Check) -> Finding | None:
    p: FeedingParams = c.params
    who = (c.plan.kind or "commenter").replace("_", " ")
    if c.plan.answer == "none":
        fact = f"answered ({c.action}) {article(who)}'s post that the scenario says to leave alone"
        return Finding((Evidence("table:answer", fact=fact),), f"engages {article(who)} who should be left alone")
    if c.plan.kind not in p.argue_kinds:
        return None
    a = c.reply
    hits = []
    for name in (*p.word_lists, *p.tone_lists):
        hits += a.spans(name, negation_window=p.negation_window, skip_quotes=True, skip_reported=c.ctx.post.text)
    hits = [
        h for h in not_self_directed(c, merge(hits))
        if not (h.list in p.tone_lists and h.section in TARGETED_SECTIONS and aimed_elsewhere(c, h))
    ]
    if not hits:
        return None
    return Finding(tuple(a.evidence(h) for h in hits), f"argues with {article(who)}")


CRITERION = Criterion(
    code="feeding",
    kind="risk",
    title="Feeds the troll",
    message="engages a troll the scenario says to leave, or argues with a rager",
    better="Leave trolls alone (hide abuse under house rules); give a rager one calm line and an offer to talk in DM.",
    catches=(
        "Any answer to a post whose expectation is `answer: none` (by default a troll's or a bot's), and arguing "
        "(\"actually…\", \"you're wrong\", \"calm down\", or a hostile remark) with a rager or troll."
    ),
    why=(
        "USAF Web Posting Response Assessment: a troll → monitor, don't answer, notify; a rager → monitor, don't "
        "engage. Arguing with either is feeding. Social media policies: avoid heated exchanges that can't be won "
        "(DOMAIN.md)."
    ),
    params=FeedingParams,
    check=check,
)
