"""The drill log on disk: append a batch of events with gap-free seqs, read it back.

``append`` runs in a worker thread (it blocks on the database). A batch commits whole or
not at all. The unique ``(drill_id, seq)`` constraint makes a second writer fail rather
than fork the log, on SQLite and PostgreSQL alike (two processes, two hosts); the unique
``(drill_id, actor, client_id)`` index makes a resent action fail rather than be recorded
twice. Either failure is a :class:`LogConflict`: the writer's view of the log is stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import select

from sim.errors import DrillError
from sim.events import Event
from sim.transcript import LoggedEvent

from .db import Database
from .models import EventRow, utcnow

__all__ = ["EventStore", "LogConflict"]


class LogConflict(DrillError):
    """Another writer recorded the same seq (``kind='seq'``) or the same action id
    (``kind='client_id'``) first: this writer's view of the log is stale."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message, "conflict")
        self.kind = kind


def _kind(exc: IntegrityError) -> str:
    text = str(exc.orig)
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None) or ""
    if "uq_event_drill_client" in name or "event.client_id" in text:
        return "client_id"
    return "seq"


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive timestamps: they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


_INSERT = EventRow.__table__.insert()  # type: ignore[attr-defined]


class EventStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def head(self, drill_id: str) -> int:
        with self.db.session() as s:
            value = s.exec(select(func.max(EventRow.seq)).where(EventRow.drill_id == drill_id)).one()
        return int(value or 0)

    def append(self, drill_id: str, first_seq: int, events: Sequence[Event]) -> list[LoggedEvent]:
        """Insert ``events`` as seqs ``first_seq, first_seq+1, …`` in one transaction.

        Returns only after the commit; raises :class:`LogConflict` (nothing written) if another
        writer got there first.
        """
        with self.db.write_lock:
            return self._insert(drill_id, first_seq, events)

    def append_now(self, drill_id: str, first_seq: int, events: Sequence[Event]) -> list[LoggedEvent] | None:
        """:meth:`append` on the caller's thread (the event loop) when that costs no waiting: SQLite
        only, our write lock free, the file not locked by another process for more than 50 ms.
        ``None``: nothing was written; call :meth:`append` in a worker thread. A local SQLite commit
        takes ~0.3 ms; under load the thread hop it saves costs 10-1000 ms (bench/README.md)."""
        if not self.db.is_sqlite or not self.db.write_lock.acquire(blocking=False):
            return None
        try:
            return self._insert(drill_id, first_seq, events, busy_ms=50)
        except OperationalError:  # "database is locked" by another process: wait in a thread instead
            return None
        finally:
            self.db.write_lock.release()

    def _insert(self, drill_id: str, first_seq: int, events: Sequence[Event],
                busy_ms: int | None = None) -> list[LoggedEvent]:
        wall = utcnow()
        rows = [  # a Core executemany: the ORM unit of work cost ~5x more on the hot path (bench/README.md)
            {"drill_id": drill_id, "seq": first_seq + i, "type": e.type, "t": e.t, "wall": wall, "team": e.team,
             "actor": e.actor, "client_id": e.client_id, "data": e.data}
            for i, e in enumerate(events)
        ]
        try:
            with self.db.engine.begin() as conn:
                if busy_ms is not None:
                    conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy_ms)}")
                try:
                    conn.execute(_INSERT, rows)
                finally:
                    if busy_ms is not None:
                        conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
        except IntegrityError as exc:
            kind = _kind(exc)
            what = "an action with the same id" if kind == "client_id" else f"seq {first_seq}"
            raise LogConflict(
                f"cannot append to drill {drill_id!r} at seq {first_seq}: another writer recorded {what} "
                "first; reload the log from the database",
                kind,
            ) from exc
        stamp = wall.isoformat(timespec="milliseconds")
        return [LoggedEvent(first_seq + i, e, stamp) for i, e in enumerate(events)]

    def load(self, drill_id: str, since: int = 0) -> list[LoggedEvent]:
        """Every event after ``since``, in seq order."""
        with self.db.session() as s:
            rows = s.exec(
                select(EventRow).where(EventRow.drill_id == drill_id, EventRow.seq > since).order_by(EventRow.seq)
            ).all()
        return [
            LoggedEvent(
                r.seq,
                Event(r.type, r.t, dict(r.data), r.team, r.actor, r.client_id),
                _utc(r.wall).isoformat(timespec="milliseconds"),
            )
            for r in rows
        ]
