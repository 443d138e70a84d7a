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


# a name right after "our" is the brand's own thing: "our Content ID system", "our Leeds branch", "our CRM update"
_OUR_BEFORE = re.compile(r"\b(?:[Oo]ur|[Mm]y)\s+(?:own\s+)?(?:[A-Z][\w-]*\s+)*$")
_NOT_NAMES = frozenset(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December", "Everyone", "Anyone", "Nobody", "Everybody", "Someone", "Christmas", "Easter"]
)


# "maybe sit this one out", "maybe scan properly": a suggestion, not a guess
_SUGGESTION = re.compile(r"\s+(?:just\s+)?(?:don't|dont|sit|fix|sort|scan|try|check|get|look|stop|read|do|go|take|keep|think|pay|learn|ask|mention)\b")
# "you may be confusing us with X, who …", "perhaps X should look at its own dealers, who …": the hedge is about the
# commenter's mix-up or is a rhetorical jab, not a guess about the wrongdoing
_NOT_A_GUESS = re.compile(
    r"(?:\s+\S+){0,4}?\s+(?:confusing|mixing|thinking of|have in mind|should|ought|best|worth|attend|focus|concentrate)\b"
)


def _parties(c: Check, s: int, e: int) -> list[int]:
    """Where the sentence ``[s, e)`` points at someone a reader could identify other than the brand: a third-party
    noun ("the driver", "our supplier"), the commenter or a pronoun, an @handle, or a name ("Dr Hughes", "Nova"),
    not the brand's own things ("our Content ID system", "our CRM update")."""
    a = c.reply
    out = [p.start for p in a.all("defamation", ("party",)) if s <= p.start < e and not _OWN.match(a.norm[p.start : p.end])]
    out += [p.start for p in a.all("defamation", ("someone",)) if s <= p.start < e]
    sent = a.text[s:e]
    brand = (c.brand or "").lower()
    for m in _HANDLE.finditer(sent):
        if not (brand and brand.endswith(m.group().lower().lstrip("@"))):
            out.append(s + m.start())
    for m in _NAME.finditer(sent):
        word = m.group()
        if word in _COMMON or word in _NOT_NAMES or (brand and word.lower() in brand):
            continue
        if not _OUR_BEFORE.search(sent[: m.start()][-30:]):
            out.append(s + m.start())
    return out


def admits_learned(c: Check) -> bool:
    """The learned detector hears blame well but not who is blamed or how firmly: it may add a verdict only to a
    reply that points at someone other than the brand (a name, a handle, a third party, the commenter) with no hedge
    before it in its sentence or in its own clause. "Maybe the previous renter did it" and "sounds like the salesman
    at our Leeds branch" are `speculation`; "a known bug in our Content ID system" blames no one but the brand."""
    a = c.reply
    p: DefamationParams = c.params
    hedges = [g.start for g in a.all(p.hedges) if not (_SUGGESTION.match(a.norm, g.end) or _NOT_A_GUESS.match(a.norm, g.end))]
    pos, n = 0, len(a.text)
    while pos < n:
        s, e = a.sentence_of(pos)
        e = max(e, pos + 1)
        for q in _parties(c, s, e):
            end = a.clause_of(q)[1]
            if not any(s <= g < end for g in hedges):
                return True
        pos = e
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
        "supplier\", a competitor. Hedged guesses are `speculation`; insults at the commenter are `hostile`. The learned "
        "detector adds a verdict only to a reply that points at someone other than the brand with no hedge before it "
        "(\"maybe the previous renter did it\" and \"a known bug in our Content ID system\" are not accusations)."
    ),
    why=(
        "Typical social media policy clauses: no rumours, no speculation about people; an accusation against a named "
        "person or company is a defamation risk (DOMAIN.md). SCCT (Coombs, 2007): scapegoating is a denial strategy "
        "that suits only rumours."
    ),
    params=DefamationParams,
    check=check,
    admits_learned=admits_learned,
)
