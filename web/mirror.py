"""Streaming replay: keep a drill core in step with a log written by another worker.

:func:`sim.replay` rebuilds a core from a whole log. A worker that does not own a drill
receives the owner's log one event at a time (from the hub or the database) and must keep
its own core identical, so that it can show the feed, check joins and take the scheduler
over at once if the owner dies. The core is deterministic: re-applying the logged inputs
and stepping the scheduler in between reproduces every engine event, which is verified.
"""

from __future__ import annotations

from collections import deque

from sim import DrillCore, DrillError, Event
from sim.events import INPUT_TYPES

__all__ = ["LogMirror"]


def _same(a: Event, b: Event) -> bool:
    return a.type == b.type and abs(a.t - b.t) < 1e-3 and a.team == b.team


class LogMirror:
    """Feeds logged events, in seq order, to ``core``."""

    def __init__(self, core: DrillCore) -> None:
        self.core = core
        self._expect: deque[Event] = deque()  # produced by the core, not yet seen in the log

    @property
    def settled(self) -> bool:
        """True between batches: the core has produced nothing the log has not shown yet."""
        return not self._expect

    def feed(self, ev: Event) -> None:
        """Advance the core past the logged event ``ev``; raises :class:`DrillError` on a mismatch."""
        if self._expect:
            want = self._expect.popleft()
            if not _same(want, ev):
                raise self._mismatch(ev, want)
            return
        core = self.core
        if ev.type in INPUT_TYPES:
            early = core.run(until=ev.t - 1e-9) if ev.t > core.now else []
            if early:
                raise self._mismatch(ev, early[0])
            produced = core.apply(ev)
        else:
            produced = []
            while not produced:
                if core.peek() is None:
                    raise DrillError(f"cannot mirror {ev.type!r} at {ev.t:.3f}s: the engine has nothing left", "replay")
                produced = core.step()
        if not produced or not _same(produced[0], ev):
            raise self._mismatch(ev, produced[0] if produced else None)
        self._expect.extend(produced[1:])

    @staticmethod
    def _mismatch(logged: Event, made: Event | None) -> DrillError:
        got = f"{made.type!r} at {made.t:.3f}s" if made is not None else "nothing"
        return DrillError(f"cannot mirror the log: it has {logged.type!r} at {logged.t:.3f}s but the engine made "
                          f"{got}; the log was written by a different version", "replay")
