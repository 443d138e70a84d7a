"""Rate limits on websocket actions: a token bucket per connection, and one per account shared by
all of that account's sockets in this process (so opening more sockets buys no more actions).

Both answer with the ``rate_limited`` error frame; the socket stays open and the client resends.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["AccountLimits", "Bucket", "account_limits"]


class Bucket:
    """``per_minute`` actions a minute on average, in bursts of up to ``per_minute / 4`` (at least 5)."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = max(5.0, per_minute / 4)
        self.tokens = self.capacity
        self.rate = per_minute / 60.0
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def idle(self, now: float) -> bool:
        """Full again: forgetting it changes nothing."""
        return self.tokens + (now - self.stamp) * self.rate >= self.capacity


class AccountLimits:
    """One bucket per account id; full buckets are forgotten once there are many."""

    def __init__(self, per_minute: int, keep: int = 10_000) -> None:
        self.per_minute = per_minute
        self.keep = keep
        self._buckets: dict[Any, Bucket] = {}

    def take(self, account: Any) -> bool:
        bucket = self._buckets.get(account)
        if bucket is None:
            if len(self._buckets) >= self.keep:
                now = time.monotonic()
                self._buckets = {k: b for k, b in self._buckets.items() if not b.idle(now)}
            bucket = self._buckets[account] = Bucket(self.per_minute)
        return bucket.take()


def account_limits(app_state: Any, per_minute: int) -> AccountLimits:
    """The app's per-account limits, made on first use (``app.state`` is per app: tests build their own)."""
    limits = getattr(app_state, "account_action_limits", None)
    if limits is None or limits.per_minute != per_minute:
        limits = AccountLimits(per_minute)
        app_state.account_action_limits = limits
    return limits
