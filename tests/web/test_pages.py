"""Pages over HTTP (httpx against a real server): escaping, CSRF, htmx blocks, roles, errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import anyio
import httpx
import pytest

from tests.web.servers import PASSWORD, Live
from web.app import create_app
from web.render import mark_evidence
from web.settings import Settings

HX = {"HX-Request": "true"}


@pytest.fixture
def as_user(live: Live) -> Iterator[Callable[[str], httpx.Client]]:
    """``as_user("alice")`` → an httpx client logged in with the form, like a browser (cookies)."""
    clients: list[httpx.Client] = []

    def login(user: str) -> httpx.Client:
        c = httpx.Client(base_url=live.base, headers={"accept": "text/html"}, timeout=10)
        clients.append(c)
        r = c.post("/login", data={"username": user, "password": PASSWORD})
        assert r.status_code == 303, r.text
        return c

    yield login
    for c in clients:
        c.close()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def started_drill(live: Live, **kw: object) -> dict:  # type: ignore[type-arg]
    drill = live.new_drill(**kw)
    assert live.api("alice", "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
    assert live.api("trainer", "POST", f"/api/drills/{drill['id']}/control", json={"action": "start"}).status_code == 200
    return drill


def test_login_wrong_password_is_a_friendly_page(live: Live) -> None:
    """A wrong password re-renders the form with a message, never a stack trace."""
    with httpx.Client(base_url=live.base) as c:
        r = c.post("/login", data={"username": "alice", "password": "nope"})
    assert r.status_code == 401
    assert "Wrong username or password" in r.text and "Traceback" not in r.text


def test_anonymous_is_sent_to_login_with_next(live: Live) -> None:
    """Pages need a session: a browser is redirected to /login and comes back after."""
    with httpx.Client(base_url=live.base) as c:
        r = c.get("/review", headers={"accept": "text/html"})
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/review"
        r = c.post("/login", data={"username": "manager", "password": PASSWORD, "next": "//evil.example/"})
        assert r.headers["location"] == "/"  # never to another host


def test_pages_escape_user_strings(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """Titles, injected posts and replies show as text: every user string is escaped."""
    drill = started_drill(live, title="<script>alert('t')</script>")
    r = live.api("trainer", "POST", f"/api/drills/{drill['id']}/inject",
                 json={"persona": "dana", "text": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 200, r.text
    trainer = as_user("trainer")
    for path in ("/", f"/drills/{drill['id']}/console"):
        html = trainer.get(path).text
        assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html
    html = as_user("alice").get(f"/drills/{drill['id']}").text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_mark_evidence_escapes_every_piece() -> None:
    """Evidence spans become <mark>s around escaped slices; offsets out of range are ignored."""
    text = "We <b>guarantee</b> it & more"
    crit = [{"code": "promise", "verdict": "fail", "evidence": [{"start": 6, "end": 15}, {"start": 90, "end": 99}]},
            {"code": "empathy", "verdict": "met", "evidence": [{"start": 0, "end": 2}]}]
    html = str(mark_evidence(text, crit))
    assert html == ('<mark class="ev good" title="empathy">We</mark> &lt;b&gt;'
                    '<mark class="ev risk" title="promise">guarantee</mark>&lt;/b&gt; it &amp; more')


def test_forms_without_csrf_are_refused(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """Every state-changing form needs the session's CSRF token (field or X-CSRF-Token header)."""
    drill = live.new_drill()
    alice, trainer = as_user("alice"), as_user("trainer")
    r = alice.post("/join", data={"code": drill["join_code"]})
    assert r.status_code == 403 and "reload the page" in r.text
    r = trainer.post(f"/drills/{drill['id']}/control", data={"action": "start", "csrf": "0" * 32})
    assert r.status_code == 403
    r = trainer.post("/logout")
    assert r.status_code == 403
    token = csrf_of(trainer.get(f"/drills/{drill['id']}/console").text)
    r = trainer.post(f"/drills/{drill['id']}/control", data={"action": "start"}, headers={**HX, "X-CSRF-Token": token})
    assert r.status_code == 200 and "Pause" in r.text
    other = as_user("manager")  # a token is bound to its own session
    r = other.post(f"/drills/{drill['id']}/overrides", data={"target_seq": 1, "score": 1, "note": "x", "csrf": token})
    assert r.status_code == 403


def test_htmx_gets_the_block_and_vary(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """An htmx request gets the named block; the same URL without htmx is a full page."""
    trainer = as_user("trainer")
    full = trainer.get("/scenarios?q=outage")
    block = trainer.get("/scenarios?q=outage", headers=HX)
    assert full.text.startswith("<!doctype html>") and "<html" in full.text
    assert "<html" not in block.text and block.text.lstrip().startswith('<ul class="library" id="library">')
    assert "HX-Request" in full.headers["vary"] and "HX-Request" in block.headers["vary"]
    review = trainer.get("/review?scenario=nothing", headers=HX)
    assert review.text.lstrip().startswith('<table class="table" id="drills">')
    restore = trainer.get("/review", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text  # a history restore needs the whole page


ACCESS = [
    ("alice", "/drills/{id}/console", 403),
    ("alice", "/drills/{id}/review", 403),
    ("alice", "/scenarios", 403),
    ("alice", "/drills/{id}/export.csv", 403),
    ("manager", "/drills/{id}/console", 403),
    ("manager", "/drills/{id}/review", 200),
    ("trainer", "/admin/users", 403),
    ("mallory", "/drills/{id}", 404),
    ("otto", "/drills/{id}/console", 404),
    ("otto", "/drills/{id}/export.json", 404),
]


def test_roles_and_organisations(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """Roles gate pages (403, a friendly page); other organisations' drills do not exist (404)."""
    drill = live.new_drill()
    clients = {u: as_user(u) for u in {u for u, _, _ in ACCESS}}
    for user, path, status in ACCESS:
        r = clients[user].get(path.format(id=drill["id"]))
        assert r.status_code == status, (user, path)
        if status != 200:
            assert "Traceback" not in r.text and "<h1>" in r.text and "Back to your drills" in r.text


def test_error_pages_are_friendly_and_api_stays_json(db_url: str) -> None:
    """Unknown pages and crashes show a page, never a stack trace; the API keeps JSON."""
    app = create_app(Settings(database_url=db_url))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    async def run() -> None:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                r = await c.get("/no-such-page", headers={"accept": "text/html"})
                assert r.status_code == 404 and "Not found" in r.text
                r = await c.get("/boom", headers={"accept": "text/html"})
                assert r.status_code == 500 and "Something went wrong" in r.text
                assert "secret internals" not in r.text and "Traceback" not in r.text
                assert (await c.get("/api/nothing")).json() == {"detail": "Not Found"}
                assert (await c.get("/boom")).json()["detail"].startswith("internal error")

    anyio.run(run)


def test_override_transcript_and_exports(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """A manager overrides a verdict with a note: the log records it, the transcript and exports show it."""
    drill = started_drill(live)
    assert live.api("trainer", "POST", f"/api/drills/{drill['id']}/inject", json={"item": "p1"}).status_code == 200
    sock = live.socket("alice", drill["id"])
    sock.send({"type": "reply", "id": "r1", "target": "main:p1", "text": "Sorry Dana, please DM us and we'll help."})
    sock.until(lambda f: f["type"] == "ack")
    sock.close()
    events = live.api("manager", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    scored = next(e["seq"] for e in events if e["type"] == "reply.scored")
    manager = as_user("manager")
    page = manager.get(f"/drills/{drill['id']}/review/u2")
    assert page.status_code == 200 and 'class="ev' in page.text
    r = manager.post(f"/drills/{drill['id']}/overrides", headers=HX,
                     data={"target_seq": scored, "score": 42, "note": "Tone was <off>", "csrf": csrf_of(page.text)})
    assert r.status_code == 200, r.text
    assert "Override saved: 42" in r.text and "Tone was &lt;off&gt;" in r.text
    r = manager.post(f"/drills/{drill['id']}/overrides",
                     data={"target_seq": 1, "score": 42, "note": "x", "csrf": csrf_of(page.text)})
    assert r.status_code == 404  # only scored events can be overridden
    events = live.api("manager", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    over = [e for e in events if e["type"] == "verdict.overridden"]
    assert over[-1]["data"] == {"target_seq": scored, "score": 42, "passed": False, "note": "Tone was <off>",
                                "by": "manager"}
    csv_text = manager.get(f"/drills/{drill['id']}/export.csv").text
    assert "Tone was <off>" in csv_text and ",42," in csv_text
    doc = manager.get(f"/drills/{drill['id']}/export.json").json()
    assert doc["participants"][0]["score"] == 42
    assert "verdict.overridden" not in live.api("alice", "GET", f"/api/drills/{drill['id']}/events").text
    report = manager.get(f"/drills/{drill['id']}/report").text
    assert "Tone was &lt;off&gt;" in report and "After-action report" in report


def test_trainee_self_paced_practice(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """A trainee starts their own drill from the library, runs its clock and sees the pass mark."""
    alice = as_user("alice")
    page = alice.get("/practice")
    r = alice.post("/practice", data={"scenario": "bank-payday-outage", "csrf": csrf_of(page.text)})
    assert r.status_code == 303
    url = r.headers["location"]
    page = alice.get(url)
    assert page.status_code == 200 and "Pass mark" in page.text and "Start" in page.text
    drill_id = url.rsplit("/", 1)[1]
    r = alice.post(f"/drills/{drill_id}/control", headers=HX, data={"action": "start", "csrf": csrf_of(page.text)})
    assert r.status_code == 200 and "Pause" in r.text
    assert alice.get(f"/drills/{drill_id}/result").status_code == 200
    bob = as_user("bob")  # not bob's drill to control
    bob_page = bob.get("/")
    r = bob.post(f"/drills/{drill_id}/control", headers=HX, data={"action": "pause", "csrf": csrf_of(bob_page.text)})
    assert r.status_code == 403


def test_trainer_self_paced_drill_gives_each_trainee_a_copy(live: Live, as_user: Callable[[str], httpx.Client]) -> None:
    """Joining a trainer's self-paced drill opens the trainee's own copy, the same one every time."""
    drill = live.new_drill(mode="self_paced")
    alice = as_user("alice")
    token = csrf_of(alice.get("/").text)
    first = alice.post("/join", data={"code": drill["join_code"], "csrf": token}).headers["location"]
    again = alice.post("/join", data={"code": drill["join_code"], "csrf": token}).headers["location"]
    assert first == again and first != f"/drills/{drill['id']}"
    console = as_user("trainer").get(f"/drills/{drill['id']}/console").text
    assert first.rsplit("/", 1)[1] in console


def test_api_override_and_csv_export(live: Live) -> None:
    """The REST API overrides a verdict (manager role) and exports the scores as CSV."""
    drill = started_drill(live)
    live.api("trainer", "POST", f"/api/drills/{drill['id']}/inject", json={"item": "p1"})
    sock = live.socket("alice", drill["id"])
    sock.send({"type": "reply", "id": "r1", "target": "main:p1", "text": "Sorry Dana, please DM us."})
    sock.until(lambda f: f["type"] == "ack")
    sock.close()
    events = live.api("manager", "GET", f"/api/drills/{drill['id']}/events").json()["events"]
    scored = next(e["seq"] for e in events if e["type"] == "reply.scored")
    body = {"target_seq": scored, "score": 77, "note": "fair"}
    assert live.api("alice", "POST", f"/api/drills/{drill['id']}/overrides", json=body).status_code == 403
    r = live.api("manager", "POST", f"/api/drills/{drill['id']}/overrides", json=body)
    assert r.status_code == 201, r.text
    csv_text = live.api("manager", "GET", f"/api/drills/{drill['id']}/export.csv").text
    assert csv_text.startswith("seq,t,team,participant") and ",77," in csv_text and "fair" in csv_text
