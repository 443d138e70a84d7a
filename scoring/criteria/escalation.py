"""escalation — routes press, legal, regulator or safety questions to the right team."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class EscalationParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(
        default=("escalation",), description="Routing cues; sections are routes (press, legal, safety, …) and [general]."
    )
    negation_window: int = 1
    unrouted: tuple[str, ...] = Field(
        default=("press", "legal", "safety", "regulator", "investor", "hr"),
        description="Sections that count when the post has no route (routine support hand-offs don't).",
    )
    general_counts: bool = Field(default=True, description="Does \"I've passed this to the right team\" satisfy a route?")
    related: dict[str, tuple[str, ...]] = Field(
        default={"regulator": ("safety",), "safety": ("regulator",)},
        description="Sections that also satisfy a route: a regulator's safety alert is answered with the instructing "
        "information itself, and a safety question may be routed to the regulator.",
    )


def check(c: Check) -> Finding | None:
    p: EscalationParams = c.params
    route = c.plan.route
    if route is None:
        return lex_finding(c, hits_of(c, sections=p.unrouted))
    sections = [route, *p.related.get(route, ())] + (["general"] if p.general_counts else [])
    return lex_finding(c, hits_of(c, sections=sections))


CRITERION = Criterion(
    code="escalation",
    kind="good",
    title="Routes to the right team",
    message="doesn't route a press, legal, regulator or safety question to the team that answers it",
    met_message="routes the question to the team that answers it",
    better="\"Thanks for reaching out — our press office will answer this: press@brand.example.\"",
    catches=(
        "Routing: to the press office for journalists, to legal, to the regulator liaison, to investor relations, "
        "to HR, and for safety the instructing information itself (\"stop using it\", \"call emergency services\", "
        "\"our product safety team\"). When the scenario names a `route`, the routing must match it (or be a general "
        "\"I've passed this to the team that handles it\")."
    ),
    why=(
        "Typical social media policy clauses: only approved spokespeople speak for the company; press, legal, investor "
        "and regulator questions are routed, not answered. SCCT (Coombs, 2007): everyone affected first gets "
        "instructing information — what to do to stay safe (DOMAIN.md)."
    ),
    params=EscalationParams,
    check=check,
)
