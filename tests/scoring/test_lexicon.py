from __future__ import annotations

from pathlib import Path

import pytest

from scoring import ScoringError
from scoring._text import normalize, quote_ranges
from scoring.lexicon import Lexicon, expand


def test_expand_braces_and_optional() -> None:
    """{a|b} alternatives expand, an empty branch is optional."""
    assert expand("we{ will|'ll} refund") == ["we will refund", "we'll refund"]
    assert expand("{so |}sorry") == ["so sorry", "sorry"]


def test_lexicon_matches_on_word_boundaries(tmp_path: Path) -> None:
    """Phrases match whole words; a trailing * lets the word run on."""
    (tmp_path / "t.txt").write_text("[s]\nass\nidiot*\nre:\\bf[*]+k\\b\n", encoding="utf-8")
    lex = Lexicon(["t"], directory=tmp_path)
    hits = lex.find(normalize("Class assist: idiots! f**k"))
    assert [(h.start, h.end) for h in hits["t"]] == [(14, 20), (22, 26)]
    assert hits["t"][0].detector == "lexicon:t/s"


def test_normalize_keeps_offsets() -> None:
    """Normalising curly quotes and case never changes the length."""
    text = "We’re “SORRY” — İstanbul"
    assert len(normalize(text)) == len(text) and normalize(text).startswith("we're \"sorry\"")


def test_quote_ranges_skip_apostrophes() -> None:
    """Contractions are not quotes; 'single' and "double" quotes are."""
    n = normalize("we can't say 'idiot' or \"clown\"; it's fine")
    spans = [n[a:b] for a, b in quote_ranges(n)]
    assert spans == ["'idiot'", '"clown"']


def test_read_list_errors_name_file_and_line(tmp_path: Path) -> None:
    """A bad entry is an error naming the file, the line and the fix."""
    (tmp_path / "bad.txt").write_text("ok\n{a|b\n", encoding="utf-8")
    with pytest.raises(ScoringError, match=r"bad\.txt:2: unbalanced braces"):
        Lexicon(["bad"], directory=tmp_path)
    with pytest.raises(ScoringError, match="cannot read word list 'missing'"):
        Lexicon(["missing"], directory=tmp_path)
