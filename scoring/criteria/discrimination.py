"""discrimination — slurs, stereotypes or remarks about a protected characteristic."""

from __future__ import annotations

import re

from pydantic import Field

from ..lexicon import Match
from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding, merge

__all__ = ["CRITERION"]

# a generalising predicate after a group is named: "… always/usually/tend to/just/are so/love a drink/can be hard"
_GENERIC = re.compile(
    r"\b(?:always|usually|often|generally|typically|mostly|tend to|tends to|just|all|love|loves|hate|hates|"
    r"can be|can get|get a bit|are (?:just|always|so|more|less|too|really|bad|not|never|hard|harder|the most|our most|"
    r"known|notorious|a menace|a nightmare|lazy|rude|loud|slow|useless|terrible)|is (?:harder|just|so|honestly)|"
    r"don't|do not|doesn't|never|hardly ever|rarely|struggle|struggles|can't|cannot|aren't|isn't|want it cheap|"
    r"send money|take longer|takes? twice as long|confuse|look like|do look|have (?:religious|cultural)|it's cultural|"
    r"shouldn't|really shouldn't|should really|shouldn't be|go for|knocked out|on peanuts|less demand|more likely)\b"
)
# a group the brand serves or supports, not one it generalises about: "our seniors' helpline", "step-free access"
_SERVICE = re.compile(
    r"\b(?:helpline|support|accessible|accessibility|assistance|step-free|welcome|prayer room|relay|adjustments?|"
    r"discounts?|concessions?|priority|dedicated|trained|training|inclusive|celebrate|sponsor|network)\b"
)
_QUANT = re.compile(r"\b(?:most|all|some of|many|typical|those|these|honestly|tbh)\s+(?:\S+\s+){0,2}$")


def _generalisations(c: Check) -> list[Match]:
    out: list[Match] = []
    a = c.reply
    for h in a.spans("groups", skip_reported=c.ctx.post.text):
        s, e = a.sentence_of(h.start)
        sentence = a.norm[s:e]
        if _SERVICE.search(sentence):
            continue
        after = a.norm[h.end : e]
        before = a.norm[s : h.start]
        m = _GENERIC.search(after)
        if (m and m.start() <= 60) or _QUANT.search(before):
            out.append(Match(h.start, min(e, h.end + (m.end() if m else 0)), "discrimination", "group"))
    return out


class DiscriminationParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("discrimination",), description="Slurs and stereotype patterns.")
    group_lists: tuple[str, ...] = Field(
        default=("groups",), description="Protected groups named as a group; a generalisation about one fires."
    )


def check(c: Check) -> Finding | None:
    return lex_finding(c, merge([*hits_of(c, skip_reported=c.ctx.post.text), *_generalisations(c)]))


CRITERION = Criterion(
    code="discrimination",
    kind="risk",
    title="Discriminatory content",
    message="uses a slur, a stereotype or a remark about a protected characteristic",
    better="Address the issue, never the person's age, sex, origin, religion, disability or language.",
    catches=(
        "Slurs, generalisations about a group (\"women always…\", \"you people from…\"), remarks about age, sex, "
        "origin, religion, disability or someone's English (\"ok boomer\", \"learn to speak English\")."
    ),
    why=(
        "Typical social media policy clauses: no discriminatory or harassing content (DOMAIN.md). A discriminatory "
        "brand reply is a crisis of its own and can breach equality law."
    ),
    params=DiscriminationParams,
    check=check,
)
