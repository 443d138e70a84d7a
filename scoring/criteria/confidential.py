"""confidential — the reply discloses internal or non-public information."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class ConfidentialParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("confidential",), description="Internal-information cues.")
    negation_window: int = 3


def check(c: Check) -> Finding | None:
    return lex_finding(c, hits_of(c))


CRITERION = Criterion(
    code="confidential",
    kind="risk",
    title="Discloses confidential information",
    message="discloses internal or non-public information",
    better="Point to the official source: \"We'll share confirmed details on our status page as soon as we can.\"",
    catches=(
        "Internal or non-public information: incident and security details (\"the database was unpatched\", \"40,000 "
        "accounts were exposed\"), internal investigations and memos, unreleased products, financials, staffing "
        "(\"we're laying people off\"), and tell-tale framings (\"between us\", \"off the record\", \"I'm not "
        "supposed to say\")."
    ),
    why=(
        "Typical social media policy clauses: no confidential or non-public information — unreleased products, "
        "financials, incident or security details, internal investigations, staffing — and only approved "
        "spokespeople speak for the company (DOMAIN.md, Typical social media policy clauses)."
    ),
    params=ConfidentialParams,
    check=check,
)
