"""Load a scenario script: YAML -> includes -> variables -> validated :class:`Scenario`.

Loading runs the full lint (``scenarios.checks``); any error stops the load with a
:class:`ScenarioError` that carries every :class:`Diagnostic`, warnings included.
"""

from __future__ import annotations

from pathlib import Path

from ._document import read_document
from .checks import check
from .errors import ScenarioError
from .models import Scenario

__all__ = ["find_scenario", "library_dir", "list_library", "load_scenario", "load_scenario_text"]


def library_dir() -> Path:
    """The folder of bundled scenario scripts."""
    return Path(__file__).parent / "library"


def list_library() -> list[Path]:
    """The bundled scenario scripts (shared fragments under ``library/common`` excluded)."""
    return sorted(p for p in library_dir().glob("*.yaml"))


def find_scenario(name: str) -> Path:
    """A path, or the id/file stem of a bundled scenario."""
    p = Path(name)
    if p.exists():
        return p
    for cand in list_library():
        if cand.stem == name:
            return cand
    known = ", ".join(c.stem for c in list_library())
    raise ScenarioError(f"no scenario file or bundled scenario named {name!r}; bundled: {known}")


def load_scenario_text(text: str, name: str = "<string>", base: Path | None = None) -> Scenario:
    """Load a script from ``text``; ``base`` is the folder its includes are relative to."""
    doc = read_document(text, name, base, Path(base) / Path(name).name if base else None)
    diags = sorted(doc.diagnostics + check(doc), key=lambda d: (d.file, d.line, d.col, d.code))
    errors = [d for d in diags if d.severity == "error"]
    if errors or doc.scenario is None:
        raise ScenarioError(
            f"cannot load {name}: {len(errors)} error(s); run 'crisisdrill scenario lint {name}'", diags
        )
    return doc.scenario


def load_scenario(path: str | Path) -> Scenario:
    """Load the script at ``path``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {p}: {exc.strerror}; check the path") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"cannot read scenario {p}: byte {exc.start} is not UTF-8 text; "
                            "save the script as UTF-8 YAML") from exc
    return load_scenario_text(text, str(p), p.parent)
