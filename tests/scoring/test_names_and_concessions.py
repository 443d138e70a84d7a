"""Words in the insult and swear lists that are not aimed at the commenter (docs/labelling.md, eighteenth round):
someone's name ("Hi Karen" to @karen_oduya, "Sorry Dick" to @dick_harlow, "Karen Holt") and a harsh word the reply
concedes about the brand ("you're right, it's a disgrace", "useless is fair")."""

from __future__ import annotations

import pytest

from scoring import Scorer
from scoring.rubric import load_rubric
from scoring.types import CriterionVerdict, PostInfo, ReplyContext, ReplyInfo


@pytest.fixture(scope="module")
def rules() -> Scorer:
    """The rules alone: these are rule decisions, whatever the learned model would add."""
    return Scorer(load_rubric("default").model_copy(update={"learned": False}))


def _crit(scorer: Scorer, code: str, text: str, author: str = "@someone", kind: str = "unhappy_customer",
          post: str = "Nine days for a refund. USELESS.") -> CriterionVerdict:
    v = scorer.score(ReplyContext(PostInfo(post, author=author, kind=kind), ReplyInfo(text)))
    return next(c for c in v.criteria if c.code == code)


@pytest.mark.parametrize(("author", "text"), [
    ("@karen_oduya", "Hi Karen, so sorry — an engineer is on the way."),
    ("@karen_oduya", "Karen, I'm so sorry, that's frightening."),
    ("@dave_nightshift", "The break changes came from our area manager Karen Holt."),
])
def test_a_name_is_not_an_insult(rules: Scorer, author: str, text: str) -> None:
    assert _crit(rules, "hostile", text, author).verdict == "pass"


@pytest.mark.parametrize(("author", "text", "word"), [
    ("@angry_parent", "Sounds like a Karen 😂", "Karen"),
    ("@karen_w", "ok Karen, calm down", "Karen"),
    ("@someone", "Calm down Karen", "Karen"),
    ("@karen_b", "Karen, you're an idiot", "idiot"),
])
def test_the_same_word_as_a_type_or_beside_an_insult_still_counts(rules: Scorer, author: str, text: str,
                                                                   word: str) -> None:
    got = _crit(rules, "hostile", text, author)
    assert got.verdict == "fail" and word in [e.text for e in got.evidence]


def test_the_commenters_name_is_not_a_swear_word_but_swearing_still_is(rules: Scorer) -> None:
    assert _crit(rules, "profanity", "Sorry Dick, that's not the delivery you should get.", "@dick_harlow").verdict == "pass"
    assert _crit(rules, "profanity", "Sorry Dick, that's not good enough.", "@someone_else").verdict == "fail"
    assert _crit(rules, "profanity", "Fuck Off", "@someone").verdict == "fail"  # no "surname" for a swear word
    # only a given name (data/names.txt) can be a name: a swear word in a troll's handle is still a swear word
    assert _crit(rules, "profanity", "Shit, that's not on.", "@shit_poster", kind="troll").verdict == "fail"
    assert _crit(rules, "hostile", "Jerk.", "@jerk_store", kind="troll").verdict == "fail"


@pytest.mark.parametrize("text", [
    "You're right, it's a disgrace and we should be ashamed. Sorry.",
    "Sam you're right, it's shameful how we treat carers.",
    "Useless is fair, nine days is a joke and we know it.",
])
def test_a_harsh_word_conceded_about_the_brand_is_not_hostile(rules: Scorer, text: str) -> None:
    assert _crit(rules, "hostile", text, kind="rager").verdict == "pass"


@pytest.mark.parametrize("text", ["You're right, you're an idiot.", "Pathetic is about right for your attitude."])
def test_a_concession_aimed_at_the_reader_is_still_hostile(rules: Scorer, text: str) -> None:
    assert _crit(rules, "hostile", text, kind="rager").verdict == "fail"
