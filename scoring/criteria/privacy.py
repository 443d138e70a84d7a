"""privacy — the reply exposes personal data in public, or asks for it in public."""

from __future__ import annotations

import re

from pydantic import Field

from ..types import Evidence
from ._base import PUBLIC_TEXT, Check, Criterion, Finding, LexiconParams

__all__ = ["CRITERION"]


class PrivacyParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("privacy",), description="Asking for / disclosing personal data.")
    negation_window: int = 2
    private_cues: str = Field(default="private_channel", description="List whose hit in the sentence makes an ask private.")
    echo_threshold: float = Field(default=88, ge=50, le=100, description="rapidfuzz partial-ratio cut-off for an echo.")
    patterns: bool = Field(default=True, description="Look for e-mails, phones, cards, labelled numbers, addresses.")


# "you can check your balance", "to update your address": the data is the object of an instruction to the reader
_INSTRUCTION = re.compile(
    r"\b(?:check|view|see|manage|update|change|access|track|find|reset|review|download|pause|cancel|edit|verify|protect|"
    r"secure|keep|freeze|lock|look at|log into|sign into)\s+$"
)
_MENTION = re.compile(r"@(\w+)")
# the brand giving its own contact route: "call us on 0800 …", "email our billing team at billing@…"
_OWN_ROUTE = re.compile(
    r"\b(?:call|ring|phone|text|whatsapp|email|e-mail|contact|reach|write to)\s+"
    r"(?:us|our\s+(?:[a-z-]+\s+){0,2}?(?:team|line|desk|office|helpline|centre|center))\b"
)
_NUMBER_OR_ADDRESS = re.compile(r"\d[\d ()-]{5,}\d|@\w")
# ... unless the reply also speaks of the person's own circumstances, which the learned detector may read
_PERSONAL = re.compile(
    r"\byour\s+(?:[a-z]+\s+)?(?:son|daughter|child|toddler|baby|kid|kids|mum|mom|dad|wife|husband|partner|diagnosis|"
    r"condition|treatment|illness|medication|address|flat|house|room|account|arrears|debt|salary)\b|\bunwell\b|\bpregnan"
)


def _mentioned(post: str, author: str | None) -> tuple[str, ...]:
    """Handles the post mentions (other than its author): the brand is usually one of them."""
    own = (author or "").lstrip("@").lower()
    return tuple(m.lower() for m in _MENTION.findall(post) if m.lower() != own)


def _digits_and_words(text: str) -> str:
    """``text`` with only letters, digits and @ . kept, lower-cased: "+44 7700 900 612" and "+447700900612" agree."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "@.")


def check(c: Check) -> Finding | None:
    p: PrivacyParams = c.params
    a = c.reply
    ev: list[Evidence] = []
    bot = c.plan.kind == "bot"
    if p.patterns:
        found = c.pii.in_reply(a.text, a.norm, c.brand, _mentioned(c.ctx.post.text, c.ctx.post.author))
        if bot:  # a spam account's own number or address, repeated as a warning, is not personal data (tenth round)
            post = _digits_and_words(c.ctx.post.text)
            found = [e for e in found if _digits_and_words(e.text or "") not in post]
        ev += found
    texts = (c.ctx.post.text, *c.ctx.post.thread)
    cands = c.pii.candidates(texts) if not bot else None
    if cands:
        ev += c.pii.echoes(a.text, a.norm, cands, p.echo_threshold)
    private = a.all(p.private_cues)
    for h in a.spans("privacy", negation_window=p.negation_window, skip_quotes=p.skip_quotes):
        if h.section == "ask":
            lo, hi = a.sentence_of(h.start)
            if any(lo <= q.start < hi for q in private):
                continue  # "DM us your order number" is the right move
        elif h.section == "disclose" and _INSTRUCTION.search(a.norm[max(0, h.start - 40) : h.start]):
            continue  # "you can check your balance in the app": an instruction, not a disclosure
        ev.append(a.evidence(h))
    if not ev:
        return None
    seen: list[Evidence] = []
    for e in sorted(ev, key=lambda e: (e.start or 0, -(e.end or 0))):
        if seen and e.start is not None and seen[-1].end is not None and e.start < seen[-1].end:
            continue
        seen.append(e)
    return Finding(tuple(seen))


def admits_learned(c: Check) -> bool:
    """A reply that gives the brand's own number or address, and nothing the rules read as personal data, is the rules'
    call: the learned detector reads any phone number or address as someone's."""
    a = c.reply
    return not (_OWN_ROUTE.search(a.norm) and _NUMBER_OR_ADDRESS.search(a.text)) or bool(_PERSONAL.search(a.norm))


CRITERION = Criterion(
    code="privacy",
    kind="risk",
    title="Exposes personal data",
    message="repeats, exposes or asks for personal data in public",
    better="Take it private without repeating anything: \"Please DM us so we can look at your order.\"",
    catches=(
        "Personal data in a public reply: phone numbers (phonenumbers), e-mail addresses, card numbers (Luhn), "
        "order/account/booking numbers, street addresses, health or account details (\"your treatment\", \"your "
        "account shows\"), a third party's details — and any of these echoed from the customer's own post (rapidfuzz "
        "alignment against the thread). Also asking for such data in public (\"reply with your account number\"). "
        "Asking for it by DM, the brand's own support address or toll-free number, and a spam account's own number "
        "repeated as a warning are fine."
    ),
    why=(
        "HHS enforcement on replies to online reviews: two US dental practices paid $10,000 (2019) and $23,000 (2022) "
        "because public replies disclosed patients' names, conditions, treatment and insurance details. A public reply "
        "never confirms or repeats personal details and never asks for them in public (DOMAIN.md, Privacy)."
    ),
    params=PrivacyParams,
    check=check,
    actions=PUBLIC_TEXT,
    admits_learned=admits_learned,
)
