"""Several workers, one drill, in one process (two registries sharing a database and a hub, as two
uvicorn workers share PostgreSQL and Redis): one owner runs the scheduler, the other mirrors the log
and forwards inputs; when the owner dies another takes over; a stale owner cannot fork the log."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import select

from scenarios import Scenario
from sim import DrillCore, replay
from tests.web.servers import MINI_YAML
from web.app import shared_scorer
from web.db import Database
from web.hub import MemoryHub
from web.lease import Leases
from web.models import Drill, Lease, User
from web.registry import Registry
from web.runtime import DrillRuntime
from web.service import create_drill
from web.settings import Settings
from web.store import EventStore

TTL = 1.0
TRAINER = "trainer:1"


def _setup(db_url: str) -> tuple[Database, Drill]:
    db = Database(Settings(database_url=db_url).sqlalchemy_url)
    with db.session() as s:
        trainer = s.exec(select(User).where(User.username == "trainer")).one()
        drill = create_drill(s, trainer, scenario_yaml=MINI_YAML, seed=3)
    return db, drill


def _run(db_url: str, body: Callable[[Database, Drill, Registry, Registry], Awaitable[None]]) -> None:
    db, drill = _setup(db_url)

    async def main() -> None:
        hub = MemoryHub()
        a = Registry(EventStore(db), hub, shared_scorer(), leases=Leases(db, "worker-a", TTL))
        b = Registry(EventStore(db), hub, shared_scorer(), leases=Leases(db, "worker-b", TTL))
        try:
            await asyncio.wait_for(body(db, drill, a, b), 30)
        finally:
            await a.close()
            await b.close()

    try:
        asyncio.run(main())
    finally:
        db.dispose()


async def _until(pred: Callable[[], bool], timeout: float = 5.0) -> float:
    start = time.monotonic()
    while not pred():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


def _assert_one_history(db: Database, drill: Drill) -> list[Any]:
    """The log is gap-free, its clock never goes back, and the deterministic core reproduces it exactly
    from its inputs: no event was skipped or repeated."""
    records = EventStore(db).load(drill.id)
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
    ts = [r.event.t for r in records]
    assert ts == sorted(ts), "the drill clock went back"
    core = DrillCore(Scenario.model_validate(drill.scenario), drill.seed, drill.teams, shared_scorer())
    replay(core, [r.event for r in records])
    return records


async def _die(registry: Registry, rt: DrillRuntime) -> None:
    """A worker killed -9: it stops renewing and writing, and releases nothing."""
    assert registry._keeper is not None
    registry._keeper.cancel()
    await rt.stop()
    registry._live.clear()


def test_registry_follower_mirrors_the_owner_and_forwards_inputs(db_url: str) -> None:
    """Inputs sent to the follower are applied by the owner, acked after commit, visible on the follower at
    once (read your writes), recorded once when resent; both workers hold the identical log."""
    async def body(db: Database, drill: Drill, a: Registry, b: Registry) -> None:
        owner, follower = await a.get(drill), await b.get(drill)
        assert owner.is_owner and not follower.is_owner
        await follower.submit("participant.joined", {"participant": "u2", "name": "Alice"}, actor="u2", team="main",
                              client_id="join")
        assert "u2" in follower.core.participants and "u2" in owner.core.participants
        await follower.submit("drill.started", {}, actor=TRAINER, client_id="go")
        async with follower.subscribe() as sub:
            ack = await follower.submit("trainer.inject", {"persona": "dana", "text": "Refund now!"}, actor=TRAINER,
                                        client_id="i1")
            frame = await asyncio.wait_for(sub.queue.get(), 5)
            while not (frame["type"] == "post.created" and frame["data"]["post"]["text"] == "Refund now!"):
                frame = await asyncio.wait_for(sub.queue.get(), 5)
        assert frame["seq"] in ack.seqs
        post_id = frame["data"]["post"]["id"]
        reply = await follower.submit("action", {"action": "reply", "target": post_id, "text": "Sorry, please DM us."},
                                      actor="u2", client_id="r1")
        assert reply.post_id and not reply.duplicate
        assert any(r.event.type == "reply.scored" for r in follower.records if r.seq in reply.seqs)
        again = await follower.submit("action", {"action": "reply", "target": post_id, "text": "resent"}, actor="u2",
                                      client_id="r1")
        assert again.duplicate and again.seq == reply.seq
        await follower.sync()
        assert [r.to_dict() for r in follower.records] == [r.to_dict() for r in owner.records]
        assert sum(1 for r in owner.records if r.event.client_id == "r1") == 1
        assert abs(follower.clock()["t"] - owner.clock()["t"]) < 0.5
        _assert_one_history(db, drill)

    _run(db_url, body)


def test_registry_takeover_after_the_owner_dies(db_url: str) -> None:
    """The owner stops renewing (kill -9): the follower takes the lease within ttl + ttl/4 and carries on
    from the drill clock where it stood; nothing is repeated or skipped."""
    async def body(db: Database, drill: Drill, a: Registry, b: Registry) -> None:
        owner, follower = await a.get(drill), await b.get(drill)
        await owner.submit("drill.started", {}, actor=TRAINER, client_id="go")
        await owner.submit("drill.speed", {"speed": 40}, actor=TRAINER, client_id="fast")
        await _until(lambda: owner.head > 12)
        await asyncio.sleep(TTL / 2)  # at least one renewal: the lease records the clock
        before = owner.driver.drill_now()
        await _die(a, owner)
        waited = await _until(lambda: follower.is_owner, TTL * 2 + 1)
        assert waited < TTL * 1.25 + 0.5, f"takeover took {waited:.2f}s"
        t_owned = follower.driver.drill_now()
        assert before - TTL * 40 <= t_owned <= before + (waited + 0.5) * 40  # continues, no jump ahead
        head = follower.head
        await _until(lambda: follower.head > head + 5)  # the scheduler runs again
        ack = await follower.submit("trainer.inject", {"persona": "lee", "text": "after"}, actor=TRAINER, client_id="i9")
        assert ack.seqs
        _assert_one_history(db, drill)

    _run(db_url, body)


def test_registry_stale_owner_cannot_fork_the_log(db_url: str) -> None:
    """Its lease taken while it still runs (a hung host waking up), the old owner's writes lose the race on
    the unique seq, it steps down, and the log stays one deterministic history."""
    async def body(db: Database, drill: Drill, a: Registry, b: Registry) -> None:
        owner, follower = await a.get(drill), await b.get(drill)
        await owner.submit("drill.started", {}, actor=TRAINER, client_id="go")
        await owner.submit("drill.speed", {"speed": 60}, actor=TRAINER, client_id="fast")
        await _until(lambda: owner.head > 5)
        with db.engine.begin() as conn:  # the lease lapses behind the owner's back
            conn.execute(update(Lease).where(Lease.drill_id == drill.id).values(expires_at=datetime(2000, 1, 1,
                                                                                                 tzinfo=UTC)))
        assert await b.claim(follower)
        await _until(lambda: not owner.is_owner, TTL * 2)
        head = follower.head
        await _until(lambda: follower.head > head + 5)
        await _until(lambda: owner.head >= follower.head - 1)
        records = _assert_one_history(db, drill)
        assert [r.seq for r in owner.records][: len(records) - 2] == [r.seq for r in records][: len(records) - 2]

    _run(db_url, body)


def test_registry_busy_event_loop_does_not_lose_its_own_drills(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A CPU burst that blocks the loop for longer than the lease ttl does not make the only worker
    demote its own drill (and rebuild it from the log): renewals run on their own thread."""
    caplog.set_level(logging.WARNING, logger="crisisdrill.runtime")

    async def body(db: Database, drill: Drill, a: Registry, b: Registry) -> None:
        owner = await a.get(drill)
        await owner.submit("drill.started", {}, actor=TRAINER, client_id="go")
        await asyncio.sleep(TTL / 2)
        time.sleep(TTL * 1.6)  # the loop is blocked (deliberately): no task runs, the renewer thread does
        ack = await owner.submit("trainer.inject", {"persona": "dana", "text": "still here?"}, actor=TRAINER,
                                 client_id="late")
        assert ack.seqs and owner.is_owner
        await asyncio.sleep(TTL / 2)  # give a demotion, if any, the time to happen

    _run(db_url, body)
    assert not [r for r in caplog.records if "stops running the scheduler" in r.getMessage()]
