"""The terminal preview: items at their drill time, branches marked, real-time pacing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios import cli, load_scenario
from scenarios.preview import play, preview_events

GOOD = Path(__file__).parent / "fixtures" / "good" / "payday-outage.yaml"


def _render(speed: float | None = None) -> tuple[list[str], list[float]]:
    lines: list[str] = []
    sleeps: list[float] = []
    play(preview_events(load_scenario(GOOD)), lines.append, sleeps.append, speed)
    return lines, sleeps


def test_preview_lists_items_at_their_drill_time() -> None:
    """Each item starts with its mm:ss time, id, kind and who posts."""
    lines, _ = _render()
    assert any(ln.startswith("00:30  p1") and "@dana_r (unhappy_customer)" in ln for ln in lines)
    assert any(ln.startswith("02:40  p4") and "reply to p1" in ln for ln in lines)
    assert lines[-1] == "20:00  end of drill"


def test_preview_shows_expectations() -> None:
    """Expectations read as answer within, route and avoid."""
    text = "\n".join(_render()[0])
    assert "expect: answer within 5:00 · avoid promise, speculation · require empathy, next_step" in text
    assert "route to press" in text and "stay silent · ok to hide" in text


def test_preview_marks_branches_at_their_earliest_time() -> None:
    """A branch shows its condition, what it adds and the earliest time it can fire."""
    lines, _ = _render()
    [head] = [ln for ln in lines if "BRANCH dana-chases" in ln]
    assert head.startswith("05:30") and "no answer to p1 for 5:00 (earliest 05:30)" in head
    after = lines[lines.index(head) + 1]
    assert "+0:00" in after and "dana-chase" in after and "reply to p1" in after
    assert any(ln.startswith("  cue") and "exec-statement" in ln and "any time" in ln for ln in lines)


def test_preview_truncates_long_texts() -> None:
    """Texts longer than the width end with an ellipsis."""
    s = load_scenario(GOOD)
    lines = [ln for ev in preview_events(s, width=60) for ln in ev.lines]
    quoted = [ln for ln in lines if "“" in ln]
    assert all(len(ln) <= 60 for ln in quoted)
    assert any(ln.endswith("…”") for ln in quoted)


def test_preview_at_60x_sleeps_one_second_per_drill_minute() -> None:
    """At speed 60 the sleeps add up to duration/60 and follow the gaps between items."""
    _, sleeps = _render(60)
    assert sum(sleeps) == pytest.approx(1200 / 60)
    assert sleeps[0] == pytest.approx(30 / 60)  # the first item is at 0:30


def test_preview_max_speed_never_sleeps() -> None:
    """With no speed (max) nothing sleeps."""
    assert _render(None)[1] == []


def test_preview_rejects_non_positive_speed() -> None:
    """Speed 0 is refused with the fix in the message."""
    with pytest.raises(ValueError, match="use a positive number"):
        play([], print, lambda s: None, 0)


def test_preview_cli_paces_with_injected_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """'preview --speed 60' goes through the module's sleep, which tests replace."""
    sleeps: list[float] = []
    monkeypatch.setattr(cli, "sleep", sleeps.append)
    result = CliRunner().invoke(cli.app, ["preview", str(GOOD), "--speed", "60"])
    assert result.exit_code == 0, result.output
    assert sum(sleeps) == pytest.approx(20.0)
    assert "BRANCH hostile-pile-on" in result.output


def test_preview_cli_rejects_bad_speed() -> None:
    """'--speed fast' is a usage error."""
    result = CliRunner().invoke(cli.app, ["preview", str(GOOD), "--speed", "fast"])
    assert result.exit_code == 2
