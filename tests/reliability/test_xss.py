"""HTML and script payloads in every user string — display names, drill titles, scenario text,
replies, DMs, override notes — are rendered escaped and never executed, in a real Chromium.

Every vector in ``data/xss.txt`` calls ``window.__xss()`` if a page renders it as markup or runs it;
the pages define ``__xss`` to count calls, and the count must stay 0 while the vectors' text shows
literally.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.reliability.conftest import SECRET, add_users, mint, user_ids
from tests.services import need_chromium
from tests.web.servers import Live, thread_server

pytestmark = pytest.mark.browser

VECTORS = [line for line in (Path(__file__).parent / "data" / "xss.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
MINI = Path(__file__).parents[1] / "fixtures" / "mini.yaml"
PROBE = "window.__xss_calls = 0; window.__xss = () => { window.__xss_calls += 1; };"


def _xss_scenario(path: Path) -> Path:
    """mini.yaml with every text a human reads replaced by a vector (JSON strings are YAML scalars)."""
    text = MINI.read_text(encoding="utf-8")
    q = json.dumps
    text = text.replace("title: Mini outage", f"title: {q(VECTORS[0])}")
    text = text.replace("name: NovaPay}", f"name: {q(VECTORS[1][:80])}}}")
    for i, name in enumerate(("Dana R", "Troll", "Lee")):
        text = text.replace(f"name: {name},", f"name: {q(VECTORS[i + 2][:80])},")
    n = iter(range(100))
    text = re.sub(r'text: "[^"]*"', lambda m: f"text: {q(VECTORS[(next(n) + 5) % len(VECTORS)])}", text)
    out = path / "xss.yaml"
    out.write_text(text, encoding="utf-8")
    return out


def test_user_strings_are_escaped_and_never_run_in_chromium(db_url: str, tmp_path: Path) -> None:
    """Pages and live partials show every vector as text; window.__xss is never called."""
    chromium = need_chromium()
    from playwright.sync_api import sync_playwright

    add_users(db_url, ["xss-trainee"], "trainee")
    _rename(db_url, "xss-trainee", VECTORS[2][:80])
    scenario = _xss_scenario(tmp_path)
    with thread_server(db_url, secret_key=SECRET) as live:
        live.tokens.update(mint(user_ids(db_url)))
        drill = live.api("trainer", "POST", "/api/drills",
                         json={"scenario_yaml": scenario.read_text(encoding="utf-8"), "seed": 1, "title": VECTORS[3]}).json()
        assert "id" in drill, drill
        did = drill["id"]
        for user in ("alice", "xss-trainee"):
            assert live.api(user, "POST", "/api/join", json={"code": drill["join_code"]}).status_code == 200
        _play(live, did)
        pages = {"xss-trainee": [f"/drills/{did}", f"/drills/{did}/result", "/"],
                 "alice": [f"/drills/{did}"],
                 "trainer": ["/", f"/drills/{did}/console", f"/drills/{did}"],
                 "manager": ["/review", f"/drills/{did}/review", f"/drills/{did}/review/{_pid(live, did, 'alice')}",
                             f"/drills/{did}/report", f"/drills/{did}/compare"],
                 "root": ["/admin/users"]}
        seen_text = ""
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            try:
                for user, paths in pages.items():
                    ctx = browser.new_context()
                    ctx.add_cookies([{"name": "crisisdrill_session", "value": live.token(user),
                                      "url": live.base}])
                    ctx.add_init_script(PROBE)
                    dialogs: list[str] = []
                    page = ctx.new_page()
                    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                    for path in paths:
                        resp = page.goto(live.base + path, wait_until="load")
                        assert resp is not None and resp.status < 500, (user, path, resp and resp.status)
                        page.wait_for_timeout(200)  # live partials over the socket, htmx swaps
                        calls = page.evaluate("window.__xss_calls")
                        assert calls == 0, f"{user} {path}: window.__xss() ran {calls} times"
                        seen_text += page.inner_text("body")
                    assert not dialogs, dialogs
                    ctx.close()
            finally:
                browser.close()
    shown = [v for v in VECTORS if v in seen_text]
    assert len(shown) >= len(VECTORS) // 2, f"only {len(shown)} vectors visible as text: {shown}"
    assert "<script>window.__xss()</script>" in seen_text


def _rename(url: str, username: str, display: str) -> None:
    from sqlmodel import select

    from web.db import Database
    from web.models import User
    from web.settings import Settings

    db = Database(Settings(database_url=url).sqlalchemy_url)
    with db.session() as s:
        u = s.exec(select(User).where(User.username == username)).one()
        u.display_name = display
        s.add(u)
        s.commit()
    db.dispose()


def _pid(live: Live, did: str, user: str) -> str:
    return "u" + str(live.api(user, "GET", "/api/me").json()["id"])


def _play(live: Live, did: str) -> None:
    """Start fast; the trainees reply and DM with vectors; a manager overrides with a vector note."""
    trainer = live.socket("trainer", did)
    trainer.send({"type": "start", "id": "go"})
    trainer.send({"type": "speed", "id": "fast", "speed": 20})
    trainer.until(lambda f: f.get("type") == "ack" and f.get("id") == "fast")
    trainer.send({"type": "inject", "id": "inj", "persona": "dana", "text": VECTORS[6]})
    posts = [trainer.until(lambda f: f.get("type") == "post.created" and f["data"]["origin"] in ("script", "inject"))
             for _ in range(2)]
    for user in ("alice", "xss-trainee"):
        sock = live.socket(user, did)
        for n, post in enumerate(posts):
            for kind in ("reply", "dm"):
                text = VECTORS[(n * 2 + (kind == "dm") + 7) % len(VECTORS)][:280]
                sock.send({"type": kind, "id": f"{user}-{kind}-{n}", "target": post["data"]["post"]["id"],
                           "text": text})
                sock.until(lambda f: f.get("type") in ("ack", "error"))
        sock.close()
    events = live.api("trainer", "GET", f"/api/drills/{did}/events").json()["events"]
    scored = [e for e in events if e["type"] == "reply.scored"]
    assert scored, "no reply was scored"
    r = live.api("manager", "POST", f"/api/drills/{did}/overrides",
                 json={"target_seq": scored[0]["seq"], "score": 90, "note": VECTORS[0]})
    assert r.status_code in (200, 201), r.text
    trainer.close()


