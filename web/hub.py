"""The broadcast hub: the messages that cross process boundaries.

A small interface with a backend chosen by URL: in-process (:class:`MemoryHub`, the default)
or Redis pub/sub (:class:`web.hub_redis.RedisHub`, when ``REDIS_URL`` is set, so several
workers or hosts serve one drill). Two kinds of traffic:

- **events**: the drill's owner publishes every committed batch (``publish``); anyone may
  ``subscribe(drill_id)`` — an async context manager that always unsubscribes — and gets a
  bounded :class:`Subscription` that is marked ``overflowed`` instead of blocking the publisher.
- **inputs**: the owner ``serve``\\ s a drill's inputs (joins, actions, trainer controls,
  overrides); any worker ``request``\\ s one and gets the owner's answer once it is committed.
  :class:`NoOwner` means nobody serves that drill right now (the lease is moving).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol

__all__ = ["Handler", "Hub", "HubError", "MemoryHub", "NoOwner", "Subscription"]

#: Serves one input request (a JSON object) and returns the answer (a JSON object).
Handler = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


class HubError(RuntimeError):
    """The hub could not carry a message; the message says which and what to do."""


class NoOwner(HubError):
    """No worker serves this drill's inputs right now (it may be taking over)."""


class Subscription:
    """A subscriber's inbox: a bounded queue; ``overflowed`` is set when it fell behind
    (or lost messages to a broken connection): drop it and resume from the log."""

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

    def serve(self, drill_id: str, handler: Handler) -> Any: ...

    async def request(self, drill_id: str, body: dict[str, Any], timeout: float) -> dict[str, Any]: ...

    async def close(self) -> None: ...


class MemoryHub:
    """One process: fan-out to local subscribers, inputs to a local handler."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}
        self._handlers: dict[str, Handler] = {}

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

    @asynccontextmanager
    async def serve(self, drill_id: str, handler: Handler) -> AsyncIterator[None]:
        self._handlers[drill_id] = handler
        try:
            yield
        finally:
            if self._handlers.get(drill_id) is handler:
                del self._handlers[drill_id]

    async def request(self, drill_id: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        handler = self._handlers.get(drill_id)
        if handler is None:
            raise NoOwner(f"no worker serves drill {drill_id!r} right now")
        # shielded: a timeout here must not cancel the owner half-way through a commit
        task = asyncio.ensure_future(handler(body))
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout)
        except asyncio.TimeoutError:
            raise HubError(f"the owner of drill {drill_id!r} did not answer within {timeout:g}s") from None

    async def close(self) -> None:
        self._subs.clear()
        self._handlers.clear()
