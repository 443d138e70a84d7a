"""The drills this process serves, loaded on first use, and the lease keeper.

The keeper wakes every ``ttl / 4``: it renews the leases of the drills this worker owns
(recording each drill clock), demotes any whose lease was lost, and offers every followed
drill to :meth:`Registry.claim`, which takes the lease once its owner stopped renewing
(kill -9, a hung host) and promotes the runtime: the scheduler moves within ``ttl`` plus
one tick. On a clean shutdown the leases are released so another worker takes over at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scoring import Scorer

from .lease import Claim, Leases, worker_name
from .models import Drill
from .runtime import DrillRuntime, db_call
from .store import EventStore

__all__ = ["Registry"]

log = logging.getLogger("crisisdrill.registry")


class Registry:
    def __init__(self, store: EventStore, hub: Any, scorer: Scorer, *, leases: Leases | None = None,
                 lease_ttl_s: float = 3.0) -> None:
        self.store = store
        self.hub = hub
        self.scorer = scorer
        self.leases = leases or Leases(store.db, worker_name(), lease_ttl_s)
        self.ttl = self.leases.ttl.total_seconds()
        self._live: dict[str, DrillRuntime] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._keeper: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def worker(self) -> str:
        return self.leases.owner

    async def get(self, drill: Drill) -> DrillRuntime:
        rt = self._live.get(drill.id)
        if rt is not None:
            return rt
        lock = self._locks.setdefault(drill.id, asyncio.Lock())
        async with lock:
            rt = self._live.get(drill.id)
            if rt is None:
                rt = DrillRuntime(drill, self)
                await rt.load()
                self._live[drill.id] = rt
                self._start_keeper()
            return rt

    def loaded(self, drill_id: str) -> DrillRuntime | None:
        return self._live.get(drill_id)

    def track(self, task: asyncio.Task[Any]) -> None:
        """Keep a background task referenced until it ends."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------ leases
    async def acquire(self, drill_id: str) -> Claim:
        return await db_call(self.leases.acquire, drill_id)

    async def claim(self, rt: DrillRuntime) -> bool:
        """Take ``rt``'s lease if its owner let it lapse; True if this worker owns the drill now."""
        if rt.is_owner:
            return True
        started = time.monotonic()
        claim = await self.acquire(rt.id)
        if claim.ours:
            await rt.promote(claim, started)
            return True
        rt.hint_clock(claim.drill_t)
        return False

    def _start_keeper(self) -> None:
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.create_task(self._keep(), name="lease-keeper")

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(self.ttl / 4)
            try:
                await self.tick()
            except Exception:  # noqa: BLE001 - the database may be away for a while: try again next tick
                log.exception("lease keeper: tick failed")

    async def tick(self) -> None:
        """Renew what we own, demote what we lost, take over what was abandoned, catch followers up."""
        owned = {rt.id: rt for rt in self._live.values() if rt.is_owner}
        started = time.monotonic()
        lost = await db_call(
            self.leases.renew, {i: rt.driver.drill_now() for i, rt in owned.items()})
        for drill_id, rt in owned.items():
            if drill_id in lost:
                await rt.demote("another worker holds its lease now")
            else:
                rt.valid_until = started + self.ttl * 0.9
        for rt in [rt for rt in self._live.values() if not rt.is_owner]:
            if rt.stale:
                await rt.demote("its memory was ahead of the log")
            if not await self.claim(rt):
                await rt.sync()

    async def close(self) -> None:
        if self._keeper is not None:
            self._keeper.cancel()
            try:
                await self._keeper
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        owned = {rt.id: rt.driver.drill_now() for rt in self._live.values() if rt.is_owner}
        for rt in list(self._live.values()):
            await rt.stop()
        for task in list(self._tasks):
            task.cancel()
        self._live.clear()
        try:
            await db_call(self.leases.release, owned)
        except Exception:  # noqa: BLE001 - the leases then lapse after their ttl
            log.warning("cannot release leases on shutdown; they lapse after %.1fs", self.ttl)
