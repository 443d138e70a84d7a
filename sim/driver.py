"""The real-time driver: a thin async loop around :class:`DrillCore`.

It sleeps until the next due item (no polling), wakes early on pause, resume, speed
change or inject, re-checks the clock after waking (timers may fire early) and reports
lag. All writes go through one ``sink`` coroutine, which persists and publishes a batch.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .aio import cancel_and_wait
from .core import DrillCore
from .events import Event

__all__ = ["DrillDriver", "Sink"]

Sink = Callable[[list[Event]], Awaitable[None]]


class DrillDriver:
    def __init__(
        self,
        core: DrillCore,
        sink: Sink,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
    ) -> None:
        self.core = core
        self.sink = sink
        self.clock = clock
        self._anchor_wall = clock()
        self._anchor_drill = core.now
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.max_lag_s = 0.0

    # ----------------------------------------------------------- drill clock
    def drill_now(self) -> float:
        if self.core.status != "running":
            return self._anchor_drill
        return self._anchor_drill + (self.clock() - self._anchor_wall) * self.core.speed

    def _reanchor(self) -> None:
        self._anchor_drill = max(self.drill_now(), self.core.now)
        self._anchor_wall = self.clock()

    # ---------------------------------------------------------------- inputs
    async def submit(self, ev_type: str, data: dict[str, Any] | None = None, *, team: str | None = None,
                     actor: str | None = None, client_id: str | None = None) -> list[Event]:
        """Apply one input at the current drill time, persist it and its consequences.

        Returns the committed events; raises :class:`DrillError` if refused (nothing is written).
        """
        async with self._lock:
            now = max(self.drill_now(), self.core.now)
            before = self.core.run(until=now) if self.core.status == "running" else []
            if before:
                await self.sink(before)
            old_status = self.core.status
            self._reanchor()
            out = self.core.apply(Event(ev_type, now, dict(data or {}), team, actor, client_id))
            if out:
                await self.sink(out)
            if self.core.status != old_status or ev_type == "drill.speed":
                self._reanchor()
            self._wake.set()
            return out

    # ------------------------------------------------------------------ loop
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="drill-driver")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while self.core.status != "ended":
            self._wake.clear()
            due = self.core.peek()
            if self.core.status != "running" or due is None:
                await self._wake.wait()
                continue
            wait = (due - self.drill_now()) / self.core.speed
            if wait > 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
                except TimeoutError:
                    pass
                continue  # re-plan: re-check the clock, state and the next item
            async with self._lock:
                if self.core.status != "running":
                    continue
                now = self.drill_now()
                nxt = self.core.peek()
                if nxt is None or nxt > now:
                    continue
                self.max_lag_s = max(self.max_lag_s, (now - nxt) / self.core.speed)
                batch = self.core.step()
                if batch:
                    await self.sink(batch)
                if self.core.status == "ended":
                    self._reanchor()

    async def wait_ended(self) -> None:
        if self._task is not None:
            await self._task
