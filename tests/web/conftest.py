"""Web fixtures. ``db_url`` is parametrized over the backends, so every test that uses it (or
``live``) runs on SQLite and on PostgreSQL; the PostgreSQL run gets a fresh database per test,
copied from a template that holds the seeded accounts (argon2 hashing is slow by design).
Without a PostgreSQL server the ``postgres`` runs skip locally and fail in CI (tests/services.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.services import need_postgres
from tests.web.servers import Live, pg_database, seed_users, thread_server

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file with the test accounts: copied per test."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    seed_users(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def seeded_postgres() -> Iterator[str]:
    """A PostgreSQL template database with the test accounts (its name): copied per test."""
    base = need_postgres()
    with pg_database(base, prefix="cdt_tpl") as url:
        seed_users(url)
        yield str(make_url(url).database)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own for this test, with the seeded accounts, on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite"), target)
        yield f"sqlite:///{target}"
        return
    template = request.getfixturevalue("seeded_postgres")
    with pg_database(need_postgres(), template=template) as url:
        yield url


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    with thread_server(db_url) as server:
        yield server
