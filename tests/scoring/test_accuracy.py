from __future__ import annotations

import pytest

from scoring import Scorer
from scoring.criteria import RISK_CODES
from scoring.evaluate import TUNING, evaluate, load_labelled

TARGET_RISK = 0.85  # recall and precision, on the blind set
TARGET_GOOD_F1 = 0.85
# The blind set (split heldout3, written before the third round's tuning) at its one recorded measurement
# (docs/scoring.md, "Held-out measurements", #4), rounded down: a change that lowers any of them fails.
FLOOR3 = {
    "confidential": (0.72, 0.47), "defamation": (0.83, 0.31), "disclaimer": (1.00, 0.81),
    "discrimination": (1.00, 0.35), "endorsement": (0.96, 0.91), "feeding": (0.92, 0.92),
    "hostile": (0.73, 0.63), "liability": (0.84, 0.68), "privacy": (1.00, 0.50), "profanity": (1.00, 0.75),
    "promise": (0.92, 0.70), "repression": (1.00, 0.95), "speculation": (0.86, 0.76),
}
GOOD_FLOOR3 = {"empathy": 0.96, "escalation": 0.78, "next_step": 0.92, "private_channel": 0.97, "sourced": 0.85}
# The tuning parts (tune + the former held-out sets heldout and heldout2, no longer blind), rounded down.
FLOOR_TUNING = {
    "confidential": (0.97, 0.93), "defamation": (1.00, 0.92), "disclaimer": (1.00, 1.00),
    "discrimination": (1.00, 1.00), "endorsement": (1.00, 1.00), "feeding": (1.00, 1.00),
    "hostile": (0.96, 0.94), "liability": (1.00, 0.97), "privacy": (1.00, 0.97), "profanity": (1.00, 1.00),
    "promise": (0.97, 0.98), "repression": (1.00, 0.66), "speculation": (0.95, 1.00),
}
GOOD_FLOOR_TUNING = {"empathy": 0.97, "escalation": 0.97, "next_step": 0.98, "private_channel": 1.00, "sourced": 0.98}


@pytest.fixture(scope="module")
def tuning(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] in TUNING])


@pytest.fixture(scope="module")
def heldout3(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] == "heldout3"])


def test_labelled_set_is_big_and_varied() -> None:
    """At least 400 replies to at least 25 posts; a blind part of ≥ 250 replies to ≥ 25 posts, ≥ 15 per risk code."""
    items = load_labelled()
    assert len(items) >= 400 and len({i["post"]["text"] for i in items}) >= 25
    blind = [i for i in items if i["split"] == "heldout3"]
    assert len(blind) >= 250 and len({i["post"]["text"] for i in blind}) >= 25
    for code in RISK_CODES:
        assert sum(code in i["codes"] for i in blind) >= 15, code
    assert not {i["post"]["text"] for i in blind} & {i["post"]["text"] for i in items if i["split"] != "heldout3"}


def _check(res: dict[str, dict[str, float]], floor: dict[str, tuple[float, float]], good: dict[str, float]) -> None:
    for code, (p, r) in floor.items():
        assert res[code]["precision"] >= p - 1e-9 and res[code]["recall"] >= r - 1e-9, (code, res[code])
    for code, f1 in good.items():
        assert res[code]["f1"] >= f1 - 1e-9, (code, res[code])


def test_tuning_does_not_regress(tuning: dict[str, dict[str, float]]) -> None:
    """The tuning parts stay at or above their recorded figures."""
    _check(tuning, FLOOR_TUNING, GOOD_FLOOR_TUNING)


def test_heldout3_does_not_regress(heldout3: dict[str, dict[str, float]]) -> None:
    """The blind set stays at or above its recorded measurement (regression floor)."""
    _check(heldout3, FLOOR3, GOOD_FLOOR3)


@pytest.mark.xfail(
    strict=True,
    reason="blind-set targets not met: confidential, defamation, discrimination, hostile, liability, privacy, "
    "profanity, promise, speculation (recall and/or precision) and escalation F1 miss; see docs/scoring.md",
)
def test_heldout3_meets_targets(heldout3: dict[str, dict[str, float]]) -> None:
    """Every risk code reaches precision and recall 0.85 and every good practice F1 0.85 on the blind set."""
    for code, m in heldout3.items():
        if code in RISK_CODES:
            assert m["precision"] >= TARGET_RISK and m["recall"] >= TARGET_RISK, (code, m)
        else:
            assert m["f1"] >= TARGET_GOOD_F1, (code, m)
