"""Word lists in data files, matched in one pass with an Aho-Corasick automaton.

A list is ``scoring/data/<name>.txt``: one entry a line, ``#`` comments, ``[section]`` headers that
name the detector in evidence (``lexicon:hostile/sarcasm``). An entry is a phrase matched on word
boundaries in the normalised reply, with two conveniences expanded at load time:

* ``{a|b|}`` alternatives: ``we{ will|'ll} refund`` is two phrases; an empty branch makes it optional;
* a trailing ``*`` lets the last word run on: ``idiot*`` matches idiot, idiots, idiotic.

A line starting ``re:`` is a regular expression (applied to the normalised text) for what a phrase
can't say; ``re[w1|w2]: …`` also names words one of which every match contains (as a word or word
start), so the regex only runs on texts the automaton saw one of them in. All lists of a rubric share one automaton, so a reply is scanned once.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

from .errors import ScoringError

__all__ = ["DATA_DIR", "Lexicon", "Match", "expand", "read_list"]

DATA_DIR = Path(__file__).parent / "data"
_BRACES = re.compile(r"\{([^{}]*)\}")
_RE_LINE = re.compile(r"re(?:\[([^\]]*)\])?:")


@dataclass(frozen=True, slots=True)
class Match:
    """One hit of a list in a text: ``[start, end)`` and the section it came from."""

    start: int
    end: int
    list: str
    section: str

    @property
    def detector(self) -> str:
        return f"lexicon:{self.list}/{self.section}" if self.section else f"lexicon:{self.list}"


def expand(entry: str) -> list[str]:
    """Expand ``{a|b}`` alternatives into every phrase they stand for."""
    parts = _BRACES.split(entry)
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return [" ".join("".join(combo).split()) for combo in itertools.product(*choices)]


@dataclass(frozen=True, slots=True)
class _Entry:
    section: str
    phrases: tuple[str, ...] = ()
    regex: str | None = None
    gate: tuple[str, ...] = ()


def read_list(name: str, directory: Path = DATA_DIR) -> list[_Entry]:
    """Read one data file into entries; raise ScoringError naming the file and line on a bad entry."""
    path = directory / f"{name}.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        known = ", ".join(sorted(p.stem for p in directory.glob("*.txt")))
        raise ScoringError(f"cannot read word list {name!r} at {path}: {exc.strerror}; known lists: {known}") from exc
    section = ""
    out: list[_Entry] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.split(" #", 1)[0].strip() if not _RE_LINE.match(raw.lstrip()) else raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        m = _RE_LINE.match(line)
        if m:
            pattern = line[m.end() :].strip()
            gate = tuple(w.strip() for w in (m.group(1) or "").split("|") if w.strip())
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ScoringError(f"cannot compile {path}:{lineno}: {exc}; fix the regular expression") from exc
            out.append(_Entry(section, regex=pattern, gate=gate))
            continue
        if line.count("{") != line.count("}"):
            raise ScoringError(f"cannot read {path}:{lineno}: unbalanced braces in {line!r}; use {{a|b}}")
        from ._text import normalize

        out.append(_Entry(section, phrases=tuple(normalize(p) for p in expand(line) if p)))
    return out


_LIT = re.compile(r"[a-z0-9']+")


def _is_word(ch: str) -> bool:
    """True for a word character as ``\\b`` reads it (a letter, digit or underscore; False for "")."""
    return ch.isalnum() or ch == "_"


def gate_words(pattern: str) -> tuple[str, ...]:
    """Word prefixes one of which must start any match of ``pattern`` (empty when none can be read off).

    Only patterns that open with ``\\b`` and a literal word, or ``\\b(?:w1…|w2…)``, are gated: the words are then
    found by the shared automaton, and the regex runs only on texts that contain one of them.
    """
    if not pattern.startswith("\\b"):
        return ()
    rest = pattern[2:]
    if rest.startswith("(?:"):
        depth, i = 0, 0
        for i, ch in enumerate(rest):
            if ch == "\\":
                continue
            if ch == "(" and (i == 0 or rest[i - 1] != "\\"):
                depth += 1
            elif ch == ")" and rest[i - 1] != "\\":
                depth -= 1
                if depth == 0:
                    break
        body, after = rest[3:i], rest[i + 1 : i + 2]
        if after in ("?", "*") or "(" in body:
            return ()
        alts = body.split("|")
    else:
        alts = [rest]
    words = []
    for alt in alts:
        m = _LIT.match(alt)
        if not m:
            return ()
        word, nxt = m.group(), alt[m.end() : m.end() + 1]
        if nxt in ("?", "*"):
            word = word[:-1]  # "drinks?" → the stem "drink"
        elif nxt in ("{", "[", "+"):
            return ()
        words.append(word)
    return tuple(w for w in words if w) if all(words) else ()


class Lexicon:
    """Several word lists compiled into one automaton plus one regex per (list, section).

    A regex entry that must start with one of a few words (see :func:`gate_words`) is compiled on its own and
    tried only where the automaton saw one of those words start (``match`` at that offset, not a scan of the
    text); an entry with named gate words (``re[w1|w2]:``) runs over the text when one of them occurs. A reply
    costs one pass plus a few anchored matches.
    """

    def __init__(self, names: Iterable[str], directory: Path = DATA_DIR, extra: Mapping[str, str] | None = None):
        self.names = tuple(dict.fromkeys(names))
        self._auto = ahocorasick.Automaton()
        self._regexes: list[tuple[str, str, re.Pattern[str]]] = []
        self._gated: list[tuple[str, str, re.Pattern[str]]] = []
        self._rank: dict[tuple[str, str], int] = {}  # (list, section) → place in the files: orders hits on one span
        table: dict[str, set[tuple[str, str, bool]]] = {}  # word → (list, section, stem) of the phrases it ends
        anchored_at: dict[str, set[int]] = {}  # word → gated regexes anchored where it starts
        scanned_on: dict[str, set[int]] = {}  # word → gated regexes scanned when it occurs
        for name in self.names:
            by_section: dict[str, list[str]] = {}
            for entry in read_list(name, directory):
                self._rank.setdefault((name, entry.section), len(self._rank))
                if entry.regex is not None:
                    # words read off the pattern start every match: the regex is anchored at their hits
                    anchored = not entry.gate
                    words = entry.gate or gate_words(entry.regex)
                    if words:
                        gid = len(self._gated)
                        self._gated.append((name, entry.section, re.compile(entry.regex)))
                        for w in words:
                            (anchored_at if anchored else scanned_on).setdefault(w, set()).add(gid)
                    else:
                        by_section.setdefault(entry.section, []).append(entry.regex)
                for phrase in entry.phrases:
                    stem = phrase.endswith("*")
                    key = phrase.rstrip("*")
                    table.setdefault(key, set()).add((name, entry.section, stem))
            for section, pats in by_section.items():
                rx = re.compile("|".join(f"(?:{p})" for p in pats))
                self._regexes.append((name, section, rx))
        for key in table.keys() | anchored_at.keys() | scanned_on.keys():
            # whether the key starts and ends with a word character: the boundary tests of find() need the text's
            # neighbouring characters only then
            self._auto.add_word(key, (len(key), _is_word(key[:1]), _is_word(key[-1:]), tuple(sorted(table.get(key, ()))),
                                      tuple(sorted(anchored_at.get(key, ()))), tuple(sorted(scanned_on.get(key, ())))))
        self._has_words = bool(table or anchored_at or scanned_on)
        if self._has_words:
            self._auto.make_automaton()

    def find(self, norm: str, *, scan: bool = False) -> dict[str, list[Match]]:
        """Every hit in the normalised text, grouped by list name, in text order.

        ``scan=True`` runs every gated regex over the whole text instead: the reference the gates must agree
        with (tests hold the two together on the labelled set).
        """
        out: dict[str, list[Match]] = {}
        gates: set[int] = set()  # gated regexes to run over the whole text
        anchors: dict[int, list[int]] = {}  # anchored gated regex → offsets where one of its words starts
        n = len(norm)
        if self._has_words:
            for end_idx, (length, word_first, word_last, labels, anchored, scanned) in self._auto.iter(norm):
                start = end_idx - length + 1
                if word_first and start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_"):
                    continue  # inside a word
                for g in anchored:
                    anchors.setdefault(g, []).append(start)
                if scanned:
                    gates.update(scanned)
                if not labels:
                    continue
                end = end_idx + 1
                right_open = word_last and end < n and (norm[end].isalnum() or norm[end] == "_")
                for name, section, stem in labels:
                    e = end
                    if right_open:  # the word runs on: only a stem entry (``idiot*``) matches, to the word's end
                        if not stem:
                            continue
                        while e < n and (norm[e].isalnum() or norm[e] == "_"):
                            e += 1
                    out.setdefault(name, []).append(Match(start, e, name, section))
        regexes = self._regexes
        if scan:
            regexes, anchors = regexes + self._gated, {}
        elif gates:
            regexes = regexes + [self._gated[g] for g in sorted(gates)]
        for name, section, rx in regexes:
            for m in rx.finditer(norm):
                if m.end() > m.start():
                    out.setdefault(name, []).append(Match(m.start(), m.end(), name, section))
        for g, starts in sorted(anchors.items()):
            # the same matches as finditer: every match starts at a gate word, and a match hides the
            # offsets it covers
            name, section, rx = self._gated[g]
            done = 0
            for pos in sorted(starts):
                if pos < done:
                    continue
                hit = rx.match(norm, pos)
                if hit is not None and hit.end() > pos:
                    out.setdefault(name, []).append(Match(pos, hit.end(), name, section))
                    done = hit.end()
        rank = self._rank
        for hits in out.values():
            # text order; hits on one span in the order their sections come in the files, however they were found
            if len(hits) > 1:
                hits.sort(key=lambda h: (h.start, -h.end, rank[(h.list, h.section)]))
        return out
