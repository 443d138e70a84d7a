"""The drill log on disk: append a batch of events with gap-free seqs, read it back.

``append`` runs in a worker thread (it blocks on the database). :meth:`EventStore.write` is the
async path the drills use: a **group commit** — every batch requested (by any drill) in the same
event-loop iteration goes into one transaction, on SQLite on the loop itself when nothing else
holds the write lock (a local commit is ~0.3 ms; a thread hop under load costs far more), else in
one worker-thread call; each caller hears back only after that commit. A batch commits whole or
not at all. The unique ``(drill_id, seq)`` constraint makes a second writer fail rather
than fork the log, on SQLite and PostgreSQL alike (two processes, two hosts); the unique
``(drill_id, actor, client_id)`` index makes a resent action fail rather than be recorded
twice. Either failure is a :class:`LogConflict`: the writer's view of the log is stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

import anyio
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col, select

from sim.errors import DrillError
from sim.events import Event
from sim.transcript import LoggedEvent

from .db import Database
from .models import EventRow, utcnow

if TYPE_CHECKING:
    import threading

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
_COLUMNS = ("drill_id", "seq", "type", "t", "wall", "team", "actor", "client_id", "data")


@dataclass(slots=True)
class _Pending:
    drill_id: str
    first_seq: int
    events: Sequence[Event]
    fut: asyncio.Future[list[LoggedEvent]]


class EventStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: list[_Pending] = []
        self._flushing = False  # a flush is scheduled or running; later writes join the next group
        self._raw: tuple[str, tuple[Any, ...], Any] | None = None  # SQLite: INSERT text, bind processors, DBAPI

    async def write(self, drill_id: str, first_seq: int, events: Sequence[Event]) -> list[LoggedEvent]:
        """:meth:`append`, grouped with every other drill's appends of this loop iteration into one
        commit. Returns after the commit; raises :class:`LogConflict` if this batch lost its seq (the
        other batches of the group still commit). A cancelled caller still waits for the commit."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[list[LoggedEvent]] = loop.create_future()
        self._queue.append(_Pending(drill_id, first_seq, events, fut))
        if not self._flushing:
            self._flushing = True
            loop.call_soon(self._flush)
        try:
            return await asyncio.shield(fut)
        except asyncio.CancelledError:
            if not fut.done():
                await asyncio.wait({fut})
            raise

    def _flush(self) -> None:
        group, self._queue = self._queue, []
        if not group:
            self._flushing = False
            return
        lock: Any = self.db.write_lock  # a threading.Lock on SQLite
        if self.db.is_sqlite and lock.acquire(blocking=False):
            try:
                out = self._commit_group(group, busy_ms=50)
            except OperationalError:  # "database is locked" by another process: wait in a thread
                out = None
            except Exception as exc:  # noqa: BLE001 - every caller of the group hears it
                out = [exc] * len(group)
            finally:
                lock.release()
            if out is not None:
                self._settle(group, out)
                return
        asyncio.get_running_loop().create_task(self._flush_in_thread(group))

    async def _flush_in_thread(self, group: list[_Pending]) -> None:
        def commit() -> list[Any]:
            with self.db.write_lock:
                return self._commit_group(group)

        try:
            out: list[Any] = await anyio.to_thread.run_sync(commit)
        except BaseException as exc:  # noqa: BLE001 - every caller of the group hears it
            out = [exc] * len(group)
        self._settle(group, out)

    def _settle(self, group: list[_Pending], out: list[Any]) -> None:
        for p, result in zip(group, out):
            if p.fut.done():
                continue
            if isinstance(result, BaseException):
                p.fut.set_exception(result)
            else:
                p.fut.set_result(result)
        if self._queue:  # what arrived meanwhile is the next group
            asyncio.get_running_loop().call_soon(self._flush)
        else:
            self._flushing = False

    def _commit_group(self, group: list[_Pending], busy_ms: int | None = None) -> list[Any]:
        """One transaction for the whole group; if a batch conflicts, each batch on its own so that
        only the stale writer fails. Per batch: its :class:`LoggedEvent` list or its exception."""
        if len(group) > 1:
            wall = utcnow()
            rows = [row for p in group for row in _rows(p.drill_id, p.first_seq, p.events, wall)]
            try:
                self._execute(rows, busy_ms)
            except IntegrityError:
                pass  # fall through: batch by batch
            else:
                stamp = wall.isoformat(timespec="milliseconds")
                return [[LoggedEvent(p.first_seq + i, e, stamp) for i, e in enumerate(p.events)] for p in group]
        out: list[Any] = []
        for p in group:
            try:
                out.append(self._insert(p.drill_id, p.first_seq, p.events, busy_ms))
            except OperationalError:
                if len(group) == 1:
                    raise  # nothing written: the caller may retry it in a thread
                out.append(DrillError(f"cannot append to drill {p.drill_id!r}: the database is locked; "
                                      "resend with the same id", "moved"))
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out

    def _execute(self, rows: list[dict[str, Any]], busy_ms: int | None) -> None:
        if self.db.is_sqlite:
            self._execute_sqlite(rows, busy_ms)
            return
        with self.db.engine.begin() as conn:
            if busy_ms is not None:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy_ms)}")
            try:
                conn.execute(_INSERT, rows)
            finally:
                if busy_ms is not None:
                    conn.exec_driver_sql("PRAGMA busy_timeout = 30000")

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
        # on SQLite (checked first) write_lock is a threading.Lock, never the no-op _NullLock
        if not self.db.is_sqlite or not cast("threading.Lock", self.db.write_lock).acquire(blocking=False):
            return None
        try:
            return self._insert(drill_id, first_seq, events, busy_ms=50)
        except OperationalError:  # "database is locked" by another process: wait in a thread instead
            return None
        finally:
            cast("threading.Lock", self.db.write_lock).release()

    def _insert(self, drill_id: str, first_seq: int, events: Sequence[Event],
                busy_ms: int | None = None) -> list[LoggedEvent]:
        wall = utcnow()
        try:
            self._execute(_rows(drill_id, first_seq, events, wall), busy_ms)
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

    def _execute_sqlite(self, rows: list[dict[str, Any]], busy_ms: int | None) -> None:
        """The same INSERT on the raw sqlite3 connection: SQLAlchemy's per-statement machinery
        (result set-up, two ``exec_driver_sql`` for the busy timeout) cost more than SQLite itself.
        Values go through the columns' own bind processors, so rows are stored exactly as Core stores them."""
        if self._raw is None:
            dialect = self.db.engine.dialect
            compiled = _INSERT.compile(dialect=dialect, column_keys=list(_COLUMNS))
            assert tuple(compiled.positiontup or ()) == _COLUMNS, compiled.positiontup
            table = EventRow.__table__  # type: ignore[attr-defined]
            procs = tuple(table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in _COLUMNS)
            dbapi: Any = dialect.dbapi
            self._raw = (compiled.string, procs, dbapi)
        sql, procs, dbapi = self._raw  # dbapi: the sqlite3 module
        params = [tuple(r[c] if p is None else p(r[c]) for c, p in zip(_COLUMNS, procs)) for r in rows]
        raw = self.db.engine.raw_connection()
        try:
            cur = raw.cursor()
            try:
                if busy_ms is not None:
                    cur.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
                try:
                    cur.executemany(sql, params)
                    raw.commit()
                except BaseException:
                    raw.rollback()
                    raise
                finally:
                    if busy_ms is not None:
                        cur.execute("PRAGMA busy_timeout = 30000")
            finally:
                cur.close()
        except dbapi.IntegrityError as exc:
            raise IntegrityError(sql, None, exc) from exc
        except dbapi.OperationalError as exc:
            raise OperationalError(sql, None, exc) from exc
        finally:
            raw.close()  # back to the pool

    def load(self, drill_id: str, since: int = 0) -> list[LoggedEvent]:
        """Every event after ``since``, in seq order."""
        with self.db.session() as s:
            rows = s.exec(
                select(EventRow).where(EventRow.drill_id == drill_id, EventRow.seq > since)
                .order_by(col(EventRow.seq))
            ).all()
        return [
            LoggedEvent(
                r.seq,
                Event(r.type, r.t, dict(r.data), r.team, r.actor, r.client_id),
                _utc(r.wall).isoformat(timespec="milliseconds"),
            )
            for r in rows
        ]


def _rows(drill_id: str, first_seq: int, events: Sequence[Event], wall: datetime) -> list[dict[str, Any]]:
    # a Core executemany: the ORM unit of work cost ~5x more on the hot path (bench/README.md)
    return [{"drill_id": drill_id, "seq": first_seq + i, "type": e.type, "t": e.t, "wall": wall, "team": e.team,
             "actor": e.actor, "client_id": e.client_id, "data": e.data} for i, e in enumerate(events)]
