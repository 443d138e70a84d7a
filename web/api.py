"""The REST API (OpenAPI at /docs): log in, scenarios, create and list drills, join,
control, inject, read events and transcripts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from sim import DrillError, build_transcript

from .auth import COOKIE, verify_password
from .deps import CurrentUser, StateDep, load_drill
from .joining import join_drill
from .models import Drill, User
from .runtime import DrillRuntime
from .service import ServiceError, create_drill, drill_summary, library, participant_id
from .visibility import Viewer, visible

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(_In):
    username: str = Field(max_length=60)
    password: str = Field(max_length=200)


class LoginOut(BaseModel):
    token: str
    user: dict[str, Any]


class DrillIn(_In):
    scenario: str | None = Field(default=None, max_length=64,
                                 description="A scenario id from the library, e.g. 'bank-payday-outage'.")
    scenario_yaml: str | None = Field(default=None, max_length=256 * 1024,
                                      description="Or the text of your own scenario script (no includes).")
    title: str | None = Field(default=None, max_length=200)
    seed: int | None = Field(default=None, ge=0, le=2**31)
    teams: list[str] | None = Field(default=None, max_length=50)
    mode: Literal["live", "self_paced"] = "live"
    live_feedback: bool | None = None
    speed: float = Field(default=1.0, ge=0.25, le=100)
    pass_mark: int = Field(default=70, ge=0, le=100)


class JoinIn(_In):
    code: str = Field(max_length=16)
    team: str | None = Field(default=None, max_length=40)


class ControlIn(_In):
    action: Literal["start", "pause", "resume", "speed", "end"]
    speed: float | None = Field(default=None, ge=0.25, le=100)


class InjectIn(_In):
    item: str | None = Field(default=None, max_length=60, description="Fire a scripted item by id now.")
    persona: str | None = Field(default=None, max_length=60)
    text: str | None = Field(default=None, max_length=5000)
    reply_to: str | None = Field(default=None, max_length=80)
    team: str | None = Field(default=None, max_length=40)


class CueIn(_In):
    cue: str = Field(max_length=60)
    team: str | None = Field(default=None, max_length=40)


def user_dict(u: User) -> dict[str, Any]:
    return {"id": u.id, "username": u.username, "name": u.display_name, "role": u.role, "org": u.org_id}


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, state: StateDep, response: Response) -> dict[str, Any]:
    with state.db.session() as s:
        user = s.exec(select(User).where(User.username == body.username)).first()
    if user is None or not verify_password(user.password_hash, body.password):
        raise HTTPException(401, "wrong username or password")
    assert user.id is not None
    token = state.tokens.issue(user.id)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=state.settings.secure_cookies,
                        max_age=state.settings.session_max_age_s)
    return {"token": token, "user": user_dict(user)}


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return user_dict(user)


@router.get("/scenarios")
def scenarios(user: CurrentUser) -> list[dict[str, Any]]:
    return [
        {"id": sc.id, "title": sc.title, "summary": sc.summary, "duration_s": sc.duration, "tags": sc.tags,
         "posts": sum(1 for i in sc.timeline if i.post or i.dm), "branches": len(sc.branches)}
        for sc in library()
    ]


@router.post("/drills", status_code=201)
def new_drill(body: DrillIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    if user.role not in ("trainer", "admin"):
        raise HTTPException(403, f"a {user.role} cannot create drills: it needs the trainer role")
    with state.db.session() as s:
        try:
            drill = create_drill(s, user, body.scenario, scenario_yaml=body.scenario_yaml,
                                 scenario_dirs=state.settings.scenario_paths, title=body.title, seed=body.seed, teams=body.teams,
                                 mode=body.mode, live_feedback=body.live_feedback, speed=body.speed,
                                 pass_mark=body.pass_mark)
        except ServiceError as exc:
            raise HTTPException(422, str(exc)) from exc
    return drill_summary(drill)


@router.get("/drills")
def list_drills(user: CurrentUser, state: StateDep) -> list[dict[str, Any]]:
    with state.db.session() as s:
        drills = s.exec(select(Drill).where(Drill.org_id == user.org_id)
                        .order_by(col(Drill.created_at).desc())).all()
    out = []
    for d in drills:
        summary = drill_summary(d)
        if user.role == "trainee":
            summary.pop("join_code")
        out.append(summary)
    return out


async def _runtime(state: StateDep, user: User, drill_id: str, need: str) -> tuple[Drill, DrillRuntime]:
    drill = await anyio.to_thread.run_sync(load_drill, state, user, drill_id, need)
    return drill, await state.registry.get(drill)


@router.get("/drills/{drill_id}")
async def get_drill(drill_id: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    drill, rt = await _runtime(state, user, drill_id, "trainee")
    out = drill_summary(drill, rt.clock())
    out["participants"] = [{"id": k, **v} for k, v in rt.core.participants.items()]
    if user.role == "trainee":
        out.pop("join_code")
    return out


@router.post("/join")
async def join(body: JoinIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    def find() -> Drill | None:
        with state.db.session() as s:
            return s.exec(select(Drill).where(Drill.join_code == body.code.strip().upper(),
                                              Drill.org_id == user.org_id)).first()

    drill = await anyio.to_thread.run_sync(find)
    if drill is None:
        raise HTTPException(404, f"no drill with join code {body.code!r} in your organisation; check the code")
    try:
        drill = await join_drill(state, user, drill, body.team)
    except DrillError as exc:
        raise HTTPException(409, str(exc)) from exc
    rt = await state.registry.get(drill)
    pid = participant_id(user)
    info = rt.core.participants[pid]
    return {"drill": drill_summary(drill, rt.clock()) | {"join_code": None}, "participant": pid, "team": info["team"],
            "ws": f"/ws/drills/{drill.id}"}


@router.post("/drills/{drill_id}/control")
async def control(drill_id: str, body: ControlIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    _, rt = await _runtime(state, user, drill_id, "trainer")
    etype = {"start": "drill.started", "pause": "drill.paused", "resume": "drill.resumed", "speed": "drill.speed",
             "end": "drill.ended"}[body.action]
    data: dict[str, Any] = {}
    if body.action == "speed":
        if body.speed is None:
            raise HTTPException(422, "speed needs a value: {\"action\": \"speed\", \"speed\": 4}")
        data["speed"] = body.speed
    if body.action == "end":
        data["reason"] = "ended by the trainer"
    try:
        ack = await rt.submit(etype, data, actor=f"trainer:{user.id}")
    except DrillError as exc:
        raise HTTPException(409, str(exc)) from exc
    return {"seq": ack.seq, "clock": rt.clock()}


@router.post("/drills/{drill_id}/inject")
async def inject(drill_id: str, body: InjectIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    _, rt = await _runtime(state, user, drill_id, "trainer")
    if not body.item and not (body.persona and body.text):
        raise HTTPException(422, "give either 'item' (a scripted item id) or 'persona' and 'text'")
    data = body.model_dump(exclude_none=True, exclude={"team"})
    try:
        ack = await rt.submit("trainer.inject", data, actor=f"trainer:{user.id}", team=body.team)
    except DrillError as exc:
        raise HTTPException(409, str(exc)) from exc
    return {"seq": ack.seq, "events": list(ack.seqs)}


@router.post("/drills/{drill_id}/cue")
async def cue(drill_id: str, body: CueIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    _, rt = await _runtime(state, user, drill_id, "trainer")
    try:
        ack = await rt.submit("drill.cue", {"cue": body.cue}, actor=f"trainer:{user.id}", team=body.team)
    except DrillError as exc:
        raise HTTPException(409, str(exc)) from exc
    return {"seq": ack.seq, "events": list(ack.seqs)}


def viewer_for(user: User, rt: DrillRuntime) -> Viewer:
    pid = participant_id(user)
    info = rt.core.participants.get(pid)
    return Viewer(user.role, pid, info["team"] if info else None, rt.drill.live_feedback)


@router.get("/drills/{drill_id}/events")
async def events(
    drill_id: str, user: CurrentUser, state: StateDep,
    since: Annotated[int, Query(ge=0, description="Return events after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> dict[str, Any]:
    _, rt = await _runtime(state, user, drill_id, "trainee")
    viewer = viewer_for(user, rt)
    out = []
    for r in rt.since(since):
        d = r.to_dict()
        if visible(d, viewer):
            out.append(d)
            if len(out) >= limit:
                break
    return {"head": rt.head, "events": out}


@router.get("/drills/{drill_id}/transcript")
async def transcript(drill_id: str, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    drill, rt = await _runtime(state, user, drill_id, "manager")
    return build_transcript(
        rt.records, scenario_id=drill.scenario_id, title=drill.title, seed=drill.seed, pass_mark=drill.pass_mark,
        extra={"drill": drill.id, "teams": drill.teams, "status": rt.core.status},
    )


class OverrideIn(_In):
    target_seq: int = Field(ge=1, description="The seq of a reply.scored or silence.scored event.")
    score: int = Field(ge=0, le=100)
    passed: bool | None = Field(default=None, description="Defaults to score >= the drill's pass mark.")
    note: str = Field(min_length=1, max_length=1000, description="Why: kept in the log with your name.")


@router.post("/drills/{drill_id}/overrides", status_code=201)
async def override(drill_id: str, body: OverrideIn, user: CurrentUser, state: StateDep) -> dict[str, Any]:
    """Override one verdict (managers, trainers): a ``verdict.overridden`` event in the log."""
    from .pages.manager import override_verdict

    _, rt = await _runtime(state, user, drill_id, "manager")
    seq = await override_verdict(rt, user.id, user.username, body.target_seq, body.score, body.passed, body.note)
    return {"seq": seq}


@router.get("/drills/{drill_id}/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
async def export_scores(drill_id: str, user: CurrentUser, state: StateDep) -> Response:
    """One row per scored item (overrides applied), for spreadsheets."""
    from .review import export_csv, scored_items

    drill, rt = await _runtime(state, user, drill_id, "manager")
    names = {k: v.get("name", k) for k, v in rt.core.participants.items()}
    return Response(export_csv(scored_items(rt.records, rt.network, names, drill.pass_mark)),
                    media_type="text/csv; charset=utf-8")
