"""The broadcast hub over Redis pub/sub: several workers or hosts serve one drill.

One connection publishes, one pub/sub connection per process listens, and a reader task
dispatches what arrives to the local subscribers. Channels (``prefix`` defaults to
``crisisdrill``; Redis pub/sub ignores the database number, so give each deployment
sharing a Redis its own prefix):

- ``{prefix}:drill:{id}:events`` — one message per committed batch: a JSON list of events.
- ``{prefix}:drill:{id}:inputs`` — requests to the drill's owner: ``{"rid", "reply", "body"}``.
- ``{prefix}:worker:{worker}:replies`` — the owner's answers: ``{"rid", "body"}``.

Pub/sub is at-most-once. A subscriber never blocks the reader (bounded queue, ``overflowed``
when full), and when the connection breaks every local subscription is marked overflowed,
because messages may have been lost: the socket is dropped and resumes with ``since``, a
mirror reloads from the database (``docs/deploy.md``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from .hub import Handler, HubError, NoOwner, Subscription

__all__ = ["RedisHub"]

log = logging.getLogger("crisisdrill.hub")


class RedisHub:
    def __init__(self, url: str, *, prefix: str = "crisisdrill", worker: str | None = None) -> None:
        self.url = url
        self.prefix = prefix
        self.redis = aioredis.from_url(url)
        self._replies = f"{prefix}:worker:{worker or secrets.token_hex(6)}:replies"
        self._subs: dict[str, set[Subscription]] = {}  # channel -> local subscribers
        self._handlers: dict[str, Handler] = {}  # inputs channel -> the local owner's handler
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._confirm: dict[str, asyncio.Event] = {}  # channel -> set once Redis confirms the subscription
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    def _events(self, drill_id: str) -> str:
        return f"{self.prefix}:drill:{drill_id}:events"

    def _inputs(self, drill_id: str) -> str:
        return f"{self.prefix}:drill:{drill_id}:inputs"

    # --------------------------------------------------------------- events
    async def publish(self, drill_id: str, messages: list[dict[str, Any]]) -> None:
        try:
            await self.redis.publish(self._events(drill_id), json.dumps(messages, separators=(",", ":")))
        except RedisError as exc:
            raise HubError(f"cannot publish to drill {drill_id!r} through Redis at {self.url}: {exc}") from exc

    @asynccontextmanager
    async def subscribe(self, drill_id: str, maxsize: int = 512) -> AsyncIterator[Subscription]:
        sub = Subscription(maxsize)
        channel = self._events(drill_id)
        await self._listen(channel, self._subs.setdefault(channel, set()), sub)
        try:
            yield sub
        finally:
            subs = self._subs.get(channel)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[channel]
                    await self._unlisten(channel)

    def subscriber_count(self, drill_id: str) -> int:
        return len(self._subs.get(self._events(drill_id), ()))

    # --------------------------------------------------------------- inputs
    @asynccontextmanager
    async def serve(self, drill_id: str, handler: Handler) -> AsyncIterator[None]:
        channel = self._inputs(drill_id)
        self._handlers[channel] = handler
        await self._listen(channel)
        try:
            yield
        finally:
            if self._handlers.get(channel) is handler:
                del self._handlers[channel]
                await self._unlisten(channel)

    async def request(self, drill_id: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        await self._start()
        rid = secrets.token_hex(8)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            msg = json.dumps({"rid": rid, "reply": self._replies, "body": body}, separators=(",", ":"))
            try:
                receivers = await self.redis.publish(self._inputs(drill_id), msg)
            except RedisError as exc:
                raise HubError(f"cannot reach drill {drill_id!r}'s owner through Redis at {self.url}: {exc}") from exc
            if receivers == 0:
                raise NoOwner(f"no worker serves drill {drill_id!r} right now")
            try:
                return await asyncio.wait_for(fut, timeout)
            except asyncio.TimeoutError:
                raise HubError(f"the owner of drill {drill_id!r} did not answer within {timeout:g}s") from None
        finally:
            self._pending.pop(rid, None)

    async def _answer(self, handler: Handler, raw: dict[str, Any]) -> None:
        try:
            body = await handler(raw["body"])
        except Exception as exc:  # noqa: BLE001 - the requester must hear back either way
            log.exception("input handler failed")
            body = {"ok": False, "code": "internal", "msg": f"the drill's owner failed: {exc}"}
        try:
            await self.redis.publish(raw["reply"], json.dumps({"rid": raw["rid"], "body": body}))
        except RedisError:
            log.warning("cannot answer input request %s: Redis is unreachable", raw.get("rid"))

    # ------------------------------------------------------------- listening
    async def _start(self) -> None:
        if self._ready is None:
            self._ready = asyncio.Event()
            self._reader = asyncio.create_task(self._read(), name="redis-hub-reader")
        try:
            await asyncio.wait_for(self._ready.wait(), 10)
        except asyncio.TimeoutError:
            raise HubError(f"cannot reach Redis at {self.url} (REDIS_URL): is it running?") from None

    async def _listen(self, channel: str, subs: set[Subscription] | None = None,
                      sub: Subscription | None = None) -> None:
        await self._start()
        if subs is not None and sub is not None:
            subs.add(sub)
        confirmed = self._confirm.setdefault(channel, asyncio.Event())
        if confirmed.is_set():
            return
        try:
            await self._pubsub.subscribe(channel)
            # once Redis confirms, every later publish reaches us: callers may then read the log
            await asyncio.wait_for(confirmed.wait(), 5)
        except (RedisError, AttributeError, asyncio.TimeoutError):
            pass  # the reader resubscribes every channel when it reconnects; the mirror catches up

    async def _unlisten(self, channel: str) -> None:
        if channel in self._subs or channel in self._handlers or self._pubsub is None:
            return
        self._confirm.pop(channel, None)
        try:
            await self._pubsub.unsubscribe(channel)
        except RedisError:
            pass

    async def _connect(self) -> None:
        pubsub = self.redis.pubsub()
        for event in self._confirm.values():
            event.clear()
        await pubsub.subscribe(self._replies, *self._subs, *self._handlers)
        self._pubsub = pubsub  # ready once Redis confirms the replies channel (see _read)

    async def _read(self) -> None:
        delay = 0.1
        while not self._closed:
            try:
                if self._pubsub is None:
                    await self._connect()
                    delay = 0.1
                msg = await self._pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any broken connection: reconnect
                log.warning("Redis hub connection lost (%s); reconnecting", exc)
                self._lost()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            if msg is None:
                continue
            if msg["type"] == "message":
                self._dispatch(msg["channel"].decode(), msg["data"])
            elif msg["type"] == "subscribe":
                channel = msg["channel"].decode()
                if channel == self._replies and self._ready is not None:
                    self._ready.set()
                confirmed = self._confirm.get(channel)
                if confirmed is not None:
                    confirmed.set()

    def _lost(self) -> None:
        """Messages may have been lost: every local subscriber must resume from the log."""
        old, self._pubsub = self._pubsub, None
        if old is not None:
            task = asyncio.create_task(_quietly(old.aclose()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        for subs in self._subs.values():
            for sub in subs:
                sub.overflowed.set()

    def _dispatch(self, channel: str, data: bytes) -> None:
        try:
            payload = json.loads(data)
        except ValueError:
            log.warning("ignoring a malformed message on %s", channel)
            return
        if channel == self._replies:
            fut = self._pending.get(payload.get("rid", ""))
            if fut is not None and not fut.done():
                fut.set_result(payload["body"])
            return
        handler = self._handlers.get(channel)
        if handler is not None:
            task = asyncio.create_task(self._answer(handler, payload))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        for sub in tuple(self._subs.get(channel, ())):
            for ev in payload:
                sub.offer(ev)

    async def close(self) -> None:
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        for task in list(self._tasks):
            task.cancel()
        if self._pubsub is not None:
            await _quietly(self._pubsub.aclose())
        await _quietly(self.redis.aclose())
        self._subs.clear()
        self._handlers.clear()


async def _quietly(aw: Any) -> None:
    try:
        await aw
    except Exception:  # noqa: BLE001 - closing a broken connection
        pass
