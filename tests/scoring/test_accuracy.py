from __future__ import annotations

import pytest

from scoring import Scorer
from scoring.criteria import RISK_CODES
from scoring.evaluate import BLIND, TUNING, evaluate, load_labelled

TARGET_RISK = 0.85  # recall and precision, on the blind set
TARGET_GOOD_F1 = 0.85
# The blind set (split heldout23, written by two helpers from docs/labelling.md alone before the twenty-third round's
# changes were measured on it) at its one recorded measurement (docs/scoring.md, "Held-out measurements", #27), rounded
# down: a change that lowers any fails.
FLOOR_BLIND = {
    "confidential": (0.82, 0.89), "defamation": (0.84, 0.86), "disclaimer": (1.00, 0.97),
    "discrimination": (0.86, 0.95), "endorsement": (0.87, 0.87), "feeding": (0.97, 0.90), "hostile": (0.86, 0.90),
    "liability": (0.88, 0.74), "privacy": (0.88, 0.86), "profanity": (1.00, 0.97), "promise": (0.93, 0.92),
    "repression": (1.00, 1.00), "speculation": (0.86, 0.93),
}
GOOD_FLOOR_BLIND = {"empathy": 0.96, "escalation": 0.91, "next_step": 0.95, "private_channel": 0.94, "sourced": 0.96}
# The tuning parts (everything but heldout23; the learned detector was fitted on them, so these are in-sample), rounded
# down. discrimination's recall is 0.98, not 1.00: the learned detector may add it only where a protected characteristic
# is named (data/protected.txt), and about 60 in-sample replies name none the list knows. defamation's is 0.99 for a like
# reason: the learned detector may add it only where a reply points at someone with no hedge before it, and about 25
# in-sample replies (lower-case names, "sounds like X" labelled before the guide made hedged blame `speculation`) don't.
FLOOR_TUNING = {
    "confidential": (0.99, 1.00), "defamation": (0.98, 0.99), "disclaimer": (0.99, 1.00),
    "discrimination": (0.99, 0.98), "endorsement": (0.97, 0.99), "feeding": (0.96, 0.90), "hostile": (0.96, 0.99),
    "liability": (0.98, 0.99), "privacy": (0.97, 0.99), "profanity": (0.99, 1.00), "promise": (0.98, 0.98),
    "repression": (0.99, 0.98), "speculation": (0.96, 1.00),
}
GOOD_FLOOR_TUNING = {"empathy": 0.98, "escalation": 0.95, "next_step": 0.97, "private_channel": 0.96, "sourced": 0.95}


@pytest.fixture(scope="module")
def tuning(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] in TUNING])


@pytest.fixture(scope="module")
def blind(scorer: Scorer) -> dict[str, dict[str, float]]:
    return evaluate(scorer, [i for i in load_labelled() if i["split"] in BLIND])


def test_labelled_set_is_big_and_varied() -> None:
    """At least 400 replies to at least 25 posts; a blind part of ≥ 250 replies to ≥ 25 posts, ≥ 15 per risk code."""
    items = load_labelled()
    assert len(items) >= 400 and len({i["post"]["text"] for i in items}) >= 25
    assert {i["split"] for i in items} <= {*TUNING, *BLIND}
    blind = [i for i in items if i["split"] in BLIND]
    assert len(blind) >= 250 and len({i["post"]["text"] for i in blind}) >= 25
    for code in RISK_CODES:
        assert sum(code in i["codes"] for i in blind) >= 15, code
    assert not {i["post"]["text"] for i in blind} & {i["post"]["text"] for i in items if i["split"] not in BLIND}
    assert len({i["id"] for i in items}) == len(items)


def _check(res: dict[str, dict[str, float]], floor: dict[str, tuple[float, float]], good: dict[str, float]) -> None:
    for code, (p, r) in floor.items():
        assert res[code]["precision"] >= p - 1e-9 and res[code]["recall"] >= r - 1e-9, (code, res[code])
    for code, f1 in good.items():
        assert res[code]["f1"] >= f1 - 1e-9, (code, res[code])


def test_tuning_does_not_regress(tuning: dict[str, dict[str, float]]) -> None:
    """The tuning parts stay at or above their recorded figures."""
    _check(tuning, FLOOR_TUNING, GOOD_FLOOR_TUNING)


def test_blind_set_does_not_regress(blind: dict[str, dict[str, float]]) -> None:
    """The blind set stays at or above its recorded measurement (regression floor)."""
    _check(blind, FLOOR_BLIND, GOOD_FLOOR_BLIND)


@pytest.mark.xfail(
    strict=True,
    reason="blind-set targets not met at measurement #27: confidential (precision 0.83), defamation (precision 0.847), "
    "liability (recall 0.74); see docs/scoring.md",
)
def test_blind_set_meets_targets(blind: dict[str, dict[str, float]]) -> None:
    """Every risk code reaches precision and recall 0.85 and every good practice F1 0.85 on the blind set."""
    for code, m in blind.items():
        if code in RISK_CODES:
            assert m["precision"] >= TARGET_RISK and m["recall"] >= TARGET_RISK, (code, m)
        else:
            assert m["f1"] >= TARGET_GOOD_F1, (code, m)
