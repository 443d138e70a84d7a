"""The drills this process serves, loaded on first use, and the lease keeper.

A renewer thread extends the leases of the drills this worker owns every ``ttl / 4`` (recording
each drill clock) whatever the event loop is doing; the keeper task, on the same period,
demotes any drill whose lease was lost and offers every followed
drill to :meth:`Registry.claim`, which takes the lease once its owner stopped renewing
(kill -9, a hung host) and promotes the runtime: the scheduler moves within ``ttl`` plus
one tick. On a clean shutdown the leases are released so another worker takes over at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
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
        self._lost: set[str] = set()
        self._lost_lock = threading.Lock()

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
        """Renewals run on their own thread, so a busy event loop (a CPU burst, a slow client) can
        never make this worker miss them and demote its own drills; the loop handles the outcome.
        Cancelling the keeper stops the thread too: to other workers that is a dead process."""
        renewer = _Renewer(self)
        renewer.start()
        try:
            while True:
                await asyncio.sleep(self.ttl / 4)
                try:
                    await self.tick(renew=False)
                except Exception:
                    log.exception("lease keeper: tick failed")
        finally:
            renewer.stop.set()

    def renew_now(self) -> None:
        """Extend the leases of the drills we own (blocking; the renewer thread calls it)."""
        owned = [rt for rt in list(self._live.values()) if rt.is_owner]
        started = time.monotonic()
        lost = self.leases.renew({rt.id: rt.driver.drill_now() for rt in owned})
        for rt in owned:
            if rt.id in lost:
                with self._lost_lock:
                    self._lost.add(rt.id)
            else:
                rt.valid_until = started + self.ttl * 0.9

    async def tick(self, renew: bool = True) -> None:
        """Demote what we lost, take over what was abandoned, catch followers up (and renew, if asked)."""
        if renew:
            await db_call(self.renew_now)
        with self._lost_lock:
            lost, self._lost = self._lost, set()
        for drill_id in lost:
            rt = self._live.get(drill_id)
            if rt is not None and rt.is_owner:
                await rt.demote("another worker holds its lease now")
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
            except (asyncio.CancelledError, Exception):
                pass
        owned = {rt.id: rt.driver.drill_now() for rt in self._live.values() if rt.is_owner}
        for rt in list(self._live.values()):
            await rt.stop()
        for task in list(self._tasks):
            task.cancel()
        self._live.clear()
        try:
            await db_call(self.leases.release, owned)
        except Exception:
            log.warning("cannot release leases on shutdown; they lapse after %.1fs", self.ttl)


class _Renewer(threading.Thread):
    """Calls :meth:`Registry.renew_now` every ``ttl / 4`` until ``stop`` is set."""

    def __init__(self, registry: Registry) -> None:
        super().__init__(name="lease-renewer", daemon=True)
        self.registry = registry
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.registry.ttl / 4):
            try:
                self.registry.renew_now()
            except Exception:
                log.exception("lease renewer: renewal failed")
