"""next_step — the reply gives a concrete next step (who, where, when)."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class NextStepParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("next_step", "private_channel"), description="Next-step cues.")
    negation_window: int = 1


def check(c: Check) -> Finding | None:
    return lex_finding(c, hits_of(c))


CRITERION = Criterion(
    code="next_step",
    kind="good",
    title="Gives a next step",
    message="gives no concrete next step",
    met_message="gives a concrete next step",
    better="Say who does what, where: \"Please DM us your details and our payments team will check it today.\"",
    catches=(
        "A concrete next step for the commenter or from the brand: a DM or contact route, a link or page to check, "
        "an instruction (\"update the app\", \"reset it under Settings\"), or a committed follow-up (\"we'll update "
        "this thread\", \"I've passed this to our team\"). \"We're looking into it\" alone is not one."
    ),
    why=(
        "USAF Web Posting Response Assessment: a restoration for an unhappy customer fixes the situation — it carries "
        "a next step. Practice sources: give a concrete next step (who, where, when); SCCT's instructing information "
        "tells people what to do and where official updates are (DOMAIN.md)."
    ),
    params=NextStepParams,
    check=check,
)
