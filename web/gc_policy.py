"""Keep the cyclic garbage collector's pauses off the live feed.

A full (generation 2) collection walks every tracked object. A worker serving 1,000 sockets and
50 drills holds ~450,000 of them, so each full collection stopped the event loop for 100-350 ms
on the 2-core development VM, several times a minute (``bench/README.md``, "Fan-out"): the
largest single cause of late posts. Nearly all of those objects live as long as their socket or
drill, so the policy is:

- after start-up and after every full collection, :func:`gc.freeze` the survivors: later
  collections only walk what was created since, which takes a few milliseconds;
- every ``full_every_s`` (default 15 minutes) unfreeze them, so that cycles which died while
  frozen (a closed socket's tasks, say) are reclaimed by the next full collection: one long pause
  in that interval instead of one every few seconds.

Reference counting frees acyclic garbage at once whether frozen or not; only reference cycles
wait for the periodic sweep, so memory stays bounded by what one interval's churn leaves.
"""

from __future__ import annotations

import asyncio
import gc
import time

from sim.aio import cancel_and_wait

__all__ = ["GcPolicy"]


class GcPolicy:
    def __init__(self, full_every_s: float = 900.0, check_every_s: float = 0.5) -> None:
        self.full_every_s = full_every_s
        self.check_every_s = check_every_s
        self._task: asyncio.Task[None] | None = None
        self._full_seen = 0

    def start(self) -> None:
        """Freeze what start-up built and watch for full collections (call inside the running loop)."""
        gc.freeze()
        self._full_seen = gc.get_stats()[2]["collections"]
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="gc-policy")

    async def _run(self) -> None:
        last_sweep = time.monotonic()
        while True:
            await asyncio.sleep(self.check_every_s)
            full = gc.get_stats()[2]["collections"]
            if full != self._full_seen:  # a full collection ran: what survived it is long-lived
                self._full_seen = full
                gc.freeze()
            if time.monotonic() - last_sweep >= self.full_every_s:
                last_sweep = time.monotonic()
                gc.unfreeze()  # the next full collection sees everything once, then we freeze again

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        gc.unfreeze()
