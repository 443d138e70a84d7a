"""The baseline: a bare uvicorn websocket broadcaster (raw ASGI, no application logic).

Clients connect to ``/ws/{group}``. ``POST /start?rate=R&size=B&seconds=S&spread=W`` starts one
ticker per group: every ``1/R`` seconds it builds one JSON frame of about ``B`` bytes (``seq``,
``type``, ``t``, ``wall`` like a crisisdrill event frame) and sends it to every socket of the group,
awaiting each send in turn. Group start times are spread uniformly over ``W`` seconds, as the
fan-out benchmark staggers its drills. Each group first sends a ``drill.started`` frame (``t`` 0,
``wall`` the group's start, speed 1) so clients compute lateness exactly as for a real drill.

Run by ``bench.fanout`` as ``uvicorn bench.bare:app``.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

Send = Any
_groups: dict[str, set[Send]] = {}
_tasks: list[asyncio.Task[None]] = []


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="milliseconds")


async def _broadcast(conns: set[Send], text: str) -> None:
    for send in tuple(conns):
        try:
            await send({"type": "websocket.send", "text": text})
        except Exception:  # a closed socket: its handler removes it
            conns.discard(send)


async def _ticker(group: str, rate: float, size: int, seconds: float, delay: float) -> None:
    conns = _groups.setdefault(group, set())
    await asyncio.sleep(delay)
    start_mono, start_wall = time.monotonic(), time.time()
    await _broadcast(conns, json.dumps({"seq": 0, "type": "drill.started", "t": 0.0, "wall": _iso(start_wall),
                                        "data": {"speed": 1.0}}, separators=(",", ":")))
    pad = "x" * max(0, size - 110)
    k = 1
    while True:
        t = k / rate
        if t > seconds:
            return
        wait = start_mono + t - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        frame = {"seq": k, "type": "post.created", "t": round(t, 6), "team": "main", "wall": _iso(time.time()),
                 "data": {"post": {"text": pad}, "origin": "crowd"}}
        await _broadcast(conns, json.dumps(frame, separators=(",", ":")))
        k += 1


async def _http(scope: dict[str, Any], receive: Any, send: Send) -> None:
    while (await receive()).get("more_body"):
        pass
    q = {k: v[0] for k, v in parse_qs(scope.get("query_string", b"").decode()).items()}
    if scope["path"] == "/start":
        rate, size, seconds = float(q["rate"]), int(q["size"]), float(q["seconds"])
        spread = float(q.get("spread", "0"))
        groups = sorted(_groups)
        for i, g in enumerate(groups):
            _tasks.append(asyncio.create_task(_ticker(g, rate, size, seconds, spread * i / max(1, len(groups)))))
        body = json.dumps({"groups": len(groups), "sockets": sum(len(c) for c in _groups.values())}).encode()
    else:
        body = b'{"status":"ok"}'
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "http":
        await _http(scope, receive, send)
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    conns = _groups.setdefault(scope["path"].rsplit("/", 1)[-1], set())
    conns.add(send)
    try:
        while (await receive())["type"] != "websocket.disconnect":
            pass
    finally:
        conns.discard(send)
