"""What good handling of one post looks like: the decision table row, tightened or relaxed by the scenario.

The rubric's table gives the default for the commenter's kind (troll → leave or hide; rager → calm,
take offline; misguided → correct with a source; unhappy customer → fix and take to DM; journalist →
route to press). A scenario :class:`~scenarios.models.Expectation` then overrides it for one post.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scenarios.models import Expectation

from .rubric import Rubric

__all__ = ["Plan", "make_plan"]


@dataclass(frozen=True, slots=True)
class Plan:
    kind: str | None
    answer: Literal["required", "optional", "none"]
    expected: frozenset[str]  # good-practice codes that are "missed" when absent
    allow: frozenset[str]  # risk codes relaxed for this post
    avoid: frozenset[str]  # risk codes made critical for this post
    route: str | None
    via: tuple[str, ...]
    within: float | None
    actions_ok: frozenset[str]
    allowed_offer: str | None
    amplify: bool
    hide: str
    advice: str


def make_plan(rubric: Rubric, kind: str | None, expect: Expectation | None) -> Plan:
    """Combine the table row for ``kind`` with the scenario's expectation (which wins)."""
    rule = rubric.rule(kind)
    expected = set(rule.expect)
    route = rule.route
    answer = rule.answer
    via: tuple[str, ...] = ("reply", "dm", "quote")
    within = rubric.default_within_s
    allow: frozenset[str] = frozenset()
    avoid: frozenset[str] = frozenset()
    actions_ok: frozenset[str] = frozenset()
    offer = None
    if expect is not None:
        answer = expect.answer
        expected |= set(expect.require)
        route = expect.route or route
        via = tuple(expect.via)
        within = expect.within if expect.within is not None else within
        allow = frozenset(expect.allow)
        avoid = frozenset(expect.avoid)
        actions_ok = frozenset(a.value for a in expect.actions)
        offer = expect.allowed_offer
        if "reply" not in via and "quote" not in via:
            expected.add("private_channel")
    if route is not None:
        expected.add("escalation")
    if answer == "none":
        expected.clear()
    expected -= allow
    return Plan(
        kind=kind,
        answer=answer,
        expected=frozenset(expected),
        allow=allow,
        avoid=avoid,
        route=route,
        via=via,
        within=within,
        actions_ok=actions_ok,
        allowed_offer=offer,
        amplify=rule.amplify,
        hide=rule.hide,
        advice=rule.advice,
    )
