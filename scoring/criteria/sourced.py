"""sourced — a correction carries a source (a link, the official page, the policy)."""

from __future__ import annotations

import re

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class SourcedParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("sourced",), description="Links and references to official sources.")


# "our cancellation policy is unlawful", "the fees page was confusing": the page is talked about, not pointed to
_SUBJECT = re.compile(r"\s*(?:'s|is|was|are|were|has been|had been)\s+(?!(?:at|on|here|there|available|linked|published|listed|online|clear|below|above|in)\b)")


def check(c: Check) -> Finding | None:
    a = c.reply
    return lex_finding(c, [h for h in hits_of(c) if "." in a.norm[h.start : h.end] or not _SUBJECT.match(a.norm, h.end)])


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
