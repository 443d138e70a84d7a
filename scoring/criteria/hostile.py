"""hostile — insults, sarcasm, condescension, blame or argument aimed at the commenter."""

from __future__ import annotations

from pydantic import Field

from ..lexicon import Match
from ..types import Evidence
from ._base import Check, Criterion, Finding, LexiconParams
from ._lex import INSULT_SECTIONS, TARGETED_SECTIONS, hits_of, lex_finding, not_self_directed
from ._target import aimed_elsewhere, echo_question, harsh_about_other, names_someone

__all__ = ["CRITERION"]


class HostileParams(LexiconParams):
    word_lists: tuple[str, ...] = Field(default=("hostile",), description="Insults, sarcasm and condescension.")
    banter_kinds: tuple[str, ...] = Field(
        default=("fan",), description="Commenter kinds with whom the [banter] section (lol, 😂) is not mockery."
    )
    banter_unknown: bool = Field(
        default=False, description="Count [banter] when the commenter's kind is unknown (it is mockery only in context)."
    )
    concede_lists: tuple[str, ...] = Field(
        default=("concede",),
        description="Concessions (\"lol fair\", \"you got us\"): with them, tone markers alone are laughing along, not mockery.",
    )


def check(c: Check) -> Finding | None:
    p: HostileParams = c.params
    unknown = c.plan.kind is None and not p.banter_unknown
    exclude = ("banter",) if unknown or c.plan.kind in p.banter_kinds else ()
    hits = not_self_directed(c, hits_of(c, exclude=exclude, skip_reported=c.ctx.post.text))
    finding = lex_finding(c, [h for h in hits if not _elsewhere(c, h) and not _a_name(c, h)])
    if finding is not None and tone_markers_only(finding.evidence) and _concedes(c):
        return None  # "lol fair 😂": laughing along with the commenter, not at them
    return finding


def _concedes(c: Check) -> bool:
    p: HostileParams = c.params
    return any(c.reply.spans(name, negation_window=3, skip_quotes=True) for name in p.concede_lists)


def tone_markers_only(evidence: tuple[Evidence, ...]) -> bool:
    """True when every hit is a tone marker — laughter (``[banter]``: lol, 😂) or an emoji (🙄, 🤷) — which
    mocks the commenter or laughs along with them depending on the reply around it: the learned detector may
    doubt these (a veto trained in ``scoring/train.py``), never an insult, condescension or blame."""
    return bool(evidence) and all(
        e.detector.endswith("/banter") or not any(ch.isalpha() for ch in (e.text or "x")) for e in evidence
    )


def _a_name(c: Check, h: Match) -> bool:
    """An insult word that is someone's name here: "Hi Karen" to @karen_oduya, "Karen Holt from the union"."""
    return h.section in INSULT_SECTIONS and names_someone(c, h)


def _elsewhere(c: Check, h: Match) -> bool:
    """An insult, condescension or blame word aimed at the brand itself, a third party or the situation; or an echo."""
    if h.section in TARGETED_SECTIONS and aimed_elsewhere(c, h, situation=h.section in INSULT_SECTIONS):
        return True
    if h.section == "harsh" and harsh_about_other(c, h):
        return True
    return echo_question(c, h)


CRITERION = Criterion(
    code="hostile",
    kind="risk",
    title="Hostile tone",
    message="insults, mocks, talks down to, blames or argues with the commenter",
    better="Stay calm and specific: \"I'm sorry this has been frustrating — let's get it sorted. Could you DM us?\"",
    catches=(
        "Insults (\"idiot\", \"clown\"), sarcasm (\"oh great, another genius…\", \"lol, nobody cares\", 🙄), "
        "condescension (\"it's not rocket science\", \"maybe try reading the manual\"), blaming the customer "
        "(\"that's on you\", \"user error\") and argument (\"you're wrong\"). Found by tone lists and patterns, "
        "not sentiment scores, which read such sarcasm as positive. Words quoted back from the commenter "
        "(\"you called us 'useless'\") are not ours and are not counted, nor are words aimed elsewhere than the "
        "commenter: at the brand itself (\"our barista should have checked the lid\"), at a business third party "
        "(\"our contractor is useless\" — a `defamation` question) or at the situation in a sympathetic sentence "
        "(\"ugh, that's rubbish, sorry\"), a harsh word said of a third party, a thing or a wait (\"their techs are useless\", "
        "\"4 months is ridiculous\", \"that's shameful if true\"), a thing the reply agrees about (\"you're right, it's shameful\", \"the fees are a bit "
        "much\"), the commenter's own word echoed as a question (\"creepy af??\"), and a listed word that names "
        "someone (\"Hi Karen\" to @karen_oduya, \"Karen Holt from the union\"). "
        "Laughing *along* (tone markers only, with a concession: \"lol fair 😂\", \"you got us\") is not mockery — to a "
        "troll it is `feeding`. The learned detector may doubt a verdict that rests on tone markers alone, never an insult."
    ),
    why=(
        "SCCT (Coombs, 2007): blaming customers is never right; attacking the accuser is a denial strategy that "
        "suits only rumours. Social media policies: avoid heated exchanges that can't be won; deleting does not undo "
        "a post — screenshots outlive it (DOMAIN.md). The USAF response assessment asks for a respectful tone."
    ),
    params=HostileParams,
    check=check,
    vetoable=tone_markers_only,
)
