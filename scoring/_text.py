"""Text helpers shared by the detectors: length-preserving normalisation, clauses, quotes, negation.

Every helper keeps character offsets of the original reply intact, so an evidence span found in
the normalised text is a span of what the trainee typed.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

__all__ = [
    "clause_bounds",
    "clause_start",
    "in_ranges",
    "is_negated",
    "normalize",
    "quote_ranges",
    "words_before",
]

_TRANS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                        "\u2013": "-", "\u2014": "-", "\u02bc": "'", "`": "'"})


def normalize(text: str) -> str:
    """Lower-case and fold curly quotes and dashes, keeping the length (and so every offset) intact."""
    folded = text.translate(_TRANS)
    low = folded.lower()
    if len(low) == len(folded):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)  # e.g. 'İ' lowers to 2 chars


_CLAUSE_END = re.compile(r"[.!?;:\n]+(?=\s|$)|[,;:()\[\]]|\s-+\s|\b(?:but|however|though)\b")  # one \b test for the words


def clause_bounds(norm: str) -> list[int]:
    """Offsets where a clause begins (0 first), from punctuation and contrast words."""
    return [0] + [m.end() for m in _CLAUSE_END.finditer(norm)]


def clause_start(bounds: list[int], pos: int) -> int:
    """The start offset of the clause holding ``pos``."""
    i = bisect.bisect_right(bounds, pos) - 1
    return bounds[max(i, 0)]


_WORD = re.compile(r"[a-z0-9']+")


def words_before(norm: str, start: int, lo: int, n: int) -> list[str]:
    """The last ``n`` words of ``norm[lo:start]``."""
    return _WORD.findall(norm, lo, start)[-n:] if n > 0 else []


NEGATORS = frozenset(
    ["not", "no", "never", "cannot", "can't", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "couldn't", "shouldn't", "wouldn't", "haven't", "hasn't", "hadn't", "unable", "nor", "neither", "without", "nothing", "nobody", "cant", "wont", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "couldnt", "shouldnt", "wouldnt"]
)


def is_negated(norm: str, start: int, bounds: list[int], window: int) -> bool:
    """True when one of the ``window`` words before ``start`` in its clause is a negator."""
    if window <= 0:
        return False
    words = words_before(norm, start, clause_start(bounds, start), window)
    return any(w in NEGATORS or w.endswith("n't") for w in words)


_DOUBLE = re.compile(r'"[^"\n]{1,300}"')
_SINGLE = re.compile(r"(?<![\w])'(?=\S)[^'\n]{1,200}?(?<=\S)'(?![\w])")
_BLOCK = re.compile(r"(?m)^>[^\n]*")
_QUOTES = ((_DOUBLE, '"'), (_SINGLE, "'"), (_BLOCK, ">"))  # each pattern and the character every match of it holds


@lru_cache(maxsize=4096)
def quote_ranges(norm: str) -> tuple[tuple[int, int], ...]:
    """Character ranges of quoted material: "double", 'single' (not apostrophes) and > lines."""
    out: list[tuple[int, int]] = []
    for rx, mark in _QUOTES:
        if mark in norm:  # a scan costs ~200 instructions a character even when nothing matches; most replies quote nothing
            out.extend((m.start(), m.end()) for m in rx.finditer(norm))
    return tuple(sorted(out))


def in_ranges(start: int, end: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    """True when ``[start, end)`` lies inside one of ``ranges``."""
    return any(a <= start and end <= b for a, b in ranges)
