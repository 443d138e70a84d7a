from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scenarios.models import Expectation
from scoring import Scorer
from scoring.criteria import REGISTRY
from scoring.types import PostInfo, ReplyContext, ReplyInfo

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [
    (path.stem, i, case)
    for path in sorted(FIXTURES.glob("*.yaml"))
    for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
]


def test_every_criterion_has_a_fixture_with_a_firing_case() -> None:
    """Each registered criterion has a fixture with a case that fires (fail / met) and one that doesn't."""
    for code, crit in REGISTRY.items():
        verdicts = {c["verdict"] for s, _, c in CASES if s == code}
        fired = "fail" if crit.kind == "risk" else "met"
        assert fired in verdicts and len(verdicts) > 1, code


@pytest.mark.parametrize(("code", "i", "case"), CASES, ids=[f"{c}-{i}" for c, i, _ in CASES])
def test_criterion_fixture_gives_verdict_and_evidence(scorer: Scorer, code: str, i: int, case: dict[str, Any]) -> None:
    """The fixture reply gives exactly the recorded verdict and evidence spans."""
    post = case["post"]
    expect = Expectation.model_validate(case["expect"]) if case.get("expect") else None
    ctx = ReplyContext(
        PostInfo(post["text"], author=post.get("author"), kind=post.get("kind")),
        ReplyInfo(case.get("reply") or "", case.get("action", "reply")),
        latency_s=case.get("latency_s"),
        expect=expect,
    )
    v = scorer.score(ctx)
    cv = next((c for c in v.criteria if c.code == code), None)
    assert (cv.verdict if cv else "n/a") == case["verdict"]
    got = [e.to_dict() for e in cv.evidence] if cv else []
    assert got == case["evidence"]
    for e in got:
        if "start" in e:
            assert ctx.reply.text[e["start"] : e["end"]] == e["text"]
