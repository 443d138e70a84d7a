"""Figures for docs/deploy.md (not a test): log appends/s on SQLite and PostgreSQL, and hub fan-out
through Redis. Run: ``.venv/bin/python -m tests.deploy.measure`` with PostgreSQL and Redis up."""

from __future__ import annotations

import asyncio
import secrets
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sim import Event
from tests.services import POSTGRES_URL, REDIS_URL
from tests.web.servers import pg_database, seed_users
from web.db import Database
from web.models import Drill, User
from web.settings import Settings
from web.store import EventStore

from sqlmodel import select


def _drills(db: Database, n: int) -> list[str]:
    with db.session() as s:
        org = s.exec(select(User)).first().org_id  # type: ignore[union-attr]
        tag = secrets.token_hex(3)
        ids = [f"d-{tag}-{i}" for i in range(n)]
        s.add_all(Drill(id=i, org_id=org, title=i, scenario_id="x", scenario={}, seed=1, teams=["main"],
                        join_code=secrets.token_hex(4).upper()) for i in ids)
        s.commit()
    return ids


def appends(url: str, writers: int, per_writer: int, batch: int = 1) -> float:
    """Events/s appended by ``writers`` threads, each to its own drill, ``batch`` events per commit."""
    db = Database(Settings(database_url=url).sqlalchemy_url, pool_size=max(10, writers))
    store = EventStore(db)
    ids = _drills(db, writers)
    ev = [Event("post.created", 1.0, {"post": {"id": "main:c1", "text": "x" * 120}}, "main", "crowd")] * batch

    def run(drill_id: str) -> None:
        for k in range(per_writer):
            store.append(drill_id, k * batch + 1, ev)

    threads = [threading.Thread(target=run, args=(i,)) for i in ids]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    db.dispose()
    return writers * per_writer * batch / took


async def fanout(subscribers: int, batches: int) -> tuple[float, float, float]:
    """Batches/s from one worker's RedisHub to ``subscribers`` subscriptions on another's; p50/p99 latency."""
    from web.hub_redis import RedisHub

    a, b = RedisHub(REDIS_URL, prefix="cd-measure"), RedisHub(REDIS_URL, prefix="cd-measure")
    lat: list[float] = []
    try:
        subs = []
        for _ in range(subscribers):
            cm = b.subscribe("d-m", maxsize=batches + 10)
            subs.append((cm, await cm.__aenter__()))
        first = subs[0][1]
        for k in range(300):  # latency: one batch at a time, publish to delivery on the other worker
            sent = time.perf_counter()
            await a.publish("d-m", [{"seq": k}])
            await asyncio.wait_for(first.queue.get(), 10)
            lat.append(time.perf_counter() - sent)
            for _, sub in subs[1:]:
                sub.queue.get_nowait()
        start = time.perf_counter()  # throughput: a burst, until the first subscriber has it all
        for k in range(batches):
            await a.publish("d-m", [{"seq": k}])
        for _ in range(batches):
            await asyncio.wait_for(first.queue.get(), 30)
        took = time.perf_counter() - start
        for cm, _ in subs:
            await cm.__aexit__(None, None, None)
    finally:
        await a.close()
        await b.close()
    lat.sort()
    return batches / took, statistics.median(lat) * 1000, lat[int(0.99 * (len(lat) - 1))] * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for writers, batch in ((1, 1), (4, 1), (1, 10)):
            path = Path(tmp) / f"b{writers}{batch}.db"
            seed_users(f"sqlite:///{path}")
            rate = appends(f"sqlite:///{path}", writers, 2000 // writers // batch, batch)
            print(f"sqlite     writers={writers} batch={batch:>2}: {rate:8.0f} events/s")
    with pg_database(POSTGRES_URL, prefix="cdt_bench") as url:
        seed_users(url)
        for writers, batch in ((1, 1), (4, 1), (8, 1), (1, 10)):
            rate = appends(url, writers, 2000 // writers // batch, batch)
            print(f"postgresql writers={writers} batch={batch:>2}: {rate:8.0f} events/s")
    for n in (1, 100, 1000):
        rate, p50, p99 = asyncio.run(fanout(n, 2000))
        print(f"redis hub  subscribers={n:>4}: {rate:8.0f} batches/s, latency p50 {p50:.2f} ms p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
