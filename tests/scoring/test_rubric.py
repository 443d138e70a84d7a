from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring import ScoringError, load_rubric
from scoring.criteria import REGISTRY
from scoring.rubric import RUBRIC_DIR


def _default() -> dict[str, object]:
    data = yaml.safe_load((RUBRIC_DIR / "default.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_load_rubric_default_has_every_contract_code() -> None:
    """The default rubric configures all 18 public codes."""
    codes = set(load_rubric("default").criteria)
    contract = {"liability", "promise", "privacy", "confidential", "speculation", "hostile", "discrimination",
                "defamation", "profanity", "endorsement", "feeding", "disclaimer", "empathy", "next_step",
                "private_channel", "escalation", "timeliness", "concise"}
    assert contract <= codes <= set(REGISTRY)


def test_load_rubric_unknown_key_suggests(tmp_path: Path) -> None:
    """A typo in a criterion key names the file, the key and the likely fix."""
    data = _default()
    data["criteria"]["promise"]["wieght"] = data["criteria"]["promise"].pop("weight")  # type: ignore[index]
    p = tmp_path / "r.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScoringError, match=r"r\.yaml: criteria\.promise\.wieght: unknown key 'wieght' \(did you mean 'weight'\?\)"):
        load_rubric(p)


def test_load_rubric_unknown_code_and_param() -> None:
    """An unknown criterion code or detector parameter is an error with a suggestion."""
    data = _default()
    data["criteria"]["promis"] = data["criteria"].pop("promise")  # type: ignore[index]
    with pytest.raises(ScoringError, match=r"criteria\.promis: no criterion has this code; did you mean 'promise'"):
        load_rubric(data)
    data = _default()
    data["criteria"]["promise"]["params"] = {"negation_windw": 3}  # type: ignore[index]
    with pytest.raises(ScoringError, match=r"params\.negation_windw: unknown parameter .*did you mean 'negation_window'"):
        load_rubric(data)


def test_load_rubric_kind_mismatch_and_missing_file() -> None:
    """A wrong kind and a missing rubric are errors naming the fix."""
    data = _default()
    data["criteria"]["empathy"]["kind"] = "risk"  # type: ignore[index]
    with pytest.raises(ScoringError, match="'empathy' is a good criterion, not 'risk'"):
        load_rubric(data)
    with pytest.raises(ScoringError, match="cannot load rubric 'nope'.*one of: default"):
        load_rubric("nope")
