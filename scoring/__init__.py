"""crisisdrill's rubric engine: score a trainee's reply with evidence a manager can check.

>>> from scoring import Scorer
>>> from scoring.types import PostInfo, ReplyContext, ReplyInfo
>>> v = Scorer().score(ReplyContext(PostInfo("My card was charged twice!", kind="unhappy_customer"),
...                                 ReplyInfo("So sorry about that — please DM us and we'll sort it out.")))
>>> v.passed, v.flags
(True, ())
"""

from __future__ import annotations

from .errors import ScoringError
from .rubric import Rubric, load_rubric
from .scorer import Scorer
from .summary import summarize
from .types import CriterionVerdict, Evidence, PostInfo, ReplyContext, ReplyInfo, Verdict

__all__ = [
    "CriterionVerdict",
    "Evidence",
    "PostInfo",
    "ReplyContext",
    "ReplyInfo",
    "Rubric",
    "Scorer",
    "ScoringError",
    "Verdict",
    "load_rubric",
    "summarize",
]
