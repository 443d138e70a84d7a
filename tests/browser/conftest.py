"""One headless Chromium per module (Playwright, Debian's chromium), one live server per
module, one browser context per user. ``CRISISDRILL_SCREENSHOTS=DIR`` writes PNGs of the
main pages there.

Module scope, not session: Playwright's sync API runs an asyncio loop on the main thread
while it is open, and later tests call ``asyncio.run``."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.services import need_chromium
from tests.web.servers import PASSWORD, Live, seed_users, thread_server

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 820}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    db = tmp_path_factory.mktemp("browser") / "browser.db"
    seed_users(f"sqlite:///{db}")
    with thread_server(f"sqlite:///{db}") as live:
        yield live


@pytest.fixture
def login(browser, server: Live) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """``login("alice")`` → a logged-in page in its own context (its own cookies)."""
    from playwright.sync_api import expect

    contexts = []

    def _login(user: str, viewport: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(base_url=server.base, viewport=viewport or DESKTOP, accept_downloads=True)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.goto("/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator(".topbar .who")).to_contain_text(user.title())
        return page

    yield _login
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def shot() -> Callable[[object, str], None]:
    """``shot(page, "trainee-feed")`` writes DIR/trainee-feed.png when screenshots are asked for."""
    target = os.environ.get("CRISISDRILL_SCREENSHOTS")

    def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(target) / f"{re.sub(r'[^a-z0-9-]', '-', name)}.png"))

    return _shot
