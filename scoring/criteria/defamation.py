"""defamation — the reply asserts wrongdoing by an identifiable person or company as fact."""

from __future__ import annotations

import re

from pydantic import Field

from ..lexicon import Match
from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]

_HANDLE = re.compile(r"@\w+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*\b|\b[A-Z]{2,}[a-z]*\b")
_COMMON = frozenset(
    ["I", "We", "Our", "Us", "It", "Its", "This", "That", "These", "Those", "They", "Their", "The", "A", "An", "You", "Your", "Sorry", "Hi", "Hey", "Hello", "Thanks", "Thank", "Please", "Yes", "No", "Not", "And", "But", "So", "Also", "Just", "Oh", "Ok", "Okay", "Well", "If", "When", "What", "Why", "How", "Honestly", "Sadly", "Unfortunately", "Look", "Listen", "Dear", "Team", "Yeah", "Wow", "Apologies", "Again", "As", "DM", "DMs", "PM", "Rest", "Sure", "Absolutely", "Totally", "Actually", "Agreed", "Exactly", "Facts", "Love", "Great", "Good", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "LOL", "OMG", "FYI", "TBH", "IMO", "URGENT", "UPDATE"]
)


class DefamationParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("defamation",), description="[accuse] terms and [party] nouns.")
    negation_window: int = 3
    hedges: str = Field(default="hedges", description="A hedge in the clause makes it a guess (speculation) instead.")


# "our factory cut corners" is the brand admitting fault (liability), not an accusation against someone else
_OWN = re.compile(r"^our (?:own )?(?:factory|factories|warehouse|kitchen|lab|laboratory|crew|airline|hotel|restaurant|shop|clinic|brand|company|firm|team|staff)$")


_HONORIFIC = re.compile(r"\b(?:dr|mr|mrs|ms|prof|st)\.\s*$", re.IGNORECASE)
# the accusation's subject is the brand's own people ("our staff at Crewe were negligent"): liability, not defamation
_OWN_SUBJECT = re.compile(
    r"(?:^|[\s,;:(-])our\s+(?:own\s+)?(?:[a-z-]+\s+)?(?:staff|team|crew|employees?|people|colleagues?|factory|warehouse|"
    r"kitchen|store|branch|drivers?|engineers?|nurses?|vets?|baristas?|agents?)\b(?:\s+(?:at|in|on|from)\s+\S+)?\s+(?:[a-z']+\s+){0,2}$"
)


def _sentence(c: Check, pos: int) -> tuple[int, int]:
    """The sentence holding ``pos``, not split after an honorific ("Dr. Patel has been sloppy")."""
    a = c.reply
    s, e = a.sentence_of(pos)
    while s > 1 and _HONORIFIC.search(a.text[max(0, s - 6) : s]):
        s = a.sentence_of(s - 2)[0]
    return s, e


def _third_party(c: Check, h: Match) -> bool:
    a = c.reply
    s, e = _sentence(c, h.start)
    if _OWN_SUBJECT.search(a.norm[s : h.start]) and not any(
        s <= p.start < e and not _OWN.match(a.norm[p.start : p.end]) for p in a.all("defamation", ("party",))
    ):
        return False
    if any(s <= p.start < e and not _OWN.match(a.norm[p.start : p.end]) for p in a.all("defamation", ("party",))):
        return True
    author = (c.ctx.post.author or "").lower()
    brand = (c.brand or "").lower()
    sent = a.text[s:e]
    for m in _HANDLE.finditer(sent):
        handle = m.group().lower()
        if handle not in (author, brand) and not brand.endswith(handle.lstrip("@")):
            return True
    first = re.match(r"\W*(\w+)", sent)
    first_word = first.group(1) if first else ""
    for m in _NAME.finditer(sent):
        word = m.group()
        if (
            word == first_word
            and not re.search(r"[a-z][A-Z]|^[A-Z]{2,}", word)
            and not _HONORIFIC.search(a.text[max(0, s - 6) : s])
            and not re.match(r"\s+[A-Z][a-z]+\b", sent[m.end() :])
        ):
            continue  # a capital at the start of a sentence names no one, unless camel-cased, an acronym or two names
        if word in _COMMON or word.lower() in brand.lower():
            continue
        if s + m.start() >= h.start - 60:
            return True
    return False


def check(c: Check) -> Finding | None:
    p: DefamationParams = c.params
    hedges = c.reply.all(p.hedges)
    hits = []
    for h in hits_of(c, sections=("accuse",), skip_reported=c.ctx.post.text):
        lo, _ = c.reply.clause_of(h.start)
        s, _e = c.reply.sentence_of(h.start)
        if any(min(lo, s) <= g.start < h.start for g in hedges):
            continue
        if _third_party(c, h):
            hits.append(h)
    return lex_finding(c, hits)


CRITERION = Criterion(
    code="defamation",
    kind="risk",
    title="Accuses someone",
    message="asserts wrongdoing by an identifiable person or company as fact",
    better="Say what you are doing, not who is guilty: \"We're looking into what happened with the delivery.\"",
    catches=(
        "An accusation (stole, lied, fraud, scam, drunk, negligent, covered up, to blame…) stated as fact about a "
        "third party the reader can identify: a named person or company, an @handle, \"the driver\", \"our "
        "supplier\", a competitor. Hedged guesses are `speculation`; insults at the commenter are `hostile`."
    ),
    why=(
        "Typical social media policy clauses: no rumours, no speculation about people; an accusation against a named "
        "person or company is a defamation risk (DOMAIN.md). SCCT (Coombs, 2007): scapegoating is a denial strategy "
        "that suits only rumours."
    ),
    params=DefamationParams,
    check=check,
)
