"""The manager's side: drills with filters, a drill's scoreboard and charts, a trainee's
transcript with overrides, every answer to the same post side by side, exports and the
printable after-action report."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sim import DrillError, build_transcript, participant_scores

from ..deps import ROLE_RANK, StateDep
from ..models import Drill
from ..review import comparison, criterion_stats, export_csv, scored_items, transcript_for
from ..runtime import DrillRuntime
from ..service import drill_index
from ._common import PageUser, check_csrf, is_htmx, open_drill, render

__all__ = ["override_verdict", "router"]

router = APIRouter(include_in_schema=False)


def _need_manager(role: str) -> None:
    if ROLE_RANK.get(role, -1) < ROLE_RANK["manager"]:
        raise HTTPException(403, f"a {role} cannot review drills: it needs the manager role")


@router.get("/review", response_class=HTMLResponse)
def review_list(request: Request, state: StateDep, user: PageUser, team: str = "", scenario: str = "",
                trainee: str = "", since: str = "", until: str = "") -> Response:
    _need_manager(user.role)
    with state.db.session() as s:
        rows = drill_index(s, user.org_id)
    all_rows = rows
    f = {"team": team.strip()[:40], "scenario": scenario.strip()[:80], "trainee": trainee.strip()[:80],
         "since": since[:10], "until": until[:10]}

    def day(v: str) -> date | None:
        try:
            return date.fromisoformat(v) if v else None
        except ValueError:
            return None

    d_from, d_to = day(f["since"]), day(f["until"])
    out = []
    for r in rows:
        d: Drill = r["drill"]
        if f["scenario"] and d.scenario_id != f["scenario"]:
            continue
        if f["team"] and f["team"] not in d.teams:
            continue
        if f["trainee"] and not any(f["trainee"].lower() in (p["name"] or "").lower() for p in r["participants"]):
            continue
        created = d.created_at.date()
        if (d_from and created < d_from) or (d_to and created > d_to):
            continue
        out.append(r)
    options = {
        "scenarios": sorted({r["drill"].scenario_id for r in all_rows}),
        "teams": sorted({t for r in all_rows for t in r["drill"].teams}),
        "trainees": sorted({p["name"] for r in all_rows for p in r["participants"] if p["name"]}),
    }
    return render(request, state, user, "review_list.html", "drills", rows=out, f=f, options=options)


def _names(rt: DrillRuntime) -> dict[str, str]:
    return {k: v.get("name", k) for k, v in rt.core.participants.items()}


def _board(drill: Drill, rt: DrillRuntime) -> tuple[list[dict[str, Any]], list[Any]]:
    items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
    board = participant_scores(rt.records, drill.pass_mark)
    for p in board:
        lat = [i.latency_s for i in items if i.participant == p["id"] and not i.missed and i.latency_s is not None]
        p["avg_latency"] = round(sum(lat) / len(lat)) if lat else None
        p["deleted"] = sum(1 for tp in rt.network.team(p["team"]).posts.values()
                           if tp.by_brand and tp.deleted and tp.author.get("participant") == p["id"])
    board.sort(key=lambda p: (-p["score"], p["name"]))
    return board, items


@router.get("/drills/{drill_id}/review", response_class=HTMLResponse)
async def scoreboard(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    board, items = _board(drill, rt)
    series: dict[str, list[tuple[float, float]]] = {}
    for i in items:
        if not i.missed and i.latency_s is not None:
            series.setdefault(i.name, []).append((i.t, float(i.latency_s)))
    return render(request, state, user, "scoreboard.html", drill=drill, rt=rt, board=board, items=items,
                  stats=criterion_stats(items), latency=series, clock=rt.clock())


@router.get("/drills/{drill_id}/review/{pid}", response_class=HTMLResponse)
async def transcript_page(drill_id: str, pid: str, request: Request, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    info = rt.core.participants.get(pid)
    if info is None:
        raise HTTPException(404, f"no trainee {pid!r} in drill {drill.id!r}")
    items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
    tr = transcript_for(rt.records, rt.network, pid, info["team"], items)
    scores = [i.score for i in tr["items"]]
    score = round(sum(scores) / len(scores)) if scores else 0
    return render(request, state, user, "transcript.html", drill=drill, rt=rt, pid=pid, info=info, tr=tr,
                  score=score, stats=criterion_stats(tr["items"]), clock=rt.clock(), lookup=rt.network.post,
                  can_override=ROLE_RANK.get(user.role, -1) >= ROLE_RANK["manager"])


async def override_verdict(rt: DrillRuntime, user_id: int | None, username: str, target_seq: int, score: int,
                           passed: bool | None, note: str) -> int:
    """Record a manager's override of one verdict as an event; returns its seq."""
    target = next((r for r in rt.records if r.seq == target_seq), None)
    if target is None or target.event.type not in ("reply.scored", "silence.scored"):
        raise HTTPException(404, f"no scored reply #{target_seq} in drill {rt.id!r}; pick a verdict from the transcript")
    if not 0 <= score <= 100:
        raise HTTPException(422, f"cannot override to {score}: choose a score from 0 to 100")
    note = note.strip()
    if not note:
        raise HTTPException(422, "say why you override the verdict: the note is part of the record")
    data = {"target_seq": target_seq, "score": score,
            "passed": bool(score >= rt.drill.pass_mark) if passed is None else passed, "note": note[:1000],
            "by": username}
    try:
        ack = await rt.submit("verdict.overridden", data, actor=f"manager:{user_id}")
    except DrillError as exc:
        raise HTTPException(409, str(exc)) from exc
    return ack.seq


@router.post("/drills/{drill_id}/overrides", response_class=HTMLResponse)
async def override(
    drill_id: str, request: Request, state: StateDep, user: PageUser,
    target_seq: Annotated[int, Form(ge=1)], score: Annotated[int, Form(ge=0, le=100)],
    note: Annotated[str, Form(max_length=1000)], passed: Annotated[str | None, Form(max_length=5)] = None,
    back: Annotated[str, Form(max_length=60)] = "", csrf: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(state, request, csrf)
    drill, rt = await open_drill(state, user, drill_id, "manager")
    verdict_pass = None if passed is None else passed in ("1", "true", "on", "yes")
    await override_verdict(rt, user.id, user.username, target_seq, score, verdict_pass, note)
    target = next(r for r in rt.records if r.seq == target_seq)
    pid = target.event.data.get("participant") or back
    if is_htmx(request) and pid in rt.core.participants:
        items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
        item = next(i for i in items if i.seq == target_seq)
        return render(request, state, user, "transcript.html", "scored", drill=drill, rt=rt, item=item,
                      lookup=rt.network.post, can_override=True, now=rt.clock()["t"],
                      saved=f"Override saved: {score}.")
    dest = f"/drills/{drill.id}/review/{pid}" if pid in rt.core.participants else f"/drills/{drill.id}/review"
    return RedirectResponse(f"{dest}#v-{target_seq}", status_code=303)


@router.get("/drills/{drill_id}/compare", response_class=HTMLResponse)
async def compare(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
    return render(request, state, user, "compare.html", drill=drill, rt=rt, groups=comparison(rt.network, items),
                  now=rt.clock()["t"])


def transcript_doc(drill: Drill, rt: DrillRuntime) -> dict[str, Any]:
    doc = build_transcript(rt.records, scenario_id=drill.scenario_id, title=drill.title, seed=drill.seed,
                           pass_mark=drill.pass_mark,
                           extra={"drill": drill.id, "teams": drill.teams, "status": rt.core.status})
    items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
    from ..review import export_rows

    doc["scored"] = export_rows(items)
    return doc


@router.get("/drills/{drill_id}/export.json")
async def export_json(drill_id: str, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    body = json.dumps(transcript_doc(drill, rt), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{drill.id}-transcript.json"'})


@router.get("/drills/{drill_id}/export.csv")
async def export_csv_page(drill_id: str, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    items = scored_items(rt.records, rt.network, _names(rt), drill.pass_mark)
    return Response(export_csv(items), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{drill.id}-scores.csv"'})


@router.get("/drills/{drill_id}/report", response_class=HTMLResponse)
async def report(drill_id: str, request: Request, state: StateDep, user: PageUser) -> Response:
    drill, rt = await open_drill(state, user, drill_id, "manager")
    board, items = _board(drill, rt)
    fired = [r.event for r in rt.records if r.event.type == "branch.fired"]
    return render(request, state, user, "report.html", drill=drill, rt=rt, board=board, items=items,
                  stats=criterion_stats(items), groups=comparison(rt.network, items), fired=fired, clock=rt.clock(),
                  overrides=[i for i in items if i.override])
