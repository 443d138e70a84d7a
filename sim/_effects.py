"""Turning scripted effects (posts, DMs, reposts, bursts, engagement, heat) into events."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from scenarios.models import Burst, Effect

from ._items import P_CROWD, P_DEADLINE, P_SCRIPT, Item
from .events import Event
from .network_state import PostRec

if TYPE_CHECKING:
    from scenarios.models import Scenario

    from .network_state import TeamState
    from .scheduler import Agenda

__all__ = ["EffectsMixin"]

DEFAULT_WINDOW_S = 300.0


class EffectsMixin:
    scenario: "Scenario"
    teams: dict[str, "TeamState"]
    now: float
    _agenda: "Agenda[Item]"
    _deadlines: set[tuple[str, str]]

    def _apply_effect(self, team_name: str, eff: Effect, ctx: dict[str, Any]) -> list[Event]:
        team = self.teams[team_name]
        out: list[Event] = []
        origin = ctx.get("origin", "branch")
        if eff.post is not None or eff.dm is not None:
            spec = eff.post or eff.dm
            assert spec is not None
            persona = self.scenario.persona(spec.by)
            reply_to = quote_of = None
            kind = "post"
            if eff.post is not None:
                reply_to = self._ref(team, eff.post.reply_to, ctx)
                quote_of = self._ref(team, eff.post.quote_of, ctx)
                kind = "reply" if reply_to else "quote" if quote_of else "post"
            else:
                kind = "dm"
            rec = PostRec(
                id=team.new_id("s", eff.id),
                t=self.now,
                author=_persona_author(persona),
                text=spec.text,
                kind=kind,
                ref=eff.id,
                reply_to=reply_to,
                quote_of=quote_of,
                expect=eff.expect,
            )
            self._add_post(team, rec)
            out.append(self._post_event(team, rec, origin=origin))
        elif eff.repost is not None:
            persona = self.scenario.persona(eff.repost.by)
            of = self._ref(team, eff.repost.of, ctx)
            orig = team.posts.get(of) if of else None
            if orig is not None:
                orig.reposts += 1
                rec = PostRec(
                    id=team.new_id("s", eff.id),
                    t=self.now,
                    author=_persona_author(persona),
                    text=orig.text,
                    kind="repost",
                    ref=eff.id,
                    quote_of=orig.id,
                )
                self._add_post(team, rec)
                out.append(self._post_event(team, rec, origin=origin))
        elif eff.burst is not None:
            b = eff.burst
            about = self._ref(team, b.about, ctx) if b.about else None
            gap = b.over / b.count if b.count else 0.0
            self._agenda.schedule(
                Item("burst", team_name, b, {"left": b.count, "gap": gap, "about": about}), self.now, P_CROWD
            )
        elif eff.engagement is not None:
            e = eff.engagement
            target = self._ref(team, e.post, ctx)
            if target is not None:
                chunks = max(1, math.ceil(e.over / 10.0))
                for i in range(chunks):
                    part = {
                        "post": target,
                        "likes": _share(e.likes, chunks, i),
                        "reposts": _share(e.reposts, chunks, i),
                        "views": _share(e.views, chunks, i),
                    }
                    self._agenda.schedule(Item("boost", team_name, None, part), self.now + i * 10.0, P_SCRIPT)
        if eff.heat is not None:
            team.heat += eff.heat
            out.append(Event("heat", self.now, {"delta": eff.heat, "heat": team.heat}, team_name, "system"))
        return out

    def _ref(self, team: "TeamState", ref: str | None, ctx: dict[str, Any]) -> str | None:
        if ref is None:
            return None
        if ref == "answer":
            answer = ctx.get("answer")
            return str(answer) if answer else None
        return team.resolve(ref)

    def _add_post(self, team: "TeamState", rec: PostRec) -> None:
        team.posts[rec.id] = rec
        if rec.ref and rec.ref not in team.by_ref:
            team.by_ref[rec.ref] = rec.id
        if rec.expect is not None and rec.expect.answer != "optional":
            window = rec.expect.within if rec.expect.within is not None else DEFAULT_WINDOW_S
            self._deadlines.add((team.name, rec.id))
            self._agenda.schedule(Item("deadline", team.name, rec.id), self.now + window, P_DEADLINE)
        if rec.ref:
            for bi, br in enumerate(self.scenario.branches):
                if br.when.no_answer_to == rec.ref and br.when.for_ is not None:
                    self._agenda.schedule(
                        Item("noanswer", team.name, (bi, rec.id)), self.now + br.when.for_, P_DEADLINE
                    )

    def _post_event(self, team: "TeamState", rec: PostRec, origin: str) -> Event:
        post: dict[str, Any] = {
            "id": rec.id,
            "kind": rec.kind,
            "author": rec.author,
            "text": rec.text,
        }
        if rec.reply_to:
            post["reply_to"] = rec.reply_to
        if rec.quote_of:
            post["quote_of"] = rec.quote_of
        if rec.ref:
            post["ref"] = rec.ref
        data: dict[str, Any] = {"post": post, "origin": origin}
        if rec.expect is not None:
            data["expect"] = rec.expect.model_dump(mode="json", exclude_defaults=True, by_alias=True)
        actor = rec.participant or rec.author.get("id")
        return Event("post.created", self.now, data, team.name, actor)

    def _crowd_post(self, team_name: str, about: str | None, burst: Burst | None, quoting: bool) -> Event:
        team = self.teams[team_name]
        voice = team.crowd
        acct = voice.account()
        target = team.posts.get(about) if about else None
        if target is None and burst is None and voice.rng.random() < 0.35:
            hot = sorted(team.recent(self.now, 15), key=lambda p: (p.likes + 5 * p.reposts, p.t), reverse=True)
            target = hot[0] if hot else None
        mood = voice.mood_for(team.heat, burst.mood if burst else None)
        if burst is not None and burst.texts:
            text = voice.rng.choice(burst.texts)
        else:
            text = voice.line("pile" if target else "post", mood, target.author.get("handle") if target else None)
        kind = "quote" if (target and quoting) else "reply" if target else "post"
        rec = PostRec(
            id=team.new_id("c"),
            t=self.now,
            author=acct.to_author(),
            text=text,
            kind=kind,
            reply_to=target.id if target and not quoting else None,
            quote_of=target.id if target and quoting else None,
        )
        self._add_post(team, rec)
        return self._post_event(team, rec, origin="crowd")


def _share(total: int, parts: int, i: int) -> int:
    base, extra = divmod(total, parts)
    return base + (1 if i < extra else 0)


def _persona_author(persona: Any) -> dict[str, Any]:
    return {
        "id": persona.id,
        "handle": persona.handle,
        "name": persona.name,
        "kind": persona.kind.value,
        "followers": persona.followers,
        "verified": persona.verified,
        "bio": persona.bio,
    }
