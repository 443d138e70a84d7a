"""discrimination — slurs, stereotypes or remarks about a protected characteristic."""

from __future__ import annotations

from pydantic import Field

from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import hits_of, lex_finding

__all__ = ["CRITERION"]


class DiscriminationParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("discrimination",), description="Slurs and stereotype patterns.")


def check(c: Check) -> Finding | None:
    return lex_finding(c, hits_of(c, skip_reported=c.ctx.post.text))


CRITERION = Criterion(
    code="discrimination",
    kind="risk",
    title="Discriminatory content",
    message="uses a slur, a stereotype or a remark about a protected characteristic",
    better="Address the issue, never the person's age, sex, origin, religion, disability or language.",
    catches=(
        "Slurs, generalisations about a group (\"women always…\", \"you people from…\"), remarks about age, sex, "
        "origin, religion, disability or someone's English (\"ok boomer\", \"learn to speak English\")."
    ),
    why=(
        "Typical social media policy clauses: no discriminatory or harassing content (DOMAIN.md). A discriminatory "
        "brand reply is a crisis of its own and can breach equality law."
    ),
    params=DiscriminationParams,
    check=check,
)
