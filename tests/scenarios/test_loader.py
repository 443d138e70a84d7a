"""The loader: positions through includes, variables, and the public functions the engine uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import ScenarioError, load_scenario, load_scenario_text
from scenarios.loader import find_scenario, list_library

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "payday-outage.yaml"


def test_load_scenario_merges_includes_and_variables() -> None:
    """Included personas come first, vars merge, and {brand}/{vars} are replaced in texts."""
    s = load_scenario(GOOD)
    assert [p.id for p in s.personas[:2]] == ["dana", "lee"]
    assert s.vars["product"] == "NovaPay app" and s.vars["status_page"] == "status.novapay.example"
    assert s.crowd.mood == "angry" and s.crowd.hashtags == ["#NovaPayDown", "#payday"]
    assert s.summary.startswith("The NovaPay app stops")
    assert "status.novapay.example" in (s.timeline[0].expect.model_answer or "")  # type: ignore[union-attr]


def test_load_scenario_reads_minutes_and_seconds() -> None:
    """'0:30' and '4:00' are drill offsets in seconds (YAML's base-60 ints agree)."""
    s = load_scenario(GOOD)
    assert [t.at for t in s.timeline[:2]] == [30.0, 75.0]
    assert s.duration == 1200.0


def test_load_scenario_raises_with_all_diagnostics() -> None:
    """A broken script raises ScenarioError carrying every diagnostic, errors and warnings."""
    text = (FIXTURES / "lint" / "W400.yaml").read_text().replace("by: dana", "by: dnaa")
    with pytest.raises(ScenarioError, match="cannot load broken.yaml: 1 error") as info:
        load_scenario_text(text, "broken.yaml")
    assert [d.code for d in info.value.diagnostics] == ["E200", "W400"]


def test_load_scenario_missing_file_names_the_path() -> None:
    """A missing file is a ScenarioError naming the path."""
    with pytest.raises(ScenarioError, match="cannot read scenario .*nowhere.yaml"):
        load_scenario(FIXTURES / "nowhere.yaml")


def test_load_scenario_text_resolves_includes_from_base() -> None:
    """load_scenario_text(text, name, base) reads includes relative to base."""
    s = load_scenario_text(GOOD.read_text(), "inline.yaml", GOOD.parent)
    assert s.persona("lee").followers == 48000


def test_load_error_in_included_file_points_into_it(tmp_path: Path) -> None:
    """A bad value in an included file is reported at that file's line and column."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "people.yaml").write_text(
        "personas:\n  - {id: lee, handle: '@lee', name: Lee, kind: jurnalist}\n"
    )
    main = GOOD.read_text().replace("include: [common/novapay-people.yaml]", "include: [common/people.yaml]")
    main = main.replace("by: dana", "by: lee")
    (tmp_path / "main.yaml").write_text(main)
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "main.yaml")
    [d] = [d for d in info.value.diagnostics if d.code == "E102"]
    assert (Path(d.file).name, d.line, d.col) == ("people.yaml", 2, 48)
    assert d.hint == "did you mean 'journalist'?"


def test_find_scenario_names_bundled_scripts_when_missing() -> None:
    """An unknown name lists the bundled scenarios in the error."""
    with pytest.raises(ScenarioError, match="no scenario file or bundled scenario named 'nope'"):
        find_scenario("nope")


def test_list_library_scripts_all_load() -> None:
    """Every bundled script loads (an empty library passes trivially)."""
    for path in list_library():
        assert load_scenario(path).id
