"""The drill log on disk: append a batch of events with gap-free seqs, read it back.

``append`` runs in a worker thread (it blocks on the database). A batch commits whole or
not at all; the unique ``(drill_id, seq)`` constraint makes a second writer fail rather
than fork the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from sim.errors import DrillError
from sim.events import Event
from sim.transcript import LoggedEvent

from .db import Database
from .models import EventRow, utcnow

__all__ = ["EventStore", "LogConflict"]


class LogConflict(DrillError):
    """Another writer recorded the same seq first: this process no longer owns the drill."""


class EventStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def head(self, drill_id: str) -> int:
        with self.db.session() as s:
            value = s.exec(select(func.max(EventRow.seq)).where(EventRow.drill_id == drill_id)).one()
        return int(value or 0)

    def append(self, drill_id: str, first_seq: int, events: Sequence[Event]) -> list[LoggedEvent]:
        """Insert ``events`` as seqs ``first_seq, first_seq+1, …`` in one transaction."""
        wall = utcnow()
        rows = [
            EventRow(
                drill_id=drill_id, seq=first_seq + i, type=e.type, t=e.t, wall=wall, team=e.team,
                actor=e.actor, client_id=e.client_id, data=e.data,
            )
            for i, e in enumerate(events)
        ]
        with self.db.write_lock, self.db.session() as s:
            s.add_all(rows)
            try:
                s.commit()
            except IntegrityError as exc:
                s.rollback()
                raise LogConflict(
                    f"cannot append to drill {drill_id!r} at seq {first_seq}: another writer recorded it first",
                    "conflict",
                ) from exc
        stamp = wall.isoformat(timespec="milliseconds")
        return [LoggedEvent(first_seq + i, e, stamp) for i, e in enumerate(events)]

    def load(self, drill_id: str, since: int = 0) -> list[LoggedEvent]:
        with self.db.session() as s:
            rows = s.exec(
                select(EventRow).where(EventRow.drill_id == drill_id, EventRow.seq > since).order_by(EventRow.seq)
            ).all()
        return [
            LoggedEvent(
                r.seq,
                Event(r.type, r.t, dict(r.data), r.team, r.actor, r.client_id),
                r.wall.isoformat(timespec="milliseconds"),
            )
            for r in rows
        ]
