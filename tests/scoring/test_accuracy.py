from __future__ import annotations

import pytest

from scoring import Scorer
from scoring.criteria import RISK_CODES
from scoring.evaluate import evaluate, load_labelled

TARGET_RISK = 0.85  # recall and precision, held-out
TARGET_GOOD_F1 = 0.85
# Held-out figures at the last recorded measurement (docs/scoring.md, "Held-out measurements"), rounded down:
# a change that lowers any of them fails. (The first measurement's floor was lower on every code.)
FLOOR = {
    "confidential": (1.00, 0.76), "defamation": (1.00, 0.71), "disclaimer": (1.00, 1.00),
    "discrimination": (1.00, 0.75), "endorsement": (1.00, 1.00), "feeding": (1.00, 1.00),
    "hostile": (0.86, 0.73), "liability": (1.00, 0.75), "privacy": (0.77, 0.77), "profanity": (1.00, 0.80),
    "promise": (1.00, 0.76), "repression": (1.00, 0.50), "speculation": (0.81, 0.90),
}
GOOD_FLOOR = {"empathy": 0.95, "next_step": 0.94, "private_channel": 0.95, "escalation": 0.95, "sourced": 0.87}
# The second held-out set (split heldout2), written from the rubric definitions before any tuning.
FLOOR2 = {
    "confidential": (0.92, 0.76), "defamation": (0.80, 0.80), "disclaimer": (1.00, 0.83),
    "discrimination": (1.00, 0.80), "endorsement": (1.00, 1.00), "feeding": (1.00, 0.90),
    "hostile": (0.88, 0.81), "liability": (1.00, 0.88), "privacy": (1.00, 0.80), "profanity": (0.83, 1.00),
    "promise": (0.92, 0.85), "speculation": (0.92, 0.92),
}
GOOD_FLOOR2 = {"empathy": 0.98, "next_step": 0.96, "private_channel": 0.94, "escalation": 0.95, "sourced": 1.00}


@pytest.fixture(scope="module")
def heldout(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] == "heldout"])


@pytest.fixture(scope="module")
def heldout2(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] == "heldout2"])


def test_labelled_set_is_big_and_varied() -> None:
    """At least 400 replies to at least 25 posts, with a held-out part."""
    items = load_labelled()
    assert len(items) >= 400 and len({i["post"]["text"] for i in items}) >= 25
    assert sum(i["split"] == "heldout" for i in items) >= 100
    assert sum(i["split"] == "heldout2" for i in items) >= 120


def test_heldout_does_not_regress(heldout: dict[str, dict[str, float]]) -> None:
    """Held-out precision/recall stay at or above the first measurement (regression floor)."""
    for code, (p, r) in FLOOR.items():
        assert heldout[code]["precision"] >= p - 1e-9 and heldout[code]["recall"] >= r - 1e-9, (code, heldout[code])
    for code, f1 in GOOD_FLOOR.items():
        assert heldout[code]["f1"] >= f1 - 1e-9, (code, heldout[code])


def test_heldout2_does_not_regress(heldout2: dict[str, dict[str, float]]) -> None:
    """The second held-out set stays at or above its recorded measurement."""
    for code, (p, r) in FLOOR2.items():
        assert heldout2[code]["precision"] >= p - 1e-9 and heldout2[code]["recall"] >= r - 1e-9, (code, heldout2[code])
    for code, f1 in GOOD_FLOOR2.items():
        assert heldout2[code]["f1"] >= f1 - 1e-9, (code, heldout2[code])


@pytest.mark.xfail(strict=True, reason="held-out risk targets not all met yet; see docs/scoring.md")
def test_heldout_meets_targets(heldout: dict[str, dict[str, float]], heldout2: dict[str, dict[str, float]]) -> None:
    """Every risk code reaches precision and recall 0.85 and every good practice F1 0.85 on both held-out sets."""
    for code, m in [*heldout.items(), *heldout2.items()]:
        if code in RISK_CODES:
            assert m["precision"] >= TARGET_RISK and m["recall"] >= TARGET_RISK, (code, m)
        else:
            assert m["f1"] >= TARGET_GOOD_F1, (code, m)
