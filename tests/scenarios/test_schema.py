"""The JSON Schema: committed copy current, descriptions present, YAML-friendly times."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.codes import CODES
from scenarios.schema import json_schema, schema_path, schema_text

DOCS = Path(__file__).parents[2] / "docs" / "scenarios.md"


def test_schema_committed_copy_is_up_to_date() -> None:
    """scenarios/schema.json equals the generated schema (refresh: crisisdrill scenario schema > scenarios/schema.json)."""
    assert schema_path().read_text(encoding="utf-8") == schema_text()


def test_schema_cli_prints_the_schema() -> None:
    """'scenario schema' prints the same JSON."""
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema()


def test_schema_allows_include_and_string_times() -> None:
    """The top level accepts 'include', and times accept '4:30' as well as seconds."""
    schema = json_schema()
    assert "include" in schema["properties"]
    at = schema["$defs"]["TimelineItem"]["properties"]["at"]
    pattern = next(a["pattern"] for a in at["anyOf"] if a.get("type") == "string")
    assert all(re.match(pattern, v) for v in ("4:30", "1:04:30", "5m", "90s"))
    assert not re.match(pattern, "soon")


def test_schema_fields_have_descriptions() -> None:
    """Every property of every model has a description for editors to show."""
    missing = [
        f"{name}.{prop}"
        for name, d in json_schema()["$defs"].items()
        for prop, spec in d.get("properties", {}).items()
        if "description" not in spec and name not in ("Brand", "DMSpec", "PostSpec", "Persona", "Crowd")
    ]
    assert missing == []


def test_schema_docs_list_every_lint_code() -> None:
    """docs/scenarios.md has a table row for every lint code."""
    text = DOCS.read_text(encoding="utf-8")
    assert [c for c in CODES if f"| {c} |" not in text] == []


def test_schema_docs_example_is_the_checked_fixture() -> None:
    """The annotated example in docs/scenarios.md loads to the same Scenario as the fixture."""
    from scenarios import load_scenario, load_scenario_text

    good = Path(__file__).parent / "fixtures" / "good" / "payday-outage.yaml"
    example = DOCS.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    assert load_scenario_text(example, "example.yaml", good.parent) == load_scenario(good)
