"""Joining a drill, for the pages and the API alike: a trainer's self-paced drill gives each
trainee their own copy (made once, linked by a ``note`` event in the parent's log); otherwise
the trainee joins the named team, their own, or the emptiest."""

from __future__ import annotations

import anyio

from sim import DrillError

from .deps import AppState
from .models import Drill, User
from .service import participant_id, personal_copy

__all__ = ["join_drill"]


def _get_drill(state: AppState, drill_id: str) -> Drill | None:
    with state.db.session() as s:
        return s.get(Drill, drill_id)


async def join_drill(state: AppState, user: User, drill: Drill, team: str | None = None) -> Drill:
    """Join ``drill``; for a trainer's self-paced drill, the trainee's own copy (made once).

    Returns the drill to open. Raises :class:`DrillError` if the drill refuses the join.
    """
    pid = participant_id(user)
    if drill.mode == "self_paced" and drill.created_by != user.id:
        parent = await state.registry.get(drill)
        for r in parent.records:
            d = r.event.data
            if r.event.type == "note" and d.get("kind") == "self_paced" and d.get("participant") == pid:
                child = await anyio.to_thread.run_sync(_get_drill, state, d["drill"])
                if child is not None:
                    return child
        if parent.core.status == "ended":
            raise DrillError("cannot join: the drill has ended", "ended")

        def copy() -> Drill:
            with state.db.session() as s:
                owner = s.get(User, user.id)
                assert owner is not None
                return personal_copy(s, owner, drill)

        child = await anyio.to_thread.run_sync(copy)
        await parent.submit("note", {"kind": "self_paced", "participant": pid, "name": user.display_name,
                                     "drill": child.id}, actor=pid, client_id="self-paced")
        drill = child
    rt = await state.registry.get(drill)
    if pid not in rt.core.participants:
        if team is None:  # a named team is the caller's choice: the drill refuses an unknown one
            team = user.team if user.team in drill.teams else min(
                drill.teams, key=lambda t: (len(rt.core.teams[t].members), drill.teams.index(t)))
        await rt.submit("participant.joined", {"participant": pid, "name": user.display_name, "role": user.role},
                        actor=pid, team=team, client_id="join")
    return drill
