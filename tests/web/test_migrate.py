"""Schema migrations: they build exactly the models' schema on both backends; `crisisdrill db
upgrade` alone brings a fresh PostgreSQL database to the current schema; the server refuses a
database that is behind and names the command that fixes it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.services import need_postgres
from tests.web.servers import free_port, pg_database
from web import migrate
from web.db import Database
from web.settings import Settings

ROOT = Path(__file__).parents[2]


def _cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "web", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_migrate_builds_exactly_the_models_schema(db_url: str) -> None:
    """After the migrations (the seeded test databases are built by them), autogenerate finds no
    difference from the models: create_all and the migrations agree, on SQLite and PostgreSQL."""
    engine = create_engine(Settings(database_url=db_url).sqlalchemy_url)
    try:
        assert migrate.current(engine) == migrate.head()
        assert migrate.diff(engine) == []
        migrate.check(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_migrate_db_upgrade_alone_brings_fresh_postgres_to_current_schema() -> None:
    """`crisisdrill db upgrade` on an empty PostgreSQL database: current schema, `db current` agrees,
    a second run does nothing."""
    with pg_database(need_postgres(), prefix="cdt_fresh") as url:
        done = _cli("db", "upgrade", url=url)
        assert done.returncode == 0, done.stderr
        assert f"upgraded from an empty database to revision {migrate.head()}" in done.stdout
        engine = create_engine(Settings(database_url=url).sqlalchemy_url)
        try:
            assert migrate.diff(engine) == []
        finally:
            engine.dispose()
        now = _cli("db", "current", url=url)
        assert now.returncode == 0 and "up to date" in now.stdout
        again = _cli("db", "upgrade", url=url)
        assert again.returncode == 0 and "nothing to do" in again.stdout


def test_migrate_server_refuses_a_database_that_is_behind(tmp_path: Path) -> None:
    """`crisisdrill serve` on an unmigrated database exits with a message naming `crisisdrill db upgrade`;
    `db current` says the same."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    served = _cli("serve", "--port", str(free_port()), url=url)
    assert served.returncode == 2
    assert "run `crisisdrill db upgrade`" in served.stderr and "no crisisdrill schema" in served.stderr
    now = _cli("db", "current", url=url)
    assert now.returncode == 1 and "crisisdrill db upgrade" in now.stderr


def test_migrate_check_names_the_fix_for_behind_and_newer(tmp_path: Path) -> None:
    """A database at an older (or unknown, newer) revision is refused with the fix in the message."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        with pytest.raises(migrate.SchemaError, match="does not know .* upgrade crisisdrill itself"):
            migrate.check(engine)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alembic_version"))
        with pytest.raises(migrate.SchemaError, match=r"run `crisisdrill db upgrade` with the same DATABASE_URL"):
            migrate.check(engine)
    finally:
        engine.dispose()


def test_migrate_adopts_a_sqlite_file_made_before_migrations(tmp_path: Path) -> None:
    """A demo database made by create_all (no alembic_version) is stamped and upgraded, data kept."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    db.create_all()
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO org (name) VALUES ('Old Org')"))
    db.dispose()
    assert migrate.upgrade(url) == (None, migrate.head())
    engine = create_engine(url)
    try:
        migrate.check(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM org")).scalar() == "Old Org"
    finally:
        engine.dispose()
