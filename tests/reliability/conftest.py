"""Fixtures for the tests that break things on purpose: servers and accounts from tests/web,
plus an admin, bulk trainees sharing one password hash, and tokens minted with a known secret."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import seeded_sqlite  # noqa: F401  (a fixture, re-exported)
from tests.web.servers import USERS, Live, thread_server
from sqlmodel import select

from web.auth import Tokens
from web.db import Database
from web.models import User
from web.settings import Settings

SECRET = "reliability-tests-" + secrets.token_hex(16)
ROLES = {"admin": "root", "trainer": "trainer", "trainee": "alice", "manager": "manager"}

def add_users(url: str, names: list[str], role: str, org: str = "Org A") -> dict[str, int]:
    """Insert accounts directly, sharing the trainer's password hash (argon2 is slow by design)."""
    db = Database(Settings(database_url=url).sqlalchemy_url)
    try:
        with db.session() as s:
            trainer = s.exec(select(User).where(User.username == "trainer")).one()
            org_id = trainer.org_id if org == "Org A" else s.exec(
                select(User).where(User.username == "mallory")).one().org_id
            users = [User(org_id=org_id, username=n, display_name=n.title(), role=role,
                          password_hash=trainer.password_hash) for n in names]
            s.add_all(users)
            s.commit()
            return {u.username: int(u.id) for u in users if u.id is not None}
    finally:
        db.dispose()

def user_ids(url: str) -> dict[str, int]:
    db = Database(Settings(database_url=url).sqlalchemy_url)
    try:
        with db.session() as s:
            return {u.username: int(u.id) for u in s.exec(select(User)).all()
                    if u.id is not None}
    finally:
        db.dispose()

def mint(ids: dict[str, int]) -> dict[str, str]:
    tokens = Tokens(SECRET, 3600)
    return {name: tokens.issue(uid) for name, uid in ids.items()}

@pytest.fixture
def db_url(tmp_path: Path, seeded_sqlite: Path) -> str:  # noqa: F811
    """The seeded accounts (tests/web) plus ``root``, an admin of Org A."""
    target = tmp_path / "test.db"
    shutil.copy(seeded_sqlite, target)
    url = f"sqlite:///{target}"
    add_users(url, ["root"], "admin")
    return url

@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    """A threaded server whose tokens are minted with a known secret (no argon2 logins)."""
    with thread_server(db_url, secret_key=SECRET) as server:
        server.tokens.update(mint(user_ids(db_url)))
        yield server

assert set(USERS) >= {"trainer", "alice", "bob", "manager", "mallory", "otto"}
