"""The servers ``bench.fanout`` measures, each in its own process with the uvicorn options of
``crisisdrill serve`` (:data:`web.cli.UVICORN_OPTIONS`): the real app (``create_app(Settings())`` from
the environment, as ``crisisdrill serve`` runs it; ``--workers N`` as ``crisisdrill serve --workers N``)
or, with ``--bare``, the raw ASGI broadcaster of :mod:`bench.bare`."""

from __future__ import annotations

import argparse
import sys

import uvicorn


def _trace() -> None:
    """Stall hunting, on stderr: event-loop lags over 15 ms (with wall time), garbage-collector
    pauses over 5 ms, group commits (size, time on the loop or in a thread), who held the SQLite
    write lock and for how long (summary every 5 s)."""
    import asyncio
    import collections
    import gc
    import threading
    import time

    from web import db as dbmod
    from web.store import EventStore

    def say(msg: str) -> None:
        print(f"[trace {time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d}] {msg}", file=sys.stderr,
              flush=True)

    gc_t0 = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_t0[0] = time.perf_counter()
        else:
            d = time.perf_counter() - gc_t0[0]
            if d > 0.005:
                say(f"gc gen{info['generation']} {d * 1e3:.1f} ms, {info['collected']} collected")

    gc.callbacks.append(on_gc)

    commits: list[tuple[int, int, float, str]] = []
    orig_group = EventStore._commit_group

    def commit_group(self, group, busy_ms=None):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return orig_group(self, group, busy_ms)
        finally:
            d = time.perf_counter() - t0
            where = "loop" if threading.current_thread() is threading.main_thread() else "thread"
            commits.append((len(group), sum(len(p.events) for p in group), d, where))
            if d > 0.010:
                say(f"group commit of {len(group)} batches took {d * 1e3:.1f} ms ({where})")

    EventStore._commit_group = commit_group  # type: ignore[method-assign]

    holds: collections.Counter[str] = collections.Counter()
    worst: dict[str, float] = {}

    class TimedLock:
        def __init__(self) -> None:
            self._lock = threading.Lock()

        def acquire(self, blocking: bool = True) -> bool:
            ok = self._lock.acquire(blocking)
            if ok:
                self._t = time.perf_counter()
                f = sys._getframe(1)
                while f.f_back is not None and f.f_code.co_name in ("__enter__", "acquire"):
                    f = f.f_back
                self._who = f"{f.f_code.co_filename.rsplit('/', 1)[-1]}:{f.f_code.co_name}"
            return ok

        def release(self) -> None:
            d = time.perf_counter() - self._t
            holds[self._who] += 1
            worst[self._who] = max(worst.get(self._who, 0.0), d)
            self._lock.release()

        def __enter__(self) -> None:
            self.acquire()

        def __exit__(self, *a: object) -> None:
            self.release()

    orig_init = dbmod.Database.__init__

    def init(self, *a, **kw):  # type: ignore[no-untyped-def]
        orig_init(self, *a, **kw)
        if self.is_sqlite:
            self.write_lock = TimedLock()

    dbmod.Database.__init__ = init  # type: ignore[method-assign]

    def report() -> None:
        n = 0
        while True:
            time.sleep(5)
            n += 1
            if n % 4 == 0:
                census()
            xs, commits[:] = list(commits), []
            if xs:
                ds = sorted(x[2] for x in xs)
                say(f"{len(xs)} group commits/5s, {sum(x[0] for x in xs)} batches, {sum(x[1] for x in xs)} events, "
                    f"{sum(1 for x in xs if x[3] == 'thread')} in a thread; time p50 {ds[len(ds) // 2] * 1e3:.2f} "
                    f"p99 {ds[int(len(ds) * .99)] * 1e3:.1f} max {ds[-1] * 1e3:.1f} ms")
            if holds:
                say(f"write lock holders {dict(holds)} longest {({k: round(v * 1e3, 1) for k, v in worst.items()})} ms")
                holds.clear()
                worst.clear()

    def census(*_: object) -> None:  # kill -USR1: what the collector has to walk
        objs = gc.get_objects()
        by_type = collections.Counter(type(o).__qualname__ for o in objs)
        say(f"gc census: {len(objs)} tracked objects, counts {gc.get_count()}, frozen {gc.get_freeze_count()}; "
            f"top {by_type.most_common(25)}")

    import signal

    signal.signal(signal.SIGUSR1, census)
    threading.Thread(target=report, daemon=True).start()

    async def lag_monitor() -> None:
        loop = asyncio.get_running_loop()
        while True:
            t0 = loop.time()
            await asyncio.sleep(0.005)
            lag = loop.time() - t0 - 0.005
            if lag > 0.015:
                say(f"event loop lag {lag * 1e3:.1f} ms")

    orig_startup = uvicorn.Server.startup

    async def startup(self, sockets=None):  # type: ignore[no-untyped-def]
        asyncio.get_running_loop().create_task(lag_monitor())
        return await orig_startup(self, sockets)

    uvicorn.Server.startup = startup  # type: ignore[method-assign]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (needs REDIS_URL and PostgreSQL)")
    ap.add_argument("--switch-interval", type=float, default=None, help="sys.setswitchinterval (experiments)")
    ap.add_argument("--trace", action="store_true", help="report loop lags, GC pauses and commits on stderr")
    args = ap.parse_args()
    if args.switch_interval:
        import sys

        sys.setswitchinterval(args.switch_interval)
    if args.trace:
        _trace()
    from web.cli import UVICORN_OPTIONS  # exactly what `crisisdrill serve` runs

    if args.workers > 1:  # as `crisisdrill serve --workers N`: one port, the kernel spreads the sockets
        uvicorn.run("web.app:create_app", factory=True, host="127.0.0.1", port=args.port, workers=args.workers,
                    **UVICORN_OPTIONS)
        return
    if args.bare:
        from bench.bare import app
    else:
        from web.app import create_app
        from web.settings import Settings

        app = create_app(Settings())
    uvicorn.run(app, host="127.0.0.1", port=args.port, **UVICORN_OPTIONS)


if __name__ == "__main__":
    main()
