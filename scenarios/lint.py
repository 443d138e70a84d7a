"""Lint scenario scripts: every problem in one pass, as :class:`Diagnostic` objects.

``lint_paths`` and ``lint_text`` feed the CLI, its JSON output and the web preview alike;
``render_text`` and ``render_json`` are the two printed forms.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ._document import read_document
from .checks import check
from .codes import diagnostic
from .errors import Diagnostic

__all__ = ["expand_paths", "lint_paths", "lint_text", "render_json", "render_text"]


def _sorted(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = dict.fromkeys(diags)
    return sorted(unique, key=lambda d: (d.file, d.line, d.col, d.code, d.message))


def lint_text(text: str, name: str = "<string>", base: Path | None = None) -> list[Diagnostic]:
    """Every diagnostic for the script ``text``; ``base`` is the folder includes are relative to."""
    origin = (base / Path(name).name) if base is not None else None
    doc = read_document(text, name, base, origin)
    return _sorted(doc.diagnostics + check(doc))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder stands for the ``*.yaml``/``*.yml`` scripts directly in it."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml") and q.is_file()))
        else:
            out.append(p)
    return out


def lint_paths(paths: Iterable[str | Path]) -> list[Diagnostic]:
    """Every diagnostic for each file (folders expand to the scripts in them)."""
    out: list[Diagnostic] = []
    for p in expand_paths(paths):
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            out.append(
                diagnostic(
                    "E001",
                    f"cannot read {p}: {reason}",
                    file=str(p),
                    hint="check the path and that the file is a UTF-8 text file",
                )
            )
            continue
        out.extend(lint_text(text, str(p), p.parent))
    return out


def render_text(diags: list[Diagnostic]) -> str:
    """``file:line:col CODE message``, the line with a caret, and a hint; then a summary."""
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    body = "\n".join(d.render() for d in diags)
    summary = f"{errors} error(s), {warnings} warning(s)" if diags else "no problems found"
    return f"{body}\n{summary}" if body else summary


def render_json(diags: list[Diagnostic]) -> str:
    """A JSON list of ``{file, line, col, code, severity, message, hint}`` objects."""
    return json.dumps([d.to_dict() for d in diags], indent=2, ensure_ascii=False)
