"""Lint: each code at its line and column, the CLI's exit codes and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.codes import CODES
from scenarios.lint import lint_paths, lint_text, render_text

FIXTURES = Path(__file__).parent / "fixtures"
LINT = FIXTURES / "lint"
GOOD = FIXTURES / "good" / "payday-outage.yaml"

# code -> (file where it is reported, line, col); the fixture is lint/<code>.yaml
EXPECTED = {
    "E001": ("E001.yaml", 9, 32),
    "E002": ("E002.yaml", 1, 1),
    "E003": ("E003.yaml", 1, 1),
    "E004": ("E004.yaml", 12, 1),
    "E005": ("E005.yaml", 1, 11),
    "E006": ("b.yaml", 1, 11),
    "E007": ("E007.yaml", 1, 10),
    "E010": ("E010.yaml", 13, 32),
    "E100": ("E100.yaml", 11, 14),
    "E101": ("E101.yaml", 1, 1),
    "E102": ("E102.yaml", 8, 9),
    "E103": ("E103.yaml", 12, 5),
    "E200": ("E200.yaml", 13, 16),
    "E201": ("E201.yaml", 13, 32),
    "E202": ("E202.yaml", 13, 9),
    "E203": ("E203.yaml", 13, 30),
    "E204": ("E204.yaml", 11, 40),
    "E205": ("E205.yaml", 13, 32),
    "E206": ("E206.yaml", 16, 32),
    "W207": ("W207.yaml", 13, 32),
    "E300": ("E300.yaml", 12, 9),
    "E310": ("E310.yaml", 17, 23),
    "E311": ("E311.yaml", 14, 35),
    "E312": ("E312.yaml", 14, 40),
    "E313": ("E313.yaml", 17, 11),
    "W314": ("W314.yaml", 16, 17),
    "W315": ("W315.yaml", 14, 11),
    "W400": ("W400.yaml", 11, 13),
    "W401": ("W401.yaml", 14, 36),
    "W402": ("W402.yaml", 12, 46),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_lint_code_reported_at_its_position(code: str) -> None:
    """Each lint fixture triggers its code at the expected file, line and column."""
    file, line, col = EXPECTED[code]
    found = {(Path(d.file).name, d.line, d.col, d.code) for d in lint_paths([LINT / f"{code}.yaml"])}
    assert (file, line, col, code) in found


def test_lint_every_script_code_has_a_fixture() -> None:
    """Every registered code outside the CSV range (E5xx) has a lint fixture here."""
    script_codes = {c for c in CODES if not c.startswith("E5")}
    assert script_codes == set(EXPECTED)


def test_lint_good_script_is_clean() -> None:
    """The annotated example script has no diagnostics at all."""
    assert lint_paths([GOOD]) == []


def test_lint_unknown_key_suggests_the_right_one() -> None:
    """An unknown key gets a did-you-mean naming the closest valid key."""
    [d] = [d for d in lint_paths([LINT / "E100.yaml"]) if d.code == "E100"]
    assert "did you mean 'answer'?" in d.message
    assert d.source_line is not None and "anwser" in d.source_line


def test_lint_reports_every_error_in_one_pass() -> None:
    """A script with several problems reports all of them, not just the first."""
    text = (LINT / "E100.yaml").read_text().replace("by: dana", "by: dnaa").replace("at: 0:30", "at: 11:00")
    codes = {d.code for d in lint_text(text, "multi.yaml")}
    assert {"E100", "E200", "E300"} <= codes


def test_lint_render_shows_caret_under_the_column() -> None:
    """The text form is file:line:col CODE message, the line, and a caret under the column."""
    out = render_text(lint_paths([LINT / "E200.yaml"]))
    head, source, caret = out.splitlines()[:3]
    assert head.endswith("13:16 E200 unknown persona 'dnaa' in timeline[1].post.by")
    assert source[caret.index("^")] == "d" and source[caret.index("^") :].startswith("dnaa")


def test_lint_keeps_yaml_keys_as_written() -> None:
    """'on:' stays the key 'on' (YAML 1.1 would read it as true)."""
    text = (LINT / "E100.yaml").read_text().replace("anwser", "answer")
    text += "branches:\n  - id: b1\n    when: {action: hide, on: p1}\n    then: [{heat: +1}]\n"
    assert lint_text(text, "on.yaml") == []


def test_lint_escaped_braces_are_not_variables() -> None:
    """'{{' and '}}' are literal braces, not an undefined variable."""
    text = (LINT / "E010.yaml").read_text().replace("{prodcut}", "{{not a var}}")
    assert [d.code for d in lint_text(text, "braces.yaml") if d.code == "E010"] == []


def test_lint_cli_exits_1_on_errors() -> None:
    """The lint command exits 1 when any error is found."""
    result = CliRunner().invoke(app, ["lint", str(LINT / "E200.yaml")])
    assert result.exit_code == 1
    assert "E200" in result.output


def test_lint_cli_exits_0_on_warnings_only() -> None:
    """Warnings alone do not fail the lint command."""
    result = CliRunner().invoke(app, ["lint", str(LINT / "W400.yaml")])
    assert result.exit_code == 0
    assert "W400" in result.output and "0 error(s), 1 warning(s)" in result.output


def test_lint_cli_exits_0_on_clean_script() -> None:
    """A clean script lints with exit 0."""
    result = CliRunner().invoke(app, ["lint", str(GOOD)])
    assert result.exit_code == 0, result.output


def test_lint_cli_json_lists_diagnostic_objects() -> None:
    """--format json prints a list of {file, line, col, code, severity, message, hint}."""
    result = CliRunner().invoke(
        app, ["lint", "--format", "json", str(LINT / "E100.yaml"), str(LINT / "W400.yaml")]
    )
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert {tuple(sorted(d)) for d in data} == {
        ("code", "col", "file", "hint", "line", "message", "severity")
    }
    assert {(d["code"], d["severity"], d["line"], d["col"]) for d in data} >= {
        ("E100", "error", 11, 14),
        ("W400", "warning", 11, 13),
    }


def test_lint_cli_folder_lints_its_scripts(tmp_path: Path) -> None:
    """A folder argument lints the *.yaml scripts directly in it."""
    (tmp_path / "a.yaml").write_text((LINT / "E200.yaml").read_text())
    (tmp_path / "b.yaml").write_text("")
    codes = {(Path(d.file).name, d.code) for d in lint_paths([tmp_path])}
    assert codes == {("a.yaml", "E200"), ("b.yaml", "E002")}


def test_lint_answer_allowed_in_answer_branches() -> None:
    """'answer' is fine in answer_to, action quote/dm and 'on: answer' branches, and nowhere else."""
    base = (LINT / "E100.yaml").read_text().replace("anwser", "answer")
    ok = base + (
        "branches:\n"
        "  - id: b1\n    when: {answer_to: p1}\n    then: [{post: {by: dana, quote_of: answer, text: wow}}]\n"
        "  - id: b2\n    when: {action: delete, on: answer}\n    then: [{burst: {count: 3, about: answer}}]\n"
    )
    assert lint_text(ok, "ok.yaml") == []
    bad = (
        base
        + "branches:\n  - id: b1\n    when: {no_answer_to: p1, for: 1m}\n    then: [{post: {by: dana, reply_to: answer, text: hm}}]\n"
    )
    assert [d.code for d in lint_text(bad, "bad.yaml")] == ["E203"]


def test_lint_rubric_codes_match_scoring() -> None:
    """The codes scripts may use are exactly the rubric's criterion codes (one module each in scoring)."""
    from scenarios.rubric_codes import RUBRIC_CODES

    criteria = Path(__file__).parents[2] / "scoring" / "criteria"
    codes = {p.stem for p in criteria.glob("*.py") if not p.stem.startswith("_")}
    assert codes == RUBRIC_CODES
