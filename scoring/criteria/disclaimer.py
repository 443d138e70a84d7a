"""disclaimer — leans on "opinions are my own" style disclaimers, which protect no one."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class DisclaimerParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("disclaimer",), description="Disclaimer phrases.")


def check(c: Check) -> Finding | None:
    return lex_finding(c, hits_of(c))


CRITERION = Criterion(
    code="disclaimer",
    kind="risk",
    title="Leans on a disclaimer",
    message="relies on a disclaimer (\"opinions are my own\", \"RTs ≠ endorsements\") that protects no one",
    better="Drop the disclaimer and say only what the brand can stand behind.",
    catches=(
        "\"Opinions are my own\", \"views my own\", \"RTs are not endorsements\", \"not financial advice\", \"speaking "
        "personally\", \"not an official statement\" — in a reply from the brand account."
    ),
    why=(
        "FTC Endorsement Guides and FINRA Notice 17-18: \"opinions are my own\" and \"RTs are not endorsements\" "
        "disclaimers have no legal effect and don't stop the employer acting; on a brand account they also undercut "
        "the brand's own voice (DOMAIN.md, Endorsements)."
    ),
    params=DisclaimerParams,
    check=check,
)
