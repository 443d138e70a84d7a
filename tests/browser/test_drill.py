"""The three users in a real browser: a trainer runs a drill, two trainees answer (one on a
phone-sized screen, with the keyboard alone), a manager reviews, overrides and exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DRILL_URL = re.compile(r"/drills/(d-[0-9a-f]+)(/console)?$")


def test_drill_end_to_end(login, shot, server) -> None:  # type: ignore[no-untyped-def]
    """Create, join, start, reply, pause, inject, resume, then review, override and export."""
    from playwright.sync_api import expect

    # -- the trainer creates a drill from the library and opens its console
    trainer = login("trainer")
    trainer.goto("/scenarios")
    trainer.get_by_role("link", name="Preview timeline").first.click()
    expect(trainer.locator("ol.timeline li").first).to_be_visible()
    trainer.goto("/drills/new?scenario=bank-payday-outage")
    trainer.fill("input[name=title]", "Payday <drill>")
    trainer.get_by_role("button", name="Create drill").click()
    expect(trainer).to_have_url(re.compile(r"/drills/d-[0-9a-f]+/console$"))
    drill_id = DRILL_URL.search(trainer.url).group(1)  # type: ignore[union-attr]
    expect(trainer.locator("h1")).to_have_text("Payday <drill>")  # escaped, shown as text
    code = trainer.locator(".join-code .code").inner_text().strip()

    # -- two trainees join with the code; bob on a phone-sized screen
    alice = login("alice")
    bob = login("bob", {"width": 390, "height": 844})
    for page in (alice, bob):
        page.fill("input[name=code]", code)
        page.get_by_role("button", name="Join").click()
        expect(page).to_have_url(re.compile(rf"/drills/{drill_id}$"))
        expect(page.locator("#status-banner")).to_contain_text("not started")
    expect(trainer.locator("#lobby")).to_contain_text("Alice")
    expect(trainer.locator("#lobby")).to_contain_text("Bob")

    # -- start, and fire the first scripted post at once from the inject deck
    trainer.locator("#controls").get_by_role("button", name="Start").click()
    expect(trainer.locator("#clock .status")).to_have_text("running")
    expect(alice.locator("#clock .status")).to_have_text("running")
    trainer.get_by_role("button", name="Fire p1", exact=True).click()
    expect(trainer.locator("#inject-status")).to_contain_text("Fired scripted item")

    # -- alice replies with the mouse; the post arrived live over the socket
    p1 = alice.locator("article.post", has_text="rent is due").first
    expect(p1).to_be_visible()
    p1.get_by_role("button", name=re.compile("^Reply to")).click()
    expect(alice.locator("#composer-context")).to_contain_text("Replying to @")
    alice.fill("#composer-text", "Sorry Dana, we guarantee this is fixed within the hour.")
    expect(alice.locator("#char-count")).to_have_text("55 / 280")
    alice.locator("#composer-send").click()
    mine = alice.locator("article.post.brand", has_text="Sorry Dana").first
    expect(mine).to_be_visible()
    expect(alice.locator("#feedback .verdict").first).to_contain_text("score")
    expect(alice.locator("#feedback mark.ev").first).to_be_visible()  # evidence highlighted live

    # -- bob answers with the keyboard alone, on a phone-sized screen
    bob_p1 = bob.locator("article.post:not(.brand)", has_text="rent is due").first
    expect(bob_p1).to_be_visible()
    bob_p1.focus()
    bob.keyboard.press("r")
    expect(bob.locator("#composer-text")).to_be_focused()
    bob.keyboard.type("So sorry for the stress, Dana. Please DM us your account email and we'll help today.")
    bob.keyboard.press("Control+Enter")
    expect(bob.locator("article.post.brand", has_text="So sorry for the stress").first).to_be_attached()
    assert bob.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    shot(bob, "trainee-phone")

    # -- the console shows both actions and their verdicts as they happen
    expect(trainer.locator("#activity")).to_contain_text("Alice's reply")
    expect(trainer.locator("#activity")).to_contain_text("Bob's reply")

    # -- pause, inject a new post from a persona, resume
    trainer.locator("#controls").get_by_role("button", name="Pause").click()
    expect(trainer.locator("#clock .status")).to_have_text("paused")
    expect(alice.locator("#clock .status")).to_have_text("paused")
    trainer.select_option("#inject-persona", index=1)
    trainer.fill("#inject-text", "Is it true you lost <b>customer data</b>?")
    trainer.get_by_role("button", name="Post it now").click()
    expect(trainer.locator("#inject-status")).to_contain_text("Fired a post")
    expect(alice.locator("article.post", has_text="Is it true you lost <b>customer data</b>?").first).to_be_visible()
    trainer.locator("#controls").get_by_role("button", name="Resume").click()
    expect(trainer.locator("#clock .status")).to_have_text("running")
    expect(alice.locator("#clock .status")).to_have_text("running")
    shot(alice, "trainee-feed")
    trainer.evaluate("document.querySelector('.console .left').scrollTop = 0")
    shot(trainer, "trainer-console")

    # -- the manager opens the transcript, overrides a verdict, exports
    manager = login("manager")
    manager.goto("/review")
    manager.get_by_role("link", name="Payday <drill>").click()
    expect(manager).to_have_url(re.compile(rf"/drills/{drill_id}/review$"))
    manager.locator("table.board").get_by_role("link", name="Alice").click()
    expect(manager.locator("h1")).to_contain_text("Alice")
    verdict = manager.locator(".scored").first
    expect(verdict.locator("mark.ev").first).to_be_visible()
    shot(manager, "manager-transcript")
    verdict.locator("summary", has_text="Override").click()
    verdict.locator("input[name=score]").fill("85")
    verdict.locator("textarea[name=note]").fill("Promise was approved by legal for this drill.")
    verdict.get_by_role("button", name="Save override").click()
    expect(manager.locator(".scored").first).to_contain_text("Override saved: 85")
    expect(manager.locator(".scored").first).to_contain_text("overridden from")
    manager.goto(f"/drills/{drill_id}/review")
    with manager.expect_download() as dl:
        manager.get_by_role("link", name="Export CSV").click()
    csv_text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert "Promise was approved by legal" in csv_text and ",85," in csv_text
    with manager.expect_download() as dl:
        manager.get_by_role("link", name="Export JSON").click()
    doc = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert any(e["type"] == "verdict.overridden" and e["data"]["by"] == "manager" for e in doc["events"])
    manager.goto(f"/drills/{drill_id}/compare")
    expect(manager.locator(".compare").first).to_contain_text("Model answer")
    manager.goto(f"/drills/{drill_id}/report")
    expect(manager.locator("h1")).to_have_text("After-action report")


def test_trainee_cannot_open_console_or_other_org(login, server) -> None:  # type: ignore[no-untyped-def]
    """A trainee gets a friendly 403 on the console; another organisation's drill is a 404."""
    from playwright.sync_api import expect

    drill = server.new_drill("bank-payday-outage")
    alice = login("alice")
    resp = alice.goto(f"/drills/{drill['id']}/console")
    assert resp is not None and resp.status == 403
    expect(alice.locator("h1")).to_have_text("Not allowed")
    assert "Traceback" not in alice.content()
    mallory = login("mallory")
    resp = mallory.goto(f"/drills/{drill['id']}")
    assert resp is not None and resp.status == 404
    expect(mallory.locator("h1")).to_have_text("Not found")
    resp = mallory.goto(f"/drills/{drill['id']}/review")
    assert resp is not None and resp.status == 404
