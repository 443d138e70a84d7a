"""One script read from text: its position tree, its :class:`Scenario` and what went wrong.

The pipeline is parse (YAML with positions) -> resolve (includes, variables) -> validate
(pydantic); each stage adds diagnostics and the later stages run on whatever the earlier
ones could make of the file, so one pass reports every problem it can see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._resolve import resolve
from ._tree import PosList, PosMap, parse_yaml
from ._validate import validate
from .codes import diagnostic
from .errors import Diagnostic
from .models import Scenario

__all__ = ["Document", "read_document"]


@dataclass
class Document:
    """A script as read: ``tree`` is ``None`` when the YAML could not be parsed at all."""

    name: str
    text: str
    tree: PosMap | None = None
    scenario: Scenario | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_document(
    text: str, name: str = "<string>", base: Path | None = None, origin: Path | None = None
) -> Document:
    """Parse, resolve and validate ``text``; ``base`` is the folder includes are relative to."""
    doc = Document(name, text)
    tree, diags = parse_yaml(text, name)
    doc.diagnostics.extend(diags)
    if tree is None:
        return doc
    if not isinstance(tree, PosMap):
        span = tree.span if isinstance(tree, PosList) else None
        doc.diagnostics.append(
            diagnostic(
                "E003",
                f"{name} must hold 'key: value' lines at the top level, not a list or a single value",
                span,
                file=name,
                hint="start with 'id:', 'title:', 'brand:'",
            )
        )
        return doc
    doc.tree, diags = resolve(tree, name, text, base or Path("."), origin)
    doc.diagnostics.extend(diags)
    doc.scenario, diags = validate(doc.tree)
    doc.diagnostics.extend(diags)
    return doc
