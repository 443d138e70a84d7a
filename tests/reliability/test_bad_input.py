"""Bad input everywhere: malformed, oversized, binary and non-UTF-8 websocket frames, huge replies,
rate limits per connection and per account, and scenario and rubric files that are not YAML or name
codes that do not exist. Each gets a clear answer; none kills the socket or the server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from scenarios import ScenarioError, load_scenario
from scoring.errors import ScoringError
from scoring.rubric import load_rubric
from tests.reliability.conftest import SECRET, mint, user_ids
from tests.web.servers import Live, Socket, thread_server

MINI = Path(__file__).parents[1] / "fixtures" / "mini.yaml"


def _ready(live: Live, user: str, drill_id: str) -> Socket:
    sock = live.socket(user, drill_id)
    while sock.next()["type"] != "replay.done":
        pass
    return sock


def _answer(sock: Socket) -> dict[str, Any]:
    return sock.until(lambda f: f["type"] in ("error", "ack", "pong"))


@pytest.fixture
def started(live: Live) -> tuple[Live, dict[str, Any]]:
    drill = live.new_drill()
    assert live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    assert live.api("trainer", "POST", f"/api/drills/{drill['id']}/control", json={"action": "start"}).status_code == 200
    return live, drill


@pytest.mark.parametrize(("frame", "code"), [
    ("not json at all", "bad_json"),
    ("{\"type\": \"reply\", ", "bad_json"),
    ("[1, 2, 3]", "bad_frame"),
    ("\"just a string\"", "bad_frame"),
    (b"\xff\xfe\x00\x01 binary, not UTF-8", "bad_frame"),
    ("{\"type\": \"teleport\", \"id\": \"x\"}", "unknown_type"),
    ("{\"type\": \"reply\", \"target\": \"main:p1\", \"text\": \"hi\"}", "missing_id"),
    ("{\"type\": \"reply\", \"id\": \"" + "i" * 81 + "\", \"target\": \"main:p1\", \"text\": \"hi\"}", "missing_id"),
    ("{\"type\": \"reply\", \"id\": \"a\", \"target\": 42, \"text\": \"hi\"}", "invalid"),
    ("{\"type\": \"reply\", \"id\": \"b\", \"target\": \"main:nope\", \"text\": \"hi\"}", "no_post"),
    ("{\"type\": \"reply\", \"id\": \"c\", \"target\": \"main:p1\", \"text\": {\"html\": 1}}", "invalid"),
    (json.dumps({"type": "reply", "id": "d", "target": "main:p1", "text": "x" * 20000}), "too_large"),
    (json.dumps({"type": "reply", "id": "e", "target": "main:p1", "text": "é" * 9000}), "too_large"),
    (json.dumps({"type": "dm", "id": "f", "target": "main:p1", "text": "y" * 6000}), "too_long"),
    (json.dumps({"type": "pause", "id": "g"}), "forbidden"),
])
def test_bad_frame_gets_an_error_and_the_socket_lives(started: tuple[Live, dict[str, Any]], frame: Any,
                                                      code: str) -> None:
    """Each bad frame is answered with an error frame naming the problem; a ping still works after."""
    live, drill = started
    sock = _ready(live, "alice", drill["id"])
    sock.send(frame)
    err = _answer(sock)
    if code in ("no_post", "too_long") and err.get("code") == "not_started":
        pytest.fail("the drill did not start")
    assert err["type"] == "error" and err["code"] in (code, "no_post" if code == "too_long" else code), err
    assert err["msg"] and len(err["msg"]) < 600
    sock.send({"type": "ping"})
    assert _answer(sock)["type"] == "pong"
    sock.close()


def test_huge_reply_within_frame_limit_is_refused_as_too_long(started: tuple[Live, dict[str, Any]]) -> None:
    """A reply over the platform's character limit is refused with too_long, not recorded."""
    live, drill = started
    trainer = _ready(live, "trainer", drill["id"])
    trainer.send({"type": "inject", "id": "post", "persona": "dana", "text": "Where is my money?"})
    post = trainer.until(lambda f: f["type"] == "post.created")["data"]["post"]["id"]
    sock = _ready(live, "alice", drill["id"])
    sock.send({"type": "reply", "id": "long", "target": post, "text": "z" * 5000})
    err = _answer(sock)
    assert err["type"] == "error" and err["code"] == "too_long" and "280" in err["msg"], err
    events = live.api("trainer", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    assert not [e for e in events if e.get("client_id") == "long"]


def test_invalid_utf8_text_frame_closes_only_that_socket(started: tuple[Live, dict[str, Any]]) -> None:
    """A text frame that is not UTF-8 breaks the websocket protocol itself: that socket is closed
    (1007), the server and the other sockets carry on, and the client can reconnect."""
    live, drill = started
    bad = _ready(live, "alice", drill["id"])
    other = _ready(live, "trainer", drill["id"])
    bad.conn.send(b"{\"type\": \"ping\", \"x\": \"\xff\xfe\"}", text=True)
    with pytest.raises(ConnectionClosed) as exc:
        bad.until(lambda f: False, timeout=5)
    assert exc.value.rcvd is None or exc.value.rcvd.code in (1007, 1002)
    other.send({"type": "ping"})
    assert _answer(other)["type"] == "pong"
    again = _ready(live, "alice", drill["id"])
    again.send({"type": "ping"})
    assert _answer(again)["type"] == "pong"


def test_rate_limit_per_connection_answers_clearly(started: tuple[Live, dict[str, Any]]) -> None:
    """Past the per-socket burst, actions get rate_limited with a message that says what to do."""
    live, drill = started
    sock = _ready(live, "alice", drill["id"])
    for n in range(40):
        sock.send({"type": "like", "id": f"l{n}", "target": "main:nope"})
    answers = [_answer(sock) for _ in range(40)]
    limited = [a for a in answers if a.get("code") == "rate_limited"]
    assert limited and "slow down" in limited[0]["msg"] and limited[0]["ref"].startswith("l")


@pytest.fixture
def account_limited(db_url: str) -> Iterator[Live]:
    with thread_server(db_url, secret_key=SECRET, actions_per_minute=100_000, account_actions_per_minute=40) as live:
        live.tokens.update(mint(user_ids(db_url)))
        yield live


def test_rate_limit_per_account_is_shared_by_its_sockets(account_limited: Live) -> None:
    """Opening more sockets buys no more actions: the account's bucket is shared."""
    live = account_limited
    drill = live.new_drill()
    assert live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    socks = [_ready(live, "alice", drill["id"]) for _ in range(3)]
    for n in range(8):
        for i, s in enumerate(socks):
            s.send({"type": "like", "id": f"s{i}-{n}", "target": "main:nope"})
    answers = [_answer(s) for s in socks for _ in range(8)]
    limited = [a for a in answers if a.get("code") == "rate_limited"]
    assert len(limited) >= 24 - 10 - 1, answers  # a burst of 10 (40/4) for the whole account
    assert "account" in limited[0]["msg"]
    bob = _ready(live, "trainer", drill["id"])  # another account is not affected
    bob.send({"type": "like", "id": "other", "target": "main:nope"})
    assert _answer(bob).get("code") != "rate_limited"


# ------------------------------------------------------------------ files
BAD_SCENARIOS = {
    "not-yaml": ("id: [unclosed\n  - : :\n", r"E001 not valid YAML"),
    "not-utf8": (b"\xff\xfe\x00 binary", r"not UTF-8"),
    "a-list": ("- just\n- a list\n", r"must hold 'key: value' lines"),
    "unknown-code": (MINI.read_text().replace("expect: {answer: none}", "expect: {answer: none, avoid: [nope]}"),
                     r"'nope' is not a rubric code"),
    "unknown-key": (MINI.read_text().replace("duration:", "durration:"), r"durration"),
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_bad_scenario_file_gets_a_clear_error(tmp_path: Path, case: str) -> None:
    """Not YAML, not UTF-8, not a mapping, or an unknown code: ScenarioError naming the file and line."""
    body, pattern = BAD_SCENARIOS[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(ScenarioError, match=pattern) as exc:
        load_scenario(path)
    assert str(path) in str(exc.value)


BAD_RUBRICS = {
    "not-yaml": ("name: x\ncriteria: [\n", r"invalid YAML"),
    "not-utf8": (b"\xff\xfe\x00 binary", r"rubric"),
    "unknown-code": ("name: x\nversion: 1\ncriteria:\n  no_such_code: {kind: risk, weight: 10, explanation: x}\n",
                     r"no criterion has this code"),
}


@pytest.mark.parametrize("case", list(BAD_RUBRICS))
def test_bad_rubric_file_gets_a_clear_error(tmp_path: Path, case: str) -> None:
    """A rubric that is not YAML or names an unknown criterion: ScoringError naming the file."""
    body, pattern = BAD_RUBRICS[case]
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    with pytest.raises(ScoringError, match=pattern) as exc:
        load_rubric(path)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", "E001"),
        (MINI.read_text(encoding="utf-8").replace("within: 5m,", "within: 5m, avoid: [nonsense],", 1), "E204"),
        ("\x00\x01 not a script", "uploaded.yaml"),
    ],
)
def test_bad_scenario_through_the_api_is_a_422_not_a_500(live: Live, text: str, expected: str) -> None:
    """Creating a drill from a broken uploaded script answers 422 with the lint message."""
    r = live.api("trainer", "POST", "/api/drills", json={"scenario_yaml": text})
    assert r.status_code == 422 and expected in r.text, r.text
