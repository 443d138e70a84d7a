"""repression — hides, deletes or reports a critical but civil post (preview)."""

from __future__ import annotations

import re

from pydantic import Field

from ..types import Evidence
from ._base import Check, Criterion, Finding, Params, article

__all__ = ["CRITERION"]


class RepressionParams(Params):
    abuse_lists: tuple[str, ...] = Field(
        default=("hostile", "profanity", "discrimination"), description="A post with hits here may be hidden."
    )
    civil_sections: tuple[str, ...] = Field(
        default=("harsh", "sarcasm", "condescension", "blame", "argument", "dismissive", "banter"),
        description="Sections of those lists that are harsh but civil criticism in a post, not abuse "
        "('useless', 'you people'): they do not make a post hideable.",
    )
    person_lists: tuple[str, ...] = Field(
        default=("profanity",), description="Lists whose hits are abuse only when aimed at a person (staff, 'he')."
    )
    person_sections: tuple[str, ...] = Field(
        default=("insult",), description="Sections whose hits are abuse only when aimed at a person: 'clowns' or "
        "'thieves' said of the company is harsh but civil."
    )


# people an insult or a swear word in a post can be aimed at (staff, a named role, "he"): aimed at them it is abuse
_PERSON = re.compile(
    r"\b(?:he|she|him|her|his|staff|staffer|manager|managers|driver|drivers|guard|guards|cashier|cashiers|receptionists?|"
    r"woman|man|girl|bloke|lad|guy|nurses?|doctors?|stewards?|agents?|reps?|employees?|workers?|chairman|ceo|boss|"
    r"cleaners?|engineers?|fitters?|waiter|waitress|barista|teller|advis[eo]rs?|operators?|porter|clerk|assistants?|"
    r"directors?|owner|councillors?|people)\b"
)
# a threat of harm ("I hope your warehouse burns down", "someone should give him a kicking"): abuse, whoever it is at
_HARM = re.compile(
    r"\bhope (?:you|your|they|he|she|the|someone)\b[^.!?]{0,40}\b(?:burns?|burnt|dies?|rots?|suffers?|gets? hurt|gets? "
    r"(?:a )?kicking|gets? what's coming)\b|\bsomeone should\b[^.!?]{0,30}\b(?:kick|kicking|punch|hit|hurt|torch|burn)"
    r"|\b(?:i'll|i will|gonna|going to)\b[^.!?]{0,20}\b(?:hurt|smash|kill|burn|torch)\b"
)


def _abusive(c: Check, p: RepressionParams) -> bool:
    """Abuse in the post: a slur, a threat of harm, or an insult or swear word aimed at a person. Harsh words and
    swearing aimed at the company ("ARE THIEVES", "you lot are an absolute f***ing joke", "clowns", "hope you go bust")
    are harsh but civil criticism (docs/labelling.md, nineteenth round)."""
    post = c.post
    if _HARM.search(post.norm):
        return True
    for name in p.abuse_lists:
        for h in post.spans(name, skip_quotes=False, exclude=p.civil_sections):
            if name not in p.person_lists and h.section not in p.person_sections:
                return True  # a slur, a threat: abuse whoever it is at
            s, e = post.sentence_of(h.start)
            if _PERSON.search(post.norm[s:e]):
                return True
    return False


def check(c: Check) -> Finding | None:
    p: RepressionParams = c.params
    if c.action in c.plan.actions_ok or c.plan.hide == "ok":
        return None
    if _abusive(c, p):
        return None
    who = (c.plan.kind or "commenter").replace("_", " ")
    verb = {"hide": "hid", "delete": "deleted", "report": "reported"}.get(c.action, c.action)
    return Finding((Evidence("table:hide", fact=f"{verb} a civil post by {article(who)}"),))


CRITERION = Criterion(
    code="repression",
    kind="risk",
    title="Hides civil criticism",
    message="hides, deletes or reports a critical but civil post",
    better="Answer civil criticism; hide only abuse that breaks the house rules.",
    catches=(
        "Hiding, deleting or reporting a post that is critical but civil from a commenter whose posts the decision "
        "table says to answer. Insults and swearing aimed at the company (\"THIEVES\", \"you lot are a f***ing joke\", "
        "\"hope you go bust\") are harsh but civil. Hiding a troll's, bot's, competitor's or fan's post, or abuse — a "
        "slur, a threat of harm, an insult or swear word aimed at a person (\"your staff are idiots\") — is fine."
    ),
    why=(
        "SCCT practice (DOMAIN.md): deleting or hiding critical but civil comments is repression and tends to "
        "backfire; hiding abuse under house rules is fine. Deleting does not undo a post: screenshots outlive it."
    ),
    params=RepressionParams,
    check=check,
    actions=frozenset({"hide", "delete", "report"}),
)
