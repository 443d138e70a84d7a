"""The one exception base of the sim package."""

from __future__ import annotations

__all__ = ["DrillError"]


class DrillError(Exception):
    """An operation on a drill was refused; the message says which, why and what to do.

    ``code`` is a short machine-readable reason used in websocket error frames.
    """

    def __init__(self, message: str, code: str = "refused") -> None:
        self.code = code
        super().__init__(message)
