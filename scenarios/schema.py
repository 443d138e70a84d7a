"""The JSON Schema of the script format, for editors (VS Code's YAML extension and friends).

Generated from the pydantic models, descriptions included, plus the ``include`` key that
only exists before includes are merged. ``scenarios/schema.json`` is the committed copy;
``crisisdrill scenario schema > scenarios/schema.json`` refreshes it and a test checks it
is current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Scenario

__all__ = ["json_schema", "schema_path", "schema_text"]

_INCLUDE: dict[str, Any] = {
    "description": "Shared files (personas, crowd, vars) merged into this one; paths are relative to this file.",
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}


def json_schema() -> dict[str, Any]:
    """The schema as a dict (draft-07 header; ``$defs`` are reached by JSON pointer)."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["properties"] = {"include": _INCLUDE, **schema["properties"]}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "crisisdrill scenario script",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    """The schema as the JSON text that ``scenarios/schema.json`` holds."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """Where the committed copy lives."""
    return Path(__file__).parent / "schema.json"
