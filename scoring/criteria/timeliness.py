"""timeliness — the answer came within the expected time."""

from __future__ import annotations

from pydantic import Field

from ..types import Evidence
from ._base import TEXT_ACTIONS, Check, Criterion, Finding, Params

__all__ = ["CRITERION"]


class TimelinessParams(Params):
    grace_s: float = Field(default=0, ge=0, description="Seconds of slack after the window before it counts as late.")


def check(c: Check) -> Finding | None:
    p: TimelinessParams = c.params
    latency = c.ctx.latency_s
    within = c.plan.within
    if latency is None or within is None:
        return Finding((), "no answer time known", verdict="n/a")
    if latency <= within + p.grace_s:
        return Finding((Evidence("fact:latency", fact=f"answered after {latency:.0f} s; expected within {within:.0f} s"),))
    fact = f"answered after {latency:.0f} s; expected within {within:.0f} s"
    return Finding((Evidence("fact:latency", fact=fact),), f"late: {fact}", verdict="missed")


CRITERION = Criterion(
    code="timeliness",
    kind="good",
    title="Answers in time",
    message="the answer came too late",
    met_message="answered within the expected time",
    better="Answer first with what you know (\"We're on it — next update by 3 pm\"), then follow up.",
    catches=(
        "The time from the post to the answer against the scenario's `within` (or the rubric's `default_within_s`). "
        "When a window closes with no answer and one was required, the silence itself is scored as a miss."
    ),
    why=(
        "USAF Web Posting Response Assessment: timeliness is one of the response considerations. SCCT (Coombs, 2007): "
        "instructing information comes first; silence lets others tell the story. Practice sources: answer in time "
        "(DOMAIN.md)."
    ),
    params=TimelinessParams,
    check=check,
    actions=TEXT_ACTIONS,
)
