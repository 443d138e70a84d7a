from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.servers import Live, seed_users, thread_server


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file with the test accounts (argon2 hashing is slow by design): copied per test."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    seed_users(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(tmp_path: Path, seeded_sqlite: Path) -> str:
    target = tmp_path / "test.db"
    shutil.copy(seeded_sqlite, target)
    return f"sqlite:///{target}"


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    with thread_server(db_url) as server:
        yield server
