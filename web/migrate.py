"""Schema versions: Alembic migrations shipped inside the package (``web/migrations``).

``crisisdrill db upgrade`` calls :func:`upgrade`; the server calls :func:`check` at start-up
and refuses a database that is behind (or ahead) of this code, naming the command that fixes
it. ``crisisdrill demo`` upgrades its own SQLite file. :func:`diff` compares a database with
the models (the test that proves the migrations build exactly the models' schema).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

from . import models  # noqa: F401  (registers the tables)

__all__ = ["SchemaError", "check", "current", "diff", "head", "safe_url", "upgrade"]

MIGRATIONS = Path(__file__).parent / "migrations"
FIX = "crisisdrill db upgrade"


class SchemaError(RuntimeError):
    """The database's schema is not the one this code needs; the message names the fix."""


def safe_url(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url


def _config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def head() -> str:
    """The revision this code needs."""
    rev = ScriptDirectory.from_config(_config()).get_current_head()
    assert rev is not None, "web/migrations/versions is empty"
    return rev


def current(engine: Engine) -> str | None:
    """The database's revision (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply the migrations up to ``revision``; returns (before, after).

    A SQLite file made before migrations existed (tables, no ``alembic_version``) is adopted:
    stamped at the first revision, then upgraded.
    """
    engine = create_engine(url)
    try:
        before = current(engine)
        if before is None and engine.dialect.name == "sqlite" and {"drill", "event"} <= set(
            inspect(engine).get_table_names()
        ):
            first = ScriptDirectory.from_config(_config()).get_base()
            command.stamp(_config(url), first or "base")
        command.upgrade(_config(url), revision)
        return before, current(engine)
    finally:
        engine.dispose()


def check(engine: Engine) -> None:
    """Raise :class:`SchemaError` unless the database is at this code's revision."""
    have, need = current(engine), head()
    if have == need:
        return
    where = safe_url(str(engine.url))
    scripts = ScriptDirectory.from_config(_config())
    if have is None:
        raise SchemaError(f"cannot start: the database {where} has no crisisdrill schema yet (it needs revision "
                          f"{need}); run `{FIX}` with the same DATABASE_URL, then start the server again")
    try:
        scripts.get_revision(have)
    except Exception:  # noqa: BLE001 - alembic raises several kinds for unknown revisions
        raise SchemaError(f"cannot start: the database {where} is at revision {have!r}, which this version of "
                          f"crisisdrill does not know (it is newer); upgrade crisisdrill itself") from None
    raise SchemaError(f"cannot start: the database {where} is at revision {have} but this version needs {need}; "
                      f"run `{FIX}` with the same DATABASE_URL, then start the server again")


def diff(engine: Engine) -> list[Any]:
    """Differences between the database and the models (empty when they match)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, SQLModel.metadata))
