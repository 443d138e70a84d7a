"""The drill log under concurrency, on SQLite and PostgreSQL: two writers (two engines, as two
processes would have) race for the same seqs; exactly one records each event."""

from __future__ import annotations

import threading

import pytest

from sim import Event
from web.db import Database
from web.models import Drill, User
from web.settings import Settings
from web.store import EventStore, LogConflict

from sqlmodel import select


def _drill(db: Database) -> str:
    with db.session() as s:
        trainer = s.exec(select(User).where(User.username == "trainer")).one()
        s.add(Drill(id="d-race", org_id=trainer.org_id, title="race", scenario_id="x", scenario={}, seed=1,
                    teams=["main"], join_code="RACE01"))
        s.commit()
    return "d-race"


def test_store_two_writers_never_both_record_event_n(db_url: str) -> None:
    """Two writers appending the same seqs at the same moment: each seq is recorded once, the loser gets
    LogConflict, and the log stays gap-free."""
    url = Settings(database_url=db_url).sqlalchemy_url
    dbs = [Database(url), Database(url)]
    try:
        drill_id = _drill(dbs[0])
        stores = [EventStore(db) for db in dbs]
        rounds = 25
        barrier = threading.Barrier(2)
        won: dict[int, list[int]] = {seq: [] for seq in range(1, rounds + 1)}
        errors: list[BaseException] = []

        def writer(w: int) -> None:
            for seq in range(1, rounds + 1):
                barrier.wait(10)
                try:
                    stores[w].append(drill_id, seq, [Event("note", float(seq), {"writer": w})])
                    won[seq].append(w)
                except LogConflict as exc:
                    assert exc.kind == "seq"
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

        threads = [threading.Thread(target=writer, args=(w,)) for w in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert all(len(winners) == 1 for winners in won.values()), won
        logged = stores[0].load(drill_id)
        assert [r.seq for r in logged] == list(range(1, rounds + 1))
        assert [r.event.data["writer"] for r in logged] == [won[r.seq][0] for r in logged]
    finally:
        for db in dbs:
            db.dispose()


def test_store_resent_action_id_recorded_once(db_url: str) -> None:
    """A second writer recording the same (actor, client id) fails with LogConflict(kind='client_id')."""
    url = Settings(database_url=db_url).sqlalchemy_url
    a, b = Database(url), Database(url)
    try:
        drill_id = _drill(a)
        act = Event("action", 1.0, {"action": "like", "target": "main:p1"}, "main", "u2", "like-1")
        EventStore(a).append(drill_id, 1, [act])
        with pytest.raises(LogConflict, match="same id") as info:
            EventStore(b).append(drill_id, 2, [act])
        assert info.value.kind == "client_id"
        assert [r.seq for r in EventStore(b).load(drill_id)] == [1]
        assert EventStore(b).load(drill_id)[0].wall.endswith("+00:00")
    finally:
        a.dispose()
        b.dispose()
