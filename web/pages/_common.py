"""What every page shares: rendering a template or one of its blocks (htmx), the signed-in
user, CSRF checks (joining a drill is :func:`web.joining.join_drill`, shared with the API)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import anyio
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import select

from ..deps import AppState, OptionalUser, load_drill, token_from
from ..joining import join_drill
from ..models import Drill, User
from ..runtime import DrillRuntime

__all__ = ["LoginRequired", "PageUser", "check_csrf", "join_drill", "open_drill", "render"]


class LoginRequired(Exception):
    """Raised by pages that need a signed-in user; answered with a redirect to /login."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def _page_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        raise LoginRequired(request.url.path)
    return user


PageUser = Annotated[User, Depends(_page_user)]


def is_htmx(request: Request) -> bool:
    h = request.headers
    return (h.get("hx-request") == "true" and h.get("hx-boosted") != "true"
            and h.get("hx-history-restore-request") != "true")


def render(request: Request, state: AppState, user: User | None, template: str, block: str | None = None,
           status: int = 200, headers: dict[str, str] | None = None, **ctx: Any) -> HTMLResponse:
    """The full page, or for an htmx request the named ``block`` of the same template."""
    token = token_from(request)
    csrf = state.tokens.csrf(token) if token and user else ""
    ctx.setdefault("csrf", csrf)
    ctx = {"user": user, "path": request.url.path, **ctx}
    if block and is_htmx(request):
        body = state.templates.block(template, block, **ctx)
    else:
        body = state.templates.page(template, **ctx)
    return HTMLResponse(body, status_code=status, headers={"Vary": "HX-Request, Cookie", **(headers or {})})


def check_csrf(state: AppState, request: Request, value: str | None) -> None:
    """Every state-changing form carries the session's CSRF token (a field, or htmx's header)."""
    if not state.tokens.check_csrf(token_from(request), value or request.headers.get("x-csrf-token")):
        raise HTTPException(403, "the form expired or came from another site; reload the page and try again")


async def open_drill(state: AppState, user: User, drill_id: str, need: str = "trainee") -> tuple[Drill, DrillRuntime]:
    drill = await anyio.to_thread.run_sync(load_drill, state, user, drill_id, need)
    return drill, await state.registry.get(drill)


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="/")


def find_user(state: AppState, username: str) -> User | None:
    with state.db.session() as s:
        return s.exec(select(User).where(User.username == username)).first()
