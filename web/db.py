"""Engine and sessions. SQLite by default (WAL, one writer at a time), PostgreSQL when
``DATABASE_URL`` says so: the same code on both. Built by the app factory, never at import.

The schema comes from the Alembic migrations (:mod:`web.migrate`); :meth:`Database.create_all`
stays for throwaway databases and is proven equal to the migrations by a test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from . import models  # noqa: F401  (registers the tables)

__all__ = ["Database"]


class Database:
    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
            sa_event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            # timestamps come back in UTC whatever the server's TimeZone setting is
            self.engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                                        connect_args={"options": "-c timezone=UTC",
                                                      "application_name": "crisisdrill"})
        # SQLite allows one writer; serialise our own writes instead of retrying on "database is locked".
        self.write_lock = threading.Lock() if self.is_sqlite else _NullLock()

    def create_all(self) -> None:
        SQLModel.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class _NullLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
