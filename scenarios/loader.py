"""Load a scenario script: YAML -> includes -> variables -> validated :class:`Scenario`.

This first loader is deliberately small; the lint module gives line-precise diagnostics.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import Diagnostic, ScenarioError
from .models import Scenario

__all__ = ["library_dir", "list_library", "load_scenario", "load_scenario_text", "find_scenario"]

_VAR = re.compile(r"\{(\w+)\}")


def library_dir() -> Path:
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


def _substitute(value: Any, vars_: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _VAR.sub(lambda m: vars_.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_substitute(v, vars_) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, vars_) for k, v in value.items()}
    return value


def _merge_includes(data: dict[str, Any], base: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    includes = data.pop("include", []) or []
    if isinstance(includes, str):
        includes = [includes]
    for inc in includes:
        path = (base / inc).resolve()
        if path in seen:
            raise ScenarioError(f"include cycle: {' -> '.join(str(s) for s in (*seen, path))}")
        if not path.exists():
            raise ScenarioError(f"cannot include {inc!r}: no file at {path}")
        sub = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        sub = _merge_includes(sub, path.parent, (*seen, path))
        for key, val in sub.items():
            if key == "personas":
                data["personas"] = list(val) + [p for p in data.get("personas", [])]
            elif key in ("vars", "crowd") and isinstance(val, dict):
                data[key] = {**val, **(data.get(key) or {})}
            else:
                data.setdefault(key, val)
    return data


def resolve(data: dict[str, Any], base: Path, origin: Path | None = None) -> dict[str, Any]:
    """Apply includes and ``{var}`` substitution to a parsed script."""
    data = _merge_includes(dict(data), base, (origin.resolve(),) if origin else ())
    brand = data.get("brand") or {}
    vars_ = {"brand": str(brand.get("name", "")), "brand_handle": str(brand.get("handle", ""))}
    vars_.update({k: str(v) for k, v in (data.get("vars") or {}).items()})
    return _substitute(data, vars_)  # type: ignore[no-any-return]


def load_scenario_text(text: str, name: str = "<string>", base: Path | None = None) -> Scenario:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ScenarioError(
            f"cannot load {name}: not valid YAML",
            [Diagnostic("E001", f"invalid YAML: {getattr(exc, 'problem', exc)}", name, line)],
        ) from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"cannot load {name}: expected a mapping of keys at the top level")
    data = resolve(data, base or Path("."), Path(name) if base else None)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        diags = [
            Diagnostic("E100", f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", name) for e in exc.errors()
        ]
        raise ScenarioError(f"cannot load {name}: {len(diags)} error(s)", diags) from exc


def load_scenario(path: str | Path) -> Scenario:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {p}: {exc.strerror}") from exc
    return load_scenario_text(text, str(p), p.parent)
