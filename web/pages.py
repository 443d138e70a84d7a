"""Server-rendered pages: log in and out, the drill list with join-by-code, a drill's feed.

Every form carries a CSRF token bound to the session; every user string is escaped by
the templates' autoescaping.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from sim import DrillError

from .auth import COOKIE, verify_password
from .deps import OptionalUser, StateDep, load_drill, token_from
from .models import Drill, User
from .service import participant_id

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _html(state: Any, request: Request, name: str, user: User | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    token = token_from(request)
    csrf = state.tokens.csrf(token) if token and user else ""
    body = state.templates.page(name, user=user, csrf=csrf, **ctx)
    return HTMLResponse(body, status_code=status, headers={"Vary": "HX-Request, Cookie"})


def _check_csrf(state: Any, request: Request, value: str | None) -> None:
    if not state.tokens.check_csrf(token_from(request), value or request.headers.get("x-csrf-token")):
        raise HTTPException(403, "the form expired or came from another site; reload the page and try again")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, state: StateDep, user: OptionalUser) -> Response:
    return _html(state, request, "login.html", None)


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request, state: StateDep,
    username: Annotated[str, Form(max_length=60)], password: Annotated[str, Form(max_length=200)],
) -> Response:
    with state.db.session() as s:
        user = s.exec(select(User).where(User.username == username)).first()
    if user is None or not verify_password(user.password_hash, password):
        return _html(state, request, "login.html", None, 401, error="Wrong username or password.", username=username)
    assert user.id is not None
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie(COOKIE, state.tokens.issue(user.id), httponly=True, samesite="lax",
                    secure=state.settings.secure_cookies, max_age=state.settings.session_max_age_s)
    return resp


@router.post("/logout")
def logout(request: Request, state: StateDep, csrf: Annotated[str | None, Form()] = None) -> Response:
    _check_csrf(state, request, csrf)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/", response_class=HTMLResponse)
def home(request: Request, state: StateDep, user: OptionalUser, error: str | None = None) -> Response:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    with state.db.session() as s:
        drills = s.exec(select(Drill).where(Drill.org_id == user.org_id).order_by(Drill.created_at.desc())).all()
    return _html(state, request, "home.html", user, drills=drills, error=error)


@router.post("/join")
async def join_submit(request: Request, state: StateDep, user: OptionalUser,
                      code: Annotated[str, Form(max_length=16)], csrf: Annotated[str | None, Form()] = None) -> Response:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    _check_csrf(state, request, csrf)

    def find() -> Drill | None:
        with state.db.session() as s:
            return s.exec(select(Drill).where(Drill.join_code == code.strip().upper(),
                                              Drill.org_id == user.org_id)).first()

    drill = await anyio.to_thread.run_sync(find)
    if drill is None:
        return await anyio.to_thread.run_sync(
            lambda: home(request, state, user, f"No drill with join code {code!r}. Check the code with your trainer."))
    rt = await state.registry.get(drill)
    pid = participant_id(user)
    if pid not in rt.core.participants:
        team = user.team if user.team in drill.teams else min(
            drill.teams, key=lambda t: (len(rt.core.teams[t].members), drill.teams.index(t)))
        try:
            await rt.submit("participant.joined", {"participant": pid, "name": user.display_name, "role": user.role},
                            actor=pid, team=team, client_id="join")
        except DrillError as exc:
            return await anyio.to_thread.run_sync(lambda: home(request, state, user, str(exc)))
    return RedirectResponse(f"/drills/{drill.id}", status_code=303)


@router.get("/drills/{drill_id}", response_class=HTMLResponse)
async def drill_page(drill_id: str, request: Request, state: StateDep, user: OptionalUser) -> Response:
    if user is None:
        return RedirectResponse("/login", status_code=303)
    drill = await anyio.to_thread.run_sync(load_drill, state, user, drill_id, "trainee")
    rt = await state.registry.get(drill)
    pid = participant_id(user)
    info = rt.core.participants.get(pid)
    staff = user.role in ("trainer", "admin", "manager")
    if info is None and not staff:
        return RedirectResponse("/?error=Join+the+drill+with+its+code+first", status_code=303)
    team = info["team"] if info else None
    posts = rt.network.team(team).feed() if team else rt.network.all_posts()[::-1]
    return _html(state, request, "drill.html", user, drill=drill, clock=rt.clock(), brand=rt.scenario.brand,
                 team=team, staff=staff and user.role != "manager", posts=posts[:200],
                 max_chars=rt.scenario.max_chars, can_act=info is not None)
