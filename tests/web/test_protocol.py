"""The websocket protocol through a real uvicorn server and a real websocket client."""

from __future__ import annotations

from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.web.servers import Live, Socket, open_ws


def _joined(live: Live, *trainees: str, **drill_kw: Any) -> dict[str, Any]:
    drill = live.new_drill(**drill_kw)
    for name in trainees:
        r = live.api(name, "POST", "/api/join", json={"code": drill["join_code"]})
        assert r.status_code == 200, r.text
    return drill


def _open(live: Live, user: str, drill_id: str, since: int | None = None) -> Socket:
    sock = live.socket(user, drill_id, since)
    hello = sock.next()
    assert hello["type"] == "hello"
    sock.until(lambda f: f["type"] == "replay.done")
    return sock


def _start_and_inject(trainer: Socket, text: str = "Where is my refund??") -> dict[str, Any]:
    trainer.send({"type": "start", "id": "s1"})
    trainer.until(lambda f: f["type"] == "ack" and f["id"] == "s1")
    trainer.send({"type": "inject", "id": "i1", "persona": "dana", "text": text})
    return trainer.until(lambda f: f["type"] == "post.created" and f["data"]["origin"] == "inject")


def test_protocol_action_acknowledged_after_commit_with_verdict(live: Live) -> None:
    """A reply is acked with its seq once committed; the trainee then gets its verdict."""
    drill = _joined(live, "alice")
    trainer = _open(live, "trainer", drill["id"])
    alice = _open(live, "alice", drill["id"])
    post = _start_and_inject(trainer)
    pid = post["data"]["post"]["id"]
    alice.until(lambda f: f["type"] == "post.created" and f["data"]["post"]["id"] == pid)
    alice.send({"type": "reply", "id": "r-1", "target": pid, "text": "Sorry to hear that, Dana. Please DM us."})
    ack = alice.until(lambda f: f["type"] == "ack")
    assert ack["id"] == "r-1" and ack["post_id"]
    logged = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events", params={"since": ack["seq"] - 1}).json()
    assert logged["events"][0]["seq"] == ack["seq"] and logged["events"][0]["type"] == "action"
    verdict = alice.until(lambda f: f["type"] == "reply.scored")
    assert 0 <= verdict["data"]["verdict"]["score"] <= 100
    trainer.until(lambda f: f["type"] == "reply.scored")  # the trainer sees it too


def test_protocol_resent_action_recorded_once(live: Live) -> None:
    """Resending an action with the same id returns the first ack and writes nothing new."""
    drill = _joined(live, "alice")
    trainer = _open(live, "trainer", drill["id"])
    alice = _open(live, "alice", drill["id"])
    pid = _start_and_inject(trainer)["data"]["post"]["id"]
    frame = {"type": "like", "id": "same-id", "target": pid}
    alice.send(frame)
    first = alice.until(lambda f: f["type"] == "ack")
    head = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events").json()["head"]
    alice.send(frame)
    second = alice.until(lambda f: f["type"] == "ack")
    assert second["seq"] == first["seq"] and second["duplicate"] is True
    events = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    assert sum(1 for e in events if e.get("client_id") == "same-id") == 1
    assert max(e["seq"] for e in events if e["type"] == "action") <= head


def test_protocol_resume_with_since_replays_gap_free(live: Live) -> None:
    """Reconnecting with since=N replays exactly the visible events after N, then goes live."""
    drill = _joined(live, "alice")
    trainer = _open(live, "trainer", drill["id"])
    alice = _open(live, "alice", drill["id"])
    _start_and_inject(trainer, "first")
    seen = alice.until(lambda f: f["type"] == "post.created")
    alice.close()
    trainer.send({"type": "inject", "id": "i2", "persona": "lee", "text": "second"})
    trainer.until(lambda f: f["type"] == "ack" and f["id"] == "i2")
    again = live.socket("alice", drill["id"], since=seen["seq"])
    assert again.next()["type"] == "hello"
    replayed = []
    while (f := again.next())["type"] != "replay.done":
        replayed.append(f)
    seqs = [f["seq"] for f in replayed]
    assert seqs and seqs[0] > seen["seq"] and seqs == sorted(set(seqs))
    assert any(f["type"] == "post.created" and f["data"]["post"]["text"] == "second" for f in replayed)
    trainer.send({"type": "inject", "id": "i3", "persona": "lee", "text": "third"})
    live_frame = again.until(lambda f: f["type"] == "post.created")
    assert live_frame["data"]["post"]["text"] == "third" and live_frame["seq"] > seqs[-1]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("{not json", "bad_json"),
        ('{"type": "ping", "n": ' + "9" * 5000 + "}", "bad_json"),  # valid JSON, but past Python's integer digit limit
        ("[1, 2]", "bad_frame"),
        ('{"type": "teleport", "id": "x"}', "unknown_type"),
        ('{"type": "reply", "target": "main:p1", "text": "hi"}', "missing_id"),
        ('{"type": "reply", "id": "a", "text": "hi"}', "invalid"),
        ('{"type": "reply", "id": "b", "target": "main:nope", "text": "hi"}', "no_post"),
        ('{"type": "pause", "id": "c"}', "forbidden"),
        (b"\xff\xfe binary", "bad_frame"),
        ('{"type": "reply", "id": "d", "target": "x", "text": "' + "x" * 20000 + '"}', "too_large"),
    ],
)
def test_protocol_bad_frames_get_error_and_socket_stays(live: Live, payload: str | bytes, code: str) -> None:
    """Each malformed or unknown frame gets an error frame naming it; the socket still works."""
    drill = _joined(live, "alice")
    trainer = _open(live, "trainer", drill["id"])
    trainer.send({"type": "start", "id": "s"})
    trainer.until(lambda f: f["type"] == "ack")
    alice = _open(live, "alice", drill["id"])
    alice.send(payload)
    err = alice.until(lambda f: f["type"] == "error")
    assert err["code"] == code and err["msg"] and "seq" in err
    alice.send({"type": "ping"})
    assert alice.until(lambda f: f["type"] == "pong")["type"] == "pong"


def test_protocol_refuses_strangers_and_other_organisations(live: Live) -> None:
    """No token closes 4401; a user of another organisation cannot see the drill (4404)."""
    drill = _joined(live, "alice")
    with pytest.raises((ConnectionClosed, InvalidStatus)) as info:
        open_ws(f"{live.ws_base}/ws/drills/{drill['id']}").recv(timeout=5)
    if isinstance(info.value, ConnectionClosed):
        assert info.value.rcvd is not None and info.value.rcvd.code == 4401
    with pytest.raises((ConnectionClosed, InvalidStatus)) as info2:
        sock = live.socket("mallory", drill["id"])
        sock.next()
    if isinstance(info2.value, ConnectionClosed):
        assert info2.value.rcvd is not None and info2.value.rcvd.code == 4404
    assert live.api("mallory", "GET", f"/api/drills/{drill['id']}").status_code == 404
    assert live.api("alice", "POST", f"/api/drills/{drill['id']}/control", json={"action": "start"}).status_code == 403
