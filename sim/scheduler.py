"""A deterministic agenda of due items keyed ``(time, priority, counter)``.

Ties break by priority, then by insertion order, so the same inputs always play the
same way (SimPy's event queue, reduced to what a drill needs).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["Agenda"]

T = TypeVar("T")


@dataclass(order=True)
class _Entry(Generic[T]):
    time: float
    priority: int
    counter: int
    item: T = field(compare=False)


class Agenda(Generic[T]):
    def __init__(self) -> None:
        self._heap: list[_Entry[T]] = []
        self._counter = 0

    def __len__(self) -> int:
        return len(self._heap)

    def schedule(self, item: T, at: float, priority: int = 5) -> None:
        if at != at:  # NaN
            raise ValueError("cannot schedule an item at NaN")
        self._counter += 1
        heapq.heappush(self._heap, _Entry(at, priority, self._counter, item))

    def peek(self) -> float | None:
        """The time of the next item, or None when nothing is scheduled."""
        return self._heap[0].time if self._heap else None

    def pop(self) -> tuple[float, T]:
        if not self._heap:
            raise IndexError("pop from an empty agenda")
        e = heapq.heappop(self._heap)
        return e.time, e.item
