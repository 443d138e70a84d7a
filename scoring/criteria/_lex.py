"""Helpers for criteria that are mostly word lists: collect hits, drop overlaps, build a finding."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..lexicon import Match
from ._base import Check, Finding, LexiconParams

__all__ = ["INSULT_SECTIONS", "TARGETED_SECTIONS", "hits_of", "lex_finding", "merge", "not_self_directed"]

# hostile.txt sections of insult words (at a person, or [harsh] at a service), and those plus the sections that are
# hostile only when aimed at the commenter (not at the brand itself, a third party or the situation)
INSULT_SECTIONS = frozenset({"insult", "harsh"})
TARGETED_SECTIONS = INSULT_SECTIONS | {"condescension", "blame"}

_SELF = re.compile(r"\b(?:we|i)(?:'ve been|'re|'m| are| were| was| am| have been| had been| look| looked| feel| felt| sound| sounded)(?: (?:so|really|totally|truly|a bit|bit|such|being|just|absolutely|completely|properly))*$")
_WORDS = re.compile(r"\S+")


def merge(hits: Iterable[Match]) -> list[Match]:
    """Hits in text order with overlaps removed (the longer hit wins)."""
    out: list[Match] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if out and h.start < out[-1].end:
            if h.end > out[-1].end and (h.end - h.start) > (out[-1].end - out[-1].start):
                out[-1] = h
            continue
        out.append(h)
    return out


def hits_of(
    c: Check,
    *,
    sections: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    skip_reported: str | None = None,
) -> list[Match]:
    p: LexiconParams = c.params
    found = c.reply.hits
    if found.keys().isdisjoint(p.word_lists):
        return []  # the common case: none of the criterion's lists has a hit in the reply
    hits: list[Match] = []
    for name in p.word_lists:
        hits += c.reply.spans(
            name,
            sections=sections,
            exclude=exclude,
            negation_window=p.negation_window,
            skip_quotes=p.skip_quotes,
            skip_reported=skip_reported,
        )
    return merge(hits)


def lex_finding(c: Check, hits: list[Match], reason: str = "") -> Finding | None:
    if not hits:
        return None
    return Finding(tuple(c.reply.evidence(h) for h in hits), reason)


def not_self_directed(c: Check, hits: list[Match], sections: Iterable[str] = INSULT_SECTIONS) -> list[Match]:
    """Drop insults the brand says of itself ("we've been rubbish lately", "we were useless today"): not hostility."""
    wanted = set(sections)
    out = []
    for h in hits:
        if h.section in wanted:
            lo = c.reply.clause_of(h.start)[0]
            before = " ".join(_WORDS.findall(c.reply.norm[lo : h.start])[-5:])
            if _SELF.search(before):
                continue
        out.append(h)
    return out
