"""Access control as a matrix: every role × every route of the app (enumerated from ``app.routes``,
so a route added later is covered, and fails here until it is classified in ``MIN_ROLE``) × a drill
of each organisation, and the socket.

Rules: below a route's minimum role the answer is a refusal (401/403/404 or a redirect to the login
or home page), never data; at or above it, no refusal and no server error; a drill of the other
organisation is never reachable, whatever the role.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.reliability.conftest import SECRET
from tests.web.servers import MINI_YAML, Live, open_ws
from web.app import create_app
from web.auth import Tokens
from web.settings import Settings

RANK = {"anonymous": -1, "trainee": 0, "manager": 1, "trainer": 2, "admin": 3}
USER = {"trainee": "alice", "manager": "manager", "trainer": "trainer", "admin": "root"}

# (method, path) -> the least role that may use it ("anonymous": public). A new route fails
# test_every_route_is_classified until it is added here.
MIN_ROLE: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "anonymous", ("GET", "/docs"): "anonymous", ("GET", "/redoc"): "anonymous",
    ("GET", "/docs/oauth2-redirect"): "anonymous", ("GET", "/healthz"): "anonymous",
    ("GET", "/login"): "anonymous", ("POST", "/login"): "anonymous", ("POST", "/api/login"): "anonymous",
    ("GET", "/api/me"): "trainee", ("GET", "/api/scenarios"): "trainee", ("GET", "/api/drills"): "trainee",
    ("GET", "/api/drills/{drill_id}"): "trainee", ("POST", "/api/join"): "trainee",
    ("GET", "/api/drills/{drill_id}/events"): "trainee", ("WS", "/ws/drills/{drill_id}"): "trainee",
    ("POST", "/logout"): "trainee", ("GET", "/"): "trainee", ("POST", "/join"): "trainee",
    ("GET", "/drills/{drill_id}"): "trainee", ("GET", "/drills/{drill_id}/thread/{post_id}"): "trainee",
    ("GET", "/practice"): "trainee", ("POST", "/practice"): "trainee",
    ("GET", "/drills/{drill_id}/result"): "trainee",
    ("GET", "/api/drills/{drill_id}/transcript"): "manager", ("POST", "/api/drills/{drill_id}/overrides"): "manager",
    ("GET", "/api/drills/{drill_id}/export.csv"): "manager", ("GET", "/review"): "manager",
    ("GET", "/drills/{drill_id}/review"): "manager", ("GET", "/drills/{drill_id}/review/{pid}"): "manager",
    ("POST", "/drills/{drill_id}/overrides"): "manager", ("GET", "/drills/{drill_id}/compare"): "manager",
    ("GET", "/drills/{drill_id}/export.json"): "manager", ("GET", "/drills/{drill_id}/export.csv"): "manager",
    ("GET", "/drills/{drill_id}/report"): "manager",
    ("GET", "/scenarios"): "trainer", ("GET", "/scenarios/{sid}"): "trainer",
    ("POST", "/api/drills"): "trainer", ("POST", "/api/drills/{drill_id}/control"): "trainer",
    ("POST", "/api/drills/{drill_id}/inject"): "trainer", ("POST", "/api/drills/{drill_id}/cue"): "trainer",
    ("GET", "/drills/new"): "trainer", ("POST", "/drills/new"): "trainer",
    ("GET", "/drills/{drill_id}/console"): "trainer", ("POST", "/drills/{drill_id}/control"): "trainer",
    ("POST", "/drills/{drill_id}/inject"): "trainer",
    ("GET", "/admin/users"): "admin", ("POST", "/admin/users"): "admin",
}
SKIP_PREFIXES = ("/static",)  # files, no data
# Allowed, but their answer to the harmless body is a 401/403 or a redirect to /login by design:
# a wrong password, logging out, practice drills (trainees only: staff are sent to /drills/new).
NO_REFUSAL_CHECK = {("POST", "/api/login"), ("POST", "/login"), ("POST", "/logout"), ("POST", "/practice")}

# Harmless bodies: each is valid enough to get past validation, and changes nothing that matters.
JSON_BODIES: dict[str, Any] = {
    "/api/login": {"username": "nobody", "password": "wrong"}, "/api/join": {"code": "ZZZZZZ"},
    "/api/drills": {"scenario": "no-such-scenario"}, "/api/drills/{drill_id}/control": {"action": "resume"},
    "/api/drills/{drill_id}/inject": {"item": "no-such-item"}, "/api/drills/{drill_id}/cue": {"cue": "nothing"},
    "/api/drills/{drill_id}/overrides": {"target_seq": 999999, "score": 50, "note": "matrix"},
}
FORM_BODIES: dict[str, dict[str, str]] = {
    "/login": {"username": "nobody", "password": "wrong"}, "/join": {"code": "ZZZZZZ"},
    "/drills/new": {"scenario": "no-such-scenario"}, "/drills/{drill_id}/control": {"action": "resume"},
    "/drills/{drill_id}/inject": {"item": "no-such-item"}, "/practice": {"scenario": "no-such-scenario"},
    "/drills/{drill_id}/overrides": {"target_seq": "999999", "score": "50", "note": "matrix"},
    "/admin/users": {"username": "matrix-user", "password": "matrix-password-123", "role": "trainee",
                     "display_name": "Matrix"},
}


def app_routes() -> list[tuple[str, str]]:
    """Every (method, path) the app serves, walking included routers."""
    app = create_app(Settings(database_url="sqlite:///:memory:"))
    out: list[tuple[str, str]] = []

    def walk(routes: Any, prefix: str = "") -> None:
        for r in routes:
            if hasattr(r, "original_router"):  # FastAPI's included router
                walk(r.original_router.routes, prefix + (r.include_context.prefix or ""))
                continue
            path = prefix + getattr(r, "path", "")
            if path.startswith(SKIP_PREFIXES):
                continue
            methods = getattr(r, "methods", None)
            for m in sorted(set(methods) - {"HEAD"}) if methods else ["WS"]:
                out.append((m, path))

    walk(app.routes)
    return out


ROUTES = app_routes()


def test_every_route_is_classified() -> None:
    """A route nobody classified is an access-control decision nobody made."""
    unknown = [r for r in ROUTES if r not in MIN_ROLE]
    assert not unknown, f"classify these routes in MIN_ROLE (tests/reliability/test_access.py): {unknown}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Any) -> Iterator[dict[str, Any]]:
    import shutil

    from tests.reliability.conftest import add_users, mint, user_ids
    from tests.web.servers import thread_server

    target = tmp_path_factory.mktemp("matrix") / "m.db"
    shutil.copy(seeded_sqlite, target)
    url = f"sqlite:///{target}"
    add_users(url, ["root"], "admin")
    with thread_server(url, secret_key=SECRET) as live:
        ids = user_ids(url)
        live.tokens.update(mint(ids))
        a = live.api("trainer", "POST", "/api/drills", json={"scenario_yaml": MINI_YAML, "seed": 1})
        b = live.api("otto", "POST", "/api/drills", json={"scenario_yaml": MINI_YAML, "seed": 2})
        assert a.status_code == b.status_code == 201, (a.text, b.text)
        assert live.api("alice", "POST", "/api/join", json={"code": a.json()["join_code"]}).status_code == 200
        assert live.api("mallory", "POST", "/api/join", json={"code": b.json()["join_code"]}).status_code == 200
        yield {"live": live, "A": a.json()["id"], "B": b.json()["id"],
               "pid": {"A": f"u{ids['alice']}", "B": f"u{ids['mallory']}"}}


def _request(world: dict[str, Any], role: str, method: str, path: str, org: str) -> httpx.Response:
    live: Live = world["live"]
    url = (path.replace("{drill_id}", world[org]).replace("{pid}", world["pid"][org])
           .replace("{post_id}", "main:p1").replace("{sid}", "bank-payday-outage"))
    headers = {"accept": "text/html" if not path.startswith("/api") else "application/json"}
    cookies = {}
    if role != "anonymous":
        token = live.token(USER[role])
        headers["x-csrf-token"] = Tokens(SECRET, 3600).csrf(token)
        if path.startswith("/api"):
            headers["authorization"] = f"Bearer {token}"
        else:
            cookies["crisisdrill_session"] = token
    kw: dict[str, Any] = {}
    if method == "POST":
        if path.startswith("/api"):
            kw["json"] = JSON_BODIES.get(path, {})
        else:
            kw["data"] = {**FORM_BODIES.get(path, {}), "csrf": headers.get("x-csrf-token", "")}
    with httpx.Client(base_url=live.base, cookies=cookies, timeout=20, follow_redirects=False) as c:
        return c.request(method, url, headers=headers, **kw)


def _refused(r: httpx.Response) -> bool:
    if r.status_code in (401, 403, 404):
        return True
    loc = r.headers.get("location", "")
    return r.status_code in (302, 303, 307) and (loc.startswith("/login") or loc == "/" or loc.startswith("/?"))


CASES = [(role, m, p) for (m, p) in ROUTES if m != "WS" for role in RANK]


@pytest.mark.parametrize(("role", "method", "path"), CASES, ids=[f"{r}-{m}-{p}" for r, m, p in CASES])
def test_route_access_follows_the_role_rules(world: dict[str, Any], role: str, method: str, path: str) -> None:
    """Below the minimum role: refused. At or above: never refused, never a server error. Across orgs: refused."""
    need = MIN_ROLE.get((method, path))
    if need is None:
        pytest.fail(f"unclassified route {method} {path}: add it to MIN_ROLE")
    orgs = ["A", "B"] if "{drill_id}" in path else ["A"]
    for org in orgs:
        r = _request(world, role, method, path, org)
        assert r.status_code < 500, f"{role} {method} {path} ({org}): {r.status_code} {r.text[:300]}"
        if org == "B" and role != "anonymous":
            assert _refused(r), f"{role} of Org A reached Org B's drill: {method} {path} -> {r.status_code}"
        elif RANK[role] < RANK[need]:
            assert _refused(r), f"{role} reached {method} {path} (needs {need}): {r.status_code} {r.text[:200]}"
        elif (method, path) not in NO_REFUSAL_CHECK:
            assert not (r.status_code in (401, 403) or r.headers.get("location", "").startswith("/login")), \
                f"{role} was refused {method} {path}: {r.status_code} {r.text[:200]}"


@pytest.mark.parametrize("role", list(RANK))
def test_socket_access_follows_the_role_rules(world: dict[str, Any], role: str) -> None:
    """The socket: anonymous 4401, the other org's drill 4404; trainees and managers cannot run the drill."""
    live: Live = world["live"]
    for org in ("A", "B"):
        q = "" if role == "anonymous" else f"?token={live.token(USER[role])}"
        refused = role == "anonymous" or org == "B"
        try:
            ws = open_ws(f"{live.ws_base}/ws/drills/{world[org]}{q}")
        except InvalidStatus as exc:  # closed before the handshake: uvicorn answers HTTP 403
            assert refused and exc.response.status_code == 403, (role, org, exc)
            continue
        try:
            if refused:
                with pytest.raises(ConnectionClosed) as closed:
                    ws.recv(timeout=5)
                assert closed.value.rcvd is not None
                assert closed.value.rcvd.code == (4401 if role == "anonymous" else 4404)
                continue
            hello = json.loads(ws.recv(timeout=5))
            assert hello["type"] == "hello"
            while json.loads(ws.recv(timeout=5))["type"] != "replay.done":
                pass
            ws.send(json.dumps({"type": "pause", "id": f"matrix-{role}"}))
            answer = json.loads(ws.recv(timeout=5))
            if role in ("trainee", "manager"):
                assert answer["type"] == "error" and answer["code"] == "forbidden", answer
            else:
                assert not (answer["type"] == "error" and answer["code"] == "forbidden"), answer
        finally:
            ws.close()
