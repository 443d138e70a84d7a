"""crisisdrill's rubric engine: score a trainee's reply with evidence a manager can check.

>>> from scoring import Scorer
>>> from scoring.types import PostInfo, ReplyContext, ReplyInfo
>>> v = Scorer().score(ReplyContext(PostInfo("My card was charged twice!", kind="unhappy_customer"),
...                                 ReplyInfo("So sorry about that — please DM us and we'll sort it out.")))
>>> v.passed, v.flags
(True, ())
"""

from __future__ import annotations

from . import _native

_stale = _native.stale()
if _stale:  # a compiled module older than its source would score with code no longer in the file
    raise ImportError(
        f"compiled scoring modules are older than their source ({', '.join(_stale)}): run `make build` "
        "(or `python scoring/_native.py`) to recompile, or `python scoring/_native.py --clean` to run from source"
    )

from .errors import ScoringError  # noqa: E402
from .rubric import Rubric, load_rubric  # noqa: E402
from .scorer import Scorer  # noqa: E402
from .summary import summarize  # noqa: E402
from .types import CriterionVerdict, Evidence, PostInfo, ReplyContext, ReplyInfo, Verdict  # noqa: E402

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
