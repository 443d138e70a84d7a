"""``crisisdrill db``: bring the database to this version's schema, or show where it stands."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(help="The database schema (Alembic migrations shipped with crisisdrill).", no_args_is_help=True,
                  add_completion=False)


def _url() -> str:
    from pydantic import ValidationError

    from .settings import Settings

    try:
        return Settings().sqlalchemy_url
    except ValidationError as exc:
        typer.echo(f"crisisdrill db: {'; '.join(e['msg'] for e in exc.errors())}", err=True)
        raise typer.Exit(2) from None


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Target revision (default: this version's)."),
) -> None:
    """Apply the migrations the database at DATABASE_URL lacks (safe to run again; workers may stay up)."""
    from sqlalchemy.exc import SQLAlchemyError

    from .migrate import safe_url
    from .migrate import upgrade as run

    url = _url()
    try:
        before, after = run(url, revision)
    except SQLAlchemyError as exc:
        typer.echo(f"crisisdrill db upgrade: cannot upgrade {safe_url(url)}: {exc.__class__.__name__}: "
                   f"{str(exc).splitlines()[0]}; check DATABASE_URL and that the server is up", err=True)
        raise typer.Exit(1) from None
    if before == after:
        typer.echo(f"{safe_url(url)}: already at revision {after} (nothing to do)")
    else:
        typer.echo(f"{safe_url(url)}: upgraded from {before or 'an empty database'} to revision {after}")


@app.command()
def current() -> None:
    """Show the database's revision and whether this version can serve it (exit 1 if not)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    from .migrate import SchemaError, check, head, safe_url
    from .migrate import current as revision_of

    url = _url()
    engine = create_engine(url)
    try:
        rev = revision_of(engine)
        check(engine)
    except SchemaError as exc:
        typer.echo(f"{safe_url(url)}: revision {rev or 'none'}; this version needs {head()}", err=True)
        typer.echo(str(exc).replace("cannot start: ", ""), err=True)
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        typer.echo(f"crisisdrill db current: cannot read {safe_url(url)}: {str(exc).splitlines()[0]}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    typer.echo(f"{safe_url(url)}: revision {rev} (up to date)")
