"""The headless runner: bots through the real engine and the real rubric."""

from __future__ import annotations

from scenarios import Scenario
from sim import rehearse


def test_rehearse_transcript_shape_and_bot_ranking(mini: Scenario) -> None:
    """The transcript has scenario, seed, events and scored participants; good > bad, silent."""
    doc = rehearse(mini, ["good", "bad", "silent"], seed=5)
    assert doc["scenario"] == "mini-outage" and doc["seed"] == 5
    seqs = [e["seq"] for e in doc["events"]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert all({"seq", "type", "t"} <= set(e) for e in doc["events"])
    scores = {p["bot"]: p["score"] for p in doc["participants"]}
    assert set(scores) == {"good", "bad", "silent"}
    assert all(0 <= s <= 100 for s in scores.values())
    assert scores["good"] > scores["bad"] and scores["good"] > scores["silent"]


def test_rehearse_same_seed_same_transcript(mini: Scenario) -> None:
    """Two rehearsals with one seed produce the same events."""
    a = rehearse(mini, ["good", "bad"], seed=9)["events"]
    b = rehearse(mini, ["good", "bad"], seed=9)["events"]
    assert a == b


def test_rehearse_bad_bot_fires_a_branch(mini: Scenario) -> None:
    """The bad bot's hostile answer fires the pile-on in its own team only."""
    doc = rehearse(mini, ["good", "bad"], seed=2)
    fired = {(e["team"], e["data"]["branch"]) for e in doc["events"] if e["type"] == "branch.fired"}
    assert ("bad", "pile-on") in fired
    assert ("good", "pile-on") not in fired


def test_rehearse_paces_in_real_time_at_speed(mini: Scenario) -> None:
    """At a speed factor the runner sleeps drill-time / speed in total (with an injected sleep)."""
    slept: list[float] = []
    rehearse(mini, ["silent"], seed=1, speed=60, sleep=slept.append)
    assert abs(sum(slept) - 1200 / 60) < 0.01
