"""Accounts: log in and out, the home page for each role, joining with a code, and the
admin's user list. Every form carries the session's CSRF token."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sim import DrillError

from ..auth import COOKIE, verify_password
from ..deps import ROLE_RANK, OptionalUser, StateDep
from ..service import ROLES, ServiceError, create_user, drill_index, find_by_code, participant_id, users_of
from ._common import PageUser, check_csrf, find_user, join_drill, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    """Only same-site paths: never redirect to another host after login."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, state: StateDep, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), 303)
    return render(request, state, None, "login.html", next=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request, state: StateDep,
    username: Annotated[str, Form(max_length=60)], password: Annotated[str, Form(max_length=200)],
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    user = find_user(state, username)
    if user is None or not verify_password(user.password_hash, password):
        return render(request, state, None, "login.html", status=401, error="Wrong username or password.",
                      username=username, next=_safe_next(next))
    assert user.id is not None
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(COOKIE, state.tokens.issue(user.id), httponly=True, samesite="lax",
                    secure=state.settings.secure_cookies, max_age=state.settings.session_max_age_s)
    return resp


@router.post("/logout")
def logout(request: Request, state: StateDep, csrf: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(state, request, csrf)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/", response_class=HTMLResponse)
def home(request: Request, state: StateDep, user: PageUser, error: str | None = None) -> Response:
    with state.db.session() as s:
        rows = drill_index(s, user.org_id)
    if user.role == "trainee":
        pid = participant_id(user)
        rows = [r for r in rows if any(p["participant"] == pid for p in r["participants"])
                or r["drill"].created_by == user.id]
    return render(request, state, user, "home.html", rows=rows, error=(error or "")[:300])


@router.post("/join")
async def join_submit(request: Request, state: StateDep, user: PageUser,
                      code: Annotated[str, Form(max_length=16)], csrf: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(state, request, csrf)

    def find():  # type: ignore[no-untyped-def]
        with state.db.session() as s:
            return find_by_code(s, user.org_id, code)

    drill = await anyio.to_thread.run_sync(find)
    if drill is None:
        return await anyio.to_thread.run_sync(
            lambda: home(request, state, user, f"No drill with join code {code!r}. Check the code with your trainer."))
    if user.role != "trainee":
        return RedirectResponse(f"/drills/{drill.id}", status_code=303)
    try:
        drill = await join_drill(state, user, drill)
    except DrillError as exc:
        msg = str(exc)
        return await anyio.to_thread.run_sync(lambda: home(request, state, user, msg))
    return RedirectResponse(f"/drills/{drill.id}", status_code=303)


# ------------------------------------------------------------------ admin: users
def _need_admin(user: PageUser) -> None:
    if ROLE_RANK.get(user.role, -1) < ROLE_RANK["admin"]:
        raise HTTPException(403, f"a {user.role} cannot manage accounts: it needs the admin role")


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, state: StateDep, user: PageUser) -> Response:
    _need_admin(user)
    with state.db.session() as s:
        users = users_of(s, user.org_id)
    return render(request, state, user, "users.html", users=users, roles=ROLES)


@router.post("/admin/users", response_class=HTMLResponse)
def users_create(
    request: Request, state: StateDep, user: PageUser,
    username: Annotated[str, Form(max_length=60)], password: Annotated[str, Form(min_length=8, max_length=200)],
    role: Annotated[str, Form(max_length=16)], display_name: Annotated[str, Form(max_length=80)] = "",
    team: Annotated[str, Form(max_length=40)] = "", csrf: Annotated[str | None, Form()] = None,
) -> Response:
    _need_admin(user)
    check_csrf(state, request, csrf)
    error = note = None
    with state.db.session() as s:
        from ..models import Org

        org = s.get(Org, user.org_id)
        assert org is not None
        try:
            create_user(s, org, username, password, role, display_name or None, team or None)
            note = f"Created {username} ({role})."
        except ServiceError as exc:
            error = str(exc)
        users = users_of(s, user.org_id)
    return render(request, state, user, "users.html", status=422 if error else 200, users=users, roles=ROLES,
                  error=error, note=note)
