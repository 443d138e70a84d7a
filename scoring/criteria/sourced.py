"""sourced — a correction carries a source (a link, the official page, the policy)."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class SourcedParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("sourced",), description="Links and references to official sources.")


def check(c: Check) -> Finding | None:
    return lex_finding(c, hits_of(c))


CRITERION = Criterion(
    code="sourced",
    kind="good",
    title="Cites a source",
    message="corrects the facts without a source",
    met_message="backs the facts with a source",
    better="\"Our fees haven't changed — the full list is at brand.example/fees.\"",
    catches=(
        "A link, or a pointer to an official source (\"our fees page\", \"the terms\", \"our status page\", "
        "\"according to the recall notice\"). Expected when answering a misguided commenter."
    ),
    why=(
        "USAF Web Posting Response Assessment: a misguided commenter (wrong facts) → fix the facts, with a source; "
        "sourcing — link the facts — is one of its response considerations (DOMAIN.md)."
    ),
    params=SourcedParams,
    check=check,
)
