"""The rubric's criterion codes, as scenario scripts may name them.

``scenarios`` may import no other crisisdrill package (DESIGN.md §2), so the codes that
``expect.avoid``/``allow``/``require`` and ``when.flagged`` may use are listed here. When
``scoring`` adds a criterion, add its code here too: a test in ``tests/scoring`` can assert
that the two lists agree.
"""

from __future__ import annotations

__all__ = ["GOOD_PRACTICE_CODES", "RISK_CODES", "RUBRIC_CODES"]

RISK_CODES: tuple[str, ...] = (
    "liability",
    "promise",
    "privacy",
    "confidential",
    "speculation",
    "hostile",
    "discrimination",
    "defamation",
    "profanity",
    "endorsement",
    "feeding",
    "repression",
)
"""Things a reply must not do (admitting fault, promising, leaking, …)."""

GOOD_PRACTICE_CODES: tuple[str, ...] = (
    "disclaimer",
    "empathy",
    "next_step",
    "private_channel",
    "escalation",
    "timeliness",
    "concise",
    "sourced",
)
"""Things a good reply does."""

RUBRIC_CODES: frozenset[str] = frozenset(RISK_CODES + GOOD_PRACTICE_CODES)
"""Every code a script may name."""
