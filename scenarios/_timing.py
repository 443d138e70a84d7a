"""Timing and branch checks: items past the end, branches that can never fire, cycles.

Each post gets the earliest drill time it can appear: a timeline item's ``at`` (plus
``after``); a branch effect's earliest firing time plus its ``after``. A branch fires at
the earliest when the post it watches appears (``answer_to``, ``action … on``), that plus
``for`` (``no_answer_to``), or at 0 (a trainer's ``cue``). The times are found by
relaxing until nothing changes; a drill plays ``[0, duration)``, so anything due at or
after ``duration`` never happens.
"""

from __future__ import annotations

import math

from ._parts import BranchPart, Loc, Parts
from ._timefmt import format_time
from ._validate import Locator
from .codes import diagnostic
from .errors import Diagnostic
from .models import When

__all__ = ["check_timing", "earliest"]

_INF = math.inf


def _watched(w: When) -> tuple[str, str] | None:
    for key in ("no_answer_to", "answer_to", "on"):
        ref = getattr(w, key)
        if ref is not None:
            return key, ref
    return None


def earliest(parts: Parts, branches: list[BranchPart]) -> tuple[dict[str, float], dict[int, float]]:
    """The earliest time each item id can appear, and each branch (by index) can fire."""
    appear: dict[str, float] = {}
    for item in parts.timeline:
        if item.id is not None and item.effect is not None and item.at is not None:
            appear.setdefault(item.id, item.at + item.effect.after)
    fire: dict[int, float] = {b.index: _INF for b in branches}
    for _ in range(len(branches) + 1):
        changed = False
        for b in branches:
            assert b.model is not None
            w = b.model.when
            watched = _watched(w)
            if watched is None:
                t = 0.0  # a trainer's cue
            elif watched[1] == "answer":  # 'on: answer': the trainee's own answer, after the first post
                t = min((v for v in appear.values()), default=_INF)
            else:
                t = appear.get(watched[1], _INF) + (w.for_ or 0.0)
            if t < fire[b.index]:
                fire[b.index], changed = t, True
            for item in b.items:
                if item.id is not None and item.effect is not None and item.id not in appear:
                    appear[item.id] = _INF
                if (
                    item.id is not None
                    and item.effect is not None
                    and t + item.effect.after < appear[item.id]
                ):
                    appear[item.id], changed = t + item.effect.after, True
        if not changed:
            break
    return appear, fire


def _cycles(branches: list[BranchPart]) -> list[list[BranchPart]]:
    adds = {i.id: b for b in branches for i in b.items if i.id is not None}
    cycles: list[list[BranchPart]] = []
    done: set[int] = set()
    for start in branches:
        path: list[BranchPart] = []
        node: BranchPart | None = start
        # each branch watches at most one post, so it has at most one predecessor: walk back
        while node is not None and node.index not in done and node not in path:
            path.append(node)
            assert node.model is not None
            watched = _watched(node.model.when)
            node = adds.get(watched[1]) if watched is not None else None
        if node is not None and node in path:
            cycles.append(list(reversed(path[path.index(node) :])))
        done.update(b.index for b in path)
    return cycles


def check_timing(parts: Parts, locate: Locator) -> list[Diagnostic]:
    """Diagnostics about times and branch reachability."""
    out: list[Diagnostic] = []

    def report(code: str, loc: Loc, message: str, hint: str | None = None) -> None:
        span, _ = locate(loc, False)
        out.append(diagnostic(code, message, span, hint=hint))

    end = parts.duration
    if end is None:
        return out
    for item in parts.timeline:
        if item.at is not None and item.at >= end:
            report(
                "E300",
                (*item.loc, "at"),
                f"item at {format_time(item.at)} is at or after the end of the drill ({format_time(end)})",
                "move it earlier, or lengthen 'duration'",
            )
    branches = [b for b in parts.branches if b.model is not None]
    appear, fire = earliest(parts, branches)
    in_cycle: set[int] = set()
    for cycle in _cycles(branches):
        in_cycle.update(b.index for b in cycle)
        names = " -> ".join(str(b.id) for b in (*cycle, cycle[0]))
        report(
            "E313",
            ("branches", cycle[0].index, "when"),
            f"branches {names} wait on each other's posts, so none of them can fire",
            "make one of them watch a timeline post",
        )
    for b in branches:
        assert b.model is not None
        w = b.model.when
        loc: Loc = ("branches", b.index, "when")
        name = f"branch {b.id!r}"
        if w.score_below is not None and w.score_below <= 0:
            report(
                "E312",
                (*loc, "score_below"),
                f"{name}: no answer scores below {w.score_below:g}",
                "pick a threshold above 0",
            )
        if w.score_above is not None and w.score_above >= 100:
            report(
                "E312",
                (*loc, "score_above"),
                f"{name}: no answer scores above {w.score_above:g}",
                "pick a threshold below 100",
            )
        if w.score_below is not None and w.score_above is not None and w.score_below <= w.score_above:
            report(
                "E312",
                (*loc, "score_below"),
                f"{name}: no score is both below {w.score_below:g} and above {w.score_above:g}",
                "make score_below greater than score_above",
            )
        watched = _watched(w)
        if b.index in in_cycle or watched is None:
            pass
        elif watched[1] in appear and appear[watched[1]] == _INF:
            report(
                "E310",
                (*loc, watched[0]),
                f"{name} watches {watched[1]!r}, which only a branch that can never fire adds",
            )
        elif watched[1] in appear and appear[watched[1]] >= end:
            report(
                "E310",
                (*loc, watched[0]),
                f"{name} watches {watched[1]!r}, which appears at {format_time(appear[watched[1]])}, at or after the end ({format_time(end)})",
                "watch another post, or move the post earlier",
            )
        elif watched[0] == "no_answer_to" and watched[1] in appear and fire[b.index] >= end:
            report(
                "E311",
                (*loc, "for"),
                f"{name} waits {format_time(w.for_ or 0)} after {watched[1]!r} appears at {format_time(appear[watched[1]])}: that is {format_time(fire[b.index])}, at or after the end ({format_time(end)})",
                "shorten 'for', or move the post earlier",
            )
        if fire[b.index] < end:
            for item in b.items:
                if item.effect is not None and fire[b.index] + item.effect.after >= end:
                    report(
                        "W314",
                        (*item.loc, "after"),
                        f"{name} fires at {format_time(fire[b.index])} at the earliest; 'after: {format_time(item.effect.after)}' puts this past the end ({format_time(end)})",
                        "shorten 'after'",
                    )
        if not b.model.once and any(i.id is not None for i in b.items):
            report(
                "W315",
                ("branches", b.index, "once"),
                f"{name} repeats (once: false) but gives its items ids, which would repeat",
                "remove the ids, or set 'once: true'",
            )
    return out
