"""Joining a drill is one operation for the pages and the API."""

from __future__ import annotations

from tests.web.servers import Live


def test_joining_api_gives_each_trainee_their_own_self_paced_copy(live: Live) -> None:
    """POST /api/join on a trainer's self-paced drill returns a personal copy, the same one every time."""
    drill = live.new_drill(mode="self_paced")
    alice = live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).json()
    again = live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).json()
    bob = live.api("bob", "POST", "/api/join", json={"code": drill["join_code"]}).json()
    assert alice["drill"]["id"] != drill["id"]
    assert again["drill"]["id"] == alice["drill"]["id"]
    assert bob["drill"]["id"] not in (drill["id"], alice["drill"]["id"])


def test_joining_api_refuses_an_unknown_team_and_fills_the_emptiest(live: Live) -> None:
    """A team the drill does not have is a 409 naming its teams; no team means the emptiest one."""
    drill = live.new_drill(teams=["red", "blue"])
    r = live.api("alice", "POST", "/api/join", json={"code": drill["join_code"], "team": "green"})
    assert r.status_code == 409 and "red, blue" in r.text
    first = live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).json()
    second = live.api("bob", "POST", "/api/join", json={"code": drill["join_code"]}).json()
    assert {first["team"], second["team"]} == {"red", "blue"}
