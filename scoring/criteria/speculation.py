"""speculation — the reply guesses about causes, blame or outcomes."""

from __future__ import annotations

import re

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class SpeculationParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("speculation",), description="Hedged guesses and rumour cues.")
    negation_window: int = 2


# "it's probably easier to ring us", "maybe best to DM us": a hedged suggestion, not a guess about what happened
_SUGGESTION = re.compile(r"\s+(?:easier|better|best|quicker|simpler|faster|safer|worth|wise|wiser|a good idea)\b")
_HEDGE_WORDS = frozenset({"probably", "maybe", "perhaps", "possibly", "likely", "most likely"})


def check(c: Check) -> Finding | None:
    a = c.reply
    hits = [
        h for h in hits_of(c)
        if not (a.norm[h.start : h.end] in _HEDGE_WORDS and _SUGGESTION.match(a.norm, h.end))
    ]
    return lex_finding(c, hits)


CRITERION = Criterion(
    code="speculation",
    kind="risk",
    title="Speculates",
    message="guesses about causes, blame or outcomes",
    better="Say what is known and when you'll know more: \"We're still investigating and will share what we find.\"",
    catches=(
        "Hedged guesses about what caused something, who is to blame or how it will end: \"probably a DNS issue\", "
        "\"I think it was the update\", \"looks like a hacker\", \"might be the bank's fault\", \"hopefully back "
        "tonight\", and passing on rumours. Saying what is not yet known (\"we don't know the cause yet\") is fine."
    ),
    why=(
        "Typical social media policy clauses: no rumours, no speculation about causes or people (DOMAIN.md). SCCT "
        "(Coombs, 2007) asks for instructing and adjusting information — facts — first; a guess that turns out wrong "
        "becomes a second crisis."
    ),
    params=SpeculationParams,
    check=check,
)
