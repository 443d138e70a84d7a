"""discrimination — slurs, stereotypes or remarks about a protected characteristic."""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field

from ..lexicon import Lexicon, Match
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
# a place named with a group of its people (a regional stereotype; places are too many to list): "Croydon lot",
# "Grimsby lot", "from LA", "in Sunderland", "typical Brum" — a capitalised word, not a determiner ("The staff")
_PLACE_GROUP = re.compile(
    r"\b(?!(?:The|These|Those|Our|Your|Their|All|Most|Some|Many|Other|Local|Young|Old|Older|Younger|Good|Nice|Lovely|"
    r"Regular|Normal|Real|Ordinary|Few|Such|Any|Every|Both)\b)[A-Z][a-z]+\s+"
    r"(?:lot|lads|folk|folks|locals|people|crowd|fans|mob|types|staff|colleagues|drivers|riders)\b"
    r"|\b(?:from|in|round|up in|down in|typical)\s+(?:the\s+)?[A-Z][A-Za-z]+"
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
    markers: tuple[str, ...] = Field(
        default=("protected",),
        description="Word lists of words that point at a protected characteristic: the learned detector may add a "
        "verdict only to a reply with one (empty: no such condition). Read only when the model fires, not scanned.",
    )


def check(c: Check) -> Finding | None:
    return lex_finding(c, merge([*hits_of(c, skip_reported=c.ctx.post.text), *_generalisations(c)]))


@lru_cache(maxsize=8)
def _markers(names: tuple[str, ...]) -> Lexicon:
    """The marker lists, compiled the first time the learned detector fires: scanning them with every reply's lists
    would cost more than the model's check."""
    return Lexicon(names)


def admits_learned(c: Check) -> bool:
    """The learned detector reads "X always …" generalisations well, but not whether X is a protected group: it may
    add a verdict only to a reply that names or points at a protected characteristic (``data/protected.txt``), so
    "gamers always blame the ISP" or "typical YouTuber" stays a `hostile` question, not a discriminatory one."""
    p: DiscriminationParams = c.params
    if not p.markers or _markers(p.markers).find(c.reply.norm):
        return True
    return _PLACE_GROUP.search(c.reply.text) is not None  # "Croydon lot always …", "influencers from LA", "typical Brum"


CRITERION = Criterion(
    code="discrimination",
    kind="risk",
    title="Discriminatory content",
    message="uses a slur, a stereotype or a remark about a protected characteristic",
    better="Address the issue, never the person's age, sex, origin, religion, disability or language.",
    catches=(
        "Slurs, generalisations about a group (\"women always…\", \"you people from…\"), remarks about age, sex, "
        "origin, religion, disability or someone's English (\"ok boomer\", \"learn to speak English\"). "
        "The learned detector adds a verdict only to a reply that names or points at a protected characteristic "
        "(`scoring/data/protected.txt`, or a place with its people: \"Croydon lot\"): \"gamers always blame the ISP\" "
        "is a `hostile` question, not a discriminatory one."
    ),
    why=(
        "Typical social media policy clauses: no discriminatory or harassing content (DOMAIN.md). A discriminatory "
        "brand reply is a crisis of its own and can breach equality law."
    ),
    params=DiscriminationParams,
    check=check,
    admits_learned=admits_learned,
)
