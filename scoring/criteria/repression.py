"""repression — hides, deletes or reports a critical but civil post (preview)."""

from __future__ import annotations

from pydantic import Field

from ..types import Evidence
from ._base import Check, Criterion, Finding, Params, article

__all__ = ["CRITERION"]


class RepressionParams(Params):
    abuse_lists: tuple[str, ...] = Field(
        default=("hostile", "profanity", "discrimination"), description="A post with hits here may be hidden."
    )
    civil_sections: tuple[str, ...] = Field(
        default=("harsh", "sarcasm", "condescension", "blame", "argument", "dismissive", "banter"),
        description="Sections of those lists that are harsh but civil criticism in a post, not abuse "
        "('useless', 'you people'): they do not make a post hideable.",
    )


def check(c: Check) -> Finding | None:
    p: RepressionParams = c.params
    if c.action in c.plan.actions_ok or c.plan.hide == "ok":
        return None
    post = c.post
    for name in p.abuse_lists:
        if post.spans(name, skip_quotes=False, exclude=p.civil_sections):
            return None
    who = (c.plan.kind or "commenter").replace("_", " ")
    verb = {"hide": "hid", "delete": "deleted", "report": "reported"}.get(c.action, c.action)
    return Finding((Evidence("table:hide", fact=f"{verb} a civil post by {article(who)}"),))


CRITERION = Criterion(
    code="repression",
    kind="risk",
    title="Hides civil criticism",
    message="hides, deletes or reports a critical but civil post",
    better="Answer civil criticism; hide only abuse that breaks the house rules.",
    catches=(
        "Hiding, deleting or reporting a post that is critical but civil (no abuse, profanity or slurs) from a "
        "commenter whose posts the decision table says to answer. Hiding a troll's or bot's post, or abuse, is fine."
    ),
    why=(
        "SCCT practice (DOMAIN.md): deleting or hiding critical but civil comments is repression and tends to "
        "backfire; hiding abuse under house rules is fine. Deleting does not undo a post: screenshots outlive it."
    ),
    params=RepressionParams,
    check=check,
    actions=frozenset({"hide", "delete", "report"}),
)
