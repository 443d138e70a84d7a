"""A harsh word ("useless", "a disgrace", "ridiculous") is hostile only when it is said of the commenter or their
words (docs/labelling.md: `hostile` needs the commenter as its target). Said of a third party, a thing, a wait or the
brand's own conduct — as the predicate of its clause, in a sentence that agrees with the commenter, about an
allegation "if true", or of the situation in a sympathetic sentence — it is not (nineteenth round)."""

from __future__ import annotations

import pytest

from scoring import Scorer
from scoring.rubric import load_rubric
from scoring.types import PostInfo, ReplyContext, ReplyInfo


@pytest.fixture(scope="module")
def rules() -> Scorer:
    """The rules alone: these are rule decisions, whatever the learned model would add."""
    return Scorer(load_rubric("default").model_copy(update={"learned": False}))


def _hostile(scorer: Scorer, text: str, kind: str = "unhappy_customer") -> str:
    ctx = ReplyContext(PostInfo("Nine days for a refund and nobody answers. DISGRACE.", author="@sam_k", kind=kind),
                       ReplyInfo(text))
    return next(c for c in scorer.score(ctx).criteria if c.code == "hostile").verdict


@pytest.mark.parametrize("text", [
    "Sorry Meena, 4 months is f***ing ridiculous, DM us and I'll chase it.",
    "Our loss adjusting firm, ClaimRight, is useless and we're dropping them.",
    "That waiter, Jonno, never writes allergies down, he's useless.",
    "The girl on the till that day is new and honestly a bit useless, sorry!",
    "Honestly Gaz you're not wrong, closing this one is a disgrace and we should be ashamed.",
    "You're right Kev, cancelling that close to your anniversary is a disgrace.",
    "It's been a disgrace, you're right, we've let the river down.",
    "Absolutely shameful, couldn't agree more.",
    "We agree entirely. It is disgraceful, and management have ignored staff concerns.",
    "Shameful is right 😔",
    "Pathetic, yes. We hold our hands up.",
    "That's shameful if true, and the manager involved will answer for it.",
    "Rach, sorry you've had such a rubbish time trying to cancel. Please DM us.",
    "This rumour came from the SU president, who's been spreading nonsense all term.",
    "You're right, fining people at a hospital is shameful and we should stop.",
])
def test_a_harsh_word_about_something_else_is_not_hostile(rules: Scorer, text: str) -> None:
    assert _hostile(rules, text) == "pass"


@pytest.mark.parametrize(("text", "kind"), [
    ("That's absolute rubbish.", "misguided"),
    ("Stop spreading nonsense.", "misguided"),
    ("Your post is rubbish and you know it.", "misguided"),
    ("This claim is utter nonsense, my friend.", "misguided"),
    ("Basing a health scare on hearsay from a relative is bloody absurd.", "misguided"),
    ("Targeting pet owners in this way is contemptible.", "bot"),
    ("You're useless at reading the terms.", "unhappy_customer"),
    ("Pathetic effort, scammers.", "bot"),
])
def test_a_harsh_word_at_the_commenter_or_their_words_still_is(rules: Scorer, text: str, kind: str) -> None:
    assert _hostile(rules, text, kind) == "fail"
