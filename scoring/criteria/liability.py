"""liability — the reply admits fault or legal liability."""

from __future__ import annotations

import re

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class LiabilityParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("liability",), description="Word lists of fault admissions.")
    negation_window: int = 3


# a condition on the facts ("the manager will answer for it if this turns out to be true") admits nothing (tenth round)
_CONDITIONAL = re.compile(
    r"\bif (?:true|(?:this|that|it|what you say|what you describe)(?:'s| is| was)? (?:true|the case|correct|confirmed)|"
    r"(?:this|that|it) turns out\b)"
)


def check(c: Check) -> Finding | None:
    a = c.reply
    return lex_finding(c, [h for h in hits_of(c) if not _CONDITIONAL.search(a.norm[slice(*a.sentence_of(h.start))])])


# "this wasn't caused by anything you did", "not your fault": clearing the commenter, which admits nothing by itself
_CLEARS_COMMENTER = re.compile(
    r"\b(?:(?:wasn't|was not|isn't|is not|not)\s+(?:caused by|down to|because of|due to)\s+(?:anything|something)\s+"
    r"(?:you|u)\b|nothing (?:you|u) did|not (?:your|ur) fault|(?:you|u) did(?:n't| not| nothing) (?:do )?(?:anything )?wrong)"
)
# …unless the reply also names a failing or a culprit on the brand's side
_NAMES_A_FAILING = re.compile(
    r"\b(?:our|staff|team|supplier|contractor|partner|system|mistake|error|wrong(?:ly)?|should(?:n't)? have|"
    r"should've|fail(?:ed|ure)?|mess(?:ed)?|glitch|bug|(?<!your )fault(?!\w))"
)


def admits_learned(c: Check) -> bool:
    """An admission made on a condition is the rule's call: the learned detector can't read the "if". Nor can it
    read a reply that only clears the commenter ("this wasn't caused by anything you did, and we're sorry it
    happened"): with no failing or culprit named on the brand's side, that is regret, not an admission."""
    norm = c.reply.norm
    if _CONDITIONAL.search(norm):
        return False
    cleared = _CLEARS_COMMENTER.search(norm)
    if cleared is None:
        return True
    rest = norm[: cleared.start()] + " " + norm[cleared.end() :]
    return _NAMES_A_FAILING.search(rest) is not None


CRITERION = Criterion(
    code="liability",
    kind="risk",
    title="Admits fault or liability",
    message="admits fault or legal liability in public",
    better="Apologise for the experience, not for fault: \"I'm sorry this happened — we're looking into it.\"",
    catches=(
        "Replies that accept fault or legal responsibility: \"it's our fault\", \"we messed up\", \"we take full "
        "responsibility\", \"our driver made a mistake\", \"we'll cover the damage\" — and indirect ones that agree the "
        "brand failed (\"we let you down\", \"we should've sorted the heating\", \"it's been a shambles\"), action "
        "against the brand's own staff over what they did (\"he'll be dealt with\") and a hedged guess that still blames "
        "the brand (\"we probably underestimated demand\"). Not an admission on a condition (\"…will answer for it if this "
        "turns out to be true\"), nor clearing the commenter with regret (\"this wasn't caused by anything you did, "
        "and we're sorry it happened\"). Regret for "
        "the experience (\"sorry for the wait\", \"not the experience we want\") is not an admission. Negated forms "
        "(\"this wasn't caused by…\") and quoted words are not counted."
    ),
    why=(
        "Situational Crisis Communication Theory (Coombs, 2007): a *regret* apology is always fine from the front "
        "line, but an apology that *accepts fault* is a rebuild decision reserved for approved statements; from a "
        "front-line reply it is an admission of liability. Escalate instead (DOMAIN.md, Crisis response strategy)."
    ),
    params=LiabilityParams,
    check=check,
    admits_learned=admits_learned,
)
