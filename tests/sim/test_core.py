"""The drill core at virtual time: timeline, crowd, branches, windows, determinism."""

from __future__ import annotations

import time

import pytest

from scenarios import Scenario
from sim import DrillCore, DrillError, Event
from tests.fakes import KeywordScorer


def make(mini: Scenario, seed: int = 7, teams: tuple[str, ...] = ("main",)) -> DrillCore:
    core = DrillCore(mini, seed, teams, KeywordScorer())  # type: ignore[arg-type]
    for team in teams:
        core.apply(Event("participant.joined", 0, {"participant": f"u-{team}", "name": team}, team))
    core.apply(Event("drill.started", 0))
    return core


def act(core: DrillCore, t: float, who: str, action: str, target: str, text: str = "") -> list[Event]:
    out = core.run(until=t)
    data = {"action": action, "target": target}
    if text:
        data["text"] = text
    return out + core.apply(Event("action", t, data, None, who, None))


def test_core_plays_20_minute_scenario_in_well_under_a_second(mini: Scenario) -> None:
    """A 20-minute drill runs to its end at virtual time in far less than a second."""
    core = make(mini)
    began = time.perf_counter()
    events = core.run(until=10_000)
    elapsed = time.perf_counter() - began
    assert core.status == "ended"
    assert events[-1].type == "drill.ended" and events[-1].t == pytest.approx(1200)
    assert elapsed < 0.5
    assert sum(e.type == "post.created" for e in events) > 50  # script + crowd


def test_core_same_seed_same_drill(mini: Scenario) -> None:
    """Two runs with one seed give identical event streams; another seed differs."""
    a = [e.to_dict() for e in make(mini, seed=3).run(until=2000)]
    b = [e.to_dict() for e in make(mini, seed=3).run(until=2000)]
    c = [e.to_dict() for e in make(mini, seed=4).run(until=2000)]
    assert a == b
    assert a != c


def test_core_scripted_posts_appear_at_their_offsets(mini: Scenario) -> None:
    """Each timeline post is created at its `at` offset with its expectation attached."""
    events = make(mini).run(until=300)
    scripted = [e for e in events if e.type == "post.created" and e.data["origin"] == "script"]
    assert [(e.data["post"]["ref"], e.t) for e in scripted] == [("p1", 30), ("t1", 60), ("p2", 240)]
    assert scripted[0].data["expect"]["within"] == 300


def test_core_no_answer_branch_escalates_and_misses_are_scored(mini: Scenario) -> None:
    """Ignoring p1 for 5 minutes fires the escalation and a zero-score silence verdict."""
    events = make(mini).run(until=400)
    fired = [e for e in events if e.type == "branch.fired"]
    assert [e.data["branch"] for e in fired] == ["escalate"]
    assert fired[0].t == pytest.approx(330)
    missed = [e for e in events if e.type == "silence.scored" and e.data["target"] == "main:p1"]
    assert missed and missed[0].data["verdict"]["score"] == 0
    heat = [e for e in events if e.type == "heat"]
    assert heat[0].data == {"delta": 2, "heat": 2}


def test_core_troll_left_alone_scores_full(mini: Scenario) -> None:
    """Not answering a troll the script says to leave earns a passing silence verdict."""
    events = make(mini).run(until=400)  # the default answer window is 5 minutes
    troll = [e for e in events if e.type == "silence.scored" and e.data["target"] == "main:t1"]
    assert troll and troll[0].data["verdict"]["score"] == 100


def test_core_hostile_answer_triggers_pile_on(mini: Scenario) -> None:
    """A flagged answer fires its branch: a quote-dunk burst about the answer and heat."""
    core = make(mini)
    out = act(core, 60, "u-main", "reply", "main:p1", "Not our problem, idiot.")
    answer = next(e for e in out if e.type == "action").data["post_id"]
    assert [e.data["branch"] for e in out if e.type == "branch.fired"] == ["pile-on"]
    later = core.run(until=200)
    quotes = [e for e in later if e.type == "post.created" and e.data["post"].get("quote_of") == answer]
    assert len(quotes) == 5
    assert any(e.type == "heat" and e.data["heat"] == 3 for e in later)


def test_core_good_answer_calms_and_prevents_escalation(mini: Scenario) -> None:
    """A high-scoring answer fires the calming branch and the no-answer branch never fires."""
    core = make(mini)
    out = act(core, 90, "u-main", "reply", "p1", "Sorry Dana, we're on it.")
    assert [e.data["branch"] for e in out if e.type == "branch.fired"] == ["calm"]
    rest = core.run(until=2000)
    assert "escalate" not in [e.data["branch"] for e in rest if e.type == "branch.fired"]
    assert not [e for e in rest if e.type == "silence.scored" and e.data["target"] == "main:p1"]


def test_core_deleting_an_answer_is_remembered(mini: Scenario) -> None:
    """Deleting a reply fires the screenshot branch; the post stays known as deleted."""
    core = make(mini)
    out = act(core, 60, "u-main", "reply", "main:p1", "Not our problem, idiot.")
    answer = next(e for e in out if e.type == "action").data["post_id"]
    out = act(core, 70, "u-main", "delete", answer)
    assert [e.data["branch"] for e in out if e.type == "branch.fired"] == ["screenshot"]
    assert core.teams["main"].posts[answer].deleted


def test_core_teams_have_separate_networks(mini: Scenario) -> None:
    """A branch fired in one team leaves the other team's network untouched."""
    core = make(mini, teams=("red", "blue"))
    act(core, 60, "u-red", "reply", "red:p1", "Sorry Dana")
    events = core.run(until=400)
    fired = {(e.team, e.data["branch"]) for e in events if e.type == "branch.fired"}
    assert ("blue", "escalate") in fired and ("red", "escalate") not in fired


@pytest.mark.parametrize(
    ("action", "target", "text", "match"),
    [
        ("reply", "main:nope", "hi", "no such post"),
        ("reply", "main:p1", "", "empty reply"),
        ("reply", "main:p1", "x" * 300, "allows 280"),
        ("delete", "main:p1", "", "someone else's post"),
        ("shout", "main:p1", "hi", "actions are"),
    ],
)
def test_core_refuses_bad_actions_with_clear_errors(
    mini: Scenario, action: str, target: str, text: str, match: str
) -> None:
    """Invalid actions raise DrillError naming what is wrong, and change nothing."""
    core = make(mini)
    core.run(until=60)
    before = len(core.teams["main"].posts)
    with pytest.raises(DrillError, match=match):
        act(core, 60, "u-main", action, target, text)
    assert len(core.teams["main"].posts) == before


def test_core_refuses_actions_before_start_and_from_strangers(mini: Scenario) -> None:
    """Only joined participants act, and only once the drill has started."""
    core = DrillCore(mini, 1, ("main",), KeywordScorer())  # type: ignore[arg-type]
    core.apply(Event("participant.joined", 0, {"participant": "u1"}, "main"))
    with pytest.raises(DrillError, match="not started"):
        core.apply(Event("action", 0, {"action": "like", "target": "main:p1"}, None, "u1"))
    core.apply(Event("drill.started", 0))
    with pytest.raises(DrillError, match="join the drill first"):
        core.apply(Event("action", 0, {"action": "like", "target": "main:p1"}, None, "stranger"))


def test_core_controls_validate_state_and_speed(mini: Scenario) -> None:
    """Pause/resume follow the drill state and speed stays within 0.25x-100x."""
    core = make(mini)
    with pytest.raises(DrillError, match="not paused"):
        core.apply(Event("drill.resumed", 1))
    core.apply(Event("drill.paused", 1))
    with pytest.raises(DrillError, match="only a running drill pauses"):
        core.apply(Event("drill.paused", 1))
    with pytest.raises(DrillError, match="0.25x to 100x"):
        core.apply(Event("drill.speed", 1, {"speed": 500}))
    assert core.apply(Event("drill.speed", 1, {"speed": "60"}))[0].data == {"speed": 60.0}


def test_core_inject_new_post_and_scripted_item(mini: Scenario) -> None:
    """The trainer injects a new post from a persona, or fires a scripted item early."""
    core = make(mini)
    out = core.apply(Event("trainer.inject", 5, {"persona": "lee", "text": "Any comment?"}, None, "trainer"))
    created = [e for e in out if e.type == "post.created"]
    assert created[0].data["post"]["author"]["handle"] == "@lee_reports"
    assert created[0].data["origin"] == "inject"
    out = core.apply(Event("trainer.inject", 6, {"item": "p3"}, None, "trainer"))
    assert [e.data["post"]["ref"] for e in out if e.type == "post.created"] == ["p3"]
    with pytest.raises(DrillError, match="no such persona"):
        core.apply(Event("trainer.inject", 7, {"persona": "ghost", "text": "boo"}, None, "trainer"))


def test_core_engagement_grows_with_influence(mini: Scenario) -> None:
    """Posts by influential personas collect more likes than those of small accounts."""
    core = make(mini)
    core.run(until=600)
    posts = core.teams["main"].posts
    assert posts["main:p2"].likes > posts["main:t1"].likes
