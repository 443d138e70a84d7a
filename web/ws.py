"""The websocket protocol (``docs/protocol.md``): one socket per participant.

Server frames are JSON objects with ``type`` and ``seq``. On connect the server sends
``hello``, replays every visible event after ``since``, sends ``replay.done`` and goes
live. Client frames are actions with a client-chosen ``id``; each is acknowledged after
commit, once, however often it is resent. A bad frame gets an ``error`` frame and the
socket stays open. A socket that cannot keep up is closed (4408) and resumes with since.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

import anyio
from fastapi import APIRouter, HTTPException, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from sim import DrillError

from .auth import COOKIE
from .deps import AppState, load_drill, user_for_token
from .frames import encode as encode_event
from .live_html import html_ctx as live_html_ctx
from .live_html import html_frame
from .models import User
from .ratelimit import Bucket, account_limits
from .runtime import DrillRuntime
from .service import participant_id
from .visibility import Viewer, visible

__all__ = ["TRAINEE_ACTIONS", "TRAINER_ACTIONS", "router"]

router = APIRouter()
log = logging.getLogger("crisisdrill.ws")

TRAINEE_ACTIONS = ("reply", "quote", "dm", "repost", "like", "hide", "delete", "report")
TRAINER_ACTIONS = ("start", "pause", "resume", "speed", "end", "inject", "cue")
_CONTROL = {"start": "drill.started", "pause": "drill.paused", "resume": "drill.resumed",
            "speed": "drill.speed", "end": "drill.ended"}
CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_TOO_SLOW = 4401, 4403, 4404, 4408


class FrameError(Exception):
    def __init__(self, code: str, msg: str) -> None:
        self.code = code
        self.msg = msg
        super().__init__(msg)


class Connection:
    def __init__(self, ws: WebSocket, rt: DrillRuntime, user: User, viewer: Viewer, state: AppState,
                 fmt: str = "json") -> None:
        self.ws = ws
        self.fmt = fmt
        self.rt = rt
        self.user = user
        self.viewer = viewer
        self.state = state
        self.sent_seq = 0
        self._send_lock = asyncio.Lock()
        self.bucket = Bucket(state.settings.actions_per_minute)

    async def send(self, frame: dict[str, Any] | str) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame, separators=(",", ":"))
        async with self._send_lock:
            await self.ws.send_text(text)

    async def error(self, code: str, msg: str, ref: Any = None) -> None:
        if self.fmt == "html":
            await self.send(self.state.templates.oob_toast(msg))
            return
        await self.send({"type": "error", "seq": self.sent_seq, "code": code, "msg": msg, "ref": ref})

    async def send_event(self, ev: dict[str, Any]) -> None:
        if ev["seq"] <= self.sent_seq:
            return  # already delivered during replay: nothing doubled
        self.sent_seq = ev["seq"]
        if visible(ev, self.viewer):
            if self.fmt == "html":
                html = html_frame(self, ev)
                if html:
                    await self.send(html)
            else:
                await self.send(encode_event(ev))  # one json.dumps per event, not per socket

    def html_ctx(self) -> dict[str, Any]:
        return live_html_ctx(self)  # the page's live context (web/live_html.py)

    # ------------------------------------------------------------ inbound
    async def handle(self, raw: Mapping[str, Any]) -> None:
        if raw.get("bytes") is not None and raw.get("text") is None:
            raise FrameError("bad_frame", "binary frames are not supported: send JSON text")
        text = raw.get("text")
        if text is None:
            raise FrameError("bad_frame", "empty frame: send a JSON object with a 'type'")
        if len(text.encode("utf-8", "surrogatepass")) > self.state.settings.ws_max_frame_bytes:
            raise FrameError("too_large",
                             f"frame of {len(text)} characters is over the {self.state.settings.ws_max_frame_bytes}"
                             " byte limit; send shorter text")
        try:
            frame = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FrameError("bad_json",
                             f"frame is not valid JSON: {exc.msg} at character {exc.pos}") from None
        except ValueError as exc:  # valid JSON Python won't read: an integer over its 4,300-digit limit
            raise FrameError("bad_json", f"frame could not be read: {exc}; send numbers as short values") from None
        if not isinstance(frame, dict):
            raise FrameError("bad_frame", "a frame must be a JSON object with a 'type'")
        ftype = frame.get("type")
        ref = frame.get("id")
        try:
            await self._dispatch(ftype, frame)
        except FrameError as exc:
            await self.error(exc.code, exc.msg, ref)
        except DrillError as exc:
            await self.error(exc.code, str(exc), ref)

    async def _dispatch(self, ftype: Any, frame: dict[str, Any]) -> None:
        if ftype == "ping":
            await self.send({"type": "pong", "seq": self.rt.head, "clock": self.rt.clock()})
            return
        if ftype == "clock":
            await self.send({"type": "clock", "seq": self.rt.head, **self.rt.clock()})
            return
        if ftype not in TRAINEE_ACTIONS and ftype not in TRAINER_ACTIONS:
            known = ", ".join(("ping", "clock") + TRAINEE_ACTIONS + TRAINER_ACTIONS)
            raise FrameError("unknown_type", f"unknown frame type {ftype!r}; known types: {known}")
        cid = frame.get("id")
        if not isinstance(cid, str) or not 1 <= len(cid) <= 80:
            raise FrameError("missing_id", f"a {ftype!r} frame needs an 'id': a string of 1-80 characters you choose")
        if not self.bucket.take():
            raise FrameError("rate_limited", "too many actions: slow down and resend this frame in a few seconds")
        limits = account_limits(self.ws.app.state, self.state.settings.account_actions_per_minute)
        if not limits.take(self.user.id):
            raise FrameError("rate_limited", "too many actions from your account across all its connections: "
                             "slow down and resend this frame in a few seconds")
        if ftype in TRAINER_ACTIONS:
            if not self.viewer.staff or self.user.role == "manager":
                raise FrameError("forbidden", f"only a trainer can {ftype} the drill")
            ack = await self._trainer(ftype, frame, cid)
        else:
            if self.viewer.participant not in self.rt.core.participants:
                raise FrameError("not_joined", "join the drill first: POST /api/join with its code")
            target = frame.get("target")
            if not isinstance(target, str):
                raise FrameError("invalid", f"a {ftype!r} frame needs 'target': the id of a post")
            data: dict[str, Any] = {"action": ftype, "target": target}
            text = frame.get("text")
            if text is not None:
                if not isinstance(text, str):
                    raise FrameError("invalid", "'text' must be a string")
                data["text"] = text
            ack = await self.rt.submit("action", data, actor=self.viewer.participant or "", client_id=cid)
        if self.fmt == "json":
            await self.send(ack.frame())

    async def _trainer(self, ftype: str, frame: dict[str, Any], cid: str) -> Any:
        actor = f"trainer:{self.user.id}"
        team = frame.get("team") if isinstance(frame.get("team"), str) else None
        if ftype in _CONTROL:
            data: dict[str, Any] = {}
            if ftype == "speed":
                data["speed"] = frame.get("speed")
            if ftype == "end":
                data["reason"] = "ended by the trainer"
            return await self.rt.submit(_CONTROL[ftype], data, actor=actor, client_id=cid)
        if ftype == "cue":
            return await self.rt.submit("drill.cue", {"cue": frame.get("cue")}, actor=actor, team=team, client_id=cid)
        data = {k: frame[k] for k in ("item", "persona", "text", "reply_to") if isinstance(frame.get(k), str)}
        if not data.get("item") and not (data.get("persona") and data.get("text")):
            raise FrameError("invalid", "inject needs 'item' (a scripted id) or 'persona' and 'text'")
        return await self.rt.submit("trainer.inject", data, actor=actor, team=team, client_id=cid)


async def _authenticate(ws: WebSocket, state: AppState) -> User | None:
    token = ws.query_params.get("token") or ws.cookies.get(COOKIE)
    auth = ws.headers.get("authorization", "")
    if not token and auth.lower().startswith("bearer "):
        token = auth[7:].strip()
    return await anyio.to_thread.run_sync(user_for_token, state, token)


@router.websocket("/ws/drills/{drill_id}")
async def drill_socket(ws: WebSocket, drill_id: str) -> None:
    state: AppState = ws.app.state.crisisdrill
    user = await _authenticate(ws, state)
    if user is None:
        await ws.close(CLOSE_UNAUTHORIZED, "log in first")
        return
    try:
        drill = await anyio.to_thread.run_sync(load_drill, state, user, drill_id, "trainee")
    except HTTPException as exc:
        await ws.close(CLOSE_NOT_FOUND if exc.status_code == 404 else CLOSE_FORBIDDEN, str(exc.detail)[:120])
        return
    try:
        since = int(ws.query_params.get("since", "0"))
    except ValueError:
        since = -1
    rt = await state.registry.get(drill)
    # keep no per-socket copy of the drill row: it holds the parsed scenario (~100 KB a socket)
    drill_id, scenario_id, live_feedback = drill.id, drill.scenario_id, drill.live_feedback
    del drill
    await rt.sync()  # on a worker that does not own the drill: anything committed that the hub has not brought yet
    pid = participant_id(user)
    info = rt.core.participants.get(pid)
    viewer = Viewer(user.role, pid, info["team"] if info else None, live_feedback)
    if not viewer.staff and info is None:
        await ws.close(CLOSE_FORBIDDEN, "join the drill first: POST /api/join with its code")
        return
    await ws.accept()
    fmt = "html" if ws.query_params.get("format") == "html" else "json"
    conn = Connection(ws, rt, user, viewer, state, fmt)
    if since < 0:
        await conn.error("invalid", "'since' must be a whole number of 0 or more; replaying from 0")
        since = 0
    # this process's stream of the drill (owner or follower alike): events arrive only once the
    # runtime holds them, so replaying rt.records first and then the stream misses nothing
    async with rt.subscribe(state.settings.ws_queue_size) as sub:
        await conn.send({"type": "hello", "seq": rt.head, "drill": drill_id, "scenario": scenario_id,
                         "you": {"participant": pid if info else None, "team": viewer.team, "role": user.role,
                                 "name": user.display_name},
                         "brand": rt.scenario.brand.model_dump(), "max_chars": rt.scenario.max_chars,
                         "clock": rt.clock()})
        if fmt == "html":  # a browser gets a fresh snapshot on every (re)connect: idempotent
            conn.sent_seq = rt.head
            posts = rt.network.team(viewer.team).feed() if viewer.team else rt.network.all_posts()[::-1]
            await conn.send(state.templates.oob_feed(posts[:200], conn.html_ctx()))
            await conn.send(state.templates.oob_clock(rt.clock()))
        else:
            conn.sent_seq = since
            for r in rt.since(since):
                await conn.send_event(r.to_dict())
            conn.sent_seq = max(conn.sent_seq, since)
            await conn.send({"type": "replay.done", "seq": conn.sent_seq, "clock": rt.clock()})
        pump = asyncio.create_task(_pump(conn, sub))
        try:
            while True:
                raw = await ws.receive()
                if raw["type"] == "websocket.disconnect":
                    break
                try:
                    await conn.handle(raw)
                except FrameError as exc:
                    await conn.error(exc.code, exc.msg)
                if pump.done():
                    break
        except WebSocketDisconnect:
            pass
        finally:
            pump.cancel()
            try:
                await pump
            except (asyncio.CancelledError, WebSocketDisconnect):
                pass
            except Exception:  # a send to a closed socket is expected; anything else is a bug worth a trace
                log.exception("socket pump of drill %s ended with an error", drill_id)
            if ws.client_state == WebSocketState.CONNECTED and sub.overflowed.is_set():
                try:
                    await ws.close(CLOSE_TOO_SLOW, "too slow: reconnect with since=<last seq>")
                except RuntimeError:
                    pass


async def _pump(conn: Connection, sub: Any) -> None:
    """Drain this socket's bounded queue; never blocks the publisher. No task per frame: the
    overflow watch cancels the drain, even one stuck sending to a client that stopped reading."""

    async def drain() -> None:
        while True:
            await conn.send_event(await sub.queue.get())

    drainer = asyncio.create_task(drain())
    overflow = asyncio.create_task(sub.overflowed.wait())
    try:
        await asyncio.wait({drainer, overflow}, return_when=asyncio.FIRST_COMPLETED)
        if overflow.done():
            drainer.cancel()
            await conn.ws.close(CLOSE_TOO_SLOW, "too slow: reconnect with since=<last seq>")
        else:
            drainer.result()  # a send failed: let the caller see it
    finally:
        drainer.cancel()
        overflow.cancel()

