"""The one exception base of the scoring package."""

from __future__ import annotations

__all__ = ["ScoringError"]


class ScoringError(Exception):
    """Scoring could not be set up or run: a bad rubric, word list or input.

    Messages name the operation, the offending value and the fix, e.g.
    ``cannot load rubric 'x.yaml': criteria.promise.weight: must be >= 0, got -3``.
    """
