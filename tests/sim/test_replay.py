"""Replaying a drill log rebuilds the same engine state and continues identically."""

from __future__ import annotations

import pytest

from scenarios import Scenario
from sim import DrillCore, DrillError, Event, replay
from tests.fakes import KeywordScorer


def _played(mini: Scenario) -> tuple[DrillCore, list[Event]]:
    core = DrillCore(mini, 11, ("main",), KeywordScorer())  # type: ignore[arg-type]
    log: list[Event] = []
    log += core.apply(Event("participant.joined", 0, {"participant": "u1", "name": "U"}, "main", "u1"))
    log += core.apply(Event("drill.started", 0, {}, None, "trainer"))
    log += core.run(until=45)
    log += core.apply(Event("action", 45, {"action": "reply", "target": "main:p1", "text": "Sorry!"}, None, "u1", "c1"))
    log += core.run(until=100)
    log += core.apply(Event("drill.paused", 100, {}, None, "trainer"))
    log += core.apply(Event("drill.resumed", 100, {}, None, "trainer"))
    log += core.run(until=500)
    return core, log


def test_replay_rebuilds_state_and_continues_identically(mini: Scenario) -> None:
    """A core rebuilt from the log continues with exactly the events the original makes."""
    original, log = _played(mini)
    rebuilt = replay(DrillCore(mini, 11, ("main",), KeywordScorer()), log)  # type: ignore[arg-type]
    assert rebuilt.now == original.now
    assert rebuilt.status == original.status
    assert rebuilt.teams["main"].heat == original.teams["main"].heat
    assert [e.to_dict() for e in rebuilt.run(until=1300)] == [e.to_dict() for e in original.run(until=1300)]


def test_replay_detects_a_log_from_different_code(mini: Scenario) -> None:
    """A log that the engine cannot reproduce is refused with the event it disagrees on."""
    _, log = _played(mini)
    tampered = list(log)
    i = next(k for k, e in enumerate(tampered) if e.type == "post.created" and e.data["origin"] == "crowd")
    tampered[i] = Event("heat", tampered[i].t, {"delta": 1, "heat": 1}, "main")
    with pytest.raises(DrillError, match="cannot replay event"):
        replay(DrillCore(mini, 11, ("main",), KeywordScorer()), tampered)  # type: ignore[arg-type]
