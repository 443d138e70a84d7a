"""Small deterministic stand-ins used by engine tests (the real rubric has its own tests)."""

from __future__ import annotations

from scenarios.models import Expectation
from scoring.types import CriterionVerdict, Evidence, PostInfo, ReplyContext, Verdict


class KeywordScorer:
    """Scores 90 if a reply says sorry, 20 and flags hostile if it says idiot, else 50."""

    class rubric:  # noqa: N801 - mirrors Scorer.rubric
        pass_mark = 70

    def score(self, ctx: ReplyContext) -> Verdict:
        text = ctx.reply.text.lower()
        if "idiot" in text:
            start = text.index("idiot")
            ev = Evidence("test", start, start + 5, ctx.reply.text[start : start + 5])
            crit = CriterionVerdict("hostile", "risk", "fail", "insult", evidence=(ev,))
            return Verdict(20, False, ("hostile",), (), (crit,))
        if "sorry" in text:
            return Verdict(90, True, (), ("empathy",))
        return Verdict(50, False)

    def score_silence(self, post: PostInfo, expect: Expectation | None, waited_s: float) -> Verdict:
        if expect is not None and expect.answer == "none":
            return Verdict(100, True, (), ("feeding",))
        return Verdict(0, False, ("timeliness",))
