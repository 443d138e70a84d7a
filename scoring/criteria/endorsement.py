"""endorsement — reposts, likes or approvingly quotes what the brand should not amplify."""

from __future__ import annotations

from pydantic import Field

from ..types import Evidence
from ._base import Check, Criterion, Finding, LexiconParams, article
from ._lex import hits_of

__all__ = ["CRITERION"]


class EndorsementParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("endorsement",), description="[approve] phrases and [claim] cues.")
    negation_window: int = 2
    reply_kinds: tuple[str, ...] = Field(
        default=("troll", "rager", "misguided", "competitor", "bot", "employee"),
        description="Kinds whose posts a reply must not agree with (any kind when the post makes a claim).",
    )
    confirm_kinds: tuple[str, ...] = Field(
        default=("rager",),
        description="Kinds under whose posts a public admission of fault (a reply or quote that fails liability) is "
        "endorsement too: it confirms the accusation, whatever words it uses (docs/labelling.md, seventeenth round).",
    )
    abuse_lists: tuple[str, ...] = Field(
        default=("hostile", "profanity", "discrimination"), description="A post with hits here is never amplified."
    )


def _why_not(c: Check) -> str | None:
    """Why this post must not be amplified, or None if it may be."""
    p: EndorsementParams = c.params
    post = c.post
    claims = post.spans("endorsement", sections=("claim",), negation_window=0, skip_quotes=False)
    if claims:
        return f"the post claims {post.text[claims[0].start:claims[0].end]!r}"
    if not c.plan.amplify and c.plan.kind:
        return f"the post is by {article(c.plan.kind.replace('_', ' '))}"
    for name in p.abuse_lists:
        hits = post.spans(name, skip_quotes=False, exclude=("banter",))
        if hits:
            return f"the post contains {post.text[hits[0].start:hits[0].end]!r}"
    return None


def check(c: Check) -> Finding | None:
    action = c.action
    text = c.ctx.reply.text.strip()
    if action in ("like", "repost") or (action == "quote" and not text):
        why = _why_not(c)
        if why is None:
            return None
        verb = {"like": "liked", "repost": "reposted", "quote": "quoted"}[action]
        return Finding((Evidence("table:amplify", fact=f"{verb} a post the brand should not amplify: {why}"),))
    hits = hits_of(c, sections=("approve",))
    if not hits:
        return None
    p: EndorsementParams = c.params
    claims = c.post.spans("endorsement", sections=("claim",), skip_quotes=False)
    if c.plan.kind not in p.reply_kinds and not claims:
        return None
    why = _why_not(c)
    if why is None:
        return None
    ev = tuple(c.reply.evidence(h) for h in hits) + (Evidence("table:amplify", fact=f"agrees with a post where {why}"),)
    return Finding(ev)


CRITERION = Criterion(
    code="endorsement",
    kind="risk",
    title="Endorses what it shouldn't",
    message="amplifies or agrees with a post the brand should not adopt",
    better="Don't amplify claims, attacks or complaints; answer the facts in your own words, with a source.",
    catches=(
        "A like, repost or approving quote/reply (\"so true\", \"exactly\", \"💯\") of a post the brand must not "
        "adopt: a troll's, rager's, competitor's or bot's post, a false claim, a complaint, an abusive post, or any "
        "post making promissory or health claims (\"guaranteed returns\", \"cures\"). Liking a fan's plain praise is fine."
    ),
    why=(
        "FTC Endorsement Guides (16 CFR Part 255) and FINRA Notice 17-18 / Rule 2210: reposting or approvingly "
        "quoting a third party's claim adopts it — the brand now makes that claim; sharing or liking a customer's "
        "investment claim adopts it (DOMAIN.md, Endorsements)."
    ),
    params=EndorsementParams,
    check=check,
    actions=frozenset({"reply", "quote", "repost", "like"}),
)
