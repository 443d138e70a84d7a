"""private_channel — takes personal matters to DM or another private channel."""

from __future__ import annotations

import re

from pydantic import Field

from .._text import in_ranges
from ..pii import EMAIL
from ..types import Evidence
from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of

__all__ = ["CRITERION"]


class PrivateChannelParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("private_channel",), description="DM and private-channel cues.")
    negation_window: int = 1
    mailboxes: bool = Field(default=True, description="A team's e-mail address given as the way to reach it.")


# mailboxes that route a question to a public-facing team (escalation), not a personal matter to a private channel
_ROUTING = frozenset(["press", "media", "newsroom", "news", "comms", "communications", "ir", "investor", "investors",
                      "compliance", "regulatory", "dpo", "pressoffice"])
# what comes before an address offered as a way to reach a team: "email …", "our deposits team is on …",
# "the privacy team answers questions at …", "drop a line to the People team at …"
_MAILBOX_CUE = re.compile(
    r"(?:\b(?:e-?mail(?:ing)?|write to|drop (?:us |them )?a line to|contact|reach)(?<!will contact)(?<!'ll contact)"
    r"\s+(?:(?:us|them)\s+|(?:our|the)\s+[^.!?\n]{0,40}?)?(?:directly\s+)?(?:at|on|via)?"
    r"|\b(?:team|office|desk|department|service|services|line|hr|people|unit|centre|center)\b[^.!?\n]{0,50}"
    r"\b(?:on|at|via))\s*:?\s*$"
)
_GOVERNMENT = re.compile(r"\.gov(?:\.[a-z]{2})?$")  # a regulator's own mailbox is not the brand's channel


def _mailboxes(c: Check) -> list[Evidence]:
    """A team's address given as the way to reach it ("you can email billing@…"), not a routing mailbox."""
    a = c.reply
    out = []
    for m in EMAIL.finditer(a.norm):
        if a.quotes and in_ranges(m.start(), m.end(), a.quotes):
            continue
        local, _, domain = m.group().partition("@")
        if re.split(r"[._-]", local)[0] in _ROUTING or _GOVERNMENT.search(domain):
            continue
        if _MAILBOX_CUE.search(a.norm[max(0, m.start() - 90) : m.start()]):
            out.append(a.span_evidence(m.start(), m.end(), "regex:mailbox"))
    return out


def check(c: Check) -> Finding | None:
    if c.action == "dm":
        return Finding((Evidence("fact:channel", fact="answered by direct message"),))
    hits = hits_of(c)
    if hits:
        return Finding(tuple(c.reply.evidence(h) for h in hits))
    p: PrivateChannelParams = c.params
    boxes = _mailboxes(c) if p.mailboxes and "@" in c.reply.norm else []
    if boxes:
        return Finding(tuple(boxes))
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
        "support team\", \"via our secure chat\", a team's own e-mail address offered as the way to reach it (\"you can "
        "email billing@…\"; not a press, investor or regulatory mailbox, which routes the question: `escalation`), or "
        "answering by DM in the first place."
    ),
    why=(
        "HHS enforcement on review replies: the right move for anything personal is a private channel. FINRA Notice "
        "17-18: private follow-up only through official, recorded channels. The commonest real brand reply is "
        "\"sorry to hear that — please DM us so we can look into it\" (DOMAIN.md)."
    ),
    params=PrivateChannelParams,
    check=check,
)
