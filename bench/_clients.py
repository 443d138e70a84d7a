"""The load generator of ``bench.fanout``: many websocket trainees in one asyncio process.

``python -m bench._clients CONFIG.json``: connects every socket of the config, prints
``READY {…}``, waits for ``GO`` on stdin, records for ``seconds``, then prints ``RESULT {…}``.

Lateness of a feed event = the wall time it was received here − the wall time it was due.
The due time comes from the drill clock: each socket keeps the anchor ``(t, wall, speed)`` of the
last ``drill.started`` / ``drill.speed`` / ``drill.resumed`` frame it received (the server stamps
``wall`` when it writes the event, just before its driver re-anchors), and an event of drill time
``t`` was due at ``wall + (t - t_anchor) / speed``. Feed events are those the scheduler produces:
``post.created`` from the script, a branch or the crowd, ``engagement`` and ``silence.scored``.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from datetime import datetime
from typing import Any

from websockets.asyncio.client import connect

REPLIES = (
    "Hi, I'm really sorry about this. Our team is working on it; live updates are on our status page. "
    "If a payment is at risk, DM us and we'll go through your options.",
    "Thanks for flagging this, and sorry for the trouble. We're looking into it now - please DM us the "
    "details (no account numbers in public) so we can help.",
)
SCHEDULED_ORIGINS = ("script", "branch", "crowd")


class Stats:
    def __init__(self) -> None:
        self.recording = False
        self.lateness: list[float] = []
        self.worst: dict[int, float] = {}  # second of the window -> worst lateness in it
        self.t0 = 0.0
        self.reply_rtt: list[float] = []
        self.ack_rtt: list[float] = []
        self.frames = 0
        self.bytes = 0
        self.errors: dict[str, int] = {}
        self.closed: dict[str, int] = {}
        self.replies_sent = 0


def _wall(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


async def trainee(spec: dict[str, Any], st: Stats, ready: asyncio.Event, rng: random.Random,
                  deflate: bool) -> None:
    anchor: tuple[float, float, float] | None = None
    speed = 1.0
    pending: dict[str, float] = {}  # target post id -> send time
    sent_at: dict[str, float] = {}  # action id -> send time
    replier = bool(spec.get("replier"))
    async with connect(spec["url"], max_size=2**22, ping_interval=None, open_timeout=60,
                       compression="deflate" if deflate else None) as ws:
        st_connected = bool(spec.get("bare"))
        if st_connected:
            ready.set()

        async def reply(target: str, delay: float) -> None:
            await asyncio.sleep(delay)
            cid = f"r{rng.getrandbits(48):x}"
            now = time.time()
            pending[target] = now
            sent_at[cid] = now
            st.replies_sent += 1
            await ws.send(json.dumps({"type": "reply", "id": cid, "target": target, "text": rng.choice(REPLIES)}))

        tasks: set[asyncio.Task[None]] = set()
        async for raw in ws:
            now = time.time()
            f = json.loads(raw)
            ftype = f.get("type")
            if not st_connected:
                if ftype == "hello":
                    speed = float(f["clock"]["speed"])
                if ftype in ("replay.done", "drill.started") or "wall" in f:
                    st_connected = True
                    ready.set()
                if ftype != "drill.started":
                    continue
            if st.recording:
                st.frames += 1
                st.bytes += len(raw)
            if ftype in ("drill.started", "drill.resumed", "drill.speed"):
                speed = float((f.get("data") or {}).get("speed", speed))
                anchor = (float(f["t"]), _wall(f["wall"]), speed)
                continue
            if ftype == "ack":
                t0 = sent_at.pop(f.get("id"), None)
                if t0 is not None and st.recording:
                    st.ack_rtt.append(now - t0)
                continue
            if ftype == "error":
                st.errors[f.get("code", "?")] = st.errors.get(f.get("code", "?"), 0) + 1
                continue
            if ftype == "reply.scored":
                t0 = pending.pop(f["data"].get("target"), None)
                if t0 is not None and st.recording:
                    st.reply_rtt.append(now - t0)
                continue
            data = f.get("data") or {}
            scheduled = (ftype == "post.created" and data.get("origin") in SCHEDULED_ORIGINS) or ftype in (
                "engagement", "silence.scored")
            if scheduled and anchor is not None and st.recording:
                t_a, wall_a, sp = anchor
                late = now - (wall_a + (float(f["t"]) - t_a) / sp)
                st.lateness.append(late)
                sec = int(now - st.t0)
                if late > st.worst.get(sec, -1.0):
                    st.worst[sec] = late
            if (replier and ftype == "post.created" and data.get("origin") == "script" and data.get("expect")
                    and st.recording):
                task = asyncio.create_task(reply(data["post"]["id"], 0.2 + rng.random() * 0.8))
                tasks.add(task)
                task.add_done_callback(tasks.discard)


async def run(cfg: dict[str, Any]) -> None:
    st = Stats()
    rng = random.Random(cfg.get("seed", 1))
    sem = asyncio.Semaphore(cfg.get("connect_concurrency", 40))
    readies: list[asyncio.Event] = []
    tasks = []

    async def one(spec: dict[str, Any]) -> None:
        ev = asyncio.Event()
        readies.append(ev)
        try:
            async with sem:
                conn = asyncio.create_task(trainee(spec, st, ev, rng, cfg.get("deflate", False)))
                waiter = asyncio.create_task(ev.wait())
                await asyncio.wait({conn, waiter}, return_when=asyncio.FIRST_COMPLETED)
            await conn
        except Exception as exc:  # noqa: BLE001 - a load generator reports, never dies
            key = type(exc).__name__ + ":" + str(getattr(exc, "code", "") or getattr(getattr(exc, "rcvd", None),
                                                                                   "code", ""))
            st.closed[key] = st.closed.get(key, 0) + 1
            ev.set()

    for spec in cfg["sockets"]:
        tasks.append(asyncio.create_task(one(spec)))
    while len(readies) < len(cfg["sockets"]) or not all(e.is_set() for e in readies):
        await asyncio.sleep(0.05)
    print("READY " + json.dumps({"sockets": len(cfg["sockets"]), "failed": st.closed}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)
    st.recording = True
    st.t0 = time.time()
    t0 = time.monotonic()
    await asyncio.sleep(cfg["seconds"])
    st.recording = False
    elapsed = time.monotonic() - t0
    print("RESULT " + json.dumps({"elapsed": elapsed, "frames": st.frames, "bytes": st.bytes,
                                  "lateness": st.lateness, "reply_rtt": st.reply_rtt, "ack_rtt": st.ack_rtt,
                                  "errors": st.errors, "worst_by_second": {k: round(v * 1000, 1) for k, v in sorted(st.worst.items())}, "closed": st.closed, "replies_sent": st.replies_sent}),
          flush=True)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        cfg = json.load(fh)
    try:
        import uvloop

        uvloop.run(run(cfg))
    except ImportError:
        asyncio.run(run(cfg))


if __name__ == "__main__":
    main()
