"""An admission of fault in public under a rager's post is endorsement too (docs/labelling.md, seventeenth round):
the scorer turns ``liability`` into ``endorsement`` there, with the admission as the evidence."""

from __future__ import annotations

import pytest

from scenarios.models import Expectation
from scoring import Scorer
from scoring.rubric import load_rubric
from scoring.types import CriterionVerdict, PostInfo, ReplyContext, ReplyInfo

RAGE = "7 HOURS on the tarmac and not even a glass of water. You are a JOKE @SkyvaleAir"
ADMISSION = "That's on us, Dan. Seven hours without water should never have happened."


@pytest.fixture(scope="module")
def rules() -> Scorer:
    """The rules alone: what fires does not depend on the learned model's weights."""
    return Scorer(load_rubric("default").model_copy(update={"learned": False}))


def _verdict(scorer: Scorer, kind: str, action: str = "reply", expect: Expectation | None = None,
             text: str = ADMISSION) -> dict[str, CriterionVerdict]:
    v = scorer.score(ReplyContext(PostInfo(RAGE, kind=kind), ReplyInfo(text, action), expect=expect))
    return {c.code: c for c in v.criteria}


def test_admission_under_a_rager_is_endorsement_with_the_admission_as_evidence(rules: Scorer) -> None:
    got = _verdict(rules, "rager")
    assert got["liability"].verdict == "fail"
    e = got["endorsement"]
    assert e.verdict == "fail" and "confirms the accusation" in e.reason
    spans = [(x.start, x.end, x.text) for x in e.evidence if x.start is not None]
    assert spans and spans == [(x.start, x.end, x.text) for x in got["liability"].evidence if x.start is not None]
    assert any(x.detector == "table:confirms" for x in e.evidence)
    for x in e.evidence:
        if x.start is not None:
            assert ADMISSION[x.start:x.end] == x.text


@pytest.mark.parametrize("kind", ["unhappy_customer", "influencer", "journalist", None])
def test_admission_answering_anyone_else_is_liability_only(rules: Scorer, kind: str | None) -> None:
    got = _verdict(rules, kind or "")
    assert got["liability"].verdict == "fail"
    assert got["endorsement"].verdict == "pass" and not got["endorsement"].evidence


def test_a_private_admission_or_no_admission_is_not_turned(rules: Scorer) -> None:
    assert "endorsement" not in _verdict(rules, "rager", action="dm")  # a DM amplifies nothing
    calm = _verdict(rules, "rager", text="Sorry for the wait, Dan. Please DM us your booking reference.")
    assert calm["liability"].verdict == "pass" and calm["endorsement"].verdict == "pass"


def test_a_scenario_that_allows_endorsement_keeps_it_passing(rules: Scorer) -> None:
    got = _verdict(rules, "rager", expect=Expectation(allow=["endorsement"]))
    assert got["endorsement"].verdict == "pass" and "allowed" in got["endorsement"].reason


def test_the_kinds_come_from_the_rubric() -> None:
    base = load_rubric("default")
    spec = base.criteria["endorsement"]
    off = spec.model_copy(update={"params": {**spec.params, "confirm_kinds": []}})
    scorer = Scorer(base.model_copy(update={"learned": False, "criteria": {**base.criteria, "endorsement": off}}))
    assert _verdict(scorer, "rager")["endorsement"].verdict == "pass"


def test_the_default_scorer_shows_the_admission_not_the_model_words(scorer: Scorer) -> None:
    """With the learned detector on, an endorsement under a rager's post that only the model found carries the
    admission's evidence and the table fact, not the words the model weighed."""
    e = _verdict(scorer, "rager")["endorsement"]
    assert e.verdict == "fail"
    assert any(x.detector == "table:confirms" for x in e.evidence)
    assert not any(x.detector == "learned:endorsement" for x in e.evidence)
