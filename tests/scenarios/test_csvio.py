"""CSV master events lists: the lossless round trip, the import errors, the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios import load_scenario, load_scenario_text
from scenarios.cli import app
from scenarios.csvio import export_csv, header_text, import_csv
from scenarios.loader import list_library

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "payday-outage.yaml"
LINT = FIXTURES / "lint"


@pytest.mark.parametrize("path", [GOOD, *list_library()], ids=lambda p: p.stem)
def test_csv_round_trip_gives_an_equal_scenario(path: Path) -> None:
    """export -> import -> load equals the original Scenario, for the example and every bundled script."""
    script, diags = import_csv(export_csv(path), "events.csv")
    assert script is not None, diags
    assert load_scenario_text(script, str(path), path.parent) == load_scenario(path)


def test_csv_export_keeps_variables_and_header() -> None:
    """Texts keep their {variables}; the header lines are the script's own YAML."""
    text = export_csv(GOOD)
    assert "# include: [common/novapay-people.yaml]" in text
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith(("#", '"#'))))
    p6 = next(r for r in rows if r["id"] == "p6")
    assert p6["text"].startswith("Can {brand} confirm") and p6["route"] == "press" and p6["at"] == "4:00"
    first = next(r for r in rows if r["branch"] == "dana-chases")
    assert first["when"] == "no_answer_to: p1, for: 5:00"


def test_csv_import_with_base_takes_its_header(tmp_path: Path) -> None:
    """--base supplies id, brand and personas when the CSV has no '#' lines."""
    body = "\n".join(ln for ln in export_csv(GOOD).splitlines() if not ln.startswith(("#", '"#')))
    script, _ = import_csv(body, "bare.csv", header_text(GOOD.read_text(), str(GOOD)))
    assert script is not None
    assert load_scenario_text(script, str(GOOD), GOOD.parent) == load_scenario(GOOD)


@pytest.mark.parametrize(
    ("code", "line", "col"),
    [("E500", 3, 6), ("E501", 1, 1), ("E502", 5, 3), ("E503", 1, 1), ("E504", 4, 5)],
)
def test_csv_import_error_at_row_and_column(code: str, line: int, col: int) -> None:
    """Each CSV fixture gives its code at the row (line) and column number."""
    script, diags = import_csv((LINT / f"{code}.csv").read_text(), f"{code}.csv")
    assert script is None
    assert (code, line, col) in {(d.code, d.line, d.col) for d in diags}


def test_csv_import_validation_error_names_the_column() -> None:
    """A bad value in a cell is reported at that cell's column."""
    text = "# id: x\nat,kind,by,text,answer\n0:30,post,dana,hi,maybe\n"
    script, diags = import_csv(text, "bad.csv")
    assert script is None
    [d] = diags
    assert (d.code, d.line, d.col) == ("E102", 3, 5)


def test_csv_cli_export_then_import_writes_a_clean_script(tmp_path: Path) -> None:
    """'export --csv' then 'import -o' next to the original gives a script that lints clean."""
    runner = CliRunner()
    exported = runner.invoke(app, ["export", str(GOOD), "--csv", "-o", str(tmp_path / "events.csv")])
    assert exported.exit_code == 0, exported.output
    out = GOOD.parent / "_roundtrip_test.yaml"
    try:
        result = runner.invoke(app, ["import", str(tmp_path / "events.csv"), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert load_scenario(out) == load_scenario(GOOD)
    finally:
        out.unlink(missing_ok=True)


def test_csv_cli_export_needs_the_format_flag() -> None:
    """'export' without --csv is a usage error naming the flag."""
    result = CliRunner().invoke(app, ["export", str(GOOD)])
    assert result.exit_code == 2
    assert "--csv" in result.output


def test_csv_cli_export_refuses_a_broken_script() -> None:
    """A script with lint errors is not exported; the errors are shown."""
    result = CliRunner().invoke(app, ["export", str(LINT / "E200.yaml"), "--csv"])
    assert result.exit_code == 1
    assert "E200" in result.output
