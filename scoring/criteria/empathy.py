"""empathy — acknowledges feelings or apologises for the experience, without admitting liability."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of

__all__ = ["CRITERION"]


class EmpathyParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("empathy",), description="[acknowledge] phrases; [non] non-apologies.")
    negation_window: int = 1


def check(c: Check) -> Finding | None:
    non = c.reply.spans("empathy", sections=("non",))
    hits = [
        h for h in hits_of(c, exclude=("non",))
        if not any(n.start <= h.start < n.end or h.start <= n.start < h.end for n in non)
    ]
    if not hits:
        return None
    return Finding(tuple(c.reply.evidence(h) for h in hits))


def admits_learned(c: Check) -> bool:
    """A non-apology ("sorry you feel that way") is the rule's call: the learned detector may not read empathy into it."""
    return not c.reply.spans("empathy", sections=("non",))


CRITERION = Criterion(
    code="empathy",
    kind="good",
    title="Shows empathy",
    message="doesn't acknowledge how the commenter feels or apologise for the experience",
    met_message="acknowledges the commenter's feelings or apologises for the experience",
    better="Open with the person: \"I'm so sorry — that's a stressful thing to happen on payday.\"",
    catches=(
        "Regret apologies and acknowledgement: \"sorry to hear\", \"I'm sorry this happened\", \"that sounds "
        "frustrating\", \"thanks for your patience\", \"we hear you\". Non-apologies (\"sorry you feel that way\", "
        "\"sorry if you were offended\") don't count."
    ),
    why=(
        "SCCT (Coombs, 2007): everyone affected first gets adjusting information — sympathy and what is being done; "
        "a regret apology (\"I'm sorry this happened\") is always fine from the front line. Practice sources: "
        "acknowledge the specific issue, empathise, apologise for the experience, not for fault (DOMAIN.md)."
    ),
    params=EmpathyParams,
    check=check,
    admits_learned=admits_learned,
)
