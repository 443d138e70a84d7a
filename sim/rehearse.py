"""The headless runner: plays a scenario through the real engine with bot trainees.

It is also the scenario test harness: ``crisisdrill rehearse`` writes the transcript
(every event, every verdict, each bot's score). At ``speed=None`` it runs on virtual
time as fast as the CPU allows; at a number it paces itself in real time at that speed.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from scenarios.models import Scenario
from scoring import Scorer

from .bots import Bot, Planned
from .core import DrillCore
from .errors import DrillError
from .events import Event
from .seeding import rng_for
from .transcript import LoggedEvent, build_transcript

__all__ = ["rehearse"]


def _team_names(bots: Sequence[str]) -> list[str]:
    names: list[str] = []
    for kind in bots:
        name, n = kind, 1
        while name in names:
            n += 1
            name = f"{kind}-{n}"
        names.append(name)
    return names


def rehearse(
    scenario: Scenario,
    bots: Sequence[str] = ("good", "bad", "silent"),
    *,
    seed: int = 1,
    speed: float | None = None,
    scorer: Scorer | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_event: Callable[[LoggedEvent], None] | None = None,
) -> dict[str, Any]:
    """Play ``scenario`` with one team per bot; return the transcript document."""
    if not bots:
        raise DrillError("cannot rehearse without bots: pass at least one of good, bad, silent", "invalid")
    scorer = scorer or Scorer()
    teams = _team_names(bots)
    core = DrillCore(scenario, seed, teams, scorer)
    players = [Bot(kind, f"bot-{team}", team, rng_for(seed, team, "bot")) for kind, team in zip(bots, teams)]
    log: list[LoggedEvent] = []
    plans: list[tuple[float, int, Planned]] = []
    counter = 0
    start_wall = datetime.now(timezone.utc)

    def commit(batch: list[Event]) -> None:
        nonlocal counter
        for ev in batch:
            rec = LoggedEvent(len(log) + 1, ev)
            log.append(rec)
            if on_event is not None:
                on_event(rec)
            for bot in players:
                for plan in bot.observe(ev):
                    counter += 1
                    heapq.heappush(plans, (plan.at, counter, plan))

    for kind, bot in zip(bots, players):
        commit(core.apply(Event("participant.joined", 0.0, {"participant": bot.participant, "name": f"{kind} bot",
                                                             "bot": kind}, bot.team, bot.participant)))
    commit(core.apply(Event("drill.started", 0.0, {}, None, "rehearse")))
    last = 0.0
    while core.status != "ended":
        t_core = core.peek()
        t_bot = plans[0][0] if plans else None
        if t_core is None and t_bot is None:
            break
        if t_bot is not None and (t_core is None or t_bot < t_core):
            _pace(sleep, speed, last, t_bot)
            last = t_bot
            _, _, plan = heapq.heappop(plans)
            commit(core.run(until=plan.at))
            data = {"action": plan.action, "target": plan.target}
            if plan.text:
                data["text"] = plan.text
            try:
                commit(core.apply(Event("action", plan.at, data, None, plan.participant, f"bot-{counter}")))
            except DrillError:
                continue  # e.g. a post the bot planned to answer was deleted meanwhile
        else:
            assert t_core is not None
            _pace(sleep, speed, last, t_core)
            last = t_core
            commit(core.step())
    pass_mark = int(scorer.rubric.pass_mark)
    return build_transcript(
        log,
        scenario_id=scenario.id,
        title=scenario.title,
        seed=seed,
        pass_mark=pass_mark,
        extra={
            "speed": "max" if speed is None else speed,
            "started_at": start_wall.isoformat(timespec="seconds"),
            "teams": teams,
            "bots": list(bots),
        },
    )


def _pace(sleep: Callable[[float], None], speed: float | None, last: float, nxt: float) -> None:
    if speed is not None and nxt > last:
        sleep((nxt - last) / speed)
