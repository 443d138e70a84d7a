"""A stuck client (one that stops reading) never delays the others: every socket has a bounded
queue; the laggard is closed with 4408 and resumes with ``since`` without losing or doubling."""

from __future__ import annotations

import base64
import json
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.reliability.conftest import SECRET, mint, user_ids
from tests.web.servers import Live, Socket, thread_server

INJECTS, TEXT = 600, 4000  # ~2.5 MB: more than the stuck socket's kernel and transport buffers hold


@pytest.fixture
def tight(db_url: str) -> Iterator[Live]:
    """Small per-socket queues; no action rate limit (the trainer floods the drill on purpose)."""
    with thread_server(db_url, secret_key=SECRET, ws_queue_size=64, actions_per_minute=10**6,
                       account_actions_per_minute=10**6) as server:
        server.tokens.update(mint(user_ids(db_url)))
        yield server


class Reader(threading.Thread):
    """Reads a socket continuously, noting when each injected post arrived."""

    def __init__(self, sock: Socket) -> None:
        super().__init__(daemon=True)
        self.sock = sock
        self.arrived: dict[str, float] = {}
        self.acks: dict[str, float] = {}
        self.seqs: list[int] = []
        self.close_code: int | None = None

    def run(self) -> None:
        try:
            while True:
                f = json.loads(self.sock.conn.recv())
                if f["type"] == "ack":
                    self.acks[f["id"]] = time.monotonic()
                elif f["type"] == "post.created" and f["data"]["origin"] == "inject":
                    self.arrived[f["data"]["post"]["text"][:12]] = time.monotonic()
                if f["type"] not in ("hello", "replay.done", "ack", "error"):
                    self.seqs.append(f["seq"])
        except ConnectionClosed as exc:
            self.close_code = exc.rcvd.code if exc.rcvd else None


def _small_buffer_socket(live: Live, user: str, drill_id: str) -> Socket:
    """A socket with a tiny kernel receive buffer, so that not reading backs up into the server fast."""
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", int(live.base.rsplit(":", 1)[1])))
    url = f"{live.ws_base}/ws/drills/{drill_id}?token={live.token(user)}"
    return Socket(connect(url, sock=raw, open_timeout=5, max_size=2**22).__enter__())


def _drain_replay(sock: Socket) -> list[dict[str, Any]]:
    frames = [sock.next()]
    while frames[-1]["type"] != "replay.done":
        frames.append(sock.next())
    return frames


def test_stuck_client_is_dropped_and_others_are_not_delayed(tight: Live, tmp_path: Path) -> None:
    """Flooding a drill while one trainee stops reading: the others get every post promptly, the
    stuck one is closed with 4408 and, resuming with since, gets every post it missed exactly once."""
    live = tight
    drill = live.new_drill(speed=1.0)
    for user in ("alice", "bob"):
        assert live.api(user, "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    trainer = live.socket("trainer", drill["id"])
    _drain_replay(trainer)
    stuck = _small_buffer_socket(live, "alice", drill["id"])
    stuck_frames = _drain_replay(stuck)  # ... and then it never reads again (until the end)
    bob = Reader(live.socket("bob", drill["id"]))
    _drain_replay(bob.sock)
    bob.start()
    treader = Reader(trainer)
    trainer.send({"type": "start", "id": "go"})
    treader.start()
    sent: dict[str, float] = {}
    rng = random.Random(11)
    for n in range(INJECTS):  # at most 8 in flight: a flood, but one a healthy reader keeps up with
        while n - len(treader.acks) >= 8:
            time.sleep(0.001)
        tag = f"inject{n:06d}"
        noise = base64.b64encode(rng.randbytes(TEXT * 3 // 4)).decode()  # incompressible (permessage-deflate)
        trainer.send({"type": "inject", "id": tag, "persona": "dana", "text": tag + " " + noise})
        sent[tag[:12]] = time.monotonic()
    deadline = time.monotonic() + 30
    while len(bob.arrived) < INJECTS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(bob.arrived) == INJECTS, f"bob got {len(bob.arrived)} of {INJECTS} posts (closed {bob.close_code})"
    assert bob.close_code is None, "a healthy reader was dropped"
    # nobody waited for the stuck socket: each post reached bob within a second of its commit
    lags = [bob.arrived[k] - treader.acks[k] for k in bob.arrived if k in treader.acks]
    assert len(lags) > INJECTS * 0.9 and max(lags) < 1.0, max(lags)

    # the stuck client reads again: what was buffered, then the 4408 close
    seen = [f["seq"] for f in stuck_frames if f["type"] not in ("hello", "replay.done")]
    code = None
    try:
        while True:
            try:
                f = json.loads(stuck.conn.recv(timeout=10))
            except TimeoutError:
                raise AssertionError(f"no close after {len(seen)} frames, last {seen[-1:]}") from None
            if f["type"] not in ("hello", "replay.done", "ack", "error"):
                seen.append(f["seq"])
    except ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd else None
    assert code == 4408, f"the stuck client was closed with {code}, not 4408"
    head = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events", params={"since": max(seen)}).json()
    assert head["events"], "the stuck client was never behind: raise INJECTS"
    # it resumes with since and gets everything it missed, once
    again = live.socket("alice", drill["id"], since=max(seen))
    frames = _drain_replay(again)
    seen += [f["seq"] for f in frames if f["type"] not in ("hello", "replay.done")]
    # the drill is still playing: what is committed after the replay arrives live on the same socket, so read on
    # until every event in the log as it stands now has come (or 10 s pass and the assertion below names the gap)
    events = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events", params={"limit": 5000}).json()["events"]
    visible_to_alice = [e["seq"] for e in events if e["type"] not in ("branch.fired", "heat", "reply.scored")]
    deadline = time.monotonic() + 10
    while not set(visible_to_alice) <= set(seen) and time.monotonic() < deadline:
        try:
            f = again.next(timeout=max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            break
        if f["type"] not in ("hello", "replay.done", "ack", "error"):
            seen.append(f["seq"])
    assert seen == sorted(set(seen)), "a seq was delivered twice"
    assert set(visible_to_alice) <= set(seen), sorted(set(visible_to_alice) - set(seen))[:10]
    for s in (again, bob.sock, trainer):
        s.close()
