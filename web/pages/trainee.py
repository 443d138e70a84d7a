"""The trainee's side: the live feed of a drill, a thread, self-paced practice and its result."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sim import DrillError

from ..deps import StateDep
from ..live_html import live_ctx
from ..review import scored_items, transcript_for
from ..service import ServiceError, create_drill, library, participant_id
from ._common import PageUser, check_csrf, join_drill, open_drill, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/drills/{drill_id}", response_class=HTMLResponse)
async def drill_page(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id)
    if user.role in ("trainer", "admin"):
        return RedirectResponse(f"/drills/{drill.id}/console", status_code=303)
    if user.role == "manager":
        return RedirectResponse(f"/drills/{drill.id}/review", status_code=303)
    pid = participant_id(user)
    info = rt.core.participants.get(pid)
    if info is None:
        if drill.created_by == user.id:  # their own self-paced drill: join it on first open
            drill = await join_drill(state, user, drill)
            info = rt.core.participants[pid]
        else:
            return RedirectResponse("/?error=Join+the+drill+with+its+code+first", status_code=303)
    ctx = live_ctx(rt, role=user.role, participant=pid, team=info["team"], user=user)
    ctx.pop("csrf")
    return render(request, state, user, "trainee.html", **ctx)


@router.get("/drills/{drill_id}/thread/{post_id}", response_class=HTMLResponse)
async def thread(drill_id: str, post_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    _, rt = await open_drill(state, user, drill_id)
    post = rt.network.post(post_id)
    info = rt.core.participants.get(participant_id(user))
    staff = user.role != "trainee"
    if post is None or (not staff and (info is None or post.team != info["team"] or post.kind == "dm")):
        raise HTTPException(404, f"no post {post_id!r} in your feed")
    ctx = live_ctx(rt, role=user.role, participant=participant_id(user), team=post.team, user=user)
    ctx.pop("csrf")
    posts = rt.network.team(post.team).thread(post.id, include_deleted=True)
    return render(request, state, user, "thread.html", "thread", focus=post, posts=posts, **ctx)


# ------------------------------------------------------------------ self-paced practice
@router.get("/practice", response_class=HTMLResponse)
def practice_page(request: Request, state: StateDep, user: PageUser, error: str | None = None) -> Response:
    return render(request, state, user, "practice.html", scenarios=library(), error=error, pass_mark=70)


@router.post("/practice")
async def practice_start(request: Request, state: StateDep, user: PageUser,
                         scenario: Annotated[str, Form(max_length=200)],
                         csrf: Annotated[str | None, Form()] = None) -> Response:
    check_csrf(state, request, csrf)
    if user.role != "trainee":
        raise HTTPException(403, "practice drills are for trainees; trainers create drills at /drills/new")

    def make():  # type: ignore[no-untyped-def]
        with state.db.session() as s:
            return create_drill(s, user, scenario, mode="self_paced", title=None,
                                scenario_dirs=state.settings.scenario_paths)

    try:
        drill = await anyio.to_thread.run_sync(make)
    except ServiceError as exc:
        msg = str(exc)
        return await anyio.to_thread.run_sync(lambda: practice_page(request, state, user, msg))
    try:
        drill = await join_drill(state, user, drill)
    except DrillError as exc:  # pragma: no cover - a fresh drill always accepts its owner
        raise HTTPException(409, str(exc)) from exc
    return RedirectResponse(f"/drills/{drill.id}", status_code=303)


@router.get("/drills/{drill_id}/result", response_class=HTMLResponse)
async def result(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    """A trainee's own result: their score against the pass mark, and each verdict."""
    drill, rt = await open_drill(state, user, drill_id)
    pid = participant_id(user)
    info = rt.core.participants.get(pid)
    if info is None:
        raise HTTPException(404, "you did not take part in this drill")
    names = {k: v.get("name", k) for k, v in rt.core.participants.items()}
    items = scored_items(rt.records, rt.network, names, drill.pass_mark)
    tr = transcript_for(rt.records, rt.network, pid, info["team"], items)
    mine = tr["items"]
    score = round(sum(i.score for i in mine) / len(mine)) if mine else 0
    ctx = live_ctx(rt, role=user.role, participant=pid, team=info["team"], user=user)
    ctx.pop("csrf")
    show = drill.live_feedback or rt.core.status == "ended"
    return render(request, state, user, "result.html", tr=tr, score=score, passed=bool(mine) and score >= drill.pass_mark,
                  show=show, **ctx)
