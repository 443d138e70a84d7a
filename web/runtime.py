"""A live drill in this process: its core and driver, the log in memory, the network
projection, idempotent acknowledgements, persistence and fan-out.

Every write goes through :meth:`DrillRuntime._sink`: commit to the database first, then
update memory and publish. So anything a client sees or is acknowledged is on disk.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import anyio

from fake_network import Network
from scenarios.models import Scenario
from scoring import Scorer
from sim import DrillCore, DrillDriver, Event, LoggedEvent, replay

from .hub import Hub
from .models import Drill
from .store import EventStore

__all__ = ["Ack", "DrillRuntime", "Registry"]


@dataclass(frozen=True, slots=True)
class Ack:
    seq: int  # seq of the input event
    client_id: str | None
    seqs: tuple[int, ...]  # every seq the input produced
    duplicate: bool = False
    post_id: str | None = None

    def frame(self) -> dict[str, Any]:
        f: dict[str, Any] = {"type": "ack", "seq": self.seq, "id": self.client_id, "events": list(self.seqs)}
        if self.duplicate:
            f["duplicate"] = True
        if self.post_id:
            f["post_id"] = self.post_id
        return f


class DrillRuntime:
    def __init__(self, drill: Drill, store: EventStore, hub: Hub, scorer: Scorer) -> None:
        self.drill = drill
        self.id = drill.id
        self.scenario = Scenario.model_validate(drill.scenario)
        self.store = store
        self.hub = hub
        self.core = DrillCore(self.scenario, drill.seed, drill.teams, scorer)
        self.records: list[LoggedEvent] = []
        self.network = Network()
        self.acks: dict[tuple[str, str], Ack] = {}
        self.driver = DrillDriver(self.core, self._sink)
        self._submit_lock = asyncio.Lock()
        self._last: list[LoggedEvent] = []

    @property
    def head(self) -> int:
        return self.records[-1].seq if self.records else 0

    async def load(self) -> None:
        """Rebuild from the log (restart recovery) and start the driver."""
        records = await anyio.to_thread.run_sync(self.store.load, self.id, 0)
        replay(self.core, [r.event for r in records])
        for r in records:
            self._remember(r)
        self.driver._anchor_drill = self.core.now  # the clock continues from where it stood
        self.driver.start()

    def _remember(self, r: LoggedEvent) -> None:
        self.records.append(r)
        self.network.apply(r.seq, r.event)

    async def _sink(self, batch: list[Event]) -> None:
        logged = await anyio.to_thread.run_sync(self.store.append, self.id, self.head + 1, batch)
        for r in logged:
            self._remember(r)
        self._last = logged
        await self.hub.publish(self.id, [r.to_dict() for r in logged])

    async def submit(
        self, ev_type: str, data: dict[str, Any], *, actor: str, team: str | None = None,
        client_id: str | None = None,
    ) -> Ack:
        """Apply one input; returns its acknowledgement once committed (or the earlier one)."""
        async with self._submit_lock:
            if client_id is not None:
                seen = self.acks.get((actor, client_id))
                if seen is not None:
                    return Ack(seen.seq, client_id, seen.seqs, True, seen.post_id)
            self._last = []
            out = await self.driver.submit(ev_type, data, team=team, actor=actor, client_id=client_id)
            logged = self._last if out else []
            if not logged:
                return Ack(self.head, client_id, ())
            first = logged[0]
            ack = Ack(first.seq, client_id, tuple(r.seq for r in logged), False, first.event.data.get("post_id"))
            if client_id is not None:
                self.acks[(actor, client_id)] = ack
            return ack

    def rebuild_acks(self) -> None:
        """After a restart: every logged action's id stays acknowledged, so a resend is a no-op."""
        for r in self.records:
            e = r.event
            if e.client_id and e.actor:
                self.acks.setdefault((e.actor, e.client_id), Ack(r.seq, e.client_id, (r.seq,), False,
                                                                  e.data.get("post_id")))

    def since(self, seq: int) -> list[LoggedEvent]:
        """Records after ``seq`` (binary search: seqs are dense from 1)."""
        return self.records[max(0, seq) :] if seq >= 0 else list(self.records)

    def clock(self) -> dict[str, Any]:
        return {"t": round(self.driver.drill_now(), 3), "status": self.core.status, "speed": self.core.speed,
                "duration": self.scenario.duration}

    async def stop(self) -> None:
        await self.driver.stop()


class Registry:
    """The drills this process runs, loaded on first use."""

    def __init__(self, store: EventStore, hub: Hub, scorer: Scorer) -> None:
        self.store = store
        self.hub = hub
        self.scorer = scorer
        self._live: dict[str, DrillRuntime] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, drill: Drill) -> DrillRuntime:
        rt = self._live.get(drill.id)
        if rt is not None:
            return rt
        lock = self._locks.setdefault(drill.id, asyncio.Lock())
        async with lock:
            rt = self._live.get(drill.id)
            if rt is None:
                rt = DrillRuntime(drill, self.store, self.hub, self.scorer)
                await rt.load()
                rt.rebuild_acks()
                self._live[drill.id] = rt
            return rt

    def loaded(self, drill_id: str) -> DrillRuntime | None:
        return self._live.get(drill_id)

    async def close(self) -> None:
        for rt in list(self._live.values()):
            await rt.stop()
        self._live.clear()
