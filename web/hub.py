"""The broadcast hub: publish a drill's committed events to every subscriber.

A small interface with a backend chosen by URL: ``memory://`` (one process, the
default) or ``redis://`` (several workers or hosts; see :mod:`web.hub_redis`).
``subscribe`` is an async context manager that always unsubscribes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

__all__ = ["Hub", "MemoryHub", "Subscription"]


class Subscription:
    """A subscriber's inbox: a bounded queue; ``overflowed`` is set when it fell behind."""

    def __init__(self, maxsize: int) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize)
        self.overflowed = asyncio.Event()

    def offer(self, msg: dict[str, Any]) -> None:
        if self.overflowed.is_set():
            return
        try:
            self.queue.put_nowait(msg)
        except asyncio.QueueFull:
            self.overflowed.set()


class Hub(Protocol):
    async def publish(self, drill_id: str, messages: list[dict[str, Any]]) -> None: ...

    def subscribe(self, drill_id: str, maxsize: int = 512) -> Any: ...

    async def close(self) -> None: ...


class MemoryHub:
    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}

    async def publish(self, drill_id: str, messages: list[dict[str, Any]]) -> None:
        self.deliver(drill_id, messages)

    def deliver(self, drill_id: str, messages: list[dict[str, Any]]) -> None:
        for sub in tuple(self._subs.get(drill_id, ())):
            for msg in messages:
                sub.offer(msg)

    @asynccontextmanager
    async def subscribe(self, drill_id: str, maxsize: int = 512) -> AsyncIterator[Subscription]:
        sub = Subscription(maxsize)
        self._subs.setdefault(drill_id, set()).add(sub)
        try:
            yield sub
        finally:
            subs = self._subs.get(drill_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[drill_id]

    def subscriber_count(self, drill_id: str) -> int:
        return len(self._subs.get(drill_id, ()))

    async def close(self) -> None:
        self._subs.clear()
