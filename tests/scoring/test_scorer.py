from __future__ import annotations

import threading

import pytest

from scenarios.models import Expectation
from scoring import Scorer, ScoringError, summarize
from scoring.types import PostInfo, ReplyContext, ReplyInfo

CUSTOMER = PostInfo("Your app has been down for 3 hours and I can't pay my rent!!", author="@dana_r", kind="unhappy_customer")
TROLL = PostInfo("lol @NovaPay is run by clowns 🤡", author="@shade", kind="troll")


def ctx(text: str, post: PostInfo = CUSTOMER, **kw: object) -> ReplyContext:
    return ReplyContext(post=post, reply=ReplyInfo(text=text, action=kw.pop("action", "reply")), **kw)  # type: ignore[arg-type]


def test_score_good_reply_passes(scorer: Scorer) -> None:
    """A regret apology with a DM next step passes with no flags."""
    v = scorer.score(ctx("So sorry, Dana — please DM us and we'll help you pay today."))
    assert v.passed and v.score == 100 and v.flags == ()
    assert {"empathy", "next_step", "private_channel"} <= set(v.good)


def test_score_critical_risk_gates_the_reply(scorer: Scorer) -> None:
    """A critical risk fails the reply whatever the average and caps the score."""
    v = scorer.score(ctx("So sorry Dana, this is totally our fault. Please DM us."))
    assert "liability" in v.flags and not v.passed and v.score <= scorer.rubric.gate_cap


def test_score_negated_promise_is_not_a_promise(scorer: Scorer) -> None:
    """'We can't promise a date yet' is not a promise."""
    assert "promise" not in scorer.score(ctx("We can't promise a date yet, sorry.")).flags


def test_score_quoted_insult_is_not_ours(scorer: Scorer) -> None:
    """Quoting the customer's words back is not a hostile remark of ours."""
    post = PostInfo("you are useless clowns", kind="unhappy_customer")
    assert "hostile" not in scorer.score(ctx('You called us "useless clowns" - fair today. Sorry.', post)).flags
    assert "hostile" not in scorer.score(ctx("You called us useless clowns, and today that's fair. Sorry.", post)).flags
    assert "hostile" in scorer.score(ctx("You are useless clowns.", PostInfo("hi"))).flags


@pytest.mark.parametrize("text", ["Oh great, another genius who can't read the manual :)", "lol, nobody cares."])
def test_score_sarcasm_is_hostile(scorer: Scorer, text: str) -> None:
    """Sarcasm that sentiment scores read as positive is caught by patterns."""
    v = scorer.score(ctx(text))
    assert "hostile" in v.flags
    ev = next(c for c in v.criteria if c.code == "hostile").evidence
    assert all(text[e.start : e.end] == e.text for e in ev if e.start is not None)


def test_score_answering_troll_is_feeding(scorer: Scorer) -> None:
    """Any answer to a troll the table says to leave is feeding; hiding it is fine."""
    assert "feeding" in scorer.score(ctx("Thanks for the feedback!", TROLL)).flags
    hidden = scorer.score(ctx("", TROLL, action="hide"))
    assert hidden.passed and hidden.flags == ()


def test_score_helpful_answer_to_a_troll_earns_no_good_practice(scorer: Scorer) -> None:
    """An answer to a post that should be left alone is feeding, however helpful it reads: the good handling was not
    to answer, so it earns no empathy, next step or private channel (docs/labelling.md, seventh round)."""
    text = "Sorry you feel that way! Please DM us and we'll help: novapay.example/help"
    for action in ("reply", "dm"):
        v = scorer.score(ctx(text, TROLL, action=action))
        assert "feeding" in v.flags and v.good == (), (action, v.good)
        assert not [cv for cv in v.criteria if cv.code in ("empathy", "next_step", "private_channel", "sourced")]
    helped = scorer.score(ctx(text))  # the same words to a customer do show good practice
    assert {"next_step", "private_channel"} <= set(helped.good)


def test_score_liking_troll_is_endorsement(scorer: Scorer) -> None:
    """Liking a troll's post endorses it; the evidence is a fact."""
    v = scorer.score(ctx("", TROLL, action="like"))
    assert v.flags == ("endorsement",)
    assert v.criteria[0].evidence[0].fact and "troll" in v.criteria[0].evidence[0].fact


def test_score_allowed_offer_excuses_that_promise_only(scorer: Scorer) -> None:
    """The scenario's approved offer is not a promise; another commitment still is."""
    exp = Expectation(allowed_offer="refund the late fee")
    assert "promise" not in scorer.score(ctx("Sorry! We'll refund the late fee. DM us.", expect=exp)).flags
    assert "promise" in scorer.score(ctx("Sorry! We'll refund you a whole year.", expect=exp)).flags


def test_score_allow_relaxes_and_avoid_tightens(scorer: Scorer) -> None:
    """allow turns a failing risk into a pass; avoid makes it critical."""
    text = "Sorry — probably a DNS issue. DM us."
    relaxed = scorer.score(ctx(text, expect=Expectation(allow=["speculation"])))
    assert "speculation" not in relaxed.flags
    strict = scorer.score(ctx(text, expect=Expectation(avoid=["speculation"])))
    assert "speculation" in strict.flags and not strict.passed


def test_score_route_requires_escalation(scorer: Scorer) -> None:
    """A journalist's question must be routed to the press office."""
    journo = PostInfo("How many customers were affected?", kind="journalist")
    missed = scorer.score(ctx("About 200, we think.", journo))
    assert any(c.code == "escalation" and c.verdict == "missed" for c in missed.criteria)
    assert "escalation" in scorer.score(ctx("Our press office will answer: press@novapay.example", journo)).good


def test_score_silence_right_and_wrong(scorer: Scorer) -> None:
    """Silence is right for a troll and a miss when an answer was required."""
    ok = scorer.score_silence(TROLL, None, 300)
    assert ok.score == 100 and ok.passed and "left alone as expected" in ok.to_dict()["criteria"][0]["evidence"][0]["fact"]
    miss = scorer.score_silence(CUSTOMER, Expectation(within=300), 300)
    assert miss.score == 0 and not miss.passed
    assert miss.criteria[0].code == "timeliness" and "no answer within 300 s" in (miss.criteria[0].evidence[0].fact or "")


def test_score_timeliness_uses_latency(scorer: Scorer) -> None:
    """An answer after the window is a timeliness miss with the latency as evidence."""
    v = scorer.score(ctx("Sorry Dana, DM us.", latency_s=412, expect=Expectation(within=300)))
    tl = next(c for c in v.criteria if c.code == "timeliness")
    assert tl.verdict == "missed" and "412 s" in (tl.evidence[0].fact or "")


def test_score_rejects_unknown_action(scorer: Scorer) -> None:
    """An unknown action is an error naming the accepted ones."""
    bad = ReplyContext(post=CUSTOMER, reply=ReplyInfo(text="x", action="wave"))  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="cannot score action 'wave'.*use one of"):
        scorer.score(bad)


def test_score_is_thread_safe(scorer: Scorer) -> None:
    """Concurrent scoring gives the same verdicts as sequential scoring."""
    texts = ["So sorry — DM us.", "lol nobody cares", "We'll refund you today!", "Order #48213 is fine"] * 25
    expected = [scorer.score(ctx(t)).to_dict() for t in texts]
    results: list[list[dict[str, object]]] = [[] for _ in range(4)]

    def run(i: int) -> None:
        results[i] = [scorer.score(ctx(t)).to_dict() for t in texts]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_scorer_loads_rubric_by_name_and_path() -> None:
    """A rubric resolves by name in scoring/rubrics/ or as a file path."""
    from scoring.rubric import RUBRIC_DIR

    assert Scorer("default").name == Scorer(RUBRIC_DIR / "default.yaml").name == "default"


def test_summarize_counts_and_means(scorer: Scorer) -> None:
    """summarize gives the mean score, pass/fail and per-code counts; 0 when empty."""
    vs = [scorer.score(ctx("So sorry, DM us.")), scorer.score(ctx("lol nobody cares"))]
    s = summarize(vs)
    assert s["count"] == 2 and s["score"] == round((vs[0].score + vs[1].score) / 2)
    assert s["by_code"]["hostile"] == {"pass": 1, "fail": 1} and s["passed"] is False
    assert summarize([])["score"] == 0 and summarize([], pass_mark=50)["pass_mark"] == 50
