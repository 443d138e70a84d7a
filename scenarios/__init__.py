"""Scenario scripts: the format, the loader and the bundled library."""

from .errors import Diagnostic, ScenarioError
from .lint import lint_paths, lint_text
from .loader import find_scenario, library_dir, list_library, load_scenario, load_scenario_text
from .models import Action, Branch, Effect, Expectation, Persona, PersonaKind, Scenario, TimelineItem

__all__ = [
    "Action",
    "Branch",
    "Diagnostic",
    "Effect",
    "Expectation",
    "Persona",
    "PersonaKind",
    "Scenario",
    "ScenarioError",
    "TimelineItem",
    "find_scenario",
    "library_dir",
    "lint_paths",
    "lint_text",
    "list_library",
    "load_scenario",
    "load_scenario_text",
]
