"""A live drill in this process: its core and driver, the log in memory, the network
projection, idempotent acknowledgements, persistence and fan-out.

A drill has one **owner** at a time, the worker holding its lease (:mod:`web.lease`): only
the owner runs the scheduler and writes to the log. Every other worker that serves the drill
is a **follower**: it mirrors the log into an identical core (:mod:`web.mirror`) from the hub,
filling any gap from the database, and forwards inputs to the owner through the hub, answering
only once the owner has committed. If the owner dies, a follower takes the lease and carries
on from where the log and the lease's clock stood (docs/design.md, "Scale-out").

Every write goes through :meth:`DrillRuntime._sink`: commit to the database first, then
update memory, fan out to this process's sockets and publish to the other workers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from fake_network import Network
from scenarios.models import Scenario
from sim import DrillCore, DrillDriver, DrillError, Event, LoggedEvent, replay

from .hub import HubError, NoOwner, Subscription
from .mirror import LogMirror
from .models import Drill

if TYPE_CHECKING:
    from .lease import Claim
    from .registry import Registry

__all__ = ["Ack", "DrillRuntime", "Registry", "db_call"]

log = logging.getLogger("crisisdrill.runtime")
T = TypeVar("T")

FOLLOW_QUEUE = 10_000  # events a follower may fall behind the hub before it reloads from the database
FORWARD_TIMEOUT_S = 3.0  # one attempt to reach the owner
_CLOCK_EVENTS = ("drill.started", "drill.paused", "drill.resumed", "drill.speed", "drill.ended")


async def db_call(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking database call in a worker thread. A cancelled caller still waits for it to
    finish: a write is never left half-way in the background, nor a connection out of the pool."""
    call = asyncio.ensure_future(anyio.to_thread.run_sync(fn, *args))
    try:
        return await asyncio.shield(call)
    except asyncio.CancelledError:
        await asyncio.wait({call})
        raise


@dataclass(frozen=True, slots=True)
class Ack:
    seq: int  # seq of the input event
    client_id: str | None
    seqs: tuple[int, ...]  # every seq the input produced
    duplicate: bool = False
    post_id: str | None = None

    def frame(self) -> dict[str, Any]:
        f: dict[str, Any] = {"type": "ack", "seq": self.seq, "id": self.client_id, "events": list(self.seqs)}
        if self.duplicate:
            f["duplicate"] = True
        if self.post_id:
            f["post_id"] = self.post_id
        return f

    @classmethod
    def from_frame(cls, f: dict[str, Any]) -> Ack:
        return cls(int(f["seq"]), f.get("id"), tuple(f.get("events", ())), bool(f.get("duplicate")), f.get("post_id"))


class DrillRuntime:
    def __init__(self, drill: Drill, registry: Registry) -> None:
        self.drill = drill
        self.id = drill.id
        self.scenario = Scenario.model_validate(drill.scenario)
        self.registry = registry
        self.store = registry.store
        self.hub = registry.hub
        self.scorer = registry.scorer
        self.role = "follower"  # owner | follower
        self.stale = False  # memory may be ahead of the log (a failed write): rebuild before going on
        self.valid_until = 0.0  # monotonic time until which our lease surely holds (owner)
        self._local: set[Subscription] = set()
        self._state = asyncio.Lock()  # role changes, rebuilds, applying the log, local submits
        self._follow_task: asyncio.Task[None] | None = None
        self._serving: AsyncExitStack | None = None
        self._reset()

    def _reset(self) -> None:
        self.core = DrillCore(self.scenario, self.drill.seed, self.drill.teams, self.scorer)
        self.records: list[LoggedEvent] = []
        self.network = Network()
        self.acks: dict[tuple[str, str], Ack] = {}
        self.driver = DrillDriver(self.core, self._sink)
        self.mirror = LogMirror(self.core)
        self._last: list[LoggedEvent] = []

    @property
    def head(self) -> int:
        return self.records[-1].seq if self.records else 0

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    # ------------------------------------------------------------ loading
    async def load(self) -> None:
        """Rebuild from the log (start or restart), then own the drill or follow its owner."""
        started = time.monotonic()
        claim = await self.registry.acquire(self.id)
        await self._rebuild()
        if claim.ours:
            await self._own(claim, started)
        else:
            self.hint_clock(claim.drill_t)
            await self._follow_start()

    async def _rebuild(self) -> None:
        """Fresh core from the whole log; events this process had not shown yet are fanned out."""
        old_head = self.head
        records = await db_call(self.store.load, self.id, 0)
        self._reset()
        replay(self.core, [r.event for r in records])
        for r in records:
            self._remember(r)
        self._fanout([r for r in records if r.seq > old_head])
        self.driver._anchor_drill = self.core.now  # the clock continues from where it stood
        self.stale = False

    def _remember(self, r: LoggedEvent) -> None:
        self.records.append(r)
        self.network.apply(r.seq, r.event)
        e = r.event
        if e.client_id and e.actor:  # every logged action's id stays acknowledged: a resend is a no-op
            self.acks.setdefault((e.actor, e.client_id), Ack(r.seq, e.client_id, (r.seq,), False,
                                                              e.data.get("post_id")))

    def _fanout(self, records: list[LoggedEvent], frames: list[dict[str, Any]] | None = None) -> None:
        if not records or not self._local:
            return
        if frames is None:
            frames = [r.to_dict() for r in records]
        for sub in tuple(self._local):
            for f in frames:
                sub.offer(f)

    @asynccontextmanager
    async def subscribe(self, maxsize: int = 512) -> AsyncIterator[Subscription]:
        """This process's live stream of the drill's committed events (always unsubscribes)."""
        sub = Subscription(maxsize)
        self._local.add(sub)
        try:
            yield sub
        finally:
            self._local.discard(sub)

    # ------------------------------------------------------------ owning
    async def _own(self, claim: Claim, started: float) -> None:
        anchor = max(self.core.now, claim.drill_t)  # neither jump nor repeat
        if time.monotonic() - started > self.registry.ttl / 4:  # loading took a while: renew before writing
            started = time.monotonic()
            if self.id in await db_call(self.registry.leases.renew, {self.id: anchor}):
                await self._follow_start(wait=False)
                return
        self.driver._anchor_drill = anchor
        self.driver._anchor_wall = self.driver.clock()
        self.valid_until = started + self.registry.ttl * 0.9
        self.role = "owner"
        self._serving = AsyncExitStack()
        await self._serving.enter_async_context(self.hub.serve(self.id, self._serve))
        self.driver.start()
        log.info("drill %s: this worker owns the scheduler from t=%.3f", self.id, self.driver._anchor_drill)

    async def promote(self, claim: Claim, started: float) -> None:
        """We took the lease: catch up with the log, then run the scheduler."""
        async with self._state:
            if self.role == "owner":
                return
            await self._follow_stop()
            records = await db_call(self.store.load, self.id, self.head)
            try:
                self._absorb(records)
            except DrillError:
                await self._rebuild()
            if self.stale or not self.mirror.settled:
                await self._rebuild()
            await self._own(claim, started)

    async def demote(self, why: str) -> None:
        """We lost the lease (or wrote on a stale view): stop writing, rebuild from the log, follow."""
        async with self._state:
            await self._demote(why)

    async def _demote(self, why: str) -> None:
        log.warning("drill %s: this worker stops running the scheduler: %s", self.id, why)
        was_owner = self.role == "owner"
        self.role = "follower"
        await self._stop_driver()
        if self._serving is not None:
            await self._serving.aclose()
            self._serving = None
        if was_owner or self.stale:
            try:
                await self._rebuild()
            except Exception:
                log.exception("drill %s: cannot reload the log", self.id)
                self.stale = True
        await self._follow_start(wait=False)  # it takes _state, which our caller holds

    async def _stop_driver(self) -> None:
        try:
            await self.driver.stop()
        except Exception:
            pass

    async def _sink(self, batch: list[Event]) -> None:
        if self.role != "owner" or time.monotonic() > self.valid_until:
            self._go_stale("the lease was not renewed in time")
            raise DrillError(f"cannot record in drill {self.id!r}: this worker's lease on it has lapsed; "
                             "resend with the same id", "moved")
        try:
            logged = await self.store.write(self.id, self.head + 1, batch)  # group commit (bench/README.md)
        except Exception as exc:
            self._go_stale(f"a write failed: {exc}")
            raise DrillError(f"cannot record in drill {self.id!r}: {exc}; resend with the same id", "moved") from exc
        for r in logged:
            self._remember(r)
        self._last = logged
        frames = [r.to_dict() for r in logged]  # one dict per event, shared by every local socket and the hub
        self._fanout(logged, frames)
        try:
            await self.hub.publish(self.id, frames)
        except HubError as exc:  # followers fill the gap from the database
            log.warning("drill %s: %s", self.id, exc)

    def _go_stale(self, why: str) -> None:
        """The core has applied what the log does not hold: stop and rebuild (off this call stack)."""
        if self.stale:
            return
        self.stale = True
        task = asyncio.get_running_loop().create_task(self.demote(why))
        self.registry.track(task)

    # ------------------------------------------------------------ inputs
    async def submit(
        self, ev_type: str, data: dict[str, Any], *, actor: str, team: str | None = None,
        client_id: str | None = None,
    ) -> Ack:
        """Apply one input; returns its acknowledgement once committed (or the earlier one).

        On the owner it is applied here; anywhere else it goes to the owner through the hub,
        and waits out a takeover (resending is safe for inputs with a client id).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.registry.ttl * 2 + FORWARD_TIMEOUT_S
        while True:
            if self.role == "owner" and not self.stale:
                try:
                    return await self._submit_local(ev_type, data, actor=actor, team=team, client_id=client_id)
                except DrillError as exc:
                    if exc.code != "moved" or (client_id is None and exc.__cause__ is not None):
                        raise
            else:
                seen = self.acks.get((actor, client_id)) if client_id is not None else None
                if seen is not None:
                    return Ack(seen.seq, client_id, seen.seqs, True, seen.post_id)
                body = {"type": ev_type, "data": data, "actor": actor, "team": team, "client_id": client_id}
                try:
                    reply = await self.hub.request(self.id, body, FORWARD_TIMEOUT_S)
                except NoOwner:
                    if await self.registry.claim(self):
                        continue
                except HubError as exc:
                    if client_id is None:  # it may have been recorded: only the caller can tell
                        raise DrillError(f"cannot confirm {ev_type!r} in drill {self.id!r}: {exc}; check the "
                                         "drill's log before trying again", "unavailable") from None
                else:
                    if reply.get("ok"):
                        ack = Ack.from_frame(reply["ack"])
                        await self.sync()  # read your own write: the caller may look at the core next
                        return ack
                    if reply.get("code") != "moved":
                        raise DrillError(str(reply.get("msg")), str(reply.get("code", "refused")))
            if loop.time() > deadline:
                raise DrillError(f"cannot apply {ev_type!r} to drill {self.id!r}: no worker runs its scheduler "
                                 "right now (one is taking over); resend with the same id in a few seconds",
                                 "unavailable")
            await asyncio.sleep(0.1)

    async def _submit_local(self, ev_type: str, data: dict[str, Any], *, actor: str, team: str | None,
                            client_id: str | None) -> Ack:
        async with self._state:
            if self.role != "owner" or self.stale:
                raise DrillError(f"drill {self.id!r} is moving to another worker", "moved")
            if client_id is not None:
                seen = self.acks.get((actor, client_id))
                if seen is not None:
                    return Ack(seen.seq, client_id, seen.seqs, True, seen.post_id)
            self._last = []
            out = await self.driver.submit(ev_type, data, team=team, actor=actor, client_id=client_id)
            logged = self._last if out else []
            if not logged:
                return Ack(self.head, client_id, ())
            first = logged[0]
            ack = Ack(first.seq, client_id, tuple(r.seq for r in logged), False, first.event.data.get("post_id"))
            if client_id is not None:
                self.acks[(actor, client_id)] = ack
            return ack

    async def _serve(self, body: dict[str, Any]) -> dict[str, Any]:
        """An input forwarded by another worker: apply it, answer after the commit."""
        try:
            ack = await self._submit_local(body["type"], dict(body.get("data") or {}), actor=body["actor"],
                                           team=body.get("team"), client_id=body.get("client_id"))
        except DrillError as exc:
            return {"ok": False, "code": exc.code, "msg": str(exc)}
        return {"ok": True, "ack": ack.frame()}

    # ------------------------------------------------------------ following
    async def _follow_start(self, wait: bool = True) -> None:
        """Start mirroring; ``wait`` until subscribed and caught up (never while holding ``_state``)."""
        if self._follow_task is None or self._follow_task.done():
            ready = asyncio.Event()
            self._follow_task = asyncio.create_task(self._follow(ready), name=f"follow-{self.id}")
            if not wait:
                return
            waiter = asyncio.ensure_future(ready.wait())
            await asyncio.wait({waiter, self._follow_task}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()

    async def _follow_stop(self) -> None:
        task, self._follow_task = self._follow_task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    async def _follow(self, ready: asyncio.Event) -> None:
        """Mirror the owner's log from the hub; a lost message or an overflow reloads from the database."""
        while True:
            try:
                async with self.hub.subscribe(self.id, FOLLOW_QUEUE) as sub:
                    await self.sync()
                    ready.set()
                    while not sub.overflowed.is_set():
                        get = asyncio.ensure_future(sub.queue.get())
                        over = asyncio.ensure_future(sub.overflowed.wait())
                        try:
                            done, _ = await asyncio.wait({get, over}, return_when=asyncio.FIRST_COMPLETED)
                        finally:
                            get.cancel()
                            over.cancel()
                        if get not in done:
                            break
                        frames = [get.result()]
                        while not sub.queue.empty():
                            frames.append(sub.queue.get_nowait())
                        await self._take([LoggedEvent(f["seq"], Event.from_dict(f), f.get("wall")) for f in frames])
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("drill %s: following the owner failed; retrying", self.id)
                ready.set()
                await asyncio.sleep(0.5)

    async def _take(self, records: list[LoggedEvent]) -> None:
        async with self._state:
            if self.role == "owner":
                return
            fresh = [r for r in records if r.seq > self.head]
            if fresh and fresh[0].seq != self.head + 1:  # a message was lost: read the gap from the database
                fresh = await db_call(self.store.load, self.id, self.head)
            self._absorb_or_rebuild_later(fresh)

    async def sync(self) -> None:
        """Follower: take in everything committed so far (one indexed read of the log)."""
        if self.role == "owner":
            return
        records = await db_call(self.store.load, self.id, self.head)
        async with self._state:
            if self.role != "owner":
                self._absorb_or_rebuild_later(records)

    def _absorb_or_rebuild_later(self, records: list[LoggedEvent]) -> None:
        try:
            self._absorb(records)
        except DrillError as exc:
            log.error("drill %s: %s", self.id, exc)
            self.stale = True  # the keeper rebuilds it from the database

    def _absorb(self, records: list[LoggedEvent]) -> None:
        """Apply committed records (dense, in seq order) that this process has not seen yet."""
        fresh = [r for r in records if r.seq > self.head]
        if not fresh:
            return
        if fresh[0].seq != self.head + 1:
            raise DrillError(f"cannot mirror drill {self.id!r}: seq {self.head + 1} is missing", "replay")
        for r in fresh:
            self.mirror.feed(r.event)
            self._remember(r)
            self._follow_clock(r.event)
        self._fanout(fresh)

    def _follow_clock(self, ev: Event) -> None:
        """A follower's clock: the owner's, as the log shows it (exact on control events)."""
        d = self.driver
        if ev.type in _CLOCK_EVENTS or ev.t > d.drill_now():
            d._anchor_drill, d._anchor_wall = ev.t, d.clock()

    def hint_clock(self, drill_t: float) -> None:
        """The lease's clock (the owner's at its last renewal): a follower never shows less."""
        d = self.driver
        if drill_t > d.drill_now():
            d._anchor_drill, d._anchor_wall = drill_t, d.clock()

    # ------------------------------------------------------------ reading
    def since(self, seq: int) -> list[LoggedEvent]:
        """Records after ``seq`` (seqs are dense from 1)."""
        return self.records[max(0, seq) :] if seq >= 0 else list(self.records)

    def clock(self) -> dict[str, Any]:
        return {"t": round(self.driver.drill_now(), 3), "status": self.core.status, "speed": self.core.speed,
                "duration": self.scenario.duration}

    async def stop(self) -> None:
        await self._follow_stop()
        await self._stop_driver()
        if self._serving is not None:
            await self._serving.aclose()
            self._serving = None


def __getattr__(name: str) -> Any:
    """``Registry`` lives in :mod:`web.registry`; older imports find it here too."""
    if name == "Registry":
        from .registry import Registry

        return Registry
    raise AttributeError(f"module 'web.runtime' has no attribute {name!r}")
