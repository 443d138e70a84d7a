"""``crisisdrill scenario …``: lint, schema, preview, import and export of scenario scripts.

The web package mounts :data:`app` as the ``scenario`` sub-command.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from .csvio import export_csv, header_text, import_csv
from .errors import ScenarioError
from .lint import lint_paths, render_json, render_text
from .loader import find_scenario, load_scenario
from .preview import play, preview_events
from .schema import schema_text

__all__ = ["app"]

app = typer.Typer(help="Write, check and convert scenario scripts.", no_args_is_help=True)

sleep = time.sleep
"""The preview's sleep; tests replace it."""


def _fail(exc: ScenarioError) -> typer.Exit:
    typer.echo(str(exc), err=True)
    return typer.Exit(1)


@app.command()
def lint(
    files: Annotated[list[Path], typer.Argument(help="Scripts, or folders of scripts, to check.")],
    format: Annotated[str, typer.Option("--format", help="text, or json for tools.")] = "text",
) -> None:
    """Check scripts: every problem in one pass, as file:line:col CODE message. Exit 1 on errors."""
    if format not in ("text", "json"):
        raise typer.BadParameter(f"unknown format {format!r}; use 'text' or 'json'", param_hint="--format")
    diags = lint_paths(files)
    typer.echo(render_json(diags) if format == "json" else render_text(diags))
    if any(d.severity == "error" for d in diags):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the script format (for editors)."""
    typer.echo(schema_text(), nl=False)


@app.command()
def preview(
    file: Annotated[str, typer.Argument(help="A script, or the name of a bundled one.")],
    speed: Annotated[
        str, typer.Option(help="Times real time (60: a 20-minute script takes 20 s), or 'max'.")
    ] = "max",
    width: Annotated[int, typer.Option(help="Line width.")] = 100,
) -> None:
    """Show the timeline as it would play, branches marked at their earliest time."""
    pace: float | None = None
    if speed != "max":
        try:
            pace = float(speed)
        except ValueError:
            pace = -1.0
        if pace <= 0:
            raise typer.BadParameter(
                f"cannot play at speed {speed!r}: use a positive number such as 60, or 'max'",
                param_hint="--speed",
            )
    try:
        scenario = load_scenario(find_scenario(file))
    except ScenarioError as exc:
        raise _fail(exc) from exc
    play(preview_events(scenario, width), typer.echo, sleep, pace)


@app.command("import")
def import_(
    csv_file: Annotated[Path, typer.Argument(help="The master events list (CSV).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the script here (default: print it).")
    ] = None,
    base: Annotated[
        Path | None,
        typer.Option(help="Take id, brand, personas… from this script instead of the CSV's '#' lines."),
    ] = None,
) -> None:
    """Turn a CSV events list into a YAML script."""
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
        base_header = header_text(base.read_text(encoding="utf-8"), str(base)) if base else None
    except OSError as exc:
        typer.echo(f"cannot import {csv_file}: {exc.strerror} ({exc.filename}); check the path", err=True)
        raise typer.Exit(1) from exc
    except ScenarioError as exc:
        raise _fail(exc) from exc
    script, diags = import_csv(text, str(csv_file), base_header)
    if script is None:
        typer.echo(render_text(diags), err=True)
        raise typer.Exit(1)
    if output is None:
        sys.stdout.write(script)
        return
    output.write_text(script, encoding="utf-8")
    after = lint_paths([output])
    if after:
        typer.echo(render_text(after), err=True)
    if any(d.severity == "error" for d in after):
        raise typer.Exit(1)


@app.command()
def export(
    file: Annotated[str, typer.Argument(help="A script, or the name of a bundled one.")],
    csv: Annotated[bool, typer.Option("--csv", help="Write CSV (the only format for now).")] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here (default: print it).")
    ] = None,
) -> None:
    """Write a script's timeline and branches as a CSV events list."""
    if not csv:
        raise typer.BadParameter("say which format to export: --csv", param_hint="--csv")
    try:
        text = export_csv(find_scenario(file))
    except ScenarioError as exc:
        raise _fail(exc) from exc
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
