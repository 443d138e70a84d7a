"""Rebuild a drill core from its log: re-apply the inputs, re-derive the rest, verify.

The core is deterministic, so stepping it between the logged inputs must reproduce the
logged engine events exactly. A mismatch means the log was written by different code
(or edited) and is reported, never papered over.
"""

from __future__ import annotations

from collections.abc import Sequence

from .core import DrillCore
from .errors import DrillError
from .events import INPUT_TYPES, Event

__all__ = ["replay"]


def _same(a: Event, b: Event) -> bool:
    return a.type == b.type and abs(a.t - b.t) < 1e-3 and a.team == b.team


def replay(core: DrillCore, events: Sequence[Event]) -> DrillCore:
    """Apply ``events`` (a drill's whole log, in seq order) to a fresh ``core``."""
    i, n = 0, len(events)
    while i < n:
        ev = events[i]
        if ev.type in INPUT_TYPES:
            early = core.run(until=ev.t - 1e-9) if ev.t > core.now else []
            if early:
                raise DrillError(
                    f"cannot replay event {i + 1}: the engine produced {early[0].type!r} at {early[0].t:.3f}s "
                    f"before the logged input {ev.type!r} at {ev.t:.3f}s; the log comes from a different version",
                    "replay",
                )
            produced = core.apply(ev)
            if not produced:  # e.g. a repeated join: nothing was logged for it either
                i += 1
                continue
        else:
            produced = []
            while not produced:
                if core.peek() is None:
                    raise DrillError(
                        f"cannot replay event {i + 1} ({ev.type!r} at {ev.t:.3f}s): the engine has nothing left",
                        "replay",
                    )
                produced = core.step()
        for k, got in enumerate(produced):
            want = events[i + k] if i + k < n else None
            if want is None:
                # the batch was cut short in the log (crash mid-batch cannot happen: batches commit whole)
                raise DrillError(f"cannot replay: the log ends inside a batch at event {i + k + 1}", "replay")
            if not _same(got, want):
                raise DrillError(
                    f"cannot replay event {i + k + 1}: the log has {want.type!r} at {want.t:.3f}s but the "
                    f"engine made {got.type!r} at {got.t:.3f}s",
                    "replay",
                )
        i += len(produced)
    return core
