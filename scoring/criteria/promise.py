"""promise — the reply commits to an outcome, compensation or deadline it can't guarantee."""

from __future__ import annotations

import re

from pydantic import Field
from rapidfuzz import fuzz

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class PromiseParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("promise",), description="Word lists of commitments.")
    negation_window: int = 4
    hedges: str = Field(default="hedges", description="Word list whose hits before a commitment make it a guess.")
    offer_similarity: float = Field(
        default=60, ge=0, le=100, description="rapidfuzz token-set similarity to the approved offer that excuses it."
    )


def check(c: Check) -> Finding | None:
    p: PromiseParams = c.params
    hedges = c.reply.all(p.hedges)
    hits = []
    for h in hits_of(c):
        lo, hi = c.reply.clause_of(h.start)
        if any(lo <= g.start < hi and not (h.start <= g.start < h.end) for g in hedges):
            continue  # "hopefully back by 5" is a guess: speculation, not a promise
        if _is_offer(c, c.reply.norm[slice(*c.reply.sentence_of(h.start))]):
            continue
        hits.append(h)
    return lex_finding(c, hits)


def _is_offer(c: Check, text: str) -> bool:
    """True when ``text`` matches the goodwill offer the scenario approved."""
    offer = c.plan.allowed_offer
    return offer is not None and fuzz.token_set_ratio(offer.lower(), text) >= c.params.offer_similarity


# wording that withholds a commitment: the learned detector may not read a promise into it
_NO_COMMITMENT = re.compile(
    r"\bas soon as (?:we|i|possible)\b|\bno (?:date|timeline|eta|time ?frame|firm date) (?:yet|for now)\b|"
    r"\b(?:can't|cannot|can not|won't|not able to) (?:promise|guarantee|commit|give (?:a|you a) (?:date|time))\b|"
    r"\b(?:hope|hoping|aim|aiming|trying) to\b"
)


def admits_learned(c: Check) -> bool:
    """A hedge ("as soon as we can", "no date yet", "probably") or the approved offer is the rule's call, not the model's."""
    p: PromiseParams = c.params
    return not (c.reply.all(p.hedges) or _NO_COMMITMENT.search(c.reply.norm) or _is_offer(c, c.reply.norm))


CRITERION = Criterion(
    code="promise",
    kind="risk",
    title="Makes a promise",
    message="commits to an outcome, compensation or deadline the front line can't guarantee",
    better="Commit to what you control: \"We'll update you here by 3 pm\" rather than \"It'll be fixed by 3 pm\".",
    catches=(
        "Commitments to compensation (\"we'll refund you\", \"you'll get a voucher\"), guaranteed outcomes (\"I promise "
        "it will\", \"guaranteed\", \"this won't happen again\"), deadlines for a fix (\"back up by 5 pm\", \"it'll be "
        "pulled next week\") and prices held (\"prices are frozen until 2026\"). Not: negated forms (\"we can't promise a "
        "date yet\"), hedged guesses (those are `speculation`), commitments to update or follow up, and the goodwill "
        "offer a scenario approves with `allowed_offer`."
    ),
    why=(
        "SCCT (Coombs, 2007): compensation is a rebuild decision reserved for approved statements; from a front-line "
        "reply it is a promise the company may not keep. FINRA Rule 2210 forbids promissory or predictive statements "
        "(\"guaranteed\", \"you will get\") in regulated finance (DOMAIN.md)."
    ),
    params=PromiseParams,
    check=check,
    admits_learned=admits_learned,
)
