"""Drill times as people write them: ``4:30`` (m:ss), as ``parse_duration`` reads them back."""

from __future__ import annotations

__all__ = ["clock", "format_time"]


def format_time(seconds: float) -> str:
    """``270.0`` -> ``'4:30'``; a fractional time stays exact as ``'12.5s'``."""
    if seconds == int(seconds):
        whole = int(seconds)
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{seconds!r}s"


def clock(seconds: float) -> str:
    """``270.0`` -> ``'04:30'``, the zero-padded form of a drill clock."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"
