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


def test_gated_regexes_find_what_a_scan_finds(tmp_path: Path) -> None:
    """A regex gated on the words it starts with is tried only where they start; it finds what a scan finds."""
    (tmp_path / "g.txt").write_text(
        "[s]\n"
        "re:\\b(?:we|i)(?:'ll| will) (?:fix|refund)\\b\n"  # anchored at "we" / "i"
        "re:\\bboxes? of \\w+ \\w+\n"  # anchored at the stem "box"
        "re[cheap]:\\b(?:very|so) cheap\\b\n",  # a named gate: scanned when the word occurs
        encoding="utf-8",
    )
    lex = Lexicon(["g"], directory=tmp_path)
    text = normalize("We'll fix it. Unboxed? boxes of of of tea; I will refund, we will refund so cheap. we'll")
    hits = [(h.start, h.end) for h in lex.find(text)["g"]]
    assert hits == [(h.start, h.end) for h in lex.find(text, scan=True)["g"]]
    # "boxes of of of" overlaps itself: the first match hides the offsets it covers, as a scan does
    assert [text[a:b] for a, b in hits] == ["we'll fix", "boxes of of of", "i will refund", "we will refund", "so cheap"]


def test_shipped_gates_agree_with_a_scan() -> None:
    """On real replies, the shipped lists' gated regexes find exactly what scanning every regex finds."""
    from scoring import Scorer
    from scoring.evaluate import load_labelled

    lex = Scorer().lexicon
    texts = [normalize(it["reply"]["text"]) for it in load_labelled() if it["reply"]["text"]]
    assert len(texts) > 5000
    for text in texts:
        assert lex.find(text) == lex.find(text, scan=True), text
