"""The browser's rendering of the live stream: one htmx out-of-band partial per event.

Two live pages share it: the trainee's feed (one team's network, notifications, DMs and
their own verdicts) and the staff console (every team's feed, the lobby, every action and
verdict, heat). :func:`live_ctx` is the context both the page and the socket render with.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .auth import COOKIE

if TYPE_CHECKING:
    from .runtime import DrillRuntime
    from .ws import Connection

__all__ = ["activity", "html_ctx", "html_frame", "live_ctx"]

log = logging.getLogger("crisisdrill.web")

ACTIVITY = ("participant.joined", "action", "reply.scored", "silence.scored", "branch.fired", "trainer.inject",
            "drill.cue", "drill.started", "drill.paused", "drill.resumed", "drill.speed", "drill.ended",
            "verdict.overridden", "heat")


def live_ctx(rt: DrillRuntime, *, role: str, participant: str | None, team: str | None, csrf: str = "",
             user: Any = None) -> dict[str, Any]:
    """Everything the live blocks of ``partials.html`` need."""
    r_staff = role in ("trainer", "admin", "manager")
    clock = rt.clock()
    ctx: dict[str, Any] = {
        "drill": rt.drill, "rt": rt, "brand": rt.scenario.brand, "max_chars": rt.scenario.max_chars,
        "clock": clock, "now": clock["t"], "me": participant, "team": team, "console": r_staff,
        "trainer": role in ("trainer", "admin"), "can_act": participant in rt.core.participants and not r_staff,
        "live_feedback": rt.drill.live_feedback, "lookup": rt.network.post, "csrf": csrf,
        "names": {k: v.get("name", k) for k, v in rt.core.participants.items()},
        "feedback": lambda: feedback_items(rt, participant, team),
        "activity_items": lambda: activity(rt),
        "heat_series": lambda: {t: rt.network.team(t).heat_history for t in rt.drill.teams},
    }
    if user is not None and rt.drill.mode == "self_paced" and rt.drill.created_by == getattr(user, "id", None):
        ctx["owner"] = True
    return ctx


def html_ctx(conn: Connection) -> dict[str, Any]:
    """The live context for one socket (``Connection.html_ctx`` delegates here)."""
    v = conn.viewer
    token = conn.ws.query_params.get("token") or conn.ws.cookies.get(COOKIE)
    csrf = conn.state.tokens.csrf(token) if token else ""
    ctx = live_ctx(conn.rt, role=conn.user.role, participant=v.participant, team=v.team, csrf=csrf, user=conn.user)
    ctx["snapshot"] = lambda: snapshot(conn.state.templates, ctx)
    return ctx


def team_posts(ctx: dict[str, Any], team: str, limit: int = 200) -> list[Any]:
    return list(ctx["rt"].network.team(team).feed(include_deleted=True)[:limit])


def snapshot(r: Any, ctx: dict[str, Any]) -> Markup:
    """Every live region of the page, out of band: a reconnect repaints the page from the log."""
    rt = ctx["rt"]
    out = [r.partial("clock", **ctx, oob=True), r.partial("status_banner", **ctx, oob=True)]
    if ctx["console"]:
        for team in rt.drill.teams:
            out.append(r.partial("team_feed", **ctx, feed_team=team, oob=True))
        out += [r.partial("lobby", **ctx, oob=True), r.partial("heat", **ctx, oob=True),
                r.partial("activity_list", **ctx, oob=True)]
        if ctx["trainer"]:
            out.append(r.partial("controls", **ctx, oob=True))
    elif ctx["team"]:
        out += [r.partial("team_feed", **ctx, feed_team=ctx["team"], oob=True),
                r.partial("notifications", **ctx, oob=True), r.partial("dms", **ctx, oob=True),
                r.partial("feedback_list", **ctx, oob=True)]
        if ctx.get("owner"):
            out.append(r.partial("controls", **ctx, oob=True))
    return Markup("".join(out))


def activity(rt: DrillRuntime, limit: int = 150) -> list[dict[str, Any]]:
    """The console's activity stream, newest first."""
    out = []
    for rec in reversed(rt.records):
        if rec.event.type in ACTIVITY:
            out.append(entry(rt, rec.seq, rec.event.to_dict()))
            if len(out) >= limit:
                break
    return out


def entry(rt: DrillRuntime, seq: int, ev: dict[str, Any]) -> dict[str, Any]:
    d = ev.get("data") or {}
    names = {k: v.get("name", k) for k, v in rt.core.participants.items()}
    pid = d.get("participant") or ev.get("actor")
    e: dict[str, Any] = {"seq": seq, "t": ev.get("t", 0.0), "type": ev["type"], "team": ev.get("team"),
                         "who": names.get(pid or "", ""), "data": d, "post": None, "target": None}
    if d.get("target"):
        e["target"] = rt.network.post(d["target"])
    if d.get("post_id"):
        e["post"] = rt.network.post(d["post_id"])
    return e


def html_frame(conn: Connection, ev: dict[str, Any]) -> str | None:
    """The htmx out-of-band partial for one event, or None if the page shows nothing for it.

    A rendering bug must never take the socket down: it is logged and the event skipped
    (the next reconnect's snapshot repaints the page from the log)."""
    try:
        return _frame(conn, ev)
    except Exception:
        log.exception("cannot render event #%s (%s) as HTML", ev.get("seq"), ev.get("type"))
        return None


def _frame(conn: Connection, ev: dict[str, Any]) -> str | None:
    r = conn.state.templates
    rt = conn.rt
    ctx = conn.html_ctx()
    console = ctx["console"]
    etype = ev["type"]
    data = ev["data"]
    out: list[str] = []
    if console and etype in ACTIVITY:
        out.append(r.partial("activity_item", **ctx, a=entry(rt, ev["seq"], ev), oob=True))
    if etype == "post.created":
        post = rt.network.post(data["post"]["id"])
        if post is None:
            return "".join(out) or None
        if post.kind == "dm":
            if console:
                out.append(r.oob_post_new(post, ctx, f"#feed-{post.team}"))
            else:
                out.append(r.partial("dms", **ctx, oob=True))
                if not post.by_brand:
                    out.append(r.partial("notification_new", **ctx, post=post))
        else:
            out.append(r.oob_post_new(post, ctx, f"#feed-{post.team}"))
            parent = rt.network.post(post.reply_to or post.quote_of or "")
            if parent is not None:
                out.append(r.oob_counts(parent, ctx))
            if not console and _notifies(post, parent, rt.scenario.brand.handle):
                out.append(r.partial("notification_new", **ctx, post=post))
    elif etype == "engagement":
        posts = [rt.network.post(pid) for pid in data["counts"]]
        out += [r.oob_counts(p, ctx) for p in posts if p is not None]
    elif etype == "action" and data["action"] in ("like", "hide", "delete", "report"):
        post = rt.network.post(data["target"])
        if post is not None:
            out.append(r.oob_post_replace(post, ctx))
    elif etype in ("reply.scored", "silence.scored"):
        post = rt.network.post(data.get("post_id") or data.get("target") or "")
        if post is not None and post.kind != "dm":
            out.append(r.oob_post_replace(post, ctx))
        if not console:
            out.append(r.partial("verdict_new", **ctx, item=_feedback_item(rt, ev["seq"], ev)))
    elif etype == "participant.joined" and console:
        out.append(r.partial("lobby", **ctx, oob=True))
    elif etype == "heat" and console:
        out.append(r.partial("heat", **ctx, oob=True))
    elif etype.startswith("drill."):
        out += [r.oob_clock(rt.clock()), r.partial("status_banner", **ctx, oob=True)]
        if ctx["trainer"] or ctx.get("owner"):
            out.append(r.partial("controls", **ctx, oob=True))
    return "".join(out) or None


def _notifies(post: Any, parent: Any, handle: str) -> bool:
    if post.by_brand:
        return False
    return handle.lower() in post.text.lower() or (parent is not None and parent.by_brand)


def _feedback_item(rt: DrillRuntime, seq: int, ev: dict[str, Any]) -> dict[str, Any]:
    d = ev["data"]
    return {"seq": seq, "type": ev["type"], "t": ev.get("t", 0.0), "verdict": d.get("verdict") or {},
            "target_post": rt.network.post(d.get("target") or ""),
            "reply_post": rt.network.post(d.get("post_id") or "") if d.get("post_id") else None,
            "latency_s": d.get("latency_s", d.get("waited_s")), "action": d.get("action")}


def feedback_items(rt: DrillRuntime, participant: str | None, team: str | None) -> list[dict[str, Any]]:
    """A trainee's earlier verdicts (when the drill shows live feedback), newest first."""
    if not rt.drill.live_feedback:
        return []
    out = []
    for rec in reversed(rt.records):
        e = rec.event
        if e.type == "reply.scored" and e.data.get("participant") == participant or (
                e.type == "silence.scored" and e.team == team):
            out.append(_feedback_item(rt, rec.seq, rec.to_dict()))
            if len(out) >= 30:
                break
    return out
