"""The one exception base of the scenarios package, and the lint diagnostic shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Diagnostic", "ScenarioError"]


@dataclass(frozen=True)
class Diagnostic:
    """One lint finding: ``file:line:col CODE message`` plus a hint."""

    code: str
    message: str
    file: str = "<string>"
    line: int = 1
    col: int = 1
    severity: Literal["error", "warning"] = "error"
    hint: str | None = None
    source_line: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: file, line, col, code, severity, message, hint."""
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }

    def render(self) -> str:
        head = f"{self.file}:{self.line}:{self.col} {self.code} {self.message}"
        parts = [head]
        if self.source_line is not None:
            parts.append(f"    {self.source_line}")
            parts.append("    " + " " * max(0, self.col - 1) + "^")
        if self.hint:
            parts.append(f"    hint: {self.hint}")
        return "\n".join(parts)


class ScenarioError(Exception):
    """A scenario could not be loaded; ``diagnostics`` says where and why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        self.diagnostics: list[Diagnostic] = diagnostics or []
        super().__init__(message)

    def __str__(self) -> str:
        if not self.diagnostics:
            return super().__str__()
        return super().__str__() + "\n" + "\n".join(d.render() for d in self.diagnostics)
