"""The broadcast hub's contract, for the in-process hub and for Redis pub/sub alike: what one
worker publishes reaches another's subscribers; subscribe always unsubscribes; a full queue marks
the subscriber overflowed instead of blocking; inputs reach the drill's owner and come back."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.services import need_redis
from web.hub import HubError, MemoryHub, NoOwner

Pair = Callable[[], Any]


@asynccontextmanager
async def _pair(kind: str) -> AsyncIterator[tuple[Any, Any]]:
    """Two workers' hubs: one shared MemoryHub, or two RedisHub connections."""
    if kind == "memory":
        hub = MemoryHub()
        yield hub, hub
        await hub.close()
        return
    from web.hub_redis import RedisHub

    prefix = f"cdt-{secrets.token_hex(4)}"
    a, b = RedisHub(_redis_url, prefix=prefix), RedisHub(_redis_url, prefix=prefix)
    try:
        yield a, b
    finally:
        await a.close()
        await b.close()


_redis_url = ""


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def hub_kind(request: pytest.FixtureRequest) -> str:
    global _redis_url
    if request.param == "redis":
        _redis_url = need_redis()
    return str(request.param)


def _run(kind: str, body: Callable[[Any, Any], Awaitable[None]]) -> None:
    async def main() -> None:
        async with _pair(kind) as (a, b):
            await asyncio.wait_for(body(a, b), 10)

    asyncio.run(main())


def test_hub_publish_reaches_another_workers_subscriber(hub_kind: str) -> None:
    """A batch published by worker A arrives, in order, at a subscriber on worker B."""
    async def body(a: Any, b: Any) -> None:
        async with b.subscribe("d-1") as sub:
            await a.publish("d-1", [{"seq": 1, "type": "x"}, {"seq": 2, "type": "y"}])
            await a.publish("d-2", [{"seq": 9, "type": "other drill"}])
            await a.publish("d-1", [{"seq": 3, "type": "z"}])
            got = [await sub.queue.get() for _ in range(3)]
            assert [m["seq"] for m in got] == [1, 2, 3]

    _run(hub_kind, body)


def test_hub_subscribe_always_unsubscribes(hub_kind: str) -> None:
    """Leaving the block, normally or by an exception, removes the subscriber (and the Redis channel)."""
    async def body(a: Any, b: Any) -> None:
        with pytest.raises(RuntimeError):
            async with b.subscribe("d-1"):
                assert b.subscriber_count("d-1") == 1
                raise RuntimeError("boom")
        assert b.subscriber_count("d-1") == 0
        async with b.subscribe("d-1"):
            pass
        assert b.subscriber_count("d-1") == 0
        if hub_kind == "redis":
            counts = dict(await a.redis.pubsub_numsub(b._events("d-1")))
            assert counts[b._events("d-1").encode()] == 0

    _run(hub_kind, body)


def test_hub_full_queue_marks_the_subscriber_overflowed(hub_kind: str) -> None:
    """A subscriber that does not drain its bounded queue is marked overflowed; others are unaffected."""
    async def body(a: Any, b: Any) -> None:
        async with b.subscribe("d-1", maxsize=4) as slow, b.subscribe("d-1", maxsize=64) as fast:
            await a.publish("d-1", [{"seq": i} for i in range(1, 11)])
            await asyncio.wait_for(slow.overflowed.wait(), 5)
            got = [await fast.queue.get() for _ in range(10)]
            assert [m["seq"] for m in got] == list(range(1, 11)) and not fast.overflowed.is_set()
            assert slow.queue.qsize() == 4

    _run(hub_kind, body)


def test_hub_request_reaches_the_owner_and_comes_back(hub_kind: str) -> None:
    """An input sent from worker B is answered by the handler the owner (worker A) serves."""
    async def body(a: Any, b: Any) -> None:
        seen: list[dict[str, Any]] = []

        async def handler(req: dict[str, Any]) -> dict[str, Any]:
            seen.append(req)
            return {"ok": True, "echo": req["n"]}

        async with a.serve("d-1", handler):
            answers = await asyncio.gather(*(b.request("d-1", {"n": n}, 5) for n in range(5)))
        assert [r["echo"] for r in answers] == list(range(5)) and len(seen) == 5

    _run(hub_kind, body)


def test_hub_request_without_owner_raises_no_owner(hub_kind: str) -> None:
    """Nobody serves the drill: NoOwner at once (the caller may take the lease); a silent owner times out."""
    async def body(a: Any, b: Any) -> None:
        with pytest.raises(NoOwner, match="no worker serves drill 'd-1'"):
            await b.request("d-1", {"n": 1}, 5)

        async def silent(req: dict[str, Any]) -> dict[str, Any]:
            await asyncio.sleep(30)
            return {}

        async with a.serve("d-1", silent):
            with pytest.raises(HubError, match="did not answer within 0.2s"):
                await b.request("d-1", {"n": 1}, 0.2)

    _run(hub_kind, body)
