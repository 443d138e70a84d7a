"""profanity — swearing, including masked forms (f*ck, sh!t, wtf)."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding
from ._target import echo_question, names_someone

__all__ = ["CRITERION"]


class ProfanityParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("profanity",), description="Swear words and masked forms.")


def check(c: Check) -> Finding | None:
    return lex_finding(c, [h for h in hits_of(c) if not echo_question(c, h) and not names_someone(c, h, surname=False)])


CRITERION = Criterion(
    code="profanity",
    kind="risk",
    title="Profanity",
    message="swears in the brand's voice",
    better="Say it without the swear word: \"That's really not good enough — sorry.\"",
    catches=(
        "Swear words and their masked or abbreviated forms (\"f*ck\", \"sh!t\", \"wtf\", \"ffs\"), even when friendly "
        "(\"damn, that sucks\"). Swear words inside quotation marks — the customer's words quoted back — are not counted, nor a "
        "listed word that is someone's name (\"Sorry Dick\" to @dick_harlow)."
    ),
    why=(
        "Typical social media policy clauses: only approved spokespeople speak for the company and no harassing content; "
        "a brand account's swearing is screenshotted and outlives any delete (DOMAIN.md). The USAF response assessment "
        "lists tone among its response considerations."
    ),
    params=ProfanityParams,
    check=check,
)
