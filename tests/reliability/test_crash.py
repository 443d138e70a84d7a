"""Crash recovery under load: kill -9 the server at seeded random points of a drill with 50 bot
trainees, ten times in a row, restarting it each time.

Rules checked: every acknowledged action is in the log exactly once (with the acked seq); every bot
resumes with ``since=<last seq>`` and, over all its connections, receives exactly the seqs the log
lets it see (no gap) and none twice; the drill clock continues from where it stood.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from tests.reliability.conftest import SECRET, add_users, mint, user_ids
from tests.web.servers import MINI_YAML, ProcessServer
from web.visibility import Viewer, visible

BOTS, CRASHES, SPEED = 50, 10, 40.0
CONTROL = ("hello", "replay.done", "ack", "error", "pong", "clock")


class Bot:
    def __init__(self, name: str, token: str, rng: random.Random) -> None:
        self.name, self.token, self.rng = name, token, rng
        self.pid = ""
        self.team = ""
        self.last = 0
        self.seqs: list[int] = []
        self.pending: dict[str, dict[str, Any]] = {}
        self.acked: dict[str, int] = {}
        self.errors: Counter[str] = Counter()
        self.n = 0
        self.max_t = 0.0  # latest drill time seen in an event
        self.max_t_at = 0.0  # when (monotonic)
        self.violations: list[str] = []

    def on_event(self, f: dict[str, Any], since: int, prev: int) -> None:
        seq = f["seq"]
        if seq <= since or seq <= prev:
            self.violations.append(f"{self.name}: seq {seq} after since={since}, previous {prev}")
        self.seqs.append(seq)
        self.last = max(self.last, seq)
        if isinstance(f.get("t"), (int, float)) and f["t"] >= self.max_t:
            self.max_t, self.max_t_at = float(f["t"]), time.monotonic()

    def maybe_act(self, f: dict[str, Any]) -> dict[str, Any] | None:
        if f["type"] != "post.created" or len(self.pending) >= 2:
            return None
        post = f["data"]["post"]
        if post["author"].get("kind") == "brand" or self.rng.random() > 0.3:
            return None
        self.n += 1
        cid = f"{self.name}-{self.n}"
        if self.rng.random() < 0.5:
            frame = {"type": "like", "id": cid, "target": post["id"]}
        else:
            frame = {"type": "reply", "id": cid, "target": post["id"], "text": f"Sorry about this ({self.n}), DM us."}
        self.pending[cid] = frame
        return frame


async def session(bot: Bot, ws_base: str, drill_id: str, clock_log: list[tuple[float, ...]]) -> None:
    """One connection: resume after ``bot.last``, resend what was never acked, act until the server dies."""
    since = bot.last
    url = f"{ws_base}/ws/drills/{drill_id}?token={bot.token}&since={since}"
    try:
        async with connect(url, open_timeout=10, ping_interval=None, max_size=2**22) as ws:
            prev = since
            async for raw in ws:
                f = json.loads(raw)
                ftype = f["type"]
                if ftype == "hello":
                    bot.pid, bot.team = f["you"]["participant"], f["you"]["team"]
                    clock_log.append((bot.max_t, bot.max_t_at, f["clock"]["t"], time.monotonic()))
                    continue
                if ftype == "replay.done":
                    for frame in list(bot.pending.values()):  # resend with the original ids
                        await ws.send(json.dumps(frame))
                    continue
                if ftype == "ack":
                    cid = f["id"]
                    if cid in bot.acked and bot.acked[cid] != f["seq"]:
                        bot.violations.append(f"{cid} acked twice with seqs {bot.acked[cid]} and {f['seq']}")
                    bot.acked[cid] = f["seq"]
                    bot.pending.pop(cid, None)
                    continue
                if ftype == "error":
                    bot.errors[f["code"]] += 1
                    if f["code"] != "rate_limited":
                        bot.pending.pop(f.get("ref"), None)
                    continue
                if ftype in CONTROL:
                    continue
                bot.on_event(f, since, prev)
                prev = f["seq"]
                frame = bot.maybe_act(f)
                if frame is not None:
                    await ws.send(json.dumps(frame))
    except (WebSocketException, OSError, asyncio.TimeoutError):
        pass  # the server was killed: reconnect after the restart


@pytest.fixture
def crash_setup(db_url: str) -> Iterator[tuple[ProcessServer, list[Bot], dict[str, str]]]:
    names = [f"bot{i:02d}" for i in range(BOTS)]
    add_users(db_url, names, "trainee")
    tokens = mint(user_ids(db_url))
    srv = ProcessServer(db_url, env={"CRISISDRILL_SECRET_KEY": SECRET}).start()
    rng = random.Random(20261121)
    bots = [Bot(n, tokens[n], random.Random(rng.random())) for n in names]
    try:
        yield srv, bots, tokens
    finally:
        srv.stop()


def _api(srv: ProcessServer, token: str, method: str, path: str, **kw: Any) -> httpx.Response:
    return httpx.request(method, f"http://127.0.0.1:{srv.port}{path}", headers={"Authorization": f"Bearer {token}"},
                         timeout=20, **kw)


def test_crash_kill9_ten_times_loses_nothing_and_doubles_nothing(
        crash_setup: tuple[ProcessServer, list[Bot], dict[str, str]]) -> None:
    """Acked actions are logged once; resumed clients see every visible seq once; the clock continues."""
    srv, bots, tokens = crash_setup
    trainer = tokens["trainer"]
    r = _api(srv, trainer, "POST", "/api/drills", json={"scenario_yaml": MINI_YAML, "seed": 5,
                                                        "teams": ["red", "blue"]})
    assert r.status_code == 201, r.text
    drill = r.json()
    for b in bots:
        assert _api(srv, b.token, "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    for body in ({"action": "start"}, {"action": "speed", "speed": SPEED}):
        assert _api(srv, trainer, "POST", f"/api/drills/{drill['id']}/control", json=body).status_code == 200
    ws_base = f"ws://127.0.0.1:{srv.port}"
    rng = random.Random(7)
    clock_log: list[tuple[float, ...]] = []
    downtime: list[tuple[float, float]] = []  # (killed, answering again), monotonic

    async def play() -> None:
        nonlocal ws_base
        for crash in range(CRASHES + 1):
            tasks = [asyncio.create_task(session(b, ws_base, drill["id"], clock_log)) for b in bots]
            await asyncio.sleep(rng.uniform(0.6, 1.4) if crash < CRASHES else 1.0)
            if crash == CRASHES:
                break
            killed = time.monotonic()
            await asyncio.to_thread(srv.kill)
            await asyncio.gather(*tasks)
            await asyncio.to_thread(srv.start)
            downtime.append((killed, time.monotonic()))
        # the end: stop acting, let every bot catch up with the log, then close
        for b in bots:
            b.rng = random.Random(0)
            b.rng.random = lambda: 1.0  # type: ignore[method-assign]
        deadline = time.monotonic() + 10
        events = await asyncio.to_thread(_log, srv, trainer, drill["id"])
        while time.monotonic() < deadline:
            want = {b.name: max((e["seq"] for e in events if visible(e, _viewer(b))), default=0) for b in bots}
            if all(b.last >= want[b.name] for b in bots) and not any(b.pending for b in bots):
                break
            await asyncio.sleep(0.1)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(play())

    events = _log(srv, trainer, drill["id"])
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1)), "the log has a gap"
    by_id = Counter((e.get("actor"), e.get("client_id")) for e in events if e.get("client_id"))
    assert all(n == 1 for n in by_id.values()), [k for k, n in by_id.items() if n > 1]
    acked = 0
    for b in bots:
        assert not b.violations, b.violations[:5]
        for cid, seq in b.acked.items():
            match = [e for e in events if e.get("client_id") == cid and e.get("actor") == b.pid]
            assert len(match) == 1 and match[0]["seq"] == seq, (cid, seq, match)
            acked += 1
        assert len(b.seqs) == len(set(b.seqs)), f"{b.name} got a seq twice"
        want = [e["seq"] for e in events if visible(e, _viewer(b)) and e["seq"] <= b.last]
        assert b.seqs == want, f"{b.name}: missing {sorted(set(want) - set(b.seqs))[:10]}"
    assert acked >= 50, f"only {acked} actions acknowledged: the bots did not act enough to prove anything"
    # the clock continues from where it stood: never behind the last event seen, never ahead by the downtime
    restarts = [c for c in clock_log if c[0] > 0]
    assert len(restarts) >= BOTS * CRASHES // 2, "too few bots reconnected after a restart"
    for max_t, at, t, hello_at in restarts:
        assert t >= max_t - 1e-3, f"clock went back: {t} < {max_t}"
        down = sum(max(0.0, min(up, hello_at) - max(killed, at)) for killed, up in downtime)
        assert t <= max_t + SPEED * (hello_at - at - down) + 1.0, f"clock ran on while the server was down: {t}"
    assert sum(1 for b in bots for code in b.errors if code not in ("rate_limited",)) == 0, \
        {b.name: dict(b.errors) for b in bots if b.errors}


def _viewer(b: Bot) -> Viewer:
    return Viewer("trainee", b.pid, b.team, True)


def _log(srv: ProcessServer, token: str, drill_id: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = _api(srv, token, "GET", f"/api/drills/{drill_id}/events",
                    params={"since": out[-1]["seq"] if out else 0, "limit": 5000}).json()["events"]
        if not page:
            return out
        out += page
