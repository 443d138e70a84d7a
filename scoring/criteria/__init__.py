"""The criterion registry: one module per criterion, keyed by its permanent code.

Codes are forever (never reused); a rubric sets each one's status (stable, preview, deprecated).
"""

from __future__ import annotations

from . import (
    concise,
    confidential,
    defamation,
    disclaimer,
    discrimination,
    empathy,
    endorsement,
    escalation,
    feeding,
    hostile,
    liability,
    next_step,
    privacy,
    private_channel,
    profanity,
    promise,
    repression,
    sourced,
    speculation,
    timeliness,
)
from ._base import ALL_ACTIONS, PUBLIC_TEXT, TEXT_ACTIONS, Check, Criterion, Finding, LexiconParams, Params

__all__ = [
    "ALL_ACTIONS",
    "GOOD_CODES",
    "PUBLIC_TEXT",
    "REGISTRY",
    "RISK_CODES",
    "TEXT_ACTIONS",
    "Check",
    "Criterion",
    "Finding",
    "LexiconParams",
    "Params",
]

_MODULES = (
    liability, promise, privacy, confidential, speculation, hostile, discrimination, defamation, profanity,
    endorsement, feeding, disclaimer, repression,
    empathy, next_step, private_channel, escalation, timeliness, concise, sourced,
)

REGISTRY: dict[str, Criterion] = {m.CRITERION.code: m.CRITERION for m in _MODULES}
RISK_CODES = tuple(c for c, v in REGISTRY.items() if v.kind == "risk")
GOOD_CODES = tuple(c for c, v in REGISTRY.items() if v.kind == "good")
