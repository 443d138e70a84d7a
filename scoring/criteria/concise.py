"""concise — the reply fits the platform: within its length, one question at most, few exclamation marks."""

from __future__ import annotations

import re

from pydantic import Field

from ..types import Evidence
from ._base import TEXT_ACTIONS, Check, Criterion, Finding, Params

__all__ = ["CRITERION"]

_BANG_RUN = re.compile(r"!{2,}")


class ConciseParams(Params):
    max_chars: int | None = Field(default=None, ge=20, description="Length limit; default: the platform's (ctx.max_chars).")
    max_questions: int = Field(default=1, ge=0)
    max_exclamations: int = Field(default=2, ge=0)
    min_chars: int = Field(default=2, ge=0, description="Shorter than this is not an answer.")


def check(c: Check) -> Finding | None:
    p: ConciseParams = c.params
    text = c.ctx.reply.text
    limit = p.max_chars or c.ctx.max_chars
    n = len(text)
    problems: list[Evidence] = []
    if n > limit:
        problems.append(Evidence("fact:length", start=limit, end=n, text=text[limit:], fact=f"{n} characters; the limit is {limit}"))
    q = text.count("?")
    if q > p.max_questions:
        problems.append(Evidence("fact:questions", fact=f"{q} questions; ask at most {p.max_questions}"))
    bangs = text.count("!")
    run = _BANG_RUN.search(text)
    if bangs > p.max_exclamations or run:
        ev = Evidence("fact:exclamations", fact=f"{bangs} exclamation marks; use at most {p.max_exclamations}, one at a time")
        if run:
            ev = Evidence("fact:exclamations", start=run.start(), end=run.end(), text=run.group(), fact=ev.fact)
        problems.append(ev)
    if len(text.strip()) < p.min_chars:
        problems.append(Evidence("fact:length", fact=f"{len(text.strip())} characters is not an answer"))
    if problems:
        return Finding(tuple(problems), "; ".join(e.fact or "" for e in problems), verdict="missed")
    return Finding((Evidence("fact:length", fact=f"{n} characters, {q} question(s), {bangs} exclamation mark(s)"),))


CRITERION = Criterion(
    code="concise",
    kind="good",
    title="Fits the platform",
    message="doesn't fit the platform: too long, too many questions or exclamation marks",
    met_message="fits the platform",
    better="One short paragraph, one question at most, no exclamation runs.",
    catches=(
        "Length over the platform's limit (the scenario's `max_chars`, 280 by default), more than one question, "
        "more than two exclamation marks or any run of them (\"!!\")."
    ),
    why=(
        "Practice sources: keep it short — one question at most, few exclamation marks (DOMAIN.md, What good replies "
        "do). Tone is one of the USAF response assessment's considerations; shouting reads as panic."
    ),
    params=ConciseParams,
    check=check,
    actions=TEXT_ACTIONS,
)
