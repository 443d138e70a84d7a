"""Restart recovery: kill -9 the server mid-drill, start it again, nothing acknowledged is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.servers import ProcessServer


@pytest.fixture
def server(db_url: str) -> Iterator[ProcessServer]:
    srv = ProcessServer(db_url).start()
    yield srv
    srv.stop()


def _open(srv: ProcessServer, user: str, drill_id: str, since: int | None = None):  # type: ignore[no-untyped-def]
    sock = srv.live.socket(user, drill_id, since)
    frames = [sock.next()]
    while frames[-1]["type"] != "replay.done":
        frames.append(sock.next())
    return sock, frames


def test_recovery_after_kill_resumes_where_it_stood(server: ProcessServer) -> None:
    """After kill -9 and a restart: every acked action is in the log once, the clock continues."""
    live = server.live
    drill = live.new_drill()
    assert live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    trainer, _ = _open(server, "trainer", drill["id"])
    alice, _ = _open(server, "alice", drill["id"])
    trainer.send({"type": "start", "id": "go"})
    trainer.send({"type": "speed", "id": "fast", "speed": 20})
    trainer.until(lambda f: f["type"] == "ack" and f["id"] == "fast")
    acked: dict[str, int] = {}
    for n in range(5):
        trainer.send({"type": "inject", "id": f"inj-{n}", "persona": "dana", "text": f"complaint {n}"})
        post = alice.until(lambda f: f["type"] == "post.created" and f["data"]["post"]["text"] == f"complaint {n}")
        alice.send({"type": "reply", "id": f"r-{n}", "target": post["data"]["post"]["id"],
                    "text": f"Sorry about that ({n}), please DM us."})
        acked[f"r-{n}"] = alice.until(lambda f: f["type"] == "ack")["seq"]
    last_seen = max(f["seq"] for f in alice.frames if "seq" in f)
    before = live.api("trainer", "GET", f"/api/drills/{drill['id']}").json()["clock"]
    server.kill()
    server.start()
    after = live.api("trainer", "GET", f"/api/drills/{drill['id']}").json()["clock"]
    assert after["status"] == "running"
    assert after["t"] >= before["t"] - 20 * 0.5  # continues from where it stood, give or take the last tick
    events = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1))
    for cid, seq in acked.items():
        matches = [e for e in events if e.get("client_id") == cid]
        assert len(matches) == 1 and matches[0]["seq"] == seq
    # resending an acked action after the restart is still recorded once
    alice2, frames = _open(server, "alice", drill["id"], since=last_seen)
    assert all(f["seq"] > last_seen for f in frames if f["type"] not in ("hello", "replay.done"))
    alice2.send({"type": "reply", "id": "r-0", "target": "main:x", "text": "resent"})
    dup = alice2.until(lambda f: f["type"] in ("ack", "error"))
    assert dup["type"] == "ack" and dup["duplicate"] is True and dup["seq"] == acked["r-0"]
    # and the drill goes on: the timeline keeps producing posts
    alice2.until(lambda f: f["type"] == "post.created" and f["data"]["origin"] in ("script", "crowd"), timeout=15)
