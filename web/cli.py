"""The ``crisisdrill`` command: demo, serve, rehearse, score, scenario, db."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["UVICORN_OPTIONS", "app"]

app = typer.Typer(help="crisisdrill: rehearse a social-media crisis before it happens.", no_args_is_help=True,
                  add_completion=False)

#: How every worker runs (docs/deploy.md, "Settings"); ``bench.fanout`` starts its servers with exactly these.
#: No permessage-deflate: browsers offer it, and with it each socket carries two zlib streams (tens of KB)
#: and every frame is compressed, for frames of a few hundred bytes of JSON.
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "info",
    "ws": "websockets-sansio",
    "ws_max_size": 1 << 20,
    "ws_per_message_deflate": False,
}

DEMO_USERS = (
    ("trainer", "trainer", "Tess Trainer", None),
    ("alice", "trainee", "Alice Ahmed", None),
    ("bob", "trainee", "Bob Baptiste", None),
    ("manager", "manager", "Mona Manager", None),
)


def _mount_subcommands() -> None:
    scenario_app: typer.Typer | None
    try:
        from scenarios.cli import app as scenario_app
    except ImportError:  # pragma: no cover - the scenario tools are part of the package
        scenario_app = None
    if scenario_app is not None:
        app.add_typer(scenario_app, name="scenario", help="Lint, preview, import and export scenario scripts.")
    from scoring.cli import app as score_app

    app.add_typer(score_app, name="score", help="Score JSON-lines replies against a rubric.")
    from .cli_db import app as db_app

    app.add_typer(db_app, name="db", help="Upgrade the database schema, or show its revision.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (more than 1 needs REDIS_URL).")] = 1,
) -> None:
    """Run the server (no demo data). The database must be at this version's schema."""
    import uvicorn
    from sqlalchemy import create_engine

    from .app import create_app
    from .migrate import SchemaError, check

    settings = _settings()
    engine = create_engine(settings.sqlalchemy_url)
    try:
        check(engine)
    except SchemaError as exc:
        typer.echo(f"crisisdrill serve: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    if workers > 1:
        if not settings.redis_url:
            typer.echo("crisisdrill serve: --workers above 1 needs REDIS_URL (the workers share one drill "
                       "through Redis); set it, or run one worker", err=True)
            raise typer.Exit(2)
        uvicorn.run("web.app:create_app", factory=True, host=host, port=port, workers=workers, **UVICORN_OPTIONS)
        return
    uvicorn.run(create_app(settings), host=host, port=port, **UVICORN_OPTIONS)


def _settings() -> Settings:
    from pydantic import ValidationError

    from .settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        msgs = "; ".join(e["msg"] for e in exc.errors())
        typer.echo(f"crisisdrill: cannot start: {msgs}", err=True)
        raise typer.Exit(2) from None


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scenario: Annotated[str, typer.Option(help="Bundled scenario for the demo drill.")] = "bank-payday-outage",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Set up the demo data and exit.")] = False,
) -> None:
    """Set up a demo (SQLite in this folder, accounts, a drill ready to start) and serve it."""
    from .auth import hash_password, new_password
    from .db import Database
    from .models import User
    from .service import create_drill, create_user, ensure_org, library

    from .migrate import upgrade as upgrade_schema

    settings = _settings()
    upgrade_schema(settings.sqlalchemy_url)  # a newcomer runs one command: the demo brings its database up to date
    db = Database(settings.sqlalchemy_url)
    names = [s.id for s in library()]
    chosen = scenario if scenario in names else (names[0] if names else scenario)
    lines = []
    from sqlmodel import select

    with db.session() as s:
        org = ensure_org(s, "Demo Org")
        users = {}
        for username, role, name, team in DEMO_USERS:
            password = new_password()
            user = s.exec(select(User).where(User.username == username)).first()
            if user is None:
                user = create_user(s, org, username, password, role, name, team)
            else:
                user.password_hash = hash_password(password)
                s.add(user)
                s.commit()
            users[username] = user
            lines.append(f"  {role:<8} {username:<8} password: {password}")
        drill = create_drill(s, users["trainer"], chosen, title=f"Demo drill: {chosen}")
    db.dispose()
    url = f"http://{host}:{port}"
    typer.echo(f"crisisdrill demo — database: {settings.database_url}")
    typer.echo("Accounts (passwords are new on every run):")
    typer.echo("\n".join(lines))
    typer.echo(f"Drill ready to start: {drill.title} ({drill.id}), join code {drill.join_code}")
    typer.echo(f"  trainer: log in at {url}/login as 'trainer', open the drill, press Start")
    typer.echo(f"  trainees: log in as 'alice' or 'bob', enter join code {drill.join_code}")
    typer.echo(f"  API: {url}/docs · protocol: docs/protocol.md")
    if not no_serve:
        serve(host=host, port=port, workers=1)


@app.command()
def rehearse(
    scenario: Annotated[str, typer.Argument(help="A scenario file or a bundled scenario id.")],
    speed: Annotated[str, typer.Option(help="'max' (virtual time) or a real-time factor such as 60.")] = "max",
    bot: Annotated[Optional[list[str]], typer.Option(help="good, bad or silent; repeat for more.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for the crowd and bots.")] = 1,
    out: Annotated[Optional[Path], typer.Option(help="Write the transcript JSON here ('-' for stdout).")] = None,
) -> None:
    """Play a scenario headless with bot trainees and write the transcript."""
    from scenarios import ScenarioError, find_scenario, load_scenario
    from sim import DrillError
    from sim import rehearse as run

    bots = bot or ["good", "bad", "silent"]
    try:
        pace = None if speed == "max" else float(speed)
    except ValueError:
        typer.echo(f"crisisdrill rehearse: --speed {speed!r} is neither 'max' nor a number", err=True)
        raise typer.Exit(2) from None
    try:
        sc = load_scenario(find_scenario(scenario))
        doc = run(sc, bots, seed=seed, speed=pace)
    except (ScenarioError, DrillError, ValueError) as exc:
        typer.echo(f"crisisdrill rehearse: {exc}", err=True)
        raise typer.Exit(1) from None
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if out is not None and str(out) == "-":
        sys.stdout.write(text + "\n")
        return
    target = out or Path(f"crisisdrill-rehearse-{sc.id}.json")
    target.write_text(text, encoding="utf-8")
    fired: dict[str, list[str]] = {}
    for ev in doc["events"]:
        if ev["type"] == "branch.fired":
            fired.setdefault(ev.get("team", ""), []).append(ev["data"]["branch"])
    typer.echo(f"{sc.id}: {len(doc['events'])} events, seed {seed} -> {target}")
    for p in doc["participants"]:
        branches = ", ".join(fired.get(p["team"], [])) or "none"
        mark = "pass" if p["passed"] else "fail"
        typer.echo(f"  {p['bot']:<7} score {p['score']:>3} ({mark})  replies {p['replies']:>2}  "
                   f"missed {p['missed']:>2}  branches: {branches}")


_mount_subcommands()
