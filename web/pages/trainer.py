"""The trainer's side: the scenario library with timeline previews, creating a drill, and
the live console (lobby, feeds per team, activity, heat, controls, inject deck)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scenarios import ScenarioError
from scenarios.models import Scenario
from scenarios.preview import preview_events
from sim import DrillError

from ..deps import ROLE_RANK, StateDep
from ..live_html import live_ctx
from ..models import User
from ..runtime import DrillRuntime
from ..service import ServiceError, create_drill, library
from ._common import PageUser, check_csrf, is_htmx, open_drill, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _need_trainer(user: User) -> None:
    if ROLE_RANK.get(user.role, -1) < ROLE_RANK["trainer"]:
        raise HTTPException(403, f"a {user.role} cannot do this: it needs the trainer role")


def _scenario(sid: str) -> Scenario:
    for sc in library():
        if sc.id == sid:
            return sc
    raise HTTPException(404, f"no scenario {sid!r} in the library")


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, state: StateDep, user: PageUser, q: str = "") -> Response:
    _need_trainer(user)
    needle = q.strip().lower()[:80]
    items = [sc for sc in library()
             if not needle or needle in f"{sc.id} {sc.title} {sc.summary} {' '.join(sc.tags)}".lower()]
    return render(request, state, user, "scenarios.html", "library", scenarios=items, q=q[:80])


@router.get("/scenarios/{sid}", response_class=HTMLResponse)
def scenario_page(sid: str, request: Request, state: StateDep, user: PageUser) -> Response:
    _need_trainer(user)
    sc = _scenario(sid)
    return render(request, state, user, "scenario.html", "preview", sc=sc, events=preview_events(sc, width=110))


@router.get("/drills/new", response_class=HTMLResponse)
def new_drill_page(request: Request, state: StateDep, user: PageUser, scenario: str = "") -> Response:
    _need_trainer(user)
    return render(request, state, user, "drill_new.html", scenarios=library(), chosen=scenario, form={})


@router.post("/drills/new", response_class=HTMLResponse)
def new_drill_submit(
    request: Request, state: StateDep, user: PageUser,
    scenario: Annotated[str, Form(max_length=200)],
    title: Annotated[str, Form(max_length=200)] = "",
    speed: Annotated[float, Form(ge=0.25, le=100)] = 1.0,
    mode: Annotated[str, Form(max_length=16)] = "live",
    teams: Annotated[str, Form(max_length=400)] = "main",
    live_feedback: Annotated[str | None, Form(max_length=5)] = None,
    pass_mark: Annotated[int, Form(ge=0, le=100)] = 70,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    _need_trainer(user)
    check_csrf(state, request, csrf)
    team_list = [t.strip().lower() for t in teams.replace(";", ",").split(",") if t.strip()] or ["main"]
    if mode == "self_paced":
        team_list = ["main"]
    try:
        with state.db.session() as s:
            drill = create_drill(s, user, scenario, scenario_dirs=state.settings.scenario_paths,
                                 title=title.strip() or None, teams=team_list, mode=mode,
                                 live_feedback=live_feedback is not None, speed=speed, pass_mark=pass_mark)
    except (ServiceError, ScenarioError) as exc:
        form = {"title": title, "speed": speed, "mode": mode, "teams": teams, "live_feedback": live_feedback,
                "pass_mark": pass_mark}
        return render(request, state, user, "drill_new.html", status=422, scenarios=library(), chosen=scenario,
                      form=form, error=str(exc))
    return RedirectResponse(f"/drills/{drill.id}/console", status_code=303)


def _deck(sc: Scenario) -> list[dict[str, Any]]:
    """Every scripted item a trainer can fire by id: timeline items, then branch effects."""
    out = []
    for t in sc.timeline:
        if t.id:
            out.append({"id": t.id, "at": t.at, "effect": t, "source": "timeline"})
    for b in sc.branches:
        for e in b.then:
            if e.id:
                out.append({"id": e.id, "at": None, "effect": e, "source": f"branch {b.id}"})
    return out


def _personal(rt: DrillRuntime) -> list[dict[str, Any]]:
    return [r.event.data for r in rt.records if r.event.type == "note" and r.event.data.get("kind") == "self_paced"]


@router.get("/drills/{drill_id}/console", response_class=HTMLResponse)
async def console(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    _, rt = await open_drill(state, user, drill_id, "trainer")
    ctx = live_ctx(rt, role=user.role, participant=None, team=None, user=user)
    ctx.pop("csrf")
    return render(request, state, user, "console.html", deck=_deck(rt.scenario), personas=rt.scenario.personas,
                  personal=_personal(rt), **ctx)


_CONTROL = {"start": "drill.started", "pause": "drill.paused", "resume": "drill.resumed", "speed": "drill.speed",
            "end": "drill.ended"}


@router.post("/drills/{drill_id}/control", response_class=HTMLResponse)
async def control(
    drill_id: str, request: Request, state: StateDep, user: PageUser,
    action: Annotated[str, Form(max_length=10)], speed: Annotated[float | None, Form(ge=0.25, le=100)] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Start, pause, resume, speed, end: a trainer's, or a trainee's own self-paced drill."""
    check_csrf(state, request, csrf)
    drill, rt = await open_drill(state, user, drill_id)
    owner = drill.mode == "self_paced" and drill.created_by == user.id
    if not owner:
        _need_trainer(user)
    if action not in _CONTROL or (owner and action == "speed" and ROLE_RANK[user.role] < ROLE_RANK["trainer"]):
        raise HTTPException(422, f"unknown control {action!r}: use start, pause, resume, speed or end")
    error = None
    actor = f"trainer:{user.id}" if not owner else f"owner:{user.id}"
    try:
        if action == "start" and abs(drill.initial_speed - rt.core.speed) > 1e-9:
            await rt.submit("drill.speed", {"speed": drill.initial_speed}, actor=actor)
        data: dict[str, Any] = {}
        if action == "speed":
            if speed is None:
                raise HTTPException(422, "choose a speed from 0.25× to 100×")
            data["speed"] = speed
        if action == "end":
            data["reason"] = "ended by the trainee" if owner else "ended by the trainer"
        await rt.submit(_CONTROL[action], data, actor=actor)
    except DrillError as exc:
        error = str(exc)
    if not is_htmx(request):
        target = f"/drills/{drill.id}" if owner else f"/drills/{drill.id}/console"
        return RedirectResponse(target, status_code=303)
    ctx = live_ctx(rt, role=user.role, participant=None, team=None, user=user)
    ctx.pop("csrf")
    return render(request, state, user, "partials.html", "controls", status=409 if error else 200, error=error, **ctx)


@router.post("/drills/{drill_id}/inject", response_class=HTMLResponse)
async def inject(
    drill_id: str, request: Request, state: StateDep, user: PageUser,
    item: Annotated[str, Form(max_length=60)] = "", persona: Annotated[str, Form(max_length=60)] = "",
    text: Annotated[str, Form(max_length=5000)] = "", reply_to: Annotated[str, Form(max_length=80)] = "",
    team: Annotated[str, Form(max_length=40)] = "", csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(state, request, csrf)
    drill, rt = await open_drill(state, user, drill_id, "trainer")
    data = {k: v for k, v in (("item", item), ("persona", persona), ("text", text.strip()), ("reply_to", reply_to))
            if v}
    if item:
        data = {"item": item}
    error = note = None
    if not data.get("item") and not (data.get("persona") and data.get("text")):
        error = "Choose a scripted item, or a persona and the text of a new post."
    else:
        try:
            ack = await rt.submit("trainer.inject", data, actor=f"trainer:{user.id}", team=team or None)
            what = f"scripted item {item!r}" if item else f"a post by {persona}"
            note = f"Fired {what}" + (f" for team {team}" if team else " for every team") + f" (log #{ack.seq})."
        except DrillError as exc:
            error = str(exc)
    if not is_htmx(request):
        return RedirectResponse(f"/drills/{drill.id}/console", status_code=303)
    return render(request, state, user, "console.html", "inject_status", status=409 if error else 200,
                  error=error, note=note)
