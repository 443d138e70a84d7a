"""A reply (or post) analysed once: normalised text, clauses, quotes and every word-list hit.

Criteria read an :class:`Analysis` instead of scanning the text again, which keeps a full rubric
to one automaton pass and a few regexes per reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ._text import clause_bounds, clause_start, in_ranges, is_negated, normalize, quote_ranges
from .lexicon import Lexicon, Match
from .types import Evidence

__all__ = ["Analysis", "analyse"]

_EMPTY: list[Match] = []


@dataclass(slots=True)
class Analysis:
    text: str
    norm: str
    bounds: list[int]
    quotes: tuple[tuple[int, int], ...]
    hits: dict[str, list[Match]]
    _reported: list[Match] = field(default_factory=list)

    def all(self, name: str, sections: Iterable[str] | None = None) -> list[Match]:
        """Every hit of list ``name`` (optionally only these sections), with no filtering."""
        hits = self.hits.get(name, _EMPTY)
        if sections is None:
            return hits
        wanted = set(sections)
        return [h for h in hits if h.section in wanted]

    def spans(
        self,
        name: str,
        *,
        sections: Iterable[str] | None = None,
        exclude: Iterable[str] = (),
        negation_window: int = 0,
        skip_quotes: bool = True,
        skip_reported: str | None = None,
    ) -> list[Match]:
        """Hits of list ``name`` that are ours: not quoted, not negated, not reported speech."""
        if name not in self.hits:
            return []  # the common case (most lists have no hit in a reply): no filter sets built
        out: list[Match] = []
        excl = set(exclude)
        for h in self.all(name, sections):
            if h.section in excl:
                continue
            if skip_quotes and self.quotes and in_ranges(h.start, h.end, self.quotes):
                continue
            if negation_window and is_negated(self.norm, h.start, self.bounds, negation_window):
                continue
            if skip_reported and self._is_reported(h, skip_reported):
                continue
            out.append(h)
        return out

    def _is_reported(self, h: Match, source: str) -> bool:
        """True when ``h`` repeats the commenter's own words (in ``source``) after a reported-speech cue."""
        if self.norm[h.start : h.end] not in normalize(source):
            return False
        lo = clause_start(self.bounds, h.start)
        # reported speech ("you called us useless") usually spans a comma-free clause; look back to the sentence
        for r in self.hits.get("reported", _EMPTY):
            if r.end <= h.start and (r.start >= lo or h.start - r.end <= 40):
                return True
        return False

    def clause_of(self, pos: int) -> tuple[int, int]:
        """``[start, end)`` of the clause holding ``pos``."""
        start = clause_start(self.bounds, pos)
        nxt = [b for b in self.bounds if b > pos]
        return start, (nxt[0] if nxt else len(self.norm))

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """``[start, end)`` of the sentence holding ``pos`` (split on . ! ? and new lines)."""
        n = self.norm
        start = max(n.rfind(c, 0, pos) for c in ".!?\n") + 1
        ends = [i for i in (n.find(c, pos) for c in ".!?\n") if i != -1]
        return start, (min(ends) + 1 if ends else len(n))

    def evidence(self, h: Match, detector: str | None = None) -> Evidence:
        return Evidence(detector=detector or h.detector, start=h.start, end=h.end, text=self.text[h.start : h.end])

    def span_evidence(self, start: int, end: int, detector: str) -> Evidence:
        return Evidence(detector=detector, start=start, end=end, text=self.text[start:end])


def analyse(text: str, lexicon: Lexicon) -> Analysis:
    """Normalise ``text`` and run every list of ``lexicon`` over it once."""
    norm = normalize(text)
    return Analysis(text=text, norm=norm, bounds=clause_bounds(norm), quotes=quote_ranges(norm), hits=lexicon.find(norm))
