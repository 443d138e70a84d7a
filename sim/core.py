"""The pure, steppable drill core: virtual time, the scenario's timeline, branches,
the crowd, engagement, and scoring of every trainee action.

It reads no wall clock and no global random state. Inputs (joins, trainer controls,
trainee actions) are :class:`~sim.events.Event` objects given to :meth:`DrillCore.apply`;
everything else comes out of :meth:`DrillCore.step`. Because the core is deterministic,
replaying a log's inputs in order rebuilds the exact state (see :mod:`sim.replay`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from scenarios.models import Burst, Effect, Expectation, PostSpec, Scenario
from scoring import Scorer
from scoring.types import PostInfo, ReplyContext, ReplyInfo

from ._effects import DEFAULT_WINDOW_S, EffectsMixin
from ._items import P_CROWD, P_END, P_REACT, P_SCRIPT
from ._items import Item as _Item
from .crowd import CrowdVoice
from .errors import DrillError
from .events import Event
from .network_state import Answer, PostRec, TeamState
from .scheduler import Agenda
from .seeding import rng_for

__all__ = ["DEFAULT_WINDOW_S", "SPEED_MAX", "SPEED_MIN", "DrillCore"]

SPEED_MIN, SPEED_MAX = 0.25, 100.0
REACT_EVERY_S = 10.0
TEXT_ACTIONS = ("reply", "quote", "dm")
ALL_ACTIONS = ("reply", "quote", "dm", "repost", "like", "hide", "delete", "report")


class DrillCore(EffectsMixin):
    """One drill: one clock, one log, one or more teams each with its own network copy."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        teams: Iterable[str] = ("main",),
        scorer: Scorer | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = int(seed)
        self.scorer = scorer or Scorer()
        self.now = 0.0
        self.status = "lobby"  # lobby | running | paused | ended
        self.speed = 1.0
        self.participants: dict[str, dict[str, Any]] = {}
        self.teams: dict[str, TeamState] = {}
        for name in teams:
            if name in self.teams:
                raise DrillError(f"cannot create drill: team {name!r} is listed twice; give each team a name")
            self.teams[name] = TeamState(name, CrowdVoice(scenario.crowd, scenario.brand.name, self.seed, name))
        if not self.teams:
            raise DrillError("cannot create drill: it needs at least one team")
        self._rng = {t: rng_for(self.seed, t, "engine") for t in self.teams}
        self._agenda: Agenda[_Item] = Agenda()
        self._deadlines: set[tuple[str, str]] = set()
        for idx, item in enumerate(scenario.timeline):
            self._agenda.schedule(_Item("timeline", ref=idx), item.at, P_SCRIPT)
        for team in self.teams:
            if scenario.crowd.per_minute > 0:
                self._schedule_crowd(team, 0.0)
            if scenario.crowd.reactions_per_minute > 0:
                self._agenda.schedule(_Item("react", team), REACT_EVERY_S, P_REACT)
        self._agenda.schedule(_Item("end"), scenario.duration, P_END)

    # ------------------------------------------------------------------ time
    def peek(self) -> float | None:
        """Drill time of the next scheduled item (None once the drill has ended)."""
        if self.status == "ended":
            return None
        return self._agenda.peek()

    def step(self) -> list[Event]:
        """Fire the next scheduled item; returns the events it produced (maybe none)."""
        if self.status == "ended" or not len(self._agenda):
            return []
        at, item = self._agenda.pop()
        self.now = max(self.now, at)
        return self._fire(item)

    def run(self, until: float) -> list[Event]:
        """Fire every item due at or before ``until`` and move the clock there."""
        out: list[Event] = []
        while True:
            nxt = self.peek()
            if nxt is None or nxt > until:
                break
            out.extend(self.step())
        if self.status != "ended":
            self.now = max(self.now, until)
        return out

    # ----------------------------------------------------------------- inputs
    def apply(self, ev: Event) -> list[Event]:
        """Apply an input event at ``ev.t``; returns it (completed) and its consequences.

        Raises :class:`DrillError` when the input is not allowed now; nothing changes then.
        """
        if ev.t + 1e-6 < self.now:
            raise DrillError(
                f"cannot apply {ev.type!r} at {ev.t:.3f}s: the drill clock is already at {self.now:.3f}s",
                "clock",
            )
        handler = getattr(self, "_in_" + ev.type.replace(".", "_"), None)
        if handler is None:
            if ev.type in ("verdict.overridden", "note"):
                return [ev]
            raise DrillError(f"cannot apply {ev.type!r}: not an input event type", "unknown_type")
        out: list[Event] = handler(ev)
        self.now = max(self.now, ev.t)
        return out

    def _in_participant_joined(self, ev: Event) -> list[Event]:
        pid = str(ev.data.get("participant", ""))
        team = ev.team or ev.data.get("team") or next(iter(self.teams))
        if not pid:
            raise DrillError("cannot join: the participant has no id", "invalid")
        if team not in self.teams:
            raise DrillError(f"cannot join team {team!r}: this drill's teams are {', '.join(self.teams)}", "invalid")
        if self.status == "ended":
            raise DrillError("cannot join: the drill has ended", "ended")
        if pid in self.participants:
            return []  # joining twice is harmless: recorded once
        self.participants[pid] = {"name": ev.data.get("name", pid), "team": team, "bot": ev.data.get("bot")}
        self.teams[team].members.append(pid)
        return [Event(ev.type, ev.t, dict(ev.data), team, ev.actor, ev.client_id)]

    def _in_drill_started(self, ev: Event) -> list[Event]:
        if self.status != "lobby":
            raise DrillError(f"cannot start the drill: it is already {self.status}", "state")
        self.status = "running"
        return [ev]

    def _in_drill_paused(self, ev: Event) -> list[Event]:
        if self.status != "running":
            raise DrillError(f"cannot pause the drill: it is {self.status}; only a running drill pauses", "state")
        self.status = "paused"
        return [ev]

    def _in_drill_resumed(self, ev: Event) -> list[Event]:
        if self.status != "paused":
            raise DrillError(f"cannot resume the drill: it is {self.status}, not paused", "state")
        self.status = "running"
        return [ev]

    def _in_drill_speed(self, ev: Event) -> list[Event]:
        try:
            speed = float(ev.data.get("speed", ""))
        except (TypeError, ValueError):
            raise DrillError(f"cannot set speed to {ev.data.get('speed')!r}: give a number", "invalid") from None
        if not SPEED_MIN <= speed <= SPEED_MAX:
            raise DrillError(f"cannot set speed to {speed:g}x: choose {SPEED_MIN:g}x to {SPEED_MAX:g}x", "invalid")
        if self.status == "ended":
            raise DrillError("cannot change speed: the drill has ended", "ended")
        self.speed = speed
        return [Event(ev.type, ev.t, {"speed": speed}, ev.team, ev.actor, ev.client_id)]

    def _in_drill_ended(self, ev: Event) -> list[Event]:
        if self.status == "ended":
            raise DrillError("cannot end the drill: it has already ended", "ended")
        return self._finish(ev.t, ev)

    def _in_drill_cue(self, ev: Event) -> list[Event]:
        self._require_live("play a cue")
        name = str(ev.data.get("cue", ""))
        known = {b.when.cue for b in self.scenario.branches if b.when.cue}
        if name not in known:
            raise DrillError(
                f"cannot play cue {name!r}: this scenario's cues are {', '.join(sorted(known)) or 'none'}", "invalid"
            )
        out: list[Event] = [ev]
        for team in self._target_teams(ev.team):
            for bi, br in enumerate(self.scenario.branches):
                if br.when.cue == name:
                    out += self._fire_branch(team, bi, {"reason": f"trainer cue {name!r}"})
        return out

    def _in_trainer_inject(self, ev: Event) -> list[Event]:
        self._require_live("inject a post")
        data = ev.data
        out: list[Event] = [ev]
        if data.get("item"):
            effect = self.scenario.item(str(data["item"]))
            if effect is None:
                raise DrillError(f"cannot inject {data['item']!r}: no scripted item has that id", "invalid")
            for team in self._target_teams(ev.team):
                out += self._apply_effect(team, effect, {"origin": "inject"})
            return out
        persona = str(data.get("persona", ""))
        text = str(data.get("text", "")).strip()
        try:
            self.scenario.persona(persona)
        except KeyError:
            names = ", ".join(p.id for p in self.scenario.personas)
            raise DrillError(f"cannot inject as {persona!r}: no such persona; choose one of {names}", "invalid") from None
        if not text:
            raise DrillError("cannot inject an empty post: write its text", "invalid")
        if len(text) > 5000:
            raise DrillError(f"cannot inject a post of {len(text)} characters: the limit is 5000", "too_long")
        expect = Expectation(answer="optional") if data.get("expect") is None else Expectation(**data["expect"])
        effect = Effect(post=PostSpec(by=persona, text=text, reply_to=data.get("reply_to")), expect=expect)
        for team in self._target_teams(ev.team):
            out += self._apply_effect(team, effect, {"origin": "inject"})
        return out

    def _in_action(self, ev: Event) -> list[Event]:
        d = ev.data
        pid = str(ev.actor or "")
        who = self.participants.get(pid)
        if who is None:
            raise DrillError(f"cannot act as {pid!r}: join the drill first", "not_joined")
        self._require_live(f"{d.get('action', 'act')}")
        action = d.get("action")
        if action not in ALL_ACTIONS:
            raise DrillError(
                f"cannot {action!r}: actions are {', '.join(ALL_ACTIONS)}", "invalid"
            )
        team = self.teams[who["team"]]
        target_id = team.resolve(d.get("target"))
        target = team.posts.get(target_id) if target_id else None
        if target is None or target.t > ev.t + 1e-9:
            raise DrillError(f"cannot {action} post {d.get('target')!r}: no such post in your feed", "no_post")
        text = str(d.get("text") or "").strip()
        if action in TEXT_ACTIONS:
            if not text:
                raise DrillError(f"cannot send an empty {action}: write the text first", "invalid")
            limit = 5000 if action == "dm" else self.scenario.max_chars
            if len(text) > limit:
                raise DrillError(
                    f"cannot send a {action} of {len(text)} characters: this platform allows {limit}", "too_long"
                )
        if action == "delete" and not target.by_brand:
            raise DrillError("cannot delete someone else's post: you can hide or report it", "forbidden")
        if action in ("hide", "report") and target.by_brand:
            raise DrillError(f"cannot {action} the brand's own post: delete it instead", "forbidden")
        if action == "delete" and target.deleted:
            raise DrillError("cannot delete that post: it is already deleted", "state")
        data = {"action": action, "target": target.id, "participant": pid}
        if text:
            data["text"] = text
        out: list[Event] = []
        new_post: PostRec | None = None
        if action in ("reply", "quote", "dm", "repost"):
            new_post = self._brand_post(team, pid, action, target, text, ev.t)
            data["post_id"] = new_post.id
        out.append(Event("action", ev.t, data, team.name, pid, ev.client_id))
        if new_post is not None:
            out.append(self._post_event(team, new_post, origin="trainee"))
        if action == "like":
            target.likes += 1
        elif action == "hide":
            target.hidden = True
        elif action == "delete":
            target.deleted = True
        team.actions[(action, target.id)] = team.actions.get((action, target.id), 0) + 1
        out += self._score(team, pid, action, target, text, ev, new_post)
        return out

    # ---------------------------------------------------------------- helpers
    def _require_live(self, what: str) -> None:
        if self.status == "lobby":
            raise DrillError(f"cannot {what}: the drill has not started yet; wait for the trainer", "not_started")
        if self.status == "ended":
            raise DrillError(f"cannot {what}: the drill has ended", "ended")

    def _target_teams(self, team: str | None) -> list[str]:
        if team is None:
            return list(self.teams)
        if team not in self.teams:
            raise DrillError(f"no team {team!r} in this drill; teams are {', '.join(self.teams)}", "invalid")
        return [team]

    def _brand_post(self, team: TeamState, pid: str, action: str, target: PostRec, text: str, t: float) -> PostRec:
        brand = self.scenario.brand
        author = {
            "id": "brand",
            "handle": brand.handle,
            "name": brand.name,
            "kind": "brand",
            "followers": 50000,
            "participant": pid,
            "participant_name": self.participants[pid]["name"],
        }
        rec = PostRec(
            id=team.new_id("b"),
            t=t,
            author=author,
            text=text if action != "repost" else target.text,
            kind=action,
            reply_to=target.id if action == "reply" else None,
            quote_of=target.id if action in ("quote", "repost") else None,
            by_brand=True,
            participant=pid,
        )
        if action == "dm":
            rec.reply_to = target.id
        if action == "repost":
            target.reposts += 1
        team.posts[rec.id] = rec
        return rec

    def _score(
        self, team: TeamState, pid: str, action: str, target: PostRec, text: str, ev: Event, new_post: PostRec | None
    ) -> list[Event]:
        ctx = ReplyContext(
            post=PostInfo(
                text=target.text,
                author=target.author.get("handle"),
                kind=target.author.get("kind") if target.author.get("kind") not in ("crowd",) else None,
                thread=team.thread(target.id),
                post_id=target.id,
            ),
            reply=ReplyInfo(text=text, action=action),  # type: ignore[arg-type]
            latency_s=round(ev.t - target.t, 3),
            expect=target.expect,
            brand=self.scenario.brand.name,
            max_chars=self.scenario.max_chars,
        )
        verdict = self.scorer.score(ctx)
        data: dict[str, Any] = {
            "participant": pid,
            "action": action,
            "target": target.id,
            "latency_s": ctx.latency_s,
            "verdict": verdict.to_dict(),
        }
        if new_post is not None:
            data["post_id"] = new_post.id
        out = [Event("reply.scored", ev.t, data, team.name, "system")]
        if action in TEXT_ACTIONS:
            team.answers.setdefault(target.id, []).append(
                Answer(pid, ev.t, action, verdict.score, tuple(verdict.flags), new_post.id if new_post else None)
            )
        out += self._check_branches(team, action, target, verdict.score, tuple(verdict.flags), new_post)
        return out

    def _check_branches(
        self,
        team: TeamState,
        action: str,
        target: PostRec,
        score: int,
        flags: tuple[str, ...],
        new_post: PostRec | None,
    ) -> list[Event]:
        out: list[Event] = []
        refs = {target.id, target.ref} - {None}
        for bi, br in enumerate(self.scenario.branches):
            w = br.when
            reason = None
            if w.answer_to in refs and action in TEXT_ACTIONS:
                ok = True
                if w.flagged is not None:
                    ok = ok and w.flagged in flags
                if w.score_below is not None:
                    ok = ok and score < w.score_below
                if w.score_above is not None:
                    ok = ok and score > w.score_above
                if ok:
                    bits = [f"answer to {w.answer_to!r} scored {score}"]
                    if w.flagged:
                        bits.append(f"flagged {w.flagged!r}")
                    reason = ", ".join(bits)
            elif w.action == action and (w.on in refs or (w.on == "answer" and target.by_brand)):
                reason = f"trainee chose {action!r} on {w.on!r}"
            if reason:
                answer = new_post.id if new_post else (target.id if target.by_brand else None)
                ctx = {"reason": reason, "answer": answer, "target": target.id}
                out += self._fire_branch(team.name, bi, ctx)
        return out

    def _fire_branch(self, team_name: str, bi: int, ctx: dict[str, Any]) -> list[Event]:
        br = self.scenario.branches[bi]
        team = self.teams[team_name]
        if br.once and br.id in team.fired:
            return []
        team.fired.add(br.id)
        out = [Event("branch.fired", self.now, {"branch": br.id, "reason": ctx.get("reason", "")}, team_name, "system")]
        for effect in br.then:
            if effect.after > 0:
                self._agenda.schedule(_Item("effect", team_name, effect, ctx), self.now + effect.after, P_SCRIPT)
            else:
                out += self._apply_effect(team_name, effect, ctx)
        return out

    def _finish(self, t: float, ev: Event | None = None) -> list[Event]:
        """Close every open answer window, then end the drill."""
        self.now = max(self.now, t)
        out: list[Event] = []
        for team_name, post_id in sorted(self._deadlines, key=lambda k: (self.teams[k[0]].posts[k[1]].t, k)):
            out += self._close_window(team_name, post_id)
        self._deadlines.clear()
        self.status = "ended"
        out.append(ev if ev is not None else Event("drill.ended", self.now, {"reason": "timeline complete"}, None, "system"))
        return out

    # ------------------------------------------------------------------ items
    def _fire(self, item: _Item) -> list[Event]:
        if item.kind == "timeline":
            eff = self.scenario.timeline[item.ref]
            out: list[Event] = []
            for team in self.teams:
                out += self._apply_effect(team, eff, {"origin": "script"})
            return out
        if item.kind == "effect":
            assert item.team is not None
            return self._apply_effect(item.team, item.ref, item.ctx)
        if item.kind == "crowd":
            assert item.team is not None
            ev = self._crowd_post(item.team, None, None, False)
            self._schedule_crowd(item.team, self.now)
            return [ev]
        if item.kind == "burst":
            assert item.team is not None
            return self._burst_tick(item.team, item.ref, item.ctx)
        if item.kind == "react":
            assert item.team is not None
            self._agenda.schedule(item, self.now + REACT_EVERY_S, P_REACT)
            return self._react(item.team)
        if item.kind == "boost":
            assert item.team is not None
            return self._boost(item.team, item.ctx)
        if item.kind == "deadline":
            assert item.team is not None
            key = (item.team, item.ref)
            if key not in self._deadlines:
                return []
            self._deadlines.discard(key)
            return self._close_window(item.team, item.ref)
        if item.kind == "noanswer":
            assert item.team is not None
            bi, post_id = item.ref
            if self.teams[item.team].answers.get(post_id):
                return []
            br = self.scenario.branches[bi]
            return self._fire_branch(
                item.team, bi, {"reason": f"no answer to {br.when.no_answer_to!r} for {br.when.for_:g}s"}
            )
        if item.kind == "end":
            return self._finish(self.now)
        raise AssertionError(item.kind)

    def _close_window(self, team_name: str, post_id: str) -> list[Event]:
        team = self.teams[team_name]
        rec = team.posts[post_id]
        if team.answers.get(post_id):
            return []
        expect = rec.expect
        if expect is None or expect.answer == "optional":
            return []
        waited = round(self.now - rec.t, 3)
        info = PostInfo(text=rec.text, author=rec.author.get("handle"), kind=rec.author.get("kind"), post_id=rec.id)
        verdict = self.scorer.score_silence(info, expect, waited)
        data = {"target": post_id, "waited_s": waited, "verdict": verdict.to_dict()}
        return [Event("silence.scored", self.now, data, team_name, "system")]

    def _schedule_crowd(self, team: str, now: float) -> None:
        heat = self.teams[team].heat
        rate = self.scenario.crowd.per_minute * max(0.25, 1.0 + 0.5 * heat) / 60.0
        if rate <= 0:
            return
        gap = self.teams[team].crowd.rng.expovariate(rate)
        self._agenda.schedule(_Item("crowd", team), now + max(gap, 0.5), P_CROWD)

    def _react(self, team_name: str) -> list[Event]:
        team = self.teams[team_name]
        rng = self._rng[team_name]
        posts = team.recent(self.now)
        if not posts:
            return []
        total = self.scenario.crowd.reactions_per_minute * REACT_EVERY_S / 60.0 * max(0.25, 1 + 0.3 * team.heat)
        weights = [(0.05 + p.influence**2) * math.exp(-(self.now - p.t) / 600.0) for p in posts]
        wsum = sum(weights) or 1.0
        counts: dict[str, list[int]] = {}
        for p, w in zip(posts, weights):
            lam = total * w / wsum
            likes = _poisson(rng, lam)
            if not likes:
                continue
            reposts = _poisson(rng, likes * 0.15)
            views = likes * 20 + _poisson(rng, likes * 5)
            p.likes += likes
            p.reposts += reposts
            p.views += views
            counts[p.id] = [likes, reposts, views]
        if not counts:
            return []
        return [Event("engagement", self.now, {"counts": counts}, team_name, "crowd")]

    def _boost(self, team_name: str, ctx: dict[str, Any]) -> list[Event]:
        team = self.teams[team_name]
        rec = team.posts.get(ctx["post"])
        if rec is None:
            return []
        likes, reposts, views = ctx["likes"], ctx["reposts"], ctx["views"]
        rec.likes += likes
        rec.reposts += reposts
        rec.views += views
        return [Event("engagement", self.now, {"counts": {rec.id: [likes, reposts, views]}}, team_name, "crowd")]

    def _burst_tick(self, team_name: str, burst: Burst, ctx: dict[str, Any]) -> list[Event]:
        left = int(ctx["left"])
        ev = self._crowd_post(team_name, ctx.get("about"), burst, burst.quoting)
        if left > 1:
            nxt = {**ctx, "left": left - 1}
            self._agenda.schedule(_Item("burst", team_name, burst, nxt), self.now + ctx["gap"], P_CROWD)
        return [ev]


def _poisson(rng: Any, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
