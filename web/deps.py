"""Typed dependencies: the app state, the current user, and one lookup-and-authorise
dependency per resource (404 if it is not yours to see, 403 if you may see but not act)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from .auth import COOKIE, Tokens
from .db import Database
from .models import Drill, User
from .runtime import Registry
from .settings import Settings

__all__ = ["AppState", "CurrentUser", "OptionalUser", "StateDep", "get_state", "load_drill", "ROLE_RANK"]

ROLE_RANK = {"trainee": 0, "manager": 1, "trainer": 2, "admin": 3}


@dataclass
class AppState:
    settings: Settings
    db: Database
    tokens: Tokens
    registry: Registry
    hub: Any
    templates: Any
    scorer: Any


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.crisisdrill
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def token_from(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(COOKIE)


def user_for_token(state: AppState, token: str | None) -> User | None:
    uid = state.tokens.user_id(token)
    if uid is None:
        return None
    with state.db.session() as s:
        return s.get(User, uid)


def _optional_user(request: Request, state: StateDep) -> User | None:
    return user_for_token(state, token_from(request))


def _current_user(user: Annotated[User | None, Depends(_optional_user)]) -> User:
    if user is None:
        raise HTTPException(401, "log in first: POST /api/login, or open /login in a browser",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


OptionalUser = Annotated[User | None, Depends(_optional_user)]
CurrentUser = Annotated[User, Depends(_current_user)]


def load_drill(state: AppState, user: User, drill_id: str, need: str = "trainee") -> Drill:
    """The drill if ``user`` may ``need`` it: 404 across organisations, 403 below the role."""
    with state.db.session() as s:
        drill = s.get(Drill, drill_id)
    if drill is None or drill.org_id != user.org_id:
        raise HTTPException(404, f"no drill {drill_id!r} in your organisation")
    if ROLE_RANK.get(user.role, -1) < ROLE_RANK[need]:
        raise HTTPException(403, f"a {user.role} cannot do this: it needs the {need} role")
    return drill


def session_dep(state: StateDep) -> Any:
    with state.db.session() as s:
        yield s


SessionDep = Annotated[Session, Depends(session_dep)]
