"""The servers ``bench.fanout`` measures, each in its own process with the same uvicorn options:
the real app (``create_app(Settings())`` from the environment, as ``crisisdrill serve`` runs it, but
logging warnings only) or, with ``--bare``, the raw ASGI broadcaster of :mod:`bench.bare`."""

from __future__ import annotations

import argparse
import sys

import uvicorn


def _trace_writes() -> None:
    """Wrap ``EventStore.append``: time waiting for the write lock, holding it, and in the thread hop."""
    import threading
    import time

    from web.store import EventStore

    orig = EventStore.append
    stats: list[tuple[float, float]] = []

    def append(self, drill_id, first_seq, events):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        lock = self.db.write_lock
        with lock:
            t1 = time.perf_counter()
        out = orig(self, drill_id, first_seq, events)
        stats.append((t1 - t0, time.perf_counter() - t1))
        return out

    EventStore.append = append  # type: ignore[method-assign]

    def report() -> None:
        while True:
            time.sleep(5)
            xs, stats[:] = list(stats), []
            if xs:
                w = sorted(x[0] for x in xs)
                h = sorted(x[1] for x in xs)
                print(f"appends {len(xs)}/5s wait p50 {w[len(w)//2]*1e3:.2f} max {w[-1]*1e3:.1f} ms; "
                      f"run p50 {h[len(h)//2]*1e3:.2f} p99 {h[int(len(h)*.99)]*1e3:.1f} max {h[-1]*1e3:.1f} ms",
                      file=sys.stderr, flush=True)

    threading.Thread(target=report, daemon=True).start()

    import collections

    from web import db as dbmod

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
                while f.f_code.co_name in ("__enter__", "acquire"):
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

    def report2() -> None:
        while True:
            time.sleep(5)
            print("lock holders", dict(holds), {k: round(v * 1e3, 1) for k, v in worst.items()}, file=sys.stderr,
                  flush=True)
            holds.clear()
            worst.clear()

    threading.Thread(target=report2, daemon=True).start()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--switch-interval", type=float, default=None, help="sys.setswitchinterval (experiments)")
    ap.add_argument("--trace", action="store_true", help="report log-append timings every 5 s on stderr")
    args = ap.parse_args()
    if args.switch_interval:
        import sys

        sys.setswitchinterval(args.switch_interval)
    if args.trace:
        _trace_writes()
    if args.bare:
        from bench.bare import app
    else:
        from web.app import create_app
        from web.settings import Settings

        app = create_app(Settings())
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", ws_max_size=1 << 20)


if __name__ == "__main__":
    main()
