"""private_channel — takes personal matters to DM or another private channel."""

from __future__ import annotations

from pydantic import Field

from ..types import Evidence
from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of

__all__ = ["CRITERION"]


class PrivateChannelParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("private_channel",), description="DM and private-channel cues.")
    negation_window: int = 1


def check(c: Check) -> Finding | None:
    if c.action == "dm":
        return Finding((Evidence("fact:channel", fact="answered by direct message"),))
    hits = hits_of(c)
    if hits:
        return Finding(tuple(c.reply.evidence(h) for h in hits))
    if "private_channel" in c.plan.expected and not ({"reply", "quote"} & set(c.plan.via)):
        fact = f"answered in public ({c.action}); the scenario expects {' or '.join(c.plan.via)}"
        return Finding((Evidence("fact:channel", fact=fact),), verdict="missed")
    return None


CRITERION = Criterion(
    code="private_channel",
    kind="good",
    title="Takes it private",
    message="doesn't take a personal matter to a private channel",
    met_message="takes the personal matter to a private channel",
    better="\"Could you send us a DM? We'll look at your account there.\"",
    catches=(
        "Moving a personal matter off the public timeline: \"DM us\", \"send us a direct message\", \"email our "
        "support team\", \"via our secure chat\", or answering by DM in the first place."
    ),
    why=(
        "HHS enforcement on review replies: the right move for anything personal is a private channel. FINRA Notice "
        "17-18: private follow-up only through official, recorded channels. The commonest real brand reply is "
        "\"sorry to hear that — please DM us so we can look into it\" (DOMAIN.md)."
    ),
    params=PrivateChannelParams,
    check=check,
)
