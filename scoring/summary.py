"""Drill-level summaries of many verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .types import Verdict

__all__ = ["summarize"]


def summarize(verdicts: Sequence[Verdict], pass_mark: int | None = None) -> dict[str, Any]:
    """Mean score, pass/fail and per-code verdict counts over ``verdicts``.

    ``pass_mark`` defaults to 70 (the default rubric's); ``passed`` is True when the mean reaches it
    and no verdict failed a critical criterion.
    """
    mark = 70 if pass_mark is None else pass_mark
    n = len(verdicts)
    mean = round(sum(v.score for v in verdicts) / n) if n else 0
    by_code: dict[str, dict[str, int]] = {}
    critical = 0
    for v in verdicts:
        hit_critical = False
        for c in v.criteria:
            counts = by_code.setdefault(c.code, {})
            counts[c.verdict] = counts.get(c.verdict, 0) + 1
            if c.verdict == "fail" and c.severity == "critical":
                hit_critical = True
        critical += hit_critical
    return {
        "score": mean,
        "passed": bool(n) and mean >= mark and critical == 0,
        "count": n,
        "passed_count": sum(1 for v in verdicts if v.passed),
        "critical_count": critical,
        "by_code": by_code,
        "flags": sorted({f for v in verdicts for f in v.flags}),
        "pass_mark": mark,
    }
