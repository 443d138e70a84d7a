"""The scorer: a reply (or another action) and its context → a verdict with evidence.

Everything expensive — the rubric, the word-list automaton, the regexes — is built once in the
constructor; :meth:`Scorer.score` only reads shared state, so one scorer serves many threads.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from scenarios.models import Expectation

from .analysis import Analysis, analyse
from .criteria import ALL_ACTIONS, PUBLIC_TEXT, REGISTRY, TEXT_ACTIONS, Check, Criterion, Finding, Params
from .criteria._base import article
from .errors import ScoringError
from .learned import MODEL_FILE, LearnedModel, Prediction, load_model
from .lexicon import Lexicon
from .pii import PiiFinder
from .plan import Plan, make_plan
from .rubric import CriterionSpec, Rubric, load_rubric
from .types import CriterionVerdict, Evidence, PostInfo, ReplyContext, Verdict

__all__ = ["Scorer"]

_ALWAYS_LISTS = ("reported", "hedges", "hostile", "profanity", "discrimination", "endorsement", "praise")
# practices that restore an unhappy customer; on a post that only thanks or praises they are n/a (not missed)
_RESTORE = frozenset({"empathy", "next_step", "private_channel"})
Severity = Literal["critical", "major", "minor"]


@lru_cache(maxsize=4)
def _shared_model(path: str, mtime: float) -> LearnedModel:
    return load_model(path)


def learned_model() -> LearnedModel:
    """The shipped learned model, read once per process (and again if the file changes)."""
    return _shared_model(str(MODEL_FILE), MODEL_FILE.stat().st_mtime if MODEL_FILE.exists() else 0.0)


class Scorer:
    """Scores trainee actions against a rubric.

    ``Scorer()`` uses ``scoring/rubrics/default.yaml``; ``Scorer("strict")`` a rubric by name in that
    folder; ``Scorer("path/to/rubric.yaml")`` a file; ``Scorer(rubric)`` an already loaded one.
    """

    def __init__(self, rubric: Rubric | str | Path | None = None, *, region: str = "US") -> None:
        self.rubric: Rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric or "default")
        self._active: list[tuple[Criterion, CriterionSpec, Params]] = []
        lists: list[str] = list(_ALWAYS_LISTS)
        for code, spec in self.rubric.criteria.items():
            if not spec.enabled:
                continue
            crit = REGISTRY[code]
            params = crit.params.model_validate(spec.params)
            self._active.append((crit, spec, params))
            lists.extend(params.lists())
        # the kinds under whose posts an admission is endorsement too (``_confirms``), from the endorsement params
        self._endorsement = next((a for a in self._active if a[0].code == "endorsement"), None)
        self._confirm_kinds: frozenset[str] = frozenset(
            getattr(self._endorsement[2], "confirm_kinds", ()) if self._endorsement else ())
        self.lexicon = Lexicon(lists)
        self.pii = PiiFinder(region)
        self._post_analysis = lru_cache(maxsize=2048)(self.analyse)
        # "risk not taken" verdicts carry nothing but their code and severity: one shared (frozen) instance each
        self._passes: dict[tuple[str, str], CriterionVerdict] = {}
        self.learned: LearnedModel | None = learned_model() if self.rubric.learned else None

    @property
    def name(self) -> str:
        return self.rubric.name

    def analyse(self, text: str) -> Analysis:
        """Normalise ``text`` and find every word-list hit in it (what criteria read)."""
        return analyse(text, self.lexicon)

    def is_positive(self, post_text: str) -> bool:
        """True when the post thanks or praises (``praise.txt [praise]``) and raises no complaint (``[complaint]``)."""
        a = self._post_analysis(post_text)
        if not a.spans("praise", sections=("praise",)):
            return False
        return not a.spans("praise", sections=("complaint",))

    def plan(self, post: PostInfo, expect: Expectation | None) -> Plan:
        """The decision-table row for the post's author kind, adjusted by the scenario's expectation."""
        return make_plan(self.rubric, post.kind, expect)

    def score(self, ctx: ReplyContext) -> Verdict:
        """Score one trainee action on a post; every criterion that applies reports a verdict with evidence."""
        action = ctx.reply.action
        if action not in ALL_ACTIONS:
            raise ScoringError(
                f"cannot score action {action!r} on post {ctx.post.post_id or '?'}: "
                f"use one of {', '.join(sorted(ALL_ACTIONS))}"
            )
        if action == "ignore":
            return self.score_silence(ctx.post, ctx.expect, ctx.latency_s or 0.0)
        plan = self.plan(ctx.post, ctx.expect)
        if plan.expected & _RESTORE and self.is_positive(ctx.post.text):
            keep = set(ctx.expect.require) if ctx.expect is not None else set()
            if not ({"reply", "quote"} & set(plan.via)):
                keep.add("private_channel")
            plan = replace(plan, expected=plan.expected - (_RESTORE - keep))
        reply = self.analyse(ctx.reply.text)
        post_text = ctx.post.text

        def post_analysis() -> Analysis:
            return self._post_analysis(post_text)

        brand = ctx.brand
        pred: Prediction | None = None
        if self.learned is not None and action in TEXT_ACTIONS and ctx.reply.text.strip():
            pred = self.learned.predict(ctx.reply.text, ctx.post.kind, reply.norm, reply.quotes)
        # an answer to a post that should be left alone earns no good practice (not even a quick or a short one):
        # the good handling was not to answer (docs/labelling.md, seventh round); it is judged as feeding instead
        unwanted = plan.answer == "none" and action in TEXT_ACTIONS
        out: list[CriterionVerdict] = []
        check = Check(ctx=ctx, reply=reply, plan=plan, params=None, post_analysis=post_analysis, pii=self.pii, brand=brand)
        for crit, spec, params in self._active:
            if action not in crit.actions or (unwanted and crit.kind == "good"):
                continue
            check.params = params  # one Check a reply; each criterion reads its own parameters
            finding = crit.check(check)
            if pred is not None and crit.code in pred.logits:
                finding = self._support(crit, check, finding, pred)
            cv = self._verdict(crit, spec, plan, finding)
            if cv is not None:
                out.append(cv)
        if action in PUBLIC_TEXT and plan.kind in self._confirm_kinds:
            self._confirms(out, plan)
        return self._combine(out, plan)

    def score_silence(self, post: PostInfo, expect: Expectation | None, waited_s: float) -> Verdict:
        """Score a closed answer window with no answer: right for a troll, a miss when an answer was required."""
        plan = self.plan(post, expect)
        spec = self.rubric.criteria.get("timeliness")
        who = (plan.kind or "commenter").replace("_", " ")
        if plan.answer != "required":
            ev = Evidence("fact:silence", fact=f"left alone as expected ({who}; answer {plan.answer})")
            cv = CriterionVerdict(
                code="timeliness", kind="good", verdict="met", reason="left alone as expected", evidence=(ev,),
                severity=spec.severity if spec else "major",
            )
            return Verdict(score=100, passed=True, good=("timeliness",), criteria=(cv,), rubric=self.name,
                           extra={"kind": plan.kind, "silence": True})
        limit = plan.within if plan.within is not None else waited_s
        ev = Evidence("fact:silence", fact=f"no answer within {waited_s:.0f} s (expected within {limit:.0f} s)")
        crit = REGISTRY["timeliness"]
        cv = CriterionVerdict(
            code="timeliness", kind="good", verdict="missed", reason=f"no answer within {waited_s:.0f} s",
            better=crit.better, evidence=(ev,), severity="critical",
        )
        return Verdict(score=0, passed=False, criteria=(cv,), rubric=self.name, extra={"kind": plan.kind, "silence": True})

    # -- internals -------------------------------------------------------------------------------

    def _support(self, crit: Criterion, check: Check, finding: Finding | None, pred: Prediction) -> Finding | None:
        """The learned detector's say: add a verdict the rules missed, or (where trained to) doubt a rule hit."""
        model = self.learned
        assert model is not None
        code = crit.code
        if finding is not None:
            if finding.verdict is None and model.vetoes_hit(code, pred) and crit.doubtable(finding.evidence):
                words = ", ".join(f"'{e.text}'" for e in finding.evidence if e.text) or "a rule"
                return Finding(evidence=finding.evidence, verdict="pass", reason=(
                    f"{words} matched, but the learned detector rates it unlikely here ({pred.prob(code):.2f})"))
            return finding
        if not model.fires(code, pred) or (crit.admits_learned is not None and not crit.admits_learned(check)):
            return None
        p = pred.prob(code)
        detector = f"learned:{code}"
        spans = model.spans(code, pred)
        evidence = tuple(check.reply.span_evidence(s, e, detector) for s, e, _ in spans)
        if not evidence:
            evidence = (Evidence(detector, fact=f"learned detector, confidence {p:.2f}"),)
        base = crit.message if crit.kind == "risk" else (crit.met_message or crit.title)
        return Finding(evidence=evidence, reason=f"{base} (learned detector, confidence {p:.2f})")

    def _confirms(self, out: list[CriterionVerdict], plan: Plan) -> None:
        """An admission of fault in public under a rager's post confirms the accusation: ``liability`` is
        ``endorsement`` too, with the admission as its evidence (docs/labelling.md, seventeenth round). An
        endorsement no detector spoke to is turned, and one only the learned detector found gets the admission as
        its evidence instead of the words the model weighed; one a scenario allows or a rule found is left alone."""
        liability = endorsement = None
        for n, cv in enumerate(out):
            if cv.code == "liability":
                liability = cv
            elif cv.code == "endorsement":
                endorsement = n
        if liability is None or liability.verdict != "fail" or endorsement is None:
            return
        was = out[endorsement]
        learned_only = was.verdict == "fail" and all(e.detector.startswith("learned:") for e in was.evidence)
        if not learned_only and (was.verdict != "pass" or was.evidence or was.reason):
            return
        assert self._endorsement is not None  # _confirm_kinds is empty without it
        crit, spec, _ = self._endorsement
        who = (plan.kind or "commenter").replace("_", " ")
        fact = Evidence("table:confirms", fact=f"admits fault in public under {article(who)}'s post, confirming it")
        finding = Finding(evidence=liability.evidence + (fact,),
                          reason=f"admits fault under {article(who)}'s post, which confirms the accusation")
        turned = self._verdict(crit, spec, plan, finding)
        if turned is not None:
            out[endorsement] = turned

    def _verdict(self, crit: Criterion, spec: CriterionSpec, plan: Plan, finding: Any) -> CriterionVerdict | None:
        severity: Severity = "critical" if crit.code in plan.avoid else spec.severity
        if finding is None and crit.kind == "risk":  # the common case: a risk not taken
            cv = self._passes.get((crit.code, severity))
            if cv is None:
                cv = self._passes[(crit.code, severity)] = CriterionVerdict(
                    code=crit.code, kind="risk", verdict="pass", severity=severity)
            return cv
        evidence: tuple[Evidence, ...] = finding.evidence if finding is not None else ()
        if finding is not None and finding.verdict is not None:
            verdict = finding.verdict
        elif crit.kind == "risk":
            verdict = "fail" if finding is not None else "pass"
        else:
            verdict = "met" if finding is not None else ("missed" if crit.code in plan.expected else "n/a")
        if verdict == "n/a":
            return None
        reason = ""
        better = ""
        if verdict == "fail":
            if crit.code in plan.allow:
                verdict, reason = "pass", f"{crit.message} — allowed for this post by the scenario"
            else:
                reason, better = (finding.reason if finding and finding.reason else crit.message), crit.better
        elif verdict == "missed":
            reason, better = (finding.reason if finding and finding.reason else crit.message), crit.better
        elif verdict == "met":
            reason = finding.reason if finding and finding.reason else crit.met_message
        elif verdict == "pass" and finding is not None:
            reason = finding.reason
        if crit.kind == "good" and verdict == "missed" and crit.code not in plan.expected and crit.code not in (
            "timeliness", "concise"
        ):
            return None
        return CriterionVerdict(
            code=crit.code, kind=crit.kind, verdict=verdict, reason=reason, better=better, evidence=evidence,
            severity=severity,
        )

    def _combine(self, cvs: list[CriterionVerdict], plan: Plan) -> Verdict:
        weights = self.rubric.criteria
        score = 100.0
        gated = False
        flags: list[str] = []
        good: list[str] = []
        for cv in cvs:
            if cv.verdict == "fail":
                flags.append(cv.code)
                score -= weights[cv.code].weight
                gated = gated or cv.severity == "critical"
            elif cv.verdict == "missed":
                score -= weights[cv.code].weight
            elif cv.verdict == "met":
                good.append(cv.code)
        s = max(0, min(100, round(score)))
        if gated:
            s = min(s, self.rubric.gate_cap)
        passed = not gated and s >= self.rubric.pass_mark
        return Verdict(
            score=s, passed=passed, flags=tuple(flags), good=tuple(good), criteria=tuple(cvs), rubric=self.name,
            extra={"kind": plan.kind, "answer": plan.answer, "advice": plan.advice},
        )
