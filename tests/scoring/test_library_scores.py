"""The bundled scenarios, played by the good / bad / silent bots at virtual time, rank the bots as intended.

The good bot answers with each post's `model_answer` (meant to be excellent), the bad bot with its `bad_answer`
(meant to be bad): the rubric must score the good team above both others on every scenario, and the bad
team's answers must still fire at least one of the scenario's branches (a bad answer has consequences).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scenarios.loader import load_scenario
from scoring import Scorer
from sim.rehearse import rehearse

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"
SCENARIOS = sorted(LIBRARY.glob("*.yaml"))


@pytest.fixture(scope="module")
def transcripts(scorer: Scorer) -> dict[str, dict[str, Any]]:
    return {p.stem: rehearse(load_scenario(p), scorer=scorer) for p in SCENARIOS}


def test_library_is_bundled() -> None:
    assert len(SCENARIOS) >= 13


@pytest.mark.parametrize("name", [p.stem for p in SCENARIOS])
def test_good_bot_outscores_bad_and_silent(transcripts: dict[str, dict[str, Any]], name: str) -> None:
    doc = transcripts[name]
    teams = {p["team"]: p for p in doc["participants"]}
    good, bad, silent = teams["good"]["score"], teams["bad"]["score"], teams["silent"]["score"]
    assert good > bad and good > silent, (name, good, bad, silent, teams["good"]["flags"])
    branches = [e for e in doc["events"] if e["type"] == "branch.fired" and e.get("team") == "bad"]
    assert branches, f"{name}: the bad bot fired no branch"


def test_model_answers_raise_no_risk_flag(transcripts: dict[str, dict[str, Any]]) -> None:
    """No model answer in the library fails a risk code (they are written to be excellent)."""
    flagged = {
        name: teams["flags"]
        for name, doc in transcripts.items()
        for teams in doc["participants"]
        if teams["team"] == "good" and teams["flags"]
    }
    assert not flagged, flagged
